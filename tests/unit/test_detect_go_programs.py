"""Which Go programs ship and which one runs: helper directories, generators, the project's own
release build (GoReleaser, Dockerfile, Makefile), names after the module; the service port."""

from __future__ import annotations

import pytest

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import go, go_programs
from tests.helpers import fact, facts, question, tree

MAIN = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n'


def mod(path="example.com/shop"):
    return f"module {path}\n\ngo 1.23\n"


def detect(tmp_path, files):
    return go.detect(Repo(tree(tmp_path / "repo", files)))


def server(code: str, imports: str = '"net/http"') -> str:
    return f"package main\n\nimport (\n\t{imports}\n)\n\nfunc main() {{\n\t{code}\n}}\n"


# --- directories and names that hold no shipped program --------------------------------------


@pytest.mark.parametrize(
    "helper, reason",
    [
        ("test/e2e/main.go", "under test/"),
        ("tests/fixture/main.go", "under tests/"),
        ("hack/gen-docs/main.go", "under hack/"),
        ("scripts/release/main.go", "under scripts/"),
        ("tools/i18n/main.go", "under tools/"),
        ("cmd/tools/lint/main.go", "under tools/"),
        ("internal/testserver/main.go", "testserver/ is named as a test helper"),
        ("internal/cmd/fake-gcs/main.go", "fake-gcs/ is named as a test helper"),
        ("cmd/e2e_runner/main.go", "e2e_runner/ is named as a test helper"),
        ("contrib/bench/main.go", "under contrib/"),
    ],
)
def test_helper_mains_are_left_out_with_a_note(tmp_path, helper, reason):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/shop/main.go": MAIN, "cmd/worker/main.go": MAIN, helper: MAIN})
    assert facts(det)["go_packages"] == ["./cmd/shop", "./cmd/worker"]
    target = "./" + helper.rsplit("/", 1)[0]
    note = next(n for n in det.notes if n.startswith(f"left out {target} "))
    assert reason in note and helper in note and "go_packages" in note


def test_names_that_only_contain_test_are_programs(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/attest/main.go": MAIN, "cmd/latest/main.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/attest", "./cmd/latest"]


def test_every_main_a_helper_keeps_them_all(tmp_path):
    det = detect(tmp_path, {"go.mod": mod("example.com/scripts"), "scripts/a/main.go": MAIN, "scripts/b/main.go": MAIN})
    assert facts(det)["go_packages"] == ["./scripts/a", "./scripts/b"]
    assert any("every main package looks like a helper" in n for n in det.notes)


def test_go_generate_runs_a_generator_that_is_not_shipped(tmp_path):
    lib = 'package shop\n\n//go:generate go run ./internal/gen -out tables.go\n\nvar Tables = 1\n'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": MAIN, "shop.go": lib, "internal/gen/main.go": MAIN})
    assert facts(det)["go_packages"] == ["."]
    assert facts(det)["go_entrypoint"] == "shop"
    assert any(n.startswith("left out ./internal/gen") and "shop.go:3 (//go:generate go run ./internal/gen)" in n for n in det.notes)


def test_go_generate_by_import_path(tmp_path):
    lib = 'package api\n\n//go:generate go run example.com/shop/cmd/apigen\n'
    det = detect(tmp_path, {"go.mod": mod(), "cmd/shop/main.go": MAIN, "cmd/apigen/main.go": MAIN, "api/api.go": lib})
    assert facts(det)["go_packages"] == ["./cmd/shop"]


def test_makefile_go_run_is_a_tool(tmp_path):
    makefile = "GO ?= go\n\ngenerate:\n\t$(GO) run ./cmd/codegen --out api/\n"
    det = detect(tmp_path, {"go.mod": mod(), "Makefile": makefile, "cmd/api/main.go": MAIN, "cmd/codegen/main.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/api"]
    assert any("Makefile:4 (go run ./cmd/codegen)" in n for n in det.notes)


# --- the project's own release build -------------------------------------------------------


def test_makefile_go_build_names_what_ships(tmp_path):
    makefile = (
        "BINARY := shopd\nPKG = ./cmd/$(BINARY)\n\n"
        "build:\n\tCGO_ENABLED=0 go build -trimpath -ldflags \"-s -w -X main.v=$(VERSION)\" \\\n\t\t-o bin/$(BINARY) $(PKG)\n"
    )
    files = {"go.mod": mod(), "Makefile": makefile, "cmd/shopd/main.go": MAIN, "cmd/debugtool/main.go": MAIN, "cmd/shopctl/main.go": MAIN}
    det = detect(tmp_path, files)
    assert facts(det)["go_packages"] == ["./cmd/shopd"]
    assert facts(det)["go_entrypoint"] == "shopd"
    assert fact(det, "go_entrypoint").source == "Makefile:5 (go build ./cmd/shopd)"
    assert any(n.startswith("left out ./cmd/debugtool") and "not built by Makefile" in n for n in det.notes)


def test_makefile_that_builds_everything_recursively(tmp_path):
    makefile = "all:\n\tgo install ./cmd/...\n"
    files = {"go.mod": mod(), "Makefile": makefile, "cmd/a/main.go": MAIN, "cmd/b/main.go": MAIN, "tools/x/main.go": MAIN}
    det = detect(tmp_path, files)
    assert facts(det)["go_packages"] == ["./cmd/a", "./cmd/b"]
    assert question(det, "go_entrypoint") is not None


def test_goreleaser_builds_win_over_the_makefile(tmp_path):
    goreleaser = (
        "version: 2\nbuilds:\n  - id: server\n    main: ./cmd/server\n    binary: shop\n"
        "  - id: skipped\n    main: ./cmd/old\n    skip: true\n"
    )
    files = {
        "go.mod": mod(), ".goreleaser.yaml": goreleaser, "Makefile": "b:\n\tgo build ./cmd/cli\n",
        "cmd/server/main.go": MAIN, "cmd/cli/main.go": MAIN, "cmd/old/main.go": MAIN,
    }
    det = detect(tmp_path, files)
    assert facts(det)["go_packages"] == ["./cmd/server"]
    assert facts(det)["go_entrypoint"] == "server"
    assert ".goreleaser.yaml (builds[0] server: main ./cmd/server)" == fact(det, "go_entrypoint").source


def test_goreleaser_default_build_is_the_root(tmp_path):
    files = {"go.mod": mod(), ".goreleaser.yml": "project_name: shop\n", "main.go": MAIN, "cmd/gen/main.go": MAIN}
    det = detect(tmp_path, files)
    assert facts(det)["go_packages"] == ["."]


def test_goreleaser_invalid_yaml_is_a_note(tmp_path):
    files = {"go.mod": mod(), ".goreleaser.yml": "builds: [\n", "cmd/shop/main.go": MAIN, "cmd/x/main.go": MAIN}
    det = detect(tmp_path, files)
    assert any(n.startswith(".goreleaser.yml:2: invalid YAML") and "its builds were not read" in n for n in det.notes)
    assert facts(det)["go_entrypoint"] == "shop"


def test_dockerfile_go_build(tmp_path):
    dockerfile = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/api ./cmd/api && echo ok\n"
    files = {"go.mod": mod(), "Dockerfile": dockerfile, "cmd/api/main.go": MAIN, "cmd/migrate/main.go": MAIN}
    det = detect(tmp_path, files)
    assert facts(det)["go_packages"] == ["./cmd/api"]
    assert fact(det, "go_packages").source == "Dockerfile:4 (go build ./cmd/api)"


def test_scaffolds_own_dockerfile_is_not_evidence(tmp_path):
    dockerfile = "# Generated by scaffold from the go template\nRUN go build -o /x ./cmd/api\n"
    files = {"go.mod": mod(), "Dockerfile": dockerfile, "cmd/api/main.go": MAIN, "cmd/migrate/main.go": MAIN}
    det = detect(tmp_path, files)
    assert facts(det)["go_packages"] == ["./cmd/api", "./cmd/migrate"]


# --- which program runs ----------------------------------------------------------------------


def test_main_named_after_the_module_runs(tmp_path):
    det = detect(tmp_path, {"go.mod": mod("github.com/acme/shop/v2"), "cmd/shop/main.go": MAIN, "cmd/shop-migrate/main.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/shop", "./cmd/shop-migrate"]
    assert facts(det)["go_entrypoint"] == "shop"
    assert fact(det, "go_entrypoint").source == "cmd/shop/main.go (named after the module github.com/acme/shop/v2)"


def test_main_named_after_the_repository_directory_runs(tmp_path):
    det = detect(tmp_path, {"go.mod": mod("example.com/x"), "cmd/repo/main.go": MAIN, "cmd/other/main.go": MAIN})
    assert facts(det)["go_entrypoint"] == "repo"
    assert "named after the repository directory repo/" in fact(det, "go_entrypoint").source


def test_equal_programs_stay_a_question(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN})
    assert [c.value for c in question(det, "go_entrypoint").candidates] == ["api", "worker"]


# --- the port --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, port",
    [
        ('addr := flag.String("addr", ":8081", "listen address")\n\thttp.ListenAndServe(*addr, nil)', 8081),
        ('var a string\n\tflag.StringVar(&a, "listen", "0.0.0.0:9000", "address")', 9000),
        ('p := flag.Int("port", 7000, "port")', 7000),
        ('cmd.Flags().IntVarP(&port, "port", "p", 3333, "port to serve on")', 3333),
        ('pflag.StringP("bind", "b", ":4000", "bind")', 4000),
        ('_ = &cli.IntFlag{Name: "port", Value: 5050, Usage: "port"}', 5050),
        ('viper.SetDefault("http.port", 8088)', 8088),
        ('port := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "3001"\n\t}', 3001),
        ('addr := cmp.Or(os.Getenv("PORT"), "8181")', 8181),
        ('r.Run(":8082")', 8082),
        ('app.Listen(":3002")', 3002),
    ],
)
def test_flag_defaults_and_framework_calls_give_the_port(tmp_path, code, port):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server(code)})
    assert facts(det)["port"] == port


def test_a_flag_default_int_cannot_read_is_no_port(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server(
        'p := flag.Int("port", ' + "9" * 5000 + ', "port")\n\t_ = &cli.IntFlag{Name: "port", Value: ' + "9" * 5000 + '}')})
    assert "port" not in facts(det)


def test_an_int_flag_that_is_not_a_port(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server('n := flag.Int("workers", 8080, "workers")')})
    assert "port" not in facts(det)


def test_pprof_listener_is_not_the_service_port(tmp_path):
    code = 'go func() { http.ListenAndServe("localhost:6060", nil) }()\n\thttp.ListenAndServe(":8080", mux)'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server(code, '"net/http"\n\t_ "net/http/pprof"')})
    assert facts(det)["port"] == 8080
    assert any(n.startswith("not the service port: main.go:9 listens on localhost:6060") for n in det.notes)


def test_only_a_debug_listener_means_no_port(tmp_path):
    code = 'addr := flag.String("pprof-addr", "127.0.0.1:6061", "pprof")\n\thttp.ListenAndServe(*addr, nil)'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server(code, '"net/http"\n\t_ "net/http/pprof"')})
    assert "port" not in facts(det)


def test_metrics_listener_yields_to_the_service(tmp_path):
    code = 'm := flag.String("metrics-addr", ":9090", "")\n\ta := flag.String("addr", ":8000", "")'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server(code)})
    assert facts(det)["port"] == 8000
    assert any("also listens on :9090" in n for n in det.notes)


def test_database_address_is_not_a_listener(tmp_path):
    code = 'rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server(code)})
    assert "port" not in facts(det)


def test_port_comes_from_the_code_the_entrypoint_builds(tmp_path):
    files = {
        "go.mod": mod(),
        "cmd/shop/main.go": 'package main\n\nimport "example.com/shop/internal/web"\n\nfunc main() { web.Serve() }\n',
        "internal/web/web.go": 'package web\n\nimport "net/http"\n\nfunc Serve() { http.ListenAndServe(":8443", nil) }\n',
        "cmd/loadgen/main.go": server('http.ListenAndServe(":7777", nil)'),
        "test/stub/main.go": server('http.ListenAndServe(":1111", nil)'),
    }
    det = detect(tmp_path, files)
    assert facts(det)["go_entrypoint"] == "shop"
    assert facts(det)["port"] == 8443
    assert fact(det, "port").source == "internal/web/web.go:5 listens on :8443"


def test_loopback_listener_gets_a_note(tmp_path):
    det = detect(tmp_path, {"go.mod": mod(), "main.go": server('http.ListenAndServe("127.0.0.1:8080", nil)')})
    assert facts(det)["port"] == 8080
    assert any("unreachable from outside the container" in n for n in det.notes)


# --- the go command line reader ------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("go build -o bin/x ./cmd/x", [("build", ["./cmd/x"])]),
        ("CGO_ENABLED=0 go build -ldflags '-s -w' -tags netgo ./cmd/a ./cmd/b && strip x", [("build", ["./cmd/a", "./cmd/b"])]),
        ("go run ./gen -out x.go", [("run", ["./gen"])]),
        ("go build", [("build", ["."])]),
        ("@$(GO) build -o x .;", []),
        ("cd src && /usr/local/go/bin/go install -v ./...", [("install", ["./..."])]),
        ("echo go build is not run here", [("build", ["is", "not", "run", "here"])]),
    ],
)
def test_go_commands(line, expected):
    assert go_programs.go_commands(line) == expected


def test_resolve_package_arguments():
    modules = {".": "example.com/shop", "tools": "example.com/shop/tools"}
    assert go_programs.resolve("./cmd/x", ".", modules) == ("cmd/x", False)
    assert go_programs.resolve("./cmd/...", ".", modules) == ("cmd", True)
    assert go_programs.resolve("../gen", "api/v1", modules) == ("api/gen", False)
    assert go_programs.resolve("example.com/shop/cmd/x", ".", modules) == ("cmd/x", False)
    assert go_programs.resolve("example.com/shop/tools/cmd/y", ".", modules) == ("tools/cmd/y", False)
    assert go_programs.resolve("golang.org/x/tools/cmd/stringer", ".", modules) is None
    assert go_programs.resolve("../../outside", ".", modules) is None
    assert go_programs.resolve("$(PKG)", ".", modules) is None


@pytest.mark.parametrize("config, message", [
    ("- main: ./cmd/shop\n", r"^\.goreleaser\.yml: the top level must be an object \(fix its type\)"),
    ("version: 2\nbuilds: ./cmd/shop\n", r"^\.goreleaser\.yml:2: builds must be an array of objects"),
    ("builds:\n  - ./cmd/shop\n", r"^\.goreleaser\.yml:1: builds must be an array of objects"),
    ("builds:\n  - id: shop\n    main: 5\n", r"^\.goreleaser\.yml:3: builds\.main must be a string"),
    ("builds:\n  - dir: [a]\n", r"^\.goreleaser\.yml:2: builds\.dir must be a string"),
])
def test_goreleaser_of_the_wrong_types_names_the_file_line_and_key(tmp_path, config, message):
    files = {"go.mod": mod(), ".goreleaser.yml": config, "cmd/shop/main.go": MAIN, "cmd/x/main.go": MAIN}
    with pytest.raises(InputError, match=message):
        detect(tmp_path, files)


def test_goreleaser_anchors_are_read_and_a_template_skip_is_no_skip(tmp_path):
    config = ("x-common: &common\n  main: ./cmd/shop\nbuilds:\n  - <<: *common\n    id: shop\n"
              "    skip: '{{ .IsSnapshot }}'\n")
    det = detect(tmp_path, {"go.mod": mod(), ".goreleaser.yml": config, "cmd/shop/main.go": MAIN, "cmd/x/main.go": MAIN})
    assert facts(det)["go_packages"] == ["./cmd/shop"]


COBRA_ROOT = (
    'package cmd\n\nimport "github.com/spf13/cobra"\n\n'
    'var rootCmd = &cobra.Command{Use: "tool"}\n\n'
    'func Execute() error { return rootCmd.Execute() }\n'
)
COBRA_MAIN = 'package main\n\nimport "example.com/shop/cmd"\n\nfunc main() { cmd.Execute() }\n'


@pytest.mark.parametrize(
    "sub",
    [
        # faas-cli's shape: a constructor's local command, added by its call
        'package cmd\n\nimport "github.com/spf13/cobra"\n\nfunc init() { rootCmd.AddCommand(newRunCmd()) }\n\n'
        'func newRunCmd() *cobra.Command {\n\tcmd := &cobra.Command{Use: `local-run NAME --port PORT`}\n'
        '\tcmd.Flags().IntVarP(&port, "port", "p", 8080, "port to bind the function to")\n\treturn cmd\n}\n',
        # a package variable added in another file, its flags set through an alias
        'package cmd\n\nimport "github.com/spf13/cobra"\n\nvar serveCmd = &cobra.Command{Use: "local-run"}\n\n'
        'func init() {\n\tflags := serveCmd.Flags()\n\tflags.IntVar(&port, "port", 8080, "port")\n}\n',
    ],
)
def test_a_subcommands_port_flag_is_not_the_service_port(tmp_path, sub):
    files = {"go.mod": mod(), "main.go": COBRA_MAIN, "cmd/root.go": COBRA_ROOT, "cmd/run.go": sub}
    if "newRunCmd" not in sub:
        files["cmd/add.go"] = "package cmd\n\nfunc init() { rootCmd.AddCommand(serveCmd, versionCmd) }\n"
    det = detect(tmp_path, files)
    assert "port" not in facts(det)
    note = next(n for n in det.notes if n.startswith("not the service port: cmd/run.go"))
    assert "flag -port defaults to 8080 (a flag of subcommand local-run" in note
    assert "the image runs the program without arguments" in note


def test_the_root_commands_port_flag_is_the_service_port(tmp_path):
    root = COBRA_ROOT + '\nfunc init() {\n\trootCmd.PersistentFlags().IntVar(&port, "port", 9090, "port")\n\trootCmd.AddCommand(versionCmd)\n}\n'
    det = detect(tmp_path, {"go.mod": mod(), "main.go": COBRA_MAIN, "cmd/root.go": root})
    assert facts(det)["port"] == 9090
