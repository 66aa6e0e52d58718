"""What a package manager's files say, as the Python dispatcher (``__init__.detect``) combines it.

Each manager module (``pip``, ``pipenv``, ``poetry``, ``uv``, ``pdm``) reads the files it owns
and returns a :class:`Manager`, or None when the project does not use it. The facts a manager owns
(whether the project itself installs, a uv workspace, pip's requirements files) hold only when
that manager installs: when several managers' files are present they ride on the manager's
candidate (``Fact.implies``), so choosing one brings its own facts and never another's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import CERTAIN, LIKELY, Fact
from scaffolder.providers.python._deps import DepSet

# The facts every manager answers, with the value and source when it says nothing of them.
OWNED_DEFAULTS = {
    "python_requirements": ([], "no requirements file", LIKELY),
    "python_install_project": (False, "no installable project", LIKELY),
    "python_workspace": (False, "no uv workspace", CERTAIN),
}


@dataclass
class Manager:
    """One package manager's claim on the project."""

    name: str  # python_manager
    source: str  # the files that name it
    deps: DepSet = field(default_factory=DepSet)  # the runtime dependencies its own manifests declare
    locks: list[str] = field(default_factory=list)  # lock files and workspace manifests, copied after the manifests
    owned: dict[str, Fact] = field(default_factory=dict)  # facts that hold only when this manager installs
    parsed: dict[str, Any] = field(default_factory=dict)  # manifests it parsed, by file name (version pins read them)

    def own(self, name: str, value: Any, source: str, certainty: str | None = None) -> None:
        self.owned[name] = Fact(name, value, source, certainty or OWNED_DEFAULTS[name][2])

    def facts(self) -> list[Fact]:
        """Its owned facts, every one of OWNED_DEFAULTS answered, in that order."""
        return [self.owned.get(name) or Fact(name, value, source, certainty)
                for name, (value, source, certainty) in OWNED_DEFAULTS.items()]

    def candidate(self) -> Fact:
        """``python_manager`` naming this manager, bringing its owned facts when chosen."""
        return Fact("python_manager", self.name, self.source, implies=tuple(self.facts()))


@dataclass(frozen=True)
class Pyproject:
    """pyproject.toml, as the managers read it."""

    data: dict

    @property
    def project(self) -> dict:
        return self.data.get("project", {})

    @property
    def has_build_system(self) -> bool:
        return "build-system" in self.data

    @property
    def backend(self) -> str:
        return str(self.data.get("build-system", {}).get("build-backend", ""))

    def tool(self, name: str) -> dict:
        """[tool.<name>], or an empty table when it is missing or not a table."""
        tools = self.data.get("tool")
        table = tools.get(name) if isinstance(tools, dict) else None
        return table if isinstance(table, dict) else {}

    @property
    def classifiers(self) -> object:
        """The trove classifiers of [project], else of [tool.poetry] (unchecked: the version rules read them)."""
        project = self.data.get("project")
        return (project.get("classifiers") if isinstance(project, dict) else None) or self.tool("poetry").get("classifiers")


def read_lock(repo: Repo, rel: str) -> dict:
    """A lock file whose [metadata] (when present) is a table, as Poetry and PDM write it."""
    data = repo.read_toml(rel)
    if not isinstance(data.get("metadata", {}), dict):
        raise InputError(rel, "[metadata] must be a table", line=1, hint="regenerate the lock file")
    return data
