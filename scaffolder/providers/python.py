"""Python: requirements files, pipenv, PyInstaller or a single script."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import LIKELY, Detection, Fact

name = "python"

SUPPORTED_VERSIONS = ("3.11", "3.12", "3.13")
DEFAULT_VERSION = "3.13"

_FLASK_APP = re.compile(r"^(\w+)\s*=\s*(?:flask\.)?Flask\(", re.MULTILINE)
_FASTAPI_APP = re.compile(r"^(\w+)\s*=\s*(?:fastapi\.)?FastAPI\(", re.MULTILINE)
_PORT = re.compile(r"\bport\s*=\s*(\d{2,5})")
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirement_names(repo: Repo, rel: str) -> list[str]:
    names = []
    for number, raw in enumerate(repo.read_text(rel).splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or line.startswith("-"):
            continue
        match = _REQ_NAME.match(line)
        if not match:
            raise InputError(rel, f"not a requirement: {raw.strip()!r}", line=number, hint="expected e.g. `flask==3.1`")
        names.append(match.group(1).lower().replace("_", "-"))
    return names


def _pipfile_packages(repo: Repo) -> tuple[list[str], str | None]:
    data = repo.read_toml("Pipfile")
    packages = [p.lower() for p in data.get("packages", {})]
    version = data.get("requires", {}).get("python_version")
    return packages, version


def detect(repo: Repo) -> Detection | None:
    py_files = [f for f in repo.files if f.endswith(".py")]
    manifests = [m for m in ("Pipfile", "requirements.txt", "pyproject.toml") if repo.exists(m)]
    if not (py_files or manifests):
        return None
    det = Detection(name, manifests[0] if manifests else "*.py files")
    deps: list[str] = []
    managers: list[Fact] = []
    if repo.exists("Pipfile"):
        if repo.exists("Pipfile.lock"):
            repo.read_json("Pipfile.lock")
        packages, version = _pipfile_packages(repo)
        deps += packages
        managers.append(Fact("python_manager", "pipenv", "Pipfile"))
        if version:
            det.add("python_version", str(version), "Pipfile [requires] python_version")
    if repo.exists("requirements.txt"):
        deps += _requirement_names(repo, "requirements.txt")
        managers.append(Fact("python_manager", "pip", "requirements.txt"))
    if not managers:
        managers.append(Fact("python_manager", "pip", "no dependency manifest", LIKELY))
    det.choose("python_manager", managers, "several dependency manifests: pick the source of truth")

    if repo.exists(".python-version"):
        text = repo.read_text(".python-version").strip()
        match = re.match(r"^(\d+\.\d+)", text)
        if not match:
            raise InputError(".python-version", f"not a Python version: {text!r}", line=1, hint="expected e.g. 3.13")
        det.add("python_version", match.group(1), ".python-version")
    if not any(f.name == "python_version" for f in det.facts):
        det.add("python_version", DEFAULT_VERSION, "no version pin; newest supported", LIKELY)

    _detect_start(repo, det, py_files, deps)
    return det


def _detect_start(repo: Repo, det: Detection, py_files: list[str], deps: list[str]) -> None:
    for path in py_files:
        text = repo.read_text(path)
        module = path[:-3].replace("/", ".")
        for pattern, framework in ((_FLASK_APP, "flask"), (_FASTAPI_APP, "fastapi")):
            match = pattern.search(text)
            if not match:
                continue
            var = match.group(1)
            port_match = _PORT.search(text)
            port = int(port_match.group(1)) if port_match else (5000 if framework == "flask" else 8000)
            target = f"{module}:{var}"
            if framework == "flask":
                if "gunicorn" in deps:
                    cmd = ["gunicorn", "--bind", f"0.0.0.0:{port}", target]
                else:
                    cmd = ["flask", "--app", target, "run", "--host", "0.0.0.0", "--port", str(port)]
            else:
                cmd = ["uvicorn", target, "--host", "0.0.0.0", "--port", str(port)]
            det.add("start_command", cmd, f"{path} ({framework} app object `{var}`)", LIKELY)
            det.add("port", port, f"{path}" if port_match else f"{framework} default", LIKELY)
            return
    mains = [f for f in py_files if PurePosixPath(f).name == "__main__.py" and f.count("/") == 1]
    if len(mains) == 1:
        package = PurePosixPath(mains[0]).parent.name
        det.add("start_command", ["python", "-m", package], mains[0])
        return
    roots = [f for f in py_files if "/" not in f and f not in {"setup.py", "conftest.py", "noxfile.py"}]
    if len(roots) == 1:
        det.add("start_command", ["python", roots[0]], f"{roots[0]} (single script)")
        return
    det.ask("start_command", "no entry point found: give the command that starts the app", [
        Fact("start_command", ["python", r], r, LIKELY) for r in roots
    ])
