"""The command lines the generated docker-build.sh produces for each builder and option: a Docker
CLI that only records its arguments plays a builder (its driver, BuildKit version, whether a
local engine and the registry answer), so every branch is run without an engine. The real builds
(the engine's own builder, a push to a loopback registry) are in tests/test_build_script.py."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import HELLO_PY, git, tree
from tests.unit.test_render_injection import rendered

# A buildx-era Docker CLI. FAKE_DRIVER / FAKE_BUILDKIT describe the builder; FAKE_NO_BUILDX,
# FAKE_NO_ENGINE, FAKE_NO_REGISTRY take those away; FAKE_STORE=containerd is the containerd store.
FAKE_DOCKER = r"""#!/bin/bash
printf '%s\n' "$*" >> "$DOCKER_LOG"
case "$1 $2" in
  "buildx version") [ -z "$FAKE_NO_BUILDX" ] || exit 1; echo "github.com/docker/buildx 0.13.1" ;;
  "buildx inspect")
    for a in "$@"; do name=$a; done
    case "$name" in inspect|--bootstrap) name=${BUILDX_BUILDER:-default} ;; esac
    [ "$name" != missing ] || { echo "ERROR: no builder \"missing\" found" >&2; exit 1; }
    printf 'Name:   %s\nDriver: %s\n\nNodes:\nName:   %s0\nBuildKit version: %s\nPlatforms: linux/amd64\n' \
      "$name" "${FAKE_DRIVER:-docker}" "$name" "${FAKE_BUILDKIT:-v0.8+unknown}" ;;
  "buildx build")
    while [ $# -gt 0 ]; do
      if [ "$1" = --metadata-file ]; then printf '{\n  "containerimage.digest": "sha256:%064d"\n}\n' 7 > "$2"; fi
      shift
    done ;;
  "buildx imagetools")
    [ -z "$FAKE_NO_REGISTRY" ] || { echo "ERROR: connection refused" >&2; exit 1; }
    case "$*" in
      *--raw*) printf '{\n "schemaVersion": 2,\n "config": {"size": 10, "digest": "sha256:1"},\n "layers": [\n  {"size": 1500000, "digest": "sha256:2"},\n  {"size": 500000, "digest": "sha256:3"}\n ]\n}\n' ;;
      *) printf '{\n  "mediaType": "application/vnd.oci.image.manifest.v1+json",\n  "digest": "sha256:%064d",\n  "size": 400\n}\n' 7 ;;
    esac ;;
  "version --format")
    case "$3" in
      *Server*) [ -z "$FAKE_NO_ENGINE" ] || { echo "Cannot connect to the Docker daemon" >&2; exit 1; }; echo 20.10.24 ;;
      *) echo "${FAKE_CLIENT:-20.10.24}" ;;
    esac ;;
  "info --format") [ "$FAKE_STORE" != containerd ] || echo "io.containerd.snapshotter.v1;" ;;
  "image inspect") echo 3 ;;
esac
"""


@pytest.fixture(scope="module")
def project_files(tmp_path_factory) -> dict[str, str]:
    root = tree(tmp_path_factory.mktemp("flags") / "project", {"main.py": HELLO_PY})
    out = rendered(root, {"project_name": "app"})
    assert out is not None
    return out


@pytest.fixture(scope="module")
def script(project_files) -> str:
    return project_files["docker-build.sh"]


class Run:
    def __init__(self, proc: subprocess.CompletedProcess[str], log: str):
        self.rc, self.err, self.calls = proc.returncode, proc.stderr, log.splitlines()

    def call(self, start: str) -> list[str]:
        """The recorded call starting with ``start`` (one word list), e.g. 'buildx build'."""
        found = [c.split(" ") for c in self.calls if c.startswith(start + " ")]
        assert len(found) == 1, (start, self.calls)
        return found[0]

    @property
    def built(self) -> bool:
        return any(c.startswith(("buildx build", "build ")) for c in self.calls)

    @property
    def said(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]


def run(tmp_path: Path, script: str, *args: str, repo: bool = False, dockerfile: str | None = None, **fake: str) -> Run:
    work = tmp_path / "ctx"
    work.mkdir(exist_ok=True)
    (work / "docker-build.sh").write_text(script)
    if dockerfile is not None:
        (work / "Dockerfile").write_text(dockerfile)
    if repo and not (work / ".git").exists():
        git(work, "init", "-q")
        git(work, "remote", "add", "origin", "https://ci-user:s3cret-token@git.example.com:8443/acme/app.git")
        git(work, "add", "docker-build.sh")
        subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "-q", "-m", "one"],
                       cwd=work, check=True, env={**os.environ, "GIT_COMMITTER_DATE": "2024-03-01T12:00:00Z",
                                                  "GIT_AUTHOR_DATE": "2024-03-01T12:00:00Z"})
        git(work, "tag", "v1.2.0")
    fake_cli = tmp_path / "docker"
    fake_cli.write_text(FAKE_DOCKER)
    fake_cli.chmod(0o755)
    log = tmp_path / "docker.log"
    log.write_text("")
    env = {"PATH": "/usr/bin:/bin", "DOCKER": str(fake_cli), "DOCKER_LOG": str(log), "HOME": str(tmp_path), **fake}
    proc = subprocess.run(["bash", str(work / "docker-build.sh"), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    return Run(proc, log.read_text())


def test_default_builder_loads_one_image(tmp_path, script):
    r = run(tmp_path, script, "--builder", "default")
    assert r.rc == 0, r.err
    cmd = r.call("buildx build")
    assert cmd[:5] == ["buildx", "build", "--builder", "default", "--load"], cmd
    assert "--push" not in cmd and cmd[-1].endswith("/ctx")
    assert "builder default (docker driver, BuildKit 0.8+unknown)" in r.said[0]
    assert "buildx inspect --bootstrap default" in r.calls


def test_labels_and_source_date_epoch_come_from_git(tmp_path, script):
    r = run(tmp_path, script, repo=True)
    assert r.rc == 0, r.err
    cmd = r.call("buildx build")
    labels = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--label"]
    revision = git(tmp_path / "ctx", "rev-parse", "HEAD").strip()
    assert labels == [
        # the remote's credentials are not part of the browsable address
        "org.opencontainers.image.source=https://git.example.com:8443/acme/app",
        f"org.opencontainers.image.revision={revision}",
        "org.opencontainers.image.created=2024-03-01T12:00:00Z",
        "org.opencontainers.image.version=v1.2.0",
    ]
    assert "SOURCE_DATE_EPOCH=1709294400" in cmd and "s3cret" not in " ".join(r.calls) + r.err
    # A label given on the command line comes after the detected ones (the later one wins).
    r = run(tmp_path, script, "--label", "org.opencontainers.image.version=2.0", repo=True)
    cmd = r.call("buildx build")
    assert cmd[cmd.index("org.opencontainers.image.version=v1.2.0") + 1:][:2] == ["--label", "org.opencontainers.image.version=2.0"]


@pytest.mark.parametrize("remote, label", [
    ("git@github.com:acme/app.git", "https://github.com/acme/app"),
    ("ssh://git@gitlab.example.com:2222/group/sub/app.git", "https://gitlab.example.com/group/sub/app"),
    ("/srv/git/app.git", None),
    ("https://example.com/a$(id)b", None),
])
def test_source_label_is_a_browsable_address_or_nothing(tmp_path, script, remote, label):
    run(tmp_path, script, repo=True)
    git(tmp_path / "ctx", "remote", "set-url", "origin", remote)
    cmd = run(tmp_path, script).call("buildx build")
    sources = [a for a in cmd if a.startswith("org.opencontainers.image.source=")]
    assert sources == ([f"org.opencontainers.image.source={label}"] if label else [])


def test_push_is_not_loaded_and_the_report_reads_the_registry(tmp_path, script):
    r = run(tmp_path, script, "--builder", "ci", "--push", "-t", "registry.example.com/app:1",
            FAKE_DRIVER="docker-container", FAKE_BUILDKIT="v0.13.2")
    assert r.rc == 0, r.err
    cmd = r.call("buildx build")
    assert "--push" in cmd and "--load" not in cmd and cmd[cmd.index("--builder") + 1] == "ci"
    assert "buildx imagetools inspect --builder ci --raw registry.example.com/app:1" in r.calls
    assert r.said[-1] == (f"docker-build.sh: pushed registry.example.com/app:1: the registry holds sha256:{7:064d} "
                          "(2 layers, 2.0 MB compressed)")
    assert not any(c.startswith("image inspect") for c in r.calls)  # nothing read from a local engine
    # A registry that cannot be read back: the push succeeded, so exit 0, and say so.
    r = run(tmp_path, script, "--push", "-t", "registry.example.com/app:1", FAKE_NO_REGISTRY="1")
    assert r.rc == 0, r.err
    assert "cannot read it back from the registry" in r.said[-1] and f"sha256:{7:064d}" in r.said[-1]


@pytest.mark.parametrize("args", [["--platform", "linux/amd64,linux/arm64"],
                                  ["--platform", "linux/amd64", "--platform=linux/arm64"]])
def test_several_platforms(tmp_path, script, args):
    container = {"FAKE_DRIVER": "docker-container", "FAKE_BUILDKIT": "v0.13.2"}
    r = run(tmp_path, script, *args, "--push", "-t", "r.example.com/app:1", **container)
    assert r.rc == 0, r.err
    cmd = r.call("buildx build")
    assert cmd[cmd.index("--platform") + 1] == "linux/amd64,linux/arm64" and cmd.count("--platform") == 1
    assert "--load" not in cmd
    # Not into the local store (it cannot hold an image index), and not on the engine's own builder.
    for extra, fake, words in ([], container, "add --push"), (["--push", "--load"], container, "pick one"), \
                              (["--push"], {}, "builds one platform at a time"):
        r = run(tmp_path, script, *args, *extra, **fake)
        assert r.rc == 1 and not r.built and len(r.said) == 1 and words in r.said[0], (extra, r.err)
    r = run(tmp_path, script, "--platform", "linux/arm64")
    assert r.rc == 0 and "--load" in r.call("buildx build")


def test_attestations(tmp_path, script):
    container = {"FAKE_DRIVER": "docker-container", "FAKE_BUILDKIT": "v0.13.2"}
    r = run(tmp_path, script, "--sbom", "--provenance=mode=max", "--push", "-t", "r.example.com/app:1", **container)
    assert r.rc == 0, r.err
    cmd = r.call("buildx build")
    assert "--sbom=true" in cmd and "--provenance=mode=max" in cmd
    r = run(tmp_path, script, "--provenance", "false")
    assert r.rc == 0 and "--provenance=false" in r.call("buildx build")
    # The engine's own BuildKit 0.8 has none: one line, nothing built.
    r = run(tmp_path, script, "--sbom")
    assert r.rc == 1 and not r.built and len(r.said) == 1, r.err
    assert "builder default (docker driver, BuildKit 0.8+unknown) cannot attach SBOM or provenance" in r.said[0]
    r = run(tmp_path, script, "--provenance=true", FAKE_BUILDKIT="v0.12.5")
    assert r.rc == 1 and not r.built and "only with the containerd image store" in r.said[0]
    r = run(tmp_path, script, "--provenance=true", FAKE_BUILDKIT="v0.12.5", FAKE_STORE="containerd")
    assert r.rc == 0 and "--provenance=true" in r.call("buildx build")


def test_caches(tmp_path, script):
    container = {"FAKE_DRIVER": "docker-container", "FAKE_BUILDKIT": "v0.13.2"}
    r = run(tmp_path, script, "--cache-to", "type=registry,ref=r.example.com/app:cache", "--cache-to=type=gha,scope=app",
            "--cache-to", "type=registry,ref=r.example.com/app:min,mode=min", "--cache-from", "r.example.com/app:cache",
            "--cache-from", "type=gha,scope=app", **container)
    assert r.rc == 0, r.err
    cmd = r.call("buildx build")
    pairs = [(a, cmd[i + 1]) for i, a in enumerate(cmd) if a in ("--cache-to", "--cache-from")]
    assert pairs == [
        ("--cache-to", "type=registry,ref=r.example.com/app:cache,mode=max"),  # the build stages' layers too
        ("--cache-to", "type=gha,scope=app,mode=max"),
        ("--cache-to", "type=registry,ref=r.example.com/app:min,mode=min"),  # the user's mode stays
        ("--cache-from", "type=registry,ref=r.example.com/app:cache"),
        ("--cache-from", "type=gha,scope=app"),
    ]
    # The engine's own builder imports any cache but exports only inline ones.
    r = run(tmp_path, script, "--cache-to", "type=inline", "--cache-from", "type=gha,scope=app")
    assert r.rc == 0 and "type=inline" in r.call("buildx build") and "type=gha,scope=app" in r.call("buildx build")
    r = run(tmp_path, script, "--cache-to", "type=local,dest=/tmp/c")
    assert r.rc == 1 and not r.built and len(r.said) == 1 and "exports only inline caches" in r.said[0], r.err


def _builds(r: Run) -> list[str]:
    return [c for c in r.calls if c.startswith("buildx build ")]


def _pairs(cmd: str) -> list[tuple[str, str]]:
    words = cmd.split(" ")
    return [(a, words[i + 1]) for i, a in enumerate(words) if a in ("--cache-to", "--cache-from", "--tag", "--target")]


def test_a_registry_cache_on_a_builder_with_inline_caches_only(tmp_path, script, project_files):
    """The engine's own builder: the deps stage is pushed as an image with its inline cache at
    REF-deps, then the image with its own at REF; --cache-from REF reads both."""
    dockerfile = project_files["Dockerfile"]
    assert "AS deps\n" in dockerfile and "FROM deps AS build\n" in dockerfile
    ref, deps = "r.example.com:5000/app:cache", "r.example.com:5000/app:cache-deps"
    r = run(tmp_path, script, "--cache-to", ref, "--cache-from", ref, "--target", "runtime", dockerfile=dockerfile)
    assert r.rc == 0, r.err
    builds = _builds(r)
    assert len(builds) == 2, r.calls
    assert _pairs(builds[0]) == [("--cache-from", f"type=registry,ref={ref}"), ("--cache-from", f"type=registry,ref={deps}"),
                                 ("--target", "deps"), ("--cache-to", "type=inline"), ("--tag", deps)], builds[0]
    assert " --push " in builds[0] and "--load" not in builds[0]
    assert _pairs(builds[1]) == [("--cache-to", "type=inline"), ("--cache-from", f"type=registry,ref={ref}"),
                                 ("--cache-from", f"type=registry,ref={deps}"), ("--tag", "app:latest"),
                                 ("--target", "runtime")], builds[1]
    after = r.calls[r.calls.index(builds[1]) + 1:]
    assert after[:3] == [f"tag app:latest {ref}", f"push {ref}", f"image rm {ref}"], after
    assert f"image rm {deps}" in r.calls  # no local tags left for the cache images
    assert any(f"the deps stage goes to {deps} and the image to {ref}" in line for line in r.said), r.said
    # No tag in the reference: the registry's default, latest.
    r = run(tmp_path, script, "--cache-to", "type=registry,ref=localhost:5000/cache", dockerfile=dockerfile)
    assert r.rc == 0 and ("--tag", "localhost:5000/cache:latest-deps") in _pairs(_builds(r)[0])
    # mode=min: the image's own layers only.
    r = run(tmp_path, script, "--cache-to", f"type=registry,ref={ref},mode=min", dockerfile=dockerfile)
    assert r.rc == 0 and len(_builds(r)) == 1 and f"push {ref}" in r.calls, r.calls
    # A Dockerfile without a deps stage (edited by hand): said, and the image's cache still goes.
    r = run(tmp_path, script, "--cache-to", ref, dockerfile=dockerfile.replace(" AS deps", " AS toolchain").replace("FROM deps ", "FROM toolchain "))
    assert r.rc == 0 and len(_builds(r)) == 1 and f"push {ref}" in r.calls, r.calls
    assert any("the Dockerfile has no deps stage" in line for line in r.said), r.said
    # --output sends the image elsewhere: only the deps stage is cached.
    r = run(tmp_path, script, "--cache-to", ref, "--output", "type=local,dest=out", dockerfile=dockerfile)
    assert r.rc == 0 and f"push {ref}" not in r.calls and len(_builds(r)) == 2
    # A digest cannot be pushed to: refused in one line, nothing built.
    r = run(tmp_path, script, "--cache-to", "type=registry,ref=r.example.com/app@sha256:" + "0" * 64, dockerfile=dockerfile)
    assert r.rc == 1 and not r.built and len(r.said) == 1 and "no digest" in r.said[0], r.err
    # A builder that exports registry caches gets them as given, mode=max added.
    r = run(tmp_path, script, "--cache-to", ref, "--cache-from", ref, dockerfile=dockerfile,
            FAKE_DRIVER="docker-container", FAKE_BUILDKIT="v0.13.2")
    assert r.rc == 0 and _pairs(" ".join(r.call("buildx build")))[:2] == [
        ("--cache-to", f"type=registry,ref={ref},mode=max"), ("--cache-from", f"type=registry,ref={ref}")], r.calls


def test_no_local_engine_to_load_into(tmp_path, script):
    remote = {"FAKE_DRIVER": "remote", "FAKE_BUILDKIT": "v0.32.0", "FAKE_NO_ENGINE": "1"}
    r = run(tmp_path, script, "--builder", "shared", **remote)
    assert r.rc == 1 and not r.built and len(r.said) == 1, r.err
    assert "builder shared (remote driver, BuildKit 0.32.0): no local Docker engine to load the image into" in r.said[0]
    r = run(tmp_path, script, "--builder", "shared", "--push", "-t", "r.example.com/app:1", **remote)
    assert r.rc == 0 and "--load" not in r.call("buildx build"), r.err


def test_an_unknown_builder(tmp_path, script):
    r = run(tmp_path, script, "--builder", "missing")
    assert r.rc == 1 and not r.built and len(r.said) == 1 and "no buildx builder missing" in r.said[0], r.err


@pytest.mark.parametrize("args, named", [
    (["--builder", "a;touch x"], "--builder"),
    (["--platform", "linux/amd64,$(touch x)"], "--platform"),
    (["--platform", ""], "--platform"),
    (["-t", "--push"], "-t"),
    (["-t", "app:1 x"], "-t"),
    (["--target", "../x"], "--target"),
    (["--cache-to", "type=registry,ref=a b"], "--cache-to"),
    (["--cache-to", "type=ftp,ref=a"], "--cache-to"),
    (["--cache-from", "ref=a"], "--cache-from"),
    (["--build-arg", "A=1\nB=2"], "--build-arg"),
    (["--build-arg", "1A=x"], "--build-arg"),
    (["--label", "a b=c"], "--label"),
    (["--network", "bridge"], "--network"),
    (["--secret", "id=a\nid=b"], "--secret"),
    (["--sbom=$(touch x)"], "--sbom"),
    (["--builder"], "--builder"),
    (["--push=yes"], "--push"),
    (["--frobnicate"], "--frobnicate"),
])
def test_bad_values_are_refused_in_one_line(tmp_path, script, args, named):
    r = run(tmp_path, script, *args)
    assert r.rc == 1 and not r.built, r.err
    assert len(r.said) == 1 and (r.said[0].startswith(f"docker-build.sh: {named}") or f"option {named}" in r.said[0]), r.said
    assert not list(tmp_path.rglob("x"))


def test_without_buildx(tmp_path, script):
    plain = {"FAKE_NO_BUILDX": "1"}
    r = run(tmp_path, script, "--push", "-t", "r.example.com/app:1", **plain)
    assert r.rc == 0, r.err
    assert r.calls[-3:-1] == [f"build --tag r.example.com/app:1 {tmp_path}/ctx", "push r.example.com/app:1"] or \
        any(c == "push r.example.com/app:1" for c in r.calls), r.calls
    assert "cannot read it back from the registry without the buildx plugin" in r.err
    for args in (["--builder", "ci"], ["--cache-to", "type=inline"], ["--sbom"], ["--platform", "linux/amd64,linux/arm64", "--push"]):
        r = run(tmp_path, script, *args, **plain)
        assert r.rc == 1 and not r.built and len(r.said) == 1 and "needs the buildx plugin" in r.said[0], (args, r.err)
