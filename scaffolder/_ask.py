"""ask: settle open questions with the user before Copier asks the template's own questions."""

from __future__ import annotations

import json
import sys
from typing import Any, Mapping

from scaffolder.errors import AbortedError, AnswerError
from scaffolder.providers import OpenQuestion

OTHER = "Other (type it)"


def example_value(question: OpenQuestion) -> str:
    if question.candidates:
        value = question.candidates[0].value
        return json.dumps(value) if not isinstance(value, str) else value
    return "VALUE"


def settle(question: OpenQuestion, *, interactive: bool, questions: Mapping[str, Any] | None = None) -> Any:
    """The user's answer to ``question``; without a terminal it is an error naming --data.

    Asked in the template's words (its ``help``), with why detection could not decide and each
    candidate's evidence; a typed answer ("Other") must be one the template's question takes."""
    if not interactive:
        raise AnswerError(question.name, f"{question.name}: {question.reason}", example_value(question))
    if not sys.stdin.isatty():
        raise AnswerError(
            question.name, f"{question.name}: {question.reason}, and there is no terminal to ask on", example_value(question)
        )
    import questionary

    from scaffolder._style import paint

    template_question = (questions or {}).get(question.name)
    title = getattr(template_question, "help", "") or question.name
    print(file=sys.stderr)
    print(paint(f"{title}?" if not title.endswith("?") else title, "bold", sys.stderr), file=sys.stderr)
    print(f"  {question.reason}", file=sys.stderr)
    print(paint(f"  (answer up front with --data {question.name}={example_value(question)})", "dim", sys.stderr),
          file=sys.stderr)
    try:
        if question.candidates:
            width = max(len(_show(c.value)) for c in question.candidates)
            choices = [
                questionary.Choice(f"{_show(c.value):<{width}}   {c.source}", value=c.value) for c in question.candidates
            ] + [questionary.Choice(OTHER, value=OTHER)]
            answer = questionary.select(f"{question.name}:", choices=choices).unsafe_ask()
            if answer != OTHER:
                return answer
        while True:
            text = questionary.text(f"{question.name} ({_accepts(template_question)}):").unsafe_ask()
            value = _parse(text)
            if template_question is None:
                return value
            try:
                return template_question.cast(value)
            except (ValueError, TypeError):
                print(f"  {question.name} takes {template_question.accepts()}, not {text!r}; try again", file=sys.stderr)
    except KeyboardInterrupt as err:
        raise AbortedError("interrupted; nothing was written") from err


def _accepts(template_question: Any) -> str:
    return template_question.accepts() if template_question is not None else "type it"


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _parse(text: str) -> Any:
    from scaffolder._answers import safe_yaml
    from scaffolder.errors import InputError

    try:
        return safe_yaml(text, "answer") if text.strip().startswith(("[", "{")) else text
    except InputError:
        return text
