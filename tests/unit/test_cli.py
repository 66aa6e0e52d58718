"""The command line end to end on small trees: exit codes, messages, and nothing half-written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HELLO_GO, git, run, snapshot, tree

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
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/greeter"]' in dockerfile  # a server: tini stops it
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
    assert "go_packages: ['../outside'] is not a non-empty list of packages" in err and "no .." in err
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
         "pyproject.toml:3: project.dependencies: not a requirement: 'flask>='"),
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


def test_an_error_is_one_short_line_however_long_its_parts(tmp_path, capsys):
    deep = tmp_path / ("d" * 200) / ("e" * 200)
    deep.mkdir(parents=True)
    for target in (deep, deep / "missing"):
        code, _, err = run(capsys, "init", "--defaults", str(target))
        message = err.strip().splitlines()[-1].removeprefix("scaffold: ")
        assert code == 1 and len(message) < 200 and "…" in message, message
    assert "forces one" in run(capsys, "init", "--defaults", str(deep))[2]  # the end, what to do, is kept


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


# --- command-line mistakes: one line naming the option or question, the closest valid name ------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("prot=8080", "--data prot=8080: the template has no question 'prot' (did you mean port?)"),
        ("port=abc", "--data port=abc: port takes a whole number, not 'abc' (TCP port"),
        ("language=rust", "--data language=rust: language takes one of go, cpp, python, not 'rust'"),
        ("go_tzdata=maybe", "--data go_tzdata=maybe: go_tzdata takes true or false"),
        ("go_packages=[./cmd", "--data go_packages=[./cmd: go_packages takes a YAML value"),
        ("policy={}", "--data policy={}: policy is the template's own value, not a question"),
    ],
)
def test_bad_data_is_one_line_naming_the_question(tmp_path, capsys, data, message):
    tree(tmp_path, {"hello.go": HELLO_GO})
    code, _, err = run(capsys, "init", "--defaults", "--data", data, str(tmp_path))
    assert code == 2, err
    assert err.strip().splitlines() == [f"scaffold: {err.strip().removeprefix('scaffold: ')}"], err
    assert message in err
    assert snapshot(tmp_path).keys() == {"hello.go"}


def test_bad_data_file_answer_names_the_file(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    data_file = tmp_path.parent / f"{tmp_path.name}-answers.yml"
    data_file.write_text("prot: 8080\n")
    code, _, err = run(capsys, "init", "--defaults", "--data-file", str(data_file), str(tmp_path))
    assert code == 2
    assert f"{data_file}: prot: the template has no question 'prot' (did you mean port?)" in err


def test_data_file_may_be_another_projects_answers_file(tmp_path, capsys):
    one, two = tmp_path / "one", tmp_path / "two"
    tree(one, {"hello.go": HELLO_GO})
    tree(two, {"hello.go": HELLO_GO})
    assert run(capsys, "init", "--defaults", "--data", "port=8081", str(one))[0] == 0
    code, _, err = run(capsys, "init", "--defaults", "--data-file", str(one / ".scaffold-answers.yml"), str(two))
    assert code == 0, err
    assert "EXPOSE 8081" in (two / "Dockerfile").read_text()


def cli(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scaffolder", *args], capture_output=True, text=True, cwd=cwd, **kw)


def test_unknown_option_shows_the_subcommands_usage(tmp_path):
    proc = cli("init", "--frobnicate", str(tmp_path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("usage: scaffold init ") and "{init,update" not in proc.stderr, proc.stderr
    assert lines[-1] == "scaffold init: error: unrecognized arguments: --frobnicate"
    proc = cli("init", "--dry-rn", str(tmp_path))
    assert proc.stderr.strip().splitlines()[-1].endswith("--dry-rn (did you mean --dry-run?)")
    proc = cli("updte")
    assert proc.returncode == 2 and proc.stderr.strip().endswith("(did you mean update?)")


def test_a_closed_pipe_ends_quietly(tmp_path):
    tree(tmp_path, {"hello.go": HELLO_GO})
    for args in (["detect", "--json", str(tmp_path)], ["detect", str(tmp_path)]):
        proc = subprocess.Popen([sys.executable, "-m", "scaffolder", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # the reader is gone before anything is written
        err = proc.stderr.read().decode()
        assert proc.wait() == 141 and err == "", err


def test_detect_finds_nothing_exits_1_in_text_and_json(tmp_path, capsys):
    tree(tmp_path, {"README.md": "# nothing to build\n"})
    code, out, err = run(capsys, "detect", str(tmp_path))
    assert code == 1 and "no Go, C/C++ or Python project found" in err
    code, out, err = run(capsys, "detect", "--json", str(tmp_path))
    assert code == 1 and json.loads(out) == [] and "no Go, C/C++ or Python project found" in err


def test_errors_have_the_same_exit_code_in_json(tmp_path, capsys):
    code, out, err = run(capsys, "check", str(tmp_path))
    json_code, json_out, json_err = run(capsys, "check", "--json", str(tmp_path))
    assert code == json_code == 1
    assert json.loads(json_out) == {"error": err.strip().removeprefix("scaffold: "), "exit_code": 1}


def test_check_prints_an_update_command_that_pastes_into_a_shell(tmp_path, capsys):
    tree(tmp_path, {"app.py": 'print("hi")\n'})
    assert run(capsys, "init", "--defaults", str(tmp_path))[0] == 0
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "init")
    (tmp_path / "requirements.txt").write_text("flask\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "requirements")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 1
    [command] = [line.removeprefix("run: ") for line in out.splitlines() if line.startswith("run: ")]
    assert "'python_requirements=[\"requirements.txt\"]'" in command
    # Pasted as printed, with `scaffold` standing for this checkout's CLI.
    shell = f'scaffold() {{ "{sys.executable}" -m scaffolder "$@"; }}; {command}'
    proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    git(tmp_path, "commit", "-qam", "update")
    assert run(capsys, "check", str(tmp_path))[0] == 0
    code, out, _ = run(capsys, "check", "--json", str(tmp_path))
    assert code == 0 and json.loads(out)["update_command"] is None


def test_exit_codes_are_documented_in_help_and_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for args in ([], ["init"], ["update"], ["check"], ["detect"]):
        out = cli(*args, "--help").stdout
        for code, meaning in (("0", "done"), ("1", "failed"), ("2", "usage mistake"), ("130", "interrupted"),
                              ("141", "pipe closed")):
            assert re.search(rf"^  {code} +.*{meaning}", out, re.M), (args, code, out)
            assert re.search(rf"^\| `{code}` \|.*{meaning}", readme, re.M), (code, "README")


def test_next_steps_use_the_path_given_and_the_port(tmp_path, capsys):
    root = tree(tmp_path / "My App", {"hello.go": HELLO_GO})
    code, _, err = run(capsys, "init", "--defaults", "--data", "port=8081", str(root))
    assert code == 0, err
    assert f"next: '{root}/docker-build.sh'  (builds my-app:latest" in err
    assert "then: docker run --rm -p 8081:8081 my-app:latest" in err.splitlines()
    other = tree(tmp_path / "cli", {"hello.go": HELLO_GO})
    proc = cli("init", "--defaults", cwd=other)
    assert "next: ./docker-build.sh" in proc.stderr and "then: docker run --rm cli:latest" in proc.stderr.splitlines()


def test_init_json_says_what_was_written_and_kept(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    code, out, err = run(capsys, "init", "--json", "--data", "port=8081", str(tmp_path))  # asks nothing
    assert code == 0, err
    report = json.loads(out)
    assert report["answers"]["go_entrypoint"] == "hello" and report["answers"]["port"] == 8081
    assert report["template"].startswith("v") and report["dry_run"] is False and report["kept"] == []
    assert {f["path"]: (f["status"], f["written"]) for f in report["files"]}["Dockerfile"] == ("new", True)
    assert report["next"][1] == f"docker run --rm -p 8081:8081 {tmp_path.name.lower()}:latest"
    (tmp_path / "Dockerfile").write_text("FROM mine\n")
    code, out, _ = run(capsys, "init", "--json", "--dry-run", "--data", "port=8081", str(tmp_path))
    report = json.loads(out)
    assert code == 0 and report["dry_run"] is True and report["kept"] == ["Dockerfile"] and report["next"] is None
    files = {f["path"]: (f["status"], f["written"]) for f in report["files"]}
    assert files["Dockerfile"] == ("changed", False) and files["docker-build.sh"] == ("unchanged", False)
    code, out, err = run(capsys, "init", "--json", "--data", "port=8081", str(tmp_path))
    assert code == 1 and "would overwrite Dockerfile" in json.loads(out)["error"]
    assert (tmp_path / "Dockerfile").read_text() == "FROM mine\n"


def test_init_json_with_an_open_question_exits_2(tmp_path, capsys):
    tree(tmp_path, {"go.mod": "module example.com/two\n\ngo 1.22\n", "cmd/api/main.go": HELLO_GO,
                    "cmd/worker/main.go": HELLO_GO})
    code, out, err = run(capsys, "init", "--json", str(tmp_path))
    assert code == 2 and "--data go_entrypoint=" in json.loads(out)["error"]


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    tree(tmp_path, {"hello.go": HELLO_GO})

    def on_a_terminal(env: dict[str, str]) -> str:
        child = pexpect.spawn(sys.executable, ["-m", "scaffolder", "init", "--defaults", "--dry-run", str(tmp_path)],
                              env=env, encoding="utf-8", timeout=60)
        text = child.read()
        child.close()
        assert child.exitstatus == 0, text
        return text

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[32m      new\x1b[0m  Dockerfile" in on_a_terminal(env)
    assert "\x1b[" not in on_a_terminal({**env, "NO_COLOR": "1"})
    piped = cli("init", "--defaults", "--dry-run", str(tmp_path), env=env)
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout + piped.stderr


def test_the_port_follows_the_program_picked(tmp_path, capsys):
    tree(tmp_path, {"go.mod": "module example.com/shop\n\ngo 1.22\n", "cmd/worker/main.go": HELLO_GO,
                    "cmd/api/main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
                                       '\thttp.ListenAndServe(":8080", nil)\n}\n'})
    code, _, err = run(capsys, "init", "--defaults", "--data", "go_entrypoint=worker", str(tmp_path))
    assert code == 0, err
    assert "EXPOSE" not in (tmp_path / "Dockerfile").read_text()  # the worker serves nothing
    code, _, err = run(capsys, "init", "--defaults", "--force", "--data", "go_entrypoint=api", str(tmp_path))
    assert code == 0, err
    assert "EXPOSE 8080" in (tmp_path / "Dockerfile").read_text()


def test_the_start_command_follows_the_port(tmp_path, capsys):
    tree(tmp_path, {"requirements.txt": "flask\n", "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n"
                    "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\n"})
    code, _, err = run(capsys, "init", "--defaults", "--data", "port=8080", str(tmp_path))
    assert code == 0, err
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "EXPOSE 8080" in dockerfile and '"--port", "8080"]' in dockerfile and "5000" not in dockerfile
    assert '- "8080"' in (tmp_path / ".scaffold-answers.yml").read_text() or "'8080'" in (
        tmp_path / ".scaffold-answers.yml").read_text()  # recorded as the value, so update replays it


def test_the_init_summary_shows_the_answer_given_over_the_detected_value(tmp_path, capsys):
    root = tree(tmp_path / "web", {"requirements.txt": "flask==3.1.3\n", ".python-version": "3.13\n",
                                   "app.py": "from flask import Flask\napp = Flask(__name__)\n"
                                             "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080)\n"})
    code, _, err = run(capsys, "init", "--defaults", "--dry-run", "--data", "python_version=3.11", "--data", "port=9000",
                       "--data", "uid=1000", str(root))
    assert code == 0, err
    summary = [line.strip() for line in err.splitlines() if line.startswith("  ")]
    assert 'python_version = "3.11"  <- --data python_version=3.11 (detected "3.13": .python-version)' in summary
    assert "port = 9000  <- --data port=9000 (detected 8080: app.py)" in summary
    assert "uid = 1000  <- --data uid=1000" in summary  # answered, though nothing detects it
    assert not [line for line in summary if line.startswith(('python_version = "3.13"', "port = 8080"))], summary
