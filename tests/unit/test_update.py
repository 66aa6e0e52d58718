"""`scaffold update` and `scaffold check` with two real template versions in a git bundle
(the ``installed`` fixture; the templates are tests.helpers.write_template)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scaffolder import _template
from tests.helpers import Installed, git, make_project, run, snapshot


def init_v1_and_edit(installed: Installed, capsys, root: Path) -> None:
    """Render v1, make every kind of user edit, commit."""
    installed.use(1)
    make_project(root)
    code, _, err = run(capsys, "init", "--defaults", "--data", "go_entrypoint=hello", str(root))
    assert code == 0, err
    answers = (root / ".scaffold-answers.yml").read_text()
    assert "_commit: v1.0.0" in answers
    assert f"_src_path: {_template.CANONICAL_URL}" in answers
    dockerfile = (root / "Dockerfile").read_text()
    # Non-conflicting edit (a system package), far from any template change.
    dockerfile = dockerfile.replace("USER 65532:65532\n", "USER 65532:65532\nLABEL team=payments\n")
    # Conflicting edit: the line v2 also changes.
    dockerfile = dockerfile.replace("RUN go build -o /out/hello .", "RUN go build -race -o /out/hello .")
    (root / "Dockerfile").write_text(dockerfile)
    build = (root / "docker-build.sh").read_text()
    (root / "docker-build.sh").write_text(build.replace("set -eu\n", "set -eu\necho building\n"))
    (root / ".dockerignore").unlink()  # deleted file
    (root / "NOTES.md").write_text("mine\n")  # added file
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "scaffold v1 plus my edits")


def assert_updated(root: Path, out: str) -> None:
    dockerfile = (root / "Dockerfile").read_text()
    # The improvement arrived (the non-conflicting part of it applies cleanly).
    assert "RUN --mount=type=cache,target=/go/pkg/mod go mod download" in dockerfile
    assert (root / "compose.yaml").read_text() == "services:\n  " + root.name + ":\n    build: .\n"
    # The user's edits survived.
    assert "LABEL team=payments" in dockerfile
    assert "echo building" in (root / "docker-build.sh").read_text()
    assert (root / "NOTES.md").read_text() == "mine\n"
    assert not (root / ".dockerignore").exists(), "a file the user deleted must stay deleted"
    # The conflict is marked inline with both sides.
    assert "<<<<<<< before updating" in dockerfile and ">>>>>>> after updating" in dockerfile
    assert "RUN go build -race -o /out/hello ." in dockerfile
    assert 'RUN go build -trimpath -tags "netgo" -ldflags="-s -w" -o /out/hello .' in dockerfile
    # Git sees the conflict too (for mergetools), and the answers moved to v2 with the new question.
    assert "Dockerfile" in git(root, "diff", "--name-only", "--diff-filter=U")
    answers = (root / ".scaffold-answers.yml").read_text()
    assert "_commit: v2.0.0" in answers and "go_tags: netgo" in answers and "go_entrypoint: hello" in answers
    assert "Dockerfile" in out and "compose.yaml" in out


def test_update_merges_and_keeps_user_edits(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    init_v1_and_edit(installed, capsys, root)
    installed.use(2)
    code, out, err = run(capsys, "update", "--defaults", str(root))
    assert code == 1, err  # a conflict: non-zero, with the file named
    assert "conflicts in Dockerfile" in err and "v1.0.0 -> v2.0.0" in err
    assert_updated(root, out)


def test_update_from_a_second_clone_on_another_machine(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    init_v1_and_edit(installed, capsys, root)
    clone = tmp_path / "elsewhere" / "hello"
    clone.parent.mkdir()
    git(tmp_path, "clone", "--quiet", str(root), str(clone))
    # Another machine: scaffold v2 installed at another path, with an empty cache.
    installed.use(2, cache="other-cache")
    code, out, err = run(capsys, "update", "--defaults", str(clone))
    assert code == 1, err
    assert_updated(clone, out)
    assert git(root, "status", "--porcelain") == ""  # the original checkout is untouched


def test_update_with_rej_files(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    init_v1_and_edit(installed, capsys, root)
    installed.use(2)
    code, out, err = run(capsys, "update", "--defaults", "--conflict", "rej", str(root))
    assert code == 1, err
    dockerfile = (root / "Dockerfile").read_text()
    rej = (root / "Dockerfile.rej").read_text()
    assert "<<<<<<<" not in dockerfile and "=======" not in dockerfile
    assert "conflicts in Dockerfile" in err
    # The user's line stays in the file (git commit -a keeps it); the template's hunk is the .rej.
    assert "RUN go build -race -o /out/hello ." in dockerfile
    assert 'RUN go build -trimpath -tags "netgo"' not in dockerfile
    assert "-RUN go build -race -o /out/hello .\n" in rej
    assert '+RUN go build -trimpath -tags "netgo" -ldflags="-s -w" -o /out/hello .\n' in rej
    # The rest of the update arrived, and the .rej applies to take the template's side.
    assert "RUN --mount=type=cache,target=/go/pkg/mod go mod download" in dockerfile
    assert git(root, "diff", "--name-only", "--diff-filter=U") == ""
    git(root, "apply", "--unidiff-zero", "Dockerfile.rej")
    assert 'RUN go build -trimpath -tags "netgo"' in (root / "Dockerfile").read_text()


def test_update_without_conflict_exits_zero_and_is_then_up_to_date(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    installed.use(1)
    make_project(root)
    assert run(capsys, "init", "--defaults", "--data", "go_entrypoint=hello", str(root))[0] == 0
    with open(root / "Dockerfile", "a") as f:
        f.write("EXPOSE 8080\n")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "v1")
    installed.use(2)
    code, out, err = run(capsys, "check", str(root))
    assert code == 1 and "v1.0.0 recorded, v2.0.0 available" in out
    code, out, err = run(capsys, "update", "--defaults", str(root))
    assert code == 0, err
    dockerfile = (root / "Dockerfile").read_text()
    assert dockerfile.endswith("EXPOSE 8080\n") and "-trimpath" in dockerfile
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "update")
    code, _, err = run(capsys, "update", "--defaults", str(root))
    assert code == 0 and "already up to date" in err
    code, out, err = run(capsys, "check", str(root))
    assert code == 0, out + err


def test_update_data_answers_new_question(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    installed.use(1)
    make_project(root)
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "v1")
    installed.use(2)
    code, _, err = run(capsys, "update", "--defaults", "--data", "go_tags=osusergo", str(root))
    assert code == 0, err
    assert '-tags "osusergo"' in (root / "Dockerfile").read_text()


# --- preconditions: one clear line, nothing changed ----------------------------------------------


def rendered_v1(installed: Installed, capsys, root: Path, *, commit: bool = True) -> None:
    installed.use(1)
    make_project(root)
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "--quiet", "-m", "v1")
    installed.use(2)


def assert_refused(capsys, root: Path, message: str) -> str:
    before = snapshot(root)
    code, out, err = run(capsys, "update", "--defaults", str(root))
    assert code != 0
    assert message in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert snapshot(root) == before
    return err


def test_refuses_outside_git(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    rendered_v1(installed, capsys, root)
    shutil.rmtree(root / ".git")
    assert_refused(capsys, root, "not a git repository")


def test_refuses_uncommitted_changes(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    rendered_v1(installed, capsys, root)
    with open(root / "Dockerfile", "a") as f:
        f.write("# wip\n")
    (root / "new.txt").write_text("untracked\n")
    err = assert_refused(capsys, root, "uncommitted changes (Dockerfile, new.txt)")
    assert "commit or stash" in err


def test_refuses_without_answers_file(installed, capsys, tmp_path):
    root = make_project(tmp_path / "hello")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "code")
    installed.use(2)
    assert_refused(capsys, root, ".scaffold-answers.yml: not found (nothing to update or check")


def test_refuses_answers_from_newer_scaffold(installed, capsys, tmp_path):
    root = tmp_path / "hello"
    installed.use(2)
    make_project(root)
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "rendered by scaffold with v2")
    installed.use(1)  # an older scaffold on this machine
    err = assert_refused(capsys, root, "written by scaffold templates v2.0.0, newer than the v1.0.0 installed here")
    assert "upgrade scaffold" in err


@pytest.mark.parametrize("command", ["init", "update"])
def test_ctrl_c_inside_copier_exits_130_and_leaves_the_tree_as_it_was(installed, capsys, tmp_path, monkeypatch, command):
    import copier

    root = tmp_path / "hello"
    rendered_v1(installed, capsys, root)
    installed.use(2)
    before = snapshot(root)

    def interrupted(src, dst=None, **kwargs):
        # Copier had started writing: into the repository (update) or its scratch directory (init).
        (Path(dst) / "Dockerfile" if dst else root / "Dockerfile").write_text("half-written\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_update" if command == "update" else "run_copy", interrupted)
    args = ["--defaults", str(root)] if command == "update" else ["--defaults", "--force", str(root)]
    code, _, err = run(capsys, command, *args)
    assert code == 130, err
    assert "scaffold: interrupted; nothing was" in err.strip().splitlines()[-1] and "Traceback" not in err, err
    if command == "update":
        assert snapshot(root) == before and git(root, "status", "--porcelain") == ""
    else:
        assert snapshot(root) == before


# --- check ------------------------------------------------------------------------------------


def test_check_reports_answers_that_detection_contradicts(installed, capsys, tmp_path):
    import json

    root = tmp_path / "hello"
    rendered_v1(installed, capsys, root)
    installed.use(1)
    code, out, err = run(capsys, "check", str(root))
    assert code == 0, out + err
    (root / "go.mod").write_text("module example.com/hello\n\ngo 1.23\n")
    code, out, _ = run(capsys, "check", "--json", str(root))
    assert code == 1
    report = json.loads(out)
    assert report["up_to_date"] is False and report["template"]["outdated"] is False
    drift = {d["name"]: d for d in report["answers"]}
    assert drift["go_version"]["recorded"] == "1.22" and drift["go_version"]["detected"] == "1.23"
    code, out, _ = run(capsys, "check", str(root))
    assert code == 1 and 'go_version: "1.22" recorded, "1.23" detected' in out


def test_check_without_answers_file(installed, capsys, tmp_path):
    root = make_project(tmp_path / "hello")
    installed.use(1)
    code, _, err = run(capsys, "check", str(root))
    assert code != 0 and ".scaffold-answers.yml: not found" in err


# Runs the CLI in a subprocess with a test bundle standing in for the installed one.
WRAPPER = """\
import os, sys
from pathlib import Path
from scaffolder import _template
_template.bundle_path = lambda: Path(os.environ["TEST_BUNDLE"])
_template.template_dir = lambda: Path(os.environ["TEST_TEMPLATES"])
from scaffolder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_update_asks_only_the_new_question(installed, capsys, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    import io
    import re
    import sys

    root = tmp_path / "hello"
    rendered_v1(installed, capsys, root)
    env = {**os.environ, "TEST_BUNDLE": str(installed.bundle_v2), "TEST_TEMPLATES": str(installed.dirs[2])}
    child = pexpect.spawn(
        sys.executable, ["-c", WRAPPER, "update", str(root)], env=env, encoding="utf-8", timeout=30, dimensions=(50, 200)
    )
    log = io.StringIO()
    child.logfile_read = log
    child.expect("Go build tags")
    child.send("\x15osusergo\r")  # Ctrl-U clears the default, then the answer
    child.expect(pexpect.EOF)
    child.close()
    transcript = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", log.getvalue())
    assert child.exitstatus == 0, transcript
    assert "netgo" in transcript  # the new question, with its default
    assert transcript.count("🎤") == transcript.count("🎤 Go build tags")  # no other question
    assert "go_entrypoint" not in transcript and "port" not in transcript
    assert '-tags "osusergo"' in (root / "Dockerfile").read_text()


def test_update_dry_run_shows_the_merge_and_changes_nothing(installed, capsys, tmp_path):
    import json

    root = tmp_path / "hello"
    init_v1_and_edit(installed, capsys, root)
    installed.use(2)
    before, head = snapshot(root), git(root, "rev-parse", "HEAD")
    code, out, err = run(capsys, "update", "--dry-run", "--defaults", str(root))
    assert code == 1, err  # the merge would conflict, as the real one does
    assert "would update templates v1.0.0 -> v2.0.0" in err and "conflicts would be in Dockerfile" in err
    assert "+RUN --mount=type=cache,target=/go/pkg/mod go mod download" in out and "compose.yaml" in out
    assert "dry run: nothing was changed" in err
    assert snapshot(root) == before and git(root, "status", "--porcelain") == "" and git(root, "rev-parse", "HEAD") == head
    code, out, err = run(capsys, "update", "--dry-run", "--json", str(root))
    report = json.loads(out)
    assert code == 1 and report["dry_run"] is True and report["conflicts"] == ["Dockerfile"], out
    assert report["template"] == {"old": "v1.0.0", "new": "v2.0.0"}
    assert {"path": "compose.yaml", "status": "added"} in report["files"]
    # What the dry run showed is what the update does.
    code, out, err = run(capsys, "update", "--json", str(root))
    real = json.loads(out)
    assert code == 1 and real["dry_run"] is False and real["conflicts"] == ["Dockerfile"] and "diff" not in real
    assert real["files"] == report["files"]
    git(root, "add", "--all")
    assert git(root, "diff", "--cached", "--no-color") == report["diff"]


def test_update_json_when_up_to_date(installed, capsys, tmp_path):
    import json

    root = tmp_path / "hello"
    init_v1_and_edit(installed, capsys, root)
    code, out, _ = run(capsys, "update", "--json", str(root))
    assert code == 0 and json.loads(out)["up_to_date"] is True


# --- a changed answer that stops rendering a file -------------------------------------------------

FLASK = {
    "requirements.txt": "flask==3.1.3\n",
    "app.py": "from flask import Flask\napp = Flask(__name__)\n"
              "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080)\n",
}


def _served_with_compose(tmp_path: Path, capsys) -> Path:
    """A Flask app rendered with the bundled template (compose.yaml on: it serves a port), committed."""
    from tests.helpers import tree

    root = tree(tmp_path / "web", FLASK)
    git(root, "init", "--quiet", "--initial-branch", "main")
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    assert (root / "compose.yaml").is_file()
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "init")
    return root


def test_turning_compose_off_deletes_the_compose_file_scaffold_wrote(tmp_path, capsys):
    root = _served_with_compose(tmp_path, capsys)
    code, out, err = run(capsys, "update", "--defaults", "--data", "compose=false", str(root))
    assert code == 0, err
    assert not (root / "compose.yaml").exists()
    assert "deleted  compose.yaml" in out and "kept" not in err
    assert "compose: false" in (root / ".scaffold-answers.yml").read_text()


def test_turning_compose_off_keeps_an_edited_compose_file_and_says_so(tmp_path, capsys):
    import json

    root = _served_with_compose(tmp_path, capsys)
    edited = (root / "compose.yaml").read_text() + "# the staging stack uses this file too\n"
    (root / "compose.yaml").write_text(edited)
    git(root, "commit", "--quiet", "-am", "my compose edit")
    code, out, err = run(capsys, "update", "--dry-run", "--defaults", "--data", "compose=false", str(root))
    assert code == 0 and "would keep compose.yaml" in err and "compose.yaml" not in out, out + err
    code, out, err = run(capsys, "update", "--defaults", "--data", "compose=false", str(root))
    assert code == 0, err
    assert (root / "compose.yaml").read_text() == edited
    kept = [line for line in err.splitlines() if "compose.yaml" in line]
    assert kept == ["kept compose.yaml: the answers no longer render it, but it was edited since scaffold wrote it; "
                    "delete it if it is no longer needed"]
    assert git(root, "status", "--porcelain") == " M .scaffold-answers.yml\n"
    git(root, "checkout", "--quiet", "--", ".")
    code, out, _ = run(capsys, "update", "--json", "--data", "compose=false", str(root))
    assert code == 0 and json.loads(out)["kept"] == ["compose.yaml"], out
