"""Each package manager owns its facts: with two managers' files, the one chosen brings its own
install step, never the other's (Poetry's package-mode = false beside a uv.lock)."""

from __future__ import annotations

from scaffolder._repo import Repo
from scaffolder.cli import main
from scaffolder.providers import python

# Poetry manages the dependencies only; uv would install the project ([build-system] is there).
POETRY_NO_PACKAGE = (
    '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "*"\n\n'
    '[project]\nname = "app"\nversion = "0"\nrequires-python = ">=3.11"\ndependencies = ["flask"]\n\n'
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
)
FILES = {
    "pyproject.toml": POETRY_NO_PACKAGE,
    "poetry.lock": '[metadata]\nlock-version = "2.1"\n',
    "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
    "app.py": "from flask import Flask\napp = Flask(__name__)\n",
}
POETRY_PROJECT_STEP = "/opt/poetry/bin/poetry install --only main\n"


def _write(tmp_path):
    for rel, text in FILES.items():
        (tmp_path / rel).write_text(text)


def test_each_candidate_brings_its_own_install_step(tmp_path):
    _write(tmp_path)
    det = python.detect(Repo(tmp_path))
    question = next(q for q in det.questions if q.name == "python_manager")
    implied = {c.value: {f.name: f for f in c.implies} for c in question.candidates}
    assert set(implied) == {"poetry", "uv"}
    assert implied["poetry"]["python_install_project"].value is False
    assert "package-mode = false" in implied["poetry"]["python_install_project"].source
    assert implied["uv"]["python_install_project"].value is True
    # Undecided until the manager is chosen: no fact from either manager's rules.
    assert not any(f.name == "python_install_project" for f in det.facts)


def test_choosing_poetry_renders_no_project_install(tmp_path, capsys):
    _write(tmp_path)
    assert main(["init", "--defaults", "--data", "python_manager=poetry", str(tmp_path)]) == 0
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "poetry install --only main --no-root --no-directory" in dockerfile
    assert POETRY_PROJECT_STEP not in dockerfile and "\nCOPY . .\n\n# Runtime" not in dockerfile
    assert "python_install_project: false" in (tmp_path / ".scaffold-answers.yml").read_text()


def test_choosing_uv_renders_its_project_install(tmp_path, capsys):
    _write(tmp_path)
    assert main(["init", "--defaults", "--data", "python_manager=uv", str(tmp_path)]) == 0
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "uv sync --locked --no-dev --no-install-project" in dockerfile
    assert "uv sync --locked --no-dev --no-editable" in dockerfile
    assert "python_install_project: true" in (tmp_path / ".scaffold-answers.yml").read_text()


def test_an_explicit_answer_wins_over_the_choice(tmp_path, capsys):
    _write(tmp_path)
    assert main(["init", "--defaults", "--data", "python_manager=poetry", "--data", "python_install_project=true",
                 str(tmp_path)]) == 0
    assert POETRY_PROJECT_STEP in (tmp_path / "Dockerfile").read_text()
