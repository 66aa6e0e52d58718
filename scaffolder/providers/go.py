"""Go: ``go.mod``/``go.work`` or lone ``main`` files; main packages found by reading the code.

Like ``go list`` (which scaffold cannot run: providers never execute anything), a directory is a
main package when one of its buildable non-test files says ``package main`` and defines
``func main()``. "Buildable" follows the go command's rules for Linux: ``//go:build`` (and the
older ``// +build``) constraints, ``_GOOS``/``_GOARCH`` file name suffixes, and files and
directories whose names start with ``.`` or ``_`` or are called ``testdata`` are ignored.

Decisions the template renders from these facts (``templates/partials/go.Dockerfile.jinja``):

- Without cgo the binaries are static (``CGO_ENABLED=0 -trimpath -ldflags "-s -w"``) and the
  final image is ``scratch`` plus a root file system collected in the builder: CA bundle, a
  passwd/group entry for the numeric user (``os/user`` finds it), ``/tmp``.
- Time zones: when the code calls ``time.LoadLocation`` the binary embeds the zone database
  (``-tags timetzdata``, about 450 kB) instead of copying ``/usr/share/zoneinfo`` (several MB
  uncompressed); a program already importing ``time/tzdata`` needs neither. With cgo the
  distroless base has ``/usr/share/zoneinfo``.
- With cgo the build links glibc on ``golang:<v>-<debian>`` and runs on distroless base (cc when
  C++ is linked) of the same Debian release, the one ``templates/policy.yml`` names for that version.
- The static builder runs on ``$BUILDPLATFORM`` and cross-compiles for ``$TARGETOS/$TARGETARCH``:
  the scratch stage has no ``RUN``, so ``--platform linux/arm64`` needs no emulation.
- ``GOTOOLCHAIN=local``: a go.mod needing a newer Go fails the build instead of downloading one.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from scaffolder import _policy
from scaffolder._repo import MAX_NESTING, Repo
from scaffolder.errors import InputError, excerpt
from scaffolder.providers import LIKELY, Detection, Fact, number
from scaffolder.providers import _tools, go_programs
from scaffolder.providers.go_programs import Program, binary_name

name = "go"

# Builder versions the stand-ins and examples use (golang:<version>-<debian>), from templates/policy.yml.
SUPPORTED_MINORS = tuple(int(str(v).split(".")[1]) for v in _policy.policy()["go"]["supported"])
DEFAULT_VERSION = str(_policy.policy()["go"]["default"])

# Modules that need cgo whatever the project's own code does.
CGO_MODULES = (
    "github.com/mattn/go-sqlite3",
    "github.com/confluentinc/confluent-kafka-go",
    "github.com/go-gl/",
    "github.com/mattn/go-gtk",
    "github.com/gotk3/gotk3",
    "github.com/tecbot/gorocksdb",
    "github.com/linxGnu/grocksdb",
    "gopkg.in/gographics/imagick",
    "github.com/h2non/bimg",
    "github.com/davidbyttow/govips",
)
# Directories a program typically reads at run time, unless embedded with //go:embed.
RUNTIME_DIRS = ("templates", "static", "migrations", "public", "assets", "web", "views", "config")
# Directories the go command never builds from the module: dependencies and test data (names
# starting with "." or "_" too). Examples and tools are packages; go_programs leaves them out.
SKIPPED_DIRS = frozenset({"vendor", "testdata"})

GOOS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 "
    "solaris wasip1 windows zos".split()
)
GOARCH = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 "
    "mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split()
)
# The images are built for Linux on amd64 or arm64; "unix" is satisfied by linux.
_TRUE_TAGS = frozenset({"linux", "unix", "amd64", "arm64", "gc", "cgo"})

# Comments and string literals, so code patterns are matched outside them.
_LEXEMES = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|`[^`]*`|'(?:\\.|[^'\\\n])*'", re.DOTALL)
_PACKAGE = re.compile(r"^\s*package\s+(\w+)", re.MULTILINE)
_FUNC_MAIN = re.compile(r"^func\s+main\s*\(\s*\)", re.MULTILINE)
_IMPORT_SPEC = re.compile(r"\"([^\"]*)\"")
_GO_BUILD = re.compile(r"^//go:build\s+(.*)$", re.MULTILINE)
_IGNORE_TAG = re.compile(r"^//(?:go:build|\s*\+build)\s+ignore\s*$", re.MULTILINE)
_PLUS_BUILD = re.compile(r"^//\s*\+build\s+(.*)$", re.MULTILINE)
_EMBED = re.compile(r"^//go:embed\s+(.+)$", re.MULTILINE)
_CGO_DIRECTIVE = re.compile(r"^\s*(?://)?\s*#cgo\s+([^:]*):(.*)$", re.MULTILINE)
_LOAD_LOCATION = re.compile(r"\btime\.LoadLocation\s*\(")
# Cheap tests on the raw text: a file matching none of them is read no further.
_MAYBE_MAIN = re.compile(r"^\s*package\s+main\b", re.MULTILINE)
_MARKERS = ('"C"', "time/tzdata", "LoadLocation", "Listen", "Addr", "go:embed", "Flag", "flag.", "PORT", "Default", ".Run(", ".Start(", "Serve", "exec.", 'port"', 'Port"', "AddCommand")
# Where the import declarations of a file end: its first top-level declaration.
_FIRST_DECL = re.compile(r"^(?:func|type|var|const)\b", re.MULTILINE)
# A minor of at most nine ASCII digits, as providers.number reads (int() refuses 5000 digits).
_VERSION = re.compile(r"^(?:go)?1\.([0-9]{1,9})(?:\.[0-9]+|rc[0-9]+|beta[0-9]+)?$")
CXX_SUFFIXES = (".cc", ".cpp", ".cxx")
# Part of glibc or the C++ runtime: present on distroless base/cc already.
_LIBC_LIBS = frozenset({"c", "m", "pthread", "dl", "rt", "stdc++"})


@dataclass
class GoMod:
    """The directives of a go.mod or go.work file that scaffold needs, with their lines."""

    path: str
    module: str = ""
    go: str = ""
    go_line: int = 0
    toolchain: str = ""
    toolchain_line: int = 0
    requires: list[str] = field(default_factory=list)
    uses: list[tuple[str, int]] = field(default_factory=list)  # go.work: (directory, line)
    local_replaces: list[tuple[str, int]] = field(default_factory=list)  # (directory, line)

    @property
    def dir(self) -> str:
        return posixpath.dirname(self.path) or "."


_MOD_DIRECTIVES = {"module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore"}
_WORK_DIRECTIVES = {"go", "toolchain", "use", "replace", "godebug"}


def _strip_comment(raw: str) -> str:
    # A `//` inside a quoted path is not a comment; go.mod quotes are plain "..." strings.
    out, quoted = [], False
    for i, ch in enumerate(raw):
        if ch == '"':
            quoted = not quoted
        elif not quoted and raw.startswith("//", i):
            break
        out.append(ch)
    return "".join(out).strip()


def parse_go_mod(repo: Repo, rel: str) -> GoMod:
    """Parse a go.mod or go.work file; anything that is not its syntax is an error with the line."""
    is_work = rel.endswith("go.work")
    directives = _WORK_DIRECTIVES if is_work else _MOD_DIRECTIVES
    mod = GoMod(rel)
    block: str | None = None
    block_line = 0
    for number, raw in enumerate(repo.read_text(rel).splitlines(), 1):
        line = _strip_comment(raw)
        if not line:
            continue
        if block:
            if line == ")":
                block = None
            else:
                _directive(mod, block, line, number)
            continue
        word, _, rest = line.partition(" ")
        word, rest = word.strip(), rest.strip()
        if word.endswith("("):  # `require(` is legal
            word, rest = word[:-1], "("
        if word not in directives:
            hint = "a go.work file has go, toolchain, use, replace and godebug" if is_work else "is this a go.mod file? run `go mod tidy`"
            raise InputError(rel, f"unknown directive {word!r}", line=number, hint=hint)
        if rest == "(":
            block, block_line = word, number
        elif not rest:
            raise InputError(rel, f"{word} needs an argument", line=number)
        else:
            _directive(mod, word, rest, number)
    if block:
        raise InputError(rel, f"unterminated {block} block", line=block_line, hint="add the closing parenthesis")
    if not is_work and not mod.module:
        raise InputError(rel, "no module directive", line=1, hint="add `module <path>` or run `go mod init`")
    return mod


def _directive(mod: GoMod, word: str, rest: str, number: int) -> None:
    if word == "module":
        mod.module = rest.strip('"`')
    elif word == "go":
        if not _VERSION.match(rest):
            raise InputError(mod.path, f"invalid go version '{excerpt(rest)}'", line=number, hint="expected e.g. `go 1.23`")
        mod.go, mod.go_line = rest, number
    elif word == "toolchain":
        if not _VERSION.match(rest) or not rest.startswith("go"):
            raise InputError(mod.path, f"invalid toolchain '{excerpt(rest)}'", line=number, hint="expected e.g. `toolchain go1.23.4`")
        mod.toolchain, mod.toolchain_line = rest, number
    elif word == "require":
        parts = rest.split()
        if len(parts) < 2:
            raise InputError(mod.path, f"require needs a module and a version: {rest!r}", line=number)
        mod.requires.append(parts[0].strip('"'))
    elif word == "use":
        mod.uses.append((rest.strip('"`'), number))
    elif word == "replace":
        _, arrow, target = rest.partition("=>")
        if not arrow or not target.split():
            raise InputError(mod.path, f"replace needs `old => new`: {rest!r}", line=number)
        new = target.split()[0].strip('"')
        if new.startswith(("./", "../", "/")) or new in (".", ".."):
            mod.local_replaces.append((new, number))


def _minor(version: str) -> int:
    match = _VERSION.match(version)
    return int(match.group(1)) if match else 0


# --- build constraints -----------------------------------------------------------------------


def _tag(tag: str, minor: int) -> bool:
    if tag.startswith("go1.") and (release := number(tag[4:], 3)) is not None:
        return release <= minor
    # Any other GOOS/GOARCH, `ignore` and custom tags are not set in the build.
    return tag in _TRUE_TAGS


class _TooDeep(Exception):
    """A //go:build expression nested past MAX_NESTING: an input error, not a stack overflow."""


def _eval_go_build(expr: str, minor: int) -> bool:
    """Evaluate a //go:build expression; a malformed one is left to the go command to reject."""
    tokens = re.findall(r"&&|\|\||!|\(|\)|[\w.]+|\S", expr)
    pos = 0
    nesting = 0

    def peek() -> str:
        return tokens[pos] if pos < len(tokens) else ""

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def or_expr() -> bool:
        value = and_expr()
        while peek() == "||":
            take()
            value = and_expr() or value
        return value

    def and_expr() -> bool:
        value = not_expr()
        while peek() == "&&":
            take()
            value = not_expr() and value
        return value

    def not_expr() -> bool:
        nonlocal nesting
        if peek() in ("!", "("):
            nesting += 1
            if nesting > MAX_NESTING:
                raise _TooDeep
        if peek() == "!":
            take()
            value = not not_expr()
            nesting -= 1
            return value
        if peek() == "(":
            take()
            value = or_expr()
            if take() != ")":
                raise ValueError
            nesting -= 1
            return value
        token = take()
        if not re.fullmatch(r"[\w.]+", token):
            raise ValueError
        return _tag(token, minor)

    try:
        value = or_expr()
        if pos != len(tokens):
            raise ValueError
        return value
    except (ValueError, IndexError):
        return True


def _eval_plus_build(lines: list[str], minor: int) -> bool:
    # Lines are ANDed; space-separated options ORed; comma-separated terms ANDed.
    def term(t: str) -> bool:
        return not _tag(t[1:], minor) if t.startswith("!") else _tag(t, minor)

    return all(any(all(term(t) for t in opt.split(",")) for opt in line.split()) for line in lines)


def _name_ok(path: str) -> bool:
    """The go command's file name rules: *_GOOS, *_GOARCH, *_GOOS_GOARCH (after _test)."""
    stem = PurePosixPath(path).name[:-3]
    if stem.endswith("_test"):
        stem = stem[:-5]
    parts = stem.split("_")[1:]
    if len(parts) >= 2 and parts[-2] in GOOS and parts[-1] in GOARCH:
        return _tag(parts[-2], 0) and _tag(parts[-1], 0)
    if parts and (parts[-1] in GOOS or parts[-1] in GOARCH):
        return _tag(parts[-1], 0)
    return True


def _header(text: str) -> str:
    """The line comments before the package clause: where build constraints live."""
    lines, in_block = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
        elif not stripped or stripped.startswith("//"):
            lines.append(stripped)
        elif stripped.startswith("/*"):
            in_block = "*/" not in stripped[2:]
        else:
            break
    return "\n".join(lines)


def buildable(path: str, text: str, minor: int) -> bool:
    if not _name_ok(path):
        return False
    if "build" not in text:
        return True
    header = _header(text)
    go_build = _GO_BUILD.search(header)
    if go_build:
        try:
            return _eval_go_build(go_build.group(1).strip(), minor)
        except _TooDeep:
            line = text.count("\n", 0, text.find(go_build.group(0))) + 1
            raise InputError(path, f"//go:build expression nested deeper than {MAX_NESTING} levels", line=line,
                             hint="the go command rejects it too; simplify the constraint") from None
    plus = _PLUS_BUILD.findall(header)
    return _eval_plus_build(plus, minor) if plus else True


def _code(text: str, *, strings: bool) -> str:
    """Go source without comments; with ``strings=False`` literals are emptied too (keeping
    their line breaks), so nothing inside them looks like code."""

    def keep(m: re.Match) -> str:
        s = m.group(0)
        if s.startswith("//"):
            return ""
        if s.startswith("/*") or not strings:
            return "\n" * s.count("\n") or (" " if s.startswith("/*") else '""')
        return s

    return _LEXEMES.sub(keep, text)


_DECL_IMPORT = re.compile(r"\s*import\s*(?:\((?P<block>[^)]*)\)|(?:[\w.]+\s+)?(?P<one>\"[^\"]*\"))\s*;?")


def imports(code: str) -> list[str]:
    """Import paths from source without comments: the import declarations right after the
    package clause (Go allows them nowhere else)."""
    package = _PACKAGE.search(code)
    if not package:
        return []
    pos, found = package.end(), []
    while match := _DECL_IMPORT.match(code, pos):
        found += _IMPORT_SPEC.findall(match.group("block")) if match.group("block") is not None else [match.group("one")[1:-1]]
        pos = match.end()
    return found


# --- the repository --------------------------------------------------------------------------


@dataclass
class GoFile:
    path: str
    package: str
    has_main: bool
    imports: list[str]
    text: str
    code: str  # without comments
    bare: str  # without comments and string contents


def _ignored(path: str) -> bool:
    """Outside any buildable package: vendor/, testdata/, examples, and ./_ names."""
    parts = path.split("/")
    return any(p in SKIPPED_DIRS or p.startswith((".", "_")) for p in parts)


def _within(path: str, directory: str) -> bool:
    return directory == "." or path == directory or path.startswith(directory + "/")


def _norm(directory: str) -> str:
    return posixpath.normpath(directory.strip("/") if directory.startswith("./") else directory)


# What GOPATH-era dependency tools leave, with the key naming the project's import path.
_GOPATH_MANIFESTS = (("vendor/vendor.json", "rootPath"), ("Godeps/Godeps.json", "ImportPath"),
                     ("glide.yaml", "package"), ("Gopkg.toml", ""))
_IMPORT_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*(?:/[A-Za-z0-9._~-]+)+")


def _refuse_gopath_project(repo: Repo) -> None:
    """A GOPATH-era project (a vendor/ tree or a govendor/godep/glide/dep manifest, no go.mod)
    builds only inside a GOPATH at its import path with GO111MODULE=off, from dependencies at
    the revisions those tools pinned; scaffold builds modules, so it says how to make one."""
    found = next(((rel, key) for rel, key in _GOPATH_MANIFESTS if repo.exists(rel)), None)
    if found is None:
        vendored = next((f for f in repo.files if f.startswith("vendor/") and f.endswith(".go")), None)
        if vendored is None:
            return
        found = ("vendor/", "")
    rel, key = found
    path = ""
    if key:
        text = repo.read_text(rel)
        m = re.search(rf'"{key}"\s*:\s*"([^"]*)"' if rel.endswith(".json") else rf"(?m)^{key}:\s*(\S+)\s*$", text)
        path = m.group(1) if m and _IMPORT_PATH.fullmatch(m.group(1)) and len(m.group(1)) <= 100 else ""
    raise InputError(rel, "a GOPATH-era Go project (no go.mod); scaffold builds Go modules only",
                     hint=f"make it one first: go mod init {path or 'IMPORT/PATH'} && go mod tidy")


def detect(repo: Repo) -> Detection | None:
    go_files = [f for f in repo.with_suffix(".go") if not f.endswith("_test.go") and not _ignored(f)]
    go_mod = repo.exists("go.mod")
    go_work = repo.exists("go.work")
    if not (go_mod or go_work or go_files):
        return None

    det = Detection(name, "go.work" if go_work else "go.mod" if go_mod else "*.go files")

    # Modules: the root one, a workspace's `use`d ones, and any nested module (which
    # `go build` from the root cannot see unless a go.work uses it).
    mod_paths = [f for f in repo.named("go.mod") if not _ignored(f)]
    mods = {posixpath.dirname(p) or ".": parse_go_mod(repo, p) for p in mod_paths}
    work = parse_go_mod(repo, "go.work") if go_work else None
    if work is not None:
        used = []
        for directory, line in work.uses:
            d = _norm(directory)
            if d.startswith("..") or d.startswith("/"):
                det.notes.append(f"go.work:{line}: `use {directory}` is outside the repository; the Docker build cannot see it")
                continue
            if d not in mods:
                raise InputError("go.work", f"use {directory}: no go.mod in that directory", line=line, hint="run `go work use` or fix the path")
            used.append(d)
        if not used:
            raise InputError("go.work", "no `use` directive names a module in the repository", hint="add `use ./module`")
        build_mods = {d: mods[d] for d in used}
        det.add("go_workspace", True, "go.work")
    else:
        build_mods = {".": mods["."]} if go_mod else {}
        det.add("go_workspace", False, "no go.work")
    module_aware = bool(build_mods)
    if not module_aware:
        _refuse_gopath_project(repo)
    det.add("go_module", module_aware, "go.work" if go_work else "go.mod" if go_mod else "no go.mod: files are built directly")
    for d in sorted(set(mods) - set(build_mods)):
        det.notes.append(f"{d}/go.mod: a separate module the build does not include; run scaffold in {d}/ to containerize it")

    version_mods = list(build_mods.values()) + ([work] if work else [])
    minor = _detect_version(det, version_mods)

    def module_of(path: str) -> str | None:
        """The deepest module directory holding ``path`` (any module, built or not)."""
        owners = [d for d in mods if _within(path, d)]
        return max(owners, key=len) if owners else None

    # Read every buildable file once; lex only those with something scaffold looks for, and
    # take just the imports of the rest (the package graph says what each program builds).
    by_dir: dict[str, list[GoFile]] = {}
    pkg_imports: dict[str, set[str]] = {}
    generate: list[tuple[str, int, str]] = []
    for path in go_files:
        owner = module_of(path)
        if module_aware and owner not in build_mods:
            continue  # another module's package: `go build` from the root cannot build it
        if not module_aware and owner is not None:
            continue
        text = repo.read_text(path, long_lines=True)
        if not buildable(path, text, minor):
            if _MAYBE_MAIN.search(text) and _IGNORE_TAG.search(_header(text)):
                det.notes.append(f"left out {path}: //go:build ignore (a program run with `go run {path}`)")
            continue
        pkg_dir = posixpath.dirname(path) or "."
        if "go:generate" in text:
            generate += [(path, text.count("\n", 0, m.start()) + 1, m.group(1).strip()) for m in go_programs.GENERATE.finditer(text)]
        if not (_MAYBE_MAIN.search(text) or any(marker in text for marker in _MARKERS)):
            pkg_imports.setdefault(pkg_dir, set()).update(_leading_imports(text))
            continue
        code = _code(text, strings=True)
        bare = _code(text, strings=False)
        package = _PACKAGE.search(bare)
        if not package:
            continue
        go_file = GoFile(path, package.group(1), bool(_FUNC_MAIN.search(bare)), imports(code), text, code, bare)
        by_dir.setdefault(pkg_dir, []).append(go_file)
        pkg_imports.setdefault(pkg_dir, set()).update(go_file.imports)

    ctx = go_programs.Context(repo, {d: m.module for d, m in mods.items()}, generate)
    programs = _main_packages(by_dir, build_mods, module_aware)
    if programs:
        entrypoint = go_programs.choose(det, programs, ctx)
        shipped = [p for p in programs if p.target in next(f.value for f in det.facts if f.name == "go_packages")]
        graph = _PackageGraph(pkg_imports, build_mods, mods, module_aware)
        built = graph.reachable(p.dir for p in shipped)
        runs = graph.reachable([entrypoint.dir]) if entrypoint else built
        # The entrypoint's own package first: its listener is the service's.
        order = sorted(runs, key=lambda d: (entrypoint is None or d != entrypoint.dir, d))
        _detect_cgo(det, {d: by_dir[d] for d in sorted(built) if d in by_dir}, build_mods, repo)
        _detect_tzdata(det, {d: by_dir[d] for d in sorted(built) if d in by_dir})
        go_programs.choose_port(det, [(f.path, f.code, f.imports) for d in order for f in by_dir.get(d, ())])
        commands = _tools.go_commands((f.path, f.code) for d in sorted(built) for f in by_dir.get(d, ()))
        starts = [f.path for p in shipped for f in by_dir.get(p.dir, ())]
        _tools.add_runtime_packages(det, "go_runtime_packages", commands, _policy.debian_release("go", f"1.{minor}"), starts)
        if entrypoint is None:
            _ports_of_programs(det, shipped, graph, by_dir)
    else:
        det.ask("go_packages", "no `package main` with `func main()` was found", [])
        det.loose, det.loose_reason = True, "no `package main` with `func main()`: it builds no program"
        _detect_cgo(det, by_dir, build_mods, repo)
        _detect_tzdata(det, by_dir)

    _detect_vendor(det, repo, build_mods.get(".") if module_aware else None)

    # Directories whose go.mod/go.sum the dependency download needs: the built modules and
    # local `replace` targets inside the repository.
    mod_dirs = set(build_mods)
    for mod in [*build_mods.values(), *([work] if work else [])]:
        for target, line in mod.local_replaces:
            d = _norm(posixpath.join(mod.dir, target))
            if d.startswith(".."):
                det.notes.append(f"{mod.path}:{line}: replace points to {target}, outside the repository; the Docker build cannot see it")
            elif d in mods:
                mod_dirs.add(d)
    if module_aware:
        det.add("go_mod_dirs", sorted(mod_dirs, key=lambda d: (d != ".", d)), ", ".join(f"{'' if d == '.' else d + '/'}go.mod" for d in sorted(mod_dirs)))

    _detect_runtime_dirs(det, by_dir, repo)
    return det


def _detect_vendor(det: Detection, repo: Repo, root: GoMod | None) -> None:
    """go_vendor: build from vendor/ when Go will. A vendor/ without modules.txt was written before
    Go 1.14: a module whose go directive is older still builds from it (Go relaxes its vendor
    check for those), a newer one is refused by `go build` ("inconsistent vendoring"), so its
    modules are downloaded and vendor/ stays out of the context."""
    if root is None:
        det.add("go_vendor", False, "no vendor/modules.txt")
        return
    if repo.exists("vendor/modules.txt"):
        det.add("go_vendor", True, "vendor/modules.txt")
        return
    if not any(f.startswith("vendor/") for f in repo.with_suffix(".go")):
        det.add("go_vendor", False, "no vendor/modules.txt")
        return
    where = f"{root.path}:{root.go_line} (go {root.go})" if root.go else f"{root.path} (no go directive)"
    if not root.go or _minor(root.go) < 14:
        det.add("go_vendor", True, f"vendor/ without modules.txt, which Go accepts for {where}")
        return
    det.add("go_vendor", False, f"vendor/ has no modules.txt (written before Go 1.14), which {where} needs "
                                "to build from it: modules are downloaded instead; `go mod vendor` rewrites vendor/")


def _detect_version(det: Detection, modules: list[GoMod]) -> int:
    # The newest requirement across go/toolchain lines picks the builder.
    best: tuple[int, str] | None = None
    for mod in modules:
        for version, line, what in ((mod.go, mod.go_line, "go"), (mod.toolchain, mod.toolchain_line, "toolchain")):
            if version and (best is None or _minor(version) > best[0]):
                best = (_minor(version), f"{mod.path}:{line} ({what} {version})")
    if best is None:
        det.add("go_version", DEFAULT_VERSION, "no go directive; newest supported builder", LIKELY)
        return int(DEFAULT_VERSION.split(".")[1])
    minor, source = best
    chosen = max(minor, SUPPORTED_MINORS[0])
    if chosen > SUPPORTED_MINORS[-1]:
        det.notes.append(f"Go 1.{minor} is newer than the builders scaffold is tested with; using golang:1.{minor}")
    elif chosen != minor:
        source += f"; golang:1.{chosen} is the oldest builder scaffold uses"
    det.add("go_version", f"1.{chosen}", source)
    return chosen


def _ports_of_programs(det: Detection, shipped: list[Program], graph: "_PackageGraph", by_dir: dict) -> None:
    """The program to run is a question: each candidate brings the port of its own program
    (a worker that serves nothing: 0), so the port default follows the choice."""
    ports = {}
    for program in shipped:
        alone = Detection("go", det.source)
        dirs = sorted(graph.reachable([program.dir]), key=lambda d: (d != program.dir, d))
        go_programs.choose_port(alone, [(f.path, f.code, f.imports) for d in dirs for f in by_dir.get(d, ())])
        ports[program.binary] = next((f for f in alone.facts if f.name == "port"), None) or Fact(
            "port", 0, f"{program.dir}: serves nothing (no listener in its code)", LIKELY)
    det.questions = [
        replace(q, candidates=tuple(
            replace(c, implies=(*c.implies, ports[c.value])) if c.value in ports else c for c in q.candidates))
        if q.name == "go_entrypoint" else q
        for q in det.questions
    ]


def _leading_imports(text: str) -> list[str]:
    """The imports of a file read only up to its first declaration (they must come before it)."""
    end = _FIRST_DECL.search(text)
    head = text[: end.start()] if end else text
    found = imports(_code(head, strings=True))
    return found if found or end is None else imports(_code(text, strings=True))


class _PackageGraph:
    """The project's packages and the project packages each imports."""

    def __init__(self, pkg_imports: dict[str, set[str]], build_mods: dict[str, GoMod], mods: dict[str, GoMod], module_aware: bool):
        self.imports = pkg_imports
        self.dir_of: dict[str, str] = {}
        if module_aware:
            for d in pkg_imports:
                owner = max((m for m in build_mods if _within(d, m)), key=len)
                rel = d if owner == "." else posixpath.relpath(d, owner)
                self.dir_of[mods[owner].module if rel == "." else f"{mods[owner].module}/{rel}"] = d

    def reachable(self, start) -> set[str]:
        seen: set[str] = set()
        stack = list(start)
        while stack:
            d = stack.pop()
            if d not in seen:
                seen.add(d)
                stack += [self.dir_of[i] for i in self.imports.get(d, ()) if i in self.dir_of]
        return seen


def _main_packages(by_dir: dict[str, list[GoFile]], mods: dict[str, GoMod], module_aware: bool) -> list[Program]:
    programs: list[Program] = []
    for pkg_dir, pkg_files in sorted(by_dir.items()):
        main_files = [f for f in pkg_files if f.package == "main" and f.has_main]
        if not main_files:
            continue
        source = f"{main_files[0].path} (package main, func main)"
        if module_aware:
            owner = max((d for d in mods if _within(pkg_dir, d)), key=len)
            rel = pkg_dir if owner == "." else posixpath.relpath(pkg_dir, owner)
            import_path = mods[owner].module if rel == "." else f"{mods[owner].module}/{rel}"
            target = "." if pkg_dir == "." else f"./{pkg_dir}"
            programs.append(Program(pkg_dir, target, binary_name(import_path), source, owner))
        else:
            # Without go.mod the files are handed to `go build` directly: each file with a
            # func main is a program, with the directory's other package main files.
            helpers = [f.path for f in pkg_files if f.package == "main" and not f.has_main]
            for main in main_files:
                target = " ".join(f"./{p}" for p in [main.path, *helpers])
                programs.append(Program(pkg_dir, target, PurePosixPath(main.path).stem, f"{main.path} (package main, func main)"))
    return programs


def _detect_cgo(det: Detection, by_dir: dict[str, list[GoFile]], mods: dict[str, GoMod], repo: Repo) -> None:
    cgo_files = [f for pkg in by_dir.values() for f in pkg if "C" in f.imports]
    cgo_modules = sorted({r for m in mods.values() for r in m.requires for c in CGO_MODULES if r.startswith(c)})
    if cgo_files:
        det.add("go_cgo", True, f'{cgo_files[0].path} (import "C")')
    elif cgo_modules:
        det.add("go_cgo", True, f"go.mod requires {cgo_modules[0]} (needs cgo)")
    else:
        det.add("go_cgo", False, 'no import "C" and no cgo module', LIKELY)
        return

    # C++ compiled by cgo (sources next to the Go files) or linked by flag needs libstdc++:
    # distroless cc instead of base.
    cxx = ""
    libs: set[str] = set()
    cgo_dirs = {posixpath.dirname(f.path) for f in cgo_files}
    for path in repo.files:
        if posixpath.dirname(path) in cgo_dirs and path.endswith(CXX_SUFFIXES):
            cxx = f"{path} (C++ compiled by cgo)"
            break
    for f in cgo_files:
        for flags_for, flags in _CGO_DIRECTIVE.findall(f.text):
            words = flags.split()
            if "pkg-config" in flags_for:
                libs.update(words)
            elif "LDFLAGS" in flags_for:
                libs.update(w[2:] for w in words if w.startswith("-l") and w[2:] not in _LIBC_LIBS)
                if not cxx and "-lstdc++" in words:
                    cxx = f"{f.path} (#cgo LDFLAGS: -lstdc++)"
    if cxx:
        det.add("go_cgo_cxx", True, cxx)
    else:
        det.add("go_cgo_cxx", False, "no C++ next to the cgo code", LIKELY)
    if libs:
        det.notes.append(
            f"cgo links {', '.join(sorted(libs))}: add its -dev package to the build stage and the library to the runtime stage"
        )


def _detect_tzdata(det: Detection, by_dir: dict[str, list[GoFile]]) -> None:
    files = [f for pkg in by_dir.values() for f in pkg]
    embedded = next((f for f in files if "time/tzdata" in f.imports), None)
    if embedded:
        det.add("go_tzdata", False, f"{embedded.path} imports time/tzdata (already embedded)")
        return
    for f in files:
        match = _LOAD_LOCATION.search(f.bare)
        if match:
            line = f.bare.count("\n", 0, match.start()) + 1
            det.add("go_tzdata", True, f"{f.path}:{line} calls time.LoadLocation", LIKELY)
            return
    det.add("go_tzdata", False, "no time.LoadLocation in the project's code", LIKELY)


def _detect_runtime_dirs(det: Detection, by_dir: dict[str, list[GoFile]], repo: Repo) -> None:
    # //go:embed patterns are relative to the embedding package's directory.
    embedded: list[str] = []
    for pkg_dir, pkg in by_dir.items():
        for f in pkg:
            for line in _EMBED.findall(f.text):
                for pattern in re.findall(r'"[^"]*"|`[^`]*`|\S+', line):
                    pattern = pattern.strip('"`').removeprefix("all:")
                    if pattern:
                        embedded.append(posixpath.normpath(posixpath.join(pkg_dir, pattern)))
    with_data = {f.split("/", 1)[0] for f in repo.files if "/" in f and not f.endswith(".go")}
    runtime = []
    for d in RUNTIME_DIRS:
        if d not in with_data:
            continue
        if any(fnmatch.fnmatchcase(d, e.split("/")[0]) for e in embedded if e != "."):
            continue
        runtime.append(d)
    if runtime:
        det.add("go_runtime_dirs", runtime, "directories read at run time (not //go:embed)", LIKELY)
