"""What every C/C++ build-system reader returns, and the rules they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

# Name parts that mark a target or directory as tests, benchmarks or examples: never the image's program.
_SKIPPED_PARTS = frozenset(
    {
        "test", "tests", "testing", "unittest", "unittests", "perftest", "perftests", "gtest",
        "bench", "benchmark", "benchmarks", "example", "examples", "demo", "demos", "sample", "samples",
        "fuzz", "fuzzer", "fuzzers", "fuzzing",
    }
)
# Directories whose programs belong to someone else's project.
_THIRD_PARTY_DIRS = frozenset({"third_party", "thirdparty", "3rdparty", "external", "extern", "vendor", "deps", "subprojects"})


def name_parts(name: str) -> list[str]:
    """A name's lowercase words: fooBar_baz-2 -> foo, bar, baz, 2."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)  # camelCase -> camel_Case
    return [p for p in re.split(r"[^A-Za-z0-9]+", name.lower()) if p]


def skip_reason(name: str) -> str:
    """Why a target called ``name`` is not a candidate for the image ('' if it is one)."""
    hit = next((p for p in name_parts(name) if p in _SKIPPED_PARTS), "")
    return f"named like a {_kind(hit)} target" if hit else ""


def dir_skip_reason(path: str) -> str:
    """Why build files under directory ``path`` define no candidate targets ('' if they may)."""
    for part in PurePosixPath(path).parts:
        if part.lower() in _THIRD_PARTY_DIRS:
            return f"in third-party directory {part}/"
        hit = next((p for p in name_parts(part) if p in _SKIPPED_PARTS), "")
        if hit:
            return f"in {_kind(hit)} directory {part}/"
    return ""


def _kind(part: str) -> str:
    if part.startswith(("bench", "perf")):
        return "benchmark"
    if part in {"example", "examples", "demo", "demos", "sample", "samples"}:
        return "example"
    if part.startswith("fuzz"):
        return "fuzzing"
    return "test"


@dataclass
class Target:
    """An executable the build can produce."""

    name: str  # what the build system is asked to build
    source: str  # file:line (rule)
    binary: str = ""  # the produced file's name when it differs from ``name``
    installed: bool = False  # named by an install rule: the project ships it
    skipped: str = ""  # why it is not a candidate


@dataclass
class Dependency:
    """A library or tool the build looks for."""

    name: str  # as written: ZLIB, zlib, z, boost
    ecosystem: str  # cmake, pkg-config, meson, lib, conan, vcpkg
    source: str  # file:line (how)
    required: bool = True
    components: tuple[str, ...] = ()


@dataclass
class BuildInfo:
    """What a build-system reader found."""

    system: str  # cmake, meson, autotools, make, single
    source: str  # the file that names the build system
    targets: list[Target] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)  # c, cpp
    language_source: str = ""
    notes: list[str] = field(default_factory=list)
    facts: dict[str, tuple[object, str]] = field(default_factory=dict)  # extra answers: name -> (value, source)
    questions: list[tuple[str, str, list[tuple[object, str]]]] = field(default_factory=list)
    # The project's own switches for shared libraries, ON by default: (option, file:line), turned
    # off for a static build like BUILD_SHARED_LIBS.
    shared_options: list[tuple[str, str]] = field(default_factory=list)
    project: tuple[str, str] = ("", "")  # the project's name and where it is declared
    # Candidate executables whose name is an expression the reader cannot evaluate, each as the
    # evidence to show: without a named candidate, the program is asked for, never guessed.
    unnamed: list[str] = field(default_factory=list)


def line_of(text: str | bytes, offset: int) -> int:
    return text.count("\n" if isinstance(text, str) else b"\n", 0, offset) + 1


# Comments, and the string and character literals a comment marker may sit inside ("http://...").
_C_LEXEMES = re.compile(rb"//[^\n]*|/\*.*?(?:\*/|\Z)|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.DOTALL)


def without_comments(code: bytes) -> bytes:
    """C/C++ source with its comments blanked and its literals kept, line breaks in place, so a
    call or #define named in a comment is not read as code and lines still count."""

    def keep(m: re.Match) -> bytes:
        s = m.group(0)
        if s.startswith(b"//"):
            return b""
        if s.startswith(b"/*"):
            return b"\n" * s.count(b"\n") or b" "
        return s

    return _C_LEXEMES.sub(keep, code)
