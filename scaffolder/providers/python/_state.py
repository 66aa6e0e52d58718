"""Where a Python app writes: Flask's instance folder, Django's SQLite database and collected
static files, as the frameworks document them, and what any app's code names to write in its
working directory or beside its modules (a log directory, a log file, a SQLite database).

The app runs as a non-root user that cannot write its code (/app). The state it writes gets one
directory of its own (``python_state_dir``, a VOLUME in the final stage); a file or directory the
code puts beside itself (Django's default ``BASE_DIR / "db.sqlite3"``, ``logs/``) becomes a link
into it (``python_state_links``, a directory ending in "/"), and SQLite follows the link, journal
included. Code is parsed (ast), never imported.
"""

from __future__ import annotations

import ast
import posixpath
import re
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.providers import LIKELY, Detection
from scaffolder.providers.python._source import parse

# Where state goes when the framework names no directory of its own inside the project.
DATA_DIR = "/data"
_FLASK_INSTANCE = ("instance_path", "instance_relative_config")


def flask_instance(repo: Repo, det: Detection, app_path: str, py_files: list[str]) -> None:
    """A Flask app that uses its instance folder writes to ``<the package's parent>/instance``
    (Flask's rule for a package that is not installed: the image runs it from /app)."""
    package = PurePosixPath(app_path).parent if PurePosixPath(app_path).name == "__init__.py" else None
    top = PurePosixPath(app_path).parts[0] if "/" in app_path else ""
    related = [f for f in py_files if f == app_path or (top and f.startswith(top + "/"))]
    users = [f for f in related if any(word in repo.read_text(f) for word in _FLASK_INSTANCE)]
    if not users:
        return
    # The folder the app module (or its package) sits in holds instance/.
    parent = (package.parent if package else PurePosixPath(app_path).parent).as_posix()
    folder = posixpath.normpath(posixpath.join("/app", parent, "instance"))
    det.add("python_state_dir", folder, f"{users[0]} uses Flask's instance folder ({folder}, beside the package)", LIKELY)


def django(repo: Repo, det: Detection, settings_path: str) -> None:
    """SQLite's database file and STATIC_ROOT, read from the settings (paths under BASE_DIR,
    taken as the directory of manage.py)."""
    tree = parse(repo, settings_path)
    if tree is None:
        return
    values = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
              for t in node.targets if isinstance(t, ast.Name)}
    static = values.get("STATIC_ROOT")
    if static is not None:
        root = _under_base(static)
        if root:
            det.add("django_static_root", root, f"{settings_path} STATIC_ROOT: collectstatic runs at build time", LIKELY)
        else:
            det.notes.append(f"{settings_path}: STATIC_ROOT is not a path under BASE_DIR scaffold can read; "
                             "answer --data django_static_root=DIR to collect static files at build time")
    database = _sqlite_name(values.get("DATABASES"))
    if database is None:
        return
    name = _under_base(database)
    if not name:
        det.notes.append(f"{settings_path}: the SQLite database's NAME is not a path under BASE_DIR scaffold can read; "
                         "answer --data python_state_dir=DIR to give the app a writable directory")
        return
    folder, file = posixpath.split(name)
    source = f"{settings_path} DATABASES default: SQLite {name}"
    if folder:
        det.add("python_state_dir", f"/app/{folder}", f"{source} (its directory is the state)", LIKELY)
    else:
        det.add("python_state_dir", DATA_DIR, f"{source}, beside the code: the database lives in {DATA_DIR}", LIKELY)
        det.add("python_state_links", [file], f"{source}: /app/{file} links to {DATA_DIR}/{file}", LIKELY)
    det.add("django_migrate", True, f"{source}: manage.py migrate creates it at build time", LIKELY)


# logging's handlers that open the file they are given (first argument or filename=).
_LOG_FILES = {"FileHandler", "RotatingFileHandler", "TimedRotatingFileHandler", "WatchedFileHandler"}
_SQLITE_URI = "sqlite:///"


def written_beside_code(repo: Repo, det: Detection, files: list[str]) -> None:
    """Files and directories the code names to write under /app (the working directory, or
    beside a module through a name bound to its ``__file__``'s directory): each becomes a link
    into the state directory. A file in a subdirectory is written with its siblings (a rotated
    log, SQLite's journal), so the subdirectory is the link, unless code lives in it."""
    places: dict[str, str] = {}  # path below the root ("/" ends a directory) -> where the code names it
    sqlite_in_instance = any("flask_sqlalchemy" in repo.read_text(f) for f in files)
    for path in files:
        tree = parse(repo, path)
        if tree is None:
            continue
        here = posixpath.dirname(path)
        bases = _module_dirs(tree, here)
        for node in ast.walk(tree):
            for place, is_dir, what in _writes(node, bases, sqlite_in_instance):
                if place:
                    where = f"{path}:{node.lineno} {what}"
                    places.setdefault(place + ("/" if is_dir else ""), where)
    code = set(repo.files)
    links: dict[str, str] = {}
    for place, where in places.items():
        folder = posixpath.dirname(place.rstrip("/"))
        if not place.endswith("/") and folder and not any(f.startswith(folder + "/") for f in code):
            place = folder + "/"
        if place.endswith("/") and any(f.startswith(place) for f in code):
            det.notes.append(f"{where}: writes in {place}, which holds code; give the app a writable place "
                             "with --data python_state_dir=DIR and python_state_links")
            continue
        links.setdefault(place, where)
    # A directory's link covers what is written in it.
    links = {p: w for p, w in links.items() if not any(o != p and o.endswith("/") and p.startswith(o) for o in links)}
    if not links:
        return
    state = next((f for f in det.facts if f.name == "python_state_dir"), None)
    have = next((f for f in det.facts if f.name == "python_state_links"), None)
    folder = state.value if state is not None else DATA_DIR
    if state is None:
        det.add("python_state_dir", DATA_DIR, f"the code writes beside itself: the state lives in {DATA_DIR}", LIKELY)
    names = [*(have.value if have is not None else []), *(p for p in links if p not in (have.value if have else []))]
    shown = "; ".join(f"{w}: /app/{p.rstrip('/')} links to {folder}/{posixpath.basename(p.rstrip('/'))}"
                      for p, w in links.items())
    det.add("python_state_links", names, "; ".join(filter(None, (have.source if have else "", shown))), LIKELY)


def _writes(node: ast.AST, bases: dict[str, str], sqlite_in_instance: bool) -> list[tuple[str, bool, str]]:
    """(path below the root, is a directory, what) for each place ``node`` writes."""
    if isinstance(node, ast.Call):
        func = ast.unparse(node.func)
        name = func.rsplit(".", 1)[-1]
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "filename"), None)
        if name in _LOG_FILES and first is not None:
            return [(_place(first, bases), False, f"{name} (a log file)")]
        if name == "basicConfig":
            given = next((k.value for k in node.keywords if k.arg == "filename"), None)
            return [(_place(given, bases), False, "logging.basicConfig(filename=...)")] if given is not None else []
        if func in {"os.mkdir", "os.makedirs", "mkdir", "makedirs"} and node.args:
            return [(_place(node.args[0], bases), True, f"{func}()")]
        if name == "mkdir" and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call) \
                and ast.unparse(node.func.value.func).rsplit(".", 1)[-1] == "Path" and node.func.value.args:
            return [(_place(node.func.value.args[0], bases), True, "Path(...).mkdir()")]
        if func == "sqlite3.connect" and node.args:
            return [(_place(node.args[0], bases), False, "sqlite3.connect (a SQLite database)")]
        return []
    uri: ast.AST | None = None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant) \
            and node.left.value == _SQLITE_URI:
        uri = node.right  # "sqlite:///" + os.path.join(basedir, "app.db")
    elif isinstance(node, ast.JoinedStr) and len(node.values) == 2 and isinstance(node.values[0], ast.Constant) \
            and node.values[0].value == _SQLITE_URI and isinstance(node.values[1], ast.FormattedValue):
        uri = node.values[1].value  # f"sqlite:///{path}"
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(_SQLITE_URI) \
            and not sqlite_in_instance:
        # A relative path after sqlite:/// is the working directory's (Flask-SQLAlchemy's is the instance folder's).
        uri = ast.Constant(node.value[len(_SQLITE_URI):])
    return [(_place(uri, bases), False, "a SQLite database URI")] if uri is not None else []


def _place(node: ast.AST, bases: dict[str, str]) -> str:
    """The path below the root that ``node`` names: a relative literal (from the working
    directory, /app) or a path under a name for a module's directory; '' for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.startswith("/") or ":" in node.value:  # absolute, or SQLite's :memory:
            return ""
        path = posixpath.normpath(node.value)
        return "" if path in ("", ".") or path.startswith("..") else path
    for name, folder in bases.items():
        below = _under_base(node, name)
        if below:
            return posixpath.normpath(posixpath.join(folder, below))
    return ""


# os.path.dirname(os.path.abspath(__file__)), Path(__file__).resolve().parent: wrappers that keep
# the path, and the steps that go up one directory.
_KEEPS_PATH = re.compile(r"\b(?:os\.path\.(?:abspath|realpath)|(?:pathlib\.)?Path|str)\(|\.(?:resolve|absolute)\(\)")
_UP = re.compile(r"os\.path\.dirname\(|\.parent\b")


def _module_dirs(tree: ast.Module, here: str) -> dict[str, str]:
    """Module-level names bound to a directory of the module's (``basedir`` of microblog's
    config.py, Django's ``BASE_DIR``), each with that directory below the root."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        text = ast.unparse(node.value)
        if "__file__" not in text:
            continue
        ups = len(_UP.findall(text))
        rest = _UP.sub("", _KEEPS_PATH.sub("", text)).replace("(", "").replace(")", "").replace(" ", "")
        if rest != "__file__" or ups < 1:
            continue
        folder = here
        for _ in range(ups - 1):
            if not folder:
                break
            folder = posixpath.dirname(folder)
        else:
            found[node.targets[0].id] = folder
    return found



def _sqlite_name(node: ast.AST | None) -> ast.AST | None:
    """NAME of DATABASES["default"] when its ENGINE is SQLite."""
    default = _key(node, "default")
    engine = _key(default, "ENGINE")
    if isinstance(engine, ast.Constant) and engine.value == "django.db.backends.sqlite3":
        return _key(default, "NAME")
    return None


def _key(node: ast.AST | None, key: str) -> ast.AST | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    return None


def _under_base(node: ast.AST, base: str = "BASE_DIR") -> str:
    """``BASE_DIR / "a" / "b"``, ``os.path.join(BASE_DIR, "a", "b")`` or ``str(...)`` of them
    as the relative path "a/b" (``base``: the name of the directory); '' for anything else."""
    parts: list[str] = []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Call) and ast.unparse(node.func) in {"os.path.join", "join", "Path"} and node.args:
        first, rest = node.args[0], node.args[1:]
        if not (isinstance(first, ast.Name) and first.id == base):
            return ""
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in rest):
            return ""
        parts = [a.value for a in rest]  # type: ignore[attr-defined]
    elif isinstance(node, ast.BinOp):
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, str)):
                return ""
            parts.insert(0, node.right.value)
            node = node.left
        if not (isinstance(node, ast.Name) and node.id == base):
            return ""
    else:
        return ""
    path = posixpath.normpath("/".join(p.strip("/") for p in parts if p.strip("/")))
    if path in ("", ".") or path.startswith(".."):
        return ""
    return path
