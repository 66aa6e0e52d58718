"""Benchmark every example project: scaffold's image against the naive single-stage build.

    python tests/benchmarks/bench_images.py [--runs 3] [--only NAME]... [--timed NAME]... [--no-chart]

For each ``tests/examples/*/expect.toml`` (in a temporary copy): ``scaffold init --defaults``
with the example's answers, then

- naive size: the image of the naive single-stage Dockerfile (``scaffolder/_naive.py``: one
  ``FROM`` with the full toolchain image, copy everything, build or install, run) on the same
  local base images and the same build context;
- scaffold size: the image of the generated Dockerfile; ``ratio`` = scaffold / naive;
- cold: ``docker build --no-cache`` of the generated Dockerfile. Every step runs again, but the
  BuildKit cache mounts (apt, pip, Go module and build caches, ccache) keep what earlier builds
  put there, so packages are not downloaded again: cold layer cache, warm package caches. A
  first build on a new machine also downloads the packages; it is not measured, because the
  only way to empty the cache mounts (``docker builder prune``) would also empty them for every
  other build sharing the daemon;
- rebuild: after a change to the example's ``source_change`` file (a new declaration appended,
  so no compiler cache can hit it), a normal build; ``rebuild/cold`` is their ratio (a PyInstaller
  cold build also analyses afresh: its venv's layer is new, and the analysis is keyed to it);
- times are medians of ``--runs`` runs (each run: one cold build, one change, one rebuild),
  with ``--timed NAME`` only for the examples whose name contains NAME: the others are built
  once, for their sizes (on a loaded machine a run of every example takes hours);
  the naive image is built once, with ``--no-cache`` (timed once; ``--naive-rebuild`` also
  times its rebuild after a source change);
- for Go and C/C++: ``binary``, the size of the shipped binaries (already stripped by the
  build: ``-ldflags "-s -w"`` for Go, ``strip`` for C/C++), and ``image/(binary+1MB)``;
- for Python (PyInstaller aside): ``floor``, the same venv and app on a from-scratch rootfs
  holding only the builder's interpreter, its whole standard library (without site-packages)
  and the shared libraries ldd finds for them (the generated Dockerfile's build stage, then the
  stages in ``FLOOR`` below: nothing of the template's own rootfs recipe), and
  ``image/floor``; ``slim``, the image of the same project answered ``python_runtime=slim``
  (the final stage on the builder's ``python:X.Y-slim``), and ``image/slim``.

The builds call ``docker build`` with BuildKit, as the generated ``docker-build.sh`` does on an
engine without buildx, so that its closing ``scaffold report`` is not in the times. The table
goes to stdout and, with the seed tutorials' published figures as reference rows, to
``tests/benchmarks/results/bench_images.{csv,md,png}``. Needs Docker (``$DOCKER``, default
``docker``), the base-image stand-ins (``tests/images``) and, for the chart, the ``bench``
extra (matplotlib).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scaffolder import _report  # noqa: E402
from scaffolder._compat import tomllib  # noqa: E402
from scaffolder._naive import naive_base_image, naive_dockerfile  # noqa: E402

EXAMPLES = REPO / "tests" / "examples"
RESULTS = Path(__file__).resolve().parent / "results"
MB = 1e6

# Published results of the seed tutorials (/work/shared/seeds), for the same kinds of programs:
# (label, language, single-stage MB, their multi-stage MB, note).
REFERENCES = [
    ("seed: C++ hello (alpine + g++)", "cpp", 240.0, 9.0, "static binary on scratch; sizes as told in the text"),
    ("seed: Go whoami (ubuntu + golang-go)", "go", 870.0, 8.92, "multi-stage on alpine; docker image ls"),
    ("seed: pipenv notes app (python:3)", "python", 1060.0, 959.0,
     "pip --user copy; docker image ls says 959MB, the tutorial quotes it as 915M (numfmt --to=iec, MiB)"),
    ("seed: Flask app", "python", 611.0, 267.0, "python:3.9-slim single, python:3.9-alpine multi-stage"),
    ("seed: Python hello, PyInstaller", "python", None, 14.0, "onefile binary on alpine; as told in the text"),
]


def docker() -> str:
    return os.environ.get("DOCKER") or "docker"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- images ----------------------------------------------------------------------------------


def base_images(dockerfile: str) -> list[str]:
    """Every image the Dockerfile pulls from (FROM, COPY --from=IMAGE, RUN --mount from=IMAGE)."""
    from tests.docker_harness import parse_dockerfile

    return parse_dockerfile(dockerfile)[1]


def ensure_images(names: list[str]) -> None:
    """Build the local stand-ins of these base images when they are missing."""
    from tests import images

    for name in dict.fromkeys(names):
        if images.ensure(name) == "built":
            log(f"  built the stand-in {name}")


# --- builds ----------------------------------------------------------------------------------


@dataclass
class Build:
    seconds: float
    output: str


def docker_build(context: Path, tag: str, *, no_cache: bool = False, platform_: str | None = None,
                 dockerfile: Path | None = None, target: str | None = None) -> Build:
    cmd = [docker(), "build", "--progress=plain", "--tag", tag]
    if dockerfile:
        cmd += ["--file", str(dockerfile)]
    if target:
        cmd += ["--target", target]
    if no_cache:
        cmd.append("--no-cache")
    if platform_:
        cmd += ["--platform", platform_]
    cmd.append(str(context))
    env = dict(os.environ, DOCKER_BUILDKIT="1")
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        lines = proc.stderr.splitlines()
        errors = [ln for ln in lines if "ERROR" in ln or "error:" in ln.lower()]
        summary = re.sub(r"^#\d+ [\d.]* ?", "", (errors or lines or ["no output"])[-1]).strip()
        tail = "\n".join(lines[-25:])
        raise RuntimeError(f"docker build of {tag} failed: {summary}\n{tail}")
    return Build(seconds, proc.stderr)


_COMMENT = {".py": "#", ".go": "//", ".c": "//", ".cc": "//", ".cpp": "//", ".cxx": "//", ".h": "//", ".hpp": "//"}


# Makes every change of this invocation new to BuildKit's layer cache and to ccache, which keep
# the changes of earlier invocations: a repeated one would be a cache hit, not a rebuild.
_RUN_TOKEN = uuid.uuid4().hex[:12]


def change_source(path: Path, n: int) -> None:
    """A source-only change no cache can hit: a new, unused declaration, unique to this invocation."""
    n = f"{n}_{_RUN_TOKEN}"
    suffix = path.suffix
    if suffix == ".py":
        line = f"_BENCH_CHANGE_{n} = \"{n}\"\n"
    elif suffix == ".go":
        line = f'var _ = "bench change {n}"\n'
    elif suffix in (".c", ".cc", ".cpp", ".cxx"):
        line = f"int bench_change_{n}(void);\nint bench_change_{n}(void) {{ return {len(n)}; }}\n"
    else:
        line = f"{_COMMENT.get(suffix, '#')} bench change {n}\n"
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line, encoding="utf-8")


def image_size(tag: str) -> tuple[int, int, dict[str, Any]]:
    out = subprocess.run([docker(), "image", "inspect", tag], capture_output=True, text=True, check=True).stdout
    info = json.loads(out)[0]
    return int(info["Size"]), len(info["RootFS"]["Layers"]), info


def binaries_size(tag: str, info: dict[str, Any]) -> int | None:
    """Bytes of the regular files in the entrypoint's directory (the shipped binaries)."""
    import io
    import tarfile

    entry = (info.get("Config") or {}).get("Entrypoint") or (info.get("Config") or {}).get("Cmd") or []
    if not entry or not entry[0].startswith("/"):
        return None
    directory = entry[0].rsplit("/", 1)[0] or "/"
    cid = subprocess.run([docker(), "create", tag], capture_output=True, text=True, check=True).stdout.strip()
    try:
        data = subprocess.run([docker(), "cp", f"{cid}:{directory}/.", "-"], capture_output=True, check=True).stdout
    finally:
        subprocess.run([docker(), "rm", cid], capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return sum(m.size for m in tar.getmembers() if m.isfile())


# --- the Python floor ------------------------------------------------------------------------

# Appended to a generated Python Dockerfile (whose `build` stage holds the venv): the interpreter
# with the links that lead the venv's python to it, the standard library, what ldd finds for
# them and the venv's extension modules (the venv's own libraries come with the venv), then the
# venv and the app on scratch. {venv} is the venv's path.
FLOOR = """
FROM build AS bench-floor-rootfs
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN mkdir /rootfs && p={venv}/bin/python \\
    && while [ -L "$p" ]; do \\
         case $p in {venv}/*) ;; *) cp -P --parents "$p" /rootfs/ ;; esac; \\
         t=$(readlink "$p"); case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac; \\
       done \\
    && cp --parents "$p" /rootfs/ \\
    && s=$({venv}/bin/python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))') \\
    && tar -C / -chf - --exclude=site-packages --exclude=dist-packages "${{s#/}}" | tar -C /rootfs -xf - \\
    && {{ find "$p" "$s" {venv} -type f \\( -name '*.so*' -o -perm -u+x \\) -exec ldd {{}} + 2> /dev/null || true; }} \\
       | awk '$2 == "=>" && $3 ~ /^\\// {{ print $3 }} $1 ~ /^\\// && $2 ~ /^\\(0x/ {{ print $1 }}' | sort -u \\
       | while read -r lib; do case $lib in {venv}/*) ;; *) cp -L --parents "$lib" /rootfs/ ;; esac; done

FROM scratch AS bench-floor
COPY --from=bench-floor-rootfs /rootfs/ /
WORKDIR /app
COPY --from=build {venv} {venv}
COPY . .
"""


def python_venv(dockerfile: str) -> str | None:
    """The venv the final stage copies from the build stage (None: no venv, e.g. PyInstaller)."""
    final = dockerfile.rsplit("\nFROM ", 1)[-1]
    match = re.search(r"^COPY --from=build (/\S+) \1$", final, re.M)
    return match.group(1) if match else None


def floor_size(project: Path, dockerfile: str, venv: str, work: Path, tag: str) -> int:
    """Build the floor image of a generated Python Dockerfile; its size in bytes."""
    path = work / f"{project.name}.floor.Dockerfile"
    path.write_text(dockerfile + FLOOR.format(venv=venv), encoding="utf-8")
    docker_build(project, tag, dockerfile=path, target="bench-floor")
    return image_size(tag)[0]


# --- one example -----------------------------------------------------------------------------


@dataclass
class Result:
    example: str
    language: str
    naive_bytes: int = 0
    scaffold_bytes: int = 0
    naive_layers: int = 0
    scaffold_layers: int = 0
    cold_s: list[float] = field(default_factory=list)
    rebuild_s: list[float] = field(default_factory=list)
    deps_cached: list[bool] = field(default_factory=list)
    naive_cold_s: float | None = None
    naive_rebuild_s: float | None = None
    binary_bytes: int | None = None
    floor_bytes: int | None = None
    slim_bytes: int | None = None
    budget_mb: float | None = None
    pyinstaller: bool = False
    platform: str = ""
    note: str = ""
    error: str = ""

    @property
    def ratio(self) -> float | None:
        return self.scaffold_bytes / self.naive_bytes if self.naive_bytes and self.scaffold_bytes else None

    @property
    def cold(self) -> float | None:
        return statistics.median(self.cold_s) if self.cold_s else None

    @property
    def rebuild(self) -> float | None:
        return statistics.median(self.rebuild_s) if self.rebuild_s else None

    @property
    def rebuild_ratio(self) -> float | None:
        return self.rebuild / self.cold if self.cold and self.rebuild is not None else None

    @property
    def binary_ratio(self) -> float | None:
        if not self.binary_bytes or not self.scaffold_bytes:
            return None
        return self.scaffold_bytes / (self.binary_bytes + MB)

    @property
    def floor_ratio(self) -> float | None:
        return self.scaffold_bytes / self.floor_bytes if self.floor_bytes and self.scaffold_bytes else None

    @property
    def slim_ratio(self) -> float | None:
        return self.scaffold_bytes / self.slim_bytes if self.slim_bytes and self.scaffold_bytes else None


def scaffold_init(example: Path, project: Path, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the example in ``project``, `scaffold init --defaults` with ``data``: its answers."""
    shutil.copytree(example, project)
    cmd = [sys.executable, "-m", "scaffolder", "init", "--defaults", "--force", str(project)]
    for key, value in data.items():
        cmd += ["--data", f"{key}={value if isinstance(value, str) else json.dumps(value)}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"scaffold init failed: {proc.stderr.strip()}")
    return _report.load_answers(project)


def bench_example(example: Path, runs: int, work: Path, naive: bool = True, naive_rebuild: bool = False) -> Result:
    expect = tomllib.loads((example / "expect.toml").read_text(encoding="utf-8"))
    name = example.name
    project = work / name
    data = expect.get("data") or {}
    answers = scaffold_init(example, project, data)
    result = Result(name, answers["language"], budget_mb=expect.get("max_size_mb"),
                    pyinstaller=bool(answers.get("python_pyinstaller")))
    plat = expect.get("platform")
    result.platform = plat or ""
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    ensure_images(base_images(dockerfile) + ([naive_base_image(answers)] if naive else []))

    tag = f"scaffold-bench/{name}:latest"
    source = project / expect["source_change"] if expect.get("source_change") else None
    deps_step = expect.get("deps_step")
    log(f"  warm-up build (fills the cache mounts)")
    docker_build(project, tag, platform_=plat)
    for run in range(runs):
        cold = docker_build(project, tag, no_cache=True, platform_=plat)
        result.cold_s.append(round(cold.seconds, 2))
        if source is not None:
            change_source(source, run)
            again = docker_build(project, tag, platform_=plat)
            result.rebuild_s.append(round(again.seconds, 2))
            if deps_step:
                result.deps_cached.append(_step_cached(again.output, deps_step))
        log(f"  run {run + 1}/{runs}: cold {cold.seconds:.1f} s"
            + (f", rebuild {result.rebuild_s[-1]:.1f} s" if result.rebuild_s else ""))
    result.scaffold_bytes, result.scaffold_layers, info = image_size(tag)
    if answers["language"] in ("go", "cpp"):
        result.binary_bytes = binaries_size(tag, info)
    venv = python_venv(dockerfile) if answers["language"] == "python" else None
    if venv:
        log("  floor and slim images")
        result.floor_bytes = floor_size(project, dockerfile, venv, work, f"scaffold-bench/{name}-floor:latest")
        slim = work / f"{name}-slim"
        scaffold_init(example, slim, {**data, "python_runtime": "slim"})
        docker_build(slim, f"scaffold-bench/{name}-slim:latest", platform_=plat)
        result.slim_bytes = image_size(f"scaffold-bench/{name}-slim:latest")[0]

    if naive:
        naive_tag = f"scaffold-bench/{name}-naive:latest"
        naive_file = work / f"{name}.naive.Dockerfile"
        naive_file.write_text(naive_dockerfile(answers), encoding="utf-8")
        if plat:
            result.note = f"built for {plat}; naive built for the host platform"
        first = docker_build(project, naive_tag, no_cache=True, dockerfile=naive_file)
        result.naive_cold_s = round(first.seconds, 2)
        if source is not None and naive_rebuild:
            change_source(source, runs + 1)
            result.naive_rebuild_s = round(docker_build(project, naive_tag, dockerfile=naive_file).seconds, 2)
        result.naive_bytes, result.naive_layers, _ = image_size(naive_tag)
    return result


def _step_cached(output: str, needle: str) -> bool:
    """Whether the build step whose instruction contains ``needle`` was a cache hit."""
    steps: dict[str, str] = {}
    for line in output.splitlines():
        m = re.match(r"#(\d+) (\[.*)", line)
        if m:
            steps.setdefault(m.group(1), m.group(2))
    hits = [n for n, text in steps.items() if needle in text]
    return bool(hits) and all(re.search(rf"^#{n} CACHED$", output, re.M) for n in hits)


# --- output ----------------------------------------------------------------------------------


def _mb(n: float | None) -> str:
    if n is None:
        return ""
    return f"{n / MB:.2f}" if n < 10 * MB else f"{n / MB:.0f}" if n >= 100 * MB else f"{n / MB:.1f}"


def _s(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


COLUMNS = ["example", "naive MB", "scaffold MB", "ratio", "cold s", "rebuild s", "rebuild/cold",
           "binary MB", "image/(bin+1MB)", "floor MB", "image/floor", "slim MB", "image/slim"]


def _x(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def table_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        if r.error:
            rows.append([r.example, "", "failed"] + [""] * (len(COLUMNS) - 3))
            continue
        rows.append([
            r.example, _mb(r.naive_bytes or None), _mb(r.scaffold_bytes), _pct(r.ratio), _s(r.cold), _s(r.rebuild),
            _pct(r.rebuild_ratio), _mb(r.binary_bytes), _x(r.binary_ratio),
            _mb(r.floor_bytes), _x(r.floor_ratio), _mb(r.slim_bytes), _x(r.slim_ratio),
        ])
    return rows


def reference_rows() -> list[list[str]]:
    rows = []
    for label, _lang, single, multi, _note in REFERENCES:
        ratio = _pct(multi / single) if single else ""
        rows.append([label, "" if single is None else f"{single:g}", f"{multi:g}", ratio] + [""] * (len(COLUMNS) - 4))
    return rows


# What the Python images are held to: a PyInstaller rebuild after a one-line change at most this
# share of its cold build; an image at most these multiples of its floor and of its slim image.
PYINSTALLER_REBUILD_MAX = 0.25
FLOOR_MAX = 1.25
SLIM_MAX = 0.5


def target_lines(results: list[Result]) -> list[str]:
    """One line per Python example: its figures against the targets above, met or MISSED."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    lines = []
    for r in results:
        if r.error or r.language != "python":
            continue
        if r.pyinstaller and r.rebuild_ratio is not None:
            lines.append(f"{r.example}: rebuild {r.rebuild:.1f} s / cold {r.cold:.1f} s = {100 * r.rebuild_ratio:.1f}% "
                         f"(at most {100 * PYINSTALLER_REBUILD_MAX:.0f}%: {verdict(r.rebuild_ratio <= PYINSTALLER_REBUILD_MAX)})")
        if r.floor_ratio is not None and r.slim_ratio is not None:
            lines.append(f"{r.example}: image {_mb(r.scaffold_bytes)} MB = {r.floor_ratio:.2f} x floor {_mb(r.floor_bytes)} MB "
                         f"(at most {FLOOR_MAX}: {verdict(r.floor_ratio <= FLOOR_MAX)}), {r.slim_ratio:.2f} x slim "
                         f"{_mb(r.slim_bytes)} MB (at most {SLIM_MAX}: {verdict(r.slim_ratio <= SLIM_MAX)})")
    return lines


def render_text(results: list[Result]) -> str:
    rows = table_rows(results) + [["-"] * len(COLUMNS)] + reference_rows()
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    def fmt(r):
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
    lines = [fmt(COLUMNS), fmt(["-" * w for w in widths])]
    for r in rows:
        lines.append(fmt(["-" * w for w in widths]) if r[0] == "-" else fmt(r))
    for r in results:
        if r.error:
            lines.append(f"{r.example}: FAILED: {r.error.splitlines()[0]}")
        if r.note:
            lines.append(f"{r.example}: {r.note}")
        if r.deps_cached and not all(r.deps_cached):
            lines.append(f"{r.example}: the dependency step was NOT cached on a source-only rebuild")
    lines += target_lines(results)
    return "\n".join(lines) + "\n"


def render_markdown(results: list[Result]) -> str:
    rows = table_rows(results)
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out += ["| " + " | ".join(f"*{v}*" if v else "" for v in r) + " |" for r in reference_rows()]
    notes = [f"- {r.example}: {r.error.splitlines()[0]}" for r in results if r.error]
    notes += [f"- {r.example}: {r.note}" for r in results if r.note]
    notes += [f"- {r.example}: the dependency step was not cached on a source-only rebuild"
              for r in results if r.deps_cached and not all(r.deps_cached)]
    if notes:
        out += [""] + notes
    return "\n".join(out) + "\n"


def write_csv(results: list[Result], path: Path) -> None:
    fields = ["kind", "example", "language", "platform", "naive_bytes", "scaffold_bytes", "ratio", "naive_layers",
              "scaffold_layers", "cold_s_median", "rebuild_s_median", "rebuild_over_cold", "cold_s_runs",
              "rebuild_s_runs", "deps_cached", "naive_cold_s", "naive_rebuild_s", "binary_bytes",
              "image_over_binary_plus_1mb", "floor_bytes", "image_over_floor", "slim_bytes", "image_over_slim",
              "budget_mb", "note", "error"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in results:
            w.writerow({
                "kind": "example", "example": r.example, "language": r.language, "platform": r.platform,
                "naive_bytes": r.naive_bytes or "", "scaffold_bytes": r.scaffold_bytes or "",
                "ratio": f"{r.ratio:.4f}" if r.ratio else "", "naive_layers": r.naive_layers or "",
                "scaffold_layers": r.scaffold_layers or "",
                "cold_s_median": _s(r.cold), "rebuild_s_median": _s(r.rebuild),
                "rebuild_over_cold": f"{r.rebuild_ratio:.4f}" if r.rebuild_ratio is not None else "",
                "cold_s_runs": " ".join(map(str, r.cold_s)), "rebuild_s_runs": " ".join(map(str, r.rebuild_s)),
                "deps_cached": " ".join("yes" if c else "no" for c in r.deps_cached),
                "naive_cold_s": _s(r.naive_cold_s), "naive_rebuild_s": _s(r.naive_rebuild_s),
                "binary_bytes": r.binary_bytes or "",
                "image_over_binary_plus_1mb": f"{r.binary_ratio:.3f}" if r.binary_ratio else "",
                "floor_bytes": r.floor_bytes or "", "image_over_floor": f"{r.floor_ratio:.3f}" if r.floor_ratio else "",
                "slim_bytes": r.slim_bytes or "", "image_over_slim": f"{r.slim_ratio:.3f}" if r.slim_ratio else "",
                "budget_mb": r.budget_mb or "", "note": r.note, "error": r.error.splitlines()[0] if r.error else "",
            })
        for label, lang, single, multi, note in REFERENCES:
            w.writerow({
                "kind": "reference", "example": label, "language": lang,
                "naive_bytes": int(single * MB) if single else "", "scaffold_bytes": int(multi * MB),
                "ratio": f"{multi / single:.4f}" if single else "", "note": note,
            })


# The chart's bars, in their order within a row: (label, colour of an example's bar).
CHART_BARS = [("naive single-stage", "#d95f02"), ("scaffold", "#1b9e77"),
              ("floor (Python: interpreter, stdlib, venv, app)", "#7570b3"),
              ("slim (Python: python_runtime=slim)", "#e6ab02")]


def chart_rows(results: list[Result]) -> list[tuple[str, list[float | None], bool]]:
    """Each row of the chart: its label, its MB per bar of CHART_BARS (None: not measured), reference or not."""
    def mb(n: int | None) -> float | None:
        return n / MB if n else None

    rows = [(r.example, [mb(r.naive_bytes), mb(r.scaffold_bytes), mb(r.floor_bytes), mb(r.slim_bytes)], False)
            for r in results if r.scaffold_bytes and not r.error]
    rows += [(label, [single, multi, None, None], True) for label, _, single, multi, _ in REFERENCES]
    return rows


def write_chart(results: list[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    rows = chart_rows(results)
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(rows) + 1.6))
    for i, (_label, values, ref) in enumerate(rows):
        bars = [(v, colour) for v, (_, colour) in zip(values, CHART_BARS) if v]
        h = 0.8 / max(len(bars), 2)
        for k, (value, colour) in enumerate(bars):
            y = i + (k - (len(bars) - 1) / 2) * h
            ax.barh(y, value, h, color="#c9c9c9" if ref else colour, hatch="//" if ref else None,
                    edgecolor="#777777" if ref else None, linewidth=0.5)
            ax.text(value * 1.06, y, f"{value:.0f}" if value >= 100 else f"{value:.3g}", va="center", fontsize=6)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([label for label, _, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("image size, MB (log scale)")
    ax.legend(handles=[Patch(color=colour, label=label) for label, colour in CHART_BARS] + [
        Patch(facecolor="#c9c9c9", hatch="//", edgecolor="#777777", label="seed tutorials: single / multi-stage"),
    ], loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)
    ax.set_xlim(right=max(v for _, values, _ in rows for v in values if v) * 3)
    ax.set_title("Image size per example: naive single-stage, scaffold, and for Python the floor and slim", fontsize=10, pad=36)
    ax.grid(axis="x", which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


README_START = "<!-- bench_images:start -->"
README_END = "<!-- bench_images:end -->"


def update_readme(readme: Path, header: str, table: str, chart: Path | None) -> bool:
    """Replace what is between the README's markers with this run's figures."""
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        log(f"{readme}: no {README_START} / {README_END} lines; left alone")
        return False
    head, rest = text.split(README_START, 1)
    _old, tail = rest.split(README_END, 1)
    body = [header.strip(), "", table.strip()]
    if chart is not None:
        rel = os.path.relpath(chart, readme.parent).replace(os.sep, "/")
        body += ["", f"![Image size per example: naive single-stage, scaffold, Python floor and slim]({rel})"]
    readme.write_text(head + README_START + "\n" + "\n".join(body) + "\n" + README_END + tail, encoding="utf-8")
    return True


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1e6:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    engine = subprocess.run([docker(), "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
    return f"{platform.machine()}, {os.cpu_count()} CPUs ({cpu or 'unknown CPU'}){mem}, Docker Engine {engine or '?'}, Linux {platform.release()}"


def timed_runs(name: str, runs: int, timed: list[str]) -> int:
    """The runs of one example: all of them without --timed, else only for a name containing one of its NAMEs."""
    return runs if not timed or any(t in name for t in timed) else 0


def run_examples(args: argparse.Namespace) -> tuple[dt.datetime, list[Result] | None]:
    examples = sorted(p.parent for p in args.examples.glob("*/expect.toml"))
    if args.only:
        examples = [e for e in examples if any(o in e.name for o in args.only)]
    if not examples:
        print("no examples matched", file=sys.stderr)
        return dt.datetime.now(dt.timezone.utc), None
    started = dt.datetime.now(dt.timezone.utc)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as tmp:
        for i, example in enumerate(examples, 1):
            log(f"[{i}/{len(examples)}] {example.name}")
            t0 = time.perf_counter()
            try:
                results.append(bench_example(example, timed_runs(example.name, args.runs, args.timed), Path(tmp), naive=not args.no_naive,
                                             naive_rebuild=args.naive_rebuild))
            except Exception as err:  # one failing example must not lose the others' figures
                log(f"  FAILED: {err}")
                r = Result(example.name, "?")
                r.error = str(err)
                results.append(r)
            log(f"  {time.perf_counter() - t0:.0f} s")
    return started, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="cold build + rebuild runs per example (default: 3)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="examples whose name contains NAME (repeatable)")
    parser.add_argument("--timed", action="append", default=[], metavar="NAME",
                        help="time (--runs) only the examples whose name contains NAME (repeatable); build the others once, for sizes")
    parser.add_argument("--examples", type=Path, default=EXAMPLES, metavar="DIR",
                        help="the directory of example projects, each with its expect.toml (default: tests/examples)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive builds")
    parser.add_argument("--naive-rebuild", action="store_true", help="also time the naive build's rebuild after a source change")
    parser.add_argument("--no-chart", action="store_true", help="skip the PNG chart (no matplotlib needed)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results directory (default: {RESULTS.relative_to(REPO)})")
    parser.add_argument("--clean", action="store_true", help="remove the benchmark's images at the end")
    parser.add_argument("--from-json", type=Path, metavar="FILE",
                        help="build nothing: write the table, CSV, chart (and --readme) from a previous run's bench_images.json")
    parser.add_argument("--readme", type=Path, metavar="FILE",
                        help=f"also put the table and chart between the {README_START} and {README_END} lines of FILE")
    args = parser.parse_args(argv)

    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(saved["started"])
        where, args.runs, args.timed = saved["machine"], saved["runs"], saved.get("timed", [])
        results = [Result(**r) for r in saved["results"]]
    else:
        where = machine()
        started, results = run_examples(args)
        if results is None:
            return 2

    args.out.mkdir(parents=True, exist_ok=True)
    text = render_text(results)
    sys.stdout.write(text)
    header = (
        f"Run {started:%Y-%m-%d %H:%M} UTC on {where}; {args.runs} runs per example "
        + (f"whose name contains {' or '.join(args.timed)}, the others built once for their sizes " if args.timed else "")
        + "(times are medians).\n"
    )
    sys.stdout.write(header)
    write_csv(results, args.out / "bench_images.csv")
    (args.out / "bench_images.md").write_text(header + "\n" + render_markdown(results), encoding="utf-8")
    (args.out / "bench_images.json").write_text(
        json.dumps({"started": started.isoformat(), "machine": where, "runs": args.runs, "timed": args.timed,
                    "results": [asdict(r) for r in results]}, indent=2) + "\n", encoding="utf-8")
    chart: Path | None = None
    if not args.no_chart:
        try:
            chart = args.out / "bench_images.png"
            write_chart(results, chart)
        except ImportError:
            chart = None
            log("matplotlib is missing: pip install -e '.[bench]' for the chart")
    if args.readme:
        update_readme(args.readme, header, render_markdown(results), chart)
    if args.clean:
        tags = [f"scaffold-bench/{r.example}{kind}:latest" for r in results for kind in ("", "-naive", "-floor", "-slim")]
        subprocess.run([docker(), "image", "rm", *tags], capture_output=True)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
