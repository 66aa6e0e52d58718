"""uWSGI started from its ini file: where it listens, what it reads from the environment, how it stops.

``uwsgi FILE.ini`` or ``uwsgi --ini FILE`` (a Procfile's web process) listens where the ini's
``http-socket``/``http``/``socket`` says. uWSGI expands ``$(NAME)`` in option values from the
environment: ``http-socket = :$(PORT)`` and ``virtualenv = $(VIRTUAL_ENV)`` (Heroku's convention)
need those variables in the image, so the image sets them (``python_server_env``) from the
recorded port and its own venv. uWSGI 2.0 reloads on SIGTERM, which docker stop sends: unless the
ini already says ``die-on-term``, the command gets ``--die-on-term`` and ends on SIGTERM. Chosen
over a STOPSIGNAL of SIGINT (what uWSGI also ends on): every sender of the usual stop signal
(docker stop, Compose, Kubernetes, systemd, ``kill``) then stops it, not only one that reads the
image's STOPSIGNAL, and the option shows in the start command, where the user sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import number
from scaffolder.providers.python import _servers

# The variables the image can set itself, and from what (templates/partials/python.Dockerfile.jinja).
IMAGE_SETS = {"PORT": "the recorded port", "VIRTUAL_ENV": "the image's venv"}
# Sockets by what they speak: HTTP to clients, or the uwsgi protocol to a proxy (nginx uwsgi_pass).
_HTTP = ("http-socket", "http", "http11-socket")
_PROXIED = ("socket", "uwsgi-socket")
_VAR = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
_LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}
_TRUE = {"", "1", "true", "yes", "on", "y", "t"}


@dataclass
class Listen:
    option: str  # http-socket, http, socket
    value: str  # as written
    line: int


@dataclass
class Ini:
    path: str
    listen: Listen | None = None
    variables: dict[str, int] = field(default_factory=dict)  # $(NAME) -> first line
    die_on_term: bool = False


def ini_path(argv: list[str], at: int) -> str:
    """The ini a uwsgi command reads (``--ini X``, ``--ini=X``, a ``*.ini`` argument), '' if none.
    The ``:section`` suffix is dropped: the [uwsgi] section is the one read."""
    for i in range(at + 1, len(argv)):
        word = argv[i]
        if word == "--ini" and i + 1 < len(argv):
            path = argv[i + 1]
        elif word.startswith("--ini="):
            path = word[len("--ini="):]
        elif not word.startswith("-") and word.rsplit(":", 1)[0].endswith(".ini") and argv[i - 1] != "--ini":
            path = word
        else:
            continue
        return path.rsplit(":", 1)[0] if ".ini:" in path else path
    return ""


def read(repo: Repo, path: str, source: str) -> Ini:
    """The [uwsgi] section of ``path`` (relative to the root: the image runs in /app, like the
    Procfile). Options repeat (several sockets), so it is read line by line, not as configparser."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise InputError(source, f"uwsgi reads {path!r}, outside the project", hint="name the ini relative to the project root")
    name = str(PurePosixPath(*[p for p in relative.parts if p != "."])) if relative.parts else ""
    if not name or not repo.exists(name):
        raise InputError(source, f"uwsgi reads {path!r}, which is not in the project", hint="commit the ini, or fix its path")
    ini = Ini(name)
    section = ""
    for number, raw in enumerate(repo.read_text(name).splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section != "uwsgi" or "=" not in line:
            continue
        key, _, value = (part.strip() for part in line.partition("="))
        for var in _VAR.findall(value):
            ini.variables.setdefault(var, number)
        if ini.listen is None and key in _HTTP + _PROXIED:
            ini.listen = Listen(key, value, number)
        elif key == "die-on-term":
            ini.die_on_term = value.lower() in _TRUE
    return ini


@dataclass
class Served:
    ini: str  # its path
    argv: list[str]
    port: int | None  # the port the ini names, None when the image chooses it ($(PORT))
    port_source: str
    env: list[str]  # IMAGE_SETS names the ini reads
    changes: list[str]
    notes: list[str]


def serve(repo: Repo, argv: list[str], at: int, source: str) -> Served | None:
    """What a ``uwsgi`` command (its name at ``argv[at]``) started from an ini needs; None when
    it names no ini (its options are on the command line)."""
    path = ini_path(argv, at)
    if not path:
        return None
    ini = read(repo, path, source)
    changes, notes = [], []
    if not ini.die_on_term:
        argv, change = _servers.stop_on_term(argv, "uwsgi")
        changes += [change] if change else []
    env = [name for name in IMAGE_SETS if name in ini.variables]
    for name, line in ini.variables.items():
        if name not in IMAGE_SETS:
            notes.append(f"{ini.path}:{line} reads $({name}) from the environment: set it when the container runs")
    port, port_source = None, ""
    listen = ini.listen
    if listen is None:
        notes.append(f"{ini.path} names no http-socket, http or socket: uWSGI serves nothing scaffold can see")
        return Served(ini.path, argv, 0, f"{ini.path} (no socket)", env, changes, notes)
    where = f"{ini.path}:{listen.line} {listen.option} = {listen.value}"
    host, _, bound = listen.value.rpartition(":")
    if listen.value.startswith(("/", "@")) or not _:
        return Served(ini.path, argv, 0, f"{where} (a socket file: no TCP port)", env, changes, notes)
    if bound == "$(PORT)":
        port_source = f"{where}: the image sets PORT"
    elif number(bound) is not None:
        port, port_source = number(bound), where
    else:
        notes.append(f"{where}: a port scaffold cannot read")
    if host in _LOOPBACK and port is not None:
        # Options repeat: the command line's socket is one more, on all interfaces.
        argv = [*argv, f"--{listen.option}", f"0.0.0.0:{port}"]
        changes.append(f"{where} is loopback: added --{listen.option} 0.0.0.0:{port}")
    elif host in _LOOPBACK:
        notes.append(f"{where} is loopback, unreachable from outside the container: listen on :$(PORT)")
    if listen.option in _PROXIED:
        notes.append(f"{where} speaks the uwsgi protocol (for a proxy such as nginx's uwsgi_pass), not HTTP")
    return Served(ini.path, argv, port, port_source, env, changes, notes)
