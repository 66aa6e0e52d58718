"""The public API: each function is one command, the CLI is a thin layer over them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scaffolder import _answers, _copier, _plan, _questions, _render, _template
from scaffolder.providers import DefaultExpression
from scaffolder._detect import detect
from scaffolder._repo import Repo
from scaffolder._update import CheckResult, UpdateResult, check, update

__all__ = ["CheckResult", "InitResult", "UpdateResult", "check", "detect", "init", "update"]


@dataclass
class InitResult:
    plan: _plan.Plan
    files: list[_render.RenderedFile] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def init(
    path: Path | str = ".",
    answers: dict[str, Any] | None = None,
    *,
    defaults: bool = False,
    force: bool = False,
    dry_run: bool = False,
    confirm: Callable[[_render.RenderedFile], bool] = lambda f: False,
    on_plan: Callable[[_plan.Plan], None] = lambda p: None,
    template: str | None = None,
    trust: bool = False,
    origins: dict[str, str] | None = None,
    review: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
) -> InitResult:
    """Detect, ask, render and (unless ``dry_run``) write the files into the repository.
    ``template`` renders another Copier template (path or git URL) instead of the bundled one;
    its tasks and migrations run only with ``trust``. ``origins`` names where each answer came
    from (``--data NAME=VALUE``, a file), for the message when the template does not take it.
    ``review`` sees every answer once the questions are done and returns the ones to change
    (then the files are rendered again and it sees them again), or None to go on."""
    root = Repo(path).root
    interactive = not defaults
    # A versioned source, so the answers file records _commit and update can replay it.
    source = _template.custom(template, trust=trust) if template else _template.bundled()
    answers = _questions.checked_answers(source, answers or {}, origins)
    plan = _plan.make_plan(
        root, answers, interactive=interactive, show=on_plan, questions=_questions.load(source) if interactive else None
    )
    rendered = _copier.copy(source, plan.data, plan.defaults, defaults=defaults)
    while interactive and review is not None:
        current = _answers.answers_of(rendered.get(_answers.ANSWERS_FILE, b""))
        changes = review(current)
        if not changes:
            break
        changes = _questions.checked_answers(source, changes)
        # Every answer stays as given, except the defaults that follow other answers (the
        # start command follows the port): those are worked out again.
        following = {k: v for k, v in plan.defaults.items() if isinstance(v, DefaultExpression) and k not in changes}
        data = {k: v for k, v in current.items() if k not in following}
        rendered = _copier.copy(source, {**data, **changes}, following, defaults=True)
    files = _render.compare(root, rendered)
    result = InitResult(plan, files)
    if dry_run:
        return result
    to_write = _render.confirm_overwrites(files, force=force, interactive=interactive, confirm=confirm)
    _render.write(root, to_write)
    result.written = [f.path for f in to_write]
    return result
