"""README "Try it", run as written: line by line in one shell on a pseudo-terminal, as a new user
types it, from a copy of this checkout, with a fresh HOME (so a fresh venv) and the Docker CLI
first on PATH.

Only two things differ from a new user's machine: ``/tmp/demo`` becomes a directory of this test
(same name, so the same image name), and the base images are made present first, as the README
says to do where no registry is reachable. `scaffold init` is answered by pressing Enter at every
question; the server the last line runs is asked for its page, then stopped with Ctrl-C.

Slow (a pip install and an image build): marked ``docker``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.docker_harness import REPO, _ensure_image, parse_dockerfile

pytestmark = pytest.mark.docker
pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
PROMPT = "README-TRY-IT[{rc}]$ "
PROMPT_ON, PROMPT_OFF = "\x1b[?2004h", "\x1b[?2004l"
PROMPT_RE = r"README-TRY-IT\[(\d+)\]\$ "


def try_it_lines(readme: str) -> list[str]:
    section = readme.split("## Try it", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def copy_checkout(dst: Path) -> None:
    """The files git tracks (as they are in the work tree): what a fresh clone has."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for rel in filter(None, files.split("\0")):
        src = REPO / rel
        if src.is_file():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / rel)


def ensure_base_images(tmp: Path) -> None:
    scratch = tmp / "bases" / "demo"
    shutil.copytree(REPO / "tests" / "examples" / "go-http", scratch)
    subprocess.run([sys.executable, "-m", "scaffolder", "init", "--defaults", str(scratch)], cwd=REPO,
                   capture_output=True, check=True)
    for ref in parse_dockerfile((scratch / "Dockerfile").read_text())[1]:
        _ensure_image(ref)


def http_get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_readme_try_it_works_as_written(tmp_path, docker):
    lines = try_it_lines((REPO / "README.md").read_text())
    assert any(line.startswith("scaffold init") for line in lines), lines
    demo = tmp_path / "demo"
    lines = [line.replace("/tmp/demo", str(demo)) for line in lines]
    checkout, home = tmp_path / "checkout", tmp_path / "home"
    home.mkdir()
    copy_checkout(checkout)
    ensure_base_images(tmp_path)

    env = {k: v for k, v in os.environ.items() if k not in ("DOCKER", "DOCKER_BUILDKIT", "VIRTUAL_ENV", "PYTHONPATH")}
    env.update(HOME=str(home), PS1=PROMPT.format(rc="$?"), TERM="xterm", NO_COLOR="1")
    # The PATH of a new user: the system directories, not this test's venv.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    shell = pexpect.spawn("bash", ["--norc", "--noprofile"], cwd=str(checkout), env=env, encoding="utf-8",
                          timeout=600, dimensions=(50, 200))
    transcript: list[str] = []
    shell.expect(PROMPT_RE)
    try:
        for line in lines:
            shell.sendline(line)
            if line.startswith("docker run"):
                port = re.search(r"-p (\d+):", line)
                assert port, line
                body = http_get(f"http://127.0.0.1:{port.group(1)}/", time.monotonic() + 60)
                assert "hello from Europe/Berlin" in body
                shell.sendcontrol("c")
            answered, answered_at = 0, -1
            while True:
                index = shell.expect([PROMPT_RE, pexpect.TIMEOUT], timeout=1 if line.startswith("scaffold init") else 600)
                if index == 0:
                    transcript.append(ANSI.sub("", shell.before + shell.after))
                    break
                assert line.startswith("scaffold init") and answered < 30, "".join(transcript) + ANSI.sub("", shell.before)
                # A question waits once a new prompt has opened (prompt_toolkit turns bracketed
                # paste on for it and off once it is answered); a quiet pause alone is not one.
                shown = shell.before  # all output since the shell's last prompt
                opened = shown.rfind(PROMPT_ON)
                if opened > max(shown.rfind(PROMPT_OFF), answered_at):
                    shell.send("\r")  # accept the detected value
                    answered, answered_at = answered + 1, opened
            code = int(shell.match.group(1))
            if line.startswith("docker run"):
                assert code in (0, 2, 130), "".join(transcript)  # stopped by Ctrl-C
            else:
                assert code == 0, f"`{line}` exited {code}:\n" + "".join(transcript)[-4000:]
            if line.startswith("scaffold init"):
                assert answered > 0, "scaffold init asked nothing"
                text = transcript[-1]
                assert f"next: {demo}/docker-build.sh" in text and "then: docker run --rm -p 8000:8000 demo:latest" in text
    finally:
        shell.close(force=True)
        subprocess.run([docker, "rmi", "-f", "demo:latest"], capture_output=True, check=False)
