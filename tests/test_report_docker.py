"""`scaffold report` against a real engine: wasted bytes from whiteouts and overwrites, errors.

Slow (builds images): marked ``docker``; skipped without an engine unless SCAFFOLD_DOCKER_TESTS=required.
Every example project's report and ``--compare naive`` are checked by the example harness
(tests/docker_harness.py, ``check_report``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scaffolder import _report

pytestmark = pytest.mark.docker


def _scaffold(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "scaffolder", *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"scaffold {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _inspect(docker: str, tag: str) -> dict:
    return json.loads(subprocess.run([docker, "image", "inspect", tag], capture_output=True, text=True, check=True).stdout)[0]


def test_wasted_bytes_on_a_real_engine(docker, tmp_path):
    """Files a later layer deletes (whiteouts, opaque directories) or overwrites are counted."""
    from tests import images

    images.ensure("debian:bookworm-slim")
    (tmp_path / "Dockerfile").write_text(
        "FROM debian:bookworm-slim\n"
        "RUN mkdir -p /data/sub && head -c 300000 /dev/zero > /data/sub/big && head -c 20000 /dev/zero > /data/keep "
        "&& head -c 5000 /dev/zero > /replace\n"
        "RUN rm -r /data/sub && head -c 7000 /dev/zero > /replace\n"
        "RUN rm -rf /data && mkdir /data && echo new > /data/file\n"
    )
    tag = "scaffold-report-test/wasted:latest"
    subprocess.run([docker, "build", "-q", "-t", tag, str(tmp_path)], check=True, capture_output=True,
                   env=dict(os.environ, DOCKER_BUILDKIT="1"))
    rep = _report.report(tag, top=50)
    info = _inspect(docker, tag)
    assert rep["size"] == rep["layers_size"] == info["Size"]
    wasted = {w["path"]: w for w in rep["wasted"]["files"]}
    assert wasted["/data/sub/big"]["size"] == 300000 and wasted["/data/sub/big"]["how"] == "deleted"
    assert wasted["/replace"]["size"] == 5000 and wasted["/replace"]["how"] == "overwritten"
    assert wasted["/data/keep"]["size"] == 20000
    assert rep["wasted"]["bytes"] >= 325000
    assert "/data/file" in {f["path"] for f in _report.report(tag, top=100000)["largest_files"]}
    subprocess.run([docker, "rmi", "-f", tag], capture_output=True)


def test_errors_are_one_line(docker):
    proc = _scaffold("report", "scaffold-report-test/does-not-exist:1", check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "scaffold: no such image: scaffold-report-test/does-not-exist:1 (build it first, or check the tag with `docker image ls`)"
    ]
