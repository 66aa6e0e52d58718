"""No answer changes the structure of a generated file: every question of the template is
answered with hostile values (newlines, quotes, $(...), backticks, ;, &&, Jinja syntax, ..).
Each is either refused before anything is written, or rendered with the same files, the same
Dockerfile instructions, the same compose.yaml and docker-bake.hcl structure as a harmless value
of the same question, and the build script runs nothing."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scaffolder import _main, _plan, _schema
from scaffolder.errors import ScaffoldError
from tests.helpers import GO_MOD, HELLO_GO, HELLO_PY, MAIN_CPP, tree

SERVER = {"port": 8080, "compose": True, "compose_services": ["postgres"]}  # every file an app gets
PROJECTS = {
    "go": ({"go.mod": "module example.com/app\n\ngo 1.24\n", "main.go": HELLO_GO}, SERVER),
    "cpp": ({"CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n", "main.cpp": MAIN_CPP}, {}),
    "python": ({"main.py": HELLO_PY}, SERVER),
    "pyinstaller": ({"main.py": HELLO_PY}, {"python_pyinstaller": True, "start_command": ["python", "main.py", "--x"]}),
    # The state directory's questions are asked only once it is set.
    "python-state": ({"main.py": HELLO_PY}, {**SERVER, "python_state_dir": "/data", "python_state_links": ["app.db"],
                                             "django_static_root": "static"}),
}
MARK = "injected"
HOSTILE = [
    "a\nUSER root\nRUN id",
    f"$(touch {MARK})`touch {MARK}`;touch {MARK} && touch {MARK} | touch {MARK}",
    "{{ 7 * 7 }}{% raw %}\"'\\ ../..",
]
COMMON = ("project_name", "language", "port", "uid", "tini", "compose", "compose_services", "compose_env_file")
STATE = ("python_state_", "django_")


def questions(project: str) -> list[str]:
    """The questions each project renders with hostile values."""
    if project == "python-state":
        return [n for n in _schema.QUESTIONS if n.startswith(STATE)]
    prefix = {"pyinstaller": ("pyinstaller_", "start_command")}.get(project, (f"{project}_", "start_command"))
    names = [n for n in _schema.QUESTIONS if (n.startswith(prefix) and not n.startswith(STATE)) or n in COMMON]
    return names if project != "go" else [n for n in names if n != "start_command"]


def test_every_question_is_rendered_with_hostile_values():
    """A new question is covered here, or this fails: the app questions by a project below, the
    questions of the root of several apps by the docker-bake.hcl test."""
    covered = {n for project in PROJECTS for n in questions(project)} | set(_plan.ROOT_QUESTIONS)
    assert covered == set(_schema.QUESTIONS), set(_schema.QUESTIONS) - covered


def instructions(dockerfile: str) -> list[str]:
    """The instruction keywords, one per logical line (continuations joined, comments skipped)."""
    found, continued = [], False
    for line in dockerfile.splitlines():
        stripped = line.strip()
        if not continued and stripped and not stripped.startswith("#"):
            found.append(stripped.split()[0].upper())
        continued = line.rstrip().endswith("\\") or (continued and (not stripped or stripped.startswith("#")))
    return found


def shape(value: object) -> object:
    """A YAML document's structure: its keys and nesting, the type of each scalar."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__


def hcl_shape(text: str) -> list[str]:
    """docker-bake.hcl's structure: each line with its string literals and comments emptied."""
    lines = (re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', line).split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def same_structure(out: dict[str, str], reference: dict[str, str], what: object) -> None:
    assert sorted(out) == sorted(reference), what
    if "Dockerfile" in out:
        assert instructions(out["Dockerfile"]) == instructions(reference["Dockerfile"]), what
        for line in out["Dockerfile"].splitlines():
            assert not line.startswith(("USER root", "RUN id")), (what, line)
    if "compose.yaml" in out:
        assert shape(yaml.safe_load(out["compose.yaml"])) == shape(yaml.safe_load(reference["compose.yaml"])), what
    if "docker-bake.hcl" in out:
        assert hcl_shape(out["docker-bake.hcl"]) == hcl_shape(reference["docker-bake.hcl"]), what


def rendered(root: Path, answers: dict) -> dict[str, str] | None:
    """The files init would write, or None when the answers are refused."""
    try:
        result = _main.init(root, answers, defaults=True, dry_run=True)
    except ScaffoldError:
        return None
    return {f.path: f.content.decode() for f in result.files}


def shaped_like(name: str, value: str):
    """``value`` in the shape the question takes (a list for list questions)."""
    rule = _schema.QUESTIONS[name]
    if name == "start_command":
        return ["python", value]
    return [value] if rule.accepts(["app"]) and not rule.accepts("app") else value


def harmless(name: str):
    for value in ("app", ["app"], ["./app"], 8080, 1000):
        if _schema.QUESTIONS[name].accepts(value):
            return ["python", "app.py"] if name == "start_command" else value
    return None


FAKE_DOCKER = """#!/bin/sh
echo "$*" >> "$DOCKER_LOG"
case "$1 $2" in
  "buildx version") echo "github.com/docker/buildx v0.13.1" ;;
  "image inspect") echo 3 ;;
esac
"""


def run_build_script(tmp_path: Path, script: str) -> str:
    """docker-build.sh with a Docker CLI that only records its arguments; what it recorded."""
    work = tmp_path / "build"
    work.mkdir(exist_ok=True)
    (work / "docker-build.sh").write_text(script)
    fake = work / "docker"
    fake.write_text(FAKE_DOCKER)
    fake.chmod(0o755)
    log = work / "docker.log"
    log.write_text("")
    env = {"PATH": "/usr/bin:/bin", "DOCKER": str(fake), "DOCKER_LOG": str(log), "HOME": str(work)}
    proc = subprocess.run(["bash", str(work / "docker-build.sh")], cwd=work, env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return log.read_text()


@pytest.mark.parametrize("language", PROJECTS)
def test_hostile_answers_never_change_the_generated_files_structure(language, tmp_path):
    files, base_answers = PROJECTS[language]
    root = tree(tmp_path / "project", files)
    baseline = rendered(root, base_answers)
    assert baseline is not None and set(baseline) >= {"Dockerfile", "docker-build.sh"}
    assert "compose.yaml" in baseline or "compose" not in base_answers
    accepted = refused = 0
    for name in questions(language):
        reference = None
        for i, value in enumerate(HOSTILE):
            answer = shaped_like(name, value)
            # The first value goes through Copier's validator; later ones the schema refuses are
            # refused by that same call, so they are not rendered again (time).
            out = None if i and _schema.problem(name, answer) else rendered(root, {**base_answers, name: answer})
            if out is None:
                refused += 1
                continue
            accepted += 1
            if reference is None:
                benign = harmless(name)
                reference = (rendered(root, {**base_answers, name: benign}) if benign is not None else None) or baseline
            same_structure(out, reference, (name, value))
            log = run_build_script(tmp_path, out["docker-build.sh"])
            assert not list(tmp_path.rglob(MARK)), (name, value)
            assert "$(" not in log.split("--tag", 1)[-1].split()[0], log
    assert not any(Path(p).name == MARK for p in os.listdir(tmp_path))
    assert refused > 0 and accepted + refused == len(questions(language)) * len(HOSTILE)


def test_exec_form_arguments_are_json_strings(tmp_path):
    root = tree(tmp_path / "project", {"main.py": HELLO_PY})
    command = ["python", "main.py", 'a"b', "$(id)", "x;y"]
    for extra in ({}, {"python_pyinstaller": True}):
        dockerfile = rendered(root, {"start_command": command, **extra})["Dockerfile"]
        last = [line for line in dockerfile.splitlines() if line.startswith(("CMD", "ENTRYPOINT"))][-1]
        assert last.endswith('"a\\"b", "$(id)", "x;y"]'), last


def test_the_build_script_takes_the_project_name_literally(tmp_path):
    root = tree(tmp_path / "project", {"main.py": HELLO_PY})
    out = rendered(root, {"project_name": "my-app.v2"})
    assert "--tag my-app.v2:latest" in run_build_script(tmp_path, out["docker-build.sh"])


APPS = {"api/go.mod": GO_MOD, "api/main.go": HELLO_GO, "worker/go.mod": GO_MOD, "worker/main.go": HELLO_GO}
ROOT_HARMLESS = {"apps": [{"name": "api", "path": "api"}, {"name": "worker", "path": "worker"}],
                 "bake_platforms": ["linux/amd64"]}


def root_hostile(name: str, value: str) -> object:
    if name == "apps":
        return [{"name": value, "path": "api"}, {"name": "worker", "path": value}]
    return ["linux/amd64", value]


def test_hostile_root_answers_never_change_docker_bake_hcl(tmp_path):
    root = tree(tmp_path / "project", APPS)
    reference = rendered(root, dict(ROOT_HARMLESS))
    assert reference is not None and "docker-bake.hcl" in reference
    accepted = refused = 0
    for name in _plan.ROOT_QUESTIONS:
        for value in HOSTILE:
            out = rendered(root, {**ROOT_HARMLESS, name: root_hostile(name, value)})
            if out is None:
                refused += 1
                continue
            accepted += 1
            same_structure(out, reference, (name, value))
            assert not list(tmp_path.rglob(MARK)), (name, value)
    assert refused > 0 and accepted + refused == len(_plan.ROOT_QUESTIONS) * len(HOSTILE)
@pytest.mark.parametrize("app", [
    {"port": "8080\n    privileged: true"}, {"port": True}, {"port": -1},
    {"services": ["redis\n  evil:\n    image: x"]}, {"services": ["redis", "redis"]}, {"services": "redis"},
    {"command": "sh"},
])
def test_the_root_compose_takes_no_hostile_app_entry(app):
    """What the root's compose.yaml renders of each app (its port and backing services) is refused
    unless it is a port number and known service names."""
    assert _schema.problem("apps", [{"name": "api", "path": "services/api", **app}])
    assert not _schema.problem("apps", [{"name": "api", "path": "services/api", "port": 8080, "services": ["redis"]}])
