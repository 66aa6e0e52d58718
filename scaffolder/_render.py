"""render: the files Copier rendered (scaffolder._copier, into a scratch directory) reach the
repository only once every answer is valid and every overwrite is allowed, so a failure writes
nothing."""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import posixpath
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from scaffolder._repo import Repo
from scaffolder.errors import InputError, ScaffoldError, WouldOverwriteError

NEW, SAME, CHANGED = "new", "unchanged", "changed"
EXECUTABLES = {"docker-build.sh"}


@dataclass
class RenderedFile:
    path: str
    content: bytes
    status: str
    old: bytes | None = None

    def diff(self) -> str:
        old = (self.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = self.content.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.path}", f"b/{self.path}"))


def _target(dst: Path, rel: str) -> Path:
    """Where ``rel`` is written: its resolved path, which must stay inside ``dst`` and be a
    regular file if it exists. A link inside the repository is written through, so it stays a link."""
    root = os.path.realpath(dst)
    real = os.path.realpath(os.path.join(root, rel))
    if not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)):
        raise InputError(rel, "links outside the repository; scaffold neither reads nor writes through it",
                         hint="replace the link with a regular file")
    try:
        mode = os.stat(real, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return Path(real)
    except OSError as err:
        raise InputError(rel, f"cannot read: {err.strerror or err}", hint="check its permissions") from err
    if not stat.S_ISREG(mode):
        raise InputError(rel, "exists and is not a regular file", hint="move it away, then rerun")
    return Path(real)


def compare(dst: Path, files: dict[str, bytes]) -> list[RenderedFile]:
    repo = Repo(dst)
    result = []
    for rel, content in files.items():
        if not _target(dst, rel).exists():
            result.append(RenderedFile(rel, content, NEW))
            continue
        old = repo.read_bytes(rel)
        result.append(RenderedFile(rel, content, SAME if old == content else CHANGED, old))
    return result


def confirm_overwrites(
    files: list[RenderedFile], *, force: bool, interactive: bool, confirm: Callable[[RenderedFile], bool]
) -> list[RenderedFile]:
    """The files to write. Changed files need --force, or a confirmation per file.

    The answers file is never asked about: it records what the other files were rendered from,
    so it is written only when every one of them is, and otherwise stays as it was (or absent),
    which `scaffold check` then reports instead of answers that no file reflects."""
    from scaffolder._answers import ANSWERS_FILE

    changed = [f for f in files if f.status == CHANGED]
    if changed and not force:
        if not interactive or not sys.stdin.isatty():
            raise WouldOverwriteError([f.path for f in changed])
        declined = {f.path for f in changed if posixpath.basename(f.path) != ANSWERS_FILE and not confirm(f)}
        # Each app's answers file (several apps: one per directory) stands for its directory's files.
        declined |= {posixpath.join(posixpath.dirname(path), ANSWERS_FILE) for path in declined}
        files = [f for f in files if f.path not in declined]
    return [f for f in files if f.status != SAME]


def write(dst: Path, files: list[RenderedFile]) -> None:
    """Write each file through a temporary sibling and an atomic rename. On any failure every
    temporary file and created directory is removed and replaced files get their old content
    back, so the repository is as it was; an OS error is one line naming the file."""
    created: list[Path] = []  # directories made for new files, outermost first
    staged: list[tuple[Path, Path, RenderedFile]] = []
    replaced: list[tuple[Path, RenderedFile]] = []
    current = ""
    try:
        for f in files:
            current = f.path
            target = _target(dst, f.path)
            missing = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
            for directory in reversed(missing):
                directory.mkdir()
                created.append(directory)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((Path(tmp), target, f))  # registered before a byte is written
            with os.fdopen(fd, "wb") as out:
                out.write(f.content)
            executable = posixpath.basename(f.path) in EXECUTABLES
            mode = 0o755 if executable else 0o644
            if target.exists():
                mode = target.stat().st_mode & 0o777 | (0o111 if executable else 0)
            os.chmod(tmp, mode)
        for tmp, target, f in staged:
            current = f.path
            os.replace(tmp, target)
            replaced.append((target, f))
    except BaseException as err:
        _undo(staged, replaced, created)
        if isinstance(err, OSError):
            raise ScaffoldError(f"{current}: cannot write: {_why(err)}; nothing was written") from err
        raise


def _undo(staged: list[tuple[Path, Path, RenderedFile]], replaced: list[tuple[Path, RenderedFile]], created: list[Path]) -> None:
    for tmp, _, _ in staged:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    for target, f in replaced:
        with contextlib.suppress(OSError):
            if f.old is None:
                target.unlink()
            else:
                target.write_bytes(f.old)
    for directory in reversed(created):
        with contextlib.suppress(OSError):
            directory.rmdir()


def _why(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "no space left on the device (free some, then rerun)"
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{err.strerror.lower()} (make the directory writable, then rerun)"
    return (err.strerror or str(err)).lower()
