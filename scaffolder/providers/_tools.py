"""Programs a project runs at run time, read from its source, and their Debian packages.

Only what the source states reliably: a literal command name in Go's ``exec.Command``,
``exec.CommandContext`` and ``exec.LookPath``, and in C's ``execlp``/``execvp``/``posix_spawnp``
(a ``system()`` or ``popen()`` line runs ``/bin/sh`` with its first word). Each becomes the
``<language>_runtime_packages`` answer through the Debian table (``debian.toml``), with the file
and line; a command the table does not know is a note naming where it is run.

Only the tools the program cannot work without become packages: a tool the program relies on
is run from where it starts (the file holding main(), the Go main package) or from more than one
source file. A tool run from one other file only is one feature's (a screen that runs strace, an
integration probed with LookPath, a git lookup that falls back when git is missing): a note
naming where, and the runtime-packages answer adds it when the image needs that feature.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from scaffolder.providers import LIKELY, Detection
from scaffolder.providers._debian import table

# CommandContext's first argument is the context; Command's and LookPath's is the command itself
# (a variable there, exec.Command(path, "--flag"), names no command).
_GO_CALL = re.compile(
    r'\bexec\.(?:Command|LookPath)\(\s*"([^"\\]+)"|\bexec\.CommandContext\(\s*[A-Za-z_][\w.]*(?:\(\))?\s*,\s*"([^"\\]+)"'
)
_C_EXEC = re.compile(rb'\b(?:execlp|execvp|execvpe|posix_spawnp)\s*\((?:[^,"]*,\s*)?"([^"\\]+)"')
_C_SHELL = re.compile(rb'\b(?:system|popen)\s*\(\s*"\s*([^"\s\\]+)')


def go_commands(files: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(command, file:line (call)) for each literal command the Go code runs; ``files`` are
    (path, code without comments)."""
    found = []
    for path, code in files:
        for match in _GO_CALL.finditer(code):
            call = match.group(0).split("(", 1)[0]
            found.append((match.group(1) or match.group(2), f"{path}:{code.count(chr(10), 0, match.start()) + 1} ({call})"))
    return found


def c_commands(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """The same for C and C++ sources (path, bytes); system() and popen() also run /bin/sh."""
    found = []
    for path, data in files:
        for pattern, shell in ((_C_EXEC, False), (_C_SHELL, True)):
            for match in pattern.finditer(data):
                line = data.count(b"\n", 0, match.start()) + 1
                call = match.group(0).split(b"(", 1)[0].decode().strip()
                where = f"{path}:{line} ({call})"
                if shell:
                    found.append(("sh", where))
                found.append((match.group(1).decode(errors="replace"), where))
    return found


def add_runtime_packages(
    det: Detection, question: str, commands: list[tuple[str, str]], release: str, main_files: Iterable[str]
) -> None:
    """Record ``question`` (a runtime-packages answer) from the commands found, if any;
    ``main_files`` are the files the program starts in (see the module's docstring)."""
    tools = table(release).tools
    starts = set(main_files)
    files_of: dict[str, set[str]] = {}
    for command, where in commands:
        files_of.setdefault(posixpath.basename(command), set()).add(where.rsplit(":", 1)[0])
    packages: dict[str, list[str]] = {}
    unknown: dict[str, str] = {}
    optional: dict[str, tuple[str, str]] = {}
    for command, where in commands:
        name = posixpath.basename(command)
        package = tools.get(name)
        if package and len(files_of[name]) < 2 and not files_of[name] & starts:
            optional.setdefault(name, (package, where))
        elif package:
            packages.setdefault(package, []).append(f"{where} runs {name}")
        elif name and "$" not in name and "%" not in name:
            unknown.setdefault(name, where)
    for name, (package, where) in optional.items():
        if package not in packages:
            det.notes.append(
                f"optional tool: {where} runs {name}, only there (one feature, not the program's start or core);"
                f" add {package} to {question} if the image needs it"
            )
    for name, where in unknown.items():
        det.notes.append(f"{where} runs {name}, which no Debian package in scaffold's table provides: add its package to {question}")
    if packages:
        det.add(question, sorted(packages), "; ".join(f"{', '.join(w)} -> {p}" for p, w in sorted(packages.items())), LIKELY)
