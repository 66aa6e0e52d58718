"""A Go module proxy on loopback, serving modules the tests write themselves.

The GOPROXY protocol (``go help goproxy``) is a few files per module version, served under the
escaped module path: ``$path/@v/list``, ``$path/@v/$version.info``, ``.mod`` and ``.zip`` (the
module's files under ``$module@$version/``). :class:`GoProxy` serves the module source trees of a
directory (``tests/goproxy-modules/<module path>/``, each with its ``go.mod``) on ``127.0.0.1``:

- over HTTPS with a certificate from the test CA (:func:`tests.images.loopback_ca`), which the
  ``golang`` stand-ins trust as a company's machines trust its CA: Go sends ``.netrc`` credentials to a proxy only over HTTPS;
- with module path prefixes that answer only requests carrying the ``.netrc`` credentials
  (``private``), as a company proxy serving private modules does;
- at one version per proxy (``version``). The engine's Go module cache mount outlives every
  build, and a module version already in it is never fetched again: a version new to the engine
  makes each test session's ``go mod download`` really fetch through the proxy. :meth:`go_sum`
  gives the go.sum lines of the served modules (the ``h1:`` hashes ``go`` computes) and
  :attr:`served` records what was fetched, and with which credentials.

A Docker build reaches the proxy with ``--network=host`` (the builder's RUN steps otherwise get a
network namespace of their own, where 127.0.0.1 is the container) and ``--build-arg
GOPROXY=https://127.0.0.1:PORT``, as a user with a proxy on their own machine would build.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.images import _openssl, loopback_ca

MODULES = Path(__file__).resolve().parent / "goproxy-modules"
# The time every served version was published (fixed, so .info answers are stable).
PUBLISHED = "2026-01-01T00:00:00Z"


class GoProxyError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------
# TLS


def _server_cert(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, signed by the test CA."""
    ca_cert, ca_key = loopback_ca()
    openssl = _openssl
    key, csr, cert, ext = (directory / n for n in ("server.key", "server.csr", "server.crt", "server.ext"))
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(csr))
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-CAcreateserial",
             "-CAserial", str(directory / "ca.srl"), "-days", "2", "-sha256", "-extfile", str(ext), "-out", str(cert))
    return cert, key


# --------------------------------------------------------------------------------------------
# modules


def escape_path(path: str) -> str:
    """The proxy URL form of a module path: upper-case letters become ``!`` plus lower case."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), path)


def _hash1(files: dict[str, bytes]) -> str:
    """``h1:`` hash of named file contents, as golang.org/x/mod/sumdb/dirhash.Hash1."""
    summary = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


@dataclass
class Module:
    path: str
    version: str
    files: dict[str, bytes]  # relative path -> content, go.mod included

    @property
    def prefix(self) -> str:
        return f"{self.path}@{self.version}/"

    def zip_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(self.files):
                zf.writestr(self.prefix + name, self.files[name])
        return out.getvalue()

    def go_sum(self) -> str:
        tree = _hash1({self.prefix + name: data for name, data in self.files.items()})
        mod = _hash1({"go.mod": self.files["go.mod"]})
        return f"{self.path} {self.version} {tree}\n{self.path} {self.version}/go.mod {mod}\n"


def pin_requirements(gomod: str, paths: list[str], version: str) -> str:
    """``gomod`` with the requirements of ``paths`` (single or in a block) at ``version``."""
    for path in paths:
        gomod = re.sub(rf"(?m)^(\s*(?:require\s+)?{re.escape(path)}\s+)v\S+", lambda m: m.group(1) + version, gomod)
    return gomod


def load_modules(root: Path, version: str) -> dict[str, Module]:
    """Every module under ``root`` (a directory holding a ``go.mod``), by module path, at
    ``version``; their requirements of each other are pinned to it."""
    found: dict[str, Path] = {}
    for gomod in sorted(root.rglob("go.mod")):
        m = re.search(r"^module\s+(\S+)", gomod.read_text(encoding="utf-8"), re.M)
        if not m:
            raise GoProxyError(f"{gomod}: no module line")
        found[m.group(1)] = gomod.parent
    modules: dict[str, Module] = {}
    for path, base in found.items():
        files = {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}
        files["go.mod"] = pin_requirements(files["go.mod"].decode(), list(found), version).encode()
        modules[path] = Module(path, version, files)
    return modules


def session_version() -> str:
    """A module version no earlier test session served: ``v1.0.<milliseconds since the epoch>``."""
    return f"v1.0.{time.time_ns() // 1_000_000}"


# --------------------------------------------------------------------------------------------
# the server


@dataclass
class Request:
    path: str
    status: int
    authorized: bool  # carried the proxy's credentials


class GoProxy:
    """Serve the modules under ``root`` on 127.0.0.1 over the GOPROXY protocol.

    ``private`` maps module path prefixes to the (login, password) a request for them must carry
    (HTTP basic authentication, what Go sends from ``.netrc``); others need nothing."""

    def __init__(self, root: Path = MODULES, *, version: str | None = None, tls: bool = True,
                 private: dict[str, tuple[str, str]] | None = None) -> None:
        self.version = version or session_version()
        self.modules = load_modules(root, self.version)
        self.tls = tls
        self.private = dict(private or {})
        self.served: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._dir: Path | None = None

    # ---- what tests use

    @property
    def url(self) -> str:
        assert self._server, "proxy not started"
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self._server.server_address[1]}"

    def go_sum(self, paths: list[str] | None = None) -> str:
        return "".join(self.modules[p].go_sum() for p in sorted(paths or self.modules))

    def adapt(self, project: Path) -> list[str]:
        """Point the project's requirements of served modules at the served version and write
        their go.sum lines; return the module paths it requires."""
        gomod = project / "go.mod"
        text = gomod.read_text(encoding="utf-8")
        required = [p for p in self.modules if re.search(rf"(?m)^\s*(?:require\s+)?{re.escape(p)}\s+v", text)]
        gomod.write_text(pin_requirements(text, required, self.version), encoding="utf-8")
        gosum = project / "go.sum"
        kept = [line for line in (gosum.read_text(encoding="utf-8").splitlines() if gosum.exists() else [])
                if line.split(" ", 1)[0] not in self.modules]
        gosum.write_text("".join(f"{line}\n" for line in kept) + self.go_sum(required), encoding="utf-8")
        return required

    def netrc(self) -> str:
        """A ``.netrc`` with the credentials of the private prefixes for the proxy. Go matches a
        machine name against the URL's host and port (and path prefixes), so the port is part of it."""
        host = self.url.split("://", 1)[1]
        lines = [f"machine {host} login {login} password {password}" for login, password in
                 dict.fromkeys(self.private.values())]
        return "\n".join(lines) + "\n"

    def fetched(self, suffix: str = ".zip") -> list[str]:
        """Module paths whose ``suffix`` file was served successfully."""
        with self._lock:
            done = [r.path for r in self.served if r.status == 200 and r.path.endswith(suffix)]
        return sorted({module.path for module in (self._lookup(path)[0] for path in done) if module})

    # ---- protocol

    def _lookup(self, url_path: str) -> tuple[Module | None, str]:
        escaped, sep, rest = url_path.lstrip("/").partition("/@v/")
        if not sep:
            return None, ""
        for module in self.modules.values():
            if escape_path(module.path) == escaped:
                return module, rest
        return None, rest

    def _needs_path(self, url_path: str) -> bool:
        module, _ = self._lookup(url_path.split("?", 1)[0])
        return module is not None and self._needs(module) is not None

    def _needs(self, module: Module) -> tuple[str, str] | None:
        for prefix, credentials in self.private.items():
            if module.path == prefix or module.path.startswith(prefix.rstrip("/") + "/"):
                return credentials
        return None

    def answer(self, url_path: str, authorization: str | None) -> tuple[int, str, bytes]:
        """(status, content type, body) for a GET of ``url_path``."""
        module, rest = self._lookup(url_path.split("?", 1)[0])
        if module is None:
            return 404, "text/plain", b"not found\n"
        needed = self._needs(module)
        if needed:
            expected = "Basic " + base64.b64encode(f"{needed[0]}:{needed[1]}".encode()).decode()
            if authorization != expected:
                return 401, "text/plain", b"this module needs the proxy's credentials\n"
        version = module.version
        if rest == "list":
            return 200, "text/plain", f"{version}\n".encode()
        if rest == f"{version}.info":
            return 200, "application/json", json.dumps({"Version": version, "Time": PUBLISHED}).encode()
        if rest == f"{version}.mod":
            return 200, "text/plain", module.files["go.mod"]
        if rest == f"{version}.zip":
            return 200, "application/zip", module.zip_bytes()
        return 404, "text/plain", b"unknown version\n"

    # ---- lifecycle

    def start(self) -> "GoProxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                auth = self.headers.get("Authorization")
                status, ctype, body = proxy.answer(self.path, auth)
                with proxy._lock:
                    proxy.served.append(Request(self.path, status, auth is not None))
                self.send_response(status)
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="scaffold test proxy"')
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if self.tls:
            self._dir = Path(tempfile.mkdtemp(prefix="scaffold-goproxy-"))
            cert, key = _server_cert(self._dir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, name="goproxy", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> "GoProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
