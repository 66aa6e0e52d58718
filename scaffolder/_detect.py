"""detect: run every provider over the repository; at a root holding several programs, find
each program's own root first (``app_roots``)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from scaffolder._repo import Repo
from scaffolder.errors import ScaffoldError
from scaffolder.providers import NOT_APP_DIRS, Detection, cpp, go, python


class Provider(Protocol):
    name: str

    def detect(self, repo: Repo) -> Detection | None: ...


# In the order their detections are listed when several languages match.
PROVIDERS: tuple[Provider, ...] = (go, cpp, python)  # type: ignore[assignment]

# The files that make a directory the root of its own build.
BUILD_MANIFESTS = (
    "go.mod", "go.work", "pyproject.toml", "Pipfile", "requirements.txt",
    "CMakeLists.txt", "meson.build", *cpp.MAKEFILES,
)


def detect(path: Path | str) -> list[Detection]:
    """Every language found in the repository at ``path``, in provider order."""
    repo = Repo(path)
    found = []
    for provider in PROVIDERS:
        detection = provider.detect(repo)
        if detection is not None:
            found.append(detection)
    skipped = repo.skipped_notes()
    for detection in found:
        detection.notes.extend(n for n in skipped if n not in detection.notes)
    return found


@dataclass
class AppRoot:
    """A directory below the root with its own build manifest, not inside another one's build."""

    path: str  # relative to the root, POSIX
    evidence: str  # the manifests that make it an app root
    languages: tuple[str, ...] = ()  # what detection found there, the built language first
    problem: str = ""  # why it cannot be rendered (its detection failed or found nothing)
    not_an_app: str = ""  # why it builds no program of its own (tests, helpers, examples)

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "evidence": self.evidence, "languages": list(self.languages),
                "problem": self.problem or None, "not_an_app": self.not_an_app or None}


def app_roots(path: Path | str) -> list[AppRoot]:
    """The app roots of a repository holding several programs (a monorepo), each with its
    evidence; empty when the repository is one app, as it is when its root has a build
    manifest (the root's build owns everything below it) or fewer than two directories below
    it build a program. A manifest nested in another app root's directory belongs to that
    build (CMake's add_subdirectory, a Go or uv workspace's members), so it is no app root."""
    repo = Repo(path)
    manifests: dict[str, list[str]] = {}
    for rel in repo.files:
        directory, name = posixpath.split(rel)
        if name in BUILD_MANIFESTS:
            manifests.setdefault(directory, []).append(name)
    if "" in manifests:
        return []
    outermost = [d for d in sorted(manifests) if not any(d.startswith(o + "/") for o in manifests if o != d)]
    found = [_app_root(repo, d, manifests[d]) for d in outermost]
    if sum(1 for a in found if not a.not_an_app) < 2:
        return []
    return found


def _app_root(repo: Repo, directory: str, names: list[str]) -> AppRoot:
    evidence = ", ".join(f"{directory}/{n}" for n in sorted(names, key=BUILD_MANIFESTS.index))
    helper = next((p for p in directory.split("/") if p in NOT_APP_DIRS), None)
    if helper:
        return AppRoot(directory, evidence, not_an_app=f"inside {helper}/: tests, documentation, examples or scripts")
    try:
        detections = detect(repo.root / directory)
    except ScaffoldError as err:
        return AppRoot(directory, evidence, problem=str(err))
    if not detections:
        return AppRoot(directory, evidence, not_an_app="no Go, C/C++ or Python program found there")
    anchored = [d for d in detections if not d.loose]
    languages = tuple(d.language for d in anchored or detections)
    if not anchored:
        return AppRoot(directory, evidence, languages, not_an_app="; ".join(d.loose_reason for d in detections))
    return AppRoot(directory, evidence, languages)
