"""A root holding several apps: app roots found with their evidence, each app rendered in its
own directory, docker-bake.hcl at the root, and check and update covering them all."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from scaffolder import _schema
from scaffolder._detect import app_roots
from scaffolder._plan import app_names
from tests.helpers import GO_MOD, HELLO_GO, MAIN_CPP, git, run, snapshot, tree

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "monorepo-three"
APPS = ["services/api", "services/worker", "tools/cli"]
CMAKE = "cmake_minimum_required(VERSION 3.16)\nproject(cli LANGUAGES CXX)\nadd_executable(cli main.cpp)\n"
WORKER = {"worker/requirements.txt": "", "worker/worker.py": "print('work')\n"}


def _example(tmp_path: Path) -> Path:
    root = tmp_path / "monorepo-three"
    shutil.copytree(EXAMPLE, root)
    return root


def _committed(tmp_path: Path, capsys) -> Path:
    """The example rendered at its root and committed to a new git repository."""
    root = _example(tmp_path)
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def test_app_roots_of_the_example_with_their_evidence():
    found = app_roots(EXAMPLE)
    assert [(a.path, a.evidence, a.languages) for a in found] == [
        ("services/api", "services/api/go.mod", ("go",)),
        ("services/worker", "services/worker/requirements.txt", ("python",)),
        ("tools/cli", "tools/cli/CMakeLists.txt", ("cpp",)),
    ]
    assert not any(a.problem or a.not_an_app for a in found)


@pytest.mark.parametrize("files", [
    # A build manifest at the root: its build owns everything below it (today's one app).
    {"go.mod": GO_MOD, "main.go": HELLO_GO, "tools/gen/go.mod": GO_MOD, "tools/gen/main.go": HELLO_GO},
    {"CMakeLists.txt": CMAKE, "main.cpp": MAIN_CPP, "api/go.mod": GO_MOD, "api/main.go": HELLO_GO},
    # A Go workspace at the root is one app with several members.
    {"go.work": "go 1.22\n\nuse (\n\t./api\n\t./worker\n)\n", "api/go.mod": GO_MOD, "api/main.go": HELLO_GO,
     "worker/go.mod": GO_MOD, "worker/main.go": HELLO_GO},
    # One app below the root, the other directory holds only tests and scripts.
    {"api/go.mod": GO_MOD, "api/main.go": HELLO_GO, "scripts/requirements.txt": "", "scripts/lint.py": "print(1)\n"},
    # No manifest anywhere: sources only.
    {"hello.go": HELLO_GO, "tools/x.py": "print(1)\n"},
])
def test_one_app_is_no_monorepo(tmp_path, files):
    tree(tmp_path, files)
    assert app_roots(tmp_path) == []


def test_nested_builds_belong_to_the_outer_one_and_helpers_are_no_apps(tmp_path):
    tree(tmp_path, {
        "api/go.mod": GO_MOD, "api/main.go": HELLO_GO,
        "cli/CMakeLists.txt": CMAKE, "cli/main.cpp": MAIN_CPP, "cli/lib/CMakeLists.txt": "add_library(l l.cpp)\n",
        "tests/fixtures/sample/go.mod": GO_MOD, "tests/fixtures/sample/main.go": HELLO_GO, **WORKER,
    })
    found = {a.path: a for a in app_roots(tmp_path)}
    assert list(found) == ["api", "cli", "tests/fixtures/sample", "worker"]
    assert "tests/" in found["tests/fixtures/sample"].not_an_app


def test_names_are_the_directory_names_unless_two_share_one():
    assert app_names(["services/api", "tools/cli"]) == {"services/api": "api", "tools/cli": "cli"}
    assert app_names(["services/api", "legacy/api", "My.Tool"]) == {
        "services/api": "services-api", "legacy/api": "legacy-api", "My.Tool": "my-tool"}


def test_an_app_named_like_a_backing_service_gets_a_name_of_its_own():
    """compose.yaml at the root has a service for each app and one for each backing service:
    an app directory named postgres or redis must not take their names, nor two apps one name."""
    assert app_names(["services/postgres", "redis", "tools/cli"]) == {
        "services/postgres": "services-postgres", "redis": "redis-app", "tools/cli": "cli"}
    # The fallbacks are taken in turn, in the order of the paths: still distinct, every time.
    paths = ["redis", "a/redis", "redis-app", "x/redis-app"]
    names = app_names(paths)
    assert names == {"redis": "redis-app", "a/redis": "a-redis", "redis-app": "redis-app-app", "x/redis-app": "x-redis-app"}
    assert app_names(paths) == names
    assert len(set(app_names(["postgres", "postgres-app", "b/postgres-app"]).values())) == 3
    # Named by the user: refused, with the reason.
    assert _schema.problem("apps", [{"name": "postgres", "path": "db"}])
    assert not _schema.problem("apps", [{"name": "db", "path": "postgres"}])


def test_init_at_the_root_renders_every_app_and_the_bake_file(tmp_path, capsys):
    root = _example(tmp_path)
    code, out, err = run(capsys, "init", "--defaults", str(root))
    assert code == 0, err
    files = snapshot(root)
    for rel in APPS:
        for name in ("Dockerfile", ".dockerignore", "docker-build.sh", ".scaffold-answers.yml"):
            assert f"{rel}/{name}" in files, rel
        assert f"project_name: {rel.rsplit('/', 1)[1]}" in files[f"{rel}/.scaffold-answers.yml"].decode()
    assert "Dockerfile" not in files and "docker-build.sh" not in files
    bake = files["docker-bake.hcl"].decode()
    assert 'targets = ["api", "worker", "cli"]' in bake
    assert 'context    = "tools/cli"' in bake and 'tags       = concat(["${REGISTRY}cli:${TAG}"], cache_tags("cli"))' in bake
    answers = files[".scaffold-answers.yml"].decode()
    assert "path: services/worker" in answers and "language" not in answers and "\nport:" not in answers
    # The apps with their evidence, then each app's plan.
    assert "services/api     go  <- services/api/go.mod" in err
    assert "tools/cli:\nDetected cpp (CMakeLists.txt)" in err
    assert "docker buildx bake" in err


def test_init_of_one_app_directory_handles_that_app(tmp_path, capsys):
    root = _example(tmp_path)
    code, _, err = run(capsys, "init", "--defaults", str(root / "services/api"))
    assert code == 0, err
    assert set(snapshot(root / "services/api")) >= {"Dockerfile", "docker-build.sh", ".scaffold-answers.yml"}
    assert not (root / "docker-bake.hcl").exists()
    assert "apps" not in (root / "services/api/.scaffold-answers.yml").read_text()


def test_an_app_that_cannot_be_detected_is_listed_and_the_others_render(tmp_path, capsys):
    root = _example(tmp_path)
    tree(root, {"services/broken/pyproject.toml": "[project\n"})
    code, _, err = run(capsys, "init", "--defaults", str(root))
    assert code == 1
    assert "services/broken  cannot be detected: pyproject.toml:1: invalid TOML" in err
    assert "not rendered: services/broken: pyproject.toml:1: invalid TOML" in err
    assert not (root / "services/broken/Dockerfile").exists()
    for rel in APPS:
        assert (root / rel / "Dockerfile").exists()
    assert "broken" not in (root / "docker-bake.hcl").read_text()


@pytest.mark.parametrize("data, why", [
    ("bake_platforms=[\"linux/amd64\\\"\"]", "bake_platforms"),
    ("apps=[{name: 'a\"b', path: services/api}]", "apps"),
    ("apps=[{name: api, path: ../api}]", "apps"),
    ("apps=[{name: api, path: services/api}, {name: api, path: tools/cli}]", "apps"),
    ("apps=[{name: api, path: services/api, port: '8080\\n    privileged: true'}]", "apps"),
    ("apps=[{name: api, path: services/api, port: 70000}]", "apps"),
    ("apps=[{name: api, path: services/api, services: [mysql]}]", "apps"),
    ("apps=[{name: api, path: services/api, image: evil}]", "apps"),
    ("compose=maybe", "compose"),
])
def test_a_bad_root_answer_is_refused_and_nothing_is_written(tmp_path, capsys, data, why):
    root = _example(tmp_path)
    before = snapshot(root)
    code, _, err = run(capsys, "init", "--defaults", "--data", data, str(root))
    assert code == 2, err
    assert why in err and "Traceback" not in err
    assert snapshot(root) == before


def test_the_bake_names_and_platforms_can_be_answered(tmp_path, capsys):
    root = _example(tmp_path)
    code, _, err = run(capsys, "init", "--defaults", "--data", "bake_platforms=[linux/amd64, linux/arm64]",
                       "--data", "apps=[{name: gateway, path: services/api}, {name: cli, path: tools/cli}]", str(root))
    assert code == 0, err
    bake = (root / "docker-bake.hcl").read_text()
    assert 'targets = ["gateway", "cli"]' in bake and 'default = "linux/amd64,linux/arm64"' in bake
    assert "project_name: gateway" in (root / "services/api/.scaffold-answers.yml").read_text()
    assert not (root / "services/worker/Dockerfile").exists()


def test_check_and_update_at_the_root_cover_every_app(tmp_path, capsys):
    root = _committed(tmp_path, capsys)
    code, out, err = run(capsys, "check", str(root))
    assert code == 0, out + err
    assert [line.split(":")[0] for line in out.splitlines()] == [". (docker-bake.hcl)", *APPS]
    assert all("up to date" in line for line in out.splitlines())

    # An answer changed at the root goes to the bake file; any other to every app.
    code, out, err = run(capsys, "update", "--defaults", "--data", "bake_platforms=[linux/amd64]",
                         "--data", "uid=1000", str(root))
    assert code == 0, err
    changed = set(git(root, "diff", "--name-only").split())
    assert changed == {".scaffold-answers.yml", "docker-bake.hcl", *(f"{rel}/{n}" for rel in APPS
                                                                        for n in ("Dockerfile", ".scaffold-answers.yml"))}
    assert 'default = "linux/amd64"' in (root / "docker-bake.hcl").read_text()
    assert "USER 1000" in (root / "tools/cli/Dockerfile").read_text()
    git(root, "commit", "-qam", "update")

    # One app's answers refused: that app is reported, the others are up to date.
    answers = root / "services/worker/.scaffold-answers.yml"
    answers.write_text(answers.read_text().replace("uid: 1000", "uid: 0"))
    code, out, _ = run(capsys, "check", str(root))
    assert code == 3
    lines = out.splitlines()
    assert any(line.startswith("services/worker: ") and "uid" in line for line in lines), out
    assert any(line.startswith("tools/cli: up to date") for line in lines), out

    # A new app root is drift at the root, rendered by init.
    answers.write_text(answers.read_text().replace("uid: 0", "uid: 1000"))
    tree(root, {"services/mailer/go.mod": GO_MOD, "services/mailer/main.go": HELLO_GO})
    code, out, _ = run(capsys, "check", str(root))
    assert code == 1
    assert "apps:" in out and "services/mailer" in out and "run: scaffold init" in out


def test_update_at_the_root_refuses_before_touching_anything(tmp_path, capsys):
    root = _committed(tmp_path, capsys)
    answers = root / "tools/cli/.scaffold-answers.yml"
    answers.write_text(re.sub(r"_commit: .*", "_commit: v99.0.0", answers.read_text()))
    git(root, "commit", "-qam", "broken")
    before = snapshot(root)
    code, _, err = run(capsys, "update", "--defaults", "--data", "uid=1000", str(root))
    assert code == 1 and "tools/cli/.scaffold-answers.yml: written by scaffold templates v99.0.0" in err
    assert snapshot(root) == before


def test_a_custom_template_renders_one_app(tmp_path, capsys):
    root = _example(tmp_path)
    code, _, err = run(capsys, "init", "--defaults", "--template", str(tmp_path), str(root))
    assert code == 2 and "holds several apps" in err


def _bake_print(root: Path, **env: str) -> dict:
    docker = os.environ.get("DOCKER") or "docker"
    if subprocess.run([docker, "buildx", "version"], capture_output=True, check=False).returncode != 0:
        pytest.skip(f"no buildx plugin for {docker} (set DOCKER to a Docker CLI that has one)")
    proc = subprocess.run([docker, "buildx", "bake", "--print"], cwd=root, capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_buildx_reads_the_bake_file_and_its_variables(tmp_path, capsys):
    root = _example(tmp_path)
    assert run(capsys, "init", "--defaults", "--data", "bake_platforms=[linux/amd64]", str(root))[0] == 0
    plain = _bake_print(root)
    assert plain["group"]["default"]["targets"] == ["api", "worker", "cli"]
    assert plain["target"]["worker"] == {"context": "services/worker", "dockerfile": "Dockerfile",
                                         "tags": ["worker:latest"], "platforms": ["linux/amd64"]}
    cli = _bake_print(root, TAG="1.2.0", REGISTRY="registry.example.com/team/", PLATFORMS="linux/amd64,linux/arm64",
                      CACHE_REF="registry.example.com/cache/", SOURCE_DATE_EPOCH="1764633600", REVISION="0" * 40,
                      VERSION="v1.2.0")["target"]["cli"]
    assert cli["tags"] == ["registry.example.com/team/cli:1.2.0"]
    assert cli["platforms"] == ["linux/amd64", "linux/arm64"]
    assert cli["cache-from"] == ["type=registry,ref=registry.example.com/cache/cli-buildcache"]
    assert cli["cache-to"] == ["type=registry,ref=registry.example.com/cache/cli-buildcache,mode=max"]
    assert cli["args"] == {"SOURCE_DATE_EPOCH": "1764633600"}
    assert cli["labels"] == {"org.opencontainers.image.created": "2025-12-02T00:00:00Z",
                             "org.opencontainers.image.revision": "0" * 40, "org.opencontainers.image.version": "v1.2.0"}
    gha = _bake_print(root, CACHE_REF="gha")["target"]["api"]
    assert gha["cache-from"] == ["type=gha,scope=api"] and gha["cache-to"] == ["type=gha,scope=api,mode=max"]
    # The engine's own builder exports inline caches only: the image carries its cache, and is
    # tagged where the next build imports it.
    inline = _bake_print(root, REGISTRY="registry.example.com/team/", CACHE_REF="registry.example.com/cache/",
                         CACHE_MODE="inline")["target"]["cli"]
    assert inline["tags"] == ["registry.example.com/team/cli:latest", "registry.example.com/cache/cli-buildcache"]
    assert inline["cache-from"] == ["type=registry,ref=registry.example.com/cache/cli-buildcache"]
    assert inline["cache-to"] == ["type=inline"]
    assert _bake_print(root, CACHE_REF="gha", CACHE_MODE="min")["target"]["api"]["cache-to"] == ["type=gha,scope=api,mode=min"]
    assert _bake_print(root, CACHE_MODE="inline")["target"]["api"]["tags"] == ["api:latest"]  # no cache, no cache tag


def test_detect_at_the_root_lists_every_app_root_with_its_reason(tmp_path, capsys):
    root = _example(tmp_path)
    tree(root, {"services/broken/pyproject.toml": "[project\n", "docs/demo/go.mod": "module demo\n"})
    code, out, _ = run(capsys, "detect", str(root))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("3 apps under ")
    assert "  services/api     go  <- services/api/go.mod" in lines
    assert "  tools/cli        cpp  <- tools/cli/CMakeLists.txt" in lines
    assert any(line.startswith("  services/broken  cannot be detected: pyproject.toml:1: invalid TOML") for line in lines)
    assert any(line.startswith("  docs/demo        not an app: inside docs/") for line in lines)
    assert "go_module" not in out  # no detection of the root as one project

    code, out, _ = run(capsys, "detect", "--json", str(root))
    assert code == 0
    apps = {a["path"]: a for a in json.loads(out)["apps"]}
    assert sorted(apps) == ["docs/demo", *APPS[:1], "services/broken", *APPS[1:]]
    assert apps["services/worker"] == {"path": "services/worker", "evidence": "services/worker/requirements.txt",
                                       "languages": ["python"], "problem": None, "not_an_app": None}
    assert apps["services/broken"]["problem"].startswith("pyproject.toml:1: invalid TOML")
    assert apps["docs/demo"]["not_an_app"].startswith("inside docs/")


def test_detect_at_a_root_of_undetectable_apps_fails(tmp_path, capsys):
    tree(tmp_path, {"a/pyproject.toml": "[project\n", "b/pyproject.toml": "[project\n"})
    code, out, _ = run(capsys, "detect", str(tmp_path))
    assert code == 1
    assert out.splitlines()[0].startswith("0 apps under ")
    assert "  a  cannot be detected: pyproject.toml:1: invalid TOML" in out


SERVING = {
    "services/web/requirements.txt": "flask==3.1.3\npsycopg2-binary==2.9.11\n",
    "services/web/app.py": "from flask import Flask\napp = Flask(__name__)\n"
                           "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080)\n",
    "services/jobs/requirements.txt": "redis==7.4.0\n",
    "services/jobs/worker.py": "import redis\nif __name__ == '__main__':\n    redis.Redis()\n",
}


def test_compose_at_the_root_runs_every_app_with_the_services_they_share(tmp_path, capsys):
    root = _example(tmp_path)
    tree(root, {**SERVING, "services/jobs2/requirements.txt": "redis==7.4.0\n",
                "services/jobs2/worker.py": SERVING["services/jobs/worker.py"]})
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    compose = yaml.safe_load((root / "compose.yaml").read_text())
    services = compose["services"]
    assert sorted(services) == ["api", "cli", "jobs", "jobs2", "postgres", "redis", "web", "worker"]
    assert services["web"]["build"] == {"context": "services/web", "target": "runtime"}
    assert services["web"]["ports"] == ["8080:8080"] and "ports" not in services["jobs"]
    assert services["web"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["jobs"]["environment"] == services["jobs2"]["environment"] == {"REDIS_URL": "redis://redis:6379/0"}
    assert sorted(compose["volumes"]) == ["postgres-data", "redis-data"]  # one of each, shared
    recorded = yaml.safe_load((root / ".scaffold-answers.yml").read_text())
    assert recorded["compose"] is True
    assert {"name": "web", "path": "services/web", "port": 8080, "services": ["postgres"]} in recorded["apps"]

    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    code, out, err = run(capsys, "check", str(root))
    assert code == 0 and all("up to date" in line for line in out.splitlines()), out + err
    # update replays the root's answers: compose.yaml comes back as it was.
    assert run(capsys, "update", "--defaults", str(root))[0] == 0
    assert git(root, "status", "--porcelain") == ""


def test_no_compose_at_a_root_whose_apps_serve_nothing(tmp_path, capsys):
    root = _example(tmp_path)
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    assert not (root / "compose.yaml").exists()
    assert yaml.safe_load((root / ".scaffold-answers.yml").read_text())["compose"] is False


def test_turning_compose_off_at_the_root_deletes_every_compose_file_scaffold_wrote(tmp_path, capsys):
    # Each app's merge diffs the whole repository against its own render, which once put back
    # the root's compose.yaml that the root's merge had deleted.
    root = _example(tmp_path)
    tree(root, SERVING)
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("compose.yaml"))
    assert written == ["compose.yaml", "services/jobs/compose.yaml", "services/web/compose.yaml"]
    (root / "services/web/compose.yaml").write_text((root / "services/web/compose.yaml").read_text() + "# mine\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    code, out, err = run(capsys, "update", "--defaults", "--data", "compose=false", str(root))
    assert code == 0, err
    assert not (root / "compose.yaml").exists() and "deleted  compose.yaml" in out
    assert not (root / "services/jobs/compose.yaml").exists() and "deleted  services/jobs/compose.yaml" in out
    assert (root / "services/web/compose.yaml").read_text().endswith("# mine\n")
    assert "kept services/web/compose.yaml: the answers no longer render it" in err
