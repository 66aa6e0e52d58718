"""Read-only view of the repository being detected: a pruned file list and safe file reads."""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path, PurePosixPath

import pathspec

from scaffolder.errors import InputError, NotAProjectError

# Directories that never hold the project's own sources, at any depth.
PRUNED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idea", ".vscode",
        ".eggs", "site-packages", ".cache", "bazel-out", "CMakeFiles",
    }
)
# Build output and environments by convention at the root only: `cmd/build/main.go` is a source.
PRUNED_ROOT_DIRS = frozenset({"build", "dist", "target", "_build", "out", "venv", "env", "builddir"})


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


class Repo:
    """The project directory. Paths handed out are POSIX strings relative to the root."""

    def __init__(self, root: Path | str):
        root = Path(root)
        if not root.exists():
            raise NotAProjectError(f"{root}: no such directory")
        if not root.is_dir():
            raise NotAProjectError(f"{root}: not a directory; pass the project's root directory")
        self.root = root.resolve()

    @cached_property
    def _gitignore(self) -> pathspec.PathSpec | None:
        path = self.root / ".gitignore"
        if not path.is_file():
            return None
        lines = self.read_text(".gitignore").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every file below the root, minus VCS data, dependencies, virtualenvs, build output
        and what the root ``.gitignore`` ignores. Vendored Go modules are kept: they are sources."""
        ignore = self._gitignore
        found: list[str] = []
        stack = [("", str(self.root))]
        while stack:
            rel_dir, abs_dir = stack.pop()
            try:
                entries = list(os.scandir(abs_dir))
            except OSError:
                continue
            for entry in entries:
                rel = f"{rel_dir}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in PRUNED_DIRS or (not rel_dir and entry.name in PRUNED_ROOT_DIRS):
                        continue
                    if entry.name.startswith("cmake-build-") or _is_virtualenv(entry.path):
                        continue
                    if ignore is not None and ignore.match_file(rel + "/"):
                        continue
                    stack.append((rel + "/", entry.path))
                elif entry.is_file():
                    if ignore is not None and ignore.match_file(rel):
                        continue
                    found.append(rel)
        return tuple(sorted(found))

    @cached_property
    def _by_suffix(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for f in self.files:
            name = f.rsplit("/", 1)[-1]
            dot = name.rfind(".")
            index.setdefault(name[dot:] if dot > 0 else "", []).append(f)
        return index

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for f in self.files:
            index.setdefault(f.rsplit("/", 1)[-1], []).append(f)
        return index

    def with_suffix(self, *suffixes: str) -> list[str]:
        """Files whose name ends with one of ``suffixes`` (``.go``, ``.cpp``), in path order.
        One index serves every provider, so a 100,000-file tree is scanned once."""
        found = [f for s in suffixes for f in self._by_suffix.get(s, ())]
        return sorted(found) if len(suffixes) > 1 else found

    def named(self, name: str) -> list[str]:
        """Files called ``name`` (``go.mod``, ``CMakeLists.txt``) at any depth, in path order."""
        return list(self._by_name.get(name, ()))

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def glob(self, pattern: str) -> list[str]:
        """Files (from the pruned list) whose path matches a glob such as ``*.py`` or ``cmd/*/main.go``."""
        return [f for f in self.files if PurePosixPath(f).match(pattern)]

    def at_root(self, suffix: str) -> list[str]:
        return [f for f in self.files if "/" not in f and f.endswith(suffix)]

    def read_text(self, rel: str) -> str:
        try:
            # Plain open(): detection reads thousands of files and pathlib's overhead shows.
            with open(os.path.join(self.root, rel), "rb") as handle:
                data = handle.read()
        except OSError as err:
            raise InputError(rel, f"cannot read: {err.strerror or err}", hint="check its permissions") from err
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise InputError(rel, "not valid UTF-8 text", line=line, hint="save it as UTF-8") from err

    def read_toml(self, rel: str) -> dict:
        from scaffolder._compat import tomllib

        text = self.read_text(rel)
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            # tomllib reports the position inside the message before Python 3.14.
            match = re.search(r"^(.*?)\s*\(at line (\d+), column \d+\)$", str(err))
            line = getattr(err, "lineno", None) or (int(match.group(2)) if match else None)
            msg = getattr(err, "msg", None) or (match.group(1) if match else str(err))
            raise InputError(rel, f"invalid TOML: {msg}", line=line, hint="fix the syntax") from err

    def read_json(self, rel: str) -> object:
        import json

        text = self.read_text(rel)
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(rel, f"invalid JSON: {err.msg}", line=err.lineno, hint="fix the syntax or regenerate the file") from err
