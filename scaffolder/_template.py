"""Where the bundled Copier template lives."""

from __future__ import annotations

from pathlib import Path


def template_dir() -> Path:
    """The template directory: packaged inside the wheel, or ``templates/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "copier.yml").is_file():
            return candidate
    raise FileNotFoundError("scaffold's templates are missing from this installation; reinstall scaffold")
