"""The Debian package table (``debian.toml``): libraries builds link, tools programs run.

Loaded once; a release's view applies its overrides (``trixie.runtime``) to every entry.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from scaffolder._compat import tomllib

TABLE = Path(__file__).with_name("debian.toml")
DEFAULT_RELEASE = "bookworm"


@dataclass(frozen=True)
class Library:
    key: str
    build: tuple[str, ...] = ()  # builder packages
    runtime: tuple[str, ...] = ()  # run-time packages (shared libraries), for the record
    static: bool = True  # a fully static link works with Debian's archives
    why_dynamic: str = ""  # why not, shown as the source of cpp_link=dynamic
    test_only: bool = False  # used by test targets only; never linked into the image's binary
    kind: str = ""  # libc, toolchain (come with the compiler), tool (a program, not a library)
    missing: str = ""  # why the release has no package for it
    boost_version: str = ""
    static_pkg_config: tuple[str, ...] = ()  # modules whose --static libraries a static link appends
    terminfo: bool = False  # a curses library: programs need terminfo entries at run time


@dataclass(frozen=True)
class Table:
    release: str
    checked: str  # releases and date the names were checked against
    libraries: dict[str, Library]
    names: dict[str, str]  # lower-case name -> library key, any ecosystem
    cmake_names: dict[str, str]  # lower-case find_package name -> library key
    autoconf_macros: dict[str, str]  # configure.ac macro as written -> library key
    platform_libraries: dict[str, str]  # lower-case name -> platform
    tools: dict[str, str]  # command -> package


@functools.lru_cache(maxsize=None)
def table(release: str = DEFAULT_RELEASE) -> Table:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    checked = data["checked"]
    if release not in checked["releases"]:
        raise ValueError(f"{TABLE.name} was not checked against Debian {release}")
    libraries: dict[str, Library] = {}
    names: dict[str, str] = {}
    cmake_names: dict[str, str] = {}
    autoconf_macros: dict[str, str] = {}
    for key, entry in data["libraries"].items():
        merged = {**entry, **entry.get(release, {})}
        libraries[key] = Library(
            key,
            tuple(merged.get("build", ())) if not merged.get("missing") else (),
            tuple(merged.get("runtime", ())) if not merged.get("missing") else (),
            bool(merged.get("static", True)),
            merged.get("why_dynamic", ""),
            bool(merged.get("test_only", False)),
            merged.get("kind", ""),
            merged.get("missing", ""),
            merged.get("boost_version", ""),
            tuple(merged.get("static_pkg_config", ())),
            bool(merged.get("terminfo", False)),
        )
        for name in entry.get("names", ()):
            names.setdefault(name.lower(), key)
        for name in entry.get("cmake", ()):
            cmake_names.setdefault(name.lower(), key)
        for macro in entry.get("autoconf", ()):
            autoconf_macros.setdefault(macro, key)
    platform = {n.lower(): p for p, listed in data["platform_libraries"].items() for n in listed}
    return Table(
        release, f"Debian {' and '.join(checked['releases'])}, {checked['date']}", libraries, names, cmake_names, autoconf_macros, platform,
        dict(data["tools"]),
    )


def packages(release: str) -> set[str]:
    """Every package name the table gives for ``release`` (what a check against the archive reads)."""
    t = table(release)
    found = {p for lib in t.libraries.values() for p in (*lib.build, *lib.runtime)}
    return found | set(t.tools.values())
