"""C and C++: CMake, Meson, autotools, plain Make, or a lone source file."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.providers import LIKELY, Detection, Fact

name = "cpp"

C_SUFFIXES = (".c",)
CXX_SUFFIXES = (".cpp", ".cc", ".cxx", ".c++")
SKIPPED_TARGET = re.compile(r"(^|[_-])(tests?|bench(mark)?s?|examples?|demo)([_-]|$)", re.IGNORECASE)

_ADD_EXECUTABLE = re.compile(r"^\s*add_executable\s*\(\s*([A-Za-z0-9_.+-]+)([^)]*)\)", re.MULTILINE | re.IGNORECASE)
_MAKE_TARGET = re.compile(r"^([A-Za-z0-9_./+-]+)\s*:(?!=)", re.MULTILINE)


def _sources(repo: Repo) -> list[str]:
    return [f for f in repo.files if f.endswith(C_SUFFIXES + CXX_SUFFIXES)]


def _language(sources: list[str]) -> str:
    return "cpp" if any(s.endswith(CXX_SUFFIXES) for s in sources) else "c"


def _targets(det: Detection, candidates: list[Fact]) -> None:
    kept = [c for c in candidates if not SKIPPED_TARGET.search(c.value)] or candidates
    if not kept:
        det.ask("cpp_target", "no executable target was found", [])
    else:
        det.choose("cpp_target", kept, f"{len(kept)} executable targets: pick the one the image runs")


def detect(repo: Repo) -> Detection | None:
    sources = _sources(repo)
    if repo.exists("CMakeLists.txt"):
        det = Detection(name, "CMakeLists.txt")
        det.add("cpp_build_system", "cmake", "CMakeLists.txt")
        found = []
        for path in repo.files:
            if PurePosixPath(path).name == "CMakeLists.txt":
                text = repo.read_text(path)
                for match in _ADD_EXECUTABLE.finditer(text):
                    if "IMPORTED" in match.group(2).upper():
                        continue
                    line = text[: match.start()].count("\n") + 1
                    found.append(Fact("cpp_target", match.group(1), f"{path}:{line} (add_executable)"))
        _targets(det, found)
    elif repo.exists("Makefile") or repo.exists("makefile"):
        makefile = "Makefile" if repo.exists("Makefile") else "makefile"
        det = Detection(name, makefile)
        det.add("cpp_build_system", "make", makefile)
        text = repo.read_text(makefile)
        found = []
        for match in _MAKE_TARGET.finditer(text):
            target = match.group(1)
            if target.startswith(".") or target in {"all", "clean", "install", "test", "check", "distclean"}:
                continue
            if "%" in target or target.endswith((".o", ".a", ".so")):
                continue
            line = text[: match.start()].count("\n") + 1
            found.append(Fact("cpp_target", target, f"{makefile}:{line} (rule)", LIKELY))
        # The first real rule is what `make` builds by default.
        _targets(det, found[:1] if found else [])
    elif len(sources) == 1 and "/" not in sources[0]:
        source = sources[0]
        det = Detection(name, source)
        det.add("cpp_build_system", "single", f"{source} (lone source file)")
        det.add("cpp_source", source, f"{source} (lone source file)")
        det.add("cpp_target", PurePosixPath(source).stem, f"{source} (file name)", LIKELY)
    else:
        return None
    det.add("cpp_language", _language(sources), "source file suffixes", LIKELY)
    det.add("cpp_link", "static", "no system libraries that prevent static linking", LIKELY)
    return det
