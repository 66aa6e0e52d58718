"""A real public C++ program, Ninja, gets a working image from ``scaffold init --defaults``.

Ninja (CMake, C++, no third-party dependencies) is fetched at test time from Debian's source
archive (the ``ninja-build`` source package's upstream tarball, checked against the SHA-256 in
the archive's Sources index) and cached under ``~/.cache/scaffold-tests``. The mirror is the one
the machine's apt sources name (``SCAFFOLD_DEBIAN_MIRROR`` overrides it). The project then goes
through the same harness as the examples: init with no answers, build with the generated script,
``ninja --version`` from the container, size, non-root user, nothing secret in the image, the
apt layer reused after a source change (ccache recompiles only that file), hadolint.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import re
import shutil
import subprocess
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scaffolder._answers import ANSWERS_FILE
from tests.docker_harness import ExampleError, ExampleRun

PACKAGE = "ninja-build"
SUITE = "bookworm"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scaffold-tests"
TIMEOUT = 120


# Compilations ninja's CMake configure step makes through the compiler (ccache counts them).
CONFIGURE_CHECKS = 3


def debian_mirror() -> str:
    """The Debian archive the machine's apt sources use (deb.debian.org when none is found)."""
    if os.environ.get("SCAFFOLD_DEBIAN_MIRROR"):
        return os.environ["SCAFFOLD_DEBIAN_MIRROR"].rstrip("/")
    texts = []
    for path in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]:
        if path.suffix in ("", ".list", ".sources") and path.is_file():
            try:
                texts.append(path.read_text(errors="replace"))
            except OSError:
                continue
    for text in texts:
        # one-line format: deb [options] URI suite components; deb822: URIs: URI
        for match in re.finditer(r"^\s*(?:deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?|URIs:\s*)(\S+)", text, re.MULTILINE):
            uri = match.group(1).rstrip("/")
            if re.search(r"/debian$", uri) and uri.startswith(("http://", "https://")):
                return uri
    return "http://deb.debian.org/debian"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (the archive's own URL)
        return response.read()


def _source_stanza(mirror: str) -> dict[str, str]:
    index = lzma.decompress(_get(f"{mirror}/dists/{SUITE}/main/source/Sources.xz")).decode("utf-8", "replace")
    for stanza in index.split("\n\n"):
        if stanza.startswith(f"Package: {PACKAGE}\n"):
            fields: dict[str, str] = {}
            key = ""
            for line in stanza.splitlines():
                if line.startswith((" ", "\t")) and key:
                    fields[key] += "\n" + line.strip()
                elif ":" in line:
                    key, _, value = line.partition(":")
                    fields[key] = value.strip()
            return fields
    raise LookupError(f"{PACKAGE} is not in {mirror} {SUITE}/main")


def fetch_ninja() -> Path:
    """Ninja's upstream source tree, from the cache or the Debian archive."""
    done = CACHE / f"{PACKAGE}.done"
    if done.is_file() and (CACHE / done.read_text().strip()).is_dir():
        return CACHE / done.read_text().strip()
    mirror = debian_mirror()
    fields = _source_stanza(mirror)
    orig = next(
        (line.split() for line in fields.get("Checksums-Sha256", "").splitlines() if ".orig.tar." in line),
        None,
    )
    if not orig:
        raise LookupError(f"{PACKAGE}: no upstream tarball in the Sources entry")
    digest, _, filename = orig
    data = _get(f"{mirror}/{fields['Directory']}/{filename}")
    if hashlib.sha256(data).hexdigest() != digest:
        raise LookupError(f"{filename}: SHA-256 does not match the archive's Sources index")
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / filename
    tarball.write_bytes(data)
    with tarfile.open(tarball) as tar:
        top = {m.name.split("/", 1)[0] for m in tar.getmembers()}
        if len(top) != 1:
            raise LookupError(f"{filename}: expected one top-level directory, found {sorted(top)}")
        target = CACHE / top.pop()
        shutil.rmtree(target, ignore_errors=True)
        try:
            tar.extractall(CACHE, filter="data")
        except TypeError:  # Python without extraction filters
            tar.extractall(CACHE)  # noqa: S202 (the archive was checked against its SHA-256)
    done.write_text(target.name)
    return target


def _version(source: Path) -> str:
    """The version ninja prints, from its own source (src/version.cc: kNinjaVersion)."""
    match = re.search(r'kNinjaVersion\s*=\s*"([^"]+)"', (source / "src" / "version.cc").read_text())
    assert match, "src/version.cc has no kNinjaVersion"
    return match.group(1).removesuffix(".git")


@pytest.mark.docker
def test_ninja_gets_a_working_image(docker, tmp_path, request):
    try:
        source = fetch_ninja()
    except (OSError, urllib.error.URLError, LookupError, lzma.LZMAError, tarfile.TarError) as exc:
        message = f"cannot fetch {PACKAGE} from the Debian archive: {exc}"
        if os.environ.get("SCAFFOLD_DOCKER_TESTS", "").lower() == "required":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    version = _version(source)
    project = tmp_path / "src" / "ninja"
    shutil.copytree(source, project)
    # The harness's expectations for this project: no --data answers at all.
    (project / "expect.toml").write_text(
        # The binary and, since ninja runs every build command through /bin/sh (posix_spawn in
        # src/subprocess-posix.cc), Debian's dash with what it depends on.
        "max_size_mb = 20\n"
        'source_change = "src/version.cc"\n'
        'deps_step = "apt-get install"\n'
        "[run]\n"
        'args = ["--version"]\n'
        f'output = ["{version}"]\n'
    )
    run = ExampleRun(project, tmp_path / "work", docker=docker)
    request.node.example_run = run
    try:
        failures = run.run_all()
        if not failures:
            failures = _static_budget(run, docker) + _ccache_reuse(run)
    except ExampleError as exc:
        failures = [str(exc)]
    finally:
        run.cleanup()
    if failures:
        pytest.fail("ninja:\n" + "\n\n".join(failures), pytrace=False)


def _ccache_reuse(run: ExampleRun) -> list[str]:
    """After one source file changed, ccache compiles that file and serves every other one."""
    log = next((text for title, text in reversed(run.logs) if title.startswith("rebuild")), "")
    hits = re.search(r"Hits:\s+(\d+)\s*/\s*(\d+)", log)
    misses = re.search(r"Misses:\s+(\d+)\s*/\s*(\d+)", log)
    if not hits or not misses:
        return ["the rebuild's log shows no ccache statistics (ccache --show-log-stats)"]
    print(f"[ccache] ninja rebuild after changing src/version.cc: {hits.group(1)} hits, {misses.group(1)} misses "
          f"of {hits.group(2)} compilations")
    # One miss for the changed file; cmake configures a fresh build tree on each build, so its
    # feature checks (try_compile of small test programs in new temporary paths) miss too.
    if int(misses.group(1)) > 1 + CONFIGURE_CHECKS or int(hits.group(1)) == 0:
        return [f"ccache: {hits.group(1)} hits and {misses.group(1)} misses after changing one file"]
    return []


def _static_budget(run: ExampleRun, docker: str) -> list[str]:
    """The program's own layer holds little more than its binary: at most 1.1 times it plus 1 MB.
    The shell ninja spawns comes as run-time packages, in a layer of their own."""
    answers = (run.dir / ANSWERS_FILE).read_text()
    if "dash" not in answers:
        return ["ninja spawns /bin/sh, but the answers record no shell among cpp_runtime_packages"]
    info = run.inspect()
    entry = info["Config"]["Entrypoint"][0]
    cid = subprocess.run([docker, "create", run.tag], capture_output=True, text=True, check=True).stdout.strip()
    try:
        tar = subprocess.run([docker, "cp", f"{cid}:{entry}", "-"], capture_output=True, check=True).stdout
    finally:
        subprocess.run([docker, "rm", cid], capture_output=True, check=False)
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        binary = archive.next().size
    history = subprocess.run([docker, "history", "--human=false", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}",
                              run.tag], capture_output=True, text=True, check=True).stdout.splitlines()
    # The final stage copies the build's /rootfs first, then the run-time packages' (history lists
    # the newest layer first).
    copies = [int(size) for size, created in (line.split("\t", 1) for line in history) if created.startswith("COPY /rootfs/ /")]
    own = copies[-1] if len(copies) == 2 else 0
    image = int(info["Size"])
    print(f"[size] ninja: image {image:,} B, its own layer {own:,} B, stripped binary {binary:,} B ({own / binary:.3f}x)")
    if not own or own > 1.1 * binary + 1e6:
        return [f"the program's layer ({own:,} B) exceeds 1.1 x binary ({binary:,} B) + 1 MB"]
    return []
