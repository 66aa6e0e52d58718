"""Helpers of the image benchmark (tests/benchmarks/bench_images.py), without Docker."""

from __future__ import annotations

from tests.benchmarks import bench_images as bench


def test_source_change_is_a_new_declaration(tmp_path):
    n = f"3_{bench._RUN_TOKEN}"
    for name, needle in (("main.go", f'var _ = "bench change {n}"'), ("app.py", f'_BENCH_CHANGE_{n} = "{n}"'),
                         ("hello.cpp", f"int bench_change_{n}(void) {{ return {len(n)}; }}"),
                         ("notes.txt", f"# bench change {n}")):
        path = tmp_path / name
        path.write_text("first line")  # no trailing newline
        bench.change_source(path, 3)
        text = path.read_text()
        assert text.startswith("first line\n") and needle in text


def test_source_change_differs_between_invocations(tmp_path):
    """BuildKit and ccache keep earlier invocations' changes: a repeated change would be a cache hit."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from tests.benchmarks import bench_images as b; "
            "p = Path(sys.argv[1]); b.change_source(p, 1)")
    texts = []
    for i in range(2):
        path = tmp_path / f"main{i}.go"
        path.write_text("package main\n")
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=bench.REPO)
        texts.append(path.read_text())
    assert texts[0] != texts[1]


def test_cached_step_is_read_from_plain_progress():
    log = (
        "#7 [build 3/5] RUN --mount=type=cache,target=/go/pkg/mod go mod download\n"
        "#7 CACHED\n"
        "#8 [build 4/5] COPY . .\n"
        "#8 DONE 0.1s\n"
    )
    assert bench._step_cached(log, "go mod download")
    assert not bench._step_cached(log, "COPY . .")
    assert not bench._step_cached(log, "pip install")


def test_table_has_reference_rows_and_ratios():
    r = bench.Result("go-hello", "go", naive_bytes=669_000_000, scaffold_bytes=1_650_000, cold_s=[20.0, 24.0, 22.0],
                     rebuild_s=[2.0, 3.0, 2.5], binary_bytes=1_430_000)
    md = bench.render_markdown([r])
    assert "| go-hello | 669 | 1.65 | 0.2% | 22.0 | 2.5 | 11.4% | 1.43 | 0.68 |" in md
    assert "*seed: Go whoami (ubuntu + golang-go)*" in md


def test_readme_section_between_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Benchmarks\n\n{bench.README_START}\nOLD FIGURES\n{bench.README_END}\nrest\n")
    assert bench.update_readme(readme, "Run now.", "| a |", tmp_path / "tests" / "chart.png")
    text = readme.read_text()
    assert "OLD FIGURES" not in text and "Run now." in text and "](tests/chart.png)" in text and text.endswith("rest\n")
    other = tmp_path / "OTHER.md"
    other.write_text("no markers\n")
    assert not bench.update_readme(other, "x", "y", None) and other.read_text() == "no markers\n"


def test_python_rows_compare_with_the_floor_and_slim():
    r = bench.Result("python-hello", "python", scaffold_bytes=39_700_000, floor_bytes=44_600_000, slim_bytes=122_000_000)
    assert "| python-hello |  | 39.7 |  |  |  |  |  |  | 44.6 | 0.89 | 122 | 0.33 |" in bench.render_markdown([r])
    dockerfile = "FROM python AS build\nRUN x\n\nFROM scratch AS runtime\nCOPY --from=rootfs /rootfs/ /\nCOPY --from=build /app/.venv /app/.venv\n"
    assert bench.python_venv(dockerfile) == "/app/.venv"
    assert bench.python_venv("FROM scratch AS runtime\nCOPY --from=build /rootfs/ /\n") is None


def test_chart_rows_show_floor_and_slim_for_python_only():
    py = bench.Result("python-hello", "python", naive_bytes=542_000_000, scaffold_bytes=39_700_000,
                      floor_bytes=44_600_000, slim_bytes=122_000_000)
    go = bench.Result("go-hello", "go", naive_bytes=661_000_000, scaffold_bytes=1_650_000)
    failed = bench.Result("c-hello", "cpp", error="docker build failed")
    rows = bench.chart_rows([py, go, failed])
    assert rows[0] == ("python-hello", [542.0, 39.7, 44.6, 122.0], False)
    assert rows[1] == ("go-hello", [661.0, 1.65, None, None], False)
    assert [label for label, _, ref in rows if ref] == [label for label, *_ in bench.REFERENCES]
    assert len(rows) == 2 + len(bench.REFERENCES)


def test_timed_examples_get_the_runs_the_others_none():
    assert bench.timed_runs("python-poetry", 3, []) == 3
    assert bench.timed_runs("python-poetry-nonpackage", 3, ["python-poetry", "pyinstaller"]) == 3
    assert bench.timed_runs("python-uv-pyinstaller", 3, ["python-poetry", "pyinstaller"]) == 3
    assert bench.timed_runs("python-hello", 3, ["python-poetry", "pyinstaller"]) == 0
