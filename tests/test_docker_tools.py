"""The Docker tools the compose, bake and registry tests rely on work with this machine's engine:
Compose v2 and buildx as CLI plugins, the engine's built-in BuildKit behind plain
``DOCKER_BUILDKIT=1 docker build``, and a registry on loopback that accepts a push.

``.ci/docker-plugins.sh`` installs them; when they are missing these tests fail with that hint.
"""

from __future__ import annotations

import subprocess
import uuid

import pytest

from tests.images import ensure
from tests.registry import LoopbackRegistry

pytestmark = pytest.mark.docker

BASE = "debian:trixie-slim"
HINT = "(bash .ci/docker-plugins.sh installs it)"


def _run(docker: str, *args: str, cwd=None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([docker, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)


def _ok(proc: subprocess.CompletedProcess[str], what: str) -> str:
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}) {HINT}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


def test_compose_v2_plugin(docker):
    assert "Docker Compose version 2." in _ok(_run(docker, "compose", "version"), "docker compose version")


def test_buildx_plugin_uses_the_engine_builder(docker):
    assert "github.com/docker/buildx 0." in _ok(_run(docker, "buildx", "version"), "docker buildx version")
    builders = _ok(_run(docker, "buildx", "ls"), "docker buildx ls")
    assert "docker" in builders and "running" in builders, builders


def test_plain_docker_build_keeps_the_engine_buildkit(docker, tmp_path):
    # With the buildx plugin present, the 20.10 CLI's `docker build` must still build with the
    # engine's BuildKit (RUN --mount needs it), not fall back to the legacy builder.
    ensure(BASE)
    (tmp_path / "Dockerfile").write_text(f"FROM {BASE}\nRUN --mount=type=cache,target=/cache echo {uuid.uuid4().hex} > /built\n")
    tag = f"scaffold-tools-test/build:{uuid.uuid4().hex[:8]}"
    try:
        out = _ok(_run(docker, "build", "--progress=plain", "-t", tag, str(tmp_path)), "docker build")
        assert "#1 [internal] load build definition" in out, out[-2000:]
    finally:
        _run(docker, "rmi", "-f", tag)


def test_bake_and_compose_build_and_run(docker, tmp_path):
    ensure(BASE)
    marker = uuid.uuid4().hex
    tag = f"scaffold-tools-test/bake:{marker[:8]}"
    (tmp_path / "Dockerfile").write_text(f'FROM {BASE}\nCMD ["echo", "{marker}"]\n')
    (tmp_path / "docker-bake.hcl").write_text(
        'group "default" {\n  targets = ["app"]\n}\n'
        f'target "app" {{\n  context = "."\n  tags = ["{tag}"]\n}}\n'
    )
    (tmp_path / "compose.yaml").write_text(f"services:\n  app:\n    image: {tag}\n")
    project = f"scaffold-tools-{marker[:8]}"
    try:
        _ok(_run(docker, "buildx", "bake", "--load", cwd=tmp_path), "docker buildx bake")
        out = _ok(_run(docker, "compose", "-p", project, "run", "--rm", "app", cwd=tmp_path), "docker compose run")
        assert marker in out
    finally:
        _run(docker, "compose", "-p", project, "down", "--rmi", "local", cwd=tmp_path)
        _run(docker, "rmi", "-f", tag)


def test_loopback_registry_accepts_a_push(docker):
    ensure(BASE)
    with LoopbackRegistry() as registry:
        ref = f"{registry.address}/scaffold-tools-test/base:{uuid.uuid4().hex[:8]}"
        try:
            _ok(_run(docker, "tag", BASE, ref), "docker tag")
            _ok(_run(docker, "push", ref), f"docker push {ref}")
            assert ref.rsplit(":", 1)[1] in registry.tags("scaffold-tools-test/base")
            _ok(_run(docker, "rmi", ref), "docker rmi")
            _ok(_run(docker, "pull", ref), f"docker pull {ref}")
        finally:
            _run(docker, "rmi", "-f", ref)
