"""The answer schema (scaffolder/_schema.py): one grammar per question, enforced the same way for
--data, --data-file, what detection proposes and the recorded answers file, on init, update and
check; a refusal names the question, shows the value shortened and says what is allowed."""

from __future__ import annotations

import json

import pytest
import yaml

from scaffolder import _plan, _schema
from scaffolder.errors import AnswerError
from scaffolder.providers import Detection
from tests.helpers import GENERATED, HELLO_GO, REAL_TEMPLATES, git, run, tree

GO_MOD = "module example.com/hello\n\ngo 1.22\n"


def template_questions() -> set[str]:
    names = set()
    for path in [REAL_TEMPLATES / "copier.yml", *sorted((REAL_TEMPLATES / "questions").glob("*.yml"))]:
        for document in yaml.safe_load_all(path.read_text().replace("!include", "#")):
            names |= {k for k in (document or {}) if not k.startswith("_") and k != "policy"}
    return names


def test_every_question_has_a_rule_and_its_validator_calls_the_schema():
    assert template_questions() == set(_schema.QUESTIONS)
    text = "".join(p.read_text() for p in [REAL_TEMPLATES / "copier.yml", *(REAL_TEMPLATES / "questions").glob("*.yml")])
    for name in _schema.QUESTIONS:
        assert f"validator: \"{{{{ {name} | answer_problem('{name}') }}}}\"" in text, name


HOSTILE = ["$(id>/tmp/x)", "`id`", "a\nUSER root", "a;id", "a && id", "{{ 7*7 }}", "../etc", "'x'", '"x"', "a b"]
# Harmless where they are allowed: arguments of the build may name a parent directory and be
# several words; several source files are separated by spaces.
FINE = {"../etc": {"cpp_configure_args", "go_private"}, "a b": {"cpp_configure_args", "cpp_source", "go_packages"}}


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "name", sorted(n for n, rule in _schema.QUESTIONS.items() if rule.accepts("app") or rule.accepts(["app"]))
)
def test_hostile_text_is_refused_by_every_text_question(name, value):
    if name in FINE.get(value, ()):
        return
    for candidate in (value, [value]):
        if name == "start_command" and isinstance(candidate, list) and "\n" not in value:
            continue  # an argument may hold any printable text: it is rendered as a JSON string
        assert _schema.problem(name, candidate), (name, candidate)


def test_a_refusal_names_the_question_shows_the_value_shortened_and_says_what_is_allowed():
    message = _schema.problem("project_name", "$(id>/tmp/x)" + "x" * 100)
    assert message.startswith("project_name: '$(id>/tmp/x)xxx")
    assert "…" in message and len(message) < 200
    assert "an image name (a-z 0-9" in message


def test_a_file_name_that_is_not_utf8_is_no_command():
    """os.fsdecode turns undecodable bytes into surrogates; an image could not run that CMD."""
    assert _schema.problem("start_command", ["python", "caf\udce9.py"])
    assert _schema.problem("pyinstaller_entry", "caf\udce9.py")


def test_good_answers_pass():
    good = {
        "project_name": "my-app.v2", "port": 8080, "uid": 10001, "go_packages": ["./cmd/api", "./a.go ./util.go"],
        "cpp_configure_args": "-DAPP_TESTS=OFF -Dx=y", "python_build_packages": ["libpq-dev", "g++"],
        "start_command": ["python", "-c", "print('a; b && $(c)')"], "go_private": "github.com/acme/*,example.com",
        "python_version": "3.12", "go_version": "1.24", "cpp_cmake_preset": "", "pyinstaller_entry": "app/cli.spec",
    }
    assert _schema.problems(good) == []


def test_data_exploit_is_refused_before_anything_is_written(tmp_path, capsys):
    tree(tmp_path, {"hello.go": HELLO_GO})
    code, _, err = run(capsys, "init", "--defaults", "--data", "project_name=$(id>/tmp/x)", str(tmp_path))
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert last.startswith("scaffold: project_name: '$(id>/tmp/x)' is not an image name")
    assert not any((tmp_path / name).exists() for name in GENERATED)


def test_data_file_values_are_checked_the_same_way(tmp_path, capsys):
    tree(tmp_path, {"main.py": "print('hi')\n", "answers.yml": yaml.safe_dump({"python_build_packages": ["gcc\nUSER root"]})})
    code, _, err = run(capsys, "init", "--defaults", "--data-file", str(tmp_path / "answers.yml"), str(tmp_path))
    assert code == 2 and "python_build_packages: ['gcc\\nUSER root'] is not a list of Debian packages" in err
    assert not (tmp_path / "Dockerfile").exists()


def test_a_detected_value_is_checked_and_named_with_its_source(tmp_path):
    detection = Detection("python", "pyproject.toml")
    detection.add("pyinstaller_entry", "x\nUSER root\nRUN id #.spec", "x.spec (the one .spec file)")
    with pytest.raises(AnswerError, match=r"pyinstaller_entry: .* is not a script or .spec path.*\(from x.spec"):
        _plan.plan(tmp_path, [detection], {})
    # An up-front answer replaces the refused detection.
    assert _plan.plan(tmp_path, [detection], {"pyinstaller_entry": "main.py"}).data["pyinstaller_entry"] == "main.py"


# --- the recorded answers file: check and update ----------------------------------------------


def rendered_repo(tmp_path, capsys):
    root = tree(tmp_path / "hello", {"go.mod": GO_MOD, "main.go": HELLO_GO})
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "init")
    return root


def edit_answers(root, **changes) -> None:
    path = root / ".scaffold-answers.yml"
    text = path.read_text()
    for name, value in changes.items():
        lines = [f"{name}: {json.dumps(value)}" if line.startswith(f"{name}:") else line for line in text.splitlines()]
        text = "\n".join(lines) + "\n"
    path.write_text(text)
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "hand edit")


@pytest.mark.parametrize("changes, shown", [({"uid": 0}, "uid: 0 is not a user id"),
                                             ({"project_name": "$(id)"}, "project_name: '$(id)' is not an image name")])
def test_check_and_update_refuse_a_hostile_answers_file(tmp_path, capsys, changes, shown):
    root = rendered_repo(tmp_path, capsys)
    edit_answers(root, **changes)
    code, out, _ = run(capsys, "check", str(root))
    assert code == 3 and shown in out and ".scaffold-answers.yml:" in out
    code, out, _ = run(capsys, "check", "--json", str(root))
    assert code == 3 and shown in json.loads(out)["problems"][0]
    before = (root / "Dockerfile").read_bytes()
    code, _, err = run(capsys, "update", "--defaults", str(root))
    assert code == 1 and shown in err and "Traceback" not in err
    assert (root / "Dockerfile").read_bytes() == before


def test_check_reports_an_unknown_template_version(tmp_path, capsys):
    root = rendered_repo(tmp_path, capsys)
    edit_answers(root, _commit="v9.9.9")
    code, out, _ = run(capsys, "check", str(root))
    assert code == 3 and "v9.9.9" in out


def test_check_reports_conflict_markers_left_in_a_generated_file(tmp_path, capsys):
    root = rendered_repo(tmp_path, capsys)
    dockerfile = root / "Dockerfile"
    lines = dockerfile.read_text().splitlines(keepends=True)
    dockerfile.write_text("".join(lines[:3]) + "<<<<<<< before updating\nRUN a\n=======\nRUN b\n>>>>>>> after updating\n" + "".join(lines[3:]))
    code, out, _ = run(capsys, "check", str(root))
    assert code == 3 and "Dockerfile:4: conflict marker" in out


LONG_HOSTILE = "x\nUSER root $(id) `id`; a && b {{ 7*7 }} ../../etc/passwd " * 40


@pytest.mark.parametrize("name", sorted(_schema.QUESTIONS))
def test_every_refusal_of_a_detected_value_is_one_short_line_with_the_whole_rule(tmp_path, name):
    """A refused detection names the question, the value shortened, what is allowed, its file and
    line, and how to answer it, in under 200 characters as the CLI prints it."""
    value = next(v for v in (LONG_HOSTILE, [LONG_HOSTILE] * 70, 10**12) if _schema.problem(name, v))
    detection = Detection("python", "pyproject.toml")
    detection.add(name, value, "pyproject.toml:1234 (tool.app.entry)")
    with pytest.raises(AnswerError) as err:
        _plan.plan(tmp_path, [detection], {})
    printed = f"scaffold: {err.value}"
    assert len(printed) < 200 and "\n" not in printed, (len(printed), printed)
    assert printed.startswith(f"scaffold: {name}: ") and printed.endswith(f"; answer it with --data {name}=VALUE")
    assert _schema.QUESTIONS[name].describe() in printed and "(from pyproject.toml:1234" in printed, printed
