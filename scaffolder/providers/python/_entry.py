"""Start command and port: Procfile, Django, [project.scripts], Flask/FastAPI app objects located
in the code, __main__.py, a single script. Code is parsed (ast), never imported or run."""

from __future__ import annotations

import ast
import difflib
import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import CERTAIN, LIKELY, Detection, Fact
from scaffolder.providers.python import _servers, _state, _uwsgi
from scaffolder.providers.python._source import parse

DEFAULT_PORTS = {"flask": 5000, "fastapi": 8000, "django": 8000, "gunicorn": 8000, "uvicorn": 8000, "uwsgi": 8000}
_NOT_SCRIPTS = {"setup.py", "conftest.py", "noxfile.py", "fabfile.py", "tasks.py", "manage.py", "__init__.py"}
_SERVER_MODULES = {"http.server", "socketserver", "aiohttp", "tornado", "wsgiref", "socket", "bottle", "sanic"}
_PORT_IN_CMD = re.compile(r"(?:--port[= ]|--bind[= ]\S*:|-b \S*:|:)(\d{2,5})\b|\$\{PORT:-(\d{2,5})\}")
_ENV_VAR = re.compile(r"\$\{?PORT(?::-\d+)?\}?")


@dataclass(frozen=True)
class App:
    path: str
    module: str
    target: str  # module:variable or module:factory()
    framework: str  # flask | fastapi
    port: int | None
    src_dir: str  # "" or the directory to put on sys.path (src layout)


def module_of(path: str) -> tuple[str, str]:
    """Dotted module for a .py path and the import root it needs ("" or "src")."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    root = ""
    if parts[0] == "src" and len(parts) > 1:
        root, parts = "src", parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts), root


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _port_literal(tree: ast.Module) -> int | None:
    """port=N in a call (app.run, uvicorn.run, web.run_app), or ("host", N) passed to a server."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "port" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, int):
                    return kw.value.value
            for arg in node.args:
                if (isinstance(arg, ast.Tuple) and len(arg.elts) == 2 and isinstance(arg.elts[1], ast.Constant)
                        and isinstance(arg.elts[1].value, int) and isinstance(arg.elts[0], ast.Constant)
                        and isinstance(arg.elts[0].value, str)):
                    return arg.elts[1].value
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id.upper() == "PORT" and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int):
                return node.value.value
    return None


def _imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def find_apps(repo: Repo, py_files: list[str]) -> list[App]:
    apps: list[App] = []
    for path in py_files:
        text = repo.read_text(path)
        if "Flask" not in text and "FastAPI" not in text:
            continue
        tree = parse(repo, path)
        if tree is None:
            continue
        module, root = module_of(path)
        port = _port_literal(tree)
        found = False
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                framework = {"Flask": "flask", "FastAPI": "fastapi"}.get(_call_name(node.value))
                if framework and len(targets) == 1 and isinstance(targets[0], ast.Name):
                    apps.append(App(path, module, f"{module}:{targets[0].id}", framework, port, root))
                    found = True
        if not found:
            # An application factory: def create_app() -> Flask(...), callable with no arguments
            # (Flask's tutorial takes create_app(test_config=None)).
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and node.name in {"create_app", "make_app"} and _no_required_args(node.args):
                    framework = "flask" if "flask" in {i.split(".")[0] for i in _imports(tree)} else "fastapi"
                    apps.append(App(path, module, f"{module}:{node.name}()", framework, port, root))
    return apps


def _no_required_args(args: ast.arguments) -> bool:
    positional = args.posonlyargs + args.args
    return len(args.defaults) == len(positional) and all(d is not None for d in args.kw_defaults)


def _serve(app_target: str, framework: str, port: int, deps: set[str], src_dir: str) -> tuple[list[str], str]:
    """The command serving an app object, with the server found in the dependencies."""
    host = "0.0.0.0"
    if framework == "flask" or framework == "django-wsgi":
        if "gunicorn" in deps:
            extra = ["--chdir", src_dir] if src_dir else []
            return ["gunicorn", *extra, "--bind", f"{host}:{port}", app_target], "gunicorn"
        if "waitress" in deps:
            return ["waitress-serve", f"--listen={host}:{port}", app_target], "waitress"
        if framework == "flask":
            return ["flask", "--app", app_target, "run", "--host", host, "--port", str(port)], ""
        return [], ""
    if "uvicorn" in deps:
        extra = ["--app-dir", src_dir] if src_dir else []
        return ["uvicorn", app_target, *extra, "--host", host, "--port", str(port)], "uvicorn"
    if "hypercorn" in deps:
        return ["hypercorn", "--bind", f"{host}:{port}", app_target], "hypercorn"
    if "gunicorn" in deps and framework == "fastapi":
        return [], ""
    return [], ""


def detect_start(repo: Repo, det: Detection, py_files: list[str], deps: set[str], scripts: dict[str, str],
                 installs_project: bool, scripts_source: str = "pyproject.toml scripts", project_name: str = "") -> None:
    if repo.exists("Procfile") and _procfile(repo, det):
        return
    if _django(repo, det, py_files, deps):
        return
    if scripts and installs_project:
        scripts, aliases = one_name_per_program(scripts, project_name)
        scripts, helpers = main_module_program(scripts)
        if helpers:
            aliases = "; ".join(filter(None, (aliases, helpers)))
        if len(scripts) == 1:
            name, ref = next(iter(scripts.items()))
            alias_note = f"; {aliases}" if aliases else ""
            command, served, change, _ = _servers.listen_on_all([name], None)
            if change:  # the project is a server CLI (datasette): serve on all interfaces
                det.add("start_command", command, f"{scripts_source} {name} = {ref!r}{alias_note}; {change}", LIKELY)
                det.add("port", served, f"{name} default port", LIKELY)
                return
            det.add("start_command", [name], f"{scripts_source} {name} = {ref!r}{alias_note}", LIKELY)
            _port_from_code(repo, det, py_files)
            return
        det.ask("start_command", f"{len(scripts)} console scripts ({scripts_source}): pick the one the container runs",
                [Fact("start_command", [n], f"{scripts_source} {n}", LIKELY) for n in scripts])
        _port_from_code(repo, det, py_files)
        return
    if _framework_app(repo, det, py_files, deps):
        return
    _script(repo, det, py_files)


def one_name_per_program(scripts: dict[str, str], project_name: str) -> tuple[dict[str, str], str]:
    """Console scripts with one entry point under several names (httpie's ``http`` and ``https``)
    are one program, not a choice: keep the name the project (distribution) is named after, else
    the name the project's name starts with, else the shortest. Returns the scripts left, in their
    order, and what was merged ('' if nothing)."""
    by_entry: dict[str, list[str]] = {}
    for name, ref in scripts.items():
        by_entry.setdefault(ref, []).append(name)
    if len(by_entry) == len(scripts):
        return scripts, ""
    project = _canonical(project_name)
    kept: dict[str, str] = {}
    merged = []
    for ref, names in by_entry.items():
        exact = [n for n in names if project and _canonical(n) == project]
        prefix = [n for n in names if project and project.startswith(_canonical(n))]
        if exact:
            pick, why = exact[0], f"named after the project {project_name!r}"
        elif prefix:
            pick = max(prefix, key=len)
            why = f"the name the project {project_name!r} starts with"
        else:
            pick, why = min(names, key=len), "the shortest name" + (f" (none is the project's, {project_name!r})"
                                                                    if project_name else "")
        kept[pick] = ref
        if len(names) > 1:
            merged.append(f"{', '.join(names)} are one program ({ref!r}): {pick}, {why}")
    return {n: kept[n] for n in scripts if n in kept}, "; ".join(merged)


def main_module_program(scripts: dict[str, str]) -> tuple[dict[str, str], str]:
    """Of several programs, the one whose entry is a top-level package's ``__main__`` (what
    ``python -m PACKAGE`` runs: httpie's ``http``) is the project's program; scripts into
    subpackages (``httpie.manager.__main__``, its plugin manager) are its helpers. Returns the
    scripts left and what was set aside ('' if nothing)."""
    if len(scripts) < 2:
        return scripts, ""
    main = [n for n, ref in scripts.items() if re.fullmatch(r"[A-Za-z_]\w*\.__main__", ref.split(":", 1)[0].strip())]
    if len(main) != 1:
        return scripts, ""
    pick = main[0]
    others = ", ".join(f"{n} = {ref!r}" for n, ref in scripts.items() if n != pick)
    return {pick: scripts[pick]}, f"{pick} runs the package's __main__ ({scripts[pick]!r}); set aside as helpers: {others}"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _procfile(repo: Repo, det: Detection) -> bool:
    processes: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(repo.read_text("Procfile").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.+)$", line)
        if not match:
            raise InputError("Procfile", f"not a process line: {line!r}", line=number, hint="expected `web: gunicorn app:app`")
        processes[match.group(1)] = (match.group(2).strip(), number)
    if not processes:
        return False
    chosen = ["web"] if "web" in processes else list(processes)
    facts = []
    for name in chosen:
        text, number = processes[name]
        facts.append((name, text, number))
    if len(facts) > 1:
        det.ask("start_command", "the Procfile has several processes and no `web`: pick the one the container runs",
                [Fact("start_command", _command(t, _shell_steps(t, n)), f"Procfile:{n} ({p})", LIKELY) for p, t, n in facts])
        return True
    name, text, number = facts[0]
    port_match = _PORT_IN_CMD.search(text)
    port = int(port_match.group(1) or port_match.group(2)) if port_match else None
    steps = _shell_steps(text, number)
    at = _server_at(steps)
    server = _servers.SERVERS.get(_servers.server_of(_program(steps[at].values))[0]) if steps and at >= 0 else None
    port_value = port or (server.port if server else None)
    if port_value:
        text = _ENV_VAR.sub(str(port_value), text)
        steps = _shell_steps(text, number)
    source = f"Procfile:{number} ({name})"
    named = port_match is not None  # the Procfile writes the port (not a server's default)
    plain = _plain(text, steps)
    if plain and _servers.server_of(steps[0].values)[0] == "uwsgi":
        words = steps[0].values
        served = _uwsgi.serve(repo, words, _servers.server_of(words)[1], f"Procfile:{number}")
        if served is not None:
            _uwsgi_facts(det, served, source)
            return True
    if steps and at >= 0:
        # A server told nothing about its host listens on 127.0.0.1: unreachable in a container,
        # also when the steps before it (migrations, compiled translations) run first.
        listening = _servers.listen_on_all(_program(steps[at].values), port_value)
        steps[at] = steps[at].rewritten(listening.argv)
        if listening.change:
            source += f"; {listening.change}" + (f" (step {at + 1} of {len(steps)})" if len(steps) > 1 else "")
        if port is None and listening.port:
            port, named = listening.port, listening.named
            port_source = f"{_servers.server_of(listening.argv)[0]} default port"
    command = _command(text, steps, plain)
    det.add("start_command", command, source, CERTAIN)
    if port is not None:
        det.add("port", port, f"Procfile:{number}" if named else port_source, CERTAIN if named else LIKELY)
    elif name == "web":
        det.ask("port", f"the Procfile's web process (Procfile:{number}) names no port", [])
    else:
        det.add("port", 0, f"Procfile:{number} ({name} is not a web process)", LIKELY)
    return True


def _uwsgi_facts(det: Detection, served: _uwsgi.Served, source: str) -> None:
    """The start command, port and environment of uWSGI started from its ini."""
    det.add("start_command", served.argv, "; ".join([source, *served.changes]), CERTAIN)
    if served.port is None:
        det.add("port", DEFAULT_PORTS["uwsgi"], f"{served.port_source} to the recorded port "
                f"({DEFAULT_PORTS['uwsgi']}, the Python servers' usual one, unless answered)", LIKELY)
    else:
        det.add("port", served.port, served.port_source, CERTAIN)
    sets = ", ".join(f"{name} ({_uwsgi.IMAGE_SETS[name]})" for name in served.env)
    det.add("python_server_env", served.env, f"{served.ini} reads $(NAME): "
            f"the image sets {sets}" if served.env else "uWSGI's ini reads no variable the image sets", LIKELY)
    det.notes.extend(served.notes)


@dataclass(frozen=True)
class _Step:
    """One command of a shell list: its words as written (quotes kept) and as the shell passes
    them, and the operator after it ('' for the last)."""

    raw: list[str]
    values: list[str]
    operator: str

    def rewritten(self, values: list[str]) -> _Step:
        """The step running ``values`` after its own prefix (``exec``, NAME=value): words kept
        as written where they are unchanged (so ``$VAR`` still expands), the others quoted."""
        n = _prefix(self.values)
        words = self.raw[:n]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, self.values[n:], values, autojunk=False).get_opcodes():
            words += self.raw[n + i1 : n + i2] if op == "equal" else [shlex.quote(v) for v in values[j1:j2]]
        return _Step(words, [*self.values[:n], *values], self.operator)


_OPERATORS = ("&&", "||", ";")


def _shell_steps(text: str, number: int) -> list[_Step] | None:
    """``text`` as the list of commands a shell runs (split at ; && || outside quotes); None
    when it holds what this reader does not follow (a pipe, a background job, a redirection,
    a subshell, a command substitution, a comment), which then runs as written. A quote that
    does not close is an error: no shell could run the line."""
    steps: list[_Step] = []
    raw: list[str] = []
    word, quote, i = None, "", 0  # word: the word being read as written (None between words)
    while i < len(text):
        c, ahead = text[i], text[i + 1 : i + 2]
        if quote:
            if c == "\\" and quote == '"' and ahead:
                c, i = c + ahead, i + 1
            elif c == quote:
                quote = ""
            elif quote == '"' and (c == "`" or c + ahead == "$("):
                return None
            word = (word or "") + c
        elif c == "\\":
            if not ahead:
                raise InputError("Procfile", "cannot split the command: No escaped character", line=number,
                                 hint="end the line with a word, as a shell would need")
            word, i = (word or "") + c + ahead, i + 1
        elif c.isspace() or text.startswith(_OPERATORS, i):
            if word is not None:
                raw.append(word)
            word = None
            operator = next((o for o in _OPERATORS if text.startswith(o, i)), "")
            if operator:
                if not raw:
                    return None
                steps.append(_step(raw, operator))
                raw = []
                i += len(operator) - 1
        elif c in "|&<>()`" or c + ahead == "$(" or (c == "#" and word is None):
            return None
        else:
            quote = c if c in "'\"" else ""
            word = (word or "") + c
        i += 1
    if quote:
        raise InputError("Procfile", "cannot split the command: No closing quotation", line=number,
                         hint="close the quote, as a shell would need")
    if word is not None:
        raw.append(word)
    if not raw:
        return None if steps else []
    return [*steps, _step(raw, "")]


def _step(raw: list[str], operator: str) -> _Step:
    return _Step(raw, [shlex.split(w)[0] if shlex.split(w) else "" for w in raw], operator)


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def _prefix(values: list[str]) -> int:
    """How many words before the step's program: ``exec`` and NAME=value assignments."""
    n = 0
    while n < len(values) and (values[n] == "exec" or _ASSIGNMENT.match(values[n])):
        n += 1
    return n


def _program(values: list[str]) -> list[str]:
    """The step's program and its arguments, without ``exec`` or assignments before it."""
    return values[_prefix(values):]


def _server_at(steps: list[_Step] | None) -> int:
    """The index of the first step that runs a known server (-1 for none)."""
    return next((i for i, step in enumerate(steps or []) if _servers.serves(_program(step.values))), -1)


def _command(text: str, steps: list[_Step] | None, plain: bool | None = None) -> list[str]:
    """Exec form when the command is plain words; a shell only when it needs one ($VAR, ;, &&, |,
    NAME=value before the program)."""
    if plain is None:
        plain = _plain(text, steps)
    if plain and steps:
        return steps[0].values
    if steps:
        return ["sh", "-c", _shell_text(steps)]
    # What the reader does not follow runs as written (exec'd when it is one command).
    return ["sh", "-c", f"exec {text}" if not any(o in text for o in _OPERATORS) else text]


def _plain(text: str, steps: list[_Step] | None) -> bool:
    return steps is not None and len(steps) == 1 and not _needs_shell(text) and _prefix(steps[0].values) == 0


def _needs_shell(text: str) -> bool:
    """The command needs a shell: $VAR, lists, pipes, redirections."""
    return re.search(r"[$&|;<>`]", text) is not None


def _shell_text(steps: list[_Step]) -> str:
    """The steps as one shell command line; the last one is exec'd, so the server (or whatever
    runs last) is the container's process and gets docker stop's SIGTERM, not the shell."""
    last = steps[-1]
    if "exec" not in last.values[: _prefix(last.values)]:
        n = _prefix(last.values)  # FOO=1 exec prog: the shell passes FOO to prog
        steps = [*steps[:-1], _Step([*last.raw[:n], "exec", *last.raw[n:]], [*last.values[:n], "exec", *last.values[n:]], "")]
    text = ""
    for step in steps:
        text += " ".join(step.raw) + {";": "; ", "": ""}.get(step.operator, f" {step.operator} ")
    return text


def _django(repo: Repo, det: Detection, py_files: list[str], deps: set[str]) -> bool:
    if not repo.exists("manage.py"):
        return False
    manage = repo.read_text("manage.py")
    if "django" not in deps and "DJANGO_SETTINGS_MODULE" not in manage:
        return False
    match = re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]", manage)
    settings_module = match.group(1) if match else ""
    settings_paths = [f"{settings_module.replace('.', '/')}.py", f"{settings_module.replace('.', '/')}/__init__.py"]
    wsgi = asgi = ""
    source = "manage.py"
    for path in settings_paths + [f for f in py_files if PurePosixPath(f).name.startswith("settings")]:
        if not repo.exists(path):
            continue
        text = repo.read_text(path)
        w = re.search(r"^WSGI_APPLICATION\s*=\s*['\"]([\w.]+)['\"]", text, re.MULTILINE)
        a = re.search(r"^ASGI_APPLICATION\s*=\s*['\"]([\w.]+)['\"]", text, re.MULTILINE)
        if w or a:
            wsgi = w.group(1) if w else ""
            asgi = a.group(1) if a else ""
            source = path
            break
    if not wsgi and not asgi:
        for path in py_files:
            name = PurePosixPath(path).name
            if name == "wsgi.py" and "get_wsgi_application" in repo.read_text(path):
                wsgi = module_of(path)[0] + ".application"
                source = path
            elif name == "asgi.py" and "get_asgi_application" in repo.read_text(path):
                asgi = module_of(path)[0] + ".application"
    port = DEFAULT_PORTS["django"]
    use_asgi = asgi and "uvicorn" in deps and ("gunicorn" not in deps or not wsgi)
    if use_asgi:
        module, _, var = asgi.rpartition(".")
        command = ["uvicorn", f"{module}:{var}", "--host", "0.0.0.0", "--port", str(port)]
        det.add("start_command", command, f"{source} ASGI_APPLICATION {asgi}, served by uvicorn", LIKELY)
    elif wsgi and "gunicorn" in deps:
        module, _, var = wsgi.rpartition(".")
        command = ["gunicorn", "--bind", f"0.0.0.0:{port}", f"{module}:{var}"]
        det.add("start_command", command, f"{source} WSGI_APPLICATION {wsgi}, served by gunicorn", LIKELY)
    else:
        det.add("start_command", ["python", "manage.py", "runserver", f"0.0.0.0:{port}"],
                "manage.py (no gunicorn or uvicorn among the dependencies)", LIKELY)
        det.notes.append("Django is served by its development server: add gunicorn to the dependencies for production")
    det.add("port", port, "Django default", LIKELY)
    if source != "manage.py":
        _state.django(repo, det, source)
    if not any(f.name == "django_migrate" for f in det.facts):
        det.notes.append("Django: migrations are not run at start; run `manage.py migrate` as a release step")
    return True


def _framework_app(repo: Repo, det: Detection, py_files: list[str], deps: set[str]) -> bool:
    apps = find_apps(repo, py_files)
    if not apps:
        return False
    facts = []
    for app in apps:
        port = app.port or DEFAULT_PORTS[app.framework]
        command, server = _serve(app.target, app.framework, port, deps, app.src_dir)
        if not command:
            wanted = "uvicorn" if app.framework == "fastapi" else "gunicorn"
            det.ask("start_command", f"{app.framework} app {app.target} ({app.path}) but no server among the "
                    f"dependencies: add {wanted} to them, or give the command",
                    [Fact("start_command", [wanted, app.target, "--host", "0.0.0.0", "--port", str(port)]
                          if wanted == "uvicorn" else [wanted, "--bind", f"0.0.0.0:{port}", app.target],
                          f"{app.path} ({app.framework} app)", LIKELY)])
            det.add("port", port, app.path if app.port else f"{app.framework} default", LIKELY)
            return True
        served = f", served by {server}" if server else " (flask development server: add gunicorn to the dependencies)"
        facts.append((Fact("start_command", command, f"{app.path} ({app.framework} app `{app.target}`){served}", LIKELY),
                      Fact("port", port, app.path if app.port else f"{app.framework} default", LIKELY)))
    if len(facts) == 1:
        det.add(facts[0][0].name, facts[0][0].value, facts[0][0].source, LIKELY)
        det.add("port", facts[0][1].value, facts[0][1].source, LIKELY)
        if apps[0].framework == "flask":
            _state.flask_instance(repo, det, apps[0].path, py_files)
        return True
    det.ask("start_command", f"{len(facts)} web app objects found: pick the one the container serves", [f for f, _ in facts])
    det.choose("port", [p for _, p in facts], "the app objects listen on different ports")
    return True


def _script(repo: Repo, det: Detection, py_files: list[str]) -> None:
    mains = [f for f in py_files if PurePosixPath(f).name == "__main__.py"
             and (f.count("/") == 1 or (f.startswith("src/") and f.count("/") == 2))]
    if len(mains) == 1:
        package, root = module_of(str(PurePosixPath(mains[0]).parent))
        command = ["python", "-m", package] if package else ["python", "."]
        det.add("start_command", command, f"{mains[0]}", LIKELY)
        _port_from_code(repo, det, [mains[0]])
        return
    roots = [f for f in py_files if "/" not in f and f not in _NOT_SCRIPTS and not f.startswith("test_")]
    if len(roots) > 1:
        with_main = [f for f in roots if "__main__" in repo.read_text(f)]
        if len(with_main) == 1:
            det.add("start_command", ["python", with_main[0]], f"{with_main[0]} (the one script with a __main__ block)", LIKELY)
            _port_from_code(repo, det, with_main)
            return
    if len(roots) == 1:
        det.add("start_command", ["python", roots[0]], f"{roots[0]} (single script)", LIKELY)
        _port_from_code(repo, det, roots)
        return
    det.ask("start_command", "no entry point found: give the command that starts the app (a list)",
            [Fact("start_command", ["python", r], r, LIKELY) for r in roots])
    if not roots:
        det.loose, det.loose_reason = True, "no entry point (console script, __main__.py, app object or script): it builds no program"
    if not any(f.name == "port" for f in det.facts):
        det.add("port", 0, "no server found in the code", LIKELY)


def _port_from_code(repo: Repo, det: Detection, files: list[str]) -> None:
    """A plain program serves a port only when its code says so; a server with no literal port is a question."""
    for path in files:
        tree = parse(repo, path)
        if tree is None:
            continue
        port = _port_literal(tree)
        imports = {i.split(".")[0] for i in _imports(tree)} | _imports(tree)
        if port is not None and imports & (_SERVER_MODULES | {"flask", "fastapi", "uvicorn"}):
            det.add("port", port, f"{path} (port literal)", LIKELY)
            return
        if imports & _SERVER_MODULES and "socket" not in imports:
            det.ask("port", f"{path} starts a server but names no port literal")
            return
    det.add("port", 0, "no server found in the code", LIKELY)
