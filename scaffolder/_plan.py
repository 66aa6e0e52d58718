"""plan: facts become Copier data; what detection could not settle becomes a question.

The one place the language, the settled answers and the open questions are decided: `init`
renders the plan, `update` renders only what the recorded answers do not cover, and `check`
compares the plan's certain facts with the recorded answers."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from scaffolder import _ask, _policy, _schema
from scaffolder._detect import detect
from scaffolder.errors import AnswerError, NotAProjectError, excerpt
from scaffolder.providers import CERTAIN, LIKELY, DefaultExpression, Detection, Fact, OpenQuestion


@dataclass
class Plan:
    detection: Detection
    data: dict[str, Any] = field(default_factory=dict)  # settled: not asked, recorded
    defaults: dict[str, Any] = field(default_factory=dict)  # likely: asked with this default
    questions: list[OpenQuestion] = field(default_factory=list)  # unsettled


def project_name(root: Path) -> str:
    """The directory's name as an image name (lowercase words joined by '.', '_', '__' or '-')."""
    name = re.sub(r"[^a-z0-9._-]+", "-", root.resolve().name.lower()).strip("-._")
    # Separators Docker does not take (".-", "..", "___") become one "-".
    name = re.sub(r"[._-]{2,}", lambda m: m.group(0) if m.group(0) == "__" or set(m.group(0)) == {"-"} else "-", name)
    return name[:128].strip("-._") or "app"


def make_plan(
    root: Path,
    answers: dict[str, Any],
    *,
    interactive: bool,
    recorded: dict[str, Any] | None = None,
    show: Callable[[Plan], None] = lambda plan: None,
    questions: Mapping[str, Any] | None = None,
) -> Plan:
    """detect, plan and settle the open questions (ask). ``show`` sees the plan before any of
    its questions is asked, so the user reads what was detected first; ``questions`` are the
    template's (scaffolder._questions), for asking in its words and checking a typed answer."""
    detections = detect(root)
    answers = dict(answers)
    while True:
        result = plan(root, detections, answers, recorded=recorded)
        if not result.questions or result.questions[0].name != "language":
            break
        answers["language"] = _ask.settle(result.questions[0], interactive=interactive, questions=questions)
    show(result)
    known = {**(recorded or {}), **answers}
    for question in result.questions:
        result.data[question.name] = _ask.settle(question, interactive=interactive, questions=questions)
        _follow_choice(result, question, result.data[question.name], known)
    _check_detected(result, skip=set(answers) | {q.name for q in result.questions})
    _command_follows_port(result)  # after the check: Copier checks the rendered default
    result.questions = []
    return result


def plan(
    root: Path, detections: list[Detection], answers: dict[str, Any], *, recorded: dict[str, Any] | None = None
) -> Plan:
    """Combine the detections with the user's up-front ``answers`` (from --data).

    ``recorded`` are the answers an earlier `init` recorded: they settle the language and their
    questions, but stay out of the plan's data and defaults, because Copier replays them itself
    on update; ``answers`` override them."""
    recorded = recorded or {}
    known = {**recorded, **answers}
    if not detections and "language" not in known:
        raise NotAProjectError(
            f"{excerpt(root, 50)}: no Go, C/C++ or Python project found (no build manifest or source "
            "file); --data language=go|cpp|python forces one"
        )
    language = known.get("language")
    chosen = next((d for d in detections if d.language == language), None)
    if chosen is None and language:
        chosen = Detection(language, f"answered language={language}" if "language" in answers else "the recorded answers")
    if chosen is None and len(detections) > 1:
        # Scripts next to a build file (configure.py beside CMakeLists.txt) are not a second project.
        anchored = [d for d in detections if not d.loose]
        if len(anchored) == 1:
            chosen = anchored[0]
            for other in detections:
                note = (
                    f"also found {other.language} ({other.source}): {other.loose_reason}; "
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

    result = Plan(chosen)
    named = Fact("project_name", project_name(root), "the directory name", LIKELY)
    for fact in [Fact("language", chosen.language, chosen.source), named, *chosen.facts]:
        if fact.name not in known:
            (result.data if fact.certainty == CERTAIN else result.defaults)[fact.name] = fact.value
    for question in chosen.questions:
        if question.name in known:
            _follow_choice(result, question, known[question.name], known)
    for name in chosen.follows.keys() - {q.name for q in chosen.questions}:
        if name in known:
            _follow_answer(result, name, known[name], known)
    _check_detected(result, skip=set(answers))
    # Up-front answers win over anything detected and anything recorded.
    result.data.update(answers)
    result.questions = [q for q in chosen.questions if q.name not in known]
    return result


def _command_follows_port(result: Plan) -> None:
    """A detected start command that names the detected port becomes a default expression of
    the port answer: change the port, and the command's default changes with it."""
    port = next((f.value for f in result.detection.facts if f.name == "port"), None)
    command = result.defaults.get("start_command")
    if not isinstance(port, int) or isinstance(port, bool) or port <= 0 or not isinstance(command, list):
        return
    literal = re.compile(rf"(?<![0-9]){port}(?![0-9])")
    words = [w for w in command if isinstance(w, str)]
    # Only plain words: nothing in them may read as Jinja.
    if len(words) != len(command) or not any(literal.search(w) for w in words) or any(
        c in w for w in words for c in "{}%#"
    ):
        return
    result.defaults["start_command"] = DefaultExpression(
        "[" + ", ".join(literal.sub("{{ port }}", json.dumps(w)) for w in words) + "]"
    )


def _check_detected(result: Plan, *, skip: set[str]) -> None:
    """What detection proposes obeys the answer schema like any answer (a hostile manifest is
    input too); up-front answers are checked by Copier after it converts them to their type."""
    sources = {f.name: f.source for f in result.detection.facts}
    for name, value in {**result.defaults, **result.data}.items():
        why = "" if name in skip else _schema.problem(name, value)
        if why:
            where = f" (from {excerpt(sources.get(name, 'the project'), 40)})"
            # The shown value gives way first: the rule, the source and what to do stay whole.
            over = len(why) + len(where) - AnswerError.room(name)
            if over > 0:
                why = _schema.problem(name, value, shown_limit=max(10, _schema.SHOWN - over))
            raise AnswerError(name, why + where)


def _follow_choice(result: Plan, question: OpenQuestion, answer: Any, known: dict[str, Any]) -> None:
    """The facts the chosen candidate brings (python_manager=poetry: Poetry's own install step),
    and those that follow the answer whatever it is."""
    for candidate in question.candidates:
        if candidate.value == answer:
            _take(result, candidate.implies, known)
    _follow_answer(result, question.name, answer, known)


def _follow_answer(result: Plan, name: str, answer: Any, known: dict[str, Any]) -> None:
    """The facts detection derives from this answer (a shell start command: the slim runtime)."""
    follow = result.detection.follows.get(name)
    if follow is None or _schema.problem(name, answer):
        return
    facts = follow(answer, f"answered {name}")
    _take(result, facts, known)
    for fact in facts:  # the summary shows the reason that holds for the answer
        if fact.name not in known:
            result.detection.add(fact.name, fact.value, fact.source, fact.certainty)


def _take(result: Plan, facts: tuple[Fact, ...], known: dict[str, Any]) -> None:
    for fact in facts:
        if fact.name not in known:
            result.defaults.pop(fact.name, None)
            (result.data if fact.certainty == CERTAIN else result.defaults)[fact.name] = fact.value


# --- the root of several apps -------------------------------------------------------------------

# The questions of the root of several apps (docker-bake.hcl); every other --data answer goes to each app.
ROOT_QUESTIONS = ("apps", "bake_platforms")
# Answered at the root (its compose.yaml of every app) and by every app (its own).
SHARED_QUESTIONS = ("compose",)


def split_answers(answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Up-front answers at the root of several apps: (the root's, every app's)."""
    return ({k: v for k, v in answers.items() if k in ROOT_QUESTIONS + SHARED_QUESTIONS},
            {k: v for k, v in answers.items() if k not in ROOT_QUESTIONS})


def app_names(paths: list[str]) -> dict[str, str]:
    """Each app directory's bake target, image and compose service name: its directory's name,
    or its whole path when two apps share a directory name (services/api and legacy/api) or the
    name is a backing service's of the root's compose.yaml (services/postgres); then, while
    a name is still taken, -app, -app-2, ... after it, in the order of the paths."""
    def name(text: str, suffix: str = "") -> str:
        return (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63 - len(suffix)].strip("-") or "app") + suffix

    taken = set(_policy.policy()["compose"])
    short = [name(posixpath.basename(p)) for p in paths]
    names: dict[str, str] = {}
    for p, n in zip(paths, short):
        if short.count(n) > 1 or n in taken:
            n = name(p)
        suffixes = ("-app", *(f"-app-{i}" for i in range(2, len(paths) + 2)))
        n = next((c for c in (n, *(name(p, s) for s in suffixes)) if c not in taken), n)
        taken.add(n)
        names[p] = n
    return names
