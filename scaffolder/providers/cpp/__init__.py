"""C and C++: CMake, Meson, autotools, plain Make, or lone source files.

Each build system has a reader (cmake, meson, autotools, make) returning a BuildInfo: executable
targets with where they were declared and why some are skipped, and the system libraries the build
looks for. This module turns that into answers: which target the image runs, the Debian packages
the builder installs (libraries.py), and whether the binary links statically (scratch) or
dynamically (distroless cc), with the reason as the source.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from pathlib import PurePosixPath

from scaffolder import _policy
from scaffolder._repo import Repo, View
from scaffolder.errors import InputError, excerpt
from scaffolder.providers import CERTAIN, LIKELY, Detection, Fact
from scaffolder.providers.cpp import autotools, cmake, make, meson
from scaffolder.providers.cpp._model import BuildInfo, Dependency, Target, dir_skip_reason, line_of, name_parts, skip_reason, without_comments
from scaffolder.providers._debian import table
from scaffolder.providers._tools import add_runtime_packages, c_commands
from scaffolder.providers.cpp.libraries import Library, boost_component, lookup, platform_of

name = "cpp"

C_SUFFIXES = (".c",)
CXX_SUFFIXES = (".cpp", ".cc", ".cxx", ".c++", ".C")
HEADER_SUFFIXES = (".h", ".hh", ".hpp", ".hxx", ".inl", ".ipp")
SOURCE_SUFFIXES = C_SUFFIXES + CXX_SUFFIXES
SCANNED_SUFFIXES = SOURCE_SUFFIXES + HEADER_SUFFIXES
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")

_MAIN = re.compile(rb"^[ \t]*(?:int|auto|void|signed|static\s+int)?[ \t]*\bmain[ \t]*\([^;{]*\)[ \t\r\n]*(?:->[ \t]*int[ \t\r\n]*)?\{", re.MULTILINE)
# glibc functions that dlopen NSS or other modules: a static binary calling them breaks at run time.
_NSS_CALL = re.compile(rb"\b(getaddrinfo|gethostbyname2?|gethostbyaddr|getpwnam|getpwuid|getgrnam|getgrgid|getservbyname|getprotobyname|dlopen|iconv_open)\s*\(")
# The scan for such calls stops after this many files and bytes: detection stays fast on huge trees.
_MAX_SCANNED = 1000
_MAX_BYTES = 2_000_000
_MAX_TOTAL = 32_000_000


def _sources(repo: Repo) -> list[str]:
    return [f for f in repo.files if f.endswith(SOURCE_SUFFIXES)]


def _read_bytes(repo: Repo, rel: str) -> bytes:
    try:
        return repo.read_bytes(rel, limit=_MAX_BYTES)
    except InputError:
        return b""  # a source the scan cannot read holds no evidence


def detect(repo: Repo) -> Detection | None:
    sources = _sources(repo)
    if not sources:
        return None  # a Makefile or meson.build alone does not make a C/C++ project (task runners)
    found = [
        system
        for system, present in (
            ("cmake", repo.exists("CMakeLists.txt")),
            ("meson", repo.exists("meson.build")),
            ("autotools", bool(autotools.configure_ac(repo)) or repo.exists("configure")),
            ("make", any(repo.exists(m) for m in MAKEFILES)),
        )
        if present
    ]
    # Fixtures, cgo sources or a task runner: a note beside another language, not a project.
    yields = _owned_elsewhere(repo, sources, found)
    if found:
        system = found[0]
        if system == "cmake":
            info = cmake.read(repo)
        elif system == "meson":
            info = meson.read(repo)
        elif system == "autotools":
            info = autotools.read(repo)
        else:
            info = make.read(repo, next(m for m in MAKEFILES if repo.exists(m)))
        # A Makefile next to configure is usually its output; next to CMake or Meson, a wrapper.
        others = [s for s in found[1:] if not (system == "autotools" and s == "make")]
        det = Detection(name, info.source, loose=bool(yields), loose_reason=yields)
        if others:
            det.add("cpp_build_system", system, f"{info.source} (also found: {', '.join(others)}; the first wins)", LIKELY)
        else:
            det.add("cpp_build_system", system, info.source)
    else:
        info = _single(repo, sources)
        if info is None:
            return None
        det = Detection(name, info.source, loose=True, loose_reason=yields or "no manifest or build file")
        det.add("cpp_build_system", "single", f"{info.source} (no build file)")

    _language(det, info, sources)
    for fact_name, (value, source) in info.facts.items():
        det.add(fact_name, value, source, LIKELY if fact_name == "cpp_source" else CERTAIN)
    for q_name, reason, candidates in info.questions:
        det.ask(q_name, reason, [Fact(q_name, v, s) for v, s in candidates])
    _targets(repo, det, info)
    _manifests(repo, info)
    libs, blockers = _packages(det, info)
    _link(repo, det, libs, blockers, info)
    _library_needs(det, libs)
    _static_options(det, info)
    code = list(_project_sources(repo))
    _runtime_tools(det, code)
    _port(det, code, _project(repo, info)[0])
    det.notes.extend(info.notes)
    det.notes.extend(_empty_submodules(repo, info))
    return det


_SUBMODULE_PATH = re.compile(r"(?m)^[ \t]*path[ \t]*=[ \t]*(\S+)[ \t]*$")


def _empty_submodules(repo: Repo, info: BuildInfo) -> list[str]:
    """Notes on git submodules the build file names but that hold no files here (an archive, or a
    clone without --recurse-submodules): the build cannot use the bundled copy, so a library the
    Debian table knows comes from Debian, and any other needs the submodules checked out."""
    if not repo.exists(".gitmodules") or not repo.exists(info.source):
        return []
    build_text = repo.read_text(info.source)
    modules_text = repo.read_text(".gitmodules")
    notes: list[str] = []
    for m in _SUBMODULE_PATH.finditer(modules_text):
        path = m.group(1).strip("/")
        at = build_text.find(path)
        if at < 0 or any(f.startswith(path + "/") for f in repo.files):
            continue
        where = f".gitmodules:{line_of(modules_text, m.start())}, named at {info.source}:{line_of(build_text, at)}"
        lib = lookup(PurePosixPath(path).name, "pkg-config")
        needed = lib is not None and any(lookup(d.name, d.ecosystem) is lib for d in info.dependencies)
        instead = (
            f"the build uses Debian's {' '.join(lib.build)} instead" if needed and lib.build
            else "check the submodules out (git submodule update --init) before building"
        )
        notes.append(f"{path} ({where}): a git submodule with no files here; {instead}")
    return notes


# Directories whose C/C++ files are not the project's program: fixtures and test data.
_FIXTURE_DIRS = frozenset({"testdata", "fixtures", "fixture", "test-data", "test_data"})


def _owned_elsewhere(repo: Repo, sources: list[str], systems: list[str]) -> str:
    """Why the C/C++ found is not a project of its own, beside another language ('' if it may
    be): every source is a test fixture, example or third-party file; every source sits in a
    Go package (cgo compiles it); or the only build file is a Makefile driving other tools."""
    own = [s for s in sources if not _helper_source(s)]
    if not own:
        return f"C/C++ sources only in tests, fixtures, examples or third-party code ({sources[0]})"
    go_dirs = {posixpath.dirname(f) for f in repo.with_suffix(".go")}
    if go_dirs and all(posixpath.dirname(s) in go_dirs for s in own):
        return f"C/C++ sources only beside Go files, compiled by cgo ({own[0]})"
    if systems == ["make"]:
        makefile = next(m for m in MAKEFILES if repo.exists(m))
        driven = make.drives_other_tools(repo, makefile)
        if driven:
            return f"{driven} and compiles no C/C++"
    return ""


def _helper_source(path: str) -> bool:
    directory = posixpath.dirname(path)
    parts = directory.split("/") if directory else []
    return bool(dir_skip_reason(directory)) or any(p.startswith((".", "_")) or p.lower() in _FIXTURE_DIRS for p in parts)


def _single(repo: Repo, sources: list[str]) -> BuildInfo | None:
    """No build system: the only source file, or the root's sources when one of them has main()."""
    if len(sources) == 1:
        source = sources[0]
        info = BuildInfo("single", source)
        info.facts["cpp_source"] = (source, f"{source} (the only source file)")
        info.targets = [Target(PurePosixPath(source).stem, f"{source} (file name)")]
        return info
    root = [s for s in sources if "/" not in s]
    mains = [s for s in root if not skip_reason(PurePosixPath(s).stem) and _MAIN.search(_read_bytes(repo, s))]
    if not mains:
        return None
    others = [s for s in root if s not in mains]
    others = [s for s in others if not _MAIN.search(_read_bytes(repo, s))]
    info = BuildInfo("single", mains[0])
    if len(mains) == 1:
        files = " ".join([mains[0], *others])
        info.facts["cpp_source"] = (files, f"{mains[0]} (defines main) and the other sources at the root")
    else:
        info.questions.append(
            ("cpp_source", f"{len(mains)} source files define main(): pick the program the image runs",
             [(" ".join([m, *others]), f"{m} (defines main)") for m in mains])
        )
    info.targets = [Target(PurePosixPath(mains[0]).stem, f"{mains[0]} (file name)")] if len(mains) == 1 else []
    return info


def _language(det: Detection, info: BuildInfo, sources: list[str]) -> None:
    """C or C++ from the build file, else from the program's own sources: a fuzz target, test or
    third-party file in C++ (devel/fuzz_socket.cc beside a C server) does not choose g++."""
    if info.languages:
        det.add("cpp_language", "cpp" if "cpp" in info.languages else "c", info.language_source)
        return
    own = [s for s in sources if not _helper_source(s) and not skip_reason(PurePosixPath(s).stem)]
    helpers = [s for s in sources if s not in own and s.endswith(CXX_SUFFIXES)]
    if any(s.endswith(CXX_SUFFIXES) for s in own or sources):
        det.add("cpp_language", "cpp", "C++ source files (.cpp, .cc, .cxx)", LIKELY)
    elif helpers:
        det.add("cpp_language", "c", f"only C source files (.c) outside tests, fuzz targets, examples and third-party code (C++ in {helpers[0]})", LIKELY)
    else:
        det.add("cpp_language", "c", "only C source files (.c)" if sources else "no C++ source files", LIKELY)


# What a project calls its service when no program has the project's own name: redis-server, sshd.
_SERVER_NAMES = ("{}-server", "{}d", "{}-daemon")


def _named_after(kept: list[Target], project: str) -> tuple[Target, str] | None:
    """The one program named after the project, else the one named as the project's server."""
    if not project:
        return None
    names = {id(t): t.binary or PurePosixPath(t.name).name for t in kept}
    for wanted, how in (({project}, "named after the project"), ({f.format(project) for f in _SERVER_NAMES}, "named as the project's server")):
        named = [t for t in kept if names[id(t)] in wanted]
        if len(named) == 1:
            return named[0], how
        if named:
            return None
    return None


def _project(repo: Repo, info: BuildInfo) -> tuple[str, str]:
    """The project's name and where it is declared."""
    if not info.project[0] and info.system == "make":
        # Plain Make declares no project name: the repository's directory names it.
        return repo.root.name, "the repository's directory name"
    return info.project


def _targets(repo: Repo, det: Detection, info: BuildInfo) -> None:
    if any(q.name == "cpp_source" for q in det.questions):
        det.ask("cpp_target", "name the executable once cpp_source is chosen", [])
        return
    kept = [t for t in info.targets if not t.skipped]
    skipped = [t for t in info.targets if t.skipped]
    if skipped:
        shown = ", ".join(f"{t.name} ({t.skipped}; {t.source})" for t in skipped[:8])
        more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
        det.notes.append(f"not candidates for the image: {shown}{more}")
    if len(kept) > 1 and any(t.installed for t in kept):
        dropped = [t.name for t in kept if not t.installed]
        kept = [t for t in kept if t.installed]
        det.notes.append(f"only installed programs are candidates; not installed: {', '.join(dropped)}")
    certainty = LIKELY if info.system == "single" else CERTAIN
    if not kept and info.unnamed:
        # A program the build makes under a name scaffold cannot read: asked, with the expression.
        det.ask("cpp_target", "; ".join(info.unnamed) + ": give the program's name",
                [Fact("cpp_target", t.name, f"{t.source}, {t.skipped}") for t in skipped])
        return
    det.notes.extend(info.unnamed)
    if not kept:
        reason = "no executable target was found" + (" besides tests, benchmarks and examples" if skipped else "")
        det.ask("cpp_target", reason, [Fact("cpp_target", t.name, f"{t.source}, {t.skipped}") for t in skipped])
        if not det.loose:
            det.loose, det.loose_reason = True, f"{reason}: it builds no program"
        return
    project, declared = _project(repo, info)
    named = _named_after(kept, project)
    if len(kept) > 1 and named:
        # Several programs, one named after the project (or as its server, redis-server): the one it ships.
        program, how = named
        det.notes.append(f"other programs, not run by the image: {', '.join(t.name for t in kept if t is not program)}")
        kept = [dataclasses.replace(program, source=f"{program.source}, {how} ({declared})")]
    det.choose(
        "cpp_target",
        [Fact("cpp_target", t.name, t.source, certainty) for t in kept],
        f"{len(kept)} executable targets: pick the one the image runs",
    )
    if len(kept) == 1 and kept[0].binary:
        det.add("cpp_binary", kept[0].binary, f"{kept[0].source}: OUTPUT_NAME")


# --- Conan and vcpkg manifests -----------------------------------------------------------------

_CONAN_REF = re.compile(r"""["']([A-Za-z0-9_.+-]+)/[^"'\s]+["']""")


def _manifests(repo: Repo, info: BuildInfo) -> None:
    """Conan and vcpkg packages cannot be fetched by the generated build: report them and use the
    Debian packages of the same libraries instead."""
    for rel in ("conanfile.txt", "conanfile.py"):
        if not repo.exists(rel):
            continue
        text = repo.read_text(rel)
        names: list[tuple[str, int]] = []
        if rel.endswith(".txt"):
            section = ""
            for number, line in enumerate(text.splitlines(), 1):
                line = line.split("#", 1)[0].strip()
                if line.startswith("["):
                    if not line.endswith("]"):
                        raise InputError(rel, f"malformed section header {line!r}", line=number, hint="write [requires]")
                    section = line[1:-1].strip()
                elif line and section in ("requires", "tool_requires", "build_requires"):
                    if "/" not in line:
                        raise InputError(rel, f"malformed reference {line!r}", line=number, hint="write name/version")
                    if section == "requires":
                        names.append((line.split("/", 1)[0], number))
        else:
            for match in _CONAN_REF.finditer(text):
                names.append((match.group(1), line_of(text, match.start())))
        _manifest_deps(info, rel, "conan", names)
    if repo.exists("vcpkg.json"):
        manifest = repo.json_view("vcpkg.json")
        names = []
        at = 0  # the dependencies appear in order: each is looked for after the one before
        for dep in manifest.array("dependencies"):
            if isinstance(dep, dict):  # {"name": "boost-asio", "host": true, ...}
                entry = View(manifest.rel, dep, text=manifest.text, json=True, keys=("dependencies",))
                if entry.boolean("host", False):
                    continue
                dep = entry.string("name")
            if not isinstance(dep, str) or not dep:
                raise manifest.error("dependencies", "an array of port names or objects with a name")
            found = manifest.text.find(json.dumps(dep, ensure_ascii=False), at) if at >= 0 else -1
            at = found + 1 if found >= 0 else -1  # written with escapes: no line for it or those after
            names.append((dep, line_of(manifest.text, found) if found >= 0 else 0))
        _manifest_deps(info, "vcpkg.json", "vcpkg", names)


def _manifest_deps(info: BuildInfo, rel: str, ecosystem: str, names: list[tuple[str, int]]) -> None:
    tool = "Conan" if ecosystem == "conan" else "vcpkg"
    for dep_name, line in names:
        where = f"{rel}:{line}" if line else rel
        components = (dep_name.removeprefix("boost-").replace("-", "_"),) if ecosystem == "vcpkg" and dep_name.startswith("boost-") else ()
        info.dependencies.append(Dependency(dep_name, ecosystem, f"{where} ({tool})", True, components))
    if names:
        info.notes.append(
            f"{rel}: {tool} packages cannot be fetched by the generated build; "
            f"the same libraries are installed from Debian instead ({', '.join(n for n, _ in names)})"
        )


# --- Packages and linking ----------------------------------------------------------------------

_HEADER_ONLY_BOOST = {"headers", "asio", "beast", "spirit", "hana", "optional", "variant", "any", "algorithm", "format"}


def _packages(det: Detection, info: BuildInfo) -> tuple[list[tuple[Library, Dependency]], list[str]]:
    """Map the dependencies to Debian packages; returns the libraries and why static linking may fail."""
    libs: list[tuple[Library, Dependency]] = []
    unknown_required: list[Dependency] = []
    blockers: list[str] = []
    needs_pkg_config = False
    for dep in info.dependencies:
        platform = platform_of(dep.name) if dep.ecosystem in ("lib", "cmake") else ""
        if platform:
            det.notes.append(f"{dep.name} ({dep.source}): a {platform} system library, not linked on Linux; left out")
            continue
        lib = lookup(dep.name, dep.ecosystem)
        if dep.ecosystem in ("pkg-config",) or (dep.ecosystem == "meson" and lib is not None and lib.kind not in ("libc", "toolchain") and lib.key != "boost"):
            needs_pkg_config = True
        if lib is not None and lib.missing:
            det.notes.append(f"{dep.name} ({dep.source}): {lib.missing}")
        if lib is None:
            if dep.required:
                unknown_required.append(dep)
            else:
                det.notes.append(f"optional {dep.name} ({dep.source}): no Debian package known; it is left out")
            continue
        libs.append((lib, dep))
        if lib.key == "boost":
            for component in dep.components:
                if component.lower() not in _HEADER_ONLY_BOOST:
                    libs.append((boost_component(component), dep))
    if needs_pkg_config and info.system in ("cmake", "meson", "autotools", "make"):
        libs.append((Library("pkgconfig", ("pkg-config",)), Dependency("pkg-config", "tool", "pkg-config modules")))

    packages: list[str] = []
    sources: list[str] = []
    seen: set[str] = set()
    for lib, dep in libs:
        if lib.key not in seen:
            seen.add(lib.key)
            if lib.build:
                sources.append(f"{dep.name} ({dep.source}) -> {' '.join(lib.build)}")
        packages.extend(p for p in lib.build if p not in packages)
        if not lib.static and not lib.test_only:
            blockers.append(f"{dep.name} ({dep.source}): {lib.why_dynamic}")
    packages.sort()
    if unknown_required:
        names = excerpt("; ".join(f"{d.name} ({d.source})" for d in unknown_required), 48)
        det.ask(
            "cpp_build_packages",
            f"the Debian table knows no package for {names}: list those the build needs (apt-cache search)",
            [Fact("cpp_build_packages", packages, "; ".join([*sources, f"the Debian table covers {table().checked}"]), LIKELY)],
        )
        blockers.extend(f"{d.name} ({d.source}): not a library scaffold knows links statically" for d in unknown_required)
    else:
        det.add("cpp_build_packages", packages, "; ".join(sources) if sources else "no system libraries found", LIKELY)
    runtime = sorted({p for lib, _ in libs if not lib.test_only for p in lib.runtime})
    if runtime:
        det.notes.append(
            "run-time libraries (dynamic linking): " + ", ".join(runtime)
            + "; the build copies exactly the ones the binary loads (ldd) that distroless cc lacks"
        )
    return libs, blockers


def _link(repo: Repo, det: Detection, libs: list, blockers: list[str], info: BuildInfo) -> None:
    if blockers:
        det.add("cpp_link", "dynamic", "; ".join(blockers), LIKELY)
        return
    calls = _nss_calls(repo)
    if calls:
        det.add(
            "cpp_link", "dynamic",
            f"{calls} calls glibc functions that load modules at run time; a static glibc binary cannot", LIKELY,
        )
        return
    shown = ", ".join(lib.key for lib, _ in libs if lib.runtime)
    why = f"{shown}: static archives in Debian" if shown else "no system libraries"
    det.add("cpp_link", "static", f"{why}, and no call that needs glibc's run-time modules: runs on scratch", LIKELY)


def _library_needs(det: Detection, libs: list[tuple[Library, Dependency]]) -> None:
    """What the linked libraries need beyond their -dev packages: the libraries a static link must
    append (pkg-config --static of the modules the table names), and terminfo entries for curses.
    Nothing needed leaves the answers at their defaults ([] and false)."""
    linked = [(lib, dep) for lib, dep in libs if not lib.test_only]
    extras = {lib.key: (lib, dep) for lib, dep in linked if lib.static_pkg_config}
    if extras:
        det.add(
            "cpp_static_pkg_config",
            sorted({m for lib, _ in extras.values() for m in lib.static_pkg_config}),
            "; ".join(
                f"{dep.name} ({dep.source}): its static archive needs pkg-config --static --libs {' '.join(lib.static_pkg_config)} after it"
                for lib, dep in extras.values()
            ),
        )
    curses = next((dep for lib, dep in linked if lib.terminfo), None)
    if curses:
        det.add("cpp_terminfo", True, f"{curses.name} ({curses.source}): curses reads the terminal's terminfo entry at start")


def _static_options(det: Detection, info: BuildInfo) -> None:
    """A static build turns the project's own shared-library options off (the template sets
    BUILD_SHARED_LIBS=OFF itself)."""
    if not info.shared_options or next((f.value for f in det.facts if f.name == "cpp_link"), "") != "static":
        return
    current = next((f for f in det.facts if f.name == "cpp_configure_args"), None)
    value = " ".join([*([current.value] if current and current.value else []), *(f"-D{o}=OFF" for o, _ in info.shared_options)])
    source = "; ".join([
        *([current.source] if current else []),
        *(f"option({o} ... ON) at {w}: a static program links the project's libraries statically" for o, w in info.shared_options),
    ])
    det.add("cpp_configure_args", value, source, current.certainty if current else CERTAIN)


def _project_sources(repo: Repo):
    """(path, code without comments) of the project's own sources and headers: not tests,
    examples or third-party code (by directory or file name: src/subprocess_test.cc), within the
    scan's caps."""
    scanned = total = 0
    skipped_dirs: dict[str, bool] = {}
    for rel in repo.files:
        if not rel.endswith(SCANNED_SUFFIXES):
            continue
        directory = rel.rpartition("/")[0]
        if directory not in skipped_dirs:
            skipped_dirs[directory] = bool(dir_skip_reason(directory))
        if skipped_dirs[directory] or skip_reason(PurePosixPath(rel).stem):
            continue
        scanned += 1
        if scanned > _MAX_SCANNED or total > _MAX_TOTAL:
            return
        data = _read_bytes(repo, rel)
        total += len(data)
        yield rel, without_comments(data)


def _runtime_tools(det: Detection, sources: list[tuple[str, bytes]]) -> None:
    """Programs the code runs (execvp("git", ...), system("gzip ...")): run-time packages."""
    starts = [rel for rel, data in sources if _MAIN.search(data)]
    add_runtime_packages(det, "cpp_runtime_packages", c_commands(sources), _policy.debian_release("cpp"), starts)


def _nss_calls(repo: Repo) -> str:
    """Where the sources call getaddrinfo, getpwnam, dlopen and the like ('' if nowhere)."""
    for rel, data in _project_sources(repo):
        match = _NSS_CALL.search(data)
        if match:
            return f"{rel}:{line_of(data, match.start())} ({match.group(1).decode()})"
    return ""


# --- The port ----------------------------------------------------------------------------------

# `#define CONFIG_DEFAULT_SERVER_PORT 6379`: a name with the word PORT and an integer literal.
_PORT_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+(\w*port\w*)[ \t]+\(?[ \t]*([0-9]{1,5})[ \t]*\)?[ \t]*$", re.MULTILINE | re.IGNORECASE)
# `static uint16_t bindport = 8080;`: a variable of an integer type declared with a literal
# (file scope or a function's local default), one declaration per line.
_PORT_VARIABLE = re.compile(
    rb"^[ \t]*(?:(?:static|const|constexpr|volatile|unsigned|signed|register)[ \t]+)*"
    rb"(?:std::)?(?:u?int(?:16|32|64)?(?:_t)?|u_int(?:16|32)?(?:_t)?|u_short|ushort|short|long|unsigned|in_port_t)"
    rb"(?:[ \t]+int)?[ \t]+(\w*port\w*)[ \t]*=[ \t]*\(?[ \t]*([0-9]{1,5})[ \t]*\)?[ \t]*[;,]",
    re.MULTILINE | re.IGNORECASE,
)
_LISTEN = re.compile(rb"\blisten\s*\(")
# Words that say which port a name is without naming another endpoint: besides these (and the
# project's or program's own name) a name speaks of something else (REDIS_SENTINEL_PORT,
# CLUSTER_PORT_INCR, REPL_STATE_SEND_PORT), not the port the server listens on.
_PORT_WORDS = frozenset({"port", "default", "def", "dflt", "server", "srv", "service", "listen", "listening", "config",
                         "cfg", "conf", "tcp", "http", "web", "main", "bind", "num", "number", "no",
                         "k"})  # kDefaultPort: the constant prefix of Google's C++ style


def _port_words(name: str, own: set[str]) -> list[str]:
    """A port name's words, a word glued to PORT split off when it says which port (bindport,
    portno, srvport), so SUPPORT or EXPORT stay one word that is not PORT."""
    words: list[str] = []
    for word in name_parts(name):
        head, tail = word[:-4], word[4:]
        if word.endswith("port") and (head in _PORT_WORDS or head in own):
            words += [head, "port"]
        elif word.startswith("port") and (tail in _PORT_WORDS or tail in own):
            words += ["port", tail]
        else:
            words.append(word)
    return words


def _port(det: Detection, sources: list[tuple[str, bytes]], project: str) -> None:
    """The port a server's code defines (#define DEFAULT_PORT 8080, static uint16_t bindport = 8080)
    when the code listens; several that disagree are a question with each one's line."""
    target = next((f.value for f in det.facts if f.name == "cpp_target"), "")
    own = {*name_parts(project), *name_parts(posixpath.basename(str(target)))}
    candidates: list[Fact] = []
    other: list[str] = []
    listens = ""
    for rel, code in sources:
        if not listens and (m := _LISTEN.search(code)):
            listens = f"{rel}:{line_of(code, m.start())}"
        found = [(m, f"#define {m.group(1).decode()} {int(m.group(2))}") for m in _PORT_DEFINE.finditer(code)]
        found += [(m, f"{m.group(1).decode()} = {int(m.group(2))}") for m in _PORT_VARIABLE.finditer(code)]
        for m, what in sorted(found, key=lambda f: f[0].start()):
            name, value = m.group(1).decode(), int(m.group(2))
            if not 0 < value < 65536:
                continue
            where = f"{rel}:{line_of(code, m.start())} {what}"
            words = _port_words(name, own)
            if "port" not in words:
                continue  # SUPPORTED, EVPORT: the letters, not the word
            if extra := [w for w in words if w not in _PORT_WORDS and w not in own]:
                other.append(f"{where} ({', '.join(extra)})")
            else:
                candidates.append(Fact("port", value, where, LIKELY))
    if candidates and not listens:
        det.notes.append(f"no port: the code never calls listen(), so {candidates[0].source} is not a port it serves")
        return
    if other and listens:
        shown = "; ".join(other[:4]) + (f" and {len(other) - 4} more" if len(other) > 4 else "")
        det.notes.append(f"not read as the port the server listens on (the name says more than its port): {shown}")
    if candidates:
        found = [dataclasses.replace(c, source=f"{c.source}, and the code listens ({listens} listen())") for c in candidates]
        det.choose("port", found, "the code defines several ports: pick the one the server listens on")
