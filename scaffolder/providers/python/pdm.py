"""PDM: a pdm.lock, installed with ``pdm install --frozen-lockfile --prod``."""

from __future__ import annotations

from scaffolder._repo import Repo
from scaffolder.providers.python._manager import Manager, Pyproject, read_lock


def find(repo: Repo, pyproject: Pyproject) -> Manager | None:
    if not repo.exists("pdm.lock"):
        return None
    read_lock(repo, "pdm.lock")
    manager = Manager("pdm", "pdm.lock", locks=["pdm.lock"])
    pdm = pyproject.tool("pdm")
    # [tool.pdm] distribution says whether the project is a package; without it, [build-system] does.
    installs = pdm.boolean("distribution", pyproject.has_build_system)
    manager.own("python_install_project", installs, "pyproject.toml [tool.pdm] distribution" if "distribution" in pdm else (
        "pyproject.toml [build-system]" if pyproject.has_build_system else "pyproject.toml: no [build-system]"))
    return manager
