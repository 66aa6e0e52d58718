"""The command line end to end on small trees: exit codes, messages, and nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import HELLO_GO, run, snapshot, tree

GENERATED = {"Dockerfile", ".dockerignore", "docker-build.sh", ".scaffold-answers.yml"}


def test_init_defaults_writes_the_four_files(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path))
    assert code == 0, err
    assert GENERATED <= set(snapshot(tmp_path))
    assert os.access(tmp_path / "docker-build.sh", os.X_OK)
    answers = (tmp_path / ".scaffold-answers.yml").read_text()
    assert "language: go" in answers and "go_entrypoint: hello" in answers
    assert "hello.go (package main, func main)" in err  # the source of each fact is shown


def test_rerun_with_same_answers_changes_nothing(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    assert run(capsys, "init", "--defaults", str(tmp_path))[0] == 0
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path))
    assert code == 0, err
    assert snapshot(tmp_path) == before


def test_defaults_never_overwrite_an_edited_file(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO, "Dockerfile": "FROM mine\n"})
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path))
    assert code == 1
    assert "would overwrite Dockerfile" in err and "--force" in err
    assert snapshot(tmp_path) == before


def test_force_overwrites(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO, "Dockerfile": "FROM mine\n"})
    code, _, err = run(capsys, "init", "--defaults", "--force", str(tmp_path))
    assert code == 0, err
    assert "AS runtime" in (tmp_path / "Dockerfile").read_text()


def test_dry_run_shows_diff_and_writes_nothing(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO, "Dockerfile": "FROM mine\n"})
    before = snapshot(tmp_path)
    code, out, err = run(capsys, "init", "--defaults", "--dry-run", str(tmp_path))
    assert code == 0, err
    assert "-FROM mine" in out and "+FROM scratch AS runtime" in out
    assert "new  docker-build.sh" in out
    assert snapshot(tmp_path) == before


def test_data_and_data_file_answer_up_front(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    data_file = tmp_path.parent / f"{tmp_path.name}-answers.yml"
    data_file.write_text("port: 8080\n")
    code, _, err = run(capsys, "init", "--defaults", "--data", "go_entrypoint=greeter", "--data-file", str(data_file), str(tmp_path))
    assert code == 0, err
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/usr/local/bin/greeter"]' in dockerfile
    assert "EXPOSE 8080" in dockerfile


def test_conflict_is_a_question_with_exit_2(tmp_path, capsys):
    tree(tmp_path, {"go.mod": "module example.com/two\n\ngo 1.22\n", "cmd/api/main.go": HELLO_GO, "cmd/worker/main.go": HELLO_GO})
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path))
    assert code == 2
    assert "--data go_entrypoint=" in err
    assert snapshot(tmp_path).keys() == {"go.mod", "cmd/api/main.go", "cmd/worker/main.go"}


def test_invalid_answer_names_the_question(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    code, _, err = run(capsys, "init", "--defaults", "--data", 'go_packages=["../outside"]', str(tmp_path))
    assert code == 2
    assert "go_packages" in err and "outside the repository" in err
    assert not (tmp_path / "Dockerfile").exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"go.mod": "module x\n\ngo 1.22\nbogus line\n", "main.go": HELLO_GO}, "go.mod:4: unknown directive 'bogus'"),
        ({"go.mod": "go 1.22\n", "main.go": HELLO_GO}, "go.mod:1: no module directive"),
        ({"Pipfile": "[packages\nflask = '*'\n", "app.py": "print(1)\n"}, "Pipfile:1: invalid TOML"),
        ({"pyproject.toml": "[project\n", "app.py": "print(1)\n"}, "pyproject.toml:1: invalid TOML"),
        ({"Pipfile": "[packages]\n", "Pipfile.lock": "{not json", "app.py": "print(1)\n"}, "Pipfile.lock:1: invalid JSON"),
        ({"requirements.txt": "flask\nrequests==\n", "app.py": "print(1)\n"}, "requirements.txt:2: not a requirement: 'requests=='"),
        ({"pyproject.toml": "[project]\nname = 'x'\ndependencies = ['flask>=']\n", "app.py": "print(1)\n"},
         "pyproject.toml:3: [project] dependencies: not a requirement: 'flask>='"),
    ],
)
def test_malformed_files_get_one_line_errors(tmp_path, capsys, files, message):
    tree(tmp_path, files)
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path))
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert snapshot(tmp_path) == before


def test_bad_paths(tmp_path, capsys):
    file = tmp_path / "a-file"
    file.write_text("x")
    code, _, err = run(capsys, "init", "--defaults", str(file))
    assert code == 1 and "not a directory" in err
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path / "missing"))
    assert code == 1 and "no such directory" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "init", "--defaults", str(empty))
    assert code == 1 and "no Go, C/C++ or Python project found" in err
    assert not any(empty.iterdir())


def test_unreadable_file(tmp_path, capsys):
    if os.geteuid() == 0:
        # root reads anything: make the file undecodable instead.
        tree(tmp_path, {"main.go": HELLO_GO})
        (tmp_path / "go.mod").write_bytes(b"module x\n\xff\xfe\n")
        expected = "go.mod:2: not valid UTF-8"
    else:
        tree(tmp_path, {"main.go": HELLO_GO, "go.mod": "module x\n"})
        (tmp_path / "go.mod").chmod(0)
        expected = "go.mod: cannot read"
    code, _, err = run(capsys, "init", "--defaults", str(tmp_path))
    assert code == 1 and expected in err


def test_detect_json_lists_facts_with_sources(tmp_path, capsys):
    tree(tmp_path, {"go.mod": "module example.com/hello\n\ngo 1.23\n", "main.go": HELLO_GO})
    code, out, _ = run(capsys, "detect", "--json", str(tmp_path))
    assert code == 0
    [go] = json.loads(out)
    facts = {f["name"]: f for f in go["facts"]}
    assert facts["go_version"]["value"] == "1.23"
    assert facts["go_version"]["source"] == "go.mod:3 (go 1.23)"


def test_python_m_scaffolder(tmp_path):
    tree(tmp_path, {"hello.go": HELLO_GO})
    proc = subprocess.run([sys.executable, "-m", "scaffolder", "detect", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0 and "go_entrypoint" in proc.stdout
