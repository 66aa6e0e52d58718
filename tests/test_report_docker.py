"""`scaffold report` against a real engine: its figures are Docker's own, and --compare naive works.

Slow (builds images): marked ``docker``; skipped without an engine unless SCAFFOLD_DOCKER_TESTS=required.
The examples are built through the harness (tests/docker_harness.py) with their generated
docker-build.sh, which ends by calling ``scaffold report``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder import _report

pytestmark = pytest.mark.docker

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "tests" / "examples"
# Small, quick examples; the first one present in each group is used.
REPORT_EXAMPLES = [("go-hello", "go-mod-hello"), ("c-hello", "cpp-hello"), ("python-hello",)]


def _examples() -> list[str]:
    found = []
    for names in REPORT_EXAMPLES:
        for name in names:
            if (EXAMPLES / name / "expect.toml").is_file():
                found.append(name)
                break
    return found


def _scaffold(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "scaffolder", *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"scaffold {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _inspect(docker: str, tag: str) -> dict:
    return json.loads(subprocess.run([docker, "image", "inspect", tag], capture_output=True, text=True, check=True).stdout)[0]


@pytest.fixture(scope="module")
def built(docker, tmp_path_factory):
    """Build an example once, through the harness and the generated docker-build.sh:
    name -> the ExampleRun (its ``dir``, ``tag``, and build log)."""
    from tests.docker_harness import ExampleRun

    runs: dict[str, ExampleRun] = {}

    def build(name: str):
        gone = name in runs and subprocess.run([docker, "image", "inspect", runs[name].tag], capture_output=True).returncode
        if name not in runs or gone:  # the engine is shared: another test's cleanup may have removed it
            run = ExampleRun(EXAMPLES / name, tmp_path_factory.mktemp("report"), docker=docker)
            run.tag = f"scaffold-report-test/{name}:latest"
            run.prepare()
            run.init()
            run.ensure_bases()
            run.log = run.build()
            runs[name] = run
        return runs[name]

    yield build
    for run in runs.values():
        subprocess.run([docker, "rmi", "-f", run.tag, _report.naive_tag(run.tag)], capture_output=True)


@pytest.mark.parametrize("name", _examples())
def test_report_total_and_layers_are_dockers(built, docker, name):
    tag = built(name).tag
    info = _inspect(docker, tag)
    rep = _report.report(tag)
    assert rep["size"] == info["Size"]
    assert rep["layers_size"] == info["Size"], [(layer["size"], layer["instruction"]) for layer in rep["layers"]]
    assert rep["layer_count"] == len(info["RootFS"]["Layers"]) == len(rep["layers"])
    assert [layer["diff_id"] for layer in rep["layers"]] == info["RootFS"]["Layers"]
    assert rep["largest_files"], "the image has files"
    # The CLI prints the same figures.
    proc = _scaffold("report", tag, "--json")
    data = json.loads(proc.stdout)
    assert data["size"] == info["Size"] and data["layer_count"] == len(info["RootFS"]["Layers"])
    text = _scaffold("report", tag).stdout
    assert f"({info['Size']:,} bytes) in {len(info['RootFS']['Layers'])} layers" in text


def test_build_script_ends_with_the_report(built, docker):
    names = _examples()
    if not names:
        pytest.skip("no small example to build")
    run = built(names[0])
    size = _inspect(docker, run.tag)["Size"]
    assert f"({size:,} bytes)" in run.log, run.log[-2000:]


@pytest.mark.parametrize("name", _examples())
def test_compare_naive(built, docker, name):
    run = built(name)
    project, tag = run.dir, run.tag
    from scaffolder._naive import naive_base_image
    from tests import images

    images.ensure(naive_base_image(_report.load_answers(project)))
    proc = _scaffold("report", tag, "--compare", "naive", "--context", str(project), "--json")
    data = json.loads(proc.stdout)
    naive_tag = _report.naive_tag(tag)
    assert data["naive"]["image"] == naive_tag
    assert data["naive"]["size"] == _inspect(docker, naive_tag)["Size"]
    assert data["scaffold"]["size"] == _inspect(docker, tag)["Size"]
    assert data["naive"]["size"] > data["scaffold"]["size"]
    assert data["ratio"] == pytest.approx(data["scaffold"]["size"] / data["naive"]["size"])
    text = _scaffold("report", tag, "--compare", "naive", "--context", str(project)).stdout
    assert "naive" in text and "x smaller" in text


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
