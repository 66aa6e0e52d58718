"""The template policy, ``templates/policy.yml``: tool versions, base images, Debian release rules.

The template reads the same file (copier.yml includes it as the computed value ``policy``), so the
naive builds, the providers and the test stand-ins name exactly the images and versions the
generated Dockerfiles use. It is always scaffold's own template's policy, whichever template renders.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from scaffolder._template import installed_templates

__all__ = ["policy", "tool_version", "image", "debian_release", "debian_number"]


@lru_cache(maxsize=1)
def policy() -> dict[str, Any]:
    """The policy mapping (the ``default`` of the ``policy`` entry in ``templates/policy.yml``)."""
    path = installed_templates() / "policy.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["policy"]["default"]


def tool_version(tool: str) -> str:
    """The pinned version of a build tool (pipenv, poetry, uv, pdm, pyinstaller)."""
    return str(policy()["tools"][tool])


def image(name: str) -> str:
    """The repository of a base image (python, golang, debian, distroless, uv), registry included."""
    return str(policy()["images"][name])


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def debian_release(toolchain: str, version: str | None = None) -> str:
    """The Debian release (codename) a ``toolchain`` builder of ``version`` runs on.

    Each release holds from the version ``debian.since`` names on; ``cpp`` has one release."""
    rules = policy()["debian"]
    if toolchain == "cpp":
        return str(rules["cpp"])
    since = rules["since"][toolchain]
    releases = list(since)
    chosen = releases[0]
    for release in releases:
        if _version_key(str(version)) >= _version_key(str(since[release])):
            chosen = release
    return chosen


def debian_number(release: str) -> str:
    """The version number of a Debian release (distroless images are named ``…-debian12``)."""
    return str(policy()["debian"]["releases"][release])
