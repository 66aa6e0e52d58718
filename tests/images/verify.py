"""Smoke checks of the stand-ins: ``python -m tests.images verify``.

Each check builds a tiny image the way generated Dockerfiles use the stand-ins (``FROM name``,
``COPY --from=name``, apt and pip over the intercepted TLS, static and dynamic binaries on the
distroless look-alikes) and runs it. No registry is reachable, so a passing build also shows
that BuildKit resolved every image from the local store.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from . import DOCKER, GO_MINORS, IMAGES, SUITES, _docker_env, _go_suite, ensure

GO_MAIN = """package main

import (
\t"fmt"
\t"os"
)

func main() { fmt.Printf("go static ok uid=%d\\n", os.Getuid()) }
"""

C_MAIN = """#include <stdio.h>
#include <unistd.h>
int main(void) { printf("c dynamic ok uid=%d\\n", (int)getuid()); return 0; }
"""

CXX_MAIN = """#include <iostream>
#include <string>
int main() { std::string s = "c++ dynamic ok"; std::cout << s << std::endl; return 0; }
"""


def _build_run(tag: str, dockerfile: str, files: dict[str, str], run: list[str] | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="standin-verify-") as tmp:
        ctx = Path(tmp)
        (ctx / "Dockerfile").write_text(dockerfile)
        for name, text in files.items():
            (ctx / name).write_text(text)
        build = subprocess.run(
            [DOCKER, "build", "--progress=plain", "-t", tag, str(ctx)],
            env=_docker_env(), capture_output=True, text=True, check=False,
        )
        if build.returncode != 0:
            raise AssertionError(f"build of {tag} failed:\n{build.stderr[-4000:]}")
    try:
        if run is None:
            return build.stderr
        result = subprocess.run([DOCKER, "run", "--rm", tag, *run], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"run of {tag} failed ({result.returncode}): {result.stderr}")
        return result.stdout
    finally:
        subprocess.run([DOCKER, "rmi", "-f", tag], capture_output=True, check=False)


def _expect(text: str, *needles: str) -> None:
    for needle in needles:
        assert needle in text, f"expected {needle!r} in:\n{text[-3000:]}"


def check_python() -> None:
    for image, version in (("python:3.11-slim-bookworm", "3.11."), ("python:3.13-slim-trixie", "3.13."),
                           ("python:3.11-bookworm", "3.11."), ("python:3.13-trixie", "3.13.")):
        out = subprocess.run([DOCKER, "run", "--rm", image, "python", "-c", "import sys; print(sys.version)"],
                             capture_output=True, text=True, check=True).stdout
        assert out.startswith(version), f"{image}: {out}"


def check_pip_venv_tls() -> None:
    # pip over the intercepted TLS, into a venv as the generated Dockerfiles do, and system-wide.
    for image in ("python:3.11-slim-bookworm", "python:3.13-slim-trixie"):
        out = _build_run("standin-verify/pip", f"""\
FROM {image}
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir six==1.16.0 \\
 && pip install --no-cache-dir idna==3.7
CMD ["/opt/venv/bin/python", "-c", "import six; print('pip ok', six.__version__)"]
""", {}, [])
        _expect(out, "pip ok 1.16.0")


def check_apt() -> None:
    # apt inside a derived build, with the cache mounts generated Dockerfiles use.
    for suite in ("bookworm", "trixie"):
        out = _build_run("standin-verify/apt", f"""\
FROM debian:{suite}-slim
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends jq
CMD ["jq", "-n", "\\"apt ok\\""]
""", {}, [])
        _expect(out, "apt ok")


def check_go_static() -> None:
    for go, release in ((f"{IMAGES['golang']}:{m}-{_go_suite(m)}", SUITES[_go_suite(m)]) for m in GO_MINORS):
        out = _build_run("standin-verify/go", f"""\
FROM {go} AS build
WORKDIR /src
COPY main.go .
RUN CGO_ENABLED=0 go build -o /out/hello main.go
FROM gcr.io/distroless/static-debian{release}:nonroot
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
""", {"main.go": GO_MAIN}, [])
        _expect(out, "go static ok uid=65532")


def check_dynamic() -> None:
    for full, release in (("python:3.11-bookworm", "12"), ("python:3.13-trixie", "13")):
        out = _build_run("standin-verify/c", f"""\
FROM {full} AS build
COPY main.c main.cpp /src/
RUN gcc -O2 -o /c /src/main.c && g++ -O2 -o /cxx /src/main.cpp
FROM gcr.io/distroless/base-debian{release}:nonroot AS c
COPY --from=build /c /c
RUN ["/c"]
FROM gcr.io/distroless/cc-debian{release}:nonroot
COPY --from=build /cxx /cxx
COPY --from=c /c /c
ENTRYPOINT ["/cxx"]
""", {"main.c": C_MAIN, "main.cpp": CXX_MAIN}, [])
        _expect(out, "c++ dynamic ok")


def check_uv() -> None:
    out = _build_run("standin-verify/uv", """\
FROM python:3.13-slim-trixie
COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/
RUN uv --version && uv venv /opt/venv && uv pip install --python /opt/venv/bin/python six==1.16.0
CMD ["/opt/venv/bin/python", "-c", "import six; print('uv ok', six.__version__)"]
""", {}, [])
    _expect(out, "uv ok 1.16.0")


CHECKS = [check_python, check_apt, check_pip_venv_tls, check_go_static, check_dynamic, check_uv]


def main() -> int:
    from . import NAMES, ensure_all

    ensure_all(NAMES)
    failed = 0
    for check in CHECKS:
        start = time.monotonic()
        try:
            check()
        except Exception as exc:  # report every check, not just the first failure
            failed += 1
            print(f"[verify] FAIL {check.__name__}: {exc}", flush=True)
        else:
            print(f"[verify] ok   {check.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
    return 1 if failed else 0


__all__ = ["CHECKS", "ensure", "main"]
