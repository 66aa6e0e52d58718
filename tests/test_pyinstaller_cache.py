"""PyInstaller's analysis, kept in a cache mount between builds, is reused only while it holds.

Slow (builds images): marked ``docker``. python-pyinstaller is built, changed and rebuilt in a
temporary copy: a one-line change must reuse the analysis and run the new line; a new import must
run the analysis again and work; two projects with the same name and program (the same cache
mount) must each get their own code.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.docker_harness import EXAMPLES, ExampleRun

pytestmark = pytest.mark.docker

ANALYSIS_RAN = "INFO: Running Analysis"
GREETING = 'print(f"hello, {args.name}")'


def _example(workdir: Path, docker: str, greeting: str) -> ExampleRun:
    """The example, greeting with ``greeting``: a text of this run's, so no earlier layer matches."""
    workdir.mkdir(parents=True, exist_ok=True)
    run = ExampleRun(EXAMPLES / "python-pyinstaller", workdir, docker=docker)
    run.prepare()
    _edit(run, GREETING, GREETING.replace("hello", greeting))
    return run


def _edit(run: ExampleRun, old: str, new: str) -> None:
    cli = run.dir / "cli.py"
    text = cli.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {cli}"
    cli.write_text(text.replace(old, new), encoding="utf-8")


def _output(run: ExampleRun) -> list[str]:
    return run._docker("run", "--rm", run.tag, timeout=60).stdout.splitlines()


def test_a_changed_line_reuses_the_analysis_and_a_new_import_does_not(tmp_path, docker):
    token = uuid.uuid4().hex[:12]
    run = _example(tmp_path, docker, f"first-{token}")
    try:
        run.init()
        run.ensure_bases()
        run.build("first build")
        assert _output(run)[0] == f"first-{token}, pyinstaller"
        _edit(run, f"first-{token}", f"changed-{token}")
        log = run.build("rebuild after a one-line change")
        assert ANALYSIS_RAN not in log, "a change that keeps every import ran PyInstaller's analysis again"
        assert _output(run)[0] == f"changed-{token}, pyinstaller"
        # A module new to the project (named for this run, so no earlier analysis has it), which
        # imports a standard module the program did not use: a reused analysis would leave both out.
        (run.dir / f"extra_{token}.py").write_text("import colorsys\n\nVALUE = colorsys.rgb_to_hsv(1.0, 0.0, 0.0)\n")
        _edit(run, "import platform\n", f"import platform\n\nimport extra_{token}\n")
        _edit(run, GREETING.replace("hello", f"changed-{token}"),
              GREETING.replace("hello", f"changed-{token}") + f"\n    print(extra_{token}.VALUE)")
        log = run.build("rebuild after a new import")
        assert ANALYSIS_RAN in log, "a new import reused the analysis made without it"
        assert _output(run)[:2] == [f"changed-{token}, pyinstaller", "(0.0, 1.0, 1.0)"]
    finally:
        run.cleanup()


def test_two_projects_with_one_name_and_program_keep_their_own_code(tmp_path, docker):
    token = uuid.uuid4().hex[:12]
    first = _example(tmp_path / "first", docker, f"first-{token}")
    second = _example(tmp_path / "second", docker, f"second-{token}")
    try:
        for run in (first, second):
            run.init()
        mounts = {run.dir.joinpath("Dockerfile").read_text(encoding="utf-8").count("id=pyinstaller-python-pyinstaller,")
                  for run in (first, second)}
        assert mounts == {1}, "the two projects must share one cache mount for this test to mean anything"
        first.ensure_bases()
        first.build("first project")
        second.build("second project")
        assert _output(first)[0] == f"first-{token}, pyinstaller"
        assert _output(second)[0] == f"second-{token}, pyinstaller"
        _edit(first, f"first-{token}", f"changed-{token}")
        first.build("first project, changed")
        second.build("second project again")
        assert _output(first)[0] == f"changed-{token}, pyinstaller"
        assert _output(second)[0] == f"second-{token}, pyinstaller"
    finally:
        first.cleanup()
        second.cleanup()
