"""Real prompts through a pseudo-terminal: detected defaults, a conflict, typed answers, Ctrl-C."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import HELLO_GO

pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
DOWN = "\x1b[B"
# prompt_toolkit turns bracketed paste on while a prompt waits for keys and off once it is
# answered: a prompt is told by these, not by how long the output stays quiet, which a loaded
# machine stretches past any fixed wait.
PROMPT_ON, PROMPT_OFF = "\x1b[?2004h", "\x1b[?2004l"


class Pty:
    """`scaffold init .` in a pseudo-terminal, with everything it printed kept once, in order."""

    def __init__(self, cwd: Path, rows: int = 50):
        self.out: list[str] = []
        self.child = pexpect.spawn(sys.executable, ["-m", "scaffolder", "init", "."], cwd=str(cwd),
                                   encoding="utf-8", timeout=60, dimensions=(rows, 200))
        self.child.logfile_read = self
        self.sent_at = 0  # len(self.out) when keys were last sent

    def write(self, text: str) -> None:
        self.out.append(text)

    def flush(self) -> None:
        pass

    def text(self, since: int = 0) -> str:
        return ANSI.sub("", "".join(self.out[since:]))

    def next_prompt(self, limit: float = 120.0) -> bool:
        """Read until a prompt is drawn and waits (True) or the program has ended (False).

        After keys are sent, the prompt they answered first closes (bracketed paste off) and the
        next one opens (on): only then does a prompt wait. A typed answer the prompt refuses
        leaves it open and redraws it with the reason: new output with neither marker."""
        deadline = time.monotonic() + limit
        quiet_since, seen = time.monotonic(), len(self.out)
        while time.monotonic() < deadline:
            if self.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=0.2) == 0:
                return False
            if len(self.out) != seen:
                quiet_since, seen = time.monotonic(), len(self.out)
                continue
            new = "".join(self.out[self.sent_at:])
            on, off = new.rfind(PROMPT_ON), new.rfind(PROMPT_OFF)
            quiet = time.monotonic() - quiet_since
            if on > off and quiet >= 0.3:
                return True
            if on < 0 and off < 0 and ANSI.sub("", new).strip() and quiet >= 1.0:
                return True  # the same prompt, redrawn
        self.child.terminate(force=True)
        pytest.fail("scaffold init neither asked nor finished:\n" + self.text())

    def send(self, keys: str) -> None:
        self.sent_at = len(self.out)
        self.child.send(keys)

    def asked(self) -> str:
        """What was printed since the last answer: the question's context and its prompt."""
        return self.text(self.sent_at)

    def accept_defaults(self, until: str | None = None, limit: int = 40) -> None:
        """Enter at every prompt until one mentions ``until`` (or the program ends)."""
        for _ in range(limit):
            if not self.next_prompt() or (until and until in self.asked()):
                return
            self.send("\r")
        pytest.fail(f"more than {limit} prompts:\n" + self.text())

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


def drive(cwd: Path, answers: dict[str, str], *, interrupt_at: str | None = None, limit: int = 40):
    """Run `scaffold init` in a pty and answer each prompt with the keys of the first entry of
    ``answers`` its text mentions (Enter, the default, otherwise)."""
    pty = Pty(cwd)
    for _ in range(limit):
        if not pty.next_prompt():
            break
        asked = pty.asked()
        if interrupt_at and interrupt_at in asked:
            pty.send("\x03")
            continue
        pty.send(next((k for q, k in answers.items() if q in asked), "") + "\r")
    else:
        pty.child.terminate(force=True)
        pytest.fail("scaffold init did not finish:\n" + pty.text())
    pty.child.close()
    return pty.child.exitstatus, pty.text()


def test_prompts_show_detected_defaults_and_take_typed_answers(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    code, transcript = drive(tmp_path, {"TCP port": "8081"})
    assert code == 0, transcript
    assert "Go version of the builder" in transcript
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "EXPOSE 8081" in dockerfile
    # the detected program, accepted (a server behind tini, which stops it on SIGTERM)
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/hello"]' in dockerfile


def test_conflict_is_asked_as_a_choice(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/two\n\ngo 1.22\n")
    for name in ("api", "worker"):
        (tmp_path / "cmd" / name).mkdir(parents=True)
        (tmp_path / "cmd" / name / "main.go").write_text(HELLO_GO)
    code, transcript = drive(tmp_path, {"pick the one the container runs": DOWN})
    assert code == 0, transcript
    assert "cmd/api/main.go" in transcript and "cmd/worker/main.go" in transcript
    entrypoint = re.search(r"^ENTRYPOINT (.*)$", (tmp_path / "Dockerfile").read_text(), re.M)
    assert entrypoint and entrypoint.group(1).endswith('"/usr/local/bin/worker"]'), entrypoint


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
    pty = Pty(tmp_path)
    assert pty.next_prompt() and "pick the one the image builds" in pty.asked() and "Other" in pty.asked()
    pty.send(DOWN * 2 + "\r")  # the two languages, then "Other (type it)"
    assert pty.next_prompt() and "language (one of go, cpp, python)" in pty.asked()
    pty.send("rust\r")
    assert pty.next_prompt()
    assert "language takes one of go, cpp, python, not 'rust'; try again" in pty.asked()
    assert "language (one of go, cpp, python)" in pty.asked()
    pty.send("go\r")
    pty.accept_defaults()
    assert pty.finish() == 0, pty.text()
    assert "Detected go" in pty.text()
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
    pty = Pty(tmp_path)
    pty.accept_defaults(until="TCP port")  # the questions before it keep their defaults
    pty.send("\x1570000\r")  # Ctrl-U clears the default first
    assert pty.next_prompt() and "is not a TCP port" in pty.asked()
    pty.send("\x158081\r")
    pty.accept_defaults()
    transcript = pty.text()
    assert pty.finish() == 0, transcript
    assert "70000 is not a TCP port, 0 to 65535" in transcript
    assert "EXPOSE 8081" in (tmp_path / "Dockerfile").read_text()


def test_review_lists_every_answer_and_a_changed_port_carries_the_start_command(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n"
                                     "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\n")
    pty = Pty(tmp_path, rows=60)
    pty.accept_defaults(until="Write the files, or change")  # every question, with its detected default
    assert "Quit without writing" in pty.asked()
    review = pty.text()
    assert re.search(r"port +5000", review) and '"--port", "5000"' in review
    names = re.findall(r"Change (\w+) \(", review.rsplit("Your answers", 1)[-1])
    pty.send(DOWN * (names.index("port") + 1) + "\r")
    assert pty.next_prompt() and "port:" in pty.asked()
    pty.send("\x7f" * 8 + "8080\r")
    assert pty.next_prompt() and "Write the files, or change" in pty.asked() and "Quit without writing" in pty.asked()
    pty.send("\r")  # write
    assert pty.finish() == 0, pty.text()
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "EXPOSE 8080" in dockerfile and '"--port", "8080"]' in dockerfile


def test_quitting_at_the_review_writes_nothing(tmp_path):
    (tmp_path / "hello.go").write_text(HELLO_GO)
    pty = Pty(tmp_path, rows=60)
    pty.accept_defaults(until="Write the files, or change")
    assert "Quit without writing" in pty.asked()
    pty.send("\x1b[A\r")  # up from the first choice: the last one, quit
    assert pty.finish() == 130, pty.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hello.go"]
