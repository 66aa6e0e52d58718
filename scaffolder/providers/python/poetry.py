"""Poetry: [tool.poetry] or a poetry backend, installed with ``poetry install --only main``."""

from __future__ import annotations

from scaffolder._repo import Repo
from scaffolder.providers import Detection
from scaffolder.providers.python._manager import Manager, Pyproject, read_lock


def find(repo: Repo, det: Detection, pyproject: Pyproject) -> Manager | None:
    poetry = pyproject.tool("poetry")
    locked = repo.exists("poetry.lock")
    if not (locked or (poetry and ("dependencies" in poetry or "name" in poetry)) or pyproject.backend.startswith("poetry")):
        return None
    manager = Manager("poetry", "poetry.lock" if locked else "pyproject.toml [tool.poetry]")
    if locked:
        read_lock(repo, "poetry.lock")
        manager.locks.append("poetry.lock")
    else:
        det.notes.append("Poetry project without poetry.lock: the build resolves versions each time; run `poetry lock` and commit it")
    # package-mode = false: Poetry manages the dependencies only; the project itself never installs.
    package_mode = poetry.boolean("package-mode", True)
    installs = package_mode and (pyproject.has_build_system or bool(poetry.string("name")) or bool(pyproject.project.string("name")))
    manager.own("python_install_project", installs, "pyproject.toml [tool.poetry] package-mode = false" if not package_mode
                else "pyproject.toml: a Poetry package")
    return manager
