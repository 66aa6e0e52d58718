"""A root holding three apps in three languages, built for real: `scaffold init --defaults` at
the root renders each app's files and docker-bake.hcl, `docker buildx bake` builds every image
on the engine's own builder, each image runs as a non-root user and prints what its program
prints, and `scaffold check` at the root reports each app.

Slow: marked ``docker``. The images get a tag of their own run (TAG=...), removed afterwards."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from scaffolder._compat import tomllib
from tests import images
from tests.docker_harness import DOCKER, EXAMPLES, REPO, parse_dockerfile

EXAMPLE = EXAMPLES / "monorepo-three"


def _scaffold(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scaffolder", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.mark.docker
def test_bake_builds_every_app_and_each_image_runs(docker, tmp_path):
    project = tmp_path / "monorepo-three"
    shutil.copytree(EXAMPLE, project)
    expect = tomllib.loads((project / "monorepo.toml").read_text())["apps"]
    init = _scaffold("init", "--defaults", str(project))
    assert init.returncode == 0, init.stderr
    for rel in expect:
        assert "Dockerfile" in os.listdir(project / rel), init.stderr
    bases = [b for rel in expect for b in parse_dockerfile((project / rel / "Dockerfile").read_text())[1]]
    images.ensure_all(sorted(set(bases)))

    tag = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DOCKER_BUILDKIT": "1", "TAG": tag}
    bake = subprocess.run([DOCKER, "buildx", "bake", "--progress", "plain"], cwd=project, capture_output=True,
                          text=True, timeout=1800, check=False, env=env)
    built = [f"{rel.rsplit('/', 1)[-1]}:{tag}" for rel in expect]
    try:
        assert bake.returncode == 0, f"docker buildx bake failed:\n{bake.stderr[-4000:]}"
        for rel, image in zip(expect, built):
            user = subprocess.run([DOCKER, "image", "inspect", "--format", "{{.Config.User}}", image],
                                  capture_output=True, text=True, check=True).stdout.strip()
            assert user and user.split(":")[0] not in ("0", "root"), f"{image} runs as {user!r}"
            run = subprocess.run([DOCKER, "run", "--rm", image, *expect[rel].get("args", [])], capture_output=True,
                                 text=True, timeout=120, check=False)
            assert run.returncode == 0, f"{image}: {run.stderr}"
            for line in expect[rel]["output"]:
                assert line in run.stdout, f"{image} printed {run.stdout!r}, not {line!r}"
    finally:
        subprocess.run([DOCKER, "image", "rm", "--force", *built], capture_output=True, check=False)

    check = _scaffold("check", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
    reported = check.stdout.splitlines()
    assert reported[0].startswith(". (docker-bake.hcl): up to date")
    assert [line.split(":", 1)[0] for line in reported[1:]] == list(expect), check.stdout
    assert all("up to date" in line for line in reported[1:]), check.stdout


@pytest.mark.docker
def test_compose_at_the_root_brings_up_the_apps_that_talk_to_their_services(docker, tmp_path):
    """The example with two more apps (the Flask app on PostgreSQL and the Redis worker of the
    compose examples): one compose.yaml at the root builds each app from its own directory,
    runs one PostgreSQL and one Redis, and both apps do their work through them."""
    from tests.test_compose import OVERRIDE, _compose, _down, _get, _up

    project = tmp_path / "monorepo"
    shutil.copytree(EXAMPLE, project)
    shutil.copytree(EXAMPLES / "python-compose-postgres", project / "services/web")
    shutil.copytree(EXAMPLES / "python-compose-redis-worker", project / "services/jobs")
    init = _scaffold("init", "--defaults", str(project))
    assert init.returncode == 0, init.stderr
    import yaml

    compose = yaml.safe_load((project / "compose.yaml").read_text())
    assert compose["services"]["web"]["build"]["context"] == "services/web"
    _, bases = parse_dockerfile((project / "services/web/Dockerfile").read_text())
    images.ensure_all([*bases, compose["services"]["postgres"]["image"], compose["services"]["redis"]["image"]])
    (project / "compose.override.yaml").write_text(OVERRIDE.replace("app:", "web:").format(port=8080))

    name = f"scaffold-monorepo-{uuid.uuid4().hex[:8]}"
    try:
        _up(project, name, "web", "jobs")
        address = _compose(project, name, "port", "web", "8080").stdout.strip()
        assert _get(f"http://{address}/visits") == "visits=1 note=stored in postgres\n"
        job = '{"id": "m1", "text": "from the monorepo root"}'
        assert _compose(project, name, "exec", "-T", "redis", "redis-cli", "LPUSH", "jobs", job).returncode == 0
        result = ""
        for _ in range(120):
            result = _compose(project, name, "exec", "-T", "redis", "redis-cli", "--raw", "GET", "result:m1").stdout.strip()
            if result:
                break
        assert result.startswith("words=4 sha256="), result
    finally:
        _down(project, name)



@pytest.mark.docker
def test_bake_shares_a_registry_cache_on_the_engines_own_builder(docker, registry, tmp_path):
    """The engine's own builder (docker driver, BuildKit 0.8) exports no registry cache, so the
    bake file's default (mode=max, for docker-container and remote builders) fails there;
    CACHE_MODE=inline makes the pushed image carry its cache, and the next bake imports it."""
    project = tmp_path / "monorepo-three"
    shutil.copytree(EXAMPLE, project)
    init = _scaffold("init", "--defaults", str(project))
    assert init.returncode == 0, init.stderr
    images.ensure_all(parse_dockerfile((project / "services/api/Dockerfile").read_text())[1])
    tag = f"test-{uuid.uuid4().hex[:8]}"
    image, cache = f"{registry.address}/apps/api:{tag}", f"{registry.address}/cache/api-buildcache"
    env = {**os.environ, "DOCKER_BUILDKIT": "1", "TAG": tag, "REGISTRY": f"{registry.address}/apps/",
           "CACHE_REF": f"{registry.address}/cache/"}

    def bake(*args: str, **more: str) -> subprocess.CompletedProcess:
        return subprocess.run([DOCKER, "buildx", "bake", "--progress", "plain", *args, "api"], cwd=project,
                              capture_output=True, text=True, timeout=900, check=False, env={**env, **more})

    try:
        refused = bake("--push")
        assert refused.returncode != 0 and "Cache export is not supported for the docker driver" in refused.stderr, \
            refused.stderr[-2000:]
        pushed = bake("--push", CACHE_MODE="inline")
        assert pushed.returncode == 0, pushed.stderr[-4000:]
        assert registry.tags("apps/api") == [tag] and registry.tags("cache/api-buildcache") == ["latest"]
        config = registry.image_config("cache/api-buildcache", "latest")
        assert "moby.buildkit.cache.v0" in config, sorted(config)  # the inline cache rides in the image
        again = bake(CACHE_MODE="inline")
        assert again.returncode == 0, again.stderr[-4000:]
        importing = re.search(rf"(?m)^#(\d+) importing cache manifest from {re.escape(cache)}$", again.stderr)
        assert importing and re.search(rf"(?m)^#{importing.group(1)} DONE", again.stderr), again.stderr[-4000:]
        expect = tomllib.loads((project / "monorepo.toml").read_text())["apps"]["services/api"]
        run = subprocess.run([DOCKER, "run", "--rm", image, *expect.get("args", [])], capture_output=True, text=True,
                             timeout=120, check=False)
        assert run.returncode == 0 and all(line in run.stdout for line in expect["output"]), run.stdout + run.stderr
    finally:
        subprocess.run([DOCKER, "image", "rm", "--force", image, cache], capture_output=True, check=False)
