"""Go: which main packages the project ships, which one the container runs, and its port.

A repository's ``package main`` directories are not all programs it ships: test helpers, code
generators, release scripts and samples are mains too. The rules, in order, each recorded as the
source of the decision or of a note naming what was left out:

1. The project's own release build names what ships: the ``builds`` of a GoReleaser config, the
   ``go build``/``go install`` commands of a Dockerfile, else those of the root Makefile.
2. Without one, a main package is left out when a directory on its path holds no shipped program
   by convention (``test/``, ``tests/``, ``hack/``, ``scripts/``, ``tools/``, ``examples/``...), its
   name says it is a test helper (``testserver``, ``e2e``, ``mock-api``), or the project only runs
   it with ``go run`` (a ``//go:generate`` directive, a Makefile recipe). ``//go:build ignore``
   files never count (go.py's build constraints). If every main would be left out, all are kept.
3. The container runs the only program left, else the one named after the module or the
   repository (``cmd/<name>``); a real tie is a question.

The port is read from the code the entrypoint builds (its package and the packages it imports
from the project): a listen call with a literal address, a flag's default address or port
(``flag``, pflag/cobra, urfave/cli) or the fallback of a ``PORT`` variable. A debug listener
(pprof's ``:6060``, or a loopback listener next to ``net/http/pprof``) is not the service port, nor
is a flag of a subcommand (cobra's ``AddCommand``): the image runs the program without arguments.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from typing import Iterable

from scaffolder._repo import Repo, View
from scaffolder.errors import InputError
from scaffolder.providers import LIKELY, Detection, Fact, number

# Directories that hold no shipped program, by the conventions of Go projects.
NOT_SHIPPED_DIRS = {
    "test": "test code", "tests": "test code", "testdata": "test data", "testing": "test code",
    "e2e": "end-to-end tests", "integration": "integration tests", "hack": "developer scripts",
    "scripts": "scripts", "script": "scripts", "tools": "developer tools", "tool": "developer tools",
    "examples": "examples", "example": "examples", "_examples": "examples", "samples": "examples",
    "sample": "examples", "demo": "examples", "demos": "examples", "docs": "documentation",
    "doc": "documentation", "contrib": "contributed extras", "bench": "benchmarks",
    "benchmark": "benchmarks", "benchmarks": "benchmarks", "fuzz": "fuzzing",
}
# Words in a directory name that make its main a test helper (testserver, fake-gcs, e2e_runner).
_HELPER_WORDS = ("test", "tests", "testing", "testutil", "testutils", "e2e", "mock", "mocks", "fake", "fakes", "stub", "stubs")
_HELPER_PREFIXES = ("test", "mock", "fake")
# Loopback hosts: a server bound to one is unreachable from outside its container.
_LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}
# The pprof convention; nothing serves on it but a debug endpoint.
DEBUG_PORT = 6060
_DEBUG_FLAG_WORDS = ("pprof", "debug", "profil")

GORELEASER_FILES = (".goreleaser.yaml", ".goreleaser.yml", "goreleaser.yaml", "goreleaser.yml")
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
# `go build` flags that take a value as the next word.
_VALUE_FLAGS = {
    "-o", "-ldflags", "-gcflags", "-asmflags", "-gccgoflags", "-tags", "-mod", "-modfile", "-p",
    "-buildmode", "-compiler", "-installsuffix", "-overlay", "-pkgdir", "-toolexec", "-C", "-pgo",
}
_SHELL_OPERATORS = {";", "&&", "||", "|", ">", ">>", "<", "&", "2>&1", ")", "\\"}
_GO_COMMAND = re.compile(r"(?:^|[\s;&|(`@\"'-])(?:[\w./${}()-]*/)?go\s+(build|install|run)\b(.*)")
_MAKE_ASSIGN = re.compile(r"^\s*(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(?::{1,3}=|\?=|=|\+=)\s*(.*?)\s*$")
_MAKE_REF = re.compile(r"\$[({]([A-Za-z_][\w.-]*)[)}]")
GENERATE = re.compile(r"^//go:generate\s+(.+)$", re.MULTILINE)


@dataclass
class Program:
    """A main package: where it is, what ``go build`` is given and the binary it makes."""

    dir: str  # repository-relative package directory ("." at the root)
    target: str  # argument of `go build`
    binary: str
    source: str  # "cmd/x/main.go (package main, func main)"
    module_dir: str = "."  # the module holding it


@dataclass
class BuildRef:
    """A package a project file builds or runs: ``dir`` (``recursive`` for ``./cmd/...``)."""

    dir: str
    recursive: bool
    source: str  # "Makefile:12 (go build ./cmd/x)"

    def names(self, program: Program) -> bool:
        if self.recursive:
            return self.dir == "." or program.dir == self.dir or program.dir.startswith(self.dir + "/")
        return program.dir == self.dir


@dataclass
class Context:
    """What the rules read besides the main packages."""

    repo: Repo
    modules: dict[str, str]  # module directory -> module path (every module in the repository)
    generate: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, command)


# --- package references in the project's own files -------------------------------------------


def resolve(ref: str, base: str, modules: dict[str, str]) -> tuple[str, bool] | None:
    """A package argument of the go command, as written in a file in ``base``, as a
    repository-relative directory; None when it is outside the repository or a variable."""
    ref = ref.strip("\"'")
    recursive = ref.endswith("/...") or ref == "..."
    if recursive:
        ref = ref[:-4] if ref.endswith("/...") else "."
    if not ref or "$" in ref or ref.startswith("-"):
        return None
    if ref.endswith(".go"):
        ref = posixpath.dirname(ref) or "."
    if ref == "." or ref == ".." or ref.startswith(("./", "../")):
        d = posixpath.normpath(posixpath.join(base, ref))
    else:
        owners = [(d, m) for d, m in modules.items() if ref == m or ref.startswith(m + "/")]
        if not owners:
            return None  # another module's program (`go run golang.org/x/tools/cmd/stringer`)
        d, m = max(owners, key=lambda o: len(o[1]))
        d = posixpath.normpath(posixpath.join(d, ref[len(m) + 1 :] if ref != m else "."))
    if d.startswith("..") or d.startswith("/"):
        return None
    return d, recursive


def go_commands(line: str) -> list[tuple[str, list[str]]]:
    """``(verb, package arguments)`` of each ``go build|install|run`` in a shell line."""
    found = []
    for match in _GO_COMMAND.finditer(line):
        verb, rest = match.group(1), match.group(2)
        try:
            words = shlex.split(rest, comments=True)
        except ValueError:
            words = rest.split()
        packages: list[str] = []
        skip = False
        for word in words:
            if skip:
                skip = False
                continue
            if word in _SHELL_OPERATORS or word.endswith(";"):
                if word.endswith(";") and word not in _SHELL_OPERATORS:
                    packages.append(word[:-1])
                break
            if word.startswith("-"):
                skip = "=" not in word and word.split("=")[0] in _VALUE_FLAGS
                continue
            packages.append(word)
            if verb == "run":
                break  # the rest are the program's arguments
        found.append((verb, packages or ["."]))
    return found


def _make_lines(text: str) -> list[tuple[int, str]]:
    """Logical lines of a Makefile (continuations joined), with their first line number."""
    out, current, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not current:
            start = number
        if raw.endswith("\\"):
            current += raw[:-1] + " "
            continue
        out.append((start, current + raw))
        current = ""
    if current:
        out.append((start, current))
    return out


def _expand(line: str, variables: dict[str, str]) -> str:
    for _ in range(5):  # nested references, bounded
        new = _MAKE_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), line)
        if new == line:
            break
        line = new
    return line


def makefile_refs(repo: Repo, rel: str, modules: dict[str, str]) -> tuple[list[BuildRef], list[BuildRef]]:
    """What a Makefile builds (``go build``/``go install``) and only runs (``go run``)."""
    lines = _make_lines(repo.read_text(rel))
    variables: dict[str, str] = {}
    for _, line in lines:
        match = _MAKE_ASSIGN.match(line)
        if match and not line.startswith("\t"):
            name, value = match.group(1), match.group(2).split("#", 1)[0].strip()
            variables.setdefault(name, value)
    base = posixpath.dirname(rel) or "."
    built, run = [], []
    for number, line in lines:
        if "go " not in line and "$(" not in line and "${" not in line:
            continue
        expanded = _expand(line, variables)
        for verb, packages in go_commands(expanded):
            for package in packages:
                resolved = resolve(package, base, modules)
                if resolved:
                    ref = BuildRef(*resolved, f"{rel}:{number} (go {verb} {package})")
                    (run if verb == "run" else built).append(ref)
    return built, run


def dockerfile_refs(repo: Repo, rel: str, modules: dict[str, str]) -> list[BuildRef]:
    """Packages a project's own Dockerfile builds (its context is the repository root)."""
    text = repo.read_text(rel)
    if text.startswith("# Generated by scaffold"):
        return []  # our own output is not evidence of what the project ships
    refs = []
    for number, line in _make_lines(text):
        if not re.match(r"\s*RUN\b", line, re.IGNORECASE):
            continue
        for verb, packages in go_commands(line):
            if verb == "run":
                continue
            for package in packages:
                resolved = resolve(package, ".", modules)
                if resolved:
                    refs.append(BuildRef(*resolved, f"{rel}:{number} (go {verb} {package})"))
    return refs


def goreleaser_refs(repo: Repo, rel: str, modules: dict[str, str], det: Detection) -> list[BuildRef]:
    """The ``builds`` of a GoReleaser config: ``dir`` (default ``.``) joined with ``main``."""
    from scaffolder._answers import safe_yaml

    text = repo.read_text(rel)
    try:
        data = safe_yaml(text, rel, aliases=True)
    except InputError as err:  # a release config only hints at what ships: detection goes on
        det.notes.append(f"{err}; its builds were not read")
        return []
    config = View(rel, {} if data is None else data, text=text, json=True)
    # No builds: GoReleaser builds the root package.
    builds = config.tables("builds") if "builds" in config else [View(rel, {}, json=True, keys=("builds",))]
    refs = []
    for index, build in enumerate(builds):
        # skip may also be a template ("{{ .IsSnapshot }}"): only a plain true skips for certain.
        if build.get("skip") is True or build.string("builder") == "prebuilt":
            continue
        main, directory = build.string("main", "."), build.string("dir", ".")
        main = main if main.startswith((".", "/")) or "/" not in main or main.endswith(".go") else f"./{main}"
        resolved = resolve(main, posixpath.normpath(directory), modules)
        if resolved:
            label = build.string("id") or build.string("binary") or main
            refs.append(BuildRef(resolved[0], False, f"{rel} (builds[{index}] {label}: main {main})"))
    return refs


# --- which programs ship ---------------------------------------------------------------------


def not_shipped(program: Program) -> str | None:
    """Why a main package's directory says it is not a shipped program, or None."""
    rel = program.dir if program.module_dir == "." else posixpath.relpath(program.dir, program.module_dir)
    parts = [] if rel == "." else rel.split("/")
    for part in parts:
        if part in NOT_SHIPPED_DIRS:
            return f"under {part}/ ({NOT_SHIPPED_DIRS[part]})"
    for part in parts:
        words = re.split(r"[-_.]", part.lower())
        if any(w in _HELPER_WORDS for w in words) or part.lower().startswith(_HELPER_PREFIXES):
            return f"{part}/ is named as a test helper"
    return None


def _generators(ctx: Context) -> list[BuildRef]:
    refs = []
    for path, line, command in ctx.generate:
        for verb, packages in go_commands(" " + command):
            if verb != "run":
                continue
            for package in packages:
                resolved = resolve(package, posixpath.dirname(path) or ".", ctx.modules)
                if resolved:
                    refs.append(BuildRef(resolved[0], False, f"{path}:{line} (//go:generate go run {package})"))
    return refs


def release_builds(ctx: Context, det: Detection, programs: list[Program]) -> tuple[list[BuildRef], list[BuildRef]]:
    """The first of GoReleaser, Dockerfile, Makefile that builds one of ``programs``, and what
    the Makefile only runs."""
    repo, modules = ctx.repo, ctx.modules
    makefile = next((m for m in MAKEFILES if repo.exists(m)), None)
    make_built, make_run = makefile_refs(repo, makefile, modules) if makefile else ([], [])
    sources: list[list[BuildRef]] = [
        *(goreleaser_refs(repo, f, modules, det) for f in GORELEASER_FILES if repo.exists(f)),
        *(dockerfile_refs(repo, f, modules) for f in ("Dockerfile", "Containerfile") if repo.exists(f)),
        make_built,
    ]
    for refs in sources:
        if any(ref.names(p) for ref in refs for p in programs):
            return refs, make_run
    return [], make_run


def choose(det: Detection, programs: list[Program], ctx: Context) -> Program | None:
    """Record go_packages and go_entrypoint (or its question) and a note for each program left
    out. Returns the entrypoint when there is one."""
    built, only_run = release_builds(ctx, det, programs)
    left_out: list[tuple[Program, str]] = []
    if built:
        shipped = [p for p in programs if any(r.names(p) for r in built)]
        why = {id(p): next(r.source for r in built if r.names(p)) for p in shipped}
        origin = built[0].source.split(" ")[0].split(":")[0]
        left_out = [(p, f"not built by {origin}") for p in programs if p not in shipped]
    else:
        runners = only_run + _generators(ctx)
        shipped, why = [], {}
        for program in programs:
            reason = not_shipped(program)
            runner = next((r for r in runners if r.names(program)), None)
            if runner and not reason:
                reason = f"only run by {runner.source}"
            if reason:
                left_out.append((program, reason))
            else:
                shipped.append(program)
                why[id(program)] = program.source
        if not shipped:
            if left_out:
                det.notes.append("every main package looks like a helper (test, tool or example); building them all")
                det.loose, det.loose_reason = True, "every main package is a test helper, tool or example"
            shipped, left_out = list(programs), []
            why = {id(p): p.source for p in programs}

    for program, reason in left_out[:12]:
        det.notes.append(f"left out {program.target} ({program.source.split(' ')[0]}): {reason}; add it to go_packages to build it")
    if len(left_out) > 12:
        det.notes.append(f"left out {len(left_out) - 12} more main packages: {', '.join(p.target for p, _ in left_out[12:])}")

    names = [p.binary for p in shipped]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        det.notes.append(f"several main packages build a binary named {', '.join(duplicates)}; keep one of each in go_packages")

    certainty = LIKELY if len(shipped) > 1 or left_out else "certain"
    det.add("go_packages", [p.target for p in shipped], ", ".join(why[id(p)] for p in shipped), certainty)
    if len(shipped) == 1:
        det.add("go_entrypoint", shipped[0].binary, why[id(shipped[0])], LIKELY)
        return shipped[0]
    wanted = _project_names(ctx, shipped)
    named = [(p, how) for p in shipped for name, how in wanted if p.binary == name]
    if named and len({p.binary for p, _ in named}) == 1:
        program, how = named[0]
        det.add("go_entrypoint", program.binary, f"{program.source.split(' ')[0]} (named after {how})", LIKELY)
        return program
    det.ask(
        "go_entrypoint",
        f"{len(shipped)} main packages: every binary is built, pick the one the container runs",
        [Fact("go_entrypoint", p.binary, why[id(p)]) for p in shipped],
    )
    return None


def binary_name(import_path: str) -> str:
    """What `go build -o dir/` names a package's binary: its last element, minus a /vN suffix."""
    elems = import_path.rstrip("/").split("/")
    if len(elems) > 1 and re.fullmatch(r"v\d+", elems[-1]):
        return elems[-2]
    return elems[-1]


def _project_names(ctx: Context, shipped: list[Program]) -> list[tuple[str, str]]:
    """Names the project goes by: its modules' last path element (the repository, for hosted
    modules) and the repository directory."""
    wanted = []
    for module_dir in dict.fromkeys(p.module_dir for p in shipped):
        module = ctx.modules.get(module_dir)
        if module:
            wanted.append((binary_name(module), f"the module {module}"))
    directory = ctx.repo.root.name.lower()
    wanted.append((directory, f"the repository directory {ctx.repo.root.name}/"))
    return wanted


# --- the port --------------------------------------------------------------------------------

_ADDR = r"\"(?P<host>[\w.\-\[\]:]*?):(?P<port>\d{2,5})\""
# Calls and fields that bind the address they are given.
_LISTEN = re.compile(
    r"(?:ListenAndServe(?:TLS)?\s*\(|\bListen(?:Packet)?\s*\(\s*\"(?:tcp|udp)[46]?\"\s*,|"
    r"\.(?:Run|Start|Listen|Serve)\s*\(|\bAddr\s*:)\s*" + _ADDR
)
_FLAG_CALL = re.compile(r"\.(?P<kind>String|Int|Int64|Uint|Uint16|Uint64)(?P<var>Var)?(?P<short>P)?\s*\(")
# viper.SetDefault("port", 8080); kingpin's .Default(":8080"); env/envconfig struct tags.
_DEFAULT_CALL = re.compile(r"\.SetDefault\s*\(")
_DEFAULT_VALUE = re.compile(r"\.Default\s*\(\s*" + _ADDR + r"\s*\)")
_TAG_DEFAULT = re.compile(r"(?:env|envconfig):\"(\w*PORT)\"[^`]*?\b(?:envDefault|default):\":?(\d{2,5})\"")
_BIND_ALL = {"", "0.0.0.0", "[::]", "::"}
_CLI_FLAG = re.compile(r"\b(?:String|Int|Uint)Flag\s*\{(?P<body>[^{}]*)\}")
_PORT_ENV = re.compile(r"(\w+)\s*:?=\s*os\.Getenv\(\s*\"(?:\w+_)?PORT\"\s*\)")
# An env lookup helper called with a port variable's name and a literal default:
# getEnvInt("PORT", 8080), env.Get("http_port", "8080"), getInt(envMap, "port", 8080).
# It counts as a lookup when the called name says env, an argument names the environment
# (envMap), or a function of that name in the same file calls os.Getenv/os.LookupEnv; a
# call of any other function with those arguments is not taken for a port.
_ENV_DEFAULT = re.compile(
    r"\b(?P<func>[A-Za-z_][\w.]*)\(\s*(?:(?P<env>\w+)\s*,\s*)?\"(?P<name>(?i:(?:\w+_)?port))\"\s*,"
    r"\s*(?P<port>\d{1,5}|\":?\d{1,5}\")\s*\)"
)
_CMP_OR = re.compile(r"cmp\.Or\(\s*os\.Getenv\(\s*\"(?:\w+_)?PORT\"\s*\)\s*,\s*\"(?::)?(\d{2,5})\"")


@dataclass
class Listener:
    port: int
    host: str
    source: str
    not_service: str = ""  # why it is not the service port (a debug listener, a subcommand's flag)
    secondary: bool = False  # metrics or admin


def _args(code: str, start: int) -> list[str]:
    """The top-level arguments of the call whose ``(`` is just before ``start``."""
    depth, current, out = 0, "", []
    for ch in code[start : start + 400]:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                out.append(current.strip())
                return out
            depth -= 1
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    return []


def _literal_port(value: str) -> tuple[str, int] | None:
    match = re.fullmatch(_ADDR, value)
    if match:
        port = int(match.group("port"))
        return (match.group("host"), port) if 0 < port < 65536 else None
    return None


def listeners(path: str, code: str, imports: Iterable[str], subcommands: Subcommands | None = None) -> list[Listener]:
    """Every address this file's code listens on or sets as a flag default, in file order;
    ``subcommands`` (from :func:`command_tree`) marks the flags of subcommands."""
    subcommands = subcommands or Subcommands()
    found: list[tuple[int, Listener]] = []
    pprof = "net/http/pprof" in imports

    def line(pos: int) -> int:
        return code.count("\n", 0, pos) + 1

    for match in _LISTEN.finditer(code):
        port = int(match.group("port"))
        if match.group(0).startswith("Addr") and match.group("host") not in _BIND_ALL:
            continue  # a client's server address (a database, a cache), not a listener
        if 0 < port < 65536:
            found.append((match.start(), Listener(port, match.group("host"), f"{path}:{line(match.start())} listens on {match.group('host')}:{port}")))
    for match in _FLAG_CALL.finditer(code):
        args = _args(code, match.end())
        at = 1 if match.group("var") else 0
        if len(args) < at + 2 + bool(match.group("short")):
            continue
        flag = args[at].strip('"')
        value = args[at + 1 + bool(match.group("short"))]
        flagged = _flag_listener(flag, value, match.group("kind") == "String", path, line(match.start()))
        sub = subcommand_of(code, match.start(), subcommands) if flagged else ""
        for listener in flagged:
            listener.not_service = sub or listener.not_service
        found += [(match.start(), listener) for listener in flagged]
    for match in _DEFAULT_CALL.finditer(code):
        args = _args(code, match.end())
        if len(args) >= 2 and args[0].startswith('"'):
            found += [(match.start(), listener) for listener in _flag_listener(args[0].strip('"'), args[1], args[1].startswith('"'), path, line(match.start()))]
    for match in _DEFAULT_VALUE.finditer(code):
        host, port = match.group("host"), int(match.group("port"))
        if 0 < port < 65536:
            found.append((match.start(), Listener(port, host, f"{path}:{line(match.start())} a flag defaults to {host}:{port}")))
    for match in _TAG_DEFAULT.finditer(code):
        port = int(match.group(2))
        if 0 < port < 65536:
            found.append((match.start(), Listener(port, "", f"{path}:{line(match.start())} {match.group(1)} defaults to {match.group(2)}")))
    for match in _CLI_FLAG.finditer(code):
        body = match.group("body")
        name = re.search(r"\bName:\s*\"([^\"]+)\"", body)
        value = re.search(r"\bValue:\s*(\"[^\"]*\"|\d+)", body)
        if name and value:
            found += [(match.start(), listener) for listener in _flag_listener(name.group(1), value.group(1), value.group(1).startswith('"'), path, line(match.start()))]
    for match in _PORT_ENV.finditer(code):
        fallback = re.compile(rf"\b{re.escape(match.group(1))}\s*=\s*\"(?::)?(\d{{2,5}})\"").search(code, match.end())
        if fallback and int(fallback.group(1)) < 65536:
            found.append((match.start(), Listener(int(fallback.group(1)), "", f"{path}:{line(fallback.start())} PORT defaults to {fallback.group(1)}")))
    for match in _ENV_DEFAULT.finditer(code):
        port = int(match.group("port").strip('":'))
        func = match.group("func").rsplit(".", 1)[-1]
        body = re.search(rf"\bfunc\s+{re.escape(func)}\s*\((?:[^{{}}]|\{{[^{{}}]*\}})*?\bos\.(?:Getenv|LookupEnv)\(", code)
        says_env = "env" in func.lower() or "env" in (match.group("env") or "").lower() or body
        if says_env and 0 < port < 65536:
            found.append((match.start(), Listener(port, "", f"{path}:{line(match.start())} {match.group('name')} defaults to {port}")))
    for match in _CMP_OR.finditer(code):
        if int(match.group(1)) < 65536:
            found.append((match.start(), Listener(int(match.group(1)), "", f"{path}:{line(match.start())} PORT defaults to {match.group(1)}")))

    result = []
    for _, listener in sorted(found, key=lambda f: f[0]):
        if listener.not_service:
            pass
        elif listener.port == DEBUG_PORT:
            listener.not_service = f"port {DEBUG_PORT} is pprof's debug listener"
        elif pprof and listener.host in _LOOPBACK:
            listener.not_service = "a loopback listener beside net/http/pprof"
        result.append(listener)
    return result


# A command tree (cobra's API): parent.AddCommand(child, newChildCmd(), ...). The image runs the
# program without arguments, so a flag registered on a subcommand (child.Flags(), or cmd.Flags()
# inside a function whose result is added) sets no port the image serves on; only the root
# command's flags, the flag package's and pflag's globals do.
_ADD_COMMAND = re.compile(r"\.AddCommand\s*\(")
_FLAGS_RECEIVER = re.compile(r"\b([A-Za-z_]\w*)\s*\.\s*(?:Persistent|Local)?Flags\s*\(\s*\)\s*$")
_FLAGSET_ALIAS = r"\b{}\s*:?=\s*([A-Za-z_]\w*)\s*\.\s*(?:Persistent|Local)?Flags\s*\(\s*\)"
_FUNC_DECL = re.compile(r"^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*\(", re.MULTILINE)
_CALLED = re.compile(r"^(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*\(.*\)$", re.DOTALL)
_USE = re.compile(r"\bUse:\s*[\"`]([\w.:-]+)")


@dataclass
class Subcommands:
    """What a program's AddCommand calls add: variables and constructor functions, each with
    where it is added."""

    variables: dict[str, str] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)


def command_tree(files: Iterable[tuple[str, str, list[str]]]) -> Subcommands:
    tree = Subcommands()
    for path, code, _ in files:
        for match in _ADD_COMMAND.finditer(code):
            where = f"{path}:{code.count(chr(10), 0, match.start()) + 1}"
            for arg in _args(code, match.end()):
                called = _CALLED.match(arg)
                if called:
                    tree.functions.setdefault(called.group(1), where)
                elif re.fullmatch(r"[A-Za-z_]\w*", arg):
                    tree.variables.setdefault(arg, where)
    return tree


def subcommand_of(code: str, at: int, tree: Subcommands) -> str:
    """Why the flag registered at ``at`` is a subcommand's ('' when it may be the program's)."""
    before = code[max(0, at - 200) : at]
    funcs = list(_FUNC_DECL.finditer(code, 0, at))
    body = code[funcs[-1].start() if funcs else 0 : at]
    receiver = _FLAGS_RECEIVER.search(before)
    if receiver:
        name = receiver.group(1)
    else:  # flags := cmd.Flags(); flags.IntVar(...)
        flag_set = re.search(r"\b([A-Za-z_]\w*)\s*$", before)
        alias = list(re.finditer(_FLAGSET_ALIAS.format(re.escape(flag_set.group(1))), body)) if flag_set else []
        if not alias:
            return ""
        name = alias[-1].group(1)
    local = re.search(rf"\b{re.escape(name)}\s*:=", body)
    use = _USE.findall(body if local else code[: at])
    command = f"subcommand {use[-1]}" if use else "a subcommand"
    if local and funcs and funcs[-1].group(1) in tree.functions:
        return f"a flag of {command}, built by {funcs[-1].group(1)}() and added at {tree.functions[funcs[-1].group(1)]}; the image runs the program without arguments"
    if not local and name in tree.variables:
        declared = re.search(rf"\b{re.escape(name)}\s*=\s*&[\w.]*Command\s*\{{[^{{}}]*?\bUse:\s*[\"`]([\w.:-]+)", code)
        command = f"subcommand {declared.group(1)}" if declared else "a subcommand"
        return f"a flag of {command} ({name}, added at {tree.variables[name]}); the image runs the program without arguments"
    return ""


def _flag_listener(flag: str, value: str, is_string: bool, path: str, line: int) -> list[Listener]:
    flag_l = flag.lower()
    source = f"{path}:{line} flag -{flag} defaults to {value.strip(chr(34))}"
    if is_string:
        parsed = _literal_port(value)
        if not parsed:
            return []
        host, port = parsed
    elif "port" in flag_l and 0 < (number(value) or 0) < 65536:
        host, port = "", int(value)
    else:
        return []
    listener = Listener(port, host, source)
    if any(w in flag_l for w in _DEBUG_FLAG_WORDS):
        listener.not_service = f"flag -{flag} is a debug listener"
    listener.secondary = any(w in flag_l for w in ("metric", "admin", "health", "prometheus", "grpc-gateway"))
    return [listener]


def choose_port(det: Detection, files: list[tuple[str, str, list[str]]]) -> None:
    """Record the service port from ``files`` (path, code, imports), the entrypoint's first."""
    files = list(files)
    tree = command_tree(files)
    found = [listener for path, code, imports in files for listener in listeners(path, code, imports, tree)]
    for listener in found:
        if listener.not_service:
            det.notes.append(f"not the service port: {listener.source} ({listener.not_service})")
    service = [l for l in found if not l.not_service]
    if not service:
        return
    chosen = next((l for l in service if not l.secondary), service[0])
    det.add("port", chosen.port, chosen.source, LIKELY)
    others = sorted({l.port for l in service} - {chosen.port})
    if others:
        det.notes.append(f"the code also listens on {', '.join(f':{p}' for p in others)}; port {chosen.port} is the one EXPOSEd")
    if chosen.host in _LOOPBACK:
        det.notes.append(
            f"{chosen.source}: a loopback address is unreachable from outside the container; "
            "have the program listen on 0.0.0.0 (or all interfaces, e.g. :PORT)"
        )
