"""compose.yaml brought up for real: the app built from its generated Dockerfile, with the
backing services detection found, on the stand-in images (tests/images) under the pinned names.

Slow: marked ``docker``. Each run has its own compose project name, so sessions sharing one
engine never touch each other's containers, networks or volumes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml

from tests import images
from tests.docker_harness import DOCKER, EXAMPLES, REPO, parse_dockerfile

# The generated file publishes the app's port on the host as the user asked; here another
# session may hold it, so an override (Compose's !override) takes any free loopback port.
OVERRIDE = """\
services:
  app:
    ports: !override
      - "127.0.0.1::{port}"
"""


def _compose(project: Path, name: str, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([DOCKER, "compose", "-p", name, *args], cwd=project, capture_output=True, text=True,
                          timeout=timeout, check=False, env={**os.environ, "DOCKER_BUILDKIT": "1"})


def _left(name: str) -> list[str]:
    """Containers, networks and volumes of compose project ``name`` still on the engine."""
    label = f"label=com.docker.compose.project={name}"
    out = []
    for kind in (["ps", "-a"], ["network", "ls"], ["volume", "ls"]):
        proc = subprocess.run([DOCKER, *kind, "-q", "--filter", label], capture_output=True, text=True, check=True)
        out += [f"{kind[0]} {line}" for line in proc.stdout.split()]
    return out


def _get(url: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _init(tmp_path: Path, example: str) -> tuple[Path, dict]:
    """``scaffold init --defaults`` on a copy of ``example``; its compose.yaml, with every image it
    names (the Dockerfile's bases, the backing services) on the engine."""
    project = tmp_path / example
    shutil.copytree(EXAMPLES / example, project)
    init = subprocess.run([sys.executable, "-m", "scaffolder", "init", "--defaults", str(project)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)
    assert init.returncode == 0, init.stderr
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    _, bases = parse_dockerfile((project / "Dockerfile").read_text())
    images.ensure_all([*bases, *(s["image"] for s in compose["services"].values() if "image" in s)])
    return project, compose


def _up(project: Path, name: str, *services: str) -> None:
    up = _compose(project, name, "up", "--build", "--wait", "--wait-timeout", "300", *services)
    assert up.returncode == 0, f"compose up failed:\n{up.stdout[-3000:]}\n{up.stderr[-3000:]}\n" + \
        _compose(project, name, "logs", "--no-color").stdout[-3000:]


def _down(project: Path, name: str) -> None:
    down = _compose(project, name, "down", "-v", "--rmi", "local", "--remove-orphans", timeout=300)
    assert down.returncode == 0, down.stderr
    assert _left(name) == [], "compose down -v left these behind"


@pytest.mark.docker
def test_compose_postgres_app_writes_and_reads(docker, tmp_path):
    project, compose = _init(tmp_path, "python-compose-postgres")
    app = compose["services"]["app"]
    assert app["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert app["environment"]["DATABASE_URL"].startswith("postgresql://")
    (project / "compose.override.yaml").write_text(OVERRIDE.format(port=8080))

    name = f"scaffold-compose-{uuid.uuid4().hex[:8]}"
    try:
        _up(project, name)
        address = _compose(project, name, "port", "app", "8080").stdout.strip()
        assert address, "the app's port is not published"
        first = _get(f"http://{address}/visits")
        second = _get(f"http://{address}/visits")
        # Each request writes a row and reads the table back: the count grows, the note is the stored one.
        assert first == "visits=1 note=stored in postgres\n", first
        assert second == "visits=2 note=stored in postgres\n", second
    finally:
        _down(project, name)


@pytest.mark.docker
def test_compose_redis_worker_does_a_job(docker, tmp_path):
    """A worker with no port: compose.yaml is written for its Redis alone, publishes nothing, and
    `up --wait` waits for the worker to run (it has no healthcheck: there is nothing to probe)
    and for Redis to be healthy. A job queued through Redis comes back done by the worker."""
    project, compose = _init(tmp_path, "python-compose-redis-worker")
    app, redis = compose["services"]["app"], compose["services"]["redis"]
    assert "ports" not in app and "healthcheck" not in app, app
    assert app["depends_on"] == {"redis": {"condition": "service_healthy"}}
    assert app["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert redis["volumes"] == ["redis-data:/data"] and "redis-data" in compose["volumes"]
    assert redis["healthcheck"]["test"][:2] == ["CMD", "redis-cli"]

    name = f"scaffold-compose-{uuid.uuid4().hex[:8]}"
    try:
        _up(project, name)
        job = json.dumps({"id": "7", "text": "one two three"})
        push = _compose(project, name, "exec", "-T", "redis", "redis-cli", "LPUSH", "jobs", job, timeout=60)
        assert push.returncode == 0 and push.stdout.strip().isdigit(), push.stdout + push.stderr
        deadline, result = time.monotonic() + 60, ""
        while not result and time.monotonic() < deadline:
            got = _compose(project, name, "exec", "-T", "redis", "redis-cli", "--raw", "GET", "result:7", timeout=60)
            result = got.stdout.strip()
            time.sleep(0.5)
        # Words counted and text fingerprinted by the worker, which read the job from Redis.
        assert result == "words=3 sha256=6899ee404683", result + _compose(project, name, "logs", "app").stdout
        assert "done job 7" in _compose(project, name, "logs", "--no-color", "app").stdout
    finally:
        _down(project, name)
