"""Each package manager owns its facts: with two managers' files, the one chosen brings its own
install step, never the other's (Poetry's package-mode = false beside a uv.lock)."""

from __future__ import annotations

from tests.helpers import detect_python, fact, question, render

# Poetry manages the dependencies only; uv would install the project ([build-system] is there).
FILES = {
    "pyproject.toml": (
        '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "*"\n\n'
        '[project]\nname = "app"\nversion = "0"\nrequires-python = ">=3.11"\ndependencies = ["flask"]\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    ),
    "poetry.lock": '[metadata]\nlock-version = "2.1"\n',
    "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
    "app.py": "from flask import Flask\napp = Flask(__name__)\n",
}
POETRY_PROJECT_STEP = "/opt/poetry/bin/poetry install --only main\n"


def test_each_candidate_brings_its_own_install_step(tmp_path):
    det = detect_python(tmp_path, FILES)
    implied = {c.value: {f.name: f for f in c.implies} for c in question(det, "python_manager").candidates}
    assert set(implied) == {"poetry", "uv"}
    assert implied["poetry"]["python_install_project"].value is False
    assert "package-mode = false" in implied["poetry"]["python_install_project"].source
    assert implied["uv"]["python_install_project"].value is True
    # Undecided until the manager is chosen: no fact from either manager's rules.
    assert fact(det, "python_install_project") is None


def test_choosing_poetry_renders_no_project_install(tmp_path):
    out = render(tmp_path, FILES, python_manager="poetry")
    assert "poetry install --only main --no-root --no-directory" in out["Dockerfile"]
    assert POETRY_PROJECT_STEP not in out["Dockerfile"]
    assert "python_install_project: false" in out[".scaffold-answers.yml"]


def test_choosing_uv_renders_its_project_install(tmp_path):
    out = render(tmp_path, FILES, python_manager="uv")
    assert "uv sync --locked --no-dev --no-install-project" in out["Dockerfile"]
    assert "uv sync --locked --no-dev --no-editable" in out["Dockerfile"]
    assert "python_install_project: true" in out[".scaffold-answers.yml"]


def test_an_explicit_answer_wins_over_the_choice(tmp_path):
    out = render(tmp_path, FILES, python_manager="poetry", python_install_project=True)
    assert POETRY_PROJECT_STEP in out["Dockerfile"]
