"""pipenv: a Pipfile and its Pipfile.lock install into an in-project venv with uv, from ``pipenv requirements --hash``."""

from __future__ import annotations

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import Detection
from scaffolder.providers.python import _deps
from scaffolder.providers.python._manager import Manager


def find(repo: Repo, det: Detection) -> Manager | None:
    if not repo.exists("Pipfile"):
        if repo.exists("Pipfile.lock"):
            raise InputError("Pipfile.lock", "found without its Pipfile", hint="commit the Pipfile, or remove the stale lock")
        return None
    found, pipfile = _deps.read_pipfile(repo)
    manager = Manager("pipenv", "Pipfile", parsed={"Pipfile": pipfile})
    if repo.exists("Pipfile.lock"):
        locked, manager.parsed["Pipfile.lock"] = _deps.read_pipfile_lock(repo)
        found.merge(locked)
        manager.source = "Pipfile and Pipfile.lock"
        manager.locks.append("Pipfile.lock")
    else:
        det.notes.append("Pipfile without Pipfile.lock: the build resolves versions each time; run `pipenv lock` and commit the lock")
    manager.deps = found
    return manager
