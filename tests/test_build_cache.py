"""Dependency layers an exported build cache can carry: Go modules are downloaded into a layer of
the build stage (a cache mount is in no image and no exported cache), and a registry cache
exported by one builder lets a builder with an empty cache skip the download after a
source-only change.

The project is go-proxy-deps: its modules come from a module proxy on loopback, which records
what it served, so "not downloaded again" is the proxy's own record as well as BuildKit's
``CACHED`` line.

The round trip needs a builder that exports registry caches. The engine's own BuildKit here (the
docker driver, BuildKit 0.8, no containerd image store) exports only inline caches, which hold
the final image's layers and none of the build stage's; ``SCAFFOLD_BUILDKIT_IMAGE`` names a local
BuildKit image (moby/buildkit or a stand-in) from which the test makes two ``docker-container``
builders of its own, each starting empty, on the host network so they reach the loopback
registry and proxy. Without it the round trip is skipped with that reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.docker_harness import EXAMPLES, ExampleRun
from tests.registry import LoopbackRegistry

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def project(tmp_path_factory, docker):
    run = ExampleRun(EXAMPLES / "go-proxy-deps", tmp_path_factory.mktemp("build-cache"), docker=docker)
    run.prepare()
    run.init()
    run.ensure_bases()
    yield run
    run.cleanup()


def script(run: ExampleRun, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = ["bash", "docker-build.sh", *run._build_options(), *args]
    proc = subprocess.run(cmd, cwd=run.dir, env=run._env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=900, stdin=subprocess.DEVNULL, check=False)
    run.logs.append((" ".join(cmd[1:]), proc.stdout))
    assert proc.returncode == 0, proc.stdout[-4000:]
    return proc


def step_lines(log: str, needle: str) -> list[str]:
    """BuildKit's plain-progress lines of the step whose command holds ``needle``: its ``#N [..]``
    header and every ``#N`` line after it (``CACHED``, ``DONE``)."""
    numbers = {m.group(1) for m in re.finditer(r"^#(\d+) \[[^\]]*\] RUN .*" + re.escape(needle), log, re.M)}
    return [line for line in log.splitlines() if line.split(" ", 1)[0].lstrip("#") in numbers]


def test_go_modules_are_in_the_download_layer(project):
    """The `go mod download` layer of the build stage holds the modules the proxy served (their
    zips, at least): what a mode=max cache export carries. In a cache mount it held 0 bytes."""
    tag = f"scaffold-build-cache/build-stage:{uuid.uuid4().hex[:8]}"
    try:
        script(project, "-t", tag, "--target", "build")
        history = subprocess.run([project.docker, "history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", tag],
                                 capture_output=True, text=True, check=True).stdout
        sizes = [line.split("\t", 1)[0] for line in history.splitlines() if "go mod download" in line]
        assert len(sizes) == 1, history
        zips = sum(len(project.proxy.modules[path].zip_bytes()) for path in project.proxy_modules)
        assert _bytes(sizes[0]) >= zips > 0, (sizes[0], zips)
        listed = subprocess.run([project.docker, "run", "--rm", "--entrypoint", "ls", tag, "/go/pkg/mod/example.test"],
                                capture_output=True, text=True, check=True).stdout.split()
        assert {p.split("/")[-1] for p in project.proxy_modules} <= {name.split("@")[0] for name in listed}, listed
    finally:
        subprocess.run([project.docker, "rmi", "-f", tag], capture_output=True, check=False)


def _bytes(size: str) -> float:
    """``docker history``'s human size (``12.3kB``, ``4.5MB``, ``0B``) in bytes."""
    number, unit = re.fullmatch(r"([\d.]+)\s*([kMG]?B)", size).groups()
    return float(number) * {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[unit]


def zips_served(run: ExampleRun) -> int:
    return sum(1 for r in run.proxy.served if r.status == 200 and r.path.endswith(".zip"))


class Builder:
    """A docker-container builder of the test's own: created empty, removed with its state."""

    def __init__(self, docker: str, image: str, config: Path):
        self.docker = docker
        self.name = f"scaffold-cache-{uuid.uuid4().hex[:8]}"
        subprocess.run([docker, "buildx", "create", "--name", self.name, "--driver", "docker-container",
                        "--driver-opt", f"image={image},network=host", "--config", str(config), "--bootstrap"],
                       capture_output=True, text=True, check=True, timeout=300)

    def remove(self) -> None:
        subprocess.run([self.docker, "buildx", "rm", "--force", self.name], capture_output=True, check=False)


def test_a_registry_cache_carries_the_modules_to_an_empty_builder(project, tmp_path):
    image = os.environ.get("SCAFFOLD_BUILDKIT_IMAGE")
    if not image:
        pytest.skip("no builder here exports a registry cache (the engine's BuildKit 0.8 exports only inline "
                    "caches); SCAFFOLD_BUILDKIT_IMAGE names a local BuildKit image to make two")
    with LoopbackRegistry() as registry:
        config = tmp_path / "buildkitd.toml"
        config.write_text(f'[registry."{registry.address}"]\n  http = true\n  insecure = true\n')
        cache = f"{registry.address}/scaffold-build-cache/app:cache"
        first = Builder(project.docker, image, config)
        try:
            script(project, "--builder", first.name, "--push", "-t", f"{registry.address}/scaffold-build-cache/app:1",
                   "--cache-to", f"type=registry,ref={cache}")
        finally:
            first.remove()
        served = zips_served(project)
        assert served > 0
        main = project.dir / project.expect.source_change
        main.write_text(main.read_text() + "\nfunc sourceOnlyChange() {}\n")
        second = Builder(project.docker, image, config)
        try:
            log = script(project, "--builder", second.name, "--push", "-t",
                         f"{registry.address}/scaffold-build-cache/app:2", "--cache-from", f"type=registry,ref={cache}").stdout
        finally:
            second.remove()
        download = step_lines(log, "go mod download")
        assert any(line.endswith(" CACHED") for line in download), download or log[-4000:]
        assert not any(line.endswith(" CACHED") for line in step_lines(log, "go build")), log[-4000:]
        assert zips_served(project) == served  # the modules came with the cache, not from the proxy
