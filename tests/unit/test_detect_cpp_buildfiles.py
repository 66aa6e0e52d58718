"""Meson, plain Make and autotools readers on small trees, including malformed input."""

from __future__ import annotations

import pytest

from scaffolder.errors import InputError
from tests.helpers import MAIN_C, MAIN_CPP, detect_cpp, fact, facts, question

# --- Meson --------------------------------------------------------------------------------------


def test_meson_executable_and_test_runner(tmp_path):
    det = detect_cpp(tmp_path, {
        "meson.build": (
            "project('calc', 'cpp', version : '1.0')\n"
            "lib = static_library('core', 'core.cpp')\n"
            "executable('calc', 'main.cpp', link_with : lib, install : true)\n"
            "t = executable('core_check', 'check.cpp', link_with : lib)\n"
            "test('core', t)\n"
        ),
    })
    assert facts(det)["cpp_build_system"] == "meson"
    assert facts(det)["cpp_target"] == "calc"
    assert fact(det, "cpp_target").source == "meson.build:3 (executable)"
    assert facts(det)["cpp_language"] == "cpp"
    assert any("core_check (run by test() or benchmark()" in n for n in det.notes)


def test_meson_c_project_and_project_name(tmp_path):
    det = detect_cpp(tmp_path, {"meson.build": "project('tool', 'c')\nexecutable(meson.project_name(), 'main.c')\n", "main.c": MAIN_C})
    assert facts(det)["cpp_target"] == "tool"
    assert facts(det)["cpp_language"] == "c"


def test_meson_subdir_and_option_blocks(tmp_path):
    det = detect_cpp(tmp_path, {
        "meson.build": "project('p', ['c', 'cpp'])\nsubdir('src')\nif get_option('tests')\n  subdir('tests')\nendif\n",
        "src/meson.build": "executable('app', 'main.cpp')\n",
        "tests/meson.build": "executable('suite', 't.cpp')\n",
        "meson_options.txt": "option('tests', type : 'boolean', value : true)\noption('docs', type : 'boolean', value : true)\n",
    })
    assert facts(det)["cpp_target"] == "app"
    assert facts(det)["cpp_configure_args"] == "-Dtests=false"
    assert any("suite (inside if get_option('tests')" in n for n in det.notes)


def test_meson_dependencies(tmp_path):
    det = detect_cpp(tmp_path, {
        "meson.build": (
            "project('p', 'cpp')\n"
            "deps = [dependency('zlib'), dependency('threads'), dependency('boost', modules : ['filesystem'])]\n"
            "opt = dependency('libfoo', required : false)\n"
            "m = meson.get_compiler('cpp').find_library('m')\n"
            "executable('app', 'main.cpp', dependencies : deps)\n"
        ),
    })
    assert facts(det)["cpp_build_packages"] == ["libboost-dev", "libboost-filesystem-dev", "pkg-config", "zlib1g-dev"]
    assert facts(det)["cpp_link"] == "static"
    assert any(n.startswith("optional libfoo") for n in det.notes)


def test_meson_libcurl_is_dynamic(tmp_path):
    det = detect_cpp(tmp_path, {"meson.build": "project('p', 'cpp')\nexecutable('app', 'm.cpp', dependencies : dependency('libcurl'))\n"})
    assert facts(det)["cpp_link"] == "dynamic"
    assert "libcurl (meson.build:2 (dependency))" in fact(det, "cpp_link").source


def test_meson_several_executables_are_a_question(tmp_path):
    det = detect_cpp(tmp_path, {"meson.build": "project('p', 'c')\nexecutable('a', 'a.c')\nexecutable('b', 'b.c')\n"})
    assert [c.value for c in question(det, "cpp_target").candidates] == ["a", "b"]


def test_meson_name_from_concatenation_and_option_default(tmp_path):
    # bubblewrap's shape: executable(get_option('program_prefix') + 'bwrap', ...), the option a
    # string with no value (Meson's default: '').
    det = detect_cpp(tmp_path, {
        "meson.build": "project('p', 'c')\nname = 'x' + 'y'\nexecutable(get_option('program_prefix') + name + '2', 'a.c')\n",
        "meson_options.txt": "option(\n  'program_prefix',\n  type : 'string',\n  description : 'prefix',\n)\n",
    })
    assert facts(det)["cpp_target"] == "xy2"
    assert fact(det, "cpp_target").source == "meson.build:3 (executable named `get_option('program_prefix') + name + '2'` = 'xy2')"


@pytest.mark.parametrize(
    "files, name",
    [
        # meson.options wins over meson_options.txt, as in Meson 1.1 and later
        ({"meson.options": "option('pre', type : 'string', value : 'g')\n", "meson_options.txt": "option('pre', type : 'string', value : 'x')\n"}, "gtool"),
        ({"meson_options.txt": "option('pre', type : 'combo', choices : ['k', 'z'])\n"}, "ktool"),
        ({"meson_options.txt": "option('pre', type : 'string', value : 'x')\n", "meson.build": "project('p', 'c', default_options : ['pre=y'])\n"}, "ytool"),
        ({"meson.build": "project('p', 'c')\npre = 'q'\nexecutable(f'@pre@tool', 'a.c')\n"}, "qtool"),
        ({"meson.build": "project('p', 'c')\npre = 'q'\npre += 'r'\nexecutable(pre + 'tool', 'a.c')\n"}, "qrtool"),
    ],
)
def test_meson_names_evaluated_with_certainty(tmp_path, files, name):
    tree = {"meson.build": "project('p', 'c')\nexecutable(get_option('pre') + 'tool', 'a.c')\n", **files}
    if "executable(" not in tree["meson.build"]:
        tree["meson.build"] += "executable(get_option('pre') + 'tool', 'a.c')\n"
    assert facts(detect_cpp(tmp_path, tree))["cpp_target"] == name


@pytest.mark.parametrize(
    "build, options, expression",
    [
        # an option not declared (a built-in, or a typo): its value is not known
        ("executable(get_option('bindir') + 'x', 'a.c')", "", "`get_option('bindir') + 'x'`"),
        # different values in the branches of an if: neither is certain
        ("if host_machine.system() == 'linux'\n  n = 'a'\nelse\n  n = 'b'\nendif\nexecutable(n, 'a.c')", "", "`n`"),
        ("executable('x'.to_upper(), 'a.c')", "", "`'x'.to_upper()`"),
        ("executable(f'@nope@x', 'a.c')", "", "`f'@nope@x'`"),
        # a boolean option is no string
        ("executable(get_option('b') + 'x', 'a.c')", "option('b', type : 'boolean', value : true)\n", "`get_option('b') + 'x'`"),
    ],
)
def test_meson_name_not_certain_is_asked_with_the_expression(tmp_path, build, options, expression):
    tree = {"meson.build": f"project('p', 'c')\n{build}\n"}
    if options:
        tree["meson_options.txt"] = options
    det = detect_cpp(tmp_path, tree)
    asked = question(det, "cpp_target")
    assert expression in asked.reason and "cannot evaluate" in asked.reason
    assert not det.loose  # it builds a program, only its name is unknown


def test_meson_unevaluated_name_beside_a_named_program_is_a_note(tmp_path):
    det = detect_cpp(tmp_path, {"meson.build": "project('p', 'c')\nexecutable('main', 'a.c')\nforeach t : ['x']\n  executable(t, 'b.c')\nendforeach\n"})
    assert facts(det)["cpp_target"] == "main"
    assert any("executable() at meson.build:4: its name is `t`" in n for n in det.notes)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("project('p', 'c')\nexecutable('a', 'a.c'\n", 3, "a bracket is never closed"),
        ("project('p', 'c')\nexecutable('a, 'a.c')\n", 2, "string is never closed"),
        ("project('p', 'c')\nendif\n", 2, "endif without its opening statement"),
        ("project('p', 'c')\nif true\nexecutable('a', 'a.c')\n", 3, "never closed"),
        ("project('p', 'c'))\n", 1, "unmatched ')'"),
        ("project('p', 'c')\nx = 1 ; 2\n", 2, "unexpected ';'"),
    ],
)
def test_meson_malformed(tmp_path, text, line, message):
    with pytest.raises(InputError) as err:
        detect_cpp(tmp_path, {"meson.build": text})
    assert err.value.line == line
    assert message in str(err.value)
    assert str(err.value).startswith("meson.build:")


def test_meson_missing_subdir_is_noted(tmp_path):
    det = detect_cpp(tmp_path, {"meson.build": "project('p', 'c')\nsubdir('gone')\nexecutable('a', 'a.c')\n"})
    assert any("gone/meson.build is missing" in n for n in det.notes)


# --- plain Make ---------------------------------------------------------------------------------

MAKEFILE = """\
CXX ?= g++
PROGRAM := tally
OBJECTS = main.o util.o

.PHONY: all test clean

all: $(PROGRAM)

$(PROGRAM): $(OBJECTS)
\t$(CXX) -o $@ $^

%.o: %.cpp
\t$(CXX) -c -o $@ $<

tally_test: test.o util.o
\t$(CXX) -o $@ $^

test: tally_test
\t./tally_test

clean:
\trm -f $(PROGRAM) *.o
"""


def test_make_default_goal_through_phony_all(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": MAKEFILE, "main.cpp": MAIN_CPP})
    assert facts(det)["cpp_build_system"] == "make"
    assert facts(det)["cpp_target"] == "tally"
    assert fact(det, "cpp_target").source == "Makefile:9 (rule, prerequisite of all)"


def test_make_first_rule_is_the_program(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": "hello: hello.c\n\tcc -o hello hello.c\nclean:\n\trm -f hello\n", "hello.c": MAIN_C})
    assert facts(det)["cpp_target"] == "hello"
    assert facts(det)["cpp_language"] == "c"


def test_make_default_goal_variable_and_paths(tmp_path):
    det = detect_cpp(tmp_path, {
        "GNUmakefile": "BIN = bin/server\n.DEFAULT_GOAL := build\nclean:\n\trm -rf bin\nbuild: $(BIN)\n$(BIN): main.o\n\t$(CXX) -o $@ $^\n",
        "main.cpp": MAIN_CPP,
    })
    assert facts(det)["cpp_target"] == "bin/server"


def test_make_all_with_several_programs_is_a_question(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": "all: client server docs.html\nclient: c.o\nserver: s.o\n", "c.cpp": MAIN_CPP})
    assert [c.value for c in question(det, "cpp_target").candidates] == ["client", "server"]


def test_make_skips_target_specific_variables_and_static_patterns(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "app: CXXFLAGS += -O2\nobjs = a.o\n$(objs): %.o: %.cpp\napp: a.o\n\t$(CXX) -o $@ $^\n",
        "a.cpp": MAIN_CPP,
    })
    assert facts(det)["cpp_target"] == "app"


def test_make_with_only_phony_targets_asks(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": ".PHONY: clean\nclean:\n\trm -f *.o\n", "a.cpp": MAIN_CPP})
    assert "cpp_target" in {q.name for q in det.questions}


def test_make_link_flags_map_to_packages(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "LDLIBS = -lz -lpthread -lm $(shell pkg-config --libs libcurl)\napp: main.o\n\t$(CXX) -o $@ $^ $(LDLIBS)\n",
        "main.cpp": MAIN_CPP,
    })
    # $(shell pkg-config ...) runs in the builder: it needs pkg-config too.
    assert facts(det)["cpp_build_packages"] == ["libcurl4-openssl-dev", "pkg-config", "zlib1g-dev"]
    assert facts(det)["cpp_link"] == "dynamic"


def test_make_line_continuations_and_defines(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "define RECIPE\nfake: rule\nendef\nall: \\\n  prog\nprog: p.o\n",
        "p.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "prog"


RECURSIVE = {
    "Makefile": (
        "SUBDIRS = deps/tiny lib\n.PHONY: all clean app\n"
        "all: app\n"
        "app:\n\tfor d in $(SUBDIRS); do $(MAKE) -C $$d || exit 1; done\n\t$(MAKE) -C src\n"
        "clean:\n\t$(MAKE) -C src clean\n"
    ),
    "deps/tiny/Makefile": "all: libtiny.a tinytool\nlibtiny.a: tiny.o\n\t$(AR) rcs $@ $^\ntinytool: tool.o\n",
    "deps/tiny/tiny.c": "int tiny(void) { return 1; }\n",
    "lib/Makefile": "LIB = libgreet.a\n$(LIB): greet.o\n\tar rcs $@ $^\n",
    "lib/greet.c": "int greet(void) { return 2; }\n",
    "src/Makefile": (
        "# LDLIBS += -lubsan for a sanitizer build\n"
        "LDLIBS = -L../lib -lgreet -L../deps/tiny -ltiny -lz\n"
        "ifeq ($(OS),Windows_NT)\nLDLIBS += -lws2_32\nelse\nLDLIBS += -lm\nendif\n"
        "greeter: main.o\n\t$(CC) -o $@ $^ $(LDLIBS) # -lasan\n"
    ),
    "src/main.c": MAIN_C,
}


def test_make_follows_sub_makes_to_the_program(tmp_path):
    det = detect_cpp(tmp_path, RECURSIVE)
    assert facts(det)["cpp_target"] == "src/greeter"
    assert fact(det, "cpp_target").source == "src/Makefile:8 (rule, default goal, run by Makefile:6)"
    # The bundled library's tool is someone else's program.
    assert any("deps/tiny/tinytool (in third-party directory deps/" in n for n in det.notes)


def test_make_links_only_what_the_build_links(tmp_path):
    det = detect_cpp(tmp_path, RECURSIVE)
    # -lgreet and -ltiny are the project's own libraries; -lubsan and -lasan are comments;
    # -lws2_32 is in a Windows branch; -lm is glibc.
    assert facts(det)["cpp_build_packages"] == ["zlib1g-dev"]
    assert "z (src/Makefile:9 (-lz))" in fact(det, "cpp_build_packages").source
    assert facts(det)["cpp_link"] == "static"


def test_make_other_tools_flags_are_not_links(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": (
            "LDFLAGS := -X main.version=1 -linkmode external\n"
            "all: tool helper\n"
            "tool:\n\tgo build -ldflags \"$(LDFLAGS)\" -o tool ./cmd/tool\n"
            "helper: helper.o\n\t$(CC) -o $@ $^ -lpcre\n"
        ),
        "helper.c": MAIN_C,
    })
    assert facts(det)["cpp_build_packages"] == ["libpcre3-dev"]


def test_make_windows_only_library_outside_a_branch_is_a_note(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": "app: a.o\n\t$(CC) -o $@ $^ -lws2_32\n", "a.c": MAIN_C})
    assert facts(det)["cpp_build_packages"] == []
    assert any("ws2_32" in n and "windows system library" in n for n in det.notes)


def test_make_unknown_library_is_a_question_with_the_line(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": "app: a.o\n\t$(CC) -o $@ $^ -lfrobnicate -lz\n", "a.c": MAIN_C})
    q = question(det, "cpp_build_packages")
    assert "frobnicate (Makefile:2 (-lfrobnicate))" in q.reason
    assert q.candidates[0].value == ["zlib1g-dev"]


def test_make_builtin_link_rule_reads_ldlibs(tmp_path):
    det = detect_cpp(tmp_path, {"Makefile": "LDLIBS = -lsqlite3\nall: app\napp: app.o\n", "app.c": MAIN_C})
    assert facts(det)["cpp_build_packages"] == ["libsqlite3-dev"]


def test_make_cd_and_make_forwards_into_the_directory(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "all:\n\tcd src && $(MAKE) prog\n",
        "src/Makefile": "prog: p.o\n\t$(CC) -o $@ $^\nother: o.o\n",
        "src/p.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "src/prog"


def test_make_recipe_inside_a_conditional_keeps_its_rule(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "app: a.o\nifeq ($(shell uname -s),Darwin)\n\t$(CC) -o $@ $^ -framework Cocoa -lobjc\nelse\n\t$(CC) -o $@ $^ -luuid\nendif\n",
        "a.c": MAIN_C,
    })
    assert facts(det)["cpp_build_packages"] == ["uuid-dev"]


def test_make_not_utf8(tmp_path):
    with pytest.raises(InputError, match=r"^Makefile:2: not valid UTF-8"):
        detect_cpp(tmp_path, {"Makefile": b"all: app\n\xfe\n", "a.c": MAIN_C})


def test_cmake_wins_over_a_wrapper_makefile(tmp_path):
    det = detect_cpp(tmp_path, {"CMakeLists.txt": "project(p)\nadd_executable(app m.cpp)\n", "Makefile": "all:\n\tcmake --build build\n"})
    assert facts(det)["cpp_build_system"] == "cmake"
    assert "also found: make" in fact(det, "cpp_build_system").source


# --- autotools ----------------------------------------------------------------------------------


def test_autotools_programs_from_makefile_am(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure.ac": (
            "AC_INIT([app-suite], [1.0])\nAM_INIT_AUTOMAKE([foreign])\nAC_PROG_CXX\nLT_INIT\n"
            "PKG_CHECK_MODULES([ZLIB], [zlib >= 1.2])\nAC_CHECK_LIB([m], [sqrt])\n"
            "AC_CONFIG_FILES([Makefile src/Makefile])\nAC_OUTPUT\n"
        ),
        "Makefile.am": "SUBDIRS = src\n",
        "src/Makefile.am": "bin_PROGRAMS = app \\\n  app-admin\nnoinst_PROGRAMS = gen\ncheck_PROGRAMS = app_tests\n",
        "Makefile": "# generated by configure\nall:\n",
    })
    assert facts(det)["cpp_build_system"] == "autotools"  # a generated Makefile does not count
    assert [c.value for c in question(det, "cpp_target").candidates] == ["src/app", "src/app-admin"]
    assert facts(det)["cpp_language"] == "cpp"
    assert "cpp_configure_args" not in facts(det)  # the template disables shared libraries
    assert facts(det)["cpp_build_packages"] == ["pkg-config", "zlib1g-dev"]
    assert any("app_tests (check_PROGRAMS" in n for n in det.notes)


def test_autotools_program_named_in_ac_init_wins_over_a_conditional_alternative(tmp_path):
    # htop's shape: `if !PCP bin_PROGRAMS = htop else bin_PROGRAMS = pcp-htop endif`.
    det = detect_cpp(tmp_path, {
        "configure.ac": "AC_INIT([top],[3.5],[a@b])\nAC_PROG_CC\nAC_CONFIG_FILES([Makefile])\n",
        "Makefile.am": "if !TOP_PCP\nbin_PROGRAMS = top\nelse\nbin_PROGRAMS = pcp-top\nendif\n",
        "top.c": "int main(void) { return 0; }\n",
    })
    assert facts(det)["cpp_target"] == "top"
    assert "named after the project (configure.ac:1 (AC_INIT))" in fact(det, "cpp_target").source
    assert any("not run by the image: pcp-top" in n for n in det.notes)


def test_make_program_named_as_the_projects_server(tmp_path):
    # redis's shape: no program has the project's (directory's) name; <name>-server is its service.
    det = detect_cpp(tmp_path / "kv", {
        "Makefile": "all: kv-server kv-cli kv-check\nkv-server: s.c\n\t$(CC) -o $@ $^\nkv-cli: c.c\n\t$(CC) -o $@ $^\n"
        "kv-check: k.c\n\t$(CC) -o $@ $^\n",
        "s.c": "int main(void) { return 0; }\n", "c.c": "int main(void) { return 0; }\n", "k.c": "int main(void) { return 0; }\n",
    })
    assert facts(det)["cpp_target"] == "kv-server"
    assert "named as the project's server (the repository's directory name)" in fact(det, "cpp_target").source
    assert any("not run by the image: kv-cli, kv-check" in n for n in det.notes)


def test_autotools_makefile_am_outside_config_files_is_ignored(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure.ac": "AC_INIT([a], [1])\nAC_PROG_CC\nAC_CONFIG_FILES([Makefile])\n",
        "Makefile.am": "bin_PROGRAMS = a\n",
        "contrib/Makefile.am": "bin_PROGRAMS = other\n",
    })
    assert facts(det)["cpp_target"] == "a"
    assert facts(det)["cpp_language"] == "c"


def test_handwritten_configure_with_makefile_in(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure": "#!/bin/sh\nsed 's/@CC@/gcc/' Makefile.in > Makefile\n",
        "Makefile.in": "CC = @CC@\nall: tool\ntool: tool.o\n\t$(CC) -o $@ $^ -lz\n",
        "tool.c": MAIN_C,
    })
    assert facts(det)["cpp_build_system"] == "autotools"
    assert facts(det)["cpp_target"] == "tool"
    assert facts(det)["cpp_build_packages"] == ["zlib1g-dev"]


def test_configure_without_makefile_asks(tmp_path):
    det = detect_cpp(tmp_path, {"configure": "#!/bin/sh\n", "a.c": MAIN_C})
    assert "cpp_target" in {q.name for q in det.questions}
    assert any("no Makefile.in or Makefile" in n for n in det.notes)


def test_configure_ac_not_utf8(tmp_path):
    with pytest.raises(InputError, match=r"^configure.ac:1: not valid UTF-8"):
        detect_cpp(tmp_path, {"configure.ac": b"AC_INIT(\xff)\n"})


def test_make_default_rule_forwards_into_a_directory(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "default: all\n\n.DEFAULT:\n\tcd src && $(MAKE) $@\n",
        "src/Makefile": "all: server\nserver: server.o\n\t$(CC) -o $@ $^ -lm\n",
        "src/server.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "src/server"


def test_make_subdirectory_targets_run_make_in_themselves(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "DIRS = lib app\n.PHONY: all $(DIRS)\nall: $(DIRS)\n$(DIRS):\n\t$(MAKE) -C $@\n",
        "lib/Makefile": "libx.a: x.o\n\tar rcs $@ $^\n",
        "app/Makefile": "tool: main.o\n\t$(CC) -o $@ $^ -L../lib -lx\n",
        "app/main.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "app/tool"
    assert facts(det)["cpp_build_packages"] == []  # -lx is built by lib/Makefile


def test_autotools_checks_inside_conditionals_are_optional(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure.ac": (
            "AC_INIT([t], [1])\nAC_PROG_CC\nAC_CONFIG_FILES([t.1])\n"
            "AC_CHECK_LIB([ncursesw], [refresh])\n"
            "AC_ARG_ENABLE([sensors], [AS_HELP_STRING([--enable-sensors])])\n"
            "AS_IF([test \"x$enable_sensors\" = xyes], [AC_CHECK_LIB([sensors], [sensors_init])])\n"
            "case $host in\n  *mingw*)\n    AC_CHECK_LIB([shlwapi], [main])\n    ;;\nesac\n"
            "AC_CHECK_LIB([$2], [f])\nPKG_CHECK_MODULES([X], [${name}lib])\n"
            "AC_CONFIG_FILES([Makefile])\n"
        ),
        "Makefile.am": "bin_PROGRAMS = t\n",
        "t.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "t"  # from the second AC_CONFIG_FILES
    assert facts(det)["cpp_build_packages"] == ["libncurses-dev"]
    assert any("optional sensors (configure.ac:6 (AC_CHECK_LIB, inside a conditional))" in n for n in det.notes)
    assert not question(det, "cpp_build_packages")


def test_autotools_libraries_named_through_shell_variables(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure.ac": (
            "AC_INIT([t], [1])\nAC_PROG_CC\n\n# comment lines keep the line numbers\n"
            "z_libs=\"z\"\n"
            "AC_SEARCH_LIBS([deflate], [$z_libs])\n"
            "names=\"ncurses6 curses\"\n"
            "if test \"x$wide\" = xyes; then\n  names=\"ncursesw6 ncursesw $names\"\nfi\n"
            "override=`echo $with_x`\n"
            "for n in $names; do\n  $PKG_CONFIG --exists $n || continue\n  break\ndone\n"
            "for n in $override; do\n  $PKG_CONFIG --exists $n && break\ndone\n"
            "AC_CONFIG_FILES([Makefile])\n"
        ),
        "Makefile.am": "bin_PROGRAMS = t\n",
        "t.c": MAIN_C,
    })
    assert facts(det)["cpp_build_packages"] == ["libncurses-dev", "pkg-config", "zlib1g-dev"]
    assert "z (configure.ac:6 (AC_SEARCH_LIBS))" in fact(det, "cpp_build_packages").source
    assert "(configure.ac:12 (pkg-config loop over $names))" in fact(det, "cpp_build_packages").source
    # the modules the table does not know are the loop's other alternatives, not notes
    assert not any("ncurses6" in n for n in det.notes)
    assert not question(det, "cpp_build_packages")


_JQ_LIKE_CONFIGURE = (
    "AC_INIT([jqish], [1])\nAC_PROG_CC\nLT_INIT([shared static])\n"
    "AS_IF([test \"x$with_oniguruma\" != xno], [AC_CHECK_LIB([onig], [onig_version])])\n"
    "AS_IF([test -f \"${srcdir}/vendor/oniguruma/configure.ac\"], [AC_CONFIG_SUBDIRS([vendor/oniguruma])])\n"
    "AC_CONFIG_FILES([Makefile])\n"
)


def test_autotools_libtool_and_oniguruma_from_debian(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure.ac": _JQ_LIKE_CONFIGURE,
        "Makefile.am": "lib_LTLIBRARIES = libjqish.la\nbin_PROGRAMS = jqish\njqish_LDADD = libjqish.la\n",
        ".gitmodules": '[submodule "vendor/oniguruma"]\n\tpath = vendor/oniguruma\n\turl = https://example.invalid/onig.git\n',
        "vendor/decNumber/decNumber.c": "int x;\n",
        "jqish.c": MAIN_C,
    })
    assert facts(det)["cpp_build_packages"] == ["libonig-dev"]
    # Debian ships no libonig.a: the link is dynamic, with the reason.
    assert facts(det)["cpp_link"] == "dynamic"
    assert "no static libonig.a" in fact(det, "cpp_link").source
    assert any(n.startswith("configure.ac:3 (LT_INIT): libtool builds") and "-all-static" in n for n in det.notes)
    assert (
        "vendor/oniguruma (.gitmodules:2, named at configure.ac:5): a git submodule with no files here; "
        "the build uses Debian's libonig-dev instead"
    ) in det.notes


def test_autotools_checked_out_or_unknown_submodules(tmp_path):
    files = {
        "configure.ac": _JQ_LIKE_CONFIGURE.replace("AC_CHECK_LIB([onig], [onig_version])", "true"),
        "Makefile.am": "bin_PROGRAMS = jqish\n",
        ".gitmodules": '[submodule "o"]\n\tpath = vendor/oniguruma\n[submodule "d"]\n\tpath = docs/theme\n',
        "jqish.c": MAIN_C,
    }
    det = detect_cpp(tmp_path / "empty", files)
    # Not a dependency the build looks for: no Debian package stands in for the submodule.
    assert any(n.startswith("vendor/oniguruma (.gitmodules:2") and n.endswith("git submodule update --init) before building") for n in det.notes)
    assert not any(n.startswith("docs/theme") for n in det.notes)  # the build file does not name it
    det = detect_cpp(tmp_path / "full", {**files, "vendor/oniguruma/configure.ac": "AC_INIT([onig], [6])\n"})
    assert not any("submodule" in n for n in det.notes)
    assert not any("libtool" in n for n in detect_cpp(tmp_path / "plain", {**files, "configure.ac": "AC_INIT([t], [1])\nAC_PROG_CC\n"}).notes)


def test_make_undefined_variable_in_a_rule_is_empty(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "SERVER = server$(PROG_SUFFIX)\nall: $(SERVER)\n$(SERVER): s.o\n\t$(CC) -o $@ $^\n",
        "s.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "server"


def test_meson_program_named_after_the_project_wins(tmp_path):
    det = detect_cpp(tmp_path, {
        "meson.build": (
            "project('pkgtool', 'c')\nlib = library('pkgtool', 'lib.c')\n"
            "executable('pkgtool', 'main.c', link_with : lib, install : true)\n"
            "executable('pkgtool-helper', 'helper.c', install : true)\n"
        ),
        "main.c": MAIN_C,
    })
    assert facts(det)["cpp_target"] == "pkgtool"
    assert "named after the project (meson.build:1 (project))" in fact(det, "cpp_target").source
    assert any("other programs, not run by the image: pkgtool-helper" in n for n in det.notes)


def test_make_shared_library_is_not_a_program(tmp_path):
    # lz4's shape: lib/ builds libNAME.so.1 with -shared beside the archive; programs/ the program.
    det = detect_cpp(tmp_path, {
        "Makefile": "all:\n\t$(MAKE) -C lib\n\t$(MAKE) -C programs\n",
        "lib/Makefile": "all: libx.a libx.so.1 libx-plugin\nlibx.a: x.o\n\t$(AR) rcs $@ $^\n"
        "libx.so.1: x.o\n\t$(CC) -shared -o $@ $^\nlibx-plugin: x.o\n\t$(CC) -fPIC -shared -o $@ $^\n",
        "lib/x.c": "int x(void) { return 1; }\n",
        "programs/Makefile": "all: tool\ntool: main.c\n\t$(CC) -o $@ main.c ../lib/libx.a\n",
        "programs/main.c": "int main(void) { return 0; }\n",
    })
    assert facts(det)["cpp_target"] == "programs/tool"


def test_curses_needs_tinfo_for_a_static_link_and_terminfo_at_run_time(tmp_path):
    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": (
            "project(rain LANGUAGES C)\nset(CURSES_NEED_WIDE TRUE)\nfind_package(Curses REQUIRED)\n"
            "add_executable(rain main.c)\ntarget_link_libraries(rain ${CURSES_LIBRARIES})\n"
        ),
        "main.c": MAIN_C,
    })
    assert facts(det)["cpp_static_pkg_config"] == ["tinfo"]
    assert "Curses (CMakeLists.txt:3 (find_package))" in fact(det, "cpp_static_pkg_config").source
    assert facts(det)["cpp_terminfo"] is True
    plain = detect_cpp(tmp_path / "zlib", {
        "CMakeLists.txt": "project(z C)\nfind_package(ZLIB REQUIRED)\nadd_executable(z main.c)\n",
        "main.c": MAIN_C,
    })
    assert "cpp_static_pkg_config" not in facts(plain) and "cpp_terminfo" not in facts(plain)  # the defaults


def test_autotools_check_is_required_only_when_configure_fails_without_it(tmp_path):
    det = detect_cpp(tmp_path, {
        "configure.ac": (
            "AC_INIT([t], [1])\nAC_PROG_CC\n"
            "PKG_CHECK_MODULES([NCURSES], [tinfow], [LIBS=\"$NCURSES_LIBS $LIBS\"], [found_ncurses=no])\n"
            "AC_CHECK_LIB(xnet, socket)\n"
            "AC_CHECK_LIB([nosuchlib], [f], [], [AC_MSG_ERROR([nosuchlib is needed])])\n"
            "AC_CONFIG_FILES([Makefile])\n"
        ),
        "Makefile.am": "bin_PROGRAMS = t\n",
        "t.c": MAIN_C,
    })
    assert any("optional tinfow (configure.ac:3 (PKG_CHECK_MODULES))" in n for n in det.notes)
    assert any("optional xnet (configure.ac:4 (AC_CHECK_LIB))" in n for n in det.notes)
    assert "nosuchlib (configure.ac:5 (AC_CHECK_LIB))" in question(det, "cpp_build_packages").reason


def test_autotools_parser_generators_come_from_the_debian_table(tmp_path):
    # tmux's shape: AC_PROG_YACC for its cmd-parse.y; the generated parser is not in the checkout.
    det = detect_cpp(tmp_path, {
        "configure.ac": (
            "AC_INIT([t], [1])\nAC_PROG_CC\n# AC_PROG_YACC would be read here in a comment\n"
            "AC_PROG_YACC\nAM_PROG_LEX\nAC_CONFIG_FILES([Makefile])\n"
        ),
        "Makefile.am": "bin_PROGRAMS = t\nt_SOURCES = t.c parse.y scan.l\n",
        "t.c": MAIN_C,
    })
    assert facts(det)["cpp_build_packages"] == ["bison", "flex", "libfl-dev"]
    source = fact(det, "cpp_build_packages").source
    assert "AC_PROG_YACC (configure.ac:4) -> bison" in source and "AM_PROG_LEX (configure.ac:5) -> flex libfl-dev" in source
    assert facts(det)["cpp_link"] == "static"  # libfl.a


def test_cmake_parser_generators_and_macro_names_are_exact(tmp_path):
    from scaffolder.providers.cpp import libraries

    det = detect_cpp(tmp_path, {
        "CMakeLists.txt": "project(p C)\nfind_package(BISON REQUIRED)\nfind_package(FLEX REQUIRED)\nadd_executable(p p.c)\n",
        "p.c": MAIN_C,
    })
    assert facts(det)["cpp_build_packages"] == ["bison", "flex", "libfl-dev"]
    assert libraries.lookup("AC_PROG_YACC", "autoconf").key == "bison"
    assert libraries.lookup("ac_prog_yacc", "autoconf") is None  # m4 is case-sensitive
    assert libraries.lookup("AC_PROG_YACC", "lib") is None and libraries.lookup("bison", "autoconf") is None


def test_make_shell_tests_for_another_platform_are_not_read(tmp_path):
    # darkhttpd's shape: Solaris's socket libraries behind a `uname` test in a command substitution.
    det = detect_cpp(tmp_path, {
        "Makefile": (
            'LIBS=`[ \\`uname\\` = "SunOS" ] && echo -lsocket -lnsl -lsendfile`\n'
            "EXTRA=$(shell if test `uname -s` != Darwin; then echo -lz; else echo -lframework; fi)\n"
            "ifeq ($(shell uname -s),SunOS)\nLIBS += -lrpcsvc\nendif\n"
            "ifneq ($(OS),AIX)\nLIBS += -lm\nendif\n"
            "all: app\napp: app.c\n\t$(CC) $(LIBS) $(EXTRA) app.c -o $@ `[ -n \"$$V\" ] && echo -lpcre`\n"
        ),
        "app.c": MAIN_C,
    })
    # -lz: Darwin's else-branch is the other platform's; -lpcre: a test that names no platform stays.
    assert facts(det)["cpp_build_packages"] == ["libpcre3-dev", "zlib1g-dev"]
    assert "cpp_build_packages" not in {q.name for q in det.questions}


def test_a_cxx_fuzz_target_does_not_choose_the_compiler(tmp_path):
    det = detect_cpp(tmp_path, {
        "Makefile": "all: srv\nsrv: srv.c\n\t$(CC) srv.c -o $@\n",
        "srv.c": MAIN_C,
        "devel/fuzz_socket.cc": "extern \"C\" int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n",
        "devel/bench.c": MAIN_C,
    })
    assert facts(det)["cpp_language"] == "c"
    assert "devel/fuzz_socket.cc" in fact(det, "cpp_language").source
    both = detect_cpp(tmp_path / "both", {"Makefile": "all: srv\nsrv: srv.c x.cc\n", "srv.c": MAIN_C, "x.cc": "int x;\n"})
    assert facts(both)["cpp_language"] == "cpp"
