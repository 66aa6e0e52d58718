"""Writes leave nothing behind on any failure and never go through a link out of the repository."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder import _render
from tests.helpers import HELLO_GO, run, snapshot, tree


def _project(root: Path) -> Path:
    return tree(root, {"hello.go": HELLO_GO})


def _fail_on(monkeypatch, nth: int, err: int) -> None:
    """The ``nth`` temporary file written fails with ``err`` (after the file exists)."""
    real_fdopen = os.fdopen
    calls = {"n": 0}

    class Failing:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(err, os.strerror(err))

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        if mode != "wb":
            return handle  # a read: `os` is one module for everyone
        calls["n"] += 1
        return Failing(handle) if calls["n"] == nth else handle

    monkeypatch.setattr(_render.os, "fdopen", fdopen)


@pytest.mark.parametrize("nth", [1, 3])
@pytest.mark.parametrize(("err", "message"), [(errno.ENOSPC, "no space left on the device"), (errno.EROFS, "read-only file system")])
def test_failed_write_leaves_nothing(tmp_path, capsys, monkeypatch, nth, err, message):
    _project(tmp_path)
    before = snapshot(tmp_path)
    _fail_on(monkeypatch, nth, err)
    code, out, stderr = run(capsys, "init", "--defaults", str(tmp_path))
    assert code == 1
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("scaffold: ") and message in last and "nothing was written" in last and "Traceback" not in stderr
    assert snapshot(tmp_path) == before  # no temporary file, no half of the files
    assert sorted(os.listdir(tmp_path)) == ["hello.go"]


def test_failed_rename_restores_the_files_already_replaced(tmp_path, capsys, monkeypatch):
    _project(tmp_path)
    assert run(capsys, "init", "--defaults", str(tmp_path))[0] == 0
    (tmp_path / "Dockerfile").write_text("# mine\n")
    (tmp_path / ".dockerignore").write_text("# mine too\n")
    before = snapshot(tmp_path)
    real_replace = os.replace
    done = []

    def replace(src, dst):
        if done:
            raise OSError(errno.EIO, "Input/output error")
        done.append(dst)
        return real_replace(src, dst)

    monkeypatch.setattr(_render.os, "replace", replace)
    code, _, stderr = run(capsys, "init", "--defaults", "--force", str(tmp_path))
    assert code == 1 and "cannot write: input/output error" in stderr
    assert done and snapshot(tmp_path) == before


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, check=False)
    return proc.returncode == 0


def test_full_and_read_only_disk_for_real(tmp_path):
    """A real full tmpfs, then the same tmpfs read-only, through the command line."""
    disk = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(disk, "64k"):
        pytest.skip("mounting a tmpfs needs root and CAP_SYS_ADMIN; the injected ENOSPC/EROFS tests cover the logic")
    try:
        _project(disk)
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"x" * 4096):
                pass
        except OSError as err:
            assert err.errno == errno.ENOSPC
        os.ftruncate(fd, os.fstat(fd).st_size - 4096)  # room for one small file, not for all four
        os.close(fd)
        before = sorted(os.listdir(disk))
        cmd = [sys.executable, "-m", "scaffolder", "init", "--defaults", str(disk)]
        full = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert full.returncode == 1, full.stderr
        assert "Traceback" not in full.stderr and "no space left on the device" in full.stderr.splitlines()[-1]
        assert sorted(os.listdir(disk)) == before
        filler.unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        ro = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert ro.returncode == 1 and "Traceback" not in ro.stderr
        assert "read-only file system" in ro.stderr.splitlines()[-1]
        assert sorted(os.listdir(disk)) == [n for n in before if n != "filler"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_symlinked_dockerfile_outside_is_never_read_nor_written(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.write_text("root:$6$secret-hash:19000:0:99999:7:::\n")
    repo = _project(tmp_path / "repo")
    (repo / "Dockerfile").symlink_to(outside)
    for argv in (["--dry-run"], ["--force"], []):
        code, out, err = run(capsys, "init", "--defaults", *argv, str(repo))
        assert code == 1, (argv, err)
        assert "secret-hash" not in out + err
        assert "Dockerfile: links outside the repository" in err
    assert outside.read_text().startswith("root:")
    assert (repo / "Dockerfile").is_symlink() and not (repo / ".dockerignore").exists()


def test_write_through_a_symlink_inside_the_repository_keeps_the_link(tmp_path, capsys):
    repo = _project(tmp_path)
    (repo / "docker").mkdir()
    (repo / "docker" / "Dockerfile").write_text("# old\n")
    (repo / "Dockerfile").symlink_to("docker/Dockerfile")
    code, _, err = run(capsys, "init", "--defaults", "--force", str(repo))
    assert code == 0, err
    assert (repo / "Dockerfile").is_symlink() and "FROM" in (repo / "docker" / "Dockerfile").read_text()


def test_a_directory_where_a_file_goes_is_refused(tmp_path, capsys):
    repo = _project(tmp_path)
    (repo / ".dockerignore").mkdir()
    code, _, err = run(capsys, "init", "--defaults", str(repo))
    assert code == 1 and ".dockerignore: exists and is not a regular file" in err
    assert not (repo / "Dockerfile").exists()


def test_answers_file_linked_outside_is_not_read(tmp_path, capsys):
    outside = tmp_path / "outside.yml"
    outside.write_text("secret: root-password\n")
    repo = _project(tmp_path / "repo")
    (repo / ".scaffold-answers.yml").symlink_to(outside)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    for command in ("check", "update"):
        code, out, err = run(capsys, command, str(repo))
        assert code == 1, err
        assert "root-password" not in out + err and ".scaffold-answers.yml: links outside the repository" in err
