"""Where a Python web app writes, as its framework documents it: Flask's instance folder, Django's
SQLite database, and Django's collected static files.

The app runs as a non-root user that cannot write its code (/app). The state it writes gets one
directory of its own (``python_state_dir``, a VOLUME in the final stage); a file the settings put
beside the code (Django's default ``BASE_DIR / "db.sqlite3"``) becomes a link into it
(``python_state_links``), and SQLite follows the link, journal included. Code is parsed (ast),
never imported.
"""

from __future__ import annotations

import ast
import posixpath
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


def _under_base(node: ast.AST) -> str:
    """``BASE_DIR / "a" / "b"``, ``os.path.join(BASE_DIR, "a", "b")``, ``str(...)`` or
    ``f"{BASE_DIR}/a"`` as the relative path "a/b"; '' for anything else."""
    parts: list[str] = []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Call) and ast.unparse(node.func) in {"os.path.join", "join", "Path"} and node.args:
        first, rest = node.args[0], node.args[1:]
        if not (isinstance(first, ast.Name) and first.id == "BASE_DIR"):
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
        if not (isinstance(node, ast.Name) and node.id == "BASE_DIR"):
            return ""
    else:
        return ""
    path = posixpath.normpath("/".join(p.strip("/") for p in parts if p.strip("/")))
    if path in ("", ".") or path.startswith(".."):
        return ""
    return path
