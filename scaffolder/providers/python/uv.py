"""uv: a uv.lock, installed with ``uv sync --locked``; a workspace's members install with the source."""

from __future__ import annotations

from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers.python._manager import Manager, Pyproject


def find(repo: Repo, pyproject: Pyproject) -> Manager | None:
    if not repo.exists("uv.lock"):
        return None
    lock = repo.toml_view("uv.lock")
    lock.tables("package")
    if "version" not in lock:
        raise InputError("uv.lock", "not a uv lock file: no `version` key", line=1, hint="regenerate it with `uv lock`")
    if not isinstance(lock.get("version"), int) or isinstance(lock.get("version"), bool):
        raise lock.error("version", "an integer")
    members = _members(repo, pyproject)
    manager = Manager("uv", "uv.lock", locks=["uv.lock", *members], parsed={"uv.lock": lock})
    if members:
        manager.own("python_workspace", True, "pyproject.toml [tool.uv.workspace] members")
    # A project without [build-system] is virtual to uv: only its dependencies install.
    installs = pyproject.tool("uv").boolean("package", pyproject.has_build_system)
    manager.own("python_install_project", installs, "pyproject.toml [build-system]: a package" if installs
                else "pyproject.toml: no [build-system], a virtual project")
    return manager


def _members(repo: Repo, pyproject: Pyproject) -> list[str]:
    """pyproject.toml of every uv workspace member (their manifests install before the source)."""
    workspace = pyproject.tool("uv").table("workspace")
    members = []
    excluded = workspace.strings("exclude")
    for pattern in workspace.strings("members"):
        for path in repo.glob(f"{pattern.rstrip('/')}/pyproject.toml"):
            directory = path.rsplit("/", 1)[0]
            if path.count("/") != pattern.rstrip("/").count("/") + 1:
                continue
            if any(PurePosixPath(directory).match(e) for e in excluded):
                continue
            repo.read_toml(path)
            members.append(path)
    return sorted(set(members))
