"""render: the files Copier rendered (scaffolder._copier, into a scratch directory) reach the
repository only once every answer is valid and every overwrite is allowed, so a failure writes
nothing."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from scaffolder.errors import WouldOverwriteError

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


def compare(dst: Path, files: dict[str, bytes]) -> list[RenderedFile]:
    result = []
    for rel, content in files.items():
        target = dst / rel
        if not target.exists():
            result.append(RenderedFile(rel, content, NEW))
            continue
        old = target.read_bytes()
        result.append(RenderedFile(rel, content, SAME if old == content else CHANGED, old))
    return result


def confirm_overwrites(
    files: list[RenderedFile], *, force: bool, interactive: bool, confirm: Callable[[RenderedFile], bool]
) -> list[RenderedFile]:
    """The files to write. Changed files need --force, or a confirmation per file."""
    changed = [f for f in files if f.status == CHANGED]
    if changed and not force:
        if not interactive or not sys.stdin.isatty():
            raise WouldOverwriteError([f.path for f in changed])
        declined = {f.path for f in changed if not confirm(f)}
        files = [f for f in files if f.path not in declined]
    return [f for f in files if f.status != SAME]


def write(dst: Path, files: list[RenderedFile]) -> None:
    """Write each file through a temporary sibling and an atomic rename."""
    staged: list[tuple[Path, Path]] = []
    try:
        for f in files:
            target = dst / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(f.content)
            mode = 0o755 if f.path in EXECUTABLES else 0o644
            if target.exists():
                mode = target.stat().st_mode & 0o777 | (0o111 if f.path in EXECUTABLES else 0)
            os.chmod(tmp, mode)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
