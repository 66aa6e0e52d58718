"""Python server commands that listen on loopback unless told otherwise, and how to tell them.

Inside a container 127.0.0.1 is unreachable from outside it: gunicorn without ``--bind``,
``flask run``, uvicorn, daphne, hypercorn and ``datasette serve`` all default to it. A start
command naming one of them gets the host 0.0.0.0 and the recorded port, in the server's own
syntax, and the port it already names is kept (it becomes the recorded port).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple

from scaffolder.providers import number

_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(frozen=True)
class Server:
    port: int  # its default port
    bind: tuple[str, ...] = ()  # options taking HOST:PORT (gunicorn --bind)
    host: tuple[str, ...] = ()  # options taking HOST
    port_flags: tuple[str, ...] = ()  # options taking PORT
    subcommand: str = ""  # the word that makes it serve (datasette serve, flask run)
    serves_without_subcommand: bool = False  # `datasette x.db` serves; `flask` alone does not
    all_interfaces: bool = False  # listens on 0.0.0.0 by default: only the port matters
    needs_socket: bool = False  # serves nothing without a bind option (uwsgi)
    stops_with: str = ""  # the option that makes it end on SIGTERM (docker stop), where it does not by default


SERVERS = {
    "gunicorn": Server(8000, bind=("-b", "--bind")),
    "hypercorn": Server(8000, bind=("-b", "--bind")),
    "daphne": Server(8000, host=("-b", "--bind"), port_flags=("-p", "--port")),
    "uvicorn": Server(8000, host=("--host",), port_flags=("--port",)),
    "flask": Server(5000, host=("-h", "--host"), port_flags=("-p", "--port"), subcommand="run"),
    "datasette": Server(8001, host=("-h", "--host"), port_flags=("-p", "--port"), subcommand="serve",
                        serves_without_subcommand=True),
    "waitress-serve": Server(8080, bind=("--listen",), all_interfaces=True),
    # uWSGI serves nothing without a socket option; from an ini, see _uwsgi.
    "uwsgi": Server(8000, bind=("--http", "--http-socket"), needs_socket=True, stops_with="--die-on-term"),
}


def stop_on_term(argv: list[str], name: str) -> tuple[list[str], str]:
    """``argv`` with the option that makes server ``name`` end on SIGTERM, and a note of it."""
    option = SERVERS[name].stops_with if name in SERVERS else ""
    if not option or option in argv:
        return argv, ""
    return [*argv, option], f"added {option} ({name} does not end on SIGTERM, which docker stop sends, without it)"


def server_of(argv: list[str]) -> tuple[str, int]:
    """The server a command runs and the index of its name (``python -m gunicorn`` too)."""
    if not argv:
        return "", -1
    name = PurePosixPath(argv[0]).name
    if name.startswith("python") and len(argv) > 2 and argv[1] == "-m":
        return argv[2], 2
    return name, 0


def serves(argv: list[str]) -> bool:
    """``argv`` runs a known server in the way that makes it serve (``flask run``, not ``flask db upgrade``)."""
    name, at = server_of(argv)
    server = SERVERS.get(name)
    if server is None:
        return False
    return not server.subcommand or server.serves_without_subcommand or server.subcommand in argv[at + 1 :]


def _option(argv: list[str], flags: tuple[str, ...], start: int) -> tuple[int, str] | None:
    """(index of the value, value) of the first of ``flags`` in ``argv`` (``-b X``, ``--bind=X``)."""
    for i in range(start, len(argv)):
        word = argv[i]
        for flag in flags:
            if word == flag and i + 1 < len(argv):
                return i + 1, argv[i + 1]
            if word.startswith(flag + "=") and flag.startswith("--"):
                return i, word[len(flag) + 1 :]
    return None


def _set(argv: list[str], found: tuple[int, str], value: str, flag_form: bool) -> None:
    index, old = found
    argv[index] = argv[index][: len(argv[index]) - len(old)] + value if flag_form else value


class Listening(NamedTuple):
    argv: list[str]  # the command, listening on 0.0.0.0
    port: int | None  # the port it serves
    change: str  # a note of what changed ('' if nothing)
    named: bool  # the port is one the command's own options name, not a default


def listen_on_all(argv: list[str], port: int | None) -> Listening:
    """``argv`` listening on 0.0.0.0 and the port it serves; a command that is not a known
    server comes back unchanged with ``port``."""
    name, at = server_of(argv)
    server = SERVERS.get(name)
    if server is None:
        return Listening(argv, port, "", False)
    argv, stop_change = stop_on_term(list(argv), name)
    changes = [stop_change] if stop_change else []
    start = at + 1
    if server.subcommand:
        if server.subcommand not in argv[start:]:
            if not server.serves_without_subcommand:
                return Listening(argv, port, "", False)
            argv.insert(start, server.subcommand)
        start = argv.index(server.subcommand, start) + 1
    if server.bind:
        found = _option(argv, server.bind, start)
        if found is None:
            wanted = port or server.port
            argv[start:start] = [server.bind[-1], f"0.0.0.0:{wanted}"]
            without = ("serves nothing" if server.needs_socket else
                       f"listens on {'all interfaces' if server.all_interfaces else '127.0.0.1'}:{server.port}")
            changes.append(f"added {server.bind[-1]} 0.0.0.0:{wanted} ({name} {without} without it)")
            return Listening(argv, wanted, "; ".join(changes), False)
        value = found[1]
        if value.startswith(("unix:", "fd://")):
            return Listening(argv, None, "", False)  # a socket file: no TCP port
        host, _, bound = value.rpartition(":")
        written = number(bound)
        bound_port = written if written is not None else (port or server.port)
        if not host and written is None:  # --bind HOST alone
            host = value
        if host in _LOOPBACK:
            _set(argv, found, f"0.0.0.0:{bound_port}", found[1] != argv[found[0]])
            changes.append(f"{value} is loopback: listening on 0.0.0.0:{bound_port} instead")
        return Listening(argv, bound_port, "; ".join(changes), written is not None)
    host = _option(argv, server.host, start)
    port_option = _option(argv, server.port_flags, start)
    named = port_option is not None and number(port_option[1]) is not None
    if named:
        wanted = number(port_option[1])
    else:
        wanted = port or server.port
        if port_option is None:
            argv += [server.port_flags[-1], str(wanted)]
    if host is None:
        argv[start:start] = [server.host[-1], "0.0.0.0"]
        changes.append(f"added {server.host[-1]} 0.0.0.0 ({name} listens on 127.0.0.1 without it)")
    elif host[1] in _LOOPBACK:
        _set(argv, host, "0.0.0.0", host[1] != argv[host[0]])
        changes.append(f"{host[1]} is loopback: listening on 0.0.0.0 instead")
    return Listening(argv, wanted, "; ".join(changes), named)
