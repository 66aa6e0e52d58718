"""compose.yaml's develop.watch: an interpreted app's source is synced into the running
container (which restarts) and a change to what its dependency install reads rebuilds; a
compiled program, a frozen one or an installed package rebuilds on any change."""

from __future__ import annotations

import yaml

from tests.helpers import HELLO_GO, HELLO_PY, render

FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"


def watch(compose: str) -> list[dict]:
    return yaml.safe_load(compose)["services"]["app"]["develop"]["watch"]


def test_python_source_is_synced_and_dependencies_rebuild(tmp_path):
    out = render(tmp_path, {"app.py": FLASK, "requirements.txt": "flask\n"}, compose=True)
    assert watch((tmp_path / "compose.yaml").read_text()) == [
        {"action": "rebuild", "path": "requirements.txt"},  # first: a synced path would match it too
        {"action": "sync+restart", "path": ".", "target": "/app", "ignore": [".venv/", "__pycache__/"]},
    ]
    assert "WORKDIR /app\nCOPY --from=build" in out["Dockerfile"] and "\nCOPY . .\n" in out["Dockerfile"]


def test_compiled_and_installed_programs_rebuild(tmp_path):
    cases = [
        ({"go.mod": "module example.com/app\n\ngo 1.24\n", "main.go": HELLO_GO}, {"port": 8080}),
        ({"main.py": HELLO_PY}, {"python_pyinstaller": True, "port": 8080}),
    ]
    for i, (files, answers) in enumerate(cases):
        root = tmp_path / str(i)
        render(root, files, compose=True, **answers)
        assert watch((root / "compose.yaml").read_text()) == [{"action": "rebuild", "path": "."}], files
