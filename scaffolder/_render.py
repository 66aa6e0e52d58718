"""render: Copier renders the template into a scratch directory; files reach the repo only
once every answer is valid and every overwrite is allowed, so a failure writes nothing."""

from __future__ import annotations

import difflib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from scaffolder.errors import AbortedError, AnswerError, ScaffoldError, WouldOverwriteError

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


_QUESTION = re.compile(r"""[Qq]uestion ["']([A-Za-z0-9_]+)["']""")


def render_template(
    src: str,
    data: dict[str, Any],
    user_defaults: dict[str, Any],
    *,
    defaults: bool,
    vcs_ref: str | None = None,
    unsafe: bool = False,
) -> dict[str, bytes]:
    """Run Copier into a scratch directory and return the rendered files by relative path.
    ``unsafe`` lets a template's tasks and migrations run (--trust)."""
    import copier
    from copier.errors import (
        ConfigFileError,
        CopierAnswersInterrupt,
        CopierError,
        InteractiveSessionError,
        InvalidTypeError,
        UnsafeTemplateError,
    )
    from jinja2 import TemplateError

    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as tmp:
        try:
            copier.run_copy(
                src,
                tmp,
                data=data,
                user_defaults=user_defaults,
                defaults=defaults,
                vcs_ref=vcs_ref,
                settings=copier.Settings(),
                quiet=True,
                overwrite=True,
                unsafe=unsafe,
            )
        except UnsafeTemplateError as err:
            raise ScaffoldError(f"{src}: the template runs tasks or migrations; review it, then rerun with --trust") from err
        except (CopierAnswersInterrupt, KeyboardInterrupt) as err:
            raise AbortedError("interrupted; nothing was written") from err
        except InteractiveSessionError as err:
            raise ScaffoldError("no terminal to ask on; use --defaults and --data NAME=VALUE") from err
        except ConfigFileError as err:
            raise ScaffoldError(f"{src}: invalid template configuration: {_first_line(err)}") from err
        except (ValueError, InvalidTypeError) as err:
            match = _QUESTION.search(str(err))
            if not match:
                bad = ScaffoldError(f"an answer has the wrong type ({_first_line(err)}); check the --data values")
                bad.exit_code = AnswerError.exit_code
                raise bad from err
            question = match.group(1)
            message = str(err).replace(f'Question "{question}" is required', f"{question}: no answer was detected")
            raise AnswerError(question, message) from err
        except (CopierError, TemplateError) as err:
            raise ScaffoldError(f"{src}: the template failed to render: {_first_line(err)}") from err
        root = Path(tmp)
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


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
