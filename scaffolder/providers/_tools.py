"""Programs a project runs at run time, read from its source, and their Debian packages.

Only what the source states reliably: a literal command name in Go's ``exec.Command``,
``exec.CommandContext`` and ``exec.LookPath``, in C's ``exec*``/``posix_spawn*`` calls by name or
by path, as a literal or a string constant of the same file (a ``system()`` or ``popen()`` line
runs ``/bin/sh`` with its first word), and in Python's
``subprocess`` calls, ``os.system``/``os.popen``, ``os.exec*p`` and ``shutil.which`` (parsed,
never run; ``shell=True``, ``os.system`` and ``os.popen`` run ``/bin/sh``). Each becomes the
``<language>_runtime_packages`` answer through the Debian table (``debian.toml``), with the file
and line; a command the table does not know is a note naming where it is run.

Only the tools the program cannot work without become packages: a tool the program relies on
is run from where it starts (the file holding main(), the Go main package) or from more than one
source file. A tool run from one other file only is one feature's (a screen that runs strace, an
integration probed with LookPath, a git lookup that falls back when git is missing): a note
naming where, and the runtime-packages answer adds it when the image needs that feature. A shell
the C code spawns itself (``posix_spawn`` of ``/bin/sh -c``) is the program's wherever it is.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable
from typing import NamedTuple

from scaffolder.providers import LIKELY, Detection
from scaffolder.providers._debian import table

# CommandContext's first argument is the context; Command's and LookPath's is the command itself
# (a variable there, exec.Command(path, "--flag"), names no command).
_GO_CALL = re.compile(
    r'\bexec\.(?:Command|LookPath)\(\s*"([^"\\]+)"|\bexec\.CommandContext\(\s*[A-Za-z_][\w.]*(?:\(\))?\s*,\s*"([^"\\]+)"'
)
# A C call that runs a program: exec*/posix_spawn* by path or by name (posix_spawn's path is its
# second argument), system()/popen() through /bin/sh. Not a member call (obj.system(...)).
_C_CALL = re.compile(rb"(?<![\w.>:])(execl|execle|execlp|execv|execve|execvp|execvpe|posix_spawnp?|system|popen)\s*\(")
_C_LITERAL = re.compile(rb'\s*"((?:\\.|[^"\\])*)"\s*$')
# A string constant the call may name instead of a literal: #define SHELL "/bin/sh", a
# const char *shell = "/bin/sh" (or char shell[] = ..., std::string), an argv array's first item.
_C_CONSTANT = re.compile(rb'#[ \t]*define[ \t]+(\w+)[ \t]+"([^"\\\n]*)"|\b(\w+)[ \t]*(?:\[[ \t]*\])?[ \t]*=[ \t]*"([^"\\\n]*)"'
                         rb'|\b(\w+)[ \t]*\[[ \t]*\d*[ \t]*\][ \t]*=[ \t]*\{[ \t\n]*"([^"\\\n]*)"')
_C_NAME = re.compile(rb"\s*([A-Za-z_]\w*)\s*(?:\[\s*0\s*\]|\.c_str\(\s*\))?\s*$")
_C_QUOTED = {b'"': re.compile(rb'"(?:\\.|[^"\\\n])*"'), b"'": re.compile(rb"'(?:\\.|[^'\\\n])*'")}
_C_PATHS_H = {b"_PATH_BSHELL": b"/bin/sh"}  # <paths.h>
# Shells: a program that spawns one itself runs the commands it is given through it (ninja's build
# rules, a hook): the shell is the program's, not one feature's.
SHELLS = frozenset({"sh", "bash", "dash"})


class Command(NamedTuple):
    """A program the code runs: its name or path as written, where (file:line (call)), and
    whether it is the program's own shell, needed wherever it is run (see SHELLS)."""

    program: str
    where: str
    own_shell: bool = False

    @property
    def name(self) -> str:
        return posixpath.basename(self.program)


def _c_arguments(data: bytes, start: int, wanted: int) -> list[bytes]:
    """The first ``wanted`` arguments of the call whose "(" ends at ``start``, as written."""
    args, depth, begin, i, end = [], 0, start, start, min(len(data), start + 2000)
    while i < end and len(args) < wanted:
        ch = data[i : i + 1]
        if ch in (b'"', b"'"):
            close = _C_QUOTED[ch].match(data, i)
            i = close.end() if close else i + 1
            continue
        if ch in b"([{":
            depth += 1
        elif ch in b")]}":
            if depth == 0:
                args.append(data[begin:i])
                break
            depth -= 1
        elif ch == b"," and depth == 0:
            args.append(data[begin:i])
            begin = i + 1
        i += 1
    return args


def go_commands(files: Iterable[tuple[str, str]]) -> list[Command]:
    """Each literal command the Go code runs; ``files`` are (path, code without comments)."""
    found = []
    for path, code in files:
        for match in _GO_CALL.finditer(code):
            call = match.group(0).split("(", 1)[0]
            found.append(Command(match.group(1) or match.group(2), f"{path}:{code.count(chr(10), 0, match.start()) + 1} ({call})"))
    return found


def c_commands(files: Iterable[tuple[str, bytes]]) -> list[Command]:
    """The same for C and C++ sources (path, code without comments), with whether the command is
    the program's own shell: a program run by path or name, as a literal or a string
    constant of the same file (execl(SHELL, ...), posix_spawn(&pid, "/bin/sh", ...)); system()
    and popen() run /bin/sh with their literal command's first word."""
    found = []
    for path, data in files:
        constants = dict(_C_PATHS_H)
        for m in _C_CONSTANT.finditer(data):
            name, value = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i))
            constants.setdefault(name, value)
        for match in _C_CALL.finditer(data):
            call = match.group(1).decode()
            line = data.count(b"\n", 0, match.start()) + 1
            where = f"{path}:{line} ({call})"
            wanted = 2 if call.startswith("posix_spawn") else 1
            args = _c_arguments(data, match.end(), wanted)
            if len(args) < wanted:
                continue
            literal = _C_LITERAL.match(args[-1])
            if call in ("system", "popen"):
                words = literal.group(1).split() if literal else []
                if words and b"\\" not in words[0]:
                    found += [Command("sh", where), Command(words[0].decode(errors="replace"), where)]
                continue
            name = None if literal else _C_NAME.match(args[-1])
            program = literal.group(1) if literal else constants.get(name.group(1)) if name else None
            if program:
                command = program.decode(errors="replace")
                found.append(Command(command, where, posixpath.basename(command) in SHELLS))
    return found


_PY_SUBPROCESS = {"run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput"}
_PY_OS = {"system", "popen", "execlp", "execlpe", "execvp", "execvpe", "spawnlp", "spawnlpe", "spawnvp", "spawnvpe"}
_PY_SHELL = {"system", "popen", "getoutput", "getstatusoutput"}  # always through /bin/sh


def python_commands(files: Iterable[tuple[str, ast.Module]]) -> list[Command]:
    """The same for Python modules (path, parsed tree): the literal program of a subprocess call
    (a list's first item, or a command string's first word), and "sh" when a shell runs it."""
    found = []
    for path, tree in files:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)):
                continue
            owner, name = node.func.value.id, node.func.attr
            if not ((owner == "subprocess" and name in _PY_SUBPROCESS) or (owner == "os" and name in _PY_OS)
                    or (owner == "shutil" and name == "which")):
                continue
            where = f"{path}:{node.lineno} ({owner}.{name})"
            args = node.args[1:] if name.startswith("spawn") else node.args  # os.spawnlp(mode, file, ...)
            first = args[0] if args else next((k.value for k in node.keywords if k.arg in ("args", "cmd")), None)
            if name in _PY_SHELL or any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value
                                        for k in node.keywords):
                found.append(Command("sh", where))
            if isinstance(first, (ast.List, ast.Tuple)) and first.elts:
                first = first.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.split():
                found.append(Command(first.value.split()[0], where))
    return found


def add_runtime_packages(
    det: Detection, question: str, commands: list[Command], release: str, main_files: Iterable[str],
) -> set[str]:
    """Record ``question`` (a runtime-packages answer) from the commands found, if any, after the
    packages it already names (the libraries dependencies need); ``main_files`` are the files the
    program starts in (see the module's docstring); the program's own shell is needed wherever
    it is run. The commands the program needs (not the optional ones): those with a package and
    those the table does not know."""
    tools = table(release).tools
    starts = set(main_files)
    files_of: dict[str, set[str]] = {}
    core: set[str] = set()
    for command in commands:
        files_of.setdefault(command.name, set()).add(command.where.rsplit(":", 1)[0])
        if command.own_shell:
            core.add(command.name)
    packages: dict[str, list[str]] = {}
    unknown: dict[str, str] = {}
    optional: dict[str, tuple[str, str]] = {}
    for name, where, package in ((c.name, c.where, tools.get(c.name)) for c in commands):
        if package and len(files_of[name]) < 2 and not files_of[name] & starts and name not in core:
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
    before = next((f for f in det.facts if f.name == question and f.value), None)
    new = sorted(p for p in packages if not before or p not in before.value)
    if new:
        why = "; ".join(f"{', '.join(packages[p])} -> {p}" for p in new)
        det.add(question, [*before.value, *new] if before else new, f"{before.source}; {why}" if before else why, LIKELY)
    return {n for n in files_of if n not in optional and n and "$" not in n and "%" not in n}
