"""compose.yaml brought up for real: the app built from its generated Dockerfile, with the
backing services detection found, on the stand-in images (tests/images) under the pinned names.

Slow: marked ``docker``. Each run has its own compose project name, so sessions sharing one
engine never touch each other's containers, networks or volumes."""

from __future__ import annotations

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


@pytest.mark.docker
def test_compose_postgres_app_writes_and_reads(docker, tmp_path):
    project = tmp_path / "python-compose-postgres"
    shutil.copytree(EXAMPLES / "python-compose-postgres", project)
    init = subprocess.run([sys.executable, "-m", "scaffolder", "init", "--defaults", str(project)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)
    assert init.returncode == 0, init.stderr
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    app = compose["services"]["app"]
    assert app["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert app["environment"]["DATABASE_URL"].startswith("postgresql://")
    _, bases = parse_dockerfile((project / "Dockerfile").read_text())
    images.ensure_all([*bases, compose["services"]["postgres"]["image"]])
    (project / "compose.override.yaml").write_text(OVERRIDE.format(port=8080))

    name = f"scaffold-compose-{uuid.uuid4().hex[:8]}"
    try:
        up = _compose(project, name, "up", "--build", "--wait", "--wait-timeout", "300")
        assert up.returncode == 0, f"compose up failed:\n{up.stdout[-3000:]}\n{up.stderr[-3000:]}\n" + \
            _compose(project, name, "logs", "--no-color").stdout[-3000:]
        address = _compose(project, name, "port", "app", "8080").stdout.strip()
        assert address, "the app's port is not published"
        first = _get(f"http://{address}/visits")
        second = _get(f"http://{address}/visits")
        # Each request writes a row and reads the table back: the count grows, the note is the stored one.
        assert first == "visits=1 note=stored in postgres\n", first
        assert second == "visits=2 note=stored in postgres\n", second
    finally:
        down = _compose(project, name, "down", "-v", "--rmi", "local", "--remove-orphans", timeout=300)
    assert down.returncode == 0, down.stderr
    assert _left(name) == [], "compose down -v left these behind"
