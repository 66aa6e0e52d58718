"""detect: run every provider over the repository."""

from __future__ import annotations

from pathlib import Path

from scaffolder._repo import Repo
from scaffolder.providers import Detection, all_providers


def detect(path: Path | str) -> list[Detection]:
    """Every language found in the repository at ``path``, in provider order."""
    repo = Repo(path)
    found = []
    for provider in all_providers():
        detection = provider.detect(repo)
        if detection is not None:
            found.append(detection)
    return found
