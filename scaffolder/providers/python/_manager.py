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

from scaffolder._repo import Repo, View
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


class Pyproject(View):
    """pyproject.toml, as the managers read it: every table through a typed view."""

    @classmethod
    def read(cls, repo: Repo, rel: str = "pyproject.toml") -> Pyproject:
        return cls(rel, repo.read_toml(rel), text=repo.read_text(rel))

    @property
    def project(self) -> View:
        return self.table("project")

    @property
    def has_build_system(self) -> bool:
        self.table("build-system")  # a build-system that is not a table is an error
        return "build-system" in self

    @property
    def backend(self) -> str:
        return self.table("build-system").string("build-backend")

    def tool(self, name: str) -> View:
        """[tool.<name>] (empty when missing)."""
        return self.table("tool").table(name)

    @property
    def classifiers(self) -> list[str]:
        """The trove classifiers of [project], else of [tool.poetry]."""
        return self.project.strings("classifiers") or self.tool("poetry").strings("classifiers")

    def scripts(self) -> dict[str, str]:
        """Console scripts: [project.scripts], else [tool.poetry.scripts] (a reference string,
        or Poetry's table with a ``reference``)."""
        scripts = self.project.string_table("scripts")
        if scripts:
            return scripts
        poetry = self.tool("poetry").table("scripts")
        found = {}
        for name, value in poetry.items():
            if isinstance(value, dict):
                value = poetry.table(name).string("reference")
            if not isinstance(value, str) or not value:
                raise poetry.error(name, "a string or a table with a reference")
            found[name] = value
        return found


def read_lock(repo: Repo, rel: str) -> View:
    """A lock file whose [metadata] and [[package]] (when present) are tables, as Poetry and PDM write them."""
    lock = repo.toml_view(rel)
    lock.table("metadata")
    lock.tables("package")
    return lock
