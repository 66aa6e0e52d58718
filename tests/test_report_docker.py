"""`scaffold report` against a real engine: its figures are Docker's own, and --compare naive works.

Slow (builds images): marked ``docker``. Skipped when no engine answers, except in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder import _report
from scaffolder._compat import tomllib

pytestmark = pytest.mark.docker

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "tests" / "examples"
DOCKER = os.environ.get("DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
# Small, quick examples of each kind that exist; the first one found per kind is used.
REPORT_EXAMPLES = [("go-hello", "go-mod-hello"), ("c-hello", "cpp-hello"), ("python-hello",)]


def _engine_or_skip() -> None:
    try:
        ok = subprocess.run([DOCKER, "info"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"no Docker engine answers through {DOCKER} (CI requires the Docker tests)")
        pytest.skip(f"no Docker engine answers through {DOCKER}")


@pytest.fixture(scope="module")
def engine(monkeypatch_module):
    _engine_or_skip()
    monkeypatch_module.setenv("DOCKER", DOCKER)
    monkeypatch_module.setenv("DOCKER_BUILDKIT", "1")
    return DOCKER


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _ensure(names: list[str]) -> None:
    from tests import images

    images.ensure_all(names)


def _scaffold(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "scaffolder", *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"scaffold {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _inspect(tag: str) -> dict:
    return json.loads(subprocess.run([DOCKER, "image", "inspect", tag], capture_output=True, text=True, check=True).stdout)[0]


def _examples() -> list[str]:
    found = []
    for names in REPORT_EXAMPLES:
        for name in names:
            if (EXAMPLES / name / "expect.toml").is_file():
                found.append(name)
                break
    return found


@pytest.fixture(scope="module")
def built(engine, tmp_path_factory):
    """Build an example once with its generated docker-build.sh: name -> (project dir, tag, script output)."""
    from tests.benchmarks.bench_images import _from_images

    cache: dict[str, tuple[Path, str, str]] = {}

    def build(name: str) -> tuple[Path, str, str]:
        if name in cache:
            return cache[name]
        project = tmp_path_factory.mktemp("report") / name
        shutil.copytree(EXAMPLES / name, project)
        expect = tomllib.loads((project / "expect.toml").read_text(encoding="utf-8"))
        args = ["init", "--defaults", "--force", str(project)]
        for key, value in (expect.get("data") or {}).items():
            args += ["--data", f"{key}={value if isinstance(value, str) else json.dumps(value)}"]
        _scaffold(*args)
        _ensure(_from_images((project / "Dockerfile").read_text(encoding="utf-8")))
        tag = f"scaffold-report-test/{name}:latest"
        proc = subprocess.run(["bash", str(project / "docker-build.sh"), "-t", tag], capture_output=True, text=True,
                              env=dict(os.environ, DOCKER=DOCKER))
        assert proc.returncode == 0, f"build failed:\n{proc.stderr[-3000:]}"
        cache[name] = (project, tag, proc.stdout + proc.stderr)
        return cache[name]

    return build


@pytest.mark.parametrize("name", _examples())
def test_report_total_and_layers_are_dockers(built, name, capsys):
    _project, tag, _ = built(name)
    info = _inspect(tag)
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


def test_build_script_ends_with_the_report(built):
    names = _examples()
    if not names:
        pytest.skip("no small example to build")
    _project, tag, output = built(names[0])
    size = _inspect(tag)["Size"]
    assert f"({size:,} bytes)" in output, output[-2000:]


def test_compare_naive(built):
    names = _examples()
    if not names:
        pytest.skip("no small example to build")
    project, tag, _ = built(names[0])
    answers = _report.load_answers(project)
    from scaffolder._naive import naive_base_image

    _ensure([naive_base_image(answers)])
    proc = _scaffold("report", tag, "--compare", "naive", "--context", str(project), "--json")
    data = json.loads(proc.stdout)
    naive_tag = _report.naive_tag(tag)
    assert data["naive"]["image"] == naive_tag
    assert data["naive"]["size"] == _inspect(naive_tag)["Size"]
    assert data["scaffold"]["size"] == _inspect(tag)["Size"]
    assert data["naive"]["size"] > data["scaffold"]["size"]
    assert data["ratio"] == pytest.approx(data["scaffold"]["size"] / data["naive"]["size"])
    text = _scaffold("report", tag, "--compare", "naive", "--context", str(project)).stdout
    assert "naive" in text and "x smaller" in text


def test_wasted_bytes_on_a_real_engine(engine, tmp_path):
    """Files a later layer deletes (whiteouts, opaque directories) or overwrites are counted."""
    _ensure(["debian:bookworm-slim"])
    (tmp_path / "Dockerfile").write_text(
        "FROM debian:bookworm-slim\n"
        "RUN mkdir -p /data/sub && head -c 300000 /dev/zero > /data/sub/big && head -c 20000 /dev/zero > /data/keep "
        "&& head -c 5000 /dev/zero > /replace\n"
        "RUN rm -r /data/sub && head -c 7000 /dev/zero > /replace\n"
        "RUN rm -rf /data && mkdir /data && echo new > /data/file\n"
    )
    tag = "scaffold-report-test/wasted:latest"
    subprocess.run([DOCKER, "build", "-q", "-t", tag, str(tmp_path)], check=True, capture_output=True,
                   env=dict(os.environ, DOCKER_BUILDKIT="1"))
    rep = _report.report(tag, top=50)
    info = _inspect(tag)
    assert rep["size"] == rep["layers_size"] == info["Size"]
    wasted = {w["path"]: w for w in rep["wasted"]["files"]}
    assert wasted["/data/sub/big"]["size"] == 300000 and wasted["/data/sub/big"]["how"] == "deleted"
    assert wasted["/replace"]["size"] == 5000 and wasted["/replace"]["how"] == "overwritten"
    assert wasted["/data/keep"]["size"] == 20000
    assert rep["wasted"]["bytes"] >= 325000
    assert "/data/file" in {f["path"] for f in _report.report(tag, top=100000)["largest_files"]}


def test_errors_are_one_line(engine):
    proc = _scaffold("report", "scaffold-report-test/does-not-exist:1", check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "scaffold: no such image: scaffold-report-test/does-not-exist:1 (build it first, or check the tag with `docker image ls`)"
    ]
