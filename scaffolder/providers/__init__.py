"""Language providers: one module per language, each with ``detect(repo) -> Detection | None``.

A provider reads files only; it never runs the project's code and never needs Docker. What it
finds is expressed as facts named after the template's questions (``templates/questions/*.yml``),
so the template's questionnaire is the single contract between detection and rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


# Directories whose code ships in no image: tests and their fixtures, documentation, examples,
# helper scripts. Their files neither make a language the project's nor make an app root.
NOT_APP_DIRS = frozenset({"tests", "test", "docs", "doc", "examples", "example", "demos", "demo", "samples",
                          "scripts", "benchmarks"})

def number(text: str, most_digits: int = 9) -> int | None:
    """``text`` as a whole number when it is 1 to ``most_digits`` ASCII digits, else None. Read
    text is untrusted: str.isdigit also takes "²", which int() refuses, and int() refuses more
    than 4,300 digits. A port of 6 to 9 digits still comes back, for the schema to refuse by name."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= most_digits else None


CERTAIN = "certain"  # stated by a file; taken without asking
LIKELY = "likely"  # guessed by a rule; asked interactively with this as the default


@dataclass(frozen=True)
class Fact:
    """One answer to a template question, with where it came from and how sure it is."""

    name: str
    value: Any
    source: str
    certainty: str = CERTAIN
    # A question's candidate may bring facts that hold only when it is chosen (a package
    # manager's own install step); the plan adds them once the choice is made.
    implies: tuple[Fact, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        result = {"name": self.name, "value": self.value, "source": self.source, "certainty": self.certainty}
        if self.implies:
            result["implies"] = [f.as_dict() for f in self.implies]
        return result


@dataclass(frozen=True)
class OpenQuestion:
    """A question detection could not settle: several candidates, or none at all."""

    name: str
    reason: str
    candidates: tuple[Fact, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reason": self.reason,
            "candidates": [c.as_dict() for c in self.candidates],
        }


class DefaultExpression(str):
    """A default that Copier renders against the earlier answers when it asks (a Jinja
    expression, given to Copier as a setting default), so it follows them: the start command's
    port follows the port answer. The recorded answer is the rendered value."""


@dataclass
class Detection:
    """What one provider found in the repository."""

    language: str
    source: str
    facts: list[Fact] = field(default_factory=list)
    questions: list[OpenQuestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Found from source files alone, with no manifest or build file (or sources the build of
    # another language owns): yields to a language that has one; the plan notes loose_reason.
    loose: bool = False
    loose_reason: str = "no manifest or build file"
    # Facts that follow an answer, by the answer's name: a function of its value (the start
    # command decides the Python runtime). Detection's own fact for the answer goes through the
    # same function; the plan applies it to an answer given up front, chosen or recorded.
    follows: dict[str, Callable[[Any, str], tuple[Fact, ...]]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, name: str, value: Any, source: str, certainty: str = CERTAIN) -> Fact:
        fact = Fact(name, value, source, certainty)
        self.facts = [f for f in self.facts if f.name != name] + [fact]
        return fact

    def ask(self, name: str, reason: str, candidates: list[Fact] | tuple[Fact, ...] = ()) -> None:
        """Leave ``name`` to the user; drop any fact already recorded for it."""
        self.facts = [f for f in self.facts if f.name != name]
        self.questions = [q for q in self.questions if q.name != name]
        self.questions.append(OpenQuestion(name, reason, tuple(candidates)))

    def choose(self, name: str, candidates: list[Fact], reason: str) -> None:
        """One candidate becomes a fact; several become a question, never a silent choice."""
        unique: dict[str, Fact] = {}
        for fact in candidates:
            unique.setdefault(repr(fact.value), fact)
        if len(unique) == 1:
            fact = next(iter(unique.values()))
            self.add(name, fact.value, fact.source, fact.certainty)
        elif unique:
            self.ask(name, reason, list(unique.values()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "source": self.source,
            "facts": [f.as_dict() for f in self.facts],
            "questions": [q.as_dict() for q in self.questions],
            "notes": list(self.notes),
        }
