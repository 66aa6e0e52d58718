"""The pruned file list every provider reads from."""

from __future__ import annotations

from scaffolder._repo import Repo


def test_pruning(tmp_path):
    for rel in [
        "main.go",
        "cmd/build/main.go",  # a source folder that happens to be called build
        "build/CMakeCache.txt",  # root build output
        "node_modules/x/index.js",
        "sub/node_modules/y/index.js",
        ".git/config",
        "tools/venv/pyvenv.cfg",  # a virtualenv at any depth
        "tools/venv/lib/site.py",
        "generated/out.go",
        "keep/me.py",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / ".gitignore").write_text("generated/\n")
    files = Repo(tmp_path).files
    assert set(files) == {".gitignore", "main.go", "cmd/build/main.go", "keep/me.py"}


# --- what the walk and the reads refuse -----------------------------------------------------

import os
import socket

import pytest

from scaffolder.errors import InputError
from scaffolder._repo import MAX_FILE_BYTES, MAX_LINE_CHARS


def test_walk_survives_loops_fifos_sockets_and_odd_names(tmp_path, monkeypatch):
    (tmp_path / "main.go").write_text("package main\n")
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "up").symlink_to("..")  # a directory loop: never entered
    (tmp_path / "dangling").symlink_to("nowhere")
    os.mkfifo(tmp_path / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock"))
    (tmp_path / os.fsdecode(b"bad\xff.go")).write_text("package main\n")
    (tmp_path / "new\nline.go").write_text("package main\n")
    (tmp_path / "inside.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to("inside.txt")
    (tmp_path / "outside.txt").symlink_to("/etc/hostname")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.go").write_text("package main\n")
    real_scandir = os.scandir

    def scandir(path):  # tests run as root, where chmod 000 does not stop reads
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        files = Repo(tmp_path).files
    finally:
        sock.close()
    # Only regular files inside the root, under names a Dockerfile can carry.
    assert set(files) == {"main.go", "inside.txt", "link.txt"}


def test_reads_refuse_what_is_outside_or_not_a_file(tmp_path):
    repo_root = tmp_path / "repo"
    repo_root.mkdir()
    (tmp_path / "secret").write_text("root:$6$hash\n")
    (repo_root / "requirements.txt").symlink_to(tmp_path / "secret")
    os.mkfifo(repo_root / "Pipfile")
    repo = Repo(repo_root)
    assert not repo.exists("requirements.txt") and not repo.exists("/etc/passwd") and not repo.exists("../secret")
    for rel in ("requirements.txt", "/etc/passwd", "../secret"):
        with pytest.raises(InputError, match="outside the repository") as err:
            repo.read_text(rel)
        assert "root:" not in str(err.value)
    with pytest.raises(InputError, match="^Pipfile: not a regular file"):
        repo.read_text("Pipfile")  # opening a FIFO does not wait for a writer


def test_read_caps(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    (tmp_path / "huge").symlink_to("big.toml")
    (tmp_path / "long.txt").write_text("ok\n" + "x" * (MAX_LINE_CHARS + 1) + "\n")
    repo = Repo(tmp_path)
    for rel in ("big.toml", "huge"):
        with pytest.raises(InputError, match=f"^{rel}: larger than 16 MiB"):
            repo.read_text(rel)
    assert len(repo.read_bytes("big.toml", limit=10)) == 10
    with pytest.raises(InputError, match=r"^long.txt:2: line longer than") as err:
        repo.read_text("long.txt")
    assert len(str(err.value)) < 200
    assert repo.read_text("long.txt", long_lines=True).startswith("ok")


@pytest.mark.parametrize(
    ("name", "text", "reader"),
    [
        ("deep.toml", "a = " + "[" * 5000 + "]" * 5000, "read_toml"),
        ("inline.toml", "a = " + "{b = " * 5000 + "1" + "}" * 5000, "read_toml"),
        ("dotted.toml", "a" + ".a" * 5000 + " = 1", "read_toml"),
        ("deep.json", "[" * 5000 + "]" * 5000, "read_json"),
        ("digits.toml", "a = " + "1" * 5000, "read_toml"),
        ("digits.json", "1" * 5000, "read_json"),
    ],
)
def test_parsers_refuse_deep_nesting_and_huge_numbers(tmp_path, name, text, reader):
    (tmp_path / name).write_text(text)
    with pytest.raises(InputError, match=f"^{name}(:1)?: (nested deeper than 100 levels|invalid)") as err:
        getattr(Repo(tmp_path), reader)(name)
    assert len(str(err.value)) < 200


def test_brackets_inside_strings_and_comments_are_not_nesting(tmp_path):
    text = 'a = "' + "[" * 500 + '"\n# ' + "{" * 500 + "\nb = '''" + "[" * 500 + "'''\n"
    (tmp_path / "ok.toml").write_text(text)
    assert Repo(tmp_path).read_toml("ok.toml")["a"] == "[" * 500


def test_error_quotes_only_an_excerpt(tmp_path):
    from scaffolder.errors import InputError as Error

    err = Error("x/" * 200 + "Procfile", "not a process line: " + repr("y" * 20_000_000), line=3, hint="expected `web: cmd`")
    text = str(err)
    assert len(text) < 200 and "\n" not in text and text.endswith("(expected `web: cmd`)")
    assert "\n" not in str(Error("a\nb", "c\nUSER root"))


def test_a_gitignore_past_the_pattern_cap_is_refused_in_a_moment(tmp_path):
    import time

    from scaffolder._repo import MAX_IGNORE_PATTERNS

    (tmp_path / "app.py").write_text("print(1)\n")
    head = "# build output\n\n" + "".join(f"out{i}/\n" for i in range(MAX_IGNORE_PATTERNS))
    (tmp_path / ".gitignore").write_text(head)
    assert "app.py" in Repo(tmp_path).files  # comments and blank lines do not count
    (tmp_path / ".gitignore").write_text(head + "".join(f"d{i}/*.tmp\n" for i in range(300_000)))
    started = time.monotonic()
    with pytest.raises(InputError, match=r"^\.gitignore:5003: 305000 patterns, more than the 5000") as err:
        Repo(tmp_path).files
    assert time.monotonic() - started < 5 and len(str(err.value)) < 200


def test_entries_scaffold_may_not_read_are_notes_in_detect_and_init(tmp_path, capsys):
    """A manifest that links out of the repository, a FIFO or a dangling link is passed over
    unread, and detect and init's summary say so instead of leaving it out silently."""
    import os

    from tests.helpers import HELLO_PY, run, tree

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "requirements.txt").write_text("flask\n")
    root = tree(tmp_path / "project", {"main.py": HELLO_PY})
    (root / "requirements.txt").symlink_to(outside / "requirements.txt")
    (root / "shared").symlink_to(outside)
    os.mkfifo(root / "Procfile")
    (root / "setup.cfg").symlink_to(root / "missing.cfg")
    (root / "ignored.txt").symlink_to(outside / "requirements.txt")
    (root / ".gitignore").write_text("ignored.txt\n")
    code, out, _ = run(capsys, "detect", str(root))
    assert code == 0
    notes = [line.strip() for line in out.splitlines() if line.strip().startswith("note: skipped")]
    tail = "; scaffold reads only regular files inside the repository"
    assert notes == [
        f"note: skipped Procfile: a FIFO, not a regular file{tail}",
        f"note: skipped requirements.txt: links outside the repository{tail}",
        f"note: skipped setup.cfg: a link to nothing (dangling, or a loop){tail}",
        f"note: skipped shared: links outside the repository{tail}",
    ], out
    code, out, _ = run(capsys, "detect", "--json", str(root))
    assert f"skipped requirements.txt: links outside the repository{tail}" in out
    code, _, err = run(capsys, "init", "--defaults", "--dry-run", str(root))
    assert code == 0 and f"note: skipped Procfile: a FIFO, not a regular file{tail}" in err
