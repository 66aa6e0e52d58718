"""System libraries a C/C++ build asks for, mapped to Debian packages (``providers/debian.toml``).

One entry per library: the packages the builder installs (``-dev``, tools), the run-time packages
whose shared libraries a dynamic binary loads, and whether a fully static link works with what
Debian ships (a ``lib*.a`` for it and for everything it pulls in). The names a project uses are
looked up through aliases per ecosystem: CMake ``find_package``, pkg-config modules (also Meson's
``dependency()``), linker names (autotools ``AC_CHECK_LIB``, ``-l`` flags), Conan and vcpkg names, and configure.ac macros that look for a tool (``AC_PROG_YACC``).
"""

from __future__ import annotations

from scaffolder.providers._debian import Library, table

__all__ = ["DISTROLESS_CC", "Library", "autoconf_macros", "boost_component", "lookup", "platform_of"]

# distroless cc-debian12 already holds these run-time packages (glibc, libgcc, libstdc++, libgomp,
# OpenSSL 3): a dynamic binary needs nothing more from them.
DISTROLESS_CC = ("libc6", "libgcc-s1", "libstdc++6", "libgomp1", "libssl3")


def lookup(name: str, ecosystem: str = "", release: str = "bookworm") -> Library | None:
    """The library a project asks for by ``name`` (``ecosystem``: cmake, pkg-config, meson, lib,
    conan, vcpkg, autoconf), or None when the table does not know it."""
    t = table(release)
    if ecosystem == "autoconf":  # m4 macro names are case-sensitive, and no other ecosystem's names
        found = t.autoconf_macros.get(name.strip())
        return t.libraries.get(found) if found else None
    key = name.strip().lower()
    if ecosystem in ("conan", "vcpkg") and key.startswith("boost"):
        return t.libraries["boost"]
    found = (t.cmake_names.get(key) if ecosystem == "cmake" else None) or t.names.get(key)
    if found is None and ecosystem in ("pkg-config", "meson") and key.endswith("-static"):
        found = t.names.get(key[: -len("-static")])
    return t.libraries.get(found) if found else None


def autoconf_macros() -> list[str]:
    """The configure.ac macros the table maps to packages (AC_PROG_YACC, AC_PROG_LEX)."""
    return list(table().autoconf_macros)


def platform_of(name: str) -> str:
    """The other platform (windows, macos) whose system library ``name`` is, or ''."""
    return table().platform_libraries.get(name.strip().lower(), "")


def boost_component(component: str, release: str = "bookworm") -> Library:
    """A compiled Boost library, e.g. ``program_options``: Debian packages it per component."""
    dashed = component.strip().lower().replace("_", "-")
    version = table(release).libraries["boost"].boost_version
    return Library(f"boost-{dashed}", (f"libboost-{dashed}-dev",), (f"libboost-{dashed}{version}",))
