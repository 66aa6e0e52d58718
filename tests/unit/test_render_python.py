"""The Python partial rendered for each manager and option: the recipe's key lines are there and
every Dockerfile is hadolint-clean. No Docker needed."""

from __future__ import annotations

import json
from pathlib import Path

import pathspec
import pytest

from scaffolder.cli import main
from tests.helpers import HELLO_PY as APP
from tests.helpers import render, render_error


def dockerfile(tmp_path: Path, files: dict[str, str], **data) -> str:
    return render(tmp_path, files, **data)["Dockerfile"]


def test_pep621_pip_with_project_secrets_and_packages(tmp_path, capsys):
    text = dockerfile(tmp_path, {
        "pyproject.toml": '[project]\nname = "a"\nversion = "0"\ndependencies = ["psycopg2", "lib @ git+ssh://git@example.com/lib.git"]\n'
                          '[project.scripts]\na = "a:main"\n'
                          '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
        "a.py": "def main(): pass\n",
    }, python_netrc=True)
    assert "FROM python:${PYTHON_VERSION}-slim-trixie AS deps" in text
    assert "apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev git openssh-client" in text
    assert "COPY pyproject.toml ./" in text
    assert "tomllib.load(open(\"pyproject.toml\", \"rb\"))" in text and "-r /tmp/project-requirements.txt" in text
    assert text.count("--mount=type=secret,id=netrc,target=/root/.netrc") == 2
    assert text.count("--mount=type=ssh") == 2
    assert 'GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=accept-new"' in text
    assert "install --no-warn-script-location ." in text
    assert "libpq5" in text and 'ENTRYPOINT ["a"]' in text and "\nCMD " not in text
    # The final stage installs run-time packages only.
    runtime = text.split("AS runtime\n", 1)[1]
    assert "libpq-dev" not in runtime and "gcc" not in runtime


def test_pipenv_lock_installs_its_hashes_with_uv_and_the_index_secret(tmp_path, capsys):
    lock = json.dumps({"_meta": {"sources": [{"name": "private", "url": "https://pkgs.example.com/simple", "verify_ssl": True}]},
                       "default": {"requests": {"version": "==2.32.5", "hashes": ["sha256:" + "0" * 64]}}, "develop": {}})
    text = dockerfile(tmp_path, {"Pipfile": '[[source]]\nname = "private"\nurl = "https://pkgs.example.com/simple"\n'
                                            'verify_ssl = true\n[packages]\nrequests = "==2.32.5"\n',
                                 "Pipfile.lock": lock, "main.py": APP}, python_netrc=True)
    step = text.split("COPY Pipfile Pipfile.lock ./\n", 1)[1].split("\n\n", 1)[0]
    assert "--mount=type=secret,id=netrc,target=/root/.netrc" in step and "--mount=type=cache,target=/root/.cache/uv" in step
    assert "/opt/pipenv/bin/pipenv requirements --hash > /tmp/pipenv-requirements.txt" in step
    assert "uv pip install --link-mode=copy --compile-bytecode --verify-hashes --no-deps" in step
    assert "/opt/pipenv/bin/pipenv sync" not in text and "skip-lock" not in text


def test_pipenv_without_lock(tmp_path, capsys):
    text = dockerfile(tmp_path, {"Pipfile": '[packages]\nrequests = "*"\n', "main.py": APP})
    assert "uv pip install --link-mode=copy --compile-bytecode --python /opt/pipenv/bin/python \"pipenv==2026.10.3\"" in text
    assert "PIPENV_VENV_IN_PROJECT=1" in text and "PIP_USER" not in text
    assert "COPY Pipfile ./" in text and "pipenv install --skip-lock" in text
    assert "COPY --from=build /app/.venv /app/.venv" in text


def test_poetry_package_mode_false_installs_no_project(tmp_path, capsys):
    text = dockerfile(tmp_path, {
        "pyproject.toml": '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = ">=3.11,<3.12"\nrequests = "*"\n',
        "poetry.lock": '[metadata]\nlock-version = "2.1"\n', "main.py": APP,
    })
    assert "FROM python:${PYTHON_VERSION}-slim-bookworm AS deps" in text and "ARG PYTHON_VERSION=3.11" in text
    assert "uv pip install --link-mode=copy --compile-bytecode --python /opt/poetry/bin/python \"poetry==2.5.1\"" in text
    assert "poetry install --only main --no-root --no-directory" in text
    assert "poetry install --only main\n" not in text


def test_uv_workspace(tmp_path, capsys):
    text = dockerfile(tmp_path, {
        "pyproject.toml": '[project]\nname = "root"\nversion = "0"\ndependencies = ["core"]\n'
                          '[tool.uv.sources]\ncore = { workspace = true }\n[tool.uv.workspace]\nmembers = ["libs/*"]\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
        "libs/core/pyproject.toml": '[project]\nname = "core"\nversion = "0"\n',
        "main.py": APP,
    })
    assert "COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/" in text
    assert "COPY pyproject.toml uv.lock ./\nCOPY libs/core/pyproject.toml libs/core/\n" in text
    assert "uv sync --locked --no-dev --no-install-workspace" in text
    assert "uv sync --locked --no-dev --no-editable" in text
    assert "UV_PYTHON_DOWNLOADS=never" in text


def test_pdm_with_project(tmp_path, capsys):
    text = dockerfile(tmp_path, {
        "pyproject.toml": '[project]\nname = "a"\nversion = "0"\ndependencies = []\n'
                          '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n',
        "pdm.lock": '[metadata]\nstrategy = ["inherit_metadata"]\nlock_version = "4.5"\n', "a.py": APP,
    }, python_netrc=True)
    assert '--python /opt/pdm/bin/python "pdm[locked]==2.29.3"' in text
    step = text.split("COPY pyproject.toml pdm.lock ./\n", 1)[1].split("\n\n", 1)[0]
    assert "--mount=type=secret,id=netrc,target=/root/.netrc" in step and "--mount=type=cache,target=/root/.cache/uv" in step
    assert "/opt/pdm/bin/pdm lock --check" in step
    assert "/opt/pdm/bin/pdm export --prod --output /tmp/pdm-requirements.txt" in step
    assert "uv pip install --link-mode=copy --compile-bytecode --verify-hashes --no-deps" in step
    assert "--no-self" not in text
    assert "pdm install --check --frozen-lockfile --prod --no-editable\n" in text


def test_pyinstaller_spec_onedir_with_uv(tmp_path, capsys):
    text = dockerfile(tmp_path, {
        "pyproject.toml": '[project]\nname = "t"\nversion = "0"\nrequires-python = ">=3.11,<3.12"\ndependencies = []\n',
        "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
        "tool.py": APP,
        "tool.spec": "a = Analysis(['tool.py'])\nexe = EXE(a.scripts, exclude_binaries=True, name='tool')\ncoll = COLLECT(exe, name='tool')\n",
    })
    assert "apt-get install -y --no-install-recommends binutils" in text
    assert "pyinstaller==6.22.3" in text and '/app/.venv/bin/pyinstaller --noconfirm --distpath /dist --workpath "$work"' in text
    # The analysis is kept in the project's own cache mount between builds: never --clean.
    assert "--mount=type=cache,id=pyinstaller-" in text and "--clean" not in text
    assert "tool.spec" in text and "--onedir" not in text
    assert "FROM scratch AS runtime" in text and "dpkg -L libc6 libgcc-s1 libcrypt1" in text
    assert 'ENTRYPOINT ["/app/tool/tool"]' in text
    assert "python" not in text.split("AS runtime", 1)[1].lower().replace("python template", "")


def test_pyinstaller_survives_the_uv_project_sync(tmp_path, capsys):
    """An exact `uv sync` removes what is not in the lock: PyInstaller, installed beside it."""
    text = dockerfile(tmp_path, {
        "pyproject.toml": '[project]\nname = "t"\nversion = "0"\nrequires-python = ">=3.11,<3.12"\ndependencies = []\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
        "t/__init__.py": "", "t/__main__.py": APP,
    }, python_pyinstaller=True, pyinstaller_entry="t/__main__.py")
    project_sync = next(line for line in text.splitlines() if "uv sync" in line and "--no-install-project" not in line)
    assert "--inexact" in project_sync
    assert text.index("pyinstaller==") < text.index(project_sync) < text.index("/app/.venv/bin/pyinstaller --noconfirm")


def test_pyinstaller_onefile_on_trixie(tmp_path, capsys):
    text = dockerfile(tmp_path, {"cli.py": APP}, python_pyinstaller=True, pyinstaller_entry="cli.py", python_version="3.13")
    assert "--onefile --strip --name cli" in text
    assert "FROM python:${PYTHON_VERSION}-slim-trixie AS deps" in text
    assert "FROM scratch AS runtime" in text and "chmod 1777 /rootfs/tmp" in text
    assert 'ENTRYPOINT ["/app/cli"]' in text


def test_requirements_with_http_port(tmp_path, capsys):
    text = dockerfile(tmp_path, {"requirements.txt": "flask\ngunicorn\n",
                             "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert "COPY requirements.txt ./" in text
    assert "python -m pip --python /opt/venv/bin/python install -r requirements.txt" in text
    assert "EXPOSE 5000" in text and "USER 65532:65532" in text
    assert 'CMD ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]' in text


@pytest.mark.parametrize("version, debian", [("3.11", "bookworm"), ("3.12", "bookworm"), ("3.13", "trixie"), ("3.14", "trixie")])
def test_debian_release_follows_the_version(tmp_path, capsys, version, debian):
    text = dockerfile(tmp_path, {"main.py": APP}, python_version=version, python_runtime="slim")
    assert f"ARG PYTHON_VERSION={version}" in text
    assert text.count(f"python:${{PYTHON_VERSION}}-slim-{debian}") == 2


def test_minimal_runtime_is_the_builders_python_on_scratch(tmp_path, capsys):
    text = dockerfile(tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                 "requirements.txt": "flask\ngunicorn\npsycopg2\n"})
    # The builder image runs the build and, on the build platform, the stage that fetches tini; never the final stage.
    assert text.count("FROM python:${PYTHON_VERSION}-slim-trixie AS deps") == 1
    assert text.count("python:${PYTHON_VERSION}-slim-trixie") == 2
    assert "FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-slim-trixie AS init" in text
    assert "FROM build AS rootfs" in text and "FROM scratch AS runtime" in text
    # Run-time packages are the files of the packages, on the release of the build.
    assert "FROM debian:trixie-slim AS runtime-packages" in text and "install -y --no-install-recommends libpq5" in text
    assert "COPY --from=runtime-packages /rootfs/ /rootfs/" in text
    assert "grep -vx -e dash -e bash -e base-files -e ca-certificates" in text
    rootfs = text.split("AS rootfs", 1)[1].split("AS runtime", 1)[0]
    for left_out in ("site-packages", "ensurepip", "idlelib", "tkinter", "test", "config-[0-9]*", "*.a"):
        assert f"--exclude={left_out}" in rootfs or f"--exclude='{left_out}'" in rootfs
    assert "ldd" in rootfs and "dpkg -L libc6 libgcc-s1 libcrypt1" in rootfs and "usr/share/zoneinfo" in rootfs
    runtime = text.split("FROM scratch AS runtime", 1)[1]
    assert "COPY --from=rootfs /rootfs/ /" in runtime and "COPY --from=build /opt/venv /opt/venv" in runtime
    assert "PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin" in runtime and "RUN " not in runtime
    assert 'CMD ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]' in runtime and "USER 65532:65532" in runtime


def test_slim_runtime_answer(tmp_path, capsys):
    text = dockerfile(tmp_path, {"main.py": APP, "requirements.txt": "psycopg2\n"}, python_runtime="slim")
    assert "FROM scratch" not in text and "runtime-packages" not in text
    runtime = text.split("AS runtime", 1)[1]
    assert "apt-get install -y --no-install-recommends libpq5" in runtime and "useradd" in runtime


def test_bad_python_runtime_answer_is_refused(tmp_path, capsys):
    (tmp_path / "main.py").write_text(APP)
    assert main(["init", "--defaults", "--data", "python_runtime=alpine", str(tmp_path)]) != 0
    assert "python_runtime" in capsys.readouterr().err and not (tmp_path / "Dockerfile").exists()


def test_bad_python_version_answer_is_refused(tmp_path, capsys):
    (tmp_path / "main.py").write_text(APP)
    assert main(["init", "--defaults", "--data", "python_version=3.9", str(tmp_path)]) != 0
    assert "3.11" in capsys.readouterr().err
    assert not (tmp_path / "Dockerfile").exists()


def test_included_requirements_keep_their_paths(tmp_path, capsys):
    text = dockerfile(tmp_path, {"requirements/prod.txt": "-r base.txt\ngunicorn\n", "requirements/base.txt": "flask\n",
                             "constraints.txt": "flask<4\n", "requirements/dev.txt": "pytest\n", "main.py": APP},
                  python_requirements=["requirements/prod.txt"],
                  python_dependency_files=["requirements/prod.txt", "requirements/base.txt", "constraints.txt"])
    assert "COPY requirements/prod.txt requirements/base.txt requirements/\nCOPY constraints.txt ./\n" in text
    assert "install -r requirements/prod.txt" in text


def test_a_command_line_program_is_the_entrypoint_a_server_the_cmd(tmp_path):
    """`docker run IMAGE --help` reaches a program with no port; a server keeps CMD (replaceable)."""
    cli = dockerfile(tmp_path / "cli", {"main.py": "print('hi')\n"})
    assert 'ENTRYPOINT ["python", "main.py"]' in cli and "\nCMD " not in cli
    server = dockerfile(tmp_path / "server", {"main.py": "print('hi')\n"}, port=8080,
                        start_command=["python", "main.py"])
    # The server runs under tini (on with a port), which is the whole ENTRYPOINT: CMD stays replaceable.
    assert 'ENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["python", "main.py"]' in server

    assert 'CMD ["python", "main.py"]' in server and 'ENTRYPOINT ["python"' not in server


def test_state_dir_is_owned_by_the_user_links_and_volume(tmp_path):
    text = dockerfile(tmp_path, {"requirements.txt": "django\n", "manage.py": "", "app.py": "print(1)\n"},
                      port=8000, start_command=["gunicorn", "app:app"], python_state_dir="/data",
                      python_state_links=["db.sqlite3", "var/uploads.db"], django_static_root="staticfiles",
                      django_migrate=True)
    build, runtime = text.split("AS runtime", 1)
    assert "ln -s /data/db.sqlite3 /links/db.sqlite3" in build and "mkdir -p /links/var && ln -s /data/uploads.db /links/var/uploads.db" in build
    assert "manage.py collectstatic --noinput" in build and "manage.py migrate --noinput" in build
    assert "COPY --from=build --chown=65532:65532 /data /data" in runtime
    assert "COPY --from=build /links/ /app/" in runtime and 'VOLUME ["/data"]' in runtime
    assert "COPY --from=build /app/staticfiles /app/staticfiles" in runtime
    ignore = render(tmp_path / "again", {"requirements.txt": "flask\n", "app.py": "print(1)\n"},
                    python_state_dir="/app/instance")[".dockerignore"]
    assert "\n/instance\n" in ignore


def test_a_directory_link_gets_its_directory_in_the_state_directory(tmp_path):
    files = {"requirements.txt": "gunicorn\n", "app.py": "print(1)\n"}
    rendered = render(tmp_path, files, port=8000, start_command=["gunicorn", "app:app"], python_state_dir="/data",
                      python_state_links=["logs/", "var/log/", "app.db"])
    build = rendered["Dockerfile"].split("AS runtime", 1)[0]
    assert "mkdir -p /data/logs && ln -s /data/logs /links/logs \\" in build
    assert "mkdir -p /links/var /data/log && ln -s /data/log /links/var/log \\" in build
    assert "&& ln -s /data/app.db /links/app.db \\" in build
    assert "(/app/logs, /app/var/log, /app/app.db point there)" in rendered["Dockerfile"]
    assert "\n/logs\n/var/log\n/app.db\n" in rendered[".dockerignore"]


@pytest.mark.parametrize("value", [["/"], ["logs//"], ["../logs/"], ["./"], ["logs /"], ["a\n/"]])
def test_state_links_answer_is_checked(tmp_path, value):
    assert "python_state_links" in render_error(tmp_path, {"app.py": "print(1)\n"}, python_state_dir="/data",
                                                python_state_links=value)


@pytest.mark.parametrize("value", ["/", "/app", "/etc/x", "data", "/data/../etc", "/data dir", "/data\nRUN x"])
def test_state_dir_answer_is_checked(tmp_path, value):
    assert "python_state_dir" in render_error(tmp_path, {"app.py": "print(1)\n"}, python_state_dir=value)


SCM_PROJECT = {
    "pyproject.toml": '[project]\nname = "v"\ndynamic = ["version"]\n[project.scripts]\nv = "v:main"\n'
                      '[build-system]\nrequires = ["setuptools", "setuptools-scm>=8"]\nbuild-backend = "setuptools.build_meta"\n',
    "v.py": "def main(): pass\n",
}
FAKE_DOCKER = """#!/bin/sh
case "$1" in
    buildx) if [ "$2" = version ]; then echo "buildx v0.13"; else echo "$@" >> "$DOCKER_LOG"; fi ;;
    image) echo 1 ;;
esac
"""


def _build_args(root: Path, tmp_path: Path, **env: str) -> tuple[str, str]:
    """What docker-build.sh passes to `docker buildx build`, and what it says, with a stand-in docker."""
    import os
    import subprocess

    fake = tmp_path / "fake-docker"
    fake.write_text(FAKE_DOCKER)
    fake.chmod(0o755)
    log = tmp_path / "docker.log"
    proc = subprocess.run(["bash", str(root / "docker-build.sh")], capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DOCKER": str(fake),
                               "DOCKER_LOG": str(log), **env})
    return log.read_text(), proc.stderr


def test_scm_version_from_git_describe_or_0_0_0(tmp_path):
    import subprocess

    files = render(tmp_path / "p", SCM_PROJECT)
    assert "ARG APP_VERSION=0.0.0\nENV SETUPTOOLS_SCM_PRETEND_VERSION=${APP_VERSION}\nCOPY . ." in files["Dockerfile"]
    root = tmp_path / "p"
    args, said = _build_args(root, tmp_path)  # no git repository: 0.0.0, and a note
    assert "--build-arg APP_VERSION=0.0.0" in args and "no git tag" in said
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"], ["tag", "v1.4.2"]):
        subprocess.run([*git, *step], cwd=root, check=True, capture_output=True)
    assert "--build-arg APP_VERSION=1.4.2 " in _build_args(root, tmp_path)[0]
    (root / "v.py").write_text("def main(): return 1\n")
    subprocess.run([*git, "commit", "-qam", "y"], cwd=root, check=True, capture_output=True)
    assert "--build-arg APP_VERSION=1.4.2.post1+g" in _build_args(root, tmp_path)[0]
    assert "--build-arg APP_VERSION=2.0 " in _build_args(root, tmp_path, APP_VERSION="2.0")[0]
    subprocess.run([*git, "tag", "v9;x"], cwd=root, check=True, capture_output=True)
    args, said = _build_args(root, tmp_path)
    assert "APP_VERSION=0.0.0" in args and "not a version" in said


def test_no_scm_version_no_build_arg(tmp_path):
    files = render(tmp_path, {"pyproject.toml": SCM_PROJECT["pyproject.toml"].replace(', "setuptools-scm>=8"', ""),
                              "v.py": "def main(): pass\n"})
    assert "APP_VERSION" not in files["Dockerfile"] and "APP_VERSION" not in files["docker-build.sh"]


def test_dockerignore_keeps_code_named_like_secret_files(tmp_path):
    """Secret and local-state files stay out of the context; modules that merely share a name stay in."""
    out = render(tmp_path, {"requirements.txt": "flask\n", "app.py": "print(1)\n"})
    spec = pathspec.PathSpec.from_lines("gitwildmatch", out[".dockerignore"].splitlines())
    kept = ("app/secrets.py", "app/credentials.py", "migrations/0001_init.sql", "data/cities.db", "certs/ca.crt")
    assert not [f for f in kept if spec.match_file(f)]
    dropped = ("config/secrets.yaml", "secrets.env", ".git-credentials", ".docker/config.json", "kubeconfig",
               "deploy/service-account.json", "infra/terraform.tfstate", "infra/.terraform/x", "dump.sql",
               "db.sqlite3", ".bash_history", "docker-compose.override.yml", "release.jks", ".pgpass")
    assert [f for f in dropped if not spec.match_file(f)] == []
