"""Wall time of the two commands a user waits on: `scaffold init --defaults --force` on a small
project and `scaffold detect` on a generated tree of 100,000 files. Targets: under 1 s each.

    python tests/benchmarks/bench_cli.py [--runs 5] [--files 100000] [--profile]

Times are medians of --runs runs of the installed `scaffold` command (a fresh process each time,
so interpreter start-up and imports are included, as the user sees them). --profile also runs
detect in-process under cProfile and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.0

# A Flask app with a requirements file: the small project `init` runs on.
SMALL_PROJECT = {
    "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
    ".python-version": "3.11\n",
    "app.py": 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "hello"\n',
}

# The big tree: a monorepo-like mix. Sources of every supported language, so every provider
# has work to do, and documentation and assets that detection must skip cheaply.
MIX = [
    ("py", "import os\n\n\ndef f():\n    return os.sep\n"),
    ("go", "package lib\n\nfunc F() int { return 1 }\n"),
    ("c", "int f(void) { return 1; }\n"),
    ("h", "int f(void);\n"),
    ("cpp", "int g() { return 2; }\n"),
    ("md", "# notes\n"),
    ("json", "{}\n"),
    ("txt", "text\n"),
    ("png", ""),
    ("yaml", "a: 1\n"),
]


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_big_tree(root: Path, count: int, per_dir: int = 100) -> None:
    """``count`` files: the small project at the root, the rest in ``pkgNNNN/`` directories of
    ``per_dir`` files, two levels deep."""
    write_tree(root, SMALL_PROJECT)
    made = len(SMALL_PROJECT)
    d = 0
    while made < count:
        directory = root / f"area{d // 50:03d}" / f"pkg{d:04d}"
        directory.mkdir(parents=True)
        for i in range(min(per_dir, count - made)):
            ext, text = MIX[i % len(MIX)]
            (directory / f"f{i:03d}.{ext}").write_text(text, encoding="utf-8")
            made += 1
        d += 1


def scaffold_cmd() -> list[str]:
    exe = shutil.which("scaffold")
    return [exe] if exe else [sys.executable, "-m", "scaffolder"]


def time_runs(cmd: list[str], runs: int, *, check_rc: tuple[int, ...] = (0,)) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode not in check_rc:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return times


def profile_detect(root: Path, top: int = 25) -> str:
    from scaffolder._detect import detect

    prof = cProfile.Profile()
    prof.enable()
    detect(root)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="also profile detect in-process")
    parser.add_argument("--keep", metavar="DIR", help="generate the trees under DIR and keep them")
    args = parser.parse_args(argv)

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="scaffold-bench-cli-"))
    try:
        small = base / "small"
        big = base / "big"
        if not small.exists():
            write_tree(small, SMALL_PROJECT)
        if not big.exists():
            start = time.perf_counter()
            make_big_tree(big, args.files)
            print(f"generated {args.files:,} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        cmd = scaffold_cmd()
        init_times = time_runs(cmd + ["init", "--defaults", "--force", str(small)], args.runs)
        detect_times = time_runs(cmd + ["detect", str(big)], args.runs)
        # What detect costs without interpreter start-up and imports.
        from scaffolder._detect import detect

        inproc = []
        for _ in range(args.runs):
            start = time.perf_counter()
            detect(big)
            inproc.append(time.perf_counter() - start)
        version = subprocess.run([sys.executable, "-c", "import sys; print(sys.version.split()[0])"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"scaffold CLI timings: median of {args.runs} runs, Python {version}, {os.cpu_count()} CPUs")
        rows = [
            ("scaffold init --defaults --force (small Flask project)", init_times),
            (f"scaffold detect ({args.files:,} files)", detect_times),
            (f"  detect() in-process, same tree", inproc),
        ]
        for label, times in rows:
            med = statistics.median(times)
            verdict = "ok" if med < TARGET_SECONDS else "OVER TARGET"
            print(f"  {label:<55} {med:6.3f} s  (min {min(times):.3f}, max {max(times):.3f})  {verdict}")
        if args.profile:
            print(profile_detect(big))
        over = statistics.median(init_times) >= TARGET_SECONDS or statistics.median(detect_times) >= TARGET_SECONDS
        return 1 if over else 0
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
