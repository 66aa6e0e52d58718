"""A container registry on loopback for push and cache tests: Debian's ``docker-registry``
(distribution 2.8, installed by ``.ci/docker-plugins.sh``).

The engine treats ``127.0.0.0/8`` as an insecure registry, so ``localhost:PORT/name:tag`` needs
no TLS, and the engine's daemon runs on this machine, so it reaches the loopback port.

Usage::

    with LoopbackRegistry() as registry:
        ref = f"{registry.address}/app:test"   # localhost:PORT/app:test
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

START_TIMEOUT = 20


class RegistryError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackRegistry:
    """``docker-registry serve`` on 127.0.0.1 with its storage in a temporary directory."""

    def __init__(self) -> None:
        self.exe = shutil.which("docker-registry")
        self.port = 0
        self.root: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"localhost:{self.port}"

    def start(self) -> "LoopbackRegistry":
        if not self.exe:
            raise RegistryError("docker-registry is not installed (bash .ci/docker-plugins.sh installs it)")
        self.root = Path(tempfile.mkdtemp(prefix="scaffold-registry-"))
        self.port = free_port()
        config = self.root / "config.yml"
        config.write_text(
            "version: 0.1\n"
            "log:\n  level: warn\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.root / 'data'}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: 127.0.0.1:{self.port}\n"
        )
        log = open(self.root / "registry.log", "wb")
        self.proc = subprocess.Popen([self.exe, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RegistryError(f"docker-registry exited with {self.proc.returncode}: {self.log()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/v2/", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RegistryError(f"docker-registry did not answer on 127.0.0.1:{self.port} within {START_TIMEOUT}s")

    def log(self) -> str:
        path = self.root / "registry.log" if self.root else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def tags(self, repository: str) -> list[str]:
        import json

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/v2/{repository}/tags/list", timeout=10) as resp:
            return json.load(resp).get("tags") or []

    def image_config(self, repository: str, tag: str) -> dict:
        """The config blob of the image the registry holds at repository:tag."""
        import json

        def read(path: str, accept: str = "") -> dict:
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}/v2/{repository}/{path}",
                                             headers={"Accept": accept})
            with urllib.request.urlopen(request, timeout=10) as resp:
                return json.load(resp)

        manifest = read(f"manifests/{tag}", "application/vnd.docker.distribution.manifest.v2+json, "
                                            "application/vnd.oci.image.manifest.v1+json")
        return read(f"blobs/{manifest['config']['digest']}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "LoopbackRegistry":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
