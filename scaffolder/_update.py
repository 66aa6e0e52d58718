"""`scaffold update` and `scaffold check`.

update: Copier's 3-way merge. It renders the recorded template version with the recorded
answers, takes the user's edits as the diff from that render to the repository, renders the new
version and replays the edits on it. Preconditions are checked here first, so each failure is one
clear line and nothing has been touched.

check: compares the recorded template version with the newest installed one, and the recorded
answers with what detection finds now. Read-only and fast (no Copier, no git).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from scaffolder import _template
from scaffolder.errors import NotAProjectError, ScaffoldError, UpdateError
from scaffolder.providers import CERTAIN

ANSWERS_FILE = ".scaffold-answers.yml"


@dataclass
class Recorded:
    """The answers file of a repository."""

    path: Path
    answers: dict[str, Any]  # question answers only
    src_path: str | None
    commit: str | None

    @property
    def version(self) -> Version | None:
        return _commit_version(self.commit)


def _commit_version(commit: str | None) -> Version | None:
    """The PEP 440 version of a ``_commit`` (``v1.2.0``; ``v1.2.0-3-gabc`` is 1.2.0.post3)."""
    if not commit:
        return None
    text = commit[1:] if commit.startswith("v") else commit
    base, sep, rest = text.partition("-")
    if sep:
        count = rest.split("-")[0]
        text = f"{base}.post{count}" if count.isdigit() else base
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _root(path: Path | str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise NotAProjectError(f"{root}: no such directory" if not root.exists() else f"{root}: not a directory")
    return root.resolve()


def read_answers(root: Path) -> Recorded:
    import yaml

    path = root / ANSWERS_FILE
    if not path.is_file():
        raise UpdateError(
            f"{root}: no {ANSWERS_FILE}, so there is nothing to update; run `scaffold init` first "
            "(it records the answers that update replays)"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise UpdateError(f"{path}{line}: invalid YAML; restore it from git") from err
    if not isinstance(data, dict):
        raise UpdateError(f"{path}: expected a mapping of answers; restore it from git")
    answers = {k: v for k, v in data.items() if not str(k).startswith("_")}
    commit = data.get("_commit")
    return Recorded(path, answers, data.get("_src_path"), str(commit) if commit is not None else None)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def _check_version(recorded: Recorded, source: _template.Source) -> None:
    """The recorded template version must be one this installation can render again."""
    if not source.bundled:
        return
    old = recorded.version
    if old is None:
        raise UpdateError(
            f"{recorded.path}: _commit {recorded.commit!r} is not a template version; restore the file from git"
        )
    if source.version is not None and old > source.version:
        raise UpdateError(
            f"{recorded.path}: written by scaffold templates v{old}, newer than the v{source.version} "
            "installed here; upgrade scaffold (pip install -U scaffold), then update"
        )
    if recorded.commit not in source.known:
        raise UpdateError(
            f"{recorded.path}: template version {recorded.commit} is unknown to this scaffold "
            "(rendered by a development checkout?); rerun `scaffold init --force` to re-record the answers"
        )


def preflight(root: Path, *, trust: bool = False) -> tuple[Recorded, _template.Source]:
    """Everything update needs, checked before anything is written."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UpdateError(
            f"{root}: not a git repository; update merges through git: "
            "run `git init`, commit the generated files, then update"
        )
    recorded = read_answers(root)
    if not recorded.src_path or not recorded.commit:
        raise UpdateError(
            f"{recorded.path}: no template version recorded (_src_path/_commit); "
            "rerun `scaffold init --force` to render from a versioned template"
        )
    source = _template.resolve(recorded.src_path, trust=trust)
    _check_version(recorded, source)
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    if status.returncode != 0:
        raise UpdateError(f"{root}: git status failed: {status.stderr.strip()}")
    dirty = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        raise UpdateError(
            f"{root}: uncommitted changes ({shown}); commit or stash them first, "
            "so the update can be reviewed and undone"
        )
    return recorded, source


@dataclass
class UpdateResult:
    old: str | None
    new: str | None
    changed: list[tuple[str, str]] = field(default_factory=list)  # (git status code, path)
    conflicts: list[str] = field(default_factory=list)
    up_to_date: bool = False


def update(
    path: Path | str = ".",
    answers: dict[str, Any] | None = None,
    *,
    defaults: bool = False,
    conflict: str = "inline",
    trust: bool = False,
) -> UpdateResult:
    """Merge the newest installed template version into the repository at ``path``."""
    root = _root(path)
    recorded, source = preflight(root, trust=trust)
    answers = dict(answers or {})
    if source.bundled and recorded.commit == source.ref and not answers:
        return UpdateResult(recorded.commit, source.ref, up_to_date=True)
    data, user_defaults = _new_answers(root, recorded, answers, interactive=not defaults)
    import copier
    from copier.errors import CopierAnswersInterrupt, InteractiveSessionError, UnsafeTemplateError, UserMessageError

    try:
        with source.environment():
            worker = copier.run_update(
                str(root),
                answers_file=ANSWERS_FILE,
                vcs_ref=source.ref,
                data=data,
                user_defaults=user_defaults,
                defaults=defaults,
                skip_answered=True,
                overwrite=True,
                conflict=conflict,
                quiet=True,
                unsafe=source.unsafe,
                settings=copier.Settings(),
            )
    except BaseException as err:
        # The tree was clean before Copier started: put it back as it was.
        _restore(root)
        if isinstance(err, (CopierAnswersInterrupt, KeyboardInterrupt)):
            raise UpdateError("interrupted; nothing was changed") from err
        if isinstance(err, InteractiveSessionError):
            raise UpdateError(
                "a new question needs an answer and there is no terminal; use --defaults or --data NAME=VALUE"
            ) from err
        if isinstance(err, UnsafeTemplateError):
            raise UpdateError(
                f"{recorded.src_path}: the template runs tasks or migrations; review it, then rerun with --trust"
            ) from err
        if isinstance(err, (UserMessageError, ValueError)):
            raise UpdateError(f"update failed, nothing was changed: {err}") from err
        raise
    new = worker.template.commit if worker.template else source.ref
    return UpdateResult(recorded.commit, new, *_summary(root, conflict))


def _new_answers(root: Path, recorded: Recorded, answers: dict[str, Any], *, interactive: bool) -> tuple[dict, dict]:
    """Data and defaults for the questions the recorded answers do not cover, from detection.
    Recorded answers are replayed as they are; --data overrides them."""
    from scaffolder._main import make_plan

    try:
        plan = make_plan(root, {**recorded.answers, **answers}, interactive=interactive)
    except NotAProjectError:
        return answers, {}
    data = {k: v for k, v in plan.data.items() if k not in recorded.answers}
    data.update(answers)
    user_defaults = {k: v for k, v in plan.defaults.items() if k not in recorded.answers and k not in data}
    return data, user_defaults


def _restore(root: Path) -> None:
    # Copier may have written part of the update; the tree was clean before it started.
    _git(root, "reset", "--quiet", "--", ".")
    _git(root, "checkout", "--quiet", "--", ".")
    _git(root, "clean", "--quiet", "-d", "--force", "--", ".")


def _summary(root: Path, conflict: str) -> tuple[list[tuple[str, str]], list[str]]:
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    changed = [(line[:2].strip() or "M", line[3:]) for line in status.stdout.splitlines() if line.strip()]
    if conflict == "rej":
        conflicts = sorted(p[: -len(".rej")] for _, p in changed if p.endswith(".rej"))
    else:
        unmerged = _git(root, "diff", "--name-only", "--diff-filter=U", "--relative", "--", ".")
        conflicts = sorted(set(unmerged.stdout.split()))
    return changed, conflicts


# --- check ------------------------------------------------------------------------------------


@dataclass
class Drift:
    name: str
    recorded: Any
    detected: Any
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "recorded": self.recorded, "detected": self.detected, "source": self.source}


@dataclass
class CheckResult:
    path: str
    recorded: str | None
    available: str | None
    drift: list[Drift] = field(default_factory=list)

    @property
    def template_outdated(self) -> bool:
        old, new = _commit_version(self.recorded), _commit_version(self.available)
        return old is not None and new is not None and new > old

    @property
    def up_to_date(self) -> bool:
        return not self.template_outdated and not self.drift

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "up_to_date": self.up_to_date,
            "template": {"recorded": self.recorded, "available": self.available, "outdated": self.template_outdated},
            "answers": [d.as_dict() for d in self.drift],
        }


def check(path: Path | str = ".") -> CheckResult:
    """Is the repository at ``path`` up to date with the installed templates and with itself?"""
    root = _root(path)
    recorded = read_answers(root)
    source = _template.resolve(recorded.src_path)
    available = source.ref if source.bundled else _newest_remote_tag(recorded.src_path)
    return CheckResult(str(root), recorded.commit, available, _drift(root, recorded))


def _newest_remote_tag(url: str | None) -> str | None:
    """The newest PEP 440 ``v`` tag of a custom template (git ls-remote; None if unreachable)."""
    if not url:
        return None
    from scaffolder._history import tag_version

    proc = subprocess.run(["git", "ls-remote", "--tags", "--refs", url], capture_output=True, text=True)
    tags = [line.split("refs/tags/", 1)[1] for line in proc.stdout.splitlines() if "refs/tags/" in line]
    versioned = [(v, t) for t in tags if (v := tag_version(t) or _commit_version(t)) is not None]
    return max(versioned)[1] if versioned else None


def _drift(root: Path, recorded: Recorded) -> list[Drift]:
    """Recorded answers that files in the repository now contradict (facts detection is certain of)."""
    from scaffolder._detect import detect

    try:
        detections = detect(root)
    except ScaffoldError:
        return []
    language = recorded.answers.get("language")
    chosen = next((d for d in detections if d.language == language), None)
    if chosen is None:
        if language and detections:
            found = ", ".join(d.language for d in detections)
            return [Drift("language", language, found, ", ".join(d.source for d in detections))]
        return []
    return [
        Drift(fact.name, recorded.answers[fact.name], fact.value, fact.source)
        for fact in chosen.facts
        if fact.certainty == CERTAIN and fact.name in recorded.answers and recorded.answers[fact.name] != fact.value
    ]
