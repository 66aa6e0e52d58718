"""Snapshot tests: the files rendered for every example project are pinned in tests/snapshots/.

A template change shows up here as a reviewed diff. Regenerate after an intended change with
``SCAFFOLD_UPDATE_SNAPSHOTS=1 python -m pytest tests/unit/test_snapshots.py`` (refused under
``CI=true``: CI checks the snapshots, it never rewrites them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffolder._compat import tomllib
from scaffolder.cli import main
from tests.helpers import assert_hadolint_clean, data_args

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.parent for p in (TESTS / "examples").glob("*/expect.toml"))
# Roots of several apps: docker-bake.hcl and each app's files are pinned.
MONOREPOS = sorted(p.parent for p in (TESTS / "examples").glob("*/monorepo.toml"))
SNAPSHOTS = TESTS / "snapshots"
PINNED = ("Dockerfile", ".dockerignore", "docker-build.sh")
OPTIONAL = ("compose.yaml",)  # rendered only when its question says so: pinned present or absent
UPDATE = os.environ.get("SCAFFOLD_UPDATE_SNAPSHOTS") == "1"
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")
REGENERATE = "regenerate them locally with SCAFFOLD_UPDATE_SNAPSHOTS=1 and commit the reviewed diff"


def render(example: Path, dst: Path) -> Path:
    project = dst / example.name
    shutil.copytree(example, project)
    expect = tomllib.loads((example / "expect.toml").read_text())
    assert main(["init", "--defaults", "--force", *data_args(expect.get("data", {})), str(project)]) == 0
    return project


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_rendered_files_match_snapshot(example, tmp_path, capsys):
    if UPDATE and IN_CI:
        pytest.fail("SCAFFOLD_UPDATE_SNAPSHOTS=1 is refused under CI=true: CI checks the snapshots and never "
                    f"rewrites them; {REGENERATE}", pytrace=False)
    project = render(example, tmp_path)
    capsys.readouterr()
    pinned = SNAPSHOTS / example.name
    for name in PINNED:
        rendered = (project / name).read_bytes()
        if UPDATE:
            pinned.mkdir(parents=True, exist_ok=True)
            (pinned / name).write_bytes(rendered)
            continue
        assert (pinned / name).exists(), f"no snapshot {example.name}/{name}; {REGENERATE}"
        assert rendered == (pinned / name).read_bytes(), f"{example.name}/{name} differs from its snapshot"
    for name in OPTIONAL:
        rendered = (project / name).read_bytes() if (project / name).exists() else None
        if UPDATE:
            if rendered is None:
                (pinned / name).unlink(missing_ok=True)
            else:
                (pinned / name).write_bytes(rendered)
            continue
        snapshot = (pinned / name).read_bytes() if (pinned / name).exists() else None
        assert rendered == snapshot, f"{example.name}/{name} differs from its snapshot (rendered: {rendered is not None})"


@pytest.mark.parametrize("example", MONOREPOS, ids=[e.name for e in MONOREPOS])
def test_monorepo_files_match_snapshot(example, tmp_path, capsys):
    if UPDATE and IN_CI:
        pytest.fail(f"SCAFFOLD_UPDATE_SNAPSHOTS=1 is refused under CI=true; {REGENERATE}", pytrace=False)
    project = tmp_path / example.name
    shutil.copytree(example, project)
    assert main(["init", "--defaults", str(project)]) == 0
    capsys.readouterr()
    apps = tomllib.loads((example / "monorepo.toml").read_text())["apps"]
    names = ["docker-bake.hcl", *(f"{app}/{name}" for app in apps for name in PINNED)]
    pinned = SNAPSHOTS / example.name
    for name in names:
        rendered = (project / name).read_bytes()
        if UPDATE:
            (pinned / name).parent.mkdir(parents=True, exist_ok=True)
            (pinned / name).write_bytes(rendered)
            continue
        assert (pinned / name).exists(), f"no snapshot {example.name}/{name}; {REGENERATE}"
        assert rendered == (pinned / name).read_bytes(), f"{example.name}/{name} differs from its snapshot"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_snapshot_is_hadolint_clean(example):
    dockerfile = SNAPSHOTS / example.name / "Dockerfile"
    if not dockerfile.exists():
        pytest.fail(f"no snapshot for {example.name}; {REGENERATE}")
    assert_hadolint_clean(dockerfile.read_text())


def test_every_example_has_a_snapshot():
    if not SNAPSHOTS.is_dir():
        pytest.fail(f"{SNAPSHOTS} is missing: every example's generated files are pinned there; {REGENERATE}")
    pinned = {p.name for p in SNAPSHOTS.iterdir() if p.is_dir()}
    examples = {e.name for e in EXAMPLES}
    assert examples, "no examples found in tests/examples/"
    assert not examples - pinned, f"examples without a snapshot: {sorted(examples - pinned)}; {REGENERATE}"
    pinned -= {e.name for e in MONOREPOS}
    assert not pinned - examples, f"snapshots without an example: {sorted(pinned - examples)}"


def test_a_missing_snapshot_folder_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "SNAPSHOTS", tmp_path / "snapshots")
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        test_every_example_has_a_snapshot()


def test_update_mode_is_refused_under_ci():
    example = EXAMPLES[0].name
    before = {p: p.read_bytes() for p in (SNAPSHOTS / example).iterdir()}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_rendered_files_match_snapshot[{example}]"],
        env={**os.environ, "CI": "true", "SCAFFOLD_UPDATE_SNAPSHOTS": "1"},
        cwd=TESTS.parent, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "refused under CI=true" in proc.stdout
    assert {p: p.read_bytes() for p in (SNAPSHOTS / example).iterdir()} == before
