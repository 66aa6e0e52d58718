"""Wall time of `scaffold update` and `scaffold check` on a small repository. Targets: update
under 2 s, check under 1 s. Also times `scaffold init --defaults` from a released version.

    python tests/benchmarks/bench_update.py [--runs 5]

Scaffold "as installed" with two template versions: the newest release in
scaffolder/templates.bundle (v1) and v1 with a changed Dockerfile template (v2), in a bundle of
their own. A small Go repository is rendered with v1, edited by its user and committed; each run
updates it to v2 in a fresh process (interpreter start-up and imports included, as the user sees
it), then the repository is reset. The first run of each command fills scaffold's cache and is
reported apart from the median. CPU is user+system time of the process and its git children:
on a busy machine it is the better guess of the wall time on an idle one.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from packaging.version import Version

from scaffolder import _history

UPDATE_TARGET, CHECK_TARGET, INIT_TARGET = 2.0, 1.0, 1.0

# Runs the CLI with the benchmark's bundle and templates standing in for the installed ones.
WRAPPER = """\
import os, sys
from pathlib import Path
from scaffolder import _template
_template.bundle_path = lambda: Path(os.environ["BENCH_BUNDLE"])
_template.template_dir = lambda: Path(os.environ["BENCH_TEMPLATES"])
from scaffolder.cli import main
sys.exit(main(sys.argv[1:]))
"""

HELLO_GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


CPU: list[tuple[str, float]] = []  # (command, CPU seconds of the process and its git children)


def scaffold(env: dict[str, str], *args: str) -> tuple[float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append((args[0], after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime))
    return elapsed, proc


def setup(tmp: Path) -> tuple[dict[str, str], dict[str, str], Path]:
    shipped = _history.read_releases(_history.bundle_path())[-1]
    v1 = tmp / "v1"
    clone = tmp / "shipped.git"
    git(tmp, "clone", "--quiet", "--bare", str(_history.bundle_path()), str(clone))
    v1.mkdir()
    archive = subprocess.run(["git", "archive", shipped.tag], cwd=clone, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(v1)], input=archive, check=True)
    v2 = tmp / "v2"
    shutil.copytree(v1, v2)
    dockerfile = v2 / "Dockerfile.jinja"
    dockerfile.write_text("# Template v2: a changed header line.\n" + dockerfile.read_text())
    bundle = tmp / "install" / "templates.bundle"
    bundle.parent.mkdir()
    _history.release(shipped.version, v1, bundle, version_file=None)
    newer = _history.next_version(shipped.version, None)
    bundle2 = tmp / "install2" / "templates.bundle"
    bundle2.parent.mkdir()
    shutil.copy(bundle, bundle2)
    _history.release(newer, v2, bundle2, version_file=None)

    base = {**os.environ, "SCAFFOLD_CACHE_DIR": str(tmp / "cache"), "GIT_AUTHOR_NAME": "bench",
            "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
            "GIT_COMMITTER_EMAIL": "bench@example.com"}
    old = {**base, "BENCH_BUNDLE": str(bundle), "BENCH_TEMPLATES": str(v1)}
    new = {**base, "BENCH_BUNDLE": str(bundle2), "BENCH_TEMPLATES": str(v2)}

    repo = tmp / "hello"
    repo.mkdir()
    (repo / "hello.go").write_text(HELLO_GO)
    (repo / "go.mod").write_text("module example.com/hello\n\ngo 1.22\n")
    git(repo, "init", "--quiet")
    _, proc = scaffold(old, "init", "--defaults", str(repo))
    if proc.returncode:
        raise SystemExit(f"init failed:\n{proc.stderr}")
    with open(repo / "Dockerfile", "a") as f:
        f.write('LABEL org.opencontainers.image.vendor="me"\n')  # the user's own edit
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "rendered by v1, edited")
    return old, new, repo


def measure(runs: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-update-") as tmp_name:
        tmp = Path(tmp_name)
        old, new, repo = setup(tmp)
        times: dict[str, list[float]] = {"update": [], "check": [], "init": []}
        for _ in range(runs + 1):
            elapsed, proc = scaffold(new, "check", str(repo))
            assert proc.returncode == 1, proc.stdout + proc.stderr  # v2 is available
            times["check"].append(elapsed)
            elapsed, proc = scaffold(new, "update", "--defaults", str(repo))
            assert proc.returncode == 0, proc.stderr
            assert "vendor" in (repo / "Dockerfile").read_text() and "Template v2" in (repo / "Dockerfile").read_text()
            times["update"].append(elapsed)
            git(repo, "reset", "--quiet", "--hard")
            git(repo, "clean", "--quiet", "-fdx")
        fresh = tmp / "fresh"
        fresh.mkdir()
        (fresh / "hello.go").write_text(HELLO_GO)
        for _ in range(runs + 1):
            elapsed, proc = scaffold(new, "init", "--defaults", "--force", str(fresh))
            assert proc.returncode == 0, proc.stderr
            times["init"].append(elapsed)
        return {name: (values[0], statistics.median(values[1:]), min(values[1:])) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = measure(args.runs)
    targets = {"update": UPDATE_TARGET, "check": CHECK_TARGET, "init": INIT_TARGET}
    failed = False
    for name, (first, median, fastest) in results.items():
        ok = median < targets[name]
        failed |= not ok
        cpu = statistics.median(c for command, c in CPU if command == name)
        print(f"scaffold {name:<7} median {median:.3f} s, min {fastest:.3f} s over {args.runs} runs "
              f"(first, cold cache: {first:.3f} s; CPU {cpu:.3f} s)  target < {targets[name]:.0f} s  {'ok' if ok else 'SLOW'}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (other processes slow every number)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
