"""pip: requirements files, a PEP 621 [project] without a lock file, or a setup.py; installed with
``pip install`` into a venv, then the project itself when it is a package."""

from __future__ import annotations

from dataclasses import dataclass

from scaffolder._repo import Repo
from scaffolder.providers import CERTAIN, LIKELY, Detection, Fact
from scaffolder.providers.python import _deps
from scaffolder.providers.python._deps import DepSet
from scaffolder.providers.python._manager import Manager, Pyproject


@dataclass
class Requirements:
    """The requirements files the image installs, and what they declare."""

    files: list[str]
    deps: DepSet


def read_requirements(repo: Repo, det: Detection) -> Requirements | None:
    """The requirements files the image installs: requirements.txt, else the non-dev roots."""
    candidates = _deps.requirements_candidates(repo)
    if not candidates:
        return None
    parsed = {rel: _deps.read_requirements(repo, rel) for rel in candidates}
    if "requirements.txt" in parsed:
        chosen = ["requirements.txt"]
    else:
        runtime = [rel for rel in candidates if not _deps.is_dev_requirements(rel) and rel.endswith(".txt")]
        included = {f for rel in runtime for f in parsed[rel].files if f != rel}
        roots = [rel for rel in runtime if rel not in included]
        if not roots:
            det.notes.append(f"only development requirements files ({', '.join(candidates)}): none is installed")
            return None
        if len(roots) > 1:
            det.ask("python_requirements", "several requirements files: list the ones the image installs",
                    [Fact("python_requirements", [r], r, LIKELY) for r in roots])
        chosen = roots[:1]
    skipped = [rel for rel in candidates if rel not in parsed[chosen[0]].files and rel not in chosen]
    if skipped:
        det.notes.append(f"not installed (development or unused): {', '.join(skipped)}")
    result = DepSet()
    for rel in chosen:
        result.merge(parsed[rel])
    return Requirements(chosen, result)


def find(repo: Repo, det: Detection, requirements: Requirements | None, pyproject: Pyproject | None,
         others: list[Manager]) -> Manager | None:
    """pip's claim: the requirements files, and a [project] or setup.py no other manager locks."""
    files = list(requirements.files) if requirements else []
    manager = Manager("pip", ", ".join(files), deps=requirements.deps if requirements else DepSet())
    project = pyproject.project if pyproject else None
    if project and not any(m.locks or m.name == "poetry" for m in others):
        # PEP 621 without a lock file: pip installs [project] dependencies, then the project.
        if "dependencies" in project.strings("dynamic"):
            det.notes.append("pyproject.toml declares dynamic dependencies: they install with the project, after the source")
        elif not files:
            files = ["pyproject.toml"]
        if requirements is None:
            manager.source = "pyproject.toml [project] (no lock file)"
        manager.own("python_install_project", pyproject.has_build_system, "pyproject.toml [build-system]"
                    if pyproject.has_build_system else "pyproject.toml has no [build-system]: only its dependencies install")
    elif _setuptools_file(repo, pyproject, others):
        # A setuptools project described by setup.py or setup.cfg (a pyproject.toml, if any, only
        # names the backend or configures tools): its dependencies install with it.
        setuptools_file = _setuptools_file(repo, pyproject, others)
        manager.own("python_install_project", True, setuptools_file)
        if requirements is None:
            manager.source = setuptools_file
    elif requirements is None:
        return None
    if requirements and project and project.array("dependencies") and not any(m.locks for m in others):
        det.notes.append(f"both {', '.join(requirements.files)} and pyproject.toml [project] list dependencies: "
                         "the requirements install first, then the project with its own")
    manager.own("python_requirements", files, ", ".join(files) if files else "no requirements file",
                CERTAIN if files else LIKELY)
    return manager


def _setuptools_file(repo: Repo, pyproject: Pyproject | None, others: list[Manager]) -> str:
    """setup.py, or setup.cfg beside a pyproject.toml [build-system], when no other manager owns
    the project ('' otherwise)."""
    if others:
        return ""
    if repo.exists("setup.py"):
        return "setup.py"
    if repo.exists("setup.cfg") and pyproject is not None and pyproject.has_build_system:
        return "setup.cfg"
    return ""
