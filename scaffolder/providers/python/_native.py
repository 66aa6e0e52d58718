"""Debian packages that Python dependencies need: to build them, and to run them.

Build packages go to the build stage only; run-time packages to the final image only. A package
that ships manylinux wheels (lxml) needs nothing unless the requirements force a source build.
"""

from __future__ import annotations

from dataclasses import dataclass

from scaffolder.providers.python._deps import Dep

_CC = ("gcc", "libc6-dev")


@dataclass(frozen=True)
class Native:
    build: tuple[str, ...] = ()
    runtime: tuple[str, ...] = ()
    wheels: bool = False  # binary wheels exist: the build packages matter only with --no-binary


# Keys are normalized distribution names. Debian package names hold for bookworm and trixie.
NATIVE: dict[str, Native] = {
    "psycopg2": Native((*_CC, "libpq-dev"), ("libpq5",)),
    "psycopg": Native((), ("libpq5",)),  # pure Python: loads libpq at run time
    "psycopg-c": Native((*_CC, "libpq-dev"), ("libpq5",)),
    "mysqlclient": Native((*_CC, "pkg-config", "default-libmysqlclient-dev"), ("libmariadb3",)),
    "pycairo": Native((*_CC, "pkg-config", "libcairo2-dev"), ("libcairo2",)),
    "lxml": Native((*_CC, "libxml2-dev", "libxslt1-dev"), ("libxml2", "libxslt1.1"), wheels=True),
    "pyodbc": Native((*_CC, "unixodbc-dev"), ("libodbc2",), wheels=True),
    "pdf2image": Native((), ("poppler-utils",)),
    "pydub": Native((), ("ffmpeg",)),
    "python-magic": Native((), ("libmagic1",)),
    "weasyprint": Native((), ("libpango-1.0-0", "libpangoft2-1.0-0")),
    # Source distributions only (no wheel on PyPI): they always compile.
    # uWSGI builds its server and embeds the builder's libpython; libpcre2 gives it internal
    # routing (route = ...). Its run-time libraries come along: the minimal runtime collects
    # what it links, and libpcre2-8-0 is in every Debian (grep needs it).
    "uwsgi": Native((*_CC, "libpcre2-dev")),
    "pygraphviz": Native((*_CC, "libgraphviz-dev"), ("libcgraph6", "libgvc6")),
    "pyinstaller": Native(("binutils",)),  # objdump and strip, which PyInstaller calls
}

# Extras that switch a package to prebuilt binaries or to a compiled extension.
_EXTRA_BINARY = {"psycopg": {"binary": Native(), "c": NATIVE["psycopg-c"]}}


def packages(deps: list[Dep]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(package, reason) lists for the build and run-time stages, in first-seen order."""
    build: dict[str, str] = {}
    runtime: dict[str, str] = {}
    for dep in deps:
        native = NATIVE.get(dep.name)
        for extra, override in _EXTRA_BINARY.get(dep.name, {}).items():
            if extra in dep.extras:
                native = override
        if native is None:
            continue
        if not native.wheels or dep.no_binary:
            for pkg in native.build:
                build.setdefault(pkg, f"{dep.name} ({dep.source})")
        for pkg in native.runtime:
            runtime.setdefault(pkg, f"{dep.name} ({dep.source})")
    for dep in deps:
        if dep.url.startswith("git+"):
            build.setdefault("git", f"git dependency {dep.name} ({dep.source})")
            if is_ssh(dep.url):
                build.setdefault("openssh-client", f"git over ssh: {dep.name} ({dep.source})")
    return list(build.items()), list(runtime.items())


def is_ssh(url: str) -> bool:
    """git+ssh://... or scp-like git+git@host:path."""
    rest = url[4:] if url.startswith("git+") else url
    return rest.startswith("ssh://") or rest.startswith("git@")
