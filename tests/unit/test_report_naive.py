"""The naive single-stage Dockerfiles that `scaffold report --compare naive` builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffolder._naive import naive_base_image, naive_dockerfile


def _froms(text: str) -> list[str]:
    return [line.split()[1] for line in text.splitlines() if line.startswith("FROM ")]


@pytest.mark.parametrize(
    ("answers", "image"),
    [
        ({"language": "python", "python_version": "3.11"}, "python:3.11-bookworm"),
        ({"language": "python", "python_version": "3.13"}, "python:3.13-trixie"),
        ({"language": "go", "go_version": "1.22"}, "golang:1.22-bookworm"),
        ({"language": "go", "go_version": "1.24"}, "golang:1.24-trixie"),
        ({"language": "cpp", "cpp_target": "hello"}, "debian:bookworm-slim"),
    ],
)
def test_one_full_toolchain_image(answers, image):
    assert naive_base_image(answers) == image
    text = naive_dockerfile(answers | {"start_command": ["python", "app.py"], "cpp_target": "hello"})
    assert _froms(text) == [image]
    assert "COPY . ." in text and "--mount" not in text


def test_python_pip_installs_every_requirements_file_and_runs_the_start_command():
    text = naive_dockerfile({
        "language": "python", "python_version": "3.11", "python_manager": "pip",
        "python_requirements": ["requirements.txt", "requirements-prod.txt"],
        "start_command": ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"],
        "python_runtime_packages": ["libpq5"], "python_build_packages": ["libpq-dev"],
    })
    assert "pip install --no-cache-dir -r requirements.txt -r requirements-prod.txt" in text
    assert "apt-get install -y --no-install-recommends libpq-dev libpq5" in text
    cmd = [line for line in text.splitlines() if line.startswith("CMD ")][0]
    assert json.loads(cmd[4:]) == ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]


def test_python_without_requirements_installs_nothing_and_a_project_installs_itself():
    bare = naive_dockerfile({"language": "python", "python_version": "3.13", "python_manager": "pip",
                             "python_requirements": [], "start_command": ["python", "hello.py"]})
    assert "pip install" not in bare
    project = naive_dockerfile({"language": "python", "python_version": "3.13", "python_manager": "pip",
                                "python_requirements": ["pyproject.toml"], "python_install_project": True,
                                "start_command": ["app"]})
    assert "RUN pip install --no-cache-dir .\n" in project and "tomllib" not in project
    deps_only = naive_dockerfile({"language": "python", "python_version": "3.13", "python_manager": "pip",
                                  "python_requirements": ["pyproject.toml"], "start_command": ["python", "app.py"]})
    assert "-r /tmp/project-requirements.txt" in deps_only and "install --no-cache-dir .\n" not in deps_only


@pytest.mark.parametrize(
    ("manager", "needle"),
    [("pipenv", "pipenv install --system --deploy"), ("poetry", "poetry install --only main --no-interaction --no-root"),
     ("uv", "uv sync --locked --no-dev --no-install-project"), ("pdm", "pdm install --prod --no-self")],
)
def test_python_managers(manager, needle):
    text = naive_dockerfile({"language": "python", "python_version": "3.13", "python_manager": manager,
                             "start_command": ["python", "-m", "app"]})
    assert needle in text


def test_python_tools_are_the_policy_versions():
    from scaffolder._policy import tool_version

    for manager in ("pipenv", "poetry", "uv", "pdm"):
        text = naive_dockerfile({"language": "python", "python_version": "3.13", "python_manager": manager,
                                 "start_command": ["python", "-m", "app"]})
        assert f"{manager}{'[locked]' if manager == 'pdm' else ''}=={tool_version(manager)}" in text, manager


def test_go_module_and_lone_file():
    mod = naive_dockerfile({"language": "go", "go_version": "1.23", "go_module": True,
                            "go_packages": ["./cmd/api", "./cmd/worker"], "go_entrypoint": "api"})
    assert "RUN go build -o /usr/local/bin/ ./cmd/api ./cmd/worker" in mod
    assert 'CMD ["/usr/local/bin/api"]' in mod
    lone = naive_dockerfile({"language": "go", "go_version": "1.22", "go_module": False,
                             "go_packages": ["hello.go"], "go_entrypoint": "hello"})
    assert "RUN go build -o /usr/local/bin/hello hello.go" in lone


@pytest.mark.parametrize(
    ("system", "needles"),
    [
        # The default build first; the program by name only if that did not build it.
        ("cmake", ["build-essential cmake", "cmake --build build && ", "cmake --build build --target app"]),
        ("meson", ["meson ninja-build", "meson compile -C build && ", "meson compile -C build app:executable"]),
        ("autotools", ["autoconf automake", "./configure && make && { [ -f app ] || make app; }"]),
        ("make", ["build-essential zlib1g-dev", "RUN make && { [ -f app ] || make app; }"]),
        ("single", ["g++ -O2 -o /usr/local/bin/app main.cpp"]),
    ],
)
def test_cpp_build_systems(system, needles):
    text = naive_dockerfile({"language": "cpp", "cpp_build_system": system, "cpp_target": "app",
                             "cpp_source": "main.cpp", "cpp_build_packages": ["zlib1g-dev"]})
    for needle in needles:
        assert needle in text
    assert "rm -rf /var/lib/apt/lists/*" in text


def test_lone_c_file_uses_gcc():
    text = naive_dockerfile({"language": "cpp", "cpp_build_system": "single", "cpp_language": "c",
                             "cpp_target": "hello", "cpp_source": "hello.c"})
    assert "gcc -O2 -o /usr/local/bin/hello hello.c" in text


def test_unknown_language():
    with pytest.raises(ValueError):
        naive_dockerfile({"language": "rust"})
