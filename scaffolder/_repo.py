"""Read-only view of the repository being detected: a pruned file list and safe file reads."""

from __future__ import annotations

import os
import re
import stat
from functools import cached_property
from pathlib import Path, PurePosixPath

import pathspec

from scaffolder.errors import InputError, NotAProjectError, excerpt

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

# Caps on what one file may make detection do: no manifest or source file comes near them, and
# a hostile one stops with an error instead of exhausting memory or the stack.
MAX_FILE_BYTES = 16 * 2**20
MAX_LINE_CHARS = 100_000
MAX_NESTING = 100
# Every file of the walk is matched against every pattern; real .gitignore files hold hundreds.
MAX_IGNORE_PATTERNS = 5000
_LONG_LINE = re.compile(r"[^\n]{%d}" % (MAX_LINE_CHARS + 1))


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


class Repo:
    """The project directory. Paths handed out are POSIX strings relative to the root."""

    def __init__(self, root: Path | str):
        root = Path(root)
        if not root.exists():
            raise NotAProjectError(f"{excerpt(root, 120)}: no such directory")
        if not root.is_dir():
            raise NotAProjectError(f"{excerpt(root, 120)}: not a directory; pass the project's root directory")
        self.root = root.resolve()

    @cached_property
    def _gitignore(self) -> pathspec.PathSpec | None:
        if not self.exists(".gitignore"):
            return None
        lines = self.read_text(".gitignore").splitlines()
        patterns = [n for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
        if len(patterns) > MAX_IGNORE_PATTERNS:
            raise InputError(".gitignore", f"{len(patterns)} patterns, more than the {MAX_IGNORE_PATTERNS} "
                             "scaffold matches the tree against", line=patterns[MAX_IGNORE_PATTERNS],
                             hint="keep the patterns this repository needs")
        return pathspec.GitIgnoreSpec.from_lines(lines)

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every file below the root, minus VCS data, dependencies, virtualenvs, build output
        and what the root ``.gitignore`` ignores. Vendored Go modules are kept: they are sources.
        The entries passed over unread because they are no file scaffold may read (a link out
        of the repository, a FIFO) are in ``skipped``, with why."""
        ignore = self._gitignore
        self.skipped: dict[str, str] = {}
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
                if not _is_clean_name(entry.name):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    # A link is listed only when it resolves to a regular file inside the root;
                    # linked directories are never entered, so a loop cannot be walked.
                    is_file = entry.is_file(follow_symlinks=False) or (
                        entry.is_symlink() and self._regular_path(rel) is not None
                    )
                    unread = "" if is_dir or is_file else self._unread_reason(entry)
                except OSError:
                    continue  # vanished or unreadable: not part of the project as scaffold sees it
                if unread and (ignore is None or not ignore.match_file(rel)):
                    self.skipped[rel] = unread
                if is_dir:
                    if entry.name in PRUNED_DIRS or (not rel_dir and entry.name in PRUNED_ROOT_DIRS):
                        continue
                    if entry.name.startswith("cmake-build-") or _is_virtualenv(entry.path):
                        continue
                    if ignore is not None and ignore.match_file(rel + "/"):
                        continue
                    stack.append((rel + "/", entry.path))
                elif is_file:
                    if ignore is not None and ignore.match_file(rel):
                        continue
                    found.append(rel)
        return tuple(sorted(found))

    def _unread_reason(self, entry: os.DirEntry) -> str:
        """Why an entry that is neither a directory nor a readable file is passed over ('' for a
        link to a directory inside the repository, which is simply not entered)."""
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if not _inside(real, str(self.root)):
                return "links outside the repository"
            return "" if os.path.isdir(real) else "a link to nothing (dangling, or a loop)"
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISFIFO(mode):
            return "a FIFO, not a regular file"
        if stat.S_ISSOCK(mode):
            return "a socket, not a regular file"
        return "a device, not a regular file" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else ""

    def skipped_notes(self, limit: int = 5) -> list[str]:
        """A note for each entry the walk passed over unread, the first ``limit`` of them."""
        self.files  # noqa: B018 - the walk fills ``skipped``
        notes = [f"skipped {excerpt(rel, 60)}: {why}; scaffold reads only regular files inside the repository"
                 for rel, why in sorted(self.skipped.items())[:limit]]
        if len(self.skipped) > limit:
            notes.append(f"skipped {len(self.skipped) - limit} more entries that are no regular file inside the repository")
        return notes

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
        """Whether ``rel`` is a regular file scaffold may read (inside the repository)."""
        return self._regular_path(rel) is not None

    def _regular_path(self, rel: str) -> str | None:
        """The resolved path of ``rel`` when it is a regular file inside the root, else None."""
        if not _is_clean_name(rel):
            return None
        real = os.path.realpath(os.path.join(self.root, rel))
        if not _inside(real, str(self.root)):
            return None
        try:
            mode = os.stat(real, follow_symlinks=False).st_mode
        except (OSError, ValueError):
            return None
        return real if stat.S_ISREG(mode) else None

    def glob(self, pattern: str) -> list[str]:
        """Files (from the pruned list) whose path matches a glob such as ``*.py`` or ``cmd/*/main.go``."""
        return [f for f in self.files if PurePosixPath(f).match(pattern)]

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        """The bytes of ``rel``: a regular file inside the repository, at most MAX_FILE_BYTES long.
        With ``limit``, only the first ``limit`` bytes (a scan of a prefix; never an error for size).
        A link out of the repository, a FIFO, a device or a directory is refused unread."""
        path = os.path.join(self.root, rel)
        real = os.path.realpath(path)
        if not _inside(real, str(self.root)):
            raise InputError(rel, "links outside the repository; scaffold reads only files inside it",
                             hint="replace the link with the file itself")
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the resolved
            # path cannot be swapped for a link between the check and the open.
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        except OSError as err:
            raise InputError(rel, f"cannot read: {err.strerror or err}", hint="check its permissions") from err
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(rel, "not a regular file", hint="replace it with a regular file or remove it")
            if limit is not None:
                return handle.read(limit)
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(rel, f"larger than {MAX_FILE_BYTES // 2**20} MiB, more than a manifest or source file holds",
                             hint="add it to .gitignore if it is generated")
        return data

    def read_text(self, rel: str, *, long_lines: bool = False) -> str:
        """The UTF-8 text of ``rel`` (see read_bytes). Lines longer than MAX_LINE_CHARS are an
        error unless ``long_lines`` (source files may hold generated data on one line)."""
        data = self.read_bytes(rel)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise InputError(rel, "not valid UTF-8 text", line=line, hint="save it as UTF-8") from err
        if not long_lines and len(text) > MAX_LINE_CHARS:
            long_line = _LONG_LINE.search(text)
            if long_line:
                line = text.count("\n", 0, long_line.start()) + 1
                raise InputError(rel, f"line longer than {MAX_LINE_CHARS} characters", line=line,
                                 hint="is it generated? manifests are written by hand")
        return text

    def read_toml(self, rel: str) -> dict:
        from scaffolder._compat import tomllib

        text = self.read_text(rel)
        check_nesting(text, rel, _TOML_TOKENS)
        try:
            data = tomllib.loads(text)
        except ValueError as err:  # TOMLDecodeError, and int() past Python's digit limit
            # tomllib reports the position inside the message before Python 3.14.
            match = re.search(r"^(.*?)\s*\(at line (\d+), column \d+\)$", str(err))
            line = getattr(err, "lineno", None) or (int(match.group(2)) if match else None)
            msg = getattr(err, "msg", None) or (match.group(1) if match else str(err))
            raise InputError(rel, f"invalid TOML: {msg}", line=line, hint="fix the syntax") from err
        _check_depth(data, rel)  # dotted keys nest without brackets
        return data

    def toml_view(self, rel: str) -> View:
        """``rel`` parsed as TOML, for typed reads."""
        return View(rel, self.read_toml(rel), text=self.read_text(rel))

    def json_view(self, rel: str) -> View:
        """``rel`` parsed as JSON, for typed reads (the top level must be an object)."""
        return View(rel, self.read_json(rel), text=self.read_text(rel, long_lines=True), json=True)

    def read_json(self, rel: str) -> object:
        import json

        text = self.read_text(rel, long_lines=True)  # a lock file may be written on one line
        check_nesting(text, rel, _JSON_TOKENS)
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(rel, f"invalid JSON: {err.msg}", line=err.lineno, hint="fix the syntax or regenerate the file") from err
        except ValueError as err:  # an integer past Python's digit limit
            raise InputError(rel, f"invalid JSON: {err}", hint="fix the value or regenerate the file") from err


class View:
    """A table (TOML) or object (JSON) of a parsed manifest, read with its expected types.

    Every provider reads manifest data through a view: a key holding the wrong type is an
    InputError naming the file, the key and its line, never an AttributeError deep inside
    detection; a missing key is the default. ``get`` hands out a raw value for the keys that
    take several shapes (a Pipfile package: a version string or a table), to be checked by the
    caller with ``error``."""

    def __init__(self, rel: str, data: object, *, text: str = "", json: bool = False, keys: tuple[str, ...] = ()):
        self.rel, self.keys, self.text, self.json = rel, keys, text, json
        if not isinstance(data, dict):
            raise self.error(None, "an object" if json else "a table")
        self.data: dict = data

    def name(self, key: str | None = None) -> str:
        """The dotted name of ``key`` in this view (the file's top level when empty)."""
        parts = [*self.keys, key] if key is not None else list(self.keys)
        return ".".join(str(p) for p in parts) or "the top level"

    def error(self, key: str | None, expected: str) -> InputError:
        """``key`` holds something other than ``expected`` (a phrase: "a table of strings")."""
        line = self.line_of(key if key is not None else (self.keys[-1] if self.keys else None))
        return InputError(self.rel, f"{self.name(key)} must be {expected}", line=line, hint="fix its type")

    def line_of(self, key: object) -> int | None:
        if not isinstance(key, str) or not key or not self.text:
            return None
        match = re.search(r"(?:^|[\s{,.\[\"'])(%s)[\"']?[ \t]*[=:\].]" % re.escape(key), self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start(1)) + 1 if match else None

    def _typed(self, key: str, types: type | tuple[type, ...], expected: str, default: object) -> object:
        value = self.data.get(key, default)
        if value is default:
            return value
        # bool is an int in Python; a manifest's true is never a number
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,))):
            raise self.error(key, expected)
        return value

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def __bool__(self) -> bool:
        return bool(self.data)

    def get(self, key: str, default: object = None) -> object:
        return self.data.get(key, default)

    def items(self) -> list[tuple[str, object]]:
        return list(self.data.items())

    def table(self, key: str) -> View:
        """The table ``key`` (empty when missing)."""
        value = self._typed(key, dict, "an object" if self.json else "a table", {})
        return View(self.rel, value, text=self.text, json=self.json, keys=(*self.keys, key))

    def tables(self, key: str) -> list[View]:
        """The array of tables ``key`` (empty when missing)."""
        expected = "an array of objects" if self.json else "an array of tables"
        values = self._typed(key, list, expected, [])
        if not all(isinstance(v, dict) for v in values):
            raise self.error(key, expected)
        return [View(self.rel, v, text=self.text, json=self.json, keys=(*self.keys, key)) for v in values]

    def array(self, key: str) -> list:
        return self._typed(key, list, "an array", [])  # type: ignore[return-value]

    def strings(self, key: str) -> list[str]:
        """The array of strings ``key`` (empty when missing)."""
        values = self._typed(key, list, "an array of strings", [])
        if not all(isinstance(v, str) for v in values):
            raise self.error(key, "an array of strings")
        return values  # type: ignore[return-value]

    def string(self, key: str, default: str = "") -> str:
        return self._typed(key, str, "a string", default)  # type: ignore[return-value]

    def boolean(self, key: str, default: bool) -> bool:
        return self._typed(key, bool, "true or false", default)  # type: ignore[return-value]

    def string_table(self, key: str) -> dict[str, str]:
        """The table ``key`` whose every value is a string (empty when missing)."""
        table = self.table(key)
        for name, value in table.items():
            if not isinstance(value, str):
                raise table.error(name, "a string")
        return dict(table.data)


# Tokens that matter for nesting: strings and comments are skipped whole, brackets counted.
_TOML_TOKENS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]')
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def check_nesting(text: str, rel: str, tokens: re.Pattern[str]) -> None:
    """Refuse brackets nested deeper than MAX_NESTING before a recursive parser sees them."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return
    depth = 0
    for match in tokens.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, match.start()) + 1
                raise InputError(rel, f"nested deeper than {MAX_NESTING} levels", line=line,
                                 hint="no real manifest nests this deep; fix the file")
        elif token in "]}":
            depth = max(depth - 1, 0)


def _check_depth(data: object, rel: str) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InputError(rel, f"nested deeper than {MAX_NESTING} levels", hint="no real manifest nests this deep; fix the file")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


# Names scaffold does not hand on: not UTF-8 (undecodable bytes) or holding control characters,
# which no Dockerfile line or shell word can carry safely.
_UNCLEAN = re.compile(r"[\x00-\x1f\x7f\udc80-\udcff]")


def _is_clean_name(rel: str) -> bool:
    return not _UNCLEAN.search(rel)
