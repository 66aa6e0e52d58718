"""System libraries a C/C++ build asks for, mapped to Debian bookworm packages.

One entry per library: the packages the builder installs (``-dev``, tools), the run-time packages
whose shared libraries a dynamic binary loads, and whether a fully static link works with what
Debian ships (a ``lib*.a`` for it and for everything it pulls in). The names a project uses are
looked up through aliases per ecosystem: CMake ``find_package``, pkg-config modules (also Meson's
``dependency()``), linker names (autotools ``AC_CHECK_LIB``), Conan and vcpkg package names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Library:
    key: str
    build: tuple[str, ...] = ()  # builder packages
    runtime: tuple[str, ...] = ()  # run-time packages (shared libraries), for the record
    static: bool = True  # a fully static link works with Debian's archives
    why_dynamic: str = ""  # why not, shown as the source of cpp_link=dynamic
    test_only: bool = False  # used by test targets only; never linked into the image's binary


# distroless cc-debian12 already holds these run-time packages (glibc, libgcc, libstdc++, libgomp,
# OpenSSL 3): a dynamic binary needs nothing more from them.
DISTROLESS_CC = ("libc6", "libgcc-s1", "libstdc++6", "libgomp1", "libssl3")

_NSS = "a static glibc binary cannot load the NSS modules it needs for host and user lookups"

LIBRARIES: dict[str, Library] = {
    lib.key: lib
    for lib in (
        Library("threads"),  # part of glibc 2.34+
        Library("libc"),  # libm, libdl, librt, libpthread: glibc itself
        Library("zlib", ("zlib1g-dev",), ("zlib1g",)),
        Library("bzip2", ("libbz2-dev",), ("libbz2-1.0",)),
        Library("lzma", ("liblzma-dev",), ("liblzma5",)),
        Library("zstd", ("libzstd-dev",), ("libzstd1",)),
        Library(
            "openssl", ("libssl-dev",), ("libssl3",), False,
            f"OpenSSL resolves hosts and loads engines at run time, and {_NSS}; distroless cc already ships libssl3",
        ),
        Library(
            "curl", ("libcurl4-openssl-dev",), ("libcurl4",), False,
            "libcurl pulls in about a dozen libraries (nghttp2, libssh2, GSSAPI, LDAP, ...) "
            "that Debian ships no static archives for",
        ),
        Library("fmt", ("libfmt-dev",), ("libfmt9",), False, "Debian's libfmt-dev has no static libfmt.a"),
        Library(
            "spdlog", ("libspdlog-dev",), ("libspdlog1.10", "libfmt9"), False,
            "Debian's libspdlog-dev has no static libspdlog.a",
        ),
        Library("boost", ("libboost-dev",)),  # header-only part; compiled components are added per name
        Library("sqlite3", ("libsqlite3-dev",), ("libsqlite3-0",)),
        Library("png", ("libpng-dev",), ("libpng16-16",)),
        Library("jpeg", ("libjpeg-dev",), ("libjpeg62-turbo",)),
        Library("yaml-cpp", ("libyaml-cpp-dev",), ("libyaml-cpp0.7",)),
        Library("uuid", ("uuid-dev",), ("libuuid1",)),
        Library("gmp", ("libgmp-dev",), ("libgmp10",)),
        Library("sodium", ("libsodium-dev",), ("libsodium23",)),
        Library("pcre2", ("libpcre2-dev",), ("libpcre2-8-0",)),
        Library("event", ("libevent-dev",), ("libevent-2.1-7",)),
        Library("protobuf", ("libprotobuf-dev", "protobuf-compiler"), ("libprotobuf32",)),
        Library(
            "pq", ("libpq-dev",), ("libpq5",), False,
            f"libpq needs OpenSSL, GSSAPI and LDAP at run time, and {_NSS}",
        ),
        Library("xml2", ("libxml2-dev",), ("libxml2",), False, "libxml2's static archive needs ICU's, which is 30 MB of data"),
        Library("jsoncpp", ("libjsoncpp-dev",), ("libjsoncpp25",), False, "Debian's libjsoncpp-dev has no static archive"),
        Library("tbb", ("libtbb-dev",), ("libtbb12",), False, "Debian's libtbb-dev has no static archive"),
        Library("uv", ("libuv1-dev",), ("libuv1",), False, "Debian's static libuv is named libuv_a.a, which find modules do not pick"),
        # Header-only: nothing at run time.
        Library("nlohmann_json", ("nlohmann-json3-dev",)),
        Library("cli11", ("libcli11-dev",)),
        Library("eigen3", ("libeigen3-dev",)),
        # Build tools found with find_package.
        Library("pkgconfig", ("pkg-config",)),
        Library("git", ("git",)),
        Library("python3", ("python3",)),
        Library("perl", ("perl",)),
        Library("doxygen", ("doxygen",)),
        # Test frameworks: the test targets are skipped, so they never reach the image.
        Library("gtest", ("libgtest-dev", "libgmock-dev"), test_only=True),
        Library("catch2", ("catch2",), test_only=True),
        Library("doctest", ("doctest-dev",), test_only=True),
        Library("benchmark", ("libbenchmark-dev",), test_only=True),
    )
}

_COMMON = {
    "zlib": "zlib", "z": "zlib", "threads": "threads", "thread": "threads", "pthread": "threads",
    "openssl": "openssl", "libssl": "openssl", "libcrypto": "openssl", "ssl": "openssl", "crypto": "openssl",
    "curl": "curl", "libcurl": "curl", "fmt": "fmt", "spdlog": "spdlog", "boost": "boost",
    "sqlite3": "sqlite3", "sqlite": "sqlite3", "png": "png", "libpng": "png", "libpng16": "png",
    "jpeg": "jpeg", "libjpeg": "jpeg", "yaml-cpp": "yaml-cpp", "uuid": "uuid", "gmp": "gmp", "gmpxx": "gmp",
    "sodium": "sodium", "libsodium": "sodium", "unofficial-sodium": "sodium",
    "pcre2": "pcre2", "libpcre2-8": "pcre2", "libevent": "event", "event": "event",
    "protobuf": "protobuf", "pq": "pq", "libpq": "pq", "postgresql": "pq",
    "libxml2": "xml2", "xml2": "xml2", "jsoncpp": "jsoncpp", "tbb": "tbb", "libuv": "uv", "uv": "uv",
    "nlohmann_json": "nlohmann_json", "nlohmann-json": "nlohmann_json", "cli11": "cli11",
    "eigen3": "eigen3", "eigen": "eigen3", "bzip2": "bzip2", "bz2": "bzip2",
    "liblzma": "lzma", "lzma": "lzma", "xz": "lzma", "xz_utils": "lzma", "zstd": "zstd", "libzstd": "zstd",
    "gtest": "gtest", "googletest": "gtest", "gmock": "gtest", "catch2": "catch2", "doctest": "doctest",
    "benchmark": "benchmark", "m": "libc", "dl": "libc", "rt": "libc",
}
# CMake find_package names (matched case-insensitively) that differ from the common ones.
_CMAKE = {"pkgconfig": "pkgconfig", "git": "git", "python3": "python3", "pythoninterp": "python3",
          "perl": "perl", "doxygen": "doxygen", "postgresql": "pq", "libxml2": "xml2"}


def lookup(name: str, ecosystem: str = "") -> Library | None:
    """The library a project asks for by ``name`` (``ecosystem``: cmake, pkg-config, meson, lib,
    conan, vcpkg), or None when scaffold does not know it."""
    key = name.strip().lower()
    if ecosystem in ("conan", "vcpkg") and key.startswith("boost"):
        return LIBRARIES["boost"]
    found = (_CMAKE.get(key) if ecosystem == "cmake" else None) or _COMMON.get(key)
    if found is None and ecosystem in ("pkg-config", "meson") and key.endswith("-static"):
        found = _COMMON.get(key[: -len("-static")])
    return LIBRARIES.get(found) if found else None


def boost_component(component: str) -> Library:
    """A compiled Boost library, e.g. ``program_options``: Debian packages it per component."""
    dashed = component.strip().lower().replace("_", "-")
    return Library(f"boost-{dashed}", (f"libboost-{dashed}-dev",), (f"libboost-{dashed}1.74.0",))
