"""The Go partial rendered for representative answers: what each answer changes, and hadolint."""

from __future__ import annotations

import pathspec
import pytest

from tests.helpers import render, render_error

MAIN = 'package main\n\nfunc main() {}\n'
GOMOD = "module example.com/app\n\ngo 1.24\n"


def test_static_module_build_on_scratch(tmp_path):
    out = render(tmp_path, {"go.mod": GOMOD, "main.go": MAIN})
    df = out["Dockerfile"]
    assert "FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-trixie AS deps" in df
    assert "ARG GO_VERSION=1.24" in df
    assert "ENV GOTOOLCHAIN=local CGO_ENABLED=0" in df
    assert df.index("COPY go.mod go.sum* ./") < df.index("go mod download") < df.index("COPY . .")
    assert df.index("go mod download") < df.index("ARG TARGETARCH")  # download shared by every platform
    assert "GOOS=$TARGETOS GOARCH=$TARGETARCH go build -buildvcs=false -trimpath -ldflags=\"-s -w\"" in df
    assert "-o /rootfs/usr/local/bin/ ." in df
    assert "FROM scratch AS runtime" in df
    assert "USER 65532:65532" in df
    assert 'ENTRYPOINT ["/usr/local/bin/app"]' in df
    assert "timetzdata" not in df and "-mod=vendor" not in df
    assert "/vendor" in out[".dockerignore"]


def test_go_1_22_builds_on_bookworm(tmp_path):
    df = render(tmp_path, {"go.mod": "module m\n\ngo 1.22\n", "main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n'})["Dockerfile"]
    assert "golang:${GO_VERSION}-bookworm AS deps" in df
    assert "FROM gcr.io/distroless/base-debian12:nonroot AS runtime" in df


def test_cgo_builds_natively_and_runs_on_distroless_base_of_the_same_release(tmp_path):
    df = render(tmp_path, {"go.mod": GOMOD, "main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n', "x.c": ""}, language="go")["Dockerfile"]
    assert "FROM golang:${GO_VERSION}-trixie AS deps" in df
    assert "--platform" not in df and "TARGETARCH" not in df
    assert "CGO_ENABLED=1" in df
    assert "FROM gcr.io/distroless/base-debian13:nonroot AS runtime" in df
    assert "/etc/passwd" not in df  # distroless has its own nonroot user


def test_cgo_with_cpp_runs_on_cc(tmp_path):
    files = {"go.mod": GOMOD, "main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n', "x.cpp": ""}
    df = render(tmp_path, files, language="go")["Dockerfile"]
    assert "FROM gcr.io/distroless/cc-debian13:nonroot AS runtime" in df


def test_tzdata_tag_only_for_static_builds(tmp_path):
    main = 'package main\n\nimport "time"\n\nfunc main() { time.LoadLocation("UTC") }\n'
    df = render(tmp_path, {"go.mod": GOMOD, "main.go": main})["Dockerfile"]
    assert "-tags timetzdata" in df
    df = render(tmp_path, {}, go_cgo=True)["Dockerfile"]
    assert "timetzdata" not in df


def test_vendor_builds_offline(tmp_path):
    out = render(tmp_path, {"go.mod": GOMOD, "main.go": MAIN, "vendor/modules.txt": "# example.com/a v1.0.0\n"})
    df = out["Dockerfile"]
    assert "-mod=vendor" in df
    assert "go mod download" not in df and "/go/pkg/mod" not in df
    assert "/vendor" not in out[".dockerignore"]


def test_several_binaries_and_the_chosen_entrypoint(tmp_path):
    files = {"go.mod": GOMOD, "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN}
    df = render(tmp_path, files, go_entrypoint="worker")["Dockerfile"]
    assert "-o /rootfs/usr/local/bin/ ./cmd/api ./cmd/worker" in df
    assert 'ENTRYPOINT ["/usr/local/bin/worker"]' in df
    assert "test -x /rootfs/usr/local/bin/worker" in df  # a wrong answer fails the build clearly


def test_lone_files_each_get_their_binary(tmp_path):
    df = render(tmp_path, {"a.go": MAIN, "b.go": MAIN, "util.go": "package main\n"}, go_entrypoint="b")["Dockerfile"]
    assert "-o /rootfs/usr/local/bin/a ./a.go ./util.go" in df
    assert "-o /rootfs/usr/local/bin/b ./b.go ./util.go" in df
    assert "go mod download" not in df


def test_workspace_copies_every_module_manifest_first(tmp_path):
    files = {
        "go.work": "go 1.23\n\nuse (\n\t./app\n\t./lib\n)\n",
        "app/go.mod": "module example.com/app\n\ngo 1.23\n",
        "app/main.go": MAIN,
        "lib/go.mod": "module example.com/lib\n\ngo 1.23\n",
    }
    df = render(tmp_path, files)["Dockerfile"]
    assert "COPY go.work go.work.sum* ./" in df
    assert "COPY app/go.mod app/go.sum* ./app/" in df
    assert "COPY lib/go.mod lib/go.sum* ./lib/" in df
    assert df.index("COPY lib/go.mod") < df.index("go mod download") < df.index("COPY . .")
    assert "golang:${GO_VERSION}-bookworm" in df


def test_runtime_dirs_are_copied_to_the_working_directory(tmp_path):
    files = {"go.mod": GOMOD, "main.go": MAIN, "templates/a.html": "", "static/a.css": ""}
    df = render(tmp_path, files)["Dockerfile"]
    assert "&& cp -r templates /rootfs/app/" in df and "&& cp -r static /rootfs/app/" in df
    assert "WORKDIR /app" in df
    df = render(tmp_path, {}, go_runtime_dirs=[])["Dockerfile"]
    assert "cp -r" not in df


def test_private_modules_use_a_netrc_secret(tmp_path):
    df = render(tmp_path, {"go.mod": GOMOD, "main.go": MAIN}, go_private="github.com/acme/*")["Dockerfile"]
    assert 'GOPRIVATE="github.com/acme/*"' in df
    assert df.count("--mount=type=secret,id=netrc,target=/root/.netrc,required=true") == 2
    assert "./docker-build.sh --secret id=netrc,src=$HOME/.netrc" in df
    assert "ENV GOPRIVATE" not in df and 'GOPRIVATE="github.com/acme/*" go mod download' in df


def test_port_is_exposed(tmp_path):
    main = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n'
    df = render(tmp_path, {"go.mod": GOMOD, "main.go": main})["Dockerfile"]
    assert "EXPOSE 8080" in df


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"go_packages": ["../x"]}, "is not a non-empty list of packages or .go files (A-Za-z0-9._+@/-, no ..)"),
        ({"go_mod_dirs": ["/abs"]}, "is not a non-empty list of relative paths (A-Za-z0-9._+@/-, no ..)"),
        ({"go_runtime_dirs": ["../etc"]}, "is not a list of relative paths (A-Za-z0-9._+@/-, no ..)"),
        ({"go_entrypoint": "bin/app"}, "a binary name"),
        ({"go_version": "go1.24"}, "is not a Go minor version"),
    ],
)
def test_invalid_answers_are_rejected(tmp_path, answers, message):
    assert message in render_error(tmp_path, {"go.mod": GOMOD, "main.go": MAIN}, **answers)


def test_dockerignore_keeps_go_sources_named_like_coverage_reports(tmp_path):
    out = render(tmp_path, {"go.mod": GOMOD, "main.go": MAIN, "coverage.go": "package main\n"})
    spec = pathspec.PathSpec.from_lines("gitwildmatch", out[".dockerignore"].splitlines())
    assert not spec.match_file("coverage.go")
    assert not spec.match_file("internal/language/coverage.go")
    assert all(spec.match_file(f) for f in ("coverage.out", "coverage.txt", "pkg/coverage.html", "unit.coverprofile"))
