"""Which language the image builds when several are found: the one whose build manifest builds
the shipped program; test fixtures, cgo sources, vendored code, helper scripts and task-runner
Makefiles of another language become notes, not a question."""

from __future__ import annotations

import pytest

from scaffolder._plan import make_plan
from scaffolder._repo import Repo
from scaffolder.errors import AnswerError
from scaffolder.providers.cpp import make
from tests.helpers import MAIN_C, tree

GO_MAIN = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'
C_MAIN = MAIN_C
GO_MOD = "module example.com/tool\n\ngo 1.23\n"
GO_MAKEFILE = "GO ?= go\n\nall: build\n\nbuild:\n\t$(GO) build -o bin/tool .\n\ntest:\n\t$(GO) test ./...\n"


def plan_of(tmp_path, files):
    return make_plan(tree(tmp_path / "repo", files), {}, interactive=False)


def also_found(plan, language):
    return next(n for n in plan.detection.notes if n.startswith(f"also found {language} "))


def test_go_with_c_test_fixtures_and_a_makefile(tmp_path):
    plan = plan_of(tmp_path, {"go.mod": GO_MOD, "main.go": GO_MAIN, "Makefile": GO_MAKEFILE, "tests/fixtures/crash.c": C_MAIN})
    assert plan.data["language"] == "go"
    assert "only in tests, fixtures, examples or third-party code (tests/fixtures/crash.c)" in also_found(plan, "cpp")


@pytest.mark.parametrize("fixture", ["_fixtures/loop.c", "testdata/x.c", "vendor/github.com/mattn/go-sqlite3/sqlite3.c", "pkg/x/testdata/y.c"])
def test_go_with_c_that_is_not_the_project(tmp_path, fixture):
    plan = plan_of(tmp_path, {"go.mod": GO_MOD, "main.go": GO_MAIN, "Makefile": "all:\n\tgo build .\n", fixture: C_MAIN})
    assert plan.data["language"] == "go"


def test_cgo_sources_beside_go_files_belong_to_go(tmp_path):
    files = {
        "go.mod": GO_MOD, "main.go": GO_MAIN, "Makefile": GO_MAKEFILE,
        "nsenter/nsenter.go": 'package nsenter\n\n// #include "x.h"\nimport "C"\n', "nsenter/nsexec.c": "int x(void) { return 0; }\n",
    }
    plan = plan_of(tmp_path, files)
    assert plan.data["language"] == "go"
    assert "beside Go files, compiled by cgo (nsenter/nsexec.c)" in also_found(plan, "cpp")


def test_a_makefile_that_only_drives_go_build_is_not_a_c_build(tmp_path):
    # The C file is a real program, but no build file of the project builds it.
    plan = plan_of(tmp_path, {"go.mod": GO_MOD, "main.go": GO_MAIN, "Makefile": GO_MAKEFILE, "contrib/probe.c": C_MAIN})
    assert plan.data["language"] == "go"
    assert "Makefile:6 runs `go build` and compiles no C/C++" in also_found(plan, "cpp")


def test_a_python_task_runner_makefile_beside_extension_sources(tmp_path):
    files = {
        "pyproject.toml": '[project]\nname = "fast"\nversion = "1"\n[project.scripts]\nfast = "fast.cli:main"\n'
                          '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
        "fast/__init__.py": "", "fast/cli.py": "def main():\n    print('hi')\n",
        "src/speedups.c": "int add(int a, int b) { return a + b; }\n",
        "Makefile": "test:\n\tpython -m pytest\n\ndev:\n\tpip install -e .\n",
    }
    plan = plan_of(tmp_path, files)
    assert plan.data["language"] == "python"
    assert "Makefile:2 runs `python`" in also_found(plan, "cpp")


def test_a_c_makefile_that_also_runs_go_is_still_c(tmp_path):
    makefile = "all: prog\n\nprog: main.o\n\t$(CC) -o $@ $^\n\ngen:\n\tgo run ./gen\n"
    files = {"go.mod": GO_MOD, "gen/main.go": GO_MAIN, "main.c": C_MAIN, "Makefile": makefile}
    plan = plan_of(tmp_path, files)
    assert plan.data["language"] == "cpp"  # the only Go main is run by `go run`: a generator
    assert also_found(plan, "go")


def test_languages_that_build_no_program_yield(tmp_path):
    """brotli's layout: the CLI from CMake, Python bindings with no entry point, Go modules in go/."""
    files = {
        "CMakeLists.txt": "project(b C)\nadd_executable(b c/tools/b.c)\n", "c/tools/b.c": C_MAIN,
        "setup.py": "from setuptools import setup\nsetup(name='b')\n", "python/b.py": "x = 1\n",
        "go/cb/go.mod": "module example.com/cb\n\ngo 1.22\n", "go/cb/cb.go": "package cb\n",
    }
    plan = plan_of(tmp_path, files)
    assert plan.data["language"] == "cpp"
    assert "it builds no program" in also_found(plan, "python")
    assert "it builds no program" in also_found(plan, "go")


def test_go_whose_mains_are_all_helpers_yields(tmp_path):
    files = {"CMakeLists.txt": "project(p C)\nadd_executable(p main.c)\n", "main.c": C_MAIN,
             "go.mod": GO_MOD, "tools/lint/main.go": GO_MAIN}
    plan = plan_of(tmp_path, files)
    assert plan.data["language"] == "cpp"
    assert "every main package is a test helper, tool or example" in also_found(plan, "go")


def test_two_real_programs_stay_a_question(tmp_path):
    files = {"go.mod": GO_MOD, "main.go": GO_MAIN, "CMakeLists.txt": "project(p C)\nadd_executable(p src/p.c)\n", "src/p.c": C_MAIN}
    with pytest.raises(AnswerError, match="--data language="):
        plan_of(tmp_path, files)


@pytest.mark.parametrize(
    "makefile, expected",
    [
        (GO_MAKEFILE, "Makefile:6 runs `go build`"),
        ("BUILD = go build -trimpath\nall:\n\t$(BUILD) ./cmd/x\n", "Makefile:3 runs `go build`"),
        ("all:\n\tgo build .\n\tgcc -o helper helper.c\n", ""),
        ("all: prog\nprog: prog.o\n\tgo vet ./...\n", ""),
        ("all:\n\t$(MAKE) -C src\n\tgo test ./...\n", ""),
        ("all:\n\techo nothing\n", ""),
    ],
)
def test_drives_other_tools(tmp_path, makefile, expected):
    repo = Repo(tree(tmp_path, {"Makefile": makefile}))
    assert make.drives_other_tools(repo, "Makefile") == expected


@pytest.mark.parametrize("script", ["demos/userns-block-fd.py", "demo/run.py", "examples/client.py", "samples/s.py", "tests/test-seccomp.py"])
def test_python_in_demo_and_test_dirs_is_no_language(tmp_path, script):
    """bubblewrap's layout: a Meson C program, Python only in demos/ and tests/."""
    plan = plan_of(tmp_path, {
        "meson.build": "project('bw', 'c')\nexecutable(get_option('program_prefix') + 'bw', 'bw.c', install : true)\n",
        "meson_options.txt": "option('program_prefix', type : 'string', description : 'prefix')\n",
        "bw.c": C_MAIN, script: "import subprocess\nsubprocess.call(['newuidmap'])\n",
    })
    assert plan.data["language"] == "cpp" and plan.data["cpp_target"] == "bw"
    assert not any(n.startswith("also found python") for n in plan.detection.notes)
