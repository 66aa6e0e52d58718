"""ask: settle open questions with the user before Copier asks the template's own questions."""

from __future__ import annotations

import json
import sys
from typing import Any

from scaffolder.errors import AbortedError, AnswerError
from scaffolder.providers import OpenQuestion

OTHER = "Other (type it)"


def example_value(question: OpenQuestion) -> str:
    if question.candidates:
        value = question.candidates[0].value
        return json.dumps(value) if not isinstance(value, str) else value
    return "VALUE"


def settle(question: OpenQuestion, *, interactive: bool) -> Any:
    """The user's answer to ``question``; without a terminal it is an error naming --data."""
    if not interactive:
        raise AnswerError(question.name, f"{question.name}: {question.reason}", example_value(question))
    if not sys.stdin.isatty():
        raise AnswerError(
            question.name, f"{question.name}: {question.reason}, and there is no terminal to ask on", example_value(question)
        )
    import questionary

    if question.candidates:
        choices = [
            questionary.Choice(f"{_show(c.value)}  ({c.source})", value=c.value) for c in question.candidates
        ] + [questionary.Choice(OTHER, value=OTHER)]
        answer = questionary.select(f"{question.name}: {question.reason}", choices=choices).unsafe_ask()
        if answer != OTHER:
            return answer
    try:
        text = questionary.text(f"{question.name} ({question.reason}):").unsafe_ask()
    except KeyboardInterrupt as err:
        raise AbortedError("interrupted; nothing was written") from err
    return _parse(text)


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _parse(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text) if text.strip().startswith(("[", "{")) else text
    except yaml.YAMLError:
        return text
