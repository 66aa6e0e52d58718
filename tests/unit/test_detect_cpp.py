"""C/C++ detection on small trees: build systems, targets, libraries, linking, manifests, bad input."""

from __future__ import annotations


import pytest

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import cpp
from scaffolder.providers.cpp import libraries
from tests.helpers import MAIN_C, MAIN_CPP, detect_cpp, fact, facts, question, tree


# --- lone source files ------------------------------------------------------------------------


def test_lone_cpp_file(tmp_path):
    det = detect_cpp(tmp_path, {"hello.cpp": MAIN_CPP})
    assert facts(det) | {} == {
        "cpp_build_system": "single", "cpp_language": "cpp", "cpp_source": "hello.cpp", "cpp_target": "hello",
        "cpp_build_packages": [], "cpp_link": "static",
    }
    assert det.loose  # yields to a language with a manifest


def test_lone_c_file(tmp_path):
    det = detect_cpp(tmp_path, {"hello.c": MAIN_C, "README.md": "x"})
    assert facts(det)["cpp_language"] == "c"
    assert facts(det)["cpp_source"] == "hello.c"


def test_root_sources_with_one_main_compile_together(tmp_path):
    det = detect_cpp(tmp_path, {"app.cpp": MAIN_CPP, "util.cpp": "int twice(int x) { return 2 * x; }\n", "util.h": ""})
    assert facts(det)["cpp_source"] == "app.cpp util.cpp"
    assert facts(det)["cpp_target"] == "app"


def test_several_mains_are_a_question(tmp_path):
    det = detect_cpp(tmp_path, {"a.cpp": MAIN_CPP, "b.cpp": MAIN_CPP})
    assert [c.value for c in question(det, "cpp_source").candidates] == ["a.cpp", "b.cpp"]
    assert "cpp_target" in {q.name for q in det.questions}


def test_sources_without_main_are_not_a_project(tmp_path):
    assert detect_cpp(tmp_path, {"a.cpp": "int f() { return 1; }\n", "b.cpp": "int g();\n"}) is None


def test_nothing_to_detect(tmp_path):
    assert detect_cpp(tmp_path, {"README.md": "hello"}) is None


# --- CMake ------------------------------------------------------------------------------------


def test_cmake_single_target_with_sources(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(demo LANGUAGES CXX)\nadd_executable(server src/main.cpp)\n",
        "src/main.cpp": MAIN_CPP,
    })
    assert facts(det)["cpp_build_system"] == "cmake"
    assert facts(det)["cpp_target"] == "server"
    assert fact(det, "cpp_target").source == "CMakeLists.txt:3 (add_executable)"
    assert fact(det, "cpp_language").value == "cpp"


def test_cmake_c_only_project_and_default_languages(tmp_path):
    det = detect_cpp(tmp_path / "c", {"CMakeLists.txt": "project(x C)\nadd_executable(x main.c)\n", "main.c": MAIN_C})
    assert facts(det)["cpp_language"] == "c"
    det = detect_cpp(tmp_path / "d", {"CMakeLists.txt": "project(x)\nadd_executable(x main.c)\n", "main.c": MAIN_C})
    assert facts(det)["cpp_language"] == "cpp"  # project() enables C and CXX: g++ is needed
    assert "C and CXX by default" in fact(det, "cpp_language").source


def test_cmake_project_name_variable_and_set(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(tool)\nset(EXE_NAME \"${PROJECT_NAME}-cli\")\nadd_executable(${EXE_NAME} main.cpp)\n",
    })
    assert facts(det)["cpp_target"] == "tool-cli"


def test_cmake_skips_imported_alias_and_exclude_from_all(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "project(p)\nadd_executable(protoc IMPORTED)\nadd_executable(app main.cpp)\n"
            "add_executable(p::app ALIAS app)\nadd_executable(extra EXCLUDE_FROM_ALL extra.cpp)\n"
        ),
    })
    assert facts(det)["cpp_target"] == "app"
    assert any("extra (EXCLUDE_FROM_ALL" in n for n in det.notes)


def test_cmake_testing_block_and_test_names_are_skipped(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "project(p)\nadd_executable(app main.cpp)\nadd_executable(app_bench bench.cpp)\n"
            "include(CTest)\nif(BUILD_TESTING)\n  add_executable(runner t.cpp)\nelse()\n  add_executable(helper h.cpp)\nendif()\n"
        ),
    })
    # helper is in the else branch: a candidate like app, so the choice is a question.
    assert [c.value for c in question(det, "cpp_target").candidates] == ["app", "helper"]
    note = next(n for n in det.notes if n.startswith("not candidates"))
    assert "app_bench (named like a benchmark target" in note and "runner (inside if(BUILD_TESTING)" in note


def test_cmake_platform_blocks_are_skipped(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p)\nif(WIN32)\n add_executable(winsvc s.cpp)\nendif()\nadd_executable(app m.cpp)\n",
    })
    assert facts(det)["cpp_target"] == "app"


def test_cmake_installed_targets_win(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p)\nadd_executable(app m.cpp)\nadd_executable(gen g.cpp)\ninstall(TARGETS app DESTINATION bin)\n",
    })
    assert facts(det)["cpp_target"] == "app"
    assert any("not installed: gen" in n for n in det.notes)


def test_cmake_several_targets_are_a_question(tmp_path):
    det = detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_executable(server s.cpp)\nadd_executable(client c.cpp)\n"})
    q = question(det, "cpp_target")
    assert [c.value for c in q.candidates] == ["server", "client"]
    assert "cpp_target" not in facts(det)


def test_cmake_subdirectories_followed_and_test_dirs_skipped(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p)\nadd_subdirectory(src)\nadd_subdirectory(tests)\nadd_subdirectory(missing)\n",
        "src/CMakeLists.txt": "add_executable(daemon main.cpp)\n",
        "tests/CMakeLists.txt": "add_executable(all_in_one t.cpp)\n",
        "other/CMakeLists.txt": "add_executable(unreached x.cpp)\n",
    })
    assert facts(det)["cpp_target"] == "daemon"
    assert fact(det, "cpp_target").source == "src/CMakeLists.txt:1 (add_executable)"
    assert any("all_in_one (in test directory tests/" in n for n in det.notes)
    assert any("missing/CMakeLists.txt is missing" in n for n in det.notes)


def test_cmake_foreach_and_functions_are_replayed(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "project(p)\n"
            "function(add_tool name)\n  add_executable(${name} ${name}.cpp)\n  install(TARGETS ${name})\nendfunction()\n"
            "add_tool(convert)\n"
            "foreach(t parse_perftest lex_perftest)\n  add_executable(${t} ${t}.cpp)\nendforeach()\n"
        ),
    })
    assert facts(det)["cpp_target"] == "convert"
    assert any("parse_perftest" in n and "lex_perftest" in n for n in det.notes)


def test_cmake_output_name_is_the_binary(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p)\nadd_executable(app_main m.cpp)\nset_target_properties(app_main PROPERTIES OUTPUT_NAME app)\n",
    })
    assert facts(det)["cpp_target"] == "app_main"
    assert facts(det)["cpp_binary"] == "app"


def test_cmake_comments_brackets_and_quotes(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "#[[ add_executable(commented c.cpp) ]]\n"
            "# add_executable(also_commented c.cpp)\n"
            'project(p)\nset(MSG [=[ a ) bracket ]=])\nmessage(STATUS "paren ) in a string")\n'
            "ADD_EXECUTABLE (app\n  main.cpp # trailing ) comment\n)\n"
        ),
    })
    assert facts(det)["cpp_target"] == "app"
    assert fact(det, "cpp_target").source == "CMakeLists.txt:6 (add_executable)"


def test_cmake_test_options_are_turned_off(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "project(p)\noption(P_BUILD_TESTS \"tests\" ON)\noption(P_BUILD_EXAMPLES \"ex\" OFF)\noption(P_WITH_SSL \"ssl\" ON)\n"
            "add_executable(app m.cpp)\n"
        ),
    })
    assert facts(det)["cpp_configure_args"] == "-DP_BUILD_TESTS=OFF"


def test_cmake_fetchcontent_is_noted(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p)\ninclude(FetchContent)\nFetchContent_Declare(json URL https://example.invalid/json.tar.xz)\nadd_executable(app m.cpp)\n",
    })
    assert any("downloads sources at configure time" in n and "json" in n for n in det.notes)


def test_cmake_no_executable_is_a_question_naming_the_skipped(tmp_path):
    det = detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_library(core core.cpp)\nadd_executable(core_test t.cpp)\n"})
    q = question(det, "cpp_target")
    assert "besides tests" in q.reason
    assert [c.value for c in q.candidates] == ["core_test"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("project(p)\nadd_executable(app main.cpp\n", 2, "add_executable( is never closed"),
        ("project(p)\nendif()\n", 2, "endif() without if()"),
        ("project(p)\nif(X)\nadd_executable(a m.cpp)\n", 2, "if() is never closed"),
        ('project(p)\nmessage("unterminated)\n', 2, "quoted argument is never closed"),
        ("project(p)\n#[[ never closed\n", 2, "bracket comment is never closed"),
        ("project(p)\n= nonsense\n", 2, "unexpected '='"),
        ("project(p)\nelse()\n", 2, "else() without if()"),
    ],
)
def test_cmake_malformed(tmp_path, text, line, message):
    with pytest.raises(InputError) as err:
        detect_cpp(tmp_path, {"CMakeLists.txt": text})
    assert err.value.line == line
    assert message in str(err.value)
    assert str(err.value).startswith(f"CMakeLists.txt:{line}: ")


def test_cmake_malformed_in_a_subdirectory_names_that_file(tmp_path):
    with pytest.raises(InputError) as err:
        detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_subdirectory(src)\n", "src/CMakeLists.txt": "\n\nfoo(\n"})
    assert str(err.value).startswith("src/CMakeLists.txt:3: ")


def test_cmake_not_utf8(tmp_path):
    with pytest.raises(InputError, match="not valid UTF-8"):
        detect_cpp(tmp_path, {"CMakeLists.txt": b"project(p)\nadd_executable(\xff m.cpp)\n"})


def test_cmake_unreadable(tmp_path, monkeypatch):
    tree(tmp_path, {"CMakeLists.txt": "project(p)\n", "main.cpp": MAIN_CPP})
    # Tests run as root here, where chmod 000 does not stop reads: fail the open itself.
    import os

    real_open = os.open

    def deny(file, *args, **kwargs):
        if str(file).endswith("CMakeLists.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(InputError, match=r"^CMakeLists.txt: cannot read: Permission denied"):
        cpp.detect(Repo(tmp_path))


# --- CMake presets ------------------------------------------------------------------------------

PRESETS = """{
  "version": 3,
  "configurePresets": [
    {"name": "base", "hidden": true, "generator": "Ninja", "binaryDir": "build/${presetName}"},
    {"name": "debug", "inherits": "base", "cacheVariables": {"CMAKE_BUILD_TYPE": "Debug"}},
    {"name": "rel", "inherits": "base", "cacheVariables": {"CMAKE_BUILD_TYPE": {"type": "STRING", "value": "Release"}}},
    {"name": "windows-release", "generator": "Visual Studio 17 2022", "cacheVariables": {"CMAKE_BUILD_TYPE": "Release"}},
    {"name": "vcpkg-release", "toolchainFile": "$env{VCPKG_ROOT}/scripts/buildsystems/vcpkg.cmake",
     "cacheVariables": {"CMAKE_BUILD_TYPE": "Release"}}
  ]
}"""


def test_cmake_release_preset(tmp_path):
    det = detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_executable(app m.cpp)\n", "CMakePresets.json": PRESETS})
    assert facts(det)["cpp_cmake_preset"] == "rel"
    assert "Release" in fact(det, "cpp_cmake_preset").source
    note = next(n for n in det.notes if n.startswith("CMake presets not used"))
    assert "windows-release (another platform)" in note and "vcpkg-release (toolchain" in note


def test_cmake_release_preset_by_name_and_several(tmp_path):
    presets = '{"version": 3, "configurePresets": [{"name": "linux-release"}, {"name": "gcc-release"}, {"name": "dev"}]}'
    det = detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_executable(app m.cpp)\n", "CMakePresets.json": presets})
    assert [c.value for c in question(det, "cpp_cmake_preset").candidates] == ["linux-release", "gcc-release"]


def test_cmake_presets_without_release(tmp_path):
    presets = '{"version": 3, "configurePresets": [{"name": "dev", "cacheVariables": {"CMAKE_BUILD_TYPE": "Debug"}}]}'
    det = detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_executable(app m.cpp)\n", "CMakePresets.json": presets})
    assert "cpp_cmake_preset" not in facts(det)
    assert any("no release configure preset" in n for n in det.notes)


@pytest.mark.parametrize(
    "text, match",
    [
        ('{"version": 3, "configurePresets": [', r"^CMakePresets.json:1: invalid JSON"),
        ('{"configurePresets": {"name": "x"}}', r"^CMakePresets.json: configurePresets must be a list"),
        ('{"configurePresets": [{"hidden": true}]}', r"^CMakePresets.json: configurePresets must be a list of objects with a name"),
    ],
)
def test_cmake_presets_malformed(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_executable(app m.cpp)\n", "CMakePresets.json": text})


# --- system libraries and linking ---------------------------------------------------------------


def cmake_with(find: str) -> dict[str, str]:
    return {"CMakeLists.txt": f"project(p CXX)\n{find}\nadd_executable(app main.cpp)\n", "main.cpp": MAIN_CPP}


def test_zlib_is_static(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(ZLIB REQUIRED)"))
    assert facts(det)["cpp_build_packages"] == ["zlib1g-dev"]
    assert facts(det)["cpp_link"] == "static"
    assert "ZLIB (CMakeLists.txt:2 (find_package)) -> zlib1g-dev" in fact(det, "cpp_build_packages").source
    assert any("run-time libraries (dynamic linking): zlib1g" in n for n in det.notes)


def test_threads_need_no_package(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("set(THREADS_PREFER_PTHREAD_FLAG ON)\nfind_package(Threads REQUIRED)"))
    assert facts(det)["cpp_build_packages"] == []
    assert facts(det)["cpp_link"] == "static"


@pytest.mark.parametrize(
    "find, packages, reason",
    [
        ("find_package(CURL REQUIRED)", ["libcurl4-openssl-dev"], "no static archives"),
        ("find_package(OpenSSL REQUIRED)", ["libssl-dev"], "distroless cc already ships libssl3"),
        ("find_package(fmt REQUIRED)", ["libfmt-dev"], "no static libfmt.a"),
        ("find_package(spdlog CONFIG REQUIRED)", ["libspdlog-dev"], "no static libspdlog.a"),
    ],
)
def test_libraries_without_a_static_build_link_dynamically(tmp_path, find, packages, reason):
    det = detect_cpp(tmp_path, cmake_with(find))
    assert facts(det)["cpp_build_packages"] == packages
    assert facts(det)["cpp_link"] == "dynamic"
    assert reason in fact(det, "cpp_link").source
    assert "CMakeLists.txt:2" in fact(det, "cpp_link").source


def test_boost_components(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(Boost 1.74 REQUIRED COMPONENTS program_options filesystem OPTIONAL_COMPONENTS nowhere)"))
    assert facts(det)["cpp_build_packages"] == ["libboost-dev", "libboost-filesystem-dev", "libboost-program-options-dev"]
    assert facts(det)["cpp_link"] == "static"
    assert any("libboost-program-options1.74.0" in n for n in det.notes)


def test_boost_header_only(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(Boost REQUIRED)"))
    assert facts(det)["cpp_build_packages"] == ["libboost-dev"]


def test_pkg_check_modules(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(PkgConfig REQUIRED)\npkg_check_modules(Z REQUIRED IMPORTED_TARGET zlib>=1.2)"))
    assert facts(det)["cpp_build_packages"] == ["pkg-config", "zlib1g-dev"]


def test_test_only_packages_inside_testing_blocks_are_ignored(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("if(BUILD_TESTING)\n  find_package(GTest REQUIRED)\nendif()"))
    assert facts(det)["cpp_build_packages"] == []


def test_test_frameworks_outside_blocks_are_installed_but_do_not_block_static(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(GTest REQUIRED)"))
    assert facts(det)["cpp_build_packages"] == ["libgmock-dev", "libgtest-dev"]
    assert facts(det)["cpp_link"] == "static"


def test_unknown_required_package_is_a_question(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(ZLIB REQUIRED)\nfind_package(Frobnicate REQUIRED)"))
    q = question(det, "cpp_build_packages")
    assert "Frobnicate (CMakeLists.txt:3 (find_package))" in q.reason
    assert "the Debian table knows no package for" in q.reason
    assert "Debian bookworm and trixie" in q.candidates[0].source  # what the table covers
    # Only packages that exist: an unknown library never becomes an invented name.
    assert q.candidates[0].value == ["zlib1g-dev"]
    assert facts(det)["cpp_link"] == "dynamic"


def test_unknown_optional_package_is_a_note(tmp_path):
    det = detect_cpp(tmp_path, cmake_with("find_package(Frobnicate QUIET)"))
    assert facts(det)["cpp_build_packages"] == []
    assert any(n.startswith("optional Frobnicate") for n in det.notes)


def test_nss_calls_make_dynamic(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p CXX)\nadd_executable(app main.cpp)\n",
        "main.cpp": "#include <netdb.h>\nint main() {\n  addrinfo *r;\n  return getaddrinfo(\"x\", 0, 0, &r);\n}\n",
    })
    assert facts(det)["cpp_link"] == "dynamic"
    assert fact(det, "cpp_link").source.startswith("main.cpp:4 (getaddrinfo)")


def test_library_aliases():
    assert libraries.lookup("ZLIB", "cmake").key == "zlib"
    assert libraries.lookup("libcurl", "pkg-config").key == "curl"
    assert libraries.lookup("zlib-static", "meson").key == "zlib"
    assert libraries.lookup("boost-asio", "vcpkg").key == "boost"
    assert libraries.lookup("pthread", "lib").key == "threads"
    assert libraries.lookup("nope", "cmake") is None
    assert libraries.lookup("pcre", "lib").build == ("libpcre3-dev",)  # libpcre-dev is no Debian package
    assert libraries.lookup("pcre", "lib", "trixie").build == ()
    assert "not in Debian trixie" in libraries.lookup("pcre", "lib", "trixie").missing
    assert libraries.lookup("openssl", "cmake", "trixie").runtime == ("libssl3t64",)
    assert libraries.lookup("ubsan", "lib").kind == "toolchain"
    assert libraries.platform_of("ws2_32") == "windows"
    assert libraries.boost_component("program_options", "trixie").runtime == ("libboost-program-options1.83.0",)


def test_debian_table_is_consistent():
    """Every release's view loads, names map to one library, and tools name packages."""
    from scaffolder.providers import _debian

    for release in ("bookworm", "trixie"):
        t = _debian.table(release)
        assert t.tools["git"] == "git"
        assert all(p and p == p.lower() and " " not in p for p in _debian.packages(release))
        assert all(lib.why_dynamic for lib in t.libraries.values() if not lib.static)
    with pytest.raises(ValueError, match="not checked against Debian sid"):
        _debian.table("sid")


# --- Conan and vcpkg ------------------------------------------------------------------------------


def test_conanfile_txt(tmp_path):
    det = detect_cpp(tmp_path, {
        **cmake_with("find_package(ZLIB REQUIRED)"),
        "conanfile.txt": "[requires]\nzlib/1.3.1\nfmt/10.2.1\n\n[generators]\nCMakeDeps\n",
    })
    assert facts(det)["cpp_build_packages"] == ["libfmt-dev", "zlib1g-dev"]
    assert any(n.startswith("conanfile.txt: Conan packages cannot be fetched") and "zlib, fmt" in n for n in det.notes)
    assert facts(det)["cpp_link"] == "dynamic"  # fmt has no static archive in Debian


def test_conanfile_py(tmp_path):
    det = detect_cpp(tmp_path, {
        **cmake_with(""),
        "conanfile.py": "from conan import ConanFile\nclass App(ConanFile):\n    requires = \"openssl/3.2.0\", \"zlib/1.3\"\n",
    })
    assert facts(det)["cpp_build_packages"] == ["libssl-dev", "zlib1g-dev"]


def test_conan_unknown_requirement_is_a_question(tmp_path):
    det = detect_cpp(tmp_path, {**cmake_with(""), "conanfile.txt": "[requires]\nwidgetlib/2.0\n"})
    assert "widgetlib (conanfile.txt:2 (Conan))" in question(det, "cpp_build_packages").reason


@pytest.mark.parametrize(
    "text, match",
    [("[requires\nzlib/1.3\n", r"^conanfile.txt:1: malformed section header"), ("[requires]\nzlib\n", r"^conanfile.txt:2: malformed reference")],
)
def test_conanfile_txt_malformed(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        detect_cpp(tmp_path, {**cmake_with(""), "conanfile.txt": text})


def test_vcpkg_manifest(tmp_path):
    det = detect_cpp(tmp_path, {
        **cmake_with(""),
        "vcpkg.json": '{"name": "app", "dependencies": ["zlib", {"name": "boost-program-options"}, {"name": "vcpkg-cmake", "host": true}]}',
    })
    assert facts(det)["cpp_build_packages"] == ["libboost-dev", "libboost-program-options-dev", "zlib1g-dev"]
    assert any(n.startswith("vcpkg.json: vcpkg packages cannot be fetched") for n in det.notes)


@pytest.mark.parametrize(
    "text, match",
    [
        ('{"dependencies": [', r"^vcpkg.json:1: invalid JSON"),
        ('["zlib"]', r"^vcpkg.json: the top level must be an object \(fix its type\)"),
        ('{"dependencies": {"zlib": "1"}}', r"^vcpkg.json:1: dependencies must be an array \(fix its type\)"),
        ('{"dependencies": [42]}', r"^vcpkg.json:1: dependencies must be an array of port names or objects with a name"),
        ('{\n  "dependencies": [\n    {"version>=": "1"}\n  ]\n}', r"^vcpkg.json:2: dependencies must be an array of port names"),
        ('{\n  "dependencies": [\n    {"name": 5}\n  ]\n}', r"^vcpkg.json:3: dependencies.name must be a string"),
        ('{\n  "dependencies": [\n    {"name": "zlib",\n     "host": "yes"}\n  ]\n}', r"^vcpkg.json:4: dependencies.host must be true or false"),
    ],
)
def test_vcpkg_malformed(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        detect_cpp(tmp_path, {**cmake_with(""), "vcpkg.json": text})


def test_cmake_own_shared_library_options_are_off_when_static(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "project(p CXX)\noption(BUILD_SHARED_LIBS \"shared\" ON)\noption(P_BUILD_SHARED \"shared core\" ON)\n"
            "option(P_TESTS \"tests\" ON)\nadd_library(core core.cpp)\nadd_library(plugin SHARED plugin.cpp)\n"
            "add_executable(app main.cpp)\ntarget_link_libraries(app core)\n"
        ),
        "main.cpp": MAIN_CPP,
    })
    assert facts(det)["cpp_link"] == "static"
    # BUILD_SHARED_LIBS is the template's (static builds set it OFF); the project's own switch is turned off here.
    assert facts(det)["cpp_configure_args"] == "-DP_TESTS=OFF -DP_BUILD_SHARED=OFF"
    assert "option(P_BUILD_SHARED ... ON) at CMakeLists.txt:3" in fact(det, "cpp_configure_args").source
    assert any("add_library(plugin SHARED) at CMakeLists.txt:6" in n for n in det.notes)


def test_programs_run_at_run_time_become_runtime_packages(tmp_path):
    det = detect_cpp(tmp_path, {
        "main.c": (
            '#include <unistd.h>\n#include <stdlib.h>\nint main(void) {\n'
            '  system("gzip -9 out.txt");\n  execlp("git", "git", "--version", (char *)0);\n'
            '  execvp("frobctl", 0);\n  return 0;\n}\n'
        ),
    })
    assert facts(det)["cpp_runtime_packages"] == ["dash", "git", "gzip"]
    source = fact(det, "cpp_runtime_packages").source
    assert "main.c:4 (system) runs sh -> dash" in source and "main.c:5 (execlp) runs git -> git" in source
    assert any("main.c:6 (execvp) runs frobctl, which no Debian package" in n for n in det.notes)


def test_a_tool_run_from_one_screen_only_is_optional(tmp_path):
    # htop's and ag's shape: lsof from one screen, git from one options file; main() elsewhere.
    det = detect_cpp(tmp_path, {
        "main.c": 'void show(void);\nint main(void) { show(); return 0; }\n',
        "screen.c": '#include <unistd.h>\nvoid show(void) { execlp("lsof", "lsof", (char *)0); }\n',
        "options.c": '#include <stdio.h>\nvoid opts(void) { popen("git config core.excludesfile", "r"); }\n',
        "log.c": '#include <stdlib.h>\nvoid rot(void) { system("gzip log"); }\n',
        "dump.c": '#include <stdlib.h>\nvoid dump(void) { system("gzip dump"); }\n',
    })
    assert facts(det)["cpp_runtime_packages"] == ["dash", "gzip"]  # gzip (and its shell) from two files
    assert any(n.startswith("optional tool: screen.c:2 (execlp) runs lsof, only there") for n in det.notes)
    assert any(n.startswith("optional tool: options.c:2 (popen) runs git, only there") for n in det.notes)


def test_a_shell_the_program_spawns_itself_is_needed_wherever_it_is(tmp_path):
    # ninja's shape: main() in one file, posix_spawn of /bin/sh -c in the subprocess file only.
    det = detect_cpp(tmp_path, {
        "main.cc": 'void run(const char *);\nint main(int, char **argv) { run(argv[1]); return 0; }\n',
        "subprocess.cc": (
            '#include <spawn.h>\nextern char **environ;\nvoid run(const char *command) {\n  pid_t pid;\n'
            '  const char *args[] = { "/bin/sh", "-c", command, nullptr };\n'
            '  posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char **>(args), environ);\n}\n'
        ),
    })
    assert facts(det)["cpp_runtime_packages"] == ["dash"]
    assert fact(det, "cpp_runtime_packages").source == "subprocess.cc:6 (posix_spawn) runs sh -> dash"
    assert not any("optional tool" in n for n in det.notes)


@pytest.mark.parametrize("code", [
    '#define SHELL "/bin/sh"\nvoid run(const char *c) { execl(SHELL, "sh", "-c", c, (char *)0); }\n',
    'static const char *shell_path = "/bin/sh";\nvoid run(const char *c) { execl(shell_path, "sh", "-c", c, (char *)0); }\n',
    '#include <paths.h>\nvoid run(const char *c) { execl(_PATH_BSHELL, "sh", "-c", c, (char *)0); }\n',
    'void run(char *c) { char *argv[] = {"/bin/sh", "-c", c, 0};\n execv(argv[0], argv); }\n',
    'void run(char *c) { char *argv[] = {"sh", "-c", c, 0};\n execvp("sh", argv); }\n',
    'void run(const std::string &c) { std::string sh = "/bin/sh";\n execl(sh.c_str(), "sh", "-c", c.c_str(), nullptr); }\n',
])
def test_a_shell_named_by_a_string_constant_of_the_same_file(tmp_path, code):
    det = detect_cpp(tmp_path, {"main.c": MAIN_C, "hook.c": "#include <unistd.h>\n" + code})
    assert facts(det)["cpp_runtime_packages"] == ["dash"], det.notes
    assert fact(det, "cpp_runtime_packages").source.startswith("hook.c:")


@pytest.mark.parametrize("files", [
    {"hook.c": '/* execl("/bin/sh", "sh", "-c", cmd, 0); */\n// posix_spawn(&pid, "/bin/sh", 0, 0, a, e);\nint x;\n'},
    {"hook.c": 'const char *shell = "/bin/sh";\nvoid show(void) { printf("%s\\n", shell); }\n'},
    {"hook.c": 'void run(const char *p, char **a) { execv(p, a); }\n'},  # a path from the caller names nothing
    {"tests/spawn.c": 'void t(char **a) { execl("/bin/sh", "sh", "-c", "true", (char *)0); }\n'},
    {"src/subprocess_test.cc": 'void t(char **a) { execl("/bin/sh", "sh", "-c", "true", nullptr); }\n'},
    {"hook.cc": 'void t(Runner &r, char **a) { r.execl("/bin/sh", a); obj->system("/bin/sh"); }\n'},
])
def test_a_shell_in_comments_tests_or_plain_strings_is_not_read(tmp_path, files):
    det = detect_cpp(tmp_path, {"main.c": MAIN_C, **files})
    assert "cpp_runtime_packages" not in facts(det), fact(det, "cpp_runtime_packages").source


def test_vcpkg_dependencies_are_named_with_their_line(tmp_path):
    text = '{\n  "name": "app",\n  "dependencies": [\n    "zlib",\n    {"name": "zstd"}\n  ]\n}\n'
    det = detect_cpp(tmp_path, {**cmake_with(""), "vcpkg.json": text})
    source = fact(det, "cpp_build_packages").source
    assert "zlib (vcpkg.json:4 (vcpkg))" in source and "zstd (vcpkg.json:5 (vcpkg))" in source, source


# --- the port a server's code defines --------------------------------------------------------

SERVES = '#include <sys/socket.h>\nvoid serve(int fd) { listen(fd, 16); }\n'


def test_a_port_define_of_a_server_is_its_port(tmp_path):
    # redis's shape (before its configs moved to a table): the default in a header, other ports beside it.
    det = detect_cpp(tmp_path, {
        "Makefile": "all: src/redis-server\nsrc/redis-server: src/server.c\n\t$(CC) -o $@ $^\n",
        "src/server.h": (
            "#define CONFIG_DEFAULT_SERVER_PORT        6379  /* TCP port. */\n"
            "#define CONFIG_DEFAULT_SERVER_TLS_PORT    0     /* TCP port. */\n#define HAVE_EVPORT 1\n"
        ),
        "src/server.c": MAIN_C + SERVES,
        "src/sentinel.c": "#define REDIS_SENTINEL_PORT 26379\n",
        "src/cluster.h": "#define CLUSTER_PORT_INCR 10000 /* Cluster port = baseport + PORT_INCR */\n",
        "tests/helper.c": "#define DEFAULT_PORT 21111\n",
    })
    assert facts(det)["port"] == 6379
    assert fact(det, "port").source == (
        "src/server.h:1 #define CONFIG_DEFAULT_SERVER_PORT 6379, and the code listens (src/server.c:4 listen())"
    )
    note = next(n for n in det.notes if n.startswith("not read as the port"))
    assert "src/sentinel.c:1 #define REDIS_SENTINEL_PORT 26379 (sentinel)" in note
    assert "CLUSTER_PORT_INCR 10000 (cluster, incr)" in note


def test_port_defines_that_disagree_are_a_question(tmp_path):
    det = detect_cpp(tmp_path, {
        "main.c": MAIN_C + SERVES,
        "net.h": "#define DEFAULT_PORT 8080\n#  define HTTP_PORT (8443)\n#define PORT 8080\n",
    })
    assert "port" not in facts(det)
    q = question(det, "port")
    assert q and "several ports" in q.reason
    assert [(c.value, c.source.split(",")[0]) for c in q.candidates] == [
        (8080, "net.h:1 #define DEFAULT_PORT 8080"), (8443, "net.h:2 #define HTTP_PORT 8443"),
    ]


@pytest.mark.parametrize("files", [
    {"main.c": MAIN_C, "net.h": "#define DEFAULT_PORT 8080\n"},  # a client: it never listens
    {"main.c": MAIN_C + SERVES, "net.h": "/* #define DEFAULT_PORT 8080 */\n// #define PORT 80\n"},
    {"main.c": MAIN_C + SERVES, "net.h": "#define DEFAULT_PORT 70000\n#define PORT 0\n#define PORT_MASK 0xff\n"},
    {"main.c": MAIN_C + SERVES, "test/net.h": "#define DEFAULT_PORT 8080\n"},
    # More digits than int() converts: not a port, and no traceback.
    {"main.c": MAIN_C + SERVES, "net.h": "#define DEFAULT_PORT " + "9" * 5000 + "\n"},
])
def test_no_port_without_a_listening_server_and_a_real_define(tmp_path, files):
    det = detect_cpp(tmp_path, files)
    assert "port" not in facts(det) and not question(det, "port")


def test_a_port_variable_of_a_server_is_its_port(tmp_path):
    # darkhttpd's shape: the default in a file-scope variable, changed by --port at run time.
    det = detect_cpp(tmp_path, {
        "Makefile": "all: darkhttpd\ndarkhttpd: darkhttpd.c\n\t$(CC) darkhttpd.c -o $@\n",
        "darkhttpd.c": (
            MAIN_C + SERVES + "static int support = 1;\nstatic const char *export_port = \"x\";\n"
            "static uint16_t bindport = 8080;    /* or 80 if running as root */\n"
            "static unsigned short upstream_port = 9000, n = 2;\n"
        ),
    })
    assert facts(det)["port"] == 8080
    assert fact(det, "port").source.startswith("darkhttpd.c:7 bindport = 8080, and the code listens (darkhttpd.c:4 listen())")
    note = next(n for n in det.notes if n.startswith("not read as the port"))
    assert "darkhttpd.c:8 upstream_port = 9000 (upstream)" in note


@pytest.mark.parametrize("code", [
    "int portno = 7000;\n", "constexpr std::uint16_t kDefaultPort = 7000;\n", "    int port = 7000;\n", "long srvport=7000;\n",
])
def test_port_variables_spelled_as_servers_spell_them(tmp_path, code):
    det = detect_cpp(tmp_path, {"main.c": MAIN_C + SERVES + code})
    assert facts(det)["port"] == 7000


@pytest.mark.parametrize("code", [
    MAIN_C + "static int port = 8080;\n",  # a client: it never listens
    MAIN_C + SERVES + "int support = 8080;\nint report = 8080;\nint port = 0;\nint port = 70000;\n",
    MAIN_C + SERVES + "static char port = 80;\n/* int port = 8080; */\n",
])
def test_no_port_from_variables_that_are_not_a_listening_port(tmp_path, code):
    det = detect_cpp(tmp_path, {"main.c": code})
    assert "port" not in facts(det) and not question(det, "port")
