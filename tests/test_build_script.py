"""The generated docker-build.sh against each Docker CLI on the machine, with and without buildx.

How the script reaches BuildKit depends on the client alone: the buildx plugin when the client
has one, ``DOCKER_BUILDKIT=1 docker build`` for a client before 23.0, and otherwise one line
saying what to install. Each case is arranged here with its own ``DOCKER_CONFIG``: its
``cli-plugins/`` holds the buildx plugin found on the machine, or a ``docker-buildx`` that is no
working plugin, which hides any plugin installed system-wide (the CLI takes the first one it
finds; that is also the "missing or broken" state users meet). ``DOCKER_BUILDKIT`` is unset, as
on a new user's machine.

Slow (builds images): marked ``docker``. The buildx plugin is Debian's ``docker-buildx``
(``.ci/docker-plugins.sh`` installs it); ``SCAFFOLD_BUILDX_PLUGIN`` names another binary.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import docker_required
from tests.docker_harness import EXAMPLES, ExampleRun

pytestmark = pytest.mark.docker

# The Debian package's CLI (20.10) and a current one (28.x), as this machine has them.
CANDIDATE_CLIS = ("/usr/bin/docker", "/usr/local/bin/docker")
PLUGIN_DIRS = (
    "~/.docker/cli-plugins",
    "/usr/local/lib/docker/cli-plugins",
    "/usr/local/libexec/docker/cli-plugins",
    "/usr/lib/docker/cli-plugins",
    "/usr/libexec/docker/cli-plugins",
)


def _missing(what: str) -> None:
    if docker_required():
        pytest.fail(f"{what} (SCAFFOLD_DOCKER_TESTS=required)", pytrace=False)
    pytest.skip(what)


def client_version(cli: str) -> str:
    proc = subprocess.run([cli, "version", "--format", "{{.Client.Version}}"], capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def buildx_plugin() -> Path | None:
    named = os.environ.get("SCAFFOLD_BUILDX_PLUGIN")
    if named:
        return Path(named)
    for folder in PLUGIN_DIRS:
        path = Path(folder).expanduser() / "docker-buildx"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def docker_config(root: Path, *, buildx: bool) -> Path:
    plugins = root / ("with-buildx" if buildx else "without-buildx") / "cli-plugins"
    if plugins.is_dir():
        return plugins.parent
    plugins.mkdir(parents=True)
    if buildx:
        plugin = buildx_plugin()
        if plugin is None:
            _missing("no docker-buildx plugin on this machine (bash .ci/docker-plugins.sh installs it)")
        (plugins / "docker-buildx").symlink_to(plugin)
    else:
        stub = plugins / "docker-buildx"
        stub.write_text("#!/bin/sh\nexit 1\n")
        stub.chmod(0o755)
    return plugins.parent


@pytest.fixture(scope="module")
def project(tmp_path_factory, docker):
    """go-hello, initialised with --defaults and its base images present."""
    run = ExampleRun(EXAMPLES / "go-hello", tmp_path_factory.mktemp("build-script"), docker=docker)
    run.prepare()
    run.init()
    run.ensure_bases()
    yield run
    run.cleanup()


def build(run: ExampleRun, cli: str, config: Path, tag: str, *args: str, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("DOCKER_BUILDKIT", "BUILDX_BUILDER")}
    env.update(DOCKER=cli, DOCKER_CONFIG=str(config), BUILDKIT_PROGRESS="plain")
    subprocess.run([run.docker, "rmi", "-f", tag], capture_output=True, check=False)
    proc = subprocess.run(["bash", str(run.dir / "docker-build.sh"), "-t", tag, *args], cwd=cwd or run.dir, env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL, check=False)
    run.logs.append((f"docker-build.sh with {cli}", proc.stdout + proc.stderr))
    return proc


def image_exists(run: ExampleRun, tag: str) -> bool:
    return subprocess.run([run.docker, "image", "inspect", tag], capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize("buildx", [False, True], ids=["without-buildx", "with-buildx"])
@pytest.mark.parametrize("cli", CANDIDATE_CLIS)
def test_build_script_finds_buildkit(project, tmp_path_factory, cli, buildx):
    if not Path(cli).exists():
        _missing(f"no Docker CLI at {cli}")
    version = client_version(cli)
    assert version, f"{cli} did not report its client version"
    config = docker_config(tmp_path_factory.getbasetemp() / "docker-config", buildx=buildx)
    tag = f"scaffold-build-script/{Path(cli).parent.name}-{'buildx' if buildx else 'plain'}:test"
    proc = build(project, cli, config, tag)
    said = [line for line in proc.stderr.splitlines() if line.startswith("docker-build.sh:")]
    if not buildx and int(version.split(".")[0]) >= 23:
        # The legacy builder cannot build RUN --mount: refuse, in one line, saying what to install.
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.strip().splitlines() == said and len(said) == 1, proc.stderr
        assert f"Docker CLI {version}" in said[0] and "apt-get install docker-buildx" in said[0]
        assert not image_exists(project, tag)
        return
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = f"{cli} buildx build --load" if buildx else f"DOCKER_BUILDKIT=1 {cli} build (Docker CLI {version})"
    assert any(line.startswith(f"docker-build.sh: building {tag} with {expected}") for line in said), proc.stderr
    project.tag = tag
    project.image_ids.add(project.inspect()["Id"])
    project.check_run()  # the image holds the program and runs it
    assert tag in proc.stdout and " MB" in proc.stdout  # the closing size report


@pytest.mark.parametrize("buildx", [False, True], ids=["without-buildx", "with-buildx"])
def test_output_elsewhere_is_not_loaded(project, tmp_path_factory, tmp_path, buildx):
    """--output sends the result elsewhere: buildx gets no --load, nothing is reported as loaded,
    and a relative destination is relative to where the script was run."""
    cli = project.docker
    if not buildx and int(client_version(cli).split(".")[0]) >= 23:
        pytest.skip(f"{cli} needs buildx to build at all")
    config = docker_config(tmp_path_factory.getbasetemp() / "docker-config", buildx=buildx)
    tag = f"scaffold-build-script/output-{'buildx' if buildx else 'plain'}:test"
    proc = build(project, cli, config, tag, "--output", "type=local,dest=rootfs", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "rootfs" / "usr" / "local" / "bin" / "hello").is_file(), sorted(
        str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert "not loaded into the local image store" in proc.stderr
    assert not image_exists(project, tag)


def _registry_digest(registry, repository: str, tag: str) -> str:
    """The digest the registry serves for repository:tag (its own answer, not the build's)."""
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{registry.port}/v2/{repository}/manifests/{tag}", method="HEAD",
        headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        return resp.headers["Docker-Content-Digest"]


def test_builder_default_builds_and_loads(project, tmp_path_factory):
    """--builder default: the engine's own BuildKit, named; the image is loaded and runs, and it
    carries the OCI labels and the commit time the script read from git."""
    cli = project.docker
    config = docker_config(tmp_path_factory.getbasetemp() / "docker-config", buildx=True)
    tag = "scaffold-build-script/builder-default:test"
    proc = build(project, cli, config, tag, "--builder", "default")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    said = [line for line in proc.stderr.splitlines() if line.startswith("docker-build.sh:")]
    assert said[0].startswith(f"docker-build.sh: building {tag} with {cli} buildx build --builder default --load "), said
    assert "builder default (docker driver, BuildKit " in said[0]
    project.tag = tag
    info = project.inspect()
    project.image_ids.add(info["Id"])
    project.check_run()
    labels = info["Config"]["Labels"] or {}
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project.dir, capture_output=True, text=True, check=True).stdout.strip()
    assert labels.get("org.opencontainers.image.revision") == revision, labels
    assert labels.get("org.opencontainers.image.version") == revision[:7], labels  # no tag: the short hash
    assert labels.get("org.opencontainers.image.created", "").endswith("Z"), labels


def test_push_to_a_loopback_registry_is_read_back(project, tmp_path_factory):
    """--push: no --load, the image reaches the registry, and the closing report is the registry's
    own answer for the tag, not the local engine's."""
    from tests.registry import LoopbackRegistry, RegistryError

    cli = project.docker
    config = docker_config(tmp_path_factory.getbasetemp() / "docker-config", buildx=True)
    try:
        registry = LoopbackRegistry().start()
    except RegistryError as exc:
        _missing(str(exc))
    try:
        repository = "scaffold-build-script/hello"
        ref = f"{registry.address}/{repository}:test"
        proc = build(project, cli, config, ref, "--builder", "default", "--push")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        said = [line for line in proc.stderr.splitlines() if line.startswith("docker-build.sh:")]
        assert "--push" in said[0] and "--load" not in said[0], said
        assert registry.tags(repository) == ["test"]
        digest = _registry_digest(registry, repository, "test")
        assert said[-1].startswith(f"docker-build.sh: pushed {ref}: the registry holds {digest} ("), said
        assert " layers, " in said[-1] and "MB compressed)" in said[-1], said
        # A second push of an unchanged tree is the same image (labels and time from the commit).
        proc = build(project, cli, config, ref, "--builder", "default", "--push")
        assert proc.returncode == 0 and f"the registry holds {digest} (" in proc.stderr, proc.stderr
    finally:
        registry.stop()
        subprocess.run([cli, "rmi", "-f", ref], capture_output=True, check=False)
