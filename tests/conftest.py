"""Shared test plumbing: the ``docker`` marker and fixture, and the image size summary.

Tests marked ``docker`` (or using the ``docker`` fixture, which marks them) need a Docker engine.
When ``$DOCKER info`` does not answer they are skipped with the reason, unless
``SCAFFOLD_DOCKER_TESTS=required`` (as ``.ci/run`` sets): then they fail with it.
``python -m pytest -m "not docker"`` runs only the fast tests.

``DOCKER`` names the Docker CLI (default ``/usr/bin/docker`` when it exists: Debian's docker.io
CLI, which builds with the engine's BuildKit; another CLI without buildx would fall back to the
legacy builder, where ``RUN --mount`` fails).
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("DOCKER", "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
os.environ.setdefault("DOCKER_BUILDKIT", "1")
DOCKER = os.environ["DOCKER"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "docker: builds and runs images with a real Docker engine (slow)")


@functools.lru_cache(maxsize=None)
def engine_problem() -> str | None:
    """None when the engine answers, else why not."""
    try:
        proc = subprocess.run([DOCKER, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True,
                              timeout=30, check=False)
    except FileNotFoundError:
        return f"no Docker CLI {DOCKER!r} (set DOCKER=/path/to/docker)"
    except subprocess.TimeoutExpired:
        return f"`{DOCKER} info` did not answer within 30s"
    if proc.returncode != 0 or not proc.stdout.strip():
        detail = (proc.stderr.strip().splitlines() or ["no server version"])[-1]
        return f"no Docker engine answers through {DOCKER}: {detail}"
    return None


def docker_required() -> bool:
    return os.environ.get("SCAFFOLD_DOCKER_TESTS", "").lower() == "required"


@pytest.fixture
def registry():
    """A registry on loopback (tests.registry) for push and cache tests, stopped afterwards."""
    from tests.registry import LoopbackRegistry, RegistryError

    try:
        started = LoopbackRegistry().start()
    except RegistryError as exc:
        if docker_required():
            pytest.fail(f"{exc} (SCAFFOLD_DOCKER_TESTS=required)", pytrace=False)
        pytest.skip(str(exc))
    try:
        yield started
    finally:
        started.stop()


def _require_engine() -> None:
    problem = engine_problem()
    if problem is None:
        return
    if docker_required():
        pytest.fail(f"{problem} (SCAFFOLD_DOCKER_TESTS=required: the Docker tests must run; "
                    "start an engine with .ci/docker-engine.sh)", pytrace=False)
    pytest.skip(f"{problem} (run .ci/docker-engine.sh to start one)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "docker" in getattr(item, "fixturenames", ()) and item.get_closest_marker("docker") is None:
            item.add_marker(pytest.mark.docker)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("docker") is not None:
        _require_engine()


@pytest.fixture(scope="session")
def docker() -> str:
    """The Docker CLI to use, once an engine answers (skip, or fail when required, otherwise)."""
    _require_engine()
    return DOCKER


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    run = getattr(item, "example_run", None)
    if run is not None and report.failed and report.when == "call":
        for title, text in run.diagnostics():
            report.sections.append((title, text))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    from tests.docker_harness import SIZES

    if not SIZES:
        return
    terminalreporter.section("image sizes")
    for name, size, budget in sorted(SIZES):
        flag = "" if size <= budget else "  OVER BUDGET"
        terminalreporter.write_line(f"{name:32} {size / 1e6:8.1f} MB  (budget {budget / 1e6:g} MB){flag}")
