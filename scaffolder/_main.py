"""The public API: each function is one command, the CLI is a thin layer over them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scaffolder import _copier, _plan, _questions, _render, _template
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
) -> InitResult:
    """Detect, ask, render and (unless ``dry_run``) write the files into the repository.
    ``template`` renders another Copier template (path or git URL) instead of the bundled one;
    its tasks and migrations run only with ``trust``. ``origins`` names where each answer came
    from (``--data NAME=VALUE``, a file), for the message when the template does not take it."""
    root = Repo(path).root
    interactive = not defaults
    # A versioned source, so the answers file records _commit and update can replay it.
    source = _template.custom(template, trust=trust) if template else _template.bundled()
    answers = _questions.checked_answers(source, answers or {}, origins)
    plan = _plan.make_plan(
        root, answers, interactive=interactive, show=on_plan, questions=_questions.load(source) if interactive else None
    )
    rendered = _copier.copy(source, plan.data, plan.defaults, defaults=defaults)
    files = _render.compare(root, rendered)
    result = InitResult(plan, files)
    if dry_run:
        return result
    to_write = _render.confirm_overwrites(files, force=force, interactive=interactive, confirm=confirm)
    _render.write(root, to_write)
    result.written = [f.path for f in to_write]
    return result
