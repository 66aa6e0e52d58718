"""The hostile corpus (tests/hostile.py): no traceback, one line naming the file, nothing outside
the repository opened, nothing written. Every kind runs through detect and detect --json in this
process (a fixed sample of each kind; tests/benchmarks/bench_hostile.py runs them all), a few
cases through init, check and update as the user runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder import _history, _template, _update
from scaffolder.errors import ScaffoldError, UpdateError
from tests import hostile
from tests.helpers import git

CORPUS = hostile.corpus()
KINDS = sorted({c.kind for c in CORPUS})
PER_KIND = 16  # cases of each kind run here, spread over the kind


def _sample(kind: str) -> list[hostile.Case]:
    cases = [c for c in CORPUS if c.kind == kind]
    if kind == "number":  # every place a number is read, each with every number
        return cases
    step = max(1, len(cases) // PER_KIND)
    return cases[::step][:PER_KIND]


def test_the_corpus_covers_every_manifest_kind():
    assert len(CORPUS) >= 300
    assert len(KINDS) >= 17
    for name in ("pyproject.toml", "Pipfile", "Pipfile.lock", "requirements.txt", "setup.cfg", "Procfile", "go.mod",
                 "CMakeLists.txt", "meson.build", "Makefile", "vcpkg.json", "CMakePresets.json", ".goreleaser.yml"):
        assert any(name in c.files or c.blame == name for c in CORPUS), name


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    return hostile.outside_dir(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("kind", KINDS)
def test_detect_survives_the_corpus(kind, tmp_path, outside):
    failures = []
    for index, case in enumerate(_sample(kind)):
        root = case.build(tmp_path / f"case{index}", outside)
        before = hostile.snapshot(root)
        for argv in (["detect", str(root)], ["detect", "--json", str(root)]):
            outcome = hostile.run_in_process(argv, outside, case.id)
            problems = outcome.problems(case.blame)
            if hostile.snapshot(root) != before:
                problems.append("files changed")
            failures += [f"{case.id} [{' '.join(argv[:-1])}]: {p}" for p in problems]
        hostile.restore_permissions(root)
        shutil.rmtree(root, ignore_errors=True)
    assert not failures, "\n".join(failures[:20])


# The wrong types the corpus found as crashes, each with the message it now gets.
@pytest.mark.parametrize(("files", "message"), [
    ({"pyproject.toml": "[project]\nname = 'a'\nscripts = ['a']\n"}, r"^pyproject.toml:3: project.scripts must be a table"),
    ({"pyproject.toml": "[project]\nname = 'a'\n[project.scripts]\na = 5\n"}, r"^pyproject.toml:4: project.scripts.a must be a string"),
    ({"pyproject.toml": "build-system = 3\n"}, r"^pyproject.toml:1: build-system must be a table"),
    ({"pyproject.toml": "tool = []\n"}, r"^pyproject.toml:1: tool must be a table"),
    ({"pyproject.toml": "[project]\nname = 'a'\n[tool.uv]\nsources = []\n", "uv.lock": "version = 1\n"},
     r"^pyproject.toml:4: tool.uv.sources must be a table"),
    ({"pyproject.toml": "[project]\ndependencies = 'flask'\n"}, r"^pyproject.toml:2: project.dependencies must be an array of strings"),
    ({"pyproject.toml": "[project]\ndynamic = 5\n"}, r"^pyproject.toml:2: project.dynamic must be an array of strings"),
    ({"pyproject.toml": "[tool.poetry.dependencies]\nflask = {extras = 5}\n"},
     r"^pyproject.toml:2: tool.poetry.dependencies.flask.extras must be an array of strings"),
    ({"Pipfile": "[packages]\n[requires]\n", "Pipfile.lock": '{"_meta": {"sources": 4}}'},
     r"^Pipfile.lock:1: _meta.sources must be an array of objects"),
    ({"Pipfile": "requires = '*'\n"}, r"^Pipfile:1: requires must be a table"),
    ({"Procfile": "web: gunicorn 'app:app\n", "requirements.txt": "gunicorn\n"},
     r"^Procfile:1: cannot split the command: No closing quotation"),
    ({"requirements.txt": "x\n" * 6000}, r"^requirements.txt:5001: more than 5000 requirements"),
])
def test_wrong_types_are_one_line_naming_file_and_key(tmp_path, outside, files, message):
    import re

    root = hostile.Case("regression", "", {"app.py": hostile.APP_PY, **files}).build(tmp_path / "p", outside)
    outcome = hostile.run_in_process(["detect", str(root)], outside)
    assert outcome.code == 1 and not outcome.traceback, outcome.traceback
    assert re.search(message, outcome.stderr.removeprefix("scaffold: ")), outcome.stderr


# --- the commands as the user runs them -----------------------------------------------------------


def _scaffold(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scaffolder", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})


def _assert_refused(proc: subprocess.CompletedProcess, blame: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and blame in lines[0] and len(lines[0]) < 200, proc.stderr


@pytest.mark.parametrize("case_id", [
    "pyproject:tool.uv.sources=empty-list", "pipfile-lock:_meta.sources=int", "procfile:0",
    "shape:requirements.txt:not-utf8", "shape:pyproject.toml:deep-brackets",
])
def test_init_refuses_and_writes_nothing(tmp_path, outside, case_id):
    case = next(c for c in CORPUS if c.id == case_id)
    root = case.build(tmp_path / "p", outside)
    before = hostile.snapshot(root)
    _assert_refused(_scaffold("init", "--defaults", str(root)), case.blame)
    assert hostile.snapshot(root) == before


@pytest.fixture(scope="module")
def committed(tmp_path_factory) -> Path:
    """A Python project rendered by init and committed, ready for check and update."""
    root = tmp_path_factory.mktemp("initialised") / "p"
    root.mkdir()
    (root / "app.py").write_text("print('hi')\n")
    git(root, "init", "--quiet", "--initial-branch", "main")
    proc = _scaffold("init", "--defaults", str(root))
    assert proc.returncode == 0, proc.stderr
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "init")
    return root


@pytest.fixture
def initialised(committed) -> Path:
    yield committed
    git(committed, "checkout", "--quiet", "--", ".")
    git(committed, "clean", "--quiet", "-d", "--force", "-x", "--", ".")


def _check_refused(code: int | None, stdout: str, stderr: str, blame: str) -> None:
    """check reports every refused answer on its own line (exit 3), other failures as one line."""
    assert code not in (None, 0) and "Traceback" not in stderr, (stdout, stderr)
    lines = (stderr.strip() or stdout.strip()).splitlines()
    assert lines and all(blame in line and len(line) < 200 for line in lines), (stdout, stderr)


@pytest.mark.parametrize("bomb", sorted(hostile.ANSWERS_BOMBS))
def test_check_and_update_refuse_hostile_answers(initialised, outside, bomb):
    content = hostile.ANSWERS_BOMBS[bomb]
    path = initialised / ".scaffold-answers.yml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    git(initialised, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-am", bomb)
    before = hostile.snapshot(initialised)
    for argv in (["check", str(initialised)], ["update", "--defaults", str(initialised)]):
        outcome = hostile.run_in_process(argv, outside)
        assert not outcome.traceback, outcome.traceback
        _check_refused(outcome.code, outcome.stdout, outcome.stderr, ".scaffold-answers.yml")
        assert hostile.snapshot(initialised) == before
    if bomb in ("billion-laughs", "anchor", "merge-key"):
        assert "anchors and aliases" in outcome.stderr
    git(initialised, "reset", "--quiet", "--hard", "HEAD~1")


def test_check_and_update_refuse_an_alias_bomb_as_the_user_runs_them(initialised):
    (initialised / ".scaffold-answers.yml").write_text(hostile.BILLION_LAUGHS)
    for argv in (["check", str(initialised)], ["update", "--defaults", str(initialised)]):
        proc = _scaffold(*argv)
        _check_refused(proc.returncode, proc.stdout, proc.stderr, ".scaffold-answers.yml:1: anchors and aliases")


def test_data_file_aliases_are_refused(tmp_path):
    (tmp_path / "app.py").write_text("print('hi')\n")
    (tmp_path / "answers.yml").write_text(hostile.BILLION_LAUGHS)
    proc = _scaffold("init", "--defaults", "--dry-run", "--data-file", str(tmp_path / "answers.yml"), str(tmp_path))
    _assert_refused(proc, "answers.yml:1: anchors and aliases")


def test_a_fifo_among_gits_inputs_is_refused_before_git_runs(initialised):
    (initialised / "sub").mkdir()
    os.mkfifo(initialised / "sub" / ".gitignore")
    proc = _scaffold("update", "--defaults", str(initialised))
    _assert_refused(proc, "sub/.gitignore: not a regular file, and git reads it")


def test_a_git_command_out_of_time_is_an_update_error(tmp_path, monkeypatch):
    monkeypatch.setattr(_history, "GIT_TIMEOUT", 1e-6)
    with pytest.raises(UpdateError, match=r"^git status in .* did not finish"):
        _history.run_git("status", cwd=tmp_path)


def test_a_template_that_cannot_be_cloned_is_not_rendered_unchecked(tmp_path):
    with pytest.raises(ScaffoldError, match="cannot clone the template to check its links"):
        _template._git_links(str(tmp_path / "missing.git"))


# --- .rej line numbers ----------------------------------------------------------------------------


def _conflict(ours: str, theirs: str) -> str:
    return f"<<<<<<< before updating\n{ours}=======\n{theirs}>>>>>>> after updating\n"


@pytest.mark.parametrize(("first", "second"), [
    (("a1\n", "t1\nt2\nt3\n"), ("a2\n", "t4\n")),  # the template's side grows, then a second conflict
    (("a1\na2\na3\n", "t1\n"), ("a4\n", "t2\nt3\n")),  # it shrinks
    (("", "t1\nt2\n"), ("a1\n", "")),  # a pure insertion, then a pure deletion
    (("a1\n", ""), ("", "t1\n")),
])
def test_rej_hunks_apply_after_the_first_conflict(tmp_path, first, second):
    text = "l1\nl2\n" + _conflict(*first) + "l3\nl4\nl5\n" + _conflict(*second) + "l6\n"
    kept, hunks = _update.split_conflicts(text)
    assert kept == "l1\nl2\n" + first[0] + "l3\nl4\nl5\n" + second[0] + "l6\n"
    git(tmp_path, "init", "--quiet")
    (tmp_path / "f").write_text(kept)
    (tmp_path / "f.rej").write_text("--- a/f\n+++ b/f\n" + hunks)
    git(tmp_path, "apply", "--unidiff-zero", "f.rej")
    assert (tmp_path / "f").read_text() == "l1\nl2\n" + first[1] + "l3\nl4\nl5\n" + second[1] + "l6\n"
