"""plan: facts become Copier data; what detection could not settle becomes a question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffolder.errors import NotAProjectError
from scaffolder.providers import CERTAIN, Detection, Fact, OpenQuestion


@dataclass
class Plan:
    detection: Detection
    data: dict[str, Any] = field(default_factory=dict)  # settled: not asked, recorded
    defaults: dict[str, Any] = field(default_factory=dict)  # likely: asked with this default
    questions: list[OpenQuestion] = field(default_factory=list)  # unsettled


def project_name(root: Path) -> str:
    name = re.sub(r"[^a-z0-9._-]+", "-", root.resolve().name.lower()).strip("-._")
    return name or "app"


def plan(root: Path, detections: list[Detection], answers: dict[str, Any]) -> Plan:
    """Combine the detections with the user's up-front ``answers`` (from --data)."""
    if not detections and "language" not in answers:
        raise NotAProjectError(
            f"{root}: no Go, C/C++ or Python project found "
            "(looked for go.mod, *.go, CMakeLists.txt, meson.build, Makefile, *.c, *.cpp, "
            "pyproject.toml, Pipfile, requirements.txt, *.py); pass --data language=go|cpp|python to force one"
        )
    language = answers.get("language")
    chosen = next((d for d in detections if d.language == language), None)
    if chosen is None and language:
        chosen = Detection(language, "--data language")
    if chosen is None and len(detections) > 1:
        # Scripts next to a build file (configure.py beside CMakeLists.txt) are not a second project.
        anchored = [d for d in detections if not d.loose]
        if len(anchored) == 1:
            chosen = anchored[0]
            for other in detections:
                note = (
                    f"also found {other.language} ({other.source}) with no manifest or build file; "
                    f"building {chosen.language} (answer --data language={other.language} to build that instead)"
                )
                if other is not chosen and note not in chosen.notes:
                    chosen.notes.append(note)
    if chosen is None and len(detections) == 1:
        chosen = detections[0]
    if chosen is None:
        # Several languages: the user picks; nothing else can be planned until then.
        question = OpenQuestion(
            "language",
            f"{len(detections)} languages found: pick the one the image builds",
            tuple(Fact("language", d.language, d.source) for d in detections),
        )
        return Plan(Detection("", ""), questions=[question])

    result = Plan(chosen, data={"language": chosen.language}, defaults={"project_name": project_name(root)})
    for fact in chosen.facts:
        (result.data if fact.certainty == CERTAIN else result.defaults)[fact.name] = fact.value
    result.questions = list(chosen.questions)
    # Up-front answers win over anything detected.
    for name, value in answers.items():
        result.defaults.pop(name, None)
        result.data[name] = value
    result.questions = [q for q in result.questions if q.name not in answers]
    return result
