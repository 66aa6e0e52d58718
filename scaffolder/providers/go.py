"""Go: ``go.mod``/``go.work`` or a lone ``main`` file; main packages found by reading the code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import LIKELY, Detection, Fact

name = "go"

# Builder versions the template knows how to pin (golang:<version>-<debian>).
SUPPORTED_MINORS = (22, 23, 24)
DEFAULT_VERSION = "1.24"

# Modules that need cgo whatever the project's own code does.
CGO_MODULES = (
    "github.com/mattn/go-sqlite3",
    "github.com/confluentinc/confluent-kafka-go",
    "github.com/go-gl/",
    "github.com/mattn/go-gtk",
    "github.com/shirou/gopsutil/v3/host",  # only with cgo build tag; harmless to list
)
# Directories a server typically reads at run time, unless embedded with //go:embed.
RUNTIME_DIRS = ("templates", "static", "migrations", "public", "assets", "web", "views", "config")
SKIPPED_DIRS = {"vendor", "testdata", "examples", "example", "_examples", "internal/tools"}

_PACKAGE = re.compile(r"^\s*package\s+(\w+)", re.MULTILINE)
_FUNC_MAIN = re.compile(r"^func\s+main\s*\(\s*\)", re.MULTILINE)
_IMPORT_C = re.compile(r'^\s*import\s+"C"|^\s*import\s*\([^)]*^\s*"C"\s*$', re.MULTILINE | re.DOTALL)
_BUILD_IGNORE = re.compile(r"^//go:build\s+ignore\b|^//\s*\+build\s+ignore\b", re.MULTILINE)
_EMBED = re.compile(r"^//go:embed\s+(.+)$", re.MULTILINE)
_VERSION = re.compile(r"^(?:go)?1\.(\d+)(?:\.\d+|rc\d+)?$")


@dataclass
class GoMod:
    path: str
    module: str = ""
    go: str = ""
    go_line: int = 0
    toolchain: str = ""
    toolchain_line: int = 0
    requires: list[str] = field(default_factory=list)


_DIRECTIVES = {"module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore"}


def parse_go_mod(repo: Repo, rel: str) -> GoMod:
    """Parse the directives scaffold needs; anything that is not go.mod syntax is an error."""
    mod = GoMod(rel)
    block: str | None = None
    for number, raw in enumerate(repo.read_text(rel).splitlines(), 1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if block:
            if line == ")":
                block = None
            elif block == "require":
                mod.requires.append(line.split()[0])
            continue
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word not in _DIRECTIVES:
            raise InputError(rel, f"unknown directive {word!r}", line=number, hint="is this a go.mod file? run `go mod tidy`")
        if rest == "(":
            block = word
        elif word == "module":
            mod.module = rest.strip('"')
        elif word == "go":
            if not _VERSION.match(rest):
                raise InputError(rel, f"invalid go version {rest!r}", line=number, hint="expected e.g. `go 1.23`")
            mod.go, mod.go_line = rest, number
        elif word == "toolchain":
            if not _VERSION.match(rest):
                raise InputError(rel, f"invalid toolchain {rest!r}", line=number, hint="expected e.g. `toolchain go1.23.4`")
            mod.toolchain, mod.toolchain_line = rest, number
        elif word == "require":
            mod.requires.append(rest.split()[0])
    if block:
        raise InputError(rel, f"unterminated {block} block", hint="add the closing parenthesis")
    if not mod.module and rel.endswith("go.mod"):
        raise InputError(rel, "no module directive", line=1, hint="add `module <path>` or run `go mod init`")
    return mod


def _minor(version: str) -> int:
    match = _VERSION.match(version)
    return int(match.group(1)) if match else 0


def _skipped(path: str) -> bool:
    parts = PurePosixPath(path).parts[:-1]
    return any(p in SKIPPED_DIRS or p.startswith((".", "_")) for p in parts)


def _go_sources(repo: Repo) -> dict[str, list[str]]:
    """Non-test .go files by directory, outside vendor/, testdata/ and examples."""
    by_dir: dict[str, list[str]] = {}
    for path in repo.files:
        if path.endswith(".go") and not path.endswith("_test.go") and not _skipped(path):
            by_dir.setdefault(str(PurePosixPath(path).parent), []).append(path)
    return by_dir


def _binary_name(pkg_dir: str, module: str, repo: Repo) -> str:
    if pkg_dir != ".":
        return PurePosixPath(pkg_dir).name
    if module:
        return module.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^a-z0-9._-]+", "-", repo.root.name.lower()).strip("-.") or "app"


def detect(repo: Repo) -> Detection | None:
    go_mod = repo.exists("go.mod")
    go_work = repo.exists("go.work")
    by_dir = _go_sources(repo)
    if not (go_mod or go_work or by_dir):
        return None

    det = Detection(name, "go.work" if go_work else "go.mod" if go_mod else "*.go files")
    modules: list[GoMod] = []
    if go_work:
        work = parse_go_mod(repo, "go.work")
        if work.go:
            modules.append(work)
        det.add("go_workspace", True, "go.work")
    if go_mod:
        modules.append(parse_go_mod(repo, "go.mod"))
    for path in repo.files:
        if path.endswith("/go.mod") and not _skipped(path) and go_work:
            modules.append(parse_go_mod(repo, path))
    det.add("go_module", bool(go_mod or go_work), "go.mod" if go_mod else "go.work" if go_work else "no go.mod: files are built directly")

    _detect_version(det, modules)

    mains: list[tuple[str, str, list[str]]] = []  # (dir, source file, files)
    cgo_sources: list[str] = []
    embeds: list[str] = []
    for pkg_dir, files in sorted(by_dir.items()):
        main_file = ""
        for path in files:
            text = repo.read_text(path)
            if _BUILD_IGNORE.search(text):
                continue
            if _IMPORT_C.search(text):
                cgo_sources.append(path)
            embeds += [e for m in _EMBED.findall(text) for e in m.split()]
            package = _PACKAGE.search(text)
            if package and package.group(1) == "main" and _FUNC_MAIN.search(text):
                main_file = path
        if main_file:
            mains.append((pkg_dir, main_file, files))

    module = next((m.module for m in modules if m.path == "go.mod"), "")
    if not mains:
        det.ask("go_packages", "no `package main` with `func main()` was found", [])
    else:
        candidates = []
        for pkg_dir, main_file, files in mains:
            if go_mod or go_work:
                target = "." if pkg_dir == "." else f"./{pkg_dir}"
            else:
                # Without go.mod the files are passed to `go build` directly.
                target = " ".join(f"./{f}" for f in files)
            candidates.append(Fact("go_packages", target, f"{main_file} (package main, func main)"))
        if len(candidates) == 1:
            det.add("go_packages", [candidates[0].value], candidates[0].source)
            binary = _binary_name(mains[0][0], module, repo) if (go_mod or go_work) else PurePosixPath(mains[0][1]).stem
            det.add("go_entrypoint", binary, candidates[0].source, LIKELY)
        else:
            det.add("go_packages", [c.value for c in candidates], ", ".join(m[1] for m in mains), LIKELY)
            det.ask(
                "go_entrypoint",
                f"{len(mains)} main packages: every binary is built, pick the one the container runs",
                [Fact("go_entrypoint", _binary_name(d, module, repo), f) for d, f, _ in mains],
            )

    cgo_modules = sorted({r for m in modules for r in m.requires for c in CGO_MODULES if r.startswith(c)})
    if cgo_sources:
        det.add("go_cgo", True, f'{cgo_sources[0]} (import "C")')
    elif cgo_modules:
        det.add("go_cgo", True, f"go.mod requires {cgo_modules[0]} (needs cgo)")
    else:
        det.add("go_cgo", False, 'no import "C" and no cgo module', LIKELY)

    if repo.exists("vendor/modules.txt"):
        det.add("go_vendor", True, "vendor/modules.txt")
    else:
        det.add("go_vendor", False, "no vendor/modules.txt")

    embedded = {PurePosixPath(e.strip('"`')).parts[0] for e in embeds if e.strip('"`')}
    runtime = [
        d for d in RUNTIME_DIRS if d not in embedded and any(f.startswith(d + "/") for f in repo.files)
    ]
    if runtime:
        det.add("go_runtime_dirs", runtime, "directories read at run time (not //go:embed)", LIKELY)
    return det


def _detect_version(det: Detection, modules: list[GoMod]) -> None:
    # The newest requirement across go/toolchain lines picks the builder.
    best: tuple[int, str] | None = None
    for mod in modules:
        for version, line, what in ((mod.go, mod.go_line, "go"), (mod.toolchain, mod.toolchain_line, "toolchain")):
            if version and (best is None or _minor(version) > best[0]):
                best = (_minor(version), f"{mod.path}:{line} ({what} {version})")
    if best is None:
        det.add("go_version", DEFAULT_VERSION, "no go directive; newest supported builder", LIKELY)
        return
    minor, source = best
    chosen = max(minor, SUPPORTED_MINORS[0])
    if chosen > SUPPORTED_MINORS[-1]:
        det.notes.append(f"Go 1.{minor} is newer than the builders scaffold pins; using golang:1.{minor}")
    det.add("go_version", f"1.{chosen}", source)
