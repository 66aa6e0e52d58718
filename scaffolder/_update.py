"""`scaffold update` and `scaffold check`.

update: Copier's 3-way merge. It renders the recorded template version with the recorded
answers, takes the user's edits as the diff from that render to the repository, renders the new
version and replays the edits on it. Preconditions are checked here first, so each failure is one
clear line and nothing has been touched.

check: compares the recorded template version with the newest installed one, and the recorded
answers with what detection finds now. Read-only and fast (no Copier, no git).
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from scaffolder import _answers, _copier, _plan, _questions, _schema, _template
from scaffolder._answers import Recorded, commit_version
from scaffolder._detect import detect
from scaffolder._history import run_git, tag_version
from scaffolder._repo import Repo
from scaffolder.errors import NotAProjectError, ScaffoldError, UpdateError, excerpt
from scaffolder.providers import CERTAIN


def _root(path: Path | str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise NotAProjectError(f"{excerpt(root, 120)}: " + ("no such directory" if not root.exists() else "not a directory"))
    return root.resolve()


def read_answers(root: Path) -> Recorded:
    return _answers.read(root, missing_hint="nothing to update or check: run `scaffold init` first, it records the answers")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_git(*args, cwd=root)


# Files git itself opens while it reads the work tree: a FIFO or device among them blocks it.
_GIT_INPUTS = frozenset({".gitignore", ".gitattributes", ".gitmodules", ".mailmap"})


def _check_git_inputs(top: Path, root: Path) -> None:
    """Refuse, before git runs, a git input that is not a regular file: the ignore and attribute
    files of ``root``'s tree and of the directories above it up to the work tree's ``top``, and
    the repository's own info/exclude and info/attributes."""
    candidates = [top / ".git" / "info" / "exclude", top / ".git" / "info" / "attributes"]
    directory = root
    while directory != top and top in directory.parents:
        directory = directory.parent
        candidates += [directory / name for name in _GIT_INPUTS]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        candidates += [Path(dirpath, name) for name in (*filenames, *dirnames) if name in _GIT_INPUTS]
    for path in candidates:
        try:
            mode = os.stat(path).st_mode  # through a link: git would read what it names
        except FileNotFoundError:
            continue
        except OSError as err:
            raise UpdateError(f"{path}: cannot read: {err.strerror or err}; git reads it (fix or remove it)") from err
        if not stat.S_ISREG(mode):
            raise UpdateError(f"{path}: not a regular file, and git reads it (a FIFO would block it); "
                              "replace it with a regular file or remove it")


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
    recorded.require_valid()
    if not recorded.src_path or not recorded.commit:
        raise UpdateError(
            f"{recorded.path}: no template version recorded (_src_path/_commit); "
            "rerun `scaffold init --force` to render from a versioned template"
        )
    source = _template.resolve(recorded.src_path, trust=trust)
    _check_version(recorded, source)
    _check_git_inputs(Path(top.stdout.strip()).resolve(), root.resolve())
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
    dry_run: bool = False
    diff: str = ""  # dry run: the change the update would make, as a git diff
    # Files the answers no longer render: deleted when unedited, else kept.
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

def update(
    path: Path | str = ".",
    answers: dict[str, Any] | None = None,
    *,
    defaults: bool = False,
    conflict: str = "inline",
    trust: bool = False,
    origins: dict[str, str] | None = None,
    dry_run: bool = False,
) -> UpdateResult:
    """Merge the newest installed template version into the repository at ``path``.
    ``dry_run`` merges into a scratch clone instead and returns the diff; the repository is
    not touched."""
    root = _root(path)
    recorded, source = preflight(root, trust=trust)
    answers = _questions.checked_answers(source, answers or {}, origins)
    # At the root of several apps: the root (docker-bake.hcl), then each app in its directory.
    apps = [(rel, *preflight(root / rel, trust=trust)) for rel in recorded_apps(recorded)]
    if source.bundled and not answers and all(r.commit == source.ref for r in [recorded, *(a[1] for a in apps)]):
        return UpdateResult(recorded.commit, source.ref, up_to_date=True, dry_run=dry_run)
    if not dry_run:
        return _merge_all(root, recorded, source, answers, apps, defaults=defaults, conflict=conflict)
    with _scratch_clone(root) as scratch:
        result = _merge_all(scratch, recorded, source, answers, apps, defaults=defaults, conflict=conflict)
        _git(scratch, "add", "--all", "--", ".")
        result.diff = _git(scratch, "diff", "--cached", "--relative", "--no-color", "--", ".").stdout
        result.dry_run = True
        return result


def recorded_apps(recorded: Recorded) -> list[str]:
    """The app directories the answers file of a root of several apps records (else none)."""
    apps = recorded.answers.get("apps")
    if not apps or _schema.problem("apps", apps):
        return []
    return [app["path"] for app in apps]


def _merge_all(
    root: Path, recorded: Recorded, source: _template.Source, answers: dict[str, Any],
    apps: list[tuple[str, Recorded, _template.Source]], *, defaults: bool, conflict: str,
) -> UpdateResult:
    """The root's merge, then each app's (their preflight passed before any of them started);
    on a failure the whole tree is put back as it was."""
    if not apps:
        return _merge(root, recorded, source, answers, defaults=defaults, conflict=conflict)
    root_answers, app_answers = _plan.split_answers(answers)
    try:
        result = _merge(root, recorded, source, root_answers, defaults=defaults, conflict=conflict, plan=False)
        removed, kept = list(result.removed), list(result.kept)
        for rel, app_recorded, app_source in apps:
            merged = _merge(root / rel, app_recorded, app_source, app_answers, defaults=defaults, conflict=conflict)
            removed += [f"{rel}/{name}" for name in merged.removed]
            kept += [f"{rel}/{name}" for name in merged.kept]
        # Each app's merge diffs the whole repository against its own render, so it puts back
        # from the index a file an earlier merge removed: remove those again.
        for name in removed:
            (root / name).unlink(missing_ok=True)
    except BaseException:
        _restore(root)
        raise
    return UpdateResult(recorded.commit, result.new, *_summary(root, conflict), removed=removed, kept=kept)


def _merge(
    root: Path, recorded: Recorded, source: _template.Source, answers: dict[str, Any], *, defaults: bool, conflict: str,
    plan: bool = True,
) -> UpdateResult:
    try:
        if not plan:  # the root of several apps: its answers are the recorded apps, no detection
            raise NotAProjectError(str(root))
        made = _plan.make_plan(root, answers, interactive=not defaults, recorded=recorded.answers)
        data, user_defaults = made.data, made.defaults
    except NotAProjectError:
        data, user_defaults = answers, {}
    try:
        # Copier's own .rej files hold the user's hunks and leave the template's lines in the file;
        # scaffold keeps the user's lines and puts the template's hunk in the .rej instead.
        new = _copier.update(
            root, source, data=data, user_defaults=user_defaults, defaults=defaults, conflict="inline"
        )
        removed, kept = _keep_edited_removals(root, recorded, source)
        if conflict == "rej":
            _conflicts_to_rej(root)
    except BaseException:
        # The tree was clean before Copier started: put it back as it was.
        _restore(root)
        raise
    return UpdateResult(recorded.commit, new, *_summary(root, conflict), removed=removed, kept=kept)


def _keep_edited_removals(root: Path, recorded: Recorded, source: _template.Source) -> tuple[list[str], list[str]]:
    """Copier deletes every file the old render had and the new one lacks (compose.yaml once
    the compose answer is off), edited or not. A file stays deleted only when it is byte for
    byte what the recorded answers and template version render, so the user never edited it;
    an edited one is put back. Returns (removed, kept), relative to ``root``."""
    listed = _git(root, "ls-files", "--deleted", "-z", "--", ".")
    gone = sorted(set(filter(None, listed.stdout.split("\0"))))
    if not gone:
        return [], []
    # The tree was clean before Copier ran: what it deleted is in HEAD, and back in one checkout.
    restored = _git(root, "checkout", "--quiet", "HEAD", "--", *gone)
    if restored.returncode != 0:
        raise UpdateError(f"{root}: cannot put back {', '.join(gone)} from HEAD: {restored.stderr.strip()}")
    at_recorded = dataclasses.replace(source, ref=recorded.commit, directory=None)
    written = _copier.copy(at_recorded, recorded.answers, {}, defaults=True)
    removed = [name for name in gone if _unedited(root / name, written.get(name))]
    for name in removed:
        (root / name).unlink()
    return removed, [name for name in gone if name not in removed]


def _unedited(path: Path, rendered: bytes | None) -> bool:
    if rendered is None or path.is_symlink() or not path.is_file() or path.stat().st_size != len(rendered):
        return False
    return path.read_bytes() == rendered


_CONFLICT = re.compile(
    r"^<{7} [^\n]*\n(?P<ours>(?:(?!={7}\n|\|{7}).*\n)*?)(?:\|{7}[^\n]*\n(?:.*\n)*?)?={7}\n"
    r"(?P<theirs>(?:.*\n)*?)>{7}[^\n]*\n",
    re.M,
)


def split_conflicts(text: str) -> tuple[str, str]:
    """``text`` with each inline conflict resolved to the user's side, and the template's sides
    as unified-diff hunks against that text (applies with ``git apply --unidiff-zero``)."""
    kept: list[str] = []
    hunks: list[str] = []
    position = 0
    old_line = 1  # the line the next kept text starts on, in the kept file
    shift = 0  # lines the hunks so far add (+) or remove (-) from the kept file
    for match in _CONFLICT.finditer(text):
        before = text[position:match.start()]
        kept.append(before)
        old_line += before.count("\n")
        ours = match.group("ours").splitlines(keepends=True)
        theirs = match.group("theirs").splitlines(keepends=True)
        # An empty side names the line before it, as diff writes a pure insertion or deletion.
        old_start = old_line if ours else old_line - 1
        new_start = old_line + shift if theirs else old_line + shift - 1
        hunks.append(
            f"@@ -{old_start},{len(ours)} +{new_start},{len(theirs)} @@\n"
            + "".join(f"-{x}" for x in ours)
            + "".join(f"+{x}" for x in theirs)
        )
        kept.append(match.group("ours"))
        old_line += len(ours)
        shift += len(theirs) - len(ours)
        position = match.end()
    kept.append(text[position:])
    return "".join(kept), "".join(hunks)


def _conflicts_to_rej(root: Path) -> None:
    """Each file Copier marked with inline conflicts keeps the user's side (before updating) and
    gets ``FILE.rej``: the template's side as a unified-diff hunk against it, to apply or drop."""
    unmerged = _git(root, "diff", "--name-only", "--diff-filter=U", "--relative", "--", ".").stdout.split()
    for rel in sorted(set(unmerged)):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        kept, hunks = split_conflicts(text)
        if not hunks:
            continue
        path.write_text(kept, encoding="utf-8")
        (root / f"{rel}.rej").write_text(f"--- a/{rel}\n+++ b/{rel}\n" + hunks, encoding="utf-8")
        # The index holds Copier's conflict stages for the file; the .rej now stands for them.
        _git(root, "reset", "--quiet", "--", rel)


@contextmanager
def _scratch_clone(root: Path) -> Iterator[Path]:
    """A throwaway clone of the repository holding ``root`` (whose tree is clean, so the clone's
    is the same); yields the directory that stands for ``root`` in it."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip()).resolve()
    inside = root.resolve().relative_to(top)
    with tempfile.TemporaryDirectory(prefix="scaffold-dry-run-") as tmp:
        clone = Path(tmp) / top.name  # the same directory name: a default may come from it
        proc = run_git("clone", "--quiet", "--shared", str(top), str(clone))
        if proc.returncode != 0:
            raise UpdateError(f"{root}: cannot clone the repository for the dry run: {proc.stderr.strip()}")
        yield clone / inside


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


# `scaffold check` exit codes: up to date, out of date (update fixes it), invalid (a person must).
UP_TO_DATE, OUT_OF_DATE, INVALID = 0, 1, 3


@dataclass
class CheckResult:
    path: str
    recorded: str | None
    available: str | None
    drift: list[Drift] = field(default_factory=list)
    # What update cannot fix: answers the schema refuses, an unknown template version,
    # conflict markers left in generated files.
    problems: list[str] = field(default_factory=list)
    # At the root of several apps: each app's own check, by its directory.
    apps: dict[str, "CheckResult"] = field(default_factory=dict)

    @property
    def template_outdated(self) -> bool:
        old, new = commit_version(self.recorded), commit_version(self.available)
        return old is not None and new is not None and new > old

    @property
    def up_to_date(self) -> bool:
        return self.root_up_to_date and all(app.up_to_date for app in self.apps.values())

    @property
    def root_up_to_date(self) -> bool:
        return not self.template_outdated and not self.drift and not self.problems

    @property
    def exit_code(self) -> int:
        own = INVALID if self.problems else UP_TO_DATE if self.root_up_to_date else OUT_OF_DATE
        return max([own, *(app.exit_code for app in self.apps.values())])

    def as_dict(self) -> dict[str, Any]:
        result = {
            "path": self.path,
            "up_to_date": self.up_to_date,
            "template": {"recorded": self.recorded, "available": self.available, "outdated": self.template_outdated},
            "answers": [d.as_dict() for d in self.drift],
            "problems": list(self.problems),
        }
        if self.apps:
            result["apps"] = {rel: app.as_dict() for rel, app in self.apps.items()}
        return result


def check(path: Path | str = ".") -> CheckResult:
    """Is the repository at ``path`` up to date with the installed templates and with itself?"""
    root = _root(path)
    recorded = read_answers(root)
    source = _template.resolve(recorded.src_path)
    available = source.ref if source.bundled else _newest_remote_tag(recorded.src_path)
    problems = [str(err) for err in recorded.problems()]
    try:
        _check_version(recorded, source)
    except UpdateError as err:
        problems.append(str(err))
    problems += _conflict_markers(root, source)
    apps = recorded_apps(recorded)
    if not apps:
        return CheckResult(str(root), recorded.commit, available, _drift(root, recorded), problems)
    result = CheckResult(str(root), recorded.commit, available, _apps_drift(root, apps), problems)
    for rel in apps:
        try:
            result.apps[rel] = check(root / rel)
        except ScaffoldError as err:
            result.apps[rel] = CheckResult(str(root / rel), None, available, problems=[str(err)])
    return result


def _apps_drift(root: Path, recorded: list[str]) -> list[Drift]:
    """The root of several apps: an app root found now that the answers do not record, or the reverse."""
    from scaffolder._detect import app_roots

    try:
        found = [a.path for a in app_roots(root) if not a.not_an_app]
    except ScaffoldError:
        return []
    if sorted(found) == sorted(recorded):
        return []
    return [Drift("apps", recorded, found, "the app roots found now; `scaffold init` at the root renders new ones")]


def _generated_files(source: _template.Source) -> list[str]:
    """The files a template renders at the top of the repository: its ``*.jinja`` files (those
    with a plain name) and the answers file. For a remote template, the bundled template's."""
    local = Path(source.url)
    directory = source.directory or (local if not source.bundled and local.is_dir() else _template.template_dir())
    names = sorted(p.name[: -len(".jinja")] for p in directory.iterdir() if p.name.endswith(".jinja") and "{" not in p.name)
    return [*names, _answers.ANSWERS_FILE]


_MARKER = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.M)


def _conflict_markers(root: Path, source: _template.Source) -> list[str]:
    """Generated files that still hold merge conflict markers (an update left unresolved)."""
    repo = Repo(root)
    found = []
    for name in _generated_files(source):
        if not repo.exists(name):
            continue
        try:
            text = repo.read_text(name, long_lines=True)
        except ScaffoldError as err:
            found.append(str(err))
            continue
        match = _MARKER.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{root / name}:{line}: conflict marker left by an update; resolve the conflict, then commit")
    return found


def _newest_remote_tag(url: str | None) -> str | None:
    """The newest PEP 440 ``v`` tag of a custom template (git ls-remote; None if unreachable)."""
    if not url:
        return None
    try:
        proc = run_git("ls-remote", "--tags", "--refs", url, timeout=30)
    except UpdateError:
        return None  # unreachable: check reports what it can
    tags = [line.split("refs/tags/", 1)[1] for line in proc.stdout.splitlines() if "refs/tags/" in line]
    versioned = [(v, t) for t in tags if (v := tag_version(t) or commit_version(t)) is not None]
    return max(versioned)[1] if versioned else None


def _drift(root: Path, recorded: Recorded) -> list[Drift]:
    """Recorded answers that files in the repository now contradict (facts detection is certain of)."""
    try:
        detections = detect(root)
        plan = _plan.plan(root, detections, {}, recorded=recorded.answers)
    except ScaffoldError:
        return []
    if plan.questions and plan.questions[0].name == "language":
        return []
    if not any(d is plan.detection for d in detections):
        # The recorded language is no longer found.
        if not detections:
            return []
        found = ", ".join(d.language for d in detections)
        return [Drift("language", recorded.answers.get("language"), found, ", ".join(d.source for d in detections))]
    return [
        Drift(fact.name, recorded.answers[fact.name], fact.value, fact.source)
        for fact in plan.detection.facts
        if fact.certainty == CERTAIN and fact.name in recorded.answers and recorded.answers[fact.name] != fact.value
    ]
