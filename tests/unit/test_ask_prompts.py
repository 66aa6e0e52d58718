"""Real prompts through a pseudo-terminal: detected defaults, a conflict, typed answers, Ctrl-C."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.helpers import HELLO_GO

pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
DOWN = "\x1b[B"


def drive(cwd: Path, answers: dict[str, str], *, interrupt_at: str | None = None, limit: int = 40):
    """Run `scaffold init` in a pty. Whenever output goes quiet a prompt is waiting: answer it with
    the keys of the first matching entry of ``answers`` (Enter accepts the default)."""
    child = pexpect.spawn(
        sys.executable, ["-m", "scaffolder", "init", "."], cwd=str(cwd), encoding="utf-8", timeout=30, dimensions=(50, 200)
    )
    transcript = ""
    for _ in range(limit):
        try:
            child.expect(pexpect.EOF, timeout=2.0)
            transcript += child.before
            break
        except pexpect.TIMEOUT:
            transcript += child.before
        last_prompt = ANSI.sub("", transcript).rsplit("🎤", 1)[-1] if "🎤" in transcript else ANSI.sub("", transcript)[-300:]
        if interrupt_at and interrupt_at in last_prompt:
            child.sendcontrol("c")
            continue
        keys = next((k for q, k in answers.items() if q in last_prompt), "")
        child.send(keys + "\r")
    else:
        child.terminate(force=True)
        pytest.fail("scaffold init did not finish:\n" + ANSI.sub("", transcript))
    child.close()
    return child.exitstatus, ANSI.sub("", transcript)


def test_prompts_show_detected_defaults_and_take_typed_answers(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    code, transcript = drive(tmp_path, {"TCP port": "8081"})
    assert code == 0, transcript
    assert "Go version of the builder" in transcript
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "EXPOSE 8081" in dockerfile
    assert 'ENTRYPOINT ["/usr/local/bin/hello"]' in dockerfile  # the detected default, accepted


def test_conflict_is_asked_as_a_choice(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/two\n\ngo 1.22\n")
    for name in ("api", "worker"):
        (tmp_path / "cmd" / name).mkdir(parents=True)
        (tmp_path / "cmd" / name / "main.go").write_text(HELLO_GO)
    code, transcript = drive(tmp_path, {"pick the one the container runs": DOWN})
    assert code == 0, transcript
    assert "cmd/api/main.go" in transcript and "cmd/worker/main.go" in transcript
    assert 'ENTRYPOINT ["/usr/local/bin/worker"]' in (tmp_path / "Dockerfile").read_text()


def test_interrupting_a_prompt_writes_nothing(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    code, transcript = drive(tmp_path, {}, interrupt_at="TCP port")
    assert code == 130, transcript
    assert "nothing was written" in transcript
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hello.go"]


def test_overwrite_is_confirmed_per_file_with_a_diff(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    (tmp_path / "Dockerfile").write_text("FROM mine\n")
    code, transcript = drive(tmp_path, {"Overwrite Dockerfile?": "n"})
    assert code == 0, transcript
    assert "-FROM mine" in transcript
    assert (tmp_path / "Dockerfile").read_text() == "FROM mine\n"  # declined: kept
    assert (tmp_path / "docker-build.sh").exists()  # new files are written


def two_programs(root: Path) -> None:
    (root / "go.mod").write_text("module example.com/shop\n\ngo 1.22\n")
    (root / "cmd" / "api").mkdir(parents=True)
    (root / "cmd" / "api" / "main.go").write_text(
        'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n')
    (root / "cmd" / "worker").mkdir(parents=True)
    (root / "cmd" / "worker" / "main.go").write_text(HELLO_GO)


def test_detected_facts_come_before_any_question_and_questions_speak_plainly(tmp_path):
    two_programs(tmp_path)
    code, transcript = drive(tmp_path, {})
    assert code == 0, transcript
    summary, question = transcript.index("Detected go (go.mod)"), transcript.index("? go_entrypoint")
    assert summary < question, transcript
    asked = transcript[summary:question]
    # The template's own words, why it is asked, how to answer it up front, each choice's evidence.
    assert "Binary the container runs" in asked and "2 main packages" in asked
    assert "--data go_entrypoint=api" in asked
    assert re.search(r"api +cmd/api/main.go", transcript) and re.search(r"worker +cmd/worker/main.go", transcript)


def test_other_language_must_be_a_supported_one(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/two\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(HELLO_GO)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "two"\nversion = "1"\n[project.scripts]\ntwo = "two:main"\n')
    (tmp_path / "two.py").write_text("def main():\n    print(1)\n")
    typed = iter(["rust", "go"])
    child = pexpect.spawn(sys.executable, ["-m", "scaffolder", "init", "."], cwd=str(tmp_path), encoding="utf-8",
                          timeout=30, dimensions=(50, 200))
    child.expect("pick the one the image builds")
    child.expect("Other")
    child.send(DOWN * 2 + "\r")  # the two languages, then "Other (type it)"
    child.expect(r"language \(one of go, cpp, python\)")
    child.send(next(typed) + "\r")
    child.expect(r"language takes one of go, cpp, python, not 'rust'; try again")
    child.expect(r"language \(one of go, cpp, python\)")
    child.send(next(typed) + "\r")
    child.expect("Detected go")
    for _ in range(20):  # accept every detected default
        index = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=2)
        if index == 0:
            break
        child.send("\r")
    child.close()
    assert child.exitstatus == 0
    assert "language: go" in (tmp_path / ".scaffold-answers.yml").read_text()


def test_refusing_the_dockerfile_keeps_the_answers_file_out_too(tmp_path):
    import subprocess

    (tmp_path / "hello.go").write_text(HELLO_GO)
    (tmp_path / "Dockerfile").write_text("FROM mine\n")
    code, transcript = drive(tmp_path, {"Overwrite Dockerfile?": "n"})
    assert code == 0, transcript
    assert (tmp_path / "Dockerfile").read_text() == "FROM mine\n"
    assert not (tmp_path / ".scaffold-answers.yml").exists(), "answers no file reflects"
    assert ".scaffold-answers.yml was not written either" in transcript
    assert "Overwrite .scaffold-answers.yml" not in transcript
    check = subprocess.run([sys.executable, "-m", "scaffolder", "check", str(tmp_path)], capture_output=True, text=True)
    assert check.returncode != 0 and ".scaffold-answers.yml: not found" in check.stderr


def test_a_refused_typed_answer_is_asked_again_with_the_schema_reason(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    child = pexpect.spawn(
        sys.executable, ["-m", "scaffolder", "init", "."], cwd=str(tmp_path), encoding="utf-8", timeout=30, dimensions=(50, 200)
    )
    transcript = ""
    try:
        while child.expect(["TCP port", pexpect.TIMEOUT], timeout=3.0) == 1:
            child.send("\r")  # the questions before it keep their defaults
        child.expect(pexpect.TIMEOUT, timeout=1.0)  # the prompt is drawn
        child.send("\x1570000\r")
        child.expect("is not allowed")
        transcript += child.before + child.after
        child.send("\x158081\r")
        while True:  # accept every later default
            index = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=2.0)
            transcript += child.before
            if index == 0:
                break
            child.send("\r")
    finally:
        child.close()
    transcript = ANSI.sub("", transcript)
    assert child.exitstatus == 0, transcript
    assert "70000 is not allowed; expected a TCP port, 0 to 65535" in transcript
    assert "EXPOSE 8081" in (tmp_path / "Dockerfile").read_text()


def test_review_lists_every_answer_and_a_changed_port_carries_the_start_command(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n"
                                     "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\n")
    child = pexpect.spawn(sys.executable, ["-m", "scaffolder", "init", "."], cwd=str(tmp_path), encoding="utf-8",
                          timeout=60, dimensions=(60, 200))
    seen: list[str] = []
    child.logfile_read = type("Log", (), {"write": lambda self, s: seen.append(s), "flush": lambda self: None})()
    for _ in range(30):  # every question, with its detected default
        if child.expect(["Write the files, or change", pexpect.TIMEOUT], timeout=3) == 0:
            break
        child.send("\r")
    child.expect("Quit without writing")
    review = ANSI.sub("", "".join(seen))
    assert re.search(r"port +5000", review) and '"--port", "5000"' in review
    names = re.findall(r"Change (\w+) \(", review.rsplit("Your answers", 1)[-1])
    child.send(DOWN * (names.index("port") + 1) + "\r")
    child.expect("port:")
    child.send("\x7f" * 8 + "8080\r")
    child.expect("Write the files, or change")
    child.expect("Quit without writing")
    child.send("\r")  # write
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, ANSI.sub("", "".join(seen))
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "EXPOSE 8080" in dockerfile and '"--port", "8080"]' in dockerfile


def test_quitting_at_the_review_writes_nothing(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    child = pexpect.spawn(sys.executable, ["-m", "scaffolder", "init", "."], cwd=str(tmp_path), encoding="utf-8",
                          timeout=60, dimensions=(60, 200))
    for _ in range(30):
        if child.expect(["Write the files, or change", pexpect.TIMEOUT], timeout=3) == 0:
            break
        child.send("\r")
    child.expect("Quit without writing")
    child.send("\x1b[A\r")  # up from the first choice: the last one, quit
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hello.go"]
