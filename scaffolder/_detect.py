"""detect: run every provider over the repository."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from scaffolder._repo import Repo
from scaffolder.providers import Detection, cpp, go, python


class Provider(Protocol):
    name: str

    def detect(self, repo: Repo) -> Detection | None: ...


# In the order their detections are listed when several languages match.
PROVIDERS: tuple[Provider, ...] = (go, cpp, python)  # type: ignore[assignment]


def detect(path: Path | str) -> list[Detection]:
    """Every language found in the repository at ``path``, in provider order."""
    repo = Repo(path)
    found = []
    for provider in PROVIDERS:
        detection = provider.detect(repo)
        if detection is not None:
            found.append(detection)
    return found
