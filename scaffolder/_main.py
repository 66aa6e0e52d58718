"""The public API: each function is one command, the CLI is a thin layer over them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scaffolder import _answers, _copier, _plan, _questions, _render, _schema, _template
from scaffolder.providers import DefaultExpression
from scaffolder._detect import AppRoot, app_roots, detect
from scaffolder.errors import AbortedError, AnswerError, ScaffoldError, UsageError
from scaffolder._repo import Repo
from scaffolder._update import CheckResult, UpdateResult, check, update

__all__ = ["CheckResult", "InitResult", "UpdateResult", "check", "detect", "init", "update"]


@dataclass
class InitResult:
    plan: _plan.Plan | None  # None at the root of several apps (each has its own)
    files: list[_render.RenderedFile] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    # At the root of several apps: every app root found, and those that could not be rendered, with why.
    apps: list[AppRoot] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


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
    on_apps: Callable[[list[AppRoot]], None] = lambda apps: None,
    on_app: Callable[[str], None] = lambda path: None,
) -> InitResult:
    """Detect, ask, render and (unless ``dry_run``) write the files into the repository.
    ``template`` renders another Copier template (path or git URL) instead of the bundled one;
    its tasks and migrations run only with ``trust``. ``origins`` names where each answer came
    from (``--data NAME=VALUE``, a file), for the message when the template does not take it.
    ``review`` sees every answer once the questions are done and returns the ones to change
    (then the files are rendered again and it sees them again), or None to go on.

    At a root holding several apps (scaffolder._detect.app_roots; ``on_apps`` sees them first)
    each app is planned and rendered in its own directory and the root gets docker-bake.hcl:
    see _init_apps."""
    root = Repo(path).root
    interactive = not defaults
    # A versioned source, so the answers file records _commit and update can replay it.
    source = _template.custom(template, trust=trust) if template else _template.bundled()
    answers = _questions.checked_answers(source, answers or {}, origins)
    # An answered language builds the root as one app, as does a root with a build manifest.
    apps = [] if "language" in answers else app_roots(root)
    if apps:
        if template:
            raise UsageError(f"{root}: holds several apps ({', '.join(a.path for a in apps if not a.not_an_app)}); "
                             "--template renders one: run init in each app's directory")
        return _init_apps(root, apps, source, answers, defaults=defaults, force=force, dry_run=dry_run,
                          confirm=confirm, on_plan=on_plan, on_apps=on_apps, on_app=on_app)
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


def _init_apps(
    root: Path,
    apps: list[AppRoot],
    source: _template.Source,
    answers: dict[str, Any],
    *,
    defaults: bool,
    force: bool,
    dry_run: bool,
    confirm: Callable[[_render.RenderedFile], bool],
    on_plan: Callable[[_plan.Plan], None],
    on_apps: Callable[[list[AppRoot]], None],
    on_app: Callable[[str], None],
) -> InitResult:
    """Each app rendered in its own directory with its own answers file, and docker-bake.hcl at
    the root with one target per app. An app that cannot be planned or rendered is reported in
    ``failed`` with why, and the others are still rendered; everything is written at once."""
    on_apps(apps)
    if "project_name" in answers:
        raise UsageError("project_name names one app; at the root of several apps name them with "
                         "--data 'apps=[{name: NAME, path: DIRECTORY}, ...]'")
    root_answers, app_answers = _plan.split_answers(answers)
    for name, value in root_answers.items():  # checked before any app is planned
        why = _schema.problem(name, value)
        if why:
            raise AnswerError(name, why)
    chosen = root_answers.get("apps")
    wanted = [a.path for a in apps if not a.not_an_app] if chosen is None else [a["path"] for a in chosen]
    names = _plan.app_names(wanted) if chosen is None else {a["path"]: a["name"] for a in chosen}
    result = InitResult(None, apps=apps)
    problems = {a.path: a.problem for a in apps if a.problem}
    interactive = not defaults
    questions = _questions.load(source) if interactive else None
    rendered: dict[str, bytes] = {}
    served: dict[str, dict[str, Any]] = {}  # each app's port and backing services, for the root's compose.yaml
    for rel in wanted:
        if rel in problems:
            result.failed[rel] = problems[rel]
            continue
        on_app(rel)
        try:
            plan = _plan.make_plan(root / rel, {**app_answers, "project_name": names[rel]}, interactive=interactive,
                                   show=on_plan, questions=questions)
            files = _copier.copy(source, plan.data, plan.defaults, defaults=defaults)
        except AbortedError:
            raise
        except ScaffoldError as err:
            result.failed[rel] = str(err)
            continue
        rendered.update({f"{rel}/{name}": content for name, content in files.items()})
        served[rel] = _served(files)
    done = [rel for rel in wanted if rel not in result.failed]
    if not done:
        raise ScaffoldError(f"{root}: no app could be rendered; " + "; ".join(
            f"{rel}: {why}" for rel, why in result.failed.items()))
    root_data = {**root_answers, "apps": [{"name": names[rel], "path": rel, **served[rel]} for rel in done]}
    rendered.update(_copier.copy(source, root_data, {}, defaults=True))
    result.files = _render.compare(root, rendered)
    if dry_run:
        return result
    to_write = _render.confirm_overwrites(result.files, force=force, interactive=interactive, confirm=confirm)
    _render.write(root, to_write)
    result.written = [f.path for f in to_write]
    return result


def _served(files: dict[str, bytes]) -> dict[str, Any]:
    """The port and backing services an app's rendered answers record."""
    answers = _answers.answers_of(files[_answers.ANSWERS_FILE])
    return {"port": answers.get("port", 0), "services": answers.get("compose_services", [])}
