"""The template's questions as a user meets them: name, type, help, choices.

Answers given up front (``--data NAME=VALUE``, ``--data-file``) are checked against them before
anything is planned or rendered, so a mistyped name or a value of the wrong type is one line that
names the question, what it accepts and, for a near miss, the name that was meant. Copier itself
would ignore an unknown name and report a bad value as a bare conversion error.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from scaffolder.errors import UsageError

if TYPE_CHECKING:
    from scaffolder._template import Source

# What each Copier question type accepts, as the error says it.
_ACCEPTS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false (also yes/no, on/off, 1/0)",
    "json": "a JSON value",
    "yaml": "a YAML value (a list as [a, b])",
    "str": "text",
    "path": "a path",
}
_TRUE = {"y", "yes", "t", "true", "on", "1"}
_FALSE = {"n", "no", "f", "false", "off", "0"}


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    help: str = ""
    choices: tuple[tuple[str, Any], ...] | None = None  # (label, value); None when free or computed
    computed: bool = False  # `when: false`: the template's own value, never an answer

    def cast(self, raw: Any) -> Any:
        """``raw`` as this question's type (text from --data is converted; a YAML value from a
        data file is checked), or ValueError saying what is accepted."""
        value = raw
        if self.type == "int":
            value = _int(raw)
        elif self.type == "float":
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                raise ValueError
            value = float(raw)
        elif self.type == "bool":
            value = _bool(raw)
        elif self.type in ("yaml", "json") and isinstance(raw, str):
            value = _parse(raw, self.type)
        elif self.type in ("str", "path"):
            if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
                raise ValueError
            value = str(raw)
        if self.choices is not None and value not in [v for _, v in self.choices]:
            raise ValueError
        return value

    def accepts(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(_show(v) for _, v in self.choices)
        return _ACCEPTS.get(self.type, self.type)


def _int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("+-").isdigit():
        return int(raw)
    raise ValueError


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError


def _parse(text: str, kind: str) -> Any:
    if kind == "json":
        return json.loads(text)
    from scaffolder._answers import safe_yaml
    from scaffolder.errors import InputError

    try:
        return safe_yaml(text, "--data")
    except InputError as err:
        raise ValueError from err


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _static_choices(raw: Any) -> tuple[tuple[str, Any], ...] | None:
    """The choices of a question when they are fixed; None for templated ones (Copier checks those)."""
    if isinstance(raw, dict):
        pairs = [(str(k), v) for k, v in raw.items()]
    elif isinstance(raw, list):
        pairs = [(str(v[0]), v[1]) if isinstance(v, (list, tuple)) and len(v) == 2 else (str(v), v) for v in raw]
    else:
        return None
    # A choice with its own validator is offered only where Copier's check of it allows.
    pairs = [(label, v) for label, v in pairs if not isinstance(v, dict)]
    if any("{{" in label or "{%" in label or (isinstance(v, str) and ("{{" in v or "{%" in v)) for label, v in pairs):
        return None
    return tuple(pairs)


def from_template_data(questions_data: Mapping[str, Any]) -> dict[str, Question]:
    """Questions from a Copier template's question data (``copier.yml`` and its includes)."""
    result = {}
    for name, spec in questions_data.items():
        spec = spec if isinstance(spec, dict) else {"default": spec}
        kind = spec.get("type") or {bool: "bool", int: "int", float: "float", str: "str"}.get(
            type(spec.get("default")), "yaml"
        )
        help_text = spec.get("help") or ""
        computed = spec.get("when") is False
        result[name] = Question(name, str(kind), str(help_text), _static_choices(spec.get("choices")), computed)
    return result


def load(source: "Source") -> dict[str, Question]:
    """The questions of the template ``source``."""
    from scaffolder import _copier

    return from_template_data(_copier.questions(source))


def checked_answers(source: "Source", answers: Mapping[str, Any], origins: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The up-front ``answers`` checked against the questions of the template ``source``."""
    if not answers:
        return {}
    return check(load(source), answers, origins or {})


def check(questions: Mapping[str, Question], answers: Mapping[str, Any], origins: Mapping[str, str]) -> dict[str, Any]:
    """``answers`` converted to their questions' types; a name the template does not ask, or a
    value its question does not accept, is a UsageError naming it. ``origins`` says where each
    answer came from (``--data NAME=VALUE``, or the data file), for the message."""
    checked = {}
    for name, raw in answers.items():
        where = origins.get(name, f"answer {name}")
        question = questions.get(name)
        if question is None:
            close = difflib.get_close_matches(name, list(questions), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else "its questions: " + ", ".join(
                q.name for q in questions.values() if not q.computed
            )
            raise UsageError(f"{where}: the template has no question {name!r} ({hint})")
        if question.computed:
            raise UsageError(f"{where}: {name} is the template's own value, not a question; leave it out")
        try:
            checked[name] = question.cast(raw)
        except (ValueError, TypeError):
            about = f" ({question.help})" if question.help else ""
            raise UsageError(f"{where}: {name} takes {question.accepts()}, not {_show(raw)!r}{about}") from None
    return checked
