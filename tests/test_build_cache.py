"""A registry cache carries the dependency layers to a build whose local cache lacks them.

The engine's own builder (the docker driver, BuildKit 0.8) exports only inline caches, which hold
the image's own layers; docker-build.sh then pushes the Dockerfile's ``deps`` stage as an image of
its own with its inline cache (``REF-deps``) beside the image's (``REF``), and ``--cache-from REF``
imports both. Proved with go-proxy-deps, whose modules come from a module proxy on loopback: the
first build pushes to a registry on loopback; then the test removes its images and its own
records from the engine's build cache, changes one source line and rebuilds with
``--cache-from``: ``go mod download`` must be CACHED with its layer pulled from the registry, the
proxy asked for nothing, and the new code must run.

The build cache is the engine's, shared with every other build on it, so nothing is pruned
wholesale: the records removed are those of this test's own build chain, found from the leaf
(its ``go build`` step, which names a program unique to the run) up through parents made after
the test started, each removed by its ID, and no higher than the copy of the test's own go.mod
(the records above it are every Go build's). Slow (builds and pushes images): marked ``docker``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.docker_harness import EXAMPLES, ExampleRun, parse_progress

pytestmark = pytest.mark.docker


def _cache_records(docker: str) -> dict[str, dict]:
    proc = subprocess.run([docker, "system", "df", "-v", "--format", "{{json .BuildCache}}"], capture_output=True,
                          text=True, timeout=120, check=True)
    return {r["ID"]: r for r in json.loads(proc.stdout or "[]")}


def _own_records(docker: str, before: set[str], marker: str) -> list[str]:
    """IDs of the build-cache records of this test's chains, leaves first: from each record whose
    description holds ``marker`` up through the parents that were not there ``before``, ending at
    the ``COPY go.mod`` under ``go mod download``. Above it (``WORKDIR /src`` on the golang image)
    every Go build on the engine has the same records, and a build running beside this test may
    be using them: removing one fails that build ("failed to prepare ... committed")."""
    records = _cache_records(docker)
    own: list[str] = []
    for leaf in (r for r in records.values() if marker in r["Description"] and r["ID"] not in before):
        record, child = leaf, None
        while record and record["ID"] not in before and record["ID"] not in own:
            own.append(record["ID"])
            if child and "go mod download" in child["Description"]:
                break  # this is the COPY of the test's own go.mod: the first record unique to it
            record, child = records.get(record["Parent"]), record
    return own


def _forget(docker: str, ids: list[str]) -> None:
    for record_id in ids:  # leaves first: a record is removable once no child holds it
        subprocess.run([docker, "builder", "prune", "--force", "--all", "--filter", f"id={record_id}"],
                       capture_output=True, text=True, timeout=120, check=False)


def _project(tmp_path: Path, program: str) -> Path:
    """go-proxy-deps under a module (and so program) name of its own."""
    src = tmp_path / "src" / program
    shutil.copytree(EXAMPLES / "go-proxy-deps", src)
    gomod = src / "go.mod"
    gomod.write_text(gomod.read_text().replace("module example.com/proxydeps", f"module example.com/{program}"))
    expect = src / "expect.toml"
    expect.write_text(expect.read_text().replace("proxydeps", program))
    return src


def test_go_modules_come_from_a_registry_cache_after_a_source_change(tmp_path, docker, registry):
    nonce = uuid.uuid4().hex[:10]
    program = f"cachecheck{nonce}"
    run = ExampleRun(_project(tmp_path, program), tmp_path / "work", docker=docker)
    marker = f"/rootfs/usr/local/bin/{program}"  # in the go build step's command
    cache = f"{registry.address}/scaffold-build-cache/{program}:cache"
    before = set(_cache_records(docker))
    try:
        run.prepare()
        run.init()
        run.ensure_bases()
        assert "FROM deps AS build" in (run.dir / "Dockerfile").read_text()

        run.tag = f"{registry.address}/scaffold-build-cache/{program}:first"
        log = run.build("first build, pushed with its cache", "--push", "--cache-to", cache)
        said = [line for line in log.splitlines() if line.startswith("docker-build.sh:")]
        assert any(f"the deps stage goes to {cache}-deps and the image to {cache}" in line for line in said), said
        assert f"pushed the image with its inline cache to {cache}" in log
        assert sorted(registry.tags(f"scaffold-build-cache/{program}")) == ["cache", "cache-deps", "first"]
        assert sorted(run.proxy.fetched(".zip")) == sorted(run.proxy_modules)  # the modules were downloaded

        # Nothing of the first build is left here: its images (the cache images' tags were
        # never kept) and its own build-cache records.
        run._docker("rmi", "-f", run.tag, check=False)
        for ref in (cache, f"{cache}-deps", run.tag):
            assert run._docker("image", "inspect", ref, check=False).returncode != 0, f"{ref} is still local"
        own = _own_records(docker, before, marker)
        assert len(own) >= 4, own  # go build, COPY . ., go mod download, COPY go.mod: at least
        _forget(docker, own)
        left = set(own) & set(_cache_records(docker))
        assert not left, f"build-cache records of this test still there: {sorted(left)}"

        main = run.dir / "main.go"
        main.write_text(main.read_text().replace('greet.Hello("proxy")', f'greet.Hello("cache {nonce}")'))
        asked = len(run.proxy.served)
        before = set(_cache_records(docker))
        run.tag = f"scaffold-build-cache/{program}:rebuild"
        log = run.build("rebuild from the registry cache", "--cache-from", cache)
        steps = parse_progress(log)
        download = [s for s in steps if s.instruction == "RUN go mod download"]
        assert len(download) == 1 and download[0].cached, [(s.stage, s.instruction, s.cached) for s in steps]
        # Its layer came from the registry: nothing local held it.
        assert re.search(rf"(?m)^#{download[0].id} pulling sha256:", log), log
        print("[build-cache] rebuild: " + " | ".join(line for line in log.splitlines()
                                                    if line.startswith(f"#{download[0].id} ")))
        assert [s for s in steps if s.instruction == "COPY . ." and not s.cached], "the changed source was not copied"
        assert run.proxy.served[asked:] == [], "the rebuild asked the module proxy"
        out = run._docker("run", "--rm", run.tag, timeout=60).stdout
        assert f"hello, cache {nonce}, from example.test/greet" in out, out
    finally:
        run.cleanup()
        _forget(docker, _own_records(docker, before, marker))
