"""Go detection rules on small trees: main packages, modules, workspaces, versions, cgo, vendor,
time zones, ports, run-time directories, and the errors bad files get."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import CERTAIN, LIKELY, go
from tests.helpers import fact, facts, question, tree

MAIN = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n'
LIB = "package lib\n\nfunc F() int { return 1 }\n"


def detect(root: Path, files: dict[str, str]):
    return go.detect(Repo(tree(root, files)))


def mod(path="example.com/app", version="1.23", extra=""):
    return f"module {path}\n\ngo {version}\n{extra}"


# --- not Go ----------------------------------------------------------------------------------


def test_no_go_files_is_not_go(tmp_path):
    assert detect(tmp_path, {"README.md": "hi\n", "main.py": "print(1)\n"}) is None


def test_go_files_only_in_vendor_or_testdata_are_not_a_go_project(tmp_path):
    assert detect(tmp_path, {"vendor/x/x.go": LIB, "testdata/m.go": MAIN}) is None


# --- lone files (no go.mod) ----------------------------------------------------------------


def test_lone_file_is_built_directly(tmp_path):
    det = detect(tmp_path, {"hello.go": MAIN})
    assert facts(det)["go_module"] is False
    assert facts(det)["go_packages"] == ["./hello.go"]
    assert facts(det)["go_entrypoint"] == "hello"
    assert fact(det, "go_entrypoint").certainty == LIKELY
    assert facts(det)["go_version"] == go.DEFAULT_VERSION
    assert "go_mod_dirs" not in facts(det)


def test_lone_file_takes_its_package_main_helpers(tmp_path):
    det = detect(tmp_path, {"main.go": MAIN, "util.go": "package main\n\nfunc helper() {}\n"})
    assert facts(det)["go_packages"] == ["./main.go ./util.go"]
    assert facts(det)["go_entrypoint"] == "main"


def test_two_lone_programs_in_one_directory_are_two_candidates(tmp_path):
    det = detect(tmp_path, {"a.go": MAIN, "b.go": MAIN})
    assert facts(det)["go_packages"] == ["./a.go", "./b.go"]
    q = question(det, "go_entrypoint")
    assert [c.value for c in q.candidates] == ["a", "b"]


# --- modules and main packages -------------------------------------------------------------


def test_root_main_package_is_named_after_the_module(tmp_path):
    det = detect(tmp_path, {"go.mod": mod("example.com/hello"), "main.go": MAIN})
    assert facts(det)["go_module"] is True
    assert facts(det)["go_packages"] == ["."]
    assert facts(det)["go_entrypoint"] == "hello"
    assert fact(det, "go_packages").source == "main.go (package main, func main)"
    assert facts(det)["go_mod_dirs"] == ["."]


def test_major_version_suffix_is_not_the_binary_name(tmp_path):
    det = detect(tmp_path, {"go.mod": mod("github.com/acme/tool/v2"), "main.go": MAIN})
    assert facts(det)["go_entrypoint"] == "tool"


def test_one_main_package_at_any_depth(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "internal/x/cmd/server/main.go": MAIN, "lib.go": "package app\n"})
    assert facts(det)["go_packages"] == ["./internal/x/cmd/server"]
    assert facts(det)["go_entrypoint"] == "server"
    assert fact(det, "go_packages").certainty == CERTAIN


def test_several_main_packages_build_all_and_ask_the_entrypoint(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/api", "./cmd/worker"]
    assert fact(det, "go_packages").certainty == LIKELY
    assert "go_entrypoint" not in facts(det)
    q = question(det, "go_entrypoint")
    assert [c.value for c in q.candidates] == ["api", "worker"]
    assert "every binary is built" in q.reason


def test_duplicate_binary_names_are_noted(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "a/cmd/srv/main.go": MAIN, "b/cmd/srv/main.go": MAIN})
    assert any("srv" in n for n in det.notes)


@pytest.mark.parametrize(
    "skipped",
    [
        "cmd/tool/main_test.go",
        "testdata/cmd/main.go",
        "vendor/example.com/x/main.go",
        "examples/demo/main.go",
        "example/demo/main.go",
        "_examples/demo/main.go",
        "_hidden/main.go",
        ".hidden/main.go",
        "cmd/tool/_draft.go",
        "cmd/tool/.draft.go",
        "a/testdata/b/main.go",
    ],
)
def test_tests_fixtures_vendor_examples_and_hidden_files_are_no_main(tmp_path, skipped):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/app/main.go": MAIN, skipped: MAIN})
    assert facts(det)["go_packages"] == ["./cmd/app"]


@pytest.mark.parametrize(
    "header",
    [
        "//go:build ignore\n\n",
        "// +build ignore\n\n",
        "//go:build windows\n\n",
        "//go:build !linux\n\n",
        "//go:build tools\n\n",
        "//go:build go1.99\n\n",
        "//go:build go1.\u00b2\n\n",  # not a release: str.isdigit takes it, int() does not
        "// Copyright\n\n//go:build darwin || windows\n\n",
        "/* license\n  block */\n//go:build ignore\n\n",
        "// +build darwin,amd64 windows\n\n",
    ],
)
def test_build_constraints_that_exclude_linux_hide_a_main(tmp_path, header):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/app/main.go": MAIN, "gen/gen.go": header + MAIN})
    assert facts(det)["go_packages"] == ["./cmd/app"]


@pytest.mark.parametrize(
    "header",
    [
        "//go:build linux\n\n",
        "//go:build linux && (amd64 || arm64)\n\n",
        "//go:build !windows\n\n",
        "//go:build go1.21\n\n",
        "// +build linux darwin\n\n",
        "//go:build unix\n\n",
    ],
)
def test_build_constraints_that_allow_linux_keep_a_main(tmp_path, header):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": header + MAIN})
    assert facts(det)["go_packages"] == ["."]


def test_constraint_after_the_package_clause_is_not_a_constraint(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN + "\n//go:build ignore\n"})
    assert facts(det)["go_packages"] == ["."]


@pytest.mark.parametrize("name", ["main_windows.go", "main_darwin_arm64.go", "main_386.go", "main_windows_test.go"])
def test_goos_goarch_file_suffixes(tmp_path, name):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/a/main.go": MAIN, f"cmd/b/{name}": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/a"]


def test_linux_suffix_and_plain_goos_name_are_built(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/a/main_linux.go": MAIN, "cmd/b/windows.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/a", "./cmd/b"]


def test_func_main_must_be_real_code_in_package_main(tmp_path):
    det = detect(
        tmp_path,
        {
            "go.mod": mod(),
            "cmd/real/main.go": MAIN,
            "lib/lib.go": "package lib\n\nfunc main() {}\n",
            "cmd/commented/main.go": "package main\n\n/*\nfunc main() {}\n*/\n",
            "cmd/string/main.go": "package main\n\nvar s = `\nfunc main() {}\n`\n",
            "cmd/method/main.go": "package main\n\ntype T struct{}\n\nfunc (T) main() {}\n",
        },
    )
    assert facts(det)["go_packages"] == ["./cmd/real"]


def test_package_clause_in_a_comment_is_skipped(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": "// package foo is not this\n" + MAIN})
    assert facts(det)["go_packages"] == ["."]


def test_main_split_over_files(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/x/a.go": "package main\n\nfunc helper() {}\n", "cmd/x/b.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/x"]
    assert fact(det, "go_packages").source == "cmd/x/b.go (package main, func main)"


def test_no_main_package_is_a_question(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "lib.go": "package app\n"})
    q = question(det, "go_packages")
    assert q and "no `package main`" in q.reason


def test_nested_module_is_not_built_from_the_root(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "tools/go.mod": mod("example.com/tools"), "tools/main.go": MAIN})
    assert facts(det)["go_packages"] == ["."]
    assert any(n.startswith("tools/go.mod: a separate module") for n in det.notes)


def test_pruned_directories_are_not_read(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "node_modules/x/main.go": MAIN, ".git/hooks/x.go": MAIN})
    assert facts(det)["go_packages"] == ["."]


# --- workspaces -----------------------------------------------------------------------------


WORK = "go 1.23\n\nuse (\n\t./app\n\t./lib // the library\n)\n"


def test_workspace_modules_and_their_mains(tmp_path):
    det = detect(
        tmp_path,
        {
            "go.work": WORK,
            "app/go.mod": mod("example.com/app"),
            "app/main.go": MAIN,
            "app/cmd/admin/main.go": MAIN,
            "lib/go.mod": mod("example.com/lib"),
            "lib/lib.go": LIB,
            "other/go.mod": mod("example.com/other"),
            "other/main.go": MAIN,
        },
    )
    assert facts(det)["go_workspace"] is True
    assert facts(det)["go_module"] is True
    assert facts(det)["go_mod_dirs"] == ["app", "lib"]
    assert facts(det)["go_packages"] == ["./app", "./app/cmd/admin"]
    # Both are built; the container runs the one named after its module.
    assert facts(det)["go_entrypoint"] == "app"
    assert "named after the module example.com/app" in fact(det, "go_entrypoint").source
    assert any(n.startswith("other/go.mod") for n in det.notes)


def test_workspace_with_a_root_module_and_single_use_lines(tmp_path):
    det = detect(
        tmp_path,
        {"go.work": "go 1.22\nuse .\nuse ./lib\n", "go.mod": mod("example.com/root", "1.22"), "main.go": MAIN, "lib/go.mod": mod("example.com/lib", "1.22"), "lib/l.go": LIB},
    )
    assert facts(det)["go_mod_dirs"] == [".", "lib"]
    assert facts(det)["go_packages"] == ["."]
    assert facts(det)["go_entrypoint"] == "root"


def test_workspace_use_without_go_mod_is_an_error_with_its_line(tmp_path):
    with pytest.raises(InputError) as err:
        detect(tmp_path, {"go.work": WORK, "app/go.mod": mod(), "app/main.go": MAIN, "lib/l.go": LIB})
    assert str(err.value).startswith("go.work:5: use ./lib: no go.mod in that directory")


def test_workspace_use_outside_the_repository_is_noted(tmp_path):
    det = detect(tmp_path, {"go.work": "go 1.23\nuse ./app\nuse ../shared\n", "app/go.mod": mod(), "app/main.go": MAIN})
    assert any(n.startswith("go.work:3:") and "outside the repository" in n for n in det.notes)


def test_workspace_without_use_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no `use` directive"):
        detect(tmp_path, {"go.work": "go 1.23\n", "main.go": MAIN})


def test_go_work_with_a_go_mod_directive_is_an_error(tmp_path):
    with pytest.raises(InputError) as err:
        detect(tmp_path, {"go.work": "go 1.23\nmodule x\n", "main.go": MAIN})
    assert str(err.value).startswith("go.work:2: unknown directive 'module'")


def test_local_replace_targets_are_copied_before_download(tmp_path):
    det = detect(
        tmp_path,
        {
            "go.mod": mod(extra="\nrequire example.com/lib v0.0.0\n\nreplace (\n\texample.com/lib => ./lib\n\texample.com/far => ../far\n)\n"),
            "main.go": MAIN,
            "lib/go.mod": mod("example.com/lib"),
            "lib/l.go": LIB,
        },
    )
    assert facts(det)["go_mod_dirs"] == [".", "lib"]
    assert any(n.startswith("go.mod:9: replace points to ../far") for n in det.notes)


# --- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gomod, version, source",
    [
        (mod(version="1.23"), "1.23", "go.mod:3 (go 1.23)"),
        (mod(version="1.22.5"), "1.22", "go.mod:3 (go 1.22.5)"),
        (mod(version="1.22", extra="toolchain go1.24.1\n"), "1.24", "go.mod:4 (toolchain go1.24.1)"),
        (mod(version="1.24rc1"), "1.24", "go.mod:3 (go 1.24rc1)"),
        (mod(version="1.19"), "1.22", "go.mod:3 (go 1.19); golang:1.22 is the oldest builder scaffold uses"),
        ("module x\n", go.DEFAULT_VERSION, "no go directive; newest supported builder"),
    ],
)
def test_go_and_toolchain_lines_pick_the_builder(tmp_path, gomod, version, source):
    det = detect(tmp_path, {"go.mod": gomod, "main.go": MAIN})
    assert facts(det)["go_version"] == version
    assert fact(det, "go_version").source == source


def test_newer_go_than_tested_is_kept_and_noted(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(version="1.29"), "main.go": MAIN})
    assert facts(det)["go_version"] == "1.29"
    assert any("Go 1.29" in n for n in det.notes)


def test_workspace_version_is_the_newest_of_go_work_and_modules(tmp_path):
    det = detect(
        tmp_path,
        {"go.work": "go 1.22\ntoolchain go1.23.2\nuse ./app\n", "app/go.mod": mod(version="1.22"), "app/main.go": MAIN},
    )
    assert facts(det)["go_version"] == "1.23"
    assert fact(det, "go_version").source == "go.work:2 (toolchain go1.23.2)"


# --- malformed go.mod -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("module x\n\ngo 1.22\nbogus line\n", "go.mod:4: unknown directive 'bogus'"),
        ("go 1.22\n", "go.mod:1: no module directive"),
        ("module x\ngo one.two\n", "go.mod:2: invalid go version 'one.two'"),
        ("module x\ngo 1.22\ntoolchain 1.23\n", "go.mod:3: invalid toolchain '1.23'"),
        ("module x\nrequire (\n\texample.com/a v1.0.0\n", "go.mod:2: unterminated require block"),
        ("module x\nrequire example.com/a\n", "go.mod:2: require needs a module and a version"),
        ("module x\nreplace example.com/a v1\n", "go.mod:2: replace needs `old => new`"),
        ("module x\ngo\n", "go.mod:2: go needs an argument"),
        ("<html>\n", "go.mod:1: unknown directive '<html>'"),
    ],
)
def test_malformed_go_mod_is_an_input_error_with_the_line(tmp_path, text, message):
    with pytest.raises(InputError) as err:
        detect(tmp_path, {"go.mod": text, "main.go": MAIN})
    assert str(err.value).startswith(message)


def test_malformed_nested_go_mod_names_its_path(tmp_path):
    with pytest.raises(InputError) as err:
        detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "sub/go.mod": "module y\nwhat\n"})
    assert str(err.value).startswith("sub/go.mod:2: unknown directive 'what'")


def test_go_mod_comments_and_quoted_paths(tmp_path):
    det = detect(
        tmp_path,
        {"go.mod": '// header\nmodule "example.com/quoted" // trailing\n\ngo 1.22 // min\n\nrequire(\n\texample.com/a v1.0.0 // indirect\n)\n', "main.go": MAIN},
    )
    assert facts(det)["go_entrypoint"] == "quoted"
    assert facts(det)["go_version"] == "1.22"


# --- cgo ------------------------------------------------------------------------------------

CGO_MAIN = 'package main\n\n// #include "add.h"\nimport "C"\n\nfunc main() { _ = C.add(1, 2) }\n'


def test_import_c_means_cgo(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": CGO_MAIN, "add.c": "int add(int a,int b){return a+b;}\n"})
    assert facts(det)["go_cgo"] is True
    assert fact(det, "go_cgo").source == 'main.go (import "C")'
    assert facts(det)["go_cgo_cxx"] is False


SYS_CGO = 'package sys\n\nimport (\n\t"fmt"\n\t"C"\n)\n\nvar _ = fmt.Sprint\n'
MAIN_USING_SYS = 'package main\n\nimport (\n\t// the cgo package\n\t"example.com/app/sys"\n)\n\nfunc main() {}\n'


def test_import_c_in_an_imported_package(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN_USING_SYS, "sys/sys.go": SYS_CGO})
    assert facts(det)["go_cgo"] is True
    assert fact(det, "go_cgo").source == 'sys/sys.go (import "C")'


def test_import_c_imported_through_a_package_without_markers(tmp_path):
    mid = 'package mid\n\nimport "example.com/app/sys"\n\nfunc F() { sys.X() }\n'
    main = MAIN_USING_SYS.replace("example.com/app/sys", "example.com/app/mid")
    det = detect(tmp_path, {"go.mod": mod(), "main.go": main, "mid/mid.go": mid, "sys/sys.go": SYS_CGO})
    assert facts(det)["go_cgo"] is True


def test_import_c_in_a_package_no_program_imports_is_not_cgo(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "sys/sys.go": SYS_CGO, "test/helper/main.go": MAIN_USING_SYS})
    assert facts(det)["go_cgo"] is False


@pytest.mark.parametrize(
    "path, text",
    [
        ("main_test.go", CGO_MAIN),
        ("gen/gen.go", "//go:build ignore\n\n" + CGO_MAIN),
        ("lib/lib.go", 'package lib\n\n// import "C"\n'),
        ("lib/lib.go", 'package lib\n\nvar s = `\nimport "C"\n`\n'),
        ("vendor/example.com/c/c.go", CGO_MAIN),
    ],
)
def test_import_c_outside_buildable_code_is_not_cgo(tmp_path, path, text):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, path: text})
    assert facts(det)["go_cgo"] is False
    assert fact(det, "go_cgo").certainty == LIKELY


def test_known_cgo_module_means_cgo(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(extra="\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n)\n"), "main.go": MAIN})
    assert facts(det)["go_cgo"] is True
    assert "github.com/mattn/go-sqlite3" in fact(det, "go_cgo").source


def test_cpp_next_to_cgo_code_runs_on_cc(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": CGO_MAIN, "add.cpp": 'extern "C" int add(int a,int b){return a+b;}\n'})
    assert facts(det)["go_cgo_cxx"] is True
    assert fact(det, "go_cgo_cxx").source == "add.cpp (C++ compiled by cgo)"


def test_lstdcxx_flag_and_other_libraries(tmp_path):
    main = 'package main\n\n// #cgo LDFLAGS: -lstdc++ -lssl -lm\n// #cgo pkg-config: zlib\nimport "C"\n\nfunc main() {}\n'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": main})
    assert facts(det)["go_cgo_cxx"] is True
    assert any(n.startswith("cgo links ssl, zlib") for n in det.notes)


# --- vendor, time zones, ports, run-time directories ---------------------------------------


def test_vendor_modules_txt_means_vendored_build(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "vendor/modules.txt": "# example.com/a v1.0.0\n"})
    assert facts(det)["go_vendor"] is True
    assert fact(det, "go_vendor").source == "vendor/modules.txt"


def test_vendor_dir_without_modules_txt_is_not_vendoring(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "vendor/x/x.go": LIB})
    assert facts(det)["go_vendor"] is False


def test_load_location_embeds_tzdata(tmp_path):
    main = 'package main\n\nimport "time"\n\nfunc main() {\n\t_, _ = time.LoadLocation("Europe/Paris")\n}\n'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": main})
    assert facts(det)["go_tzdata"] is True
    assert fact(det, "go_tzdata").source == "main.go:6 calls time.LoadLocation"
    assert fact(det, "go_tzdata").certainty == LIKELY


def test_time_tzdata_import_needs_no_tag(tmp_path):
    main = 'package main\n\nimport (\n\t"time"\n\t_ "time/tzdata"\n)\n\nfunc main() { time.LoadLocation("UTC") }\n'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": main})
    assert facts(det)["go_tzdata"] is False
    assert fact(det, "go_tzdata").certainty == CERTAIN


def test_load_location_in_a_comment_does_not_count(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": "// time.LoadLocation(x)\n" + MAIN})
    assert facts(det)["go_tzdata"] is False


@pytest.mark.parametrize(
    "code, port",
    [
        ('http.ListenAndServe(":8080", nil)', 8080),
        ('http.ListenAndServe("0.0.0.0:3000", mux)', 3000),
        ('net.Listen("tcp", ":9000")', 9000),
        ('srv := &http.Server{Addr: ":8443"}', 8443),
    ],
)
def test_listen_address_gives_the_port(tmp_path, code, port):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": f"package main\n\nfunc main() {{\n\t{code}\n}}\n"})
    assert facts(det)["port"] == port
    assert fact(det, "port").certainty == LIKELY


# of-watchdog's shape: the port default lives in a config package main imports, a file
# with none of the other markers (no PORT, Listen or Addr in it).
CONFIG_PORT = (
    'package config\n\nimport "os"\n\ntype Config struct{ TCPPort int }\n\n'
    'func New(envMap map[string]string) Config {\n\t_ = os.Environ()\n\treturn Config{TCPPort: getInt(envMap, "port", 8080)}\n}\n\n'
    'func getInt(env map[string]string, key string, fallback int) int { return fallback }\n'
)
SERVE_CONFIG = (
    'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"example.com/app/config"\n)\n\n'
    'func main() {\n\tc := config.New(nil)\n\thttp.ListenAndServe(fmt.Sprintf(":%d", c.TCPPort), nil)\n}\n'
)


def test_env_default_in_an_imported_config_package_gives_the_port(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": SERVE_CONFIG, "config/config.go": CONFIG_PORT})
    assert facts(det)["port"] == 8080
    assert fact(det, "port").source == "config/config.go:9 port defaults to 8080"


def test_env_default_in_a_package_main_does_not_import_gives_no_port(tmp_path):
    main = SERVE_CONFIG.replace('\t"example.com/app/config"\n', "").replace("c := config.New(nil)", "var c struct{ TCPPort int }")
    det = detect(tmp_path, {"go.mod": mod(), "main.go": main, "config/config.go": CONFIG_PORT})
    assert "port" not in facts(det)


def test_no_listen_address_no_port(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": 'package main\n\nfunc main() { addr := os.Getenv("PORT"); _ = addr }\n'})
    assert "port" not in facts(det)


def test_runtime_directories_are_likely(tmp_path):
    det = detect(
        tmp_path,
        {"go.mod": mod(), "main.go": MAIN, "templates/index.html": "<p>", "migrations/001.sql": "", "static/app.css": ""},
    )
    assert facts(det)["go_runtime_dirs"] == ["templates", "static", "migrations"]
    assert fact(det, "go_runtime_dirs").certainty == LIKELY


def test_embedded_directories_are_not_copied(tmp_path):
    main = 'package main\n\nimport "embed"\n\n//go:embed templates/*.html "static"\nvar files embed.FS\n\nfunc main() {}\n'
    det = detect(
        tmp_path,
        {"go.mod": mod(), "main.go": main, "templates/index.html": "<p>", "static/a.css": "", "migrations/1.sql": ""},
    )
    assert facts(det)["go_runtime_dirs"] == ["migrations"]


def test_embed_is_relative_to_its_package(tmp_path):
    main = 'package main\n\nimport "embed"\n\n//go:embed templates\nvar files embed.FS\n\nfunc main() {}\n'
    det = detect(tmp_path, {"go.mod": mod(), "cmd/web/main.go": main, "cmd/web/templates/a.html": "", "templates/b.html": ""})
    assert facts(det)["go_runtime_dirs"] == ["templates"]


def test_go_package_directories_are_not_runtime_data(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "config/config.go": "package config\n", "web/web.go": "package web\n"})
    assert "go_runtime_dirs" not in facts(det)


def test_unreadable_go_file_is_an_input_error(tmp_path):
    tree(tmp_path, {"go.mod": mod(), "main.go": MAIN})
    (tmp_path / "bad.go").write_bytes(b"package main\n\xff\n")
    with pytest.raises(InputError, match=r"^bad.go:2: not valid UTF-8"):
        go.detect(Repo(tmp_path))


def test_commands_the_program_runs_are_runtime_packages(tmp_path):
    det = detect(tmp_path, {
        "go.mod": mod(),
        "main.go": (
            'package main\n\nimport (\n\t"context"\n\t"os/exec"\n\t"example.com/app/internal/vcs"\n\t"example.com/app/internal/share"\n)\n\n'
            'func main() {\n\t// exec.Command("rsync") in a comment runs nothing\n'
            '\t_ = exec.CommandContext(context.Background(), "/usr/bin/ssh", "host").Run()\n\tvcs.Log()\n\tshare.Up()\n}\n'
        ),
        "internal/vcs/git.go": 'package vcs\n\nimport "os/exec"\n\nfunc Log() { _, _ = exec.Command("git", "log").Output(); _, _ = exec.LookPath("frob") }\n',
        "internal/vcs/status.go": 'package vcs\n\nimport "os/exec"\n\nfunc Status() { _, _ = exec.Command("git", "status").Output() }\n',
        "internal/share/share.go": (
            'package share\n\nimport "os/exec"\n\nfunc Up() { _, _ = exec.LookPath("curl") }\n'
            'func Probe(bin string) { _, _ = exec.Command(bin, "--unmask-signals").Output() }\n'
        ),
        "tools/gen/main.go": 'package main\n\nimport "os/exec"\n\nfunc main() { exec.Command("ffmpeg").Run() }\n',
    })
    # ssh from the main package, git from two files: needed. curl from one library file only: one
    # optional feature, a note.
    assert facts(det)["go_runtime_packages"] == ["git", "openssh-client"]
    source = fact(det, "go_runtime_packages").source
    assert "internal/vcs/git.go:5 (exec.Command) runs git, internal/vcs/status.go:5 (exec.Command) runs git -> git" in source
    assert "main.go:12 (exec.CommandContext) runs ssh -> openssh-client" in source
    assert any("git.go:5 (exec.LookPath) runs frob, which no Debian package" in n for n in det.notes)
    assert any(n.startswith("optional tool: internal/share/share.go:5 (exec.LookPath) runs curl, only there") for n in det.notes)
    assert "curl" not in source
    assert not any("unmask" in n for n in det.notes)  # exec.Command(variable, "--flag") names no command


def test_no_commands_no_runtime_packages(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": 'package main\n\nfunc main() {}\n'})
    assert "go_runtime_packages" not in facts(det)


@pytest.mark.parametrize(
    "manifest, text, where, path",
    [
        ("vendor/vendor.json", '{"package": [], "rootPath": "github.com/mailhog/MailHog"}', "vendor/vendor.json", "github.com/mailhog/MailHog"),
        ("Godeps/Godeps.json", '{"ImportPath": "github.com/a/b", "Deps": [{"ImportPath": "x.org/y"}]}', "Godeps/Godeps.json", "github.com/a/b"),
        ("glide.yaml", "package: example.org/tool\nimport:\n- package: x.org/y\n", "glide.yaml", "example.org/tool"),
        ("vendor/vendor.json", '{"rootPath": "$(rm -rf /)"}', "vendor/vendor.json", "IMPORT/PATH"),
        ("vendor/x.org/y/y.go", "package y\n", "vendor/", "IMPORT/PATH"),
    ],
)
def test_a_gopath_era_project_is_refused_with_what_to_do(tmp_path, manifest, text, where, path):
    """MailHog's shape: vendor/ and a govendor manifest, no go.mod."""
    root = tree(tmp_path / "repo", {"main.go": 'package main\n\nimport "x.org/y"\n\nfunc main() { y.Run() }\n', manifest: text,
                                    "vendor/x.org/y/y.go": "package y\n\nfunc Run() {}\n"})
    with pytest.raises(InputError) as err:
        go.detect(Repo(root))
    message = str(err.value)
    assert message.startswith(f"{where}: a GOPATH-era Go project (no go.mod)")
    assert f"go mod init {path} && go mod tidy" in message and "\n" not in message
