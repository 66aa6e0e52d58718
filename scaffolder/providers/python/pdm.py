"""PDM: a pdm.lock, exported with its hashes by ``pdm export --prod`` and installed by uv."""

from __future__ import annotations

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers.python._manager import Manager, Pyproject, read_lock


def find(repo: Repo, pyproject: Pyproject) -> Manager | None:
    if not repo.exists("pdm.lock"):
        return None
    lock = read_lock(repo, "pdm.lock")
    # `pdm export` refuses a lock without environment markers (PDM before 2.11 wrote them so).
    if "inherit_metadata" not in lock.table("metadata").strings("strategy"):
        raise InputError("pdm.lock", "locked without the inherit_metadata strategy, so `pdm export` cannot read it",
                         hint="run `pdm lock --strategy inherit_metadata` with PDM 2.11 or later")
    manager = Manager("pdm", "pdm.lock", locks=["pdm.lock"])
    pdm = pyproject.tool("pdm")
    # [tool.pdm] distribution says whether the project is a package; without it, [build-system] does.
    installs = pdm.boolean("distribution", pyproject.has_build_system)
    manager.own("python_install_project", installs, "pyproject.toml [tool.pdm] distribution" if "distribution" in pdm else (
        "pyproject.toml [build-system]" if pyproject.has_build_system else "pyproject.toml: no [build-system]"))
    return manager
