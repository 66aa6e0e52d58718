"""Run the whole hostile corpus (tests/hostile.py) through detect, detect --json and init
--defaults --dry-run in this process, the hostile answers files through check and update, and print the counts: cases, runs, failures by kind, the slowest
case and the peak memory of the process.

    python -m tests.benchmarks.bench_hostile [--only KIND] [--show N]
"""

from __future__ import annotations

import argparse
import collections
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests import hostile


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args], cwd=root, check=True,
                   capture_output=True)


def _answers_bombs(root: Path, outside: Path, failures: list, by_kind: collections.Counter) -> int:
    """Every hostile answers file through check and update of an initialised, committed project."""
    root.mkdir()
    (root / "app.py").write_text("print('hi')\n")
    _git(root, "init", "--quiet", "--initial-branch", "main")
    assert hostile.run_in_process(["init", "--defaults", str(root)], outside).code == 0
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "-m", "init")
    runs = 0
    for name, content in hostile.ANSWERS_BOMBS.items():
        (root / ".scaffold-answers.yml").write_bytes(content if isinstance(content, bytes) else content.encode())
        _git(root, "commit", "--quiet", "-am", name)
        before = hostile.snapshot(root)
        for argv in (["check", str(root)], ["update", "--defaults", str(root)]):
            outcome = hostile.run_in_process(argv, outside, name)
            runs += 1
            problems = [p for p in outcome.problems(".scaffold-answers.yml") if not p.startswith("0 error lines")]
            if outcome.code in (None, 0):
                problems.append("accepted")
            if hostile.snapshot(root) != before:
                problems.append("files changed")
            if problems:
                failures.append((f"answers:{name}", argv[0], problems))
                by_kind["answers"] += 1
        _git(root, "reset", "--quiet", "--hard", "HEAD~1")
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the cases of this kind")
    parser.add_argument("--show", type=int, default=20, help="failures printed (default 20)")
    parser.add_argument("--no-init", action="store_true", help="detect and detect --json only")
    args = parser.parse_args(argv)
    cases = [c for c in hostile.corpus() if not args.only or c.kind == args.only]
    failures: list[tuple[str, str, list[str]]] = []
    by_kind: collections.Counter[str] = collections.Counter()
    runs = exits = 0
    cases_run = len(cases)
    slowest = (0.0, "")
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        outside = hostile.outside_dir(base)
        for index, case in enumerate(cases):
            root = case.build(base / f"case{index}", outside)
            commands = [["detect", str(root)], ["detect", "--json", str(root)]]
            if not args.no_init:
                commands.append(["init", "--defaults", "--dry-run", str(root)])
            before = hostile.snapshot(root)
            for argv_ in commands:
                began = time.monotonic()
                outcome = hostile.run_in_process(argv_, outside, case.id)
                took = time.monotonic() - began
                slowest = max(slowest, (took, f"{case.id} ({' '.join(argv_[:2])})"))
                runs += 1
                exits += outcome.code not in (None, 0)
                problems = outcome.problems(case.blame)
                if hostile.snapshot(root) != before:
                    problems.append("files changed")
                if problems:
                    failures.append((case.id, " ".join(argv_[:-1]), problems))
                    by_kind[case.kind] += 1
            hostile.restore_permissions(root)
            shutil.rmtree(root, ignore_errors=True)
        if not args.only and not args.no_init:
            counted = _answers_bombs(base / "answers", outside, failures, by_kind)
            runs += counted
            cases_run += len(hostile.ANSWERS_BOMBS)
    elapsed = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases: {cases_run}  kinds: {len({c.kind for c in cases}) + (cases_run > len(cases))}  runs: {runs}  non-zero exits: {exits}")
    print(f"failed runs: {len(failures)}  tracebacks: {sum(any(p.startswith('traceback') for p in f[2]) for f in failures)}")
    for kind, count in sorted(by_kind.items()):
        print(f"  {kind}: {count}")
    print(f"time: {elapsed:.1f} s  slowest run: {slowest[0]:.2f} s {slowest[1]}  peak RSS: {peak:.0f} MB")
    for case_id, command, problems in failures[: args.show]:
        print(f"FAIL {case_id} [{command}]: {'; '.join(problems)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
