"""Dependency manifests: requirements files, Pipfile/Pipfile.lock and pyproject.toml.

Each reader returns what the rest of detection needs: the runtime dependency names (for the
start command and the native-package map), the files the install step reads (copied before the
source), and where packages come from (private indexes, git or URL dependencies).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from scaffolder._repo import Repo, View
from scaffolder.errors import InputError


@dataclass(frozen=True)
class Dep:
    """One runtime dependency, by its normalized name."""

    name: str
    source: str  # file:line or file [table]
    extras: frozenset[str] = frozenset()
    url: str = ""  # git+..., https://..., or a local path; empty for an index package
    no_binary: bool = False  # built from source on purpose (--no-binary)


@dataclass
class DepSet:
    deps: list[Dep] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # read by the install step, in order
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (url, source)
    local: list[tuple[str, str]] = field(default_factory=list)  # (path, source): needs the source tree
    hashes: bool = False

    def names(self) -> set[str]:
        return {d.name for d in self.deps}

    def merge(self, other: DepSet) -> None:
        self.deps += other.deps
        self.files += [f for f in other.files if f not in self.files]
        self.indexes += other.indexes
        self.local += other.local
        self.hashes = self.hashes or other.hashes


def normalize(name: str) -> str:
    return canonicalize_name(name)


# --- requirements files ---------------------------------------------------------------

# Options that take a value, with their long and short spellings (pip's requirements format).
_INCLUDE = {"-r": "requirement", "--requirement": "requirement", "-c": "constraint", "--constraint": "constraint"}
_INDEX = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links"}
_VALUED = {"--trusted-host", "--no-binary", "--only-binary", "--use-feature", "--config-settings",
           "--global-option", "--hash", "-e", "--editable"} | _INDEX | set(_INCLUDE)
_FLAGS = {"--pre", "--prefer-binary", "--require-hashes", "--no-index"}
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_URL = re.compile(r"^(git\+|hg\+|svn\+|bzr\+|https?://|file:)", re.IGNORECASE)


def _logical_lines(text: str):
    """Yield (first line number, text) with comments removed and `\\` continuations joined."""
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw)
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            yield start, buffer.strip()
        buffer = ""
    if buffer.strip():
        yield start, buffer.strip()


def _split_options(rel: str, number: int, line: str) -> tuple[str, list[tuple[str, str]]]:
    """The requirement part of a line and its options, split as pip does: the options start at
    the first word beginning with a dash."""
    words = line.split(" ")
    for i, word in enumerate(words):
        if word.startswith("-"):
            requirement, rest = " ".join(words[:i]).strip(), " ".join(words[i:])
            break
    else:
        return line.strip(), []
    try:
        tokens = shlex.split(rest)
    except ValueError as err:
        raise InputError(rel, f"cannot parse the line: {err}", line=number) from err
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        opt, eq, value = word.partition("=")
        if not word.startswith("-"):
            raise InputError(rel, f"unexpected {word!r} after the options", line=number,
                             hint="one requirement per line, options after it")
        if opt in _FLAGS:
            pairs.append((opt, ""))
        elif opt in _VALUED:
            if not eq:
                if i + 1 >= len(tokens):
                    raise InputError(rel, f"option {opt} needs a value", line=number)
                i += 1
                value = tokens[i]
            pairs.append((opt, value))
        elif len(word) > 2 and not word.startswith("--") and word[:2] in _VALUED:
            pairs.append((word[:2], word[2:]))  # -rfile
        else:
            raise InputError(rel, f"unknown option {opt!r}", line=number, hint="see pip's requirements file format")
        i += 1
    return requirement, pairs


# A cap on the requirements one file lists: each is parsed, and no project needs this many.
MAX_REQUIREMENTS = 5000


def read_requirements(repo: Repo, rel: str, *, _seen: set[str] | None = None, constraint: bool = False) -> DepSet:
    """Parse a requirements file and, recursively, the files it includes with -r and -c."""
    seen = _seen if _seen is not None else set()
    result = DepSet(files=[rel])
    seen.add(rel)
    base = posixpath.dirname(rel)
    no_binary: set[str] = set()
    for number, line in _logical_lines(repo.read_text(rel)):
        where = f"{rel}:{number}"
        requirement, pairs = _split_options(rel, number, line)
        words = [requirement] if requirement else []
        for opt, value in pairs:
            if opt in _INCLUDE:
                target = posixpath.normpath(posixpath.join(base, value))
                if _URL.match(value):
                    raise InputError(rel, f"includes a URL ({value}); scaffold can only follow local files", line=number)
                if target.startswith(("../", "/")) or target == "..":
                    raise InputError(rel, f"includes {value}, outside the project", line=number)
                if not repo.exists(target):
                    raise InputError(rel, f"includes {value}, which does not exist", line=number)
                if target not in seen:
                    sub = read_requirements(repo, target, _seen=seen, constraint=_INCLUDE[opt] == "constraint" or constraint)
                    result.merge(sub)
            elif opt in _INDEX:
                result.indexes.append((value, where))
            elif opt == "--hash":
                result.hashes = True
            elif opt == "--require-hashes":
                result.hashes = True
            elif opt == "--no-binary":
                no_binary |= {normalize(v) if v != ":all:" else v for v in value.split(",")}
            elif opt in ("-e", "--editable"):
                words.append(value)
        if constraint:
            continue  # a constraints file pins versions; it installs nothing
        if len(result.deps) + len(words) > MAX_REQUIREMENTS:
            raise InputError(rel, f"more than {MAX_REQUIREMENTS} requirements, more than any project installs", line=number,
                             hint="is it generated? list the project's own dependencies")
        for word in words:
            dep = _requirement(rel, number, word, base)
            if dep is None:
                result.local.append((word, where))
            else:
                result.deps.append(dep)
    if no_binary:
        result.deps = [
            Dep(d.name, d.source, d.extras, d.url, d.no_binary or d.name in no_binary or ":all:" in no_binary)
            for d in result.deps
        ]
    return result


def _requirement(rel: str, number: int, word: str, base: str) -> Dep | None:
    """A dependency from one requirement word; None for a local path (installs the source tree)."""
    where = f"{rel}:{number}"
    if _URL.match(word):
        egg = _EGG.search(word)
        if word.lower().startswith("file:"):
            return None
        if not egg:
            return Dep(normalize(word.rsplit("/", 1)[-1].split("-", 1)[0].split("#", 1)[0] or "unknown"), where, url=word)
        return Dep(normalize(egg.group(1)), where, url=word)
    if word.startswith((".", "/")) or word.endswith((".whl", ".tar.gz", ".zip")) and "/" in word:
        return None
    try:
        req = Requirement(word)
    except InvalidRequirement as err:
        raise InputError(rel, f"not a requirement: {word!r} ({_reason(err)})", line=number,
                         hint="expected e.g. `flask==3.1`") from err
    return Dep(normalize(req.name), where, frozenset(req.extras), req.url or "")


def _reason(err: InvalidRequirement) -> str:
    """packaging's reason without the echoed line and caret it appends below it."""
    return str(err).splitlines()[0]


_DEV_NAME = re.compile(r"(^|[-_./])(dev|devel|develop|test|tests|testing|lint|docs?|ci|local|tox|typing|mypy|coverage)([-_.]|$)")


def is_dev_requirements(rel: str) -> bool:
    """requirements-dev.txt, requirements/test.txt and the like: not installed in the image."""
    name = posixpath.basename(rel)
    stem = name[: -len(".txt")] if name.endswith(".txt") else name
    parent = posixpath.basename(posixpath.dirname(rel))
    return bool(_DEV_NAME.search(stem.lower())) or parent.lower() in {"dev", "test", "tests", "docs"}


def requirements_candidates(repo: Repo) -> list[str]:
    """requirements*.txt at the root and *.txt in a root requirements/ folder."""
    found = []
    for rel in repo.with_suffix(".txt", ".in"):
        parts = rel.split("/")
        if len(parts) == 1 and re.match(r"^requirements.*\.(txt|in)$", rel, re.IGNORECASE):
            found.append(rel)
        elif len(parts) == 2 and parts[0].lower() in {"requirements", "reqs"} and rel.endswith(".txt"):
            found.append(rel)
    # A .in file compiled by pip-tools is the input; the .txt next to it is what installs.
    return [f for f in found if not (f.endswith(".in") and f[:-3] + ".txt" in found)]


# --- Pipfile and Pipfile.lock ---------------------------------------------------------


def _spec_dep(table: View, name: str, where: str) -> Dep:
    """A dependency given as a version string or a table (git, path, file, url, extras), as
    Pipfile, Pipfile.lock and [tool.poetry.dependencies] write them."""
    spec = table.get(name)
    if isinstance(spec, str):
        return Dep(normalize(name), where)
    if not isinstance(spec, dict):
        raise table.error(name, "a version string or a table")
    spec_view = table.table(name)
    url = ""
    for vcs in ("git", "hg", "svn", "bzr"):
        if vcs in spec_view:
            url = f"{vcs}+{spec_view.string(vcs)}"
    for key in ("path", "file", "url"):
        if key in spec_view:
            url = spec_view.string(key)
            break
    return Dep(normalize(name), where, frozenset(spec_view.strings("extras")), url)


def _is_local(dep: Dep) -> bool:
    return bool(dep.url) and not _URL.match(dep.url) and not dep.url.startswith(("git+", "hg+", "svn+", "bzr+"))


def read_pipfile(repo: Repo) -> tuple[DepSet, View]:
    pipfile = repo.toml_view("Pipfile")
    result = DepSet(files=["Pipfile"])
    packages = pipfile.table("packages")
    pipfile.table("dev-packages")
    pipfile.table("requires")
    for pkg, _ in packages.items():
        dep = _spec_dep(packages, pkg, f"Pipfile [packages] {pkg}")
        if _is_local(dep):
            result.local.append((dep.url, dep.source))
        else:
            result.deps.append(dep)
    for src in pipfile.tables("source"):
        url = src.string("url")
        if url:
            result.indexes.append((url, f"Pipfile [[source]] {src.string('name')}".rstrip()))
    return result, pipfile


def read_pipfile_lock(repo: Repo) -> tuple[DepSet, View]:
    data = repo.read_json("Pipfile.lock")
    if not isinstance(data, dict) or "_meta" not in data:
        raise InputError("Pipfile.lock", "not a Pipfile.lock: expected an object with `_meta` and `default`",
                         line=1, hint="regenerate it with `pipenv lock`")
    lock = View("Pipfile.lock", data, text=repo.read_text("Pipfile.lock", long_lines=True), json=True)
    meta = lock.table("_meta")
    meta.table("requires")
    result = DepSet(files=["Pipfile.lock"], hashes=True)
    default = lock.table("default")
    for pkg, _ in default.items():
        if not isinstance(default.get(pkg), dict):
            raise default.error(pkg, "an object")
        result.deps.append(_spec_dep(default, pkg, f"Pipfile.lock default {pkg}"))
    for src in meta.tables("sources"):
        url = src.string("url")
        if url:
            result.indexes.append((url, f"Pipfile.lock _meta.sources {src.string('name')}".rstrip()))
    return result, lock


# --- pyproject.toml -------------------------------------------------------------------


def _pep508_list(table: View, key: str) -> list[Dep]:
    where = f"{table.rel} [{table.name()}] {key}"
    deps = []
    for value in table.strings(key):
        try:
            req = Requirement(value)
        except InvalidRequirement as err:
            raise InputError(table.rel, f"{table.name(key)}: not a requirement: {value!r} ({_reason(err)})",
                             line=_line_of(table.text, value), hint="expected e.g. \"flask>=3\"") from err
        deps.append(Dep(normalize(req.name), where, frozenset(req.extras), req.url or ""))
    return deps


def _line_of(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _indexes(result: DepSet, tables: list[View], label: str) -> None:
    for src in tables:
        url = src.string("url")
        if url:
            result.indexes.append((url, f"{src.rel} [[{label}]] {src.string('name')}".rstrip()))


def read_pyproject_deps(pyproject: View) -> DepSet:
    """Runtime dependencies declared in pyproject.toml: [project] and Poetry's own tables."""
    rel = pyproject.rel
    result = DepSet(files=[rel])
    project = pyproject.table("project")
    tool = pyproject.table("tool")
    if "dependencies" in project:
        result.deps += _pep508_list(project, "dependencies")
    project.strings("dynamic")
    for group, _ in project.table("optional-dependencies").items():
        project.table("optional-dependencies").strings(group)
    poetry = tool.table("poetry")
    pdeps = poetry.table("dependencies")
    for pkg, _ in pdeps.items():
        if pkg.lower() == "python":
            continue
        where = f"{rel} [tool.poetry.dependencies] {pkg}"
        if isinstance(pdeps.get(pkg), list):  # several constraints, by marker
            result.deps.append(Dep(normalize(pkg), where))
            continue
        dep = _spec_dep(pdeps, pkg, where)
        if isinstance(pdeps.get(pkg), dict) and "path" in pdeps.table(pkg):
            result.local.append((dep.url, where))
            continue
        result.deps.append(dep)
    _indexes(result, poetry.tables("source"), "tool.poetry.source")
    uv = tool.table("uv")
    _indexes(result, uv.tables("index"), "tool.uv.index")
    sources = uv.table("sources")
    for pkg, src in sources.items():
        if isinstance(src, list):  # several sources, by marker
            continue
        git = sources.table(pkg).string("git")
        if git:
            result.deps = [Dep(d.name, d.source, d.extras, f"git+{git}") if d.name == normalize(pkg) else d
                           for d in result.deps]
    _indexes(result, tool.table("pdm").tables("source"), "tool.pdm.source")
    return result


_ENTRY_POINT = re.compile(r"^\s*([A-Za-z0-9][\w.-]*)\s*=\s*([\w.]+(?::[\w.]+)?)\s*(?:\[[^\]]*\])?\s*$")


def setuptools_scripts(repo: Repo) -> tuple[dict[str, str], str]:
    """Console scripts a setuptools project declares without pyproject.toml's [project.scripts]:
    setup.cfg ``[options.entry_points] console_scripts``, else setup.py ``entry_points`` strings."""
    import configparser

    if repo.exists("setup.cfg"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(repo.read_text("setup.cfg"), source="setup.cfg")
        except configparser.Error as err:
            raise InputError("setup.cfg", f"not an INI file: {str(err).splitlines()[0]}", line=getattr(err, "lineno", None),
                             hint="fix the syntax") from err
        raw = parser.get("options.entry_points", "console_scripts", fallback="")
        found = {m.group(1): m.group(2) for line in raw.splitlines() if (m := _ENTRY_POINT.match(line))}
        if found:
            return found, "setup.cfg [options.entry_points] console_scripts"
    if repo.exists("setup.py"):
        text = repo.read_text("setup.py")
        block = re.search(r"[\"']console_scripts[\"']\s*:\s*\[((?:[^\]\"']|\"[^\"]*\"|'[^']*')*)\]", text)
        if block:
            found = {m.group(1): m.group(2) for item in re.findall(r"[\"']([^\"']+)[\"']", block.group(1))
                     if (m := _ENTRY_POINT.match(item))}
            if found:
                return found, "setup.py entry_points console_scripts"
    return {}, ""
