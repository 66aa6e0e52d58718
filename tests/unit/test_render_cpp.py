"""The C/C++ partial rendered for each build system and linking mode: content and hadolint."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.helpers import MAIN_CPP, assert_hadolint_clean, render, render_error

CASES = {
    "single-c-static": {"cpp_build_system": "single", "cpp_language": "c", "cpp_source": "hello.c", "cpp_target": "hello"},
    "single-two-files-dynamic": {
        "cpp_build_system": "single", "cpp_source": "main.cpp util.c", "cpp_target": "tool", "cpp_link": "dynamic",
    },
    "cmake-static-zlib": {"cpp_build_system": "cmake", "cpp_target": "app", "cpp_build_packages": ["zlib1g-dev"]},
    "cmake-preset-dynamic": {
        "cpp_build_system": "cmake", "cpp_target": "app", "cpp_binary": "app-cli", "cpp_cmake_preset": "release",
        "cpp_link": "dynamic", "cpp_configure_args": "-DAPP_TESTS=OFF",
    },
    "meson-static": {"cpp_build_system": "meson", "cpp_target": "fizz", "cpp_configure_args": "-Dtests=false"},
    "autotools-dynamic": {
        "cpp_build_system": "autotools", "cpp_language": "c", "cpp_target": "src/greet", "cpp_link": "dynamic",
        "cpp_configure_args": "--disable-shared",
    },
    "autotools-static-zlib": {
        "cpp_build_system": "autotools", "cpp_language": "c", "cpp_target": "squeeze", "cpp_build_packages": ["zlib1g-dev"],
    },
    "make-static-port": {"cpp_build_system": "make", "cpp_target": "bin/server", "port": 8080},
}


def render_cpp(tmp_path, answers) -> dict[str, str]:
    return render(tmp_path, {"main.cpp": MAIN_CPP}, language="cpp", **answers)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rendered_dockerfile_is_hadolint_clean(tmp_path, case):
    assert_hadolint_clean(render_cpp(tmp_path, CASES[case])["Dockerfile"])


def test_static_single_c(tmp_path):
    df = render_cpp(tmp_path, CASES["single-c-static"])["Dockerfile"]
    assert "apt-get install -y --no-install-recommends binutils ccache gcc libc6-dev\n" in df
    assert "&& gcc -O2 -ffunction-sections -fdata-sections -c 'hello.c' -o /tmp/obj/1.o" in df
    # ccache comes first in PATH, as every compiler's name (cc and c++ included): nothing overrides CC.
    assert "ENV PATH=/usr/lib/ccache:$PATH" in df and "ln -s ../../bin/ccache /usr/lib/ccache/cc" in df
    assert "CC=" not in df and "COMPILER_LAUNCHER" not in df
    assert "gcc -static -Wl,--gc-sections -o '/tmp/hello' /tmp/obj/*.o" in df
    assert "readelf -l /out/hello | grep 'program interpreter' > /dev/null" in df
    assert "answer cpp_link=dynamic" in df
    assert "FROM scratch AS runtime" in df and "FROM gcr.io/distroless" not in df
    assert 'ENTRYPOINT ["/usr/local/bin/hello"]' in df
    assert "USER 65532:65532" in df
    assert "ccache --show-log-stats" in df


def test_dynamic_mixed_sources_link_with_gxx(tmp_path):
    df = render_cpp(tmp_path, CASES["single-two-files-dynamic"])["Dockerfile"]
    assert "mkdir -p /tmp/obj \\\n    && g++ -O2 -ffunction-sections -fdata-sections -c 'main.cpp' -o /tmp/obj/1.o" in df
    assert "&& gcc -O2 -ffunction-sections -fdata-sections -c 'util.c' -o /tmp/obj/2.o" in df
    assert "&& g++ -Wl,--gc-sections -o '/tmp/tool'" in df
    # One build argument picks the Debian release of both stages: the glibc the binary links is the runtime's.
    assert "ARG DEBIAN_VERSION=12" in df and "FROM debian:${DEBIAN_VERSION}-slim AS deps" in df
    assert "FROM gcr.io/distroless/cc-debian${DEBIAN_VERSION}:nonroot AS runtime" in df
    assert "ldd /out/tool > /tmp/ldd.txt" in df and "readelf" not in df


def test_cmake_static(tmp_path):
    df = render_cpp(tmp_path, CASES["cmake-static-zlib"])["Dockerfile"]
    assert "binutils ccache cmake g++ libc6-dev make ninja-build zlib1g-dev" in df
    assert "-G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF" in df
    # The project's own libraries are static too.
    assert "-DBUILD_SHARED_LIBS=OFF -DCMAKE_EXE_LINKER_FLAGS=-static" in df
    assert "-DCMAKE_EXE_LINKER_FLAGS=-static -DCMAKE_PROJECT_INCLUDE=/tmp/static-libs.cmake" in df
    assert "set(CMAKE_FIND_LIBRARY_SUFFIXES .a)" in df
    # The default build, then the program from its output; by name only if it was not built.
    assert 'cmake --build /tmp/build --config Release --parallel "$(nproc)" \\\n' in df
    assert "if [ -z \"$bin\" ]; then \\\n        cmake --build /tmp/build --config Release --parallel \"$(nproc)\" --target app" in df
    assert "find /tmp/build /src -type f -name 'app' -perm -u+x" in df


def test_cmake_preset_dynamic(tmp_path):
    df = render_cpp(tmp_path, CASES["cmake-preset-dynamic"])["Dockerfile"]
    assert "cmake -S . -B /tmp/build --preset release -DBUILD_TESTING=OFF" in df
    assert "-DCMAKE_BUILD_TYPE" not in df and "-static" not in df
    assert "cmake -S . -B /tmp/build --preset release -DBUILD_TESTING=OFF -DAPP_TESTS=OFF \\\n" in df
    assert "BUILD_SHARED_LIBS" not in df
    assert "-name 'app-cli'" in df
    assert 'ENTRYPOINT ["/usr/local/bin/app-cli"]' in df


def test_meson_static(tmp_path):
    df = render_cpp(tmp_path, CASES["meson-static"])["Dockerfile"]
    assert "LDFLAGS=-static meson setup /tmp/build --buildtype=release --wrap-mode=nodownload -Dprefer_static=true" in df
    assert "-Ddefault_library=static -Dtests=false" in df
    assert "meson compile -C /tmp/build \\\n" in df
    # By name only as a fallback, and as an executable: a library may have the same name.
    assert "meson compile -C /tmp/build 'fizz:executable'" in df


def test_autotools_dynamic(tmp_path):
    files = render_cpp(tmp_path, CASES["autotools-dynamic"])
    df = files["Dockerfile"]
    assert "autoconf automake binutils ccache gcc libc6-dev libtool make" in df
    assert "if [ ! -f configure ]; then autoreconf -fi; fi" in df
    assert 'CFLAGS=-O2 CXXFLAGS=-O2 ./configure "$@" --disable-shared' in df
    # The program comes from automake's install-exec into a staging tree, else from the build tree.
    assert "make install-exec DESTDIR=/tmp/install \"$@\"" in df
    assert "bin=\"$(find /tmp/install -type f -name 'greet' -perm -u+x" in df
    assert 'if [ -z "$bin" ]; then bin=src/greet; fi' in df
    assert 'if [ ! -f "$bin" ]; then make -j"$(nproc)" "$@" src/greet; fi' in df
    assert 'ENTRYPOINT ["/usr/local/bin/greet"]' in df
    assert "-all-static" not in df  # dynamic: libtool's own defaults
    assert "cpp_binary: greet" in files[".scaffold-answers.yml"]


def test_autotools_static_through_libtool(tmp_path):
    df = render_cpp(tmp_path, CASES["autotools-static-zlib"])["Dockerfile"]
    # configure's own checks link with plain cc, which knows -static; make adds libtool's -all-static.
    assert "CFLAGS=-O2 CXXFLAGS=-O2 LDFLAGS=-static ./configure \"$@\" \\\n" in df
    assert """if [ -x libtool ]; then set -- LDFLAGS="$(sed -n 's/^LDFLAGS = //p' Makefile) -all-static"; fi""" in df


def _configure_offers(df: str, help_text: str) -> str:
    """What the rendered Dockerfile passes to configure when configure --help prints ``help_text``."""
    line = next(x for x in df.splitlines() if "./configure --help |" in x)
    command = line.strip().removeprefix("&& ").removesuffix("\\").strip()
    command = command.replace("./configure --help", "printf '%s\\n' \"$HELP\"")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", f'set --; {command}; echo "$*"'],
                          env={"HELP": help_text, "PATH": os.environ["PATH"]}, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_autotools_disable_shared_is_read_from_every_spelling(tmp_path):
    df = render_cpp(tmp_path, CASES["autotools-static-zlib"])["Dockerfile"]
    libtool_help = "  --enable-shared[=PKGS]  build shared libraries [default=yes]\n  --enable-static[=PKGS]  build static libraries"
    assert _configure_offers(df, libtool_help) == "--disable-shared"
    assert _configure_offers(df, "  --disable-shared        do not build shared libraries") == "--disable-shared"
    assert _configure_offers(df, "  --enable-shared=yes") == "--disable-shared"
    assert _configure_offers(df, "  --enable-shared-libs    an option of the project's own") == ""
    assert _configure_offers(df, "  --prefix=PREFIX") == ""


def test_make_static_with_port(tmp_path):
    df = render_cpp(tmp_path, CASES["make-static-port"])["Dockerfile"]
    assert 'CFLAGS=-O2 CXXFLAGS=-O2 make -j"$(nproc)" \\\n    && bin=bin/server' in df
    # Static linking through compilers named cc, gcc, c++ and g++ in front of ccache, not CC=...
    assert "exec ccache /usr/bin/%s -static" in df
    assert 'case " $* " in *" -shared "*) exec ccache /usr/bin/%s "$@" ;; esac' in df  # a .so stays shared
    assert "ENV PATH=/usr/local/lib/static-cc:/usr/lib/ccache:$PATH" in df
    assert "CC=" not in df
    assert "EXPOSE 8080" in df
    # A server runs under tini (tini defaults to on when there is a port): docker stop ends it at once.
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/server"]' in df
    assert "COPY --from=init /tini /usr/bin/tini" in df and "FROM --platform=$BUILDPLATFORM debian:${DEBIAN_VERSION}-slim AS init" in df


def test_dockerignore_keeps_sources_and_drops_build_output(tmp_path):
    ignore = render_cpp(tmp_path, CASES["cmake-static-zlib"])[".dockerignore"]
    for pattern in ("**/CMakeCache.txt", "**/*.o", "/cmake-build-*"):
        assert pattern in ignore.splitlines()
    assert "*.cpp" not in ignore and "*.h" not in ignore


@pytest.mark.parametrize("target", ["/abs/app", "../app", "two words"])
def test_bad_target_answer_is_rejected(tmp_path, target):
    error = render_error(tmp_path, {"main.cpp": MAIN_CPP}, language="cpp", cpp_build_system="make", cpp_target=target)
    assert "cpp_target" in error


def test_runtime_packages_stage(tmp_path):
    static = render_cpp(tmp_path, {**CASES["make-static-port"], "cpp_runtime_packages": ["git"]})["Dockerfile"]
    assert_hadolint_clean(static)
    assert "FROM debian:${DEBIAN_VERSION}-slim AS runtime-packages" in static
    assert "apt-get install -y --no-install-recommends git\n" in static
    assert "grep -vx -e dash -e bash > /tmp/packages" in static  # no shell unless asked
    assert 'ln -s "$(readlink "/$dir")" "/rootfs/$dir"' in static  # scratch has no merged-/usr links
    assert "FROM scratch AS runtime\nCOPY --from=build /rootfs/ /\nCOPY --from=runtime-packages /rootfs/ /\n" in static
    dynamic = render_cpp(tmp_path, {**CASES["autotools-dynamic"], "cpp_runtime_packages": ["bash", "git"]})["Dockerfile"]
    assert_hadolint_clean(dynamic)
    # distroless cc's own packages stay out; bash was asked for, dash was not.
    assert "grep -vx -e dash -e base-files -e ca-certificates" in dynamic and "-e bash" not in dynamic
    assert "readlink" not in dynamic
    assert "runtime-packages" not in render_cpp(tmp_path, CASES["make-static-port"])["Dockerfile"]


@pytest.mark.parametrize("value", ['["git; rm -rf /"]', '["Git"]', '"git"', '[["git"]]', '["-x"]'])
def test_bad_runtime_packages_are_rejected(tmp_path, value):
    import yaml

    message = render_error(tmp_path, {"main.cpp": MAIN_CPP}, language="cpp", cpp_build_system="make", cpp_target="app",
                           cpp_runtime_packages=yaml.safe_load(value))
    assert "cpp_runtime_packages" in message and "a list of Debian packages" in message


def test_static_curses_appends_pkg_config_libraries_and_carries_terminfo(tmp_path):
    curses = {"cpp_build_packages": ["libncurses-dev"], "cpp_static_pkg_config": ["tinfo"], "cpp_terminfo": True}
    cmake = render_cpp(tmp_path, {**CASES["cmake-static-zlib"], **curses})["Dockerfile"]
    assert_hadolint_clean(cmake)
    assert "pkg-config" in cmake.split("apt-get install -y --no-install-recommends", 1)[1].split("\n", 1)[0]
    assert 'libs="$(pkg-config --static --libs-only-l tinfo)"' in cmake
    assert '-DCMAKE_C_STANDARD_LIBRARIES="$libs" -DCMAKE_CXX_STANDARD_LIBRARIES="$libs"' in cmake
    assert "set(CMAKE_LINK_SEARCH_END_STATIC ON)" in cmake
    assert 'cp "$src" "/rootfs/usr/share/terminfo/$entry"' in cmake and "x/xterm-256color" in cmake
    autotools = render_cpp(tmp_path, {**CASES["autotools-dynamic"], **curses, "cpp_link": "static"})["Dockerfile"]
    assert ' LDFLAGS=-static LIBS="$libs" ./configure' in autotools
    # A dynamic link gets the libraries through the .so files; the terminal descriptions still ship.
    dynamic = render_cpp(tmp_path, {**CASES["autotools-dynamic"], **curses})["Dockerfile"]
    assert "pkg-config --static" not in dynamic and "/rootfs/usr/share/terminfo" in dynamic
    plain = render_cpp(tmp_path, CASES["cmake-static-zlib"])["Dockerfile"]
    assert "terminfo" not in plain and "STANDARD_LIBRARIES" not in plain


@pytest.mark.parametrize("value", ['["tinfo; id"]', '["-ltinfo"]', '"tinfo"', '[".x"]'])
def test_bad_static_pkg_config_is_rejected(tmp_path, value):
    import yaml

    message = render_error(tmp_path, {"main.cpp": MAIN_CPP}, language="cpp", cpp_build_system="make", cpp_target="app",
                           cpp_static_pkg_config=yaml.safe_load(value))
    assert "cpp_static_pkg_config" in message and "pkg-config module names" in message
