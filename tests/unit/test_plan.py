"""plan: which language wins, what becomes data, a default or a question, and how recorded
answers (update, check) and up-front answers (--data) take part."""

from __future__ import annotations

import pytest

from scaffolder._detect import detect
from scaffolder._plan import make_plan, plan
from scaffolder.errors import AnswerError
from tests.helpers import HELLO_GO, MAIN_CPP, tree

GO_MOD = "module example.com/hello\n\ngo 1.22\n"



def test_helper_scripts_do_not_make_a_second_language(tmp_path):
    """Ninja's layout: CMakeLists.txt plus configure.py and misc/*.py, no Python manifest."""
    tree(tmp_path, {
        "CMakeLists.txt": "project(ninja)\nadd_executable(ninja src/ninja.cc)\n",
        "src/ninja.cc": MAIN_CPP,
        "configure.py": "print('configure')\n",
        "misc/write_fake_manifests.py": "print('x')\n",
    })
    plan = make_plan(tmp_path, {}, interactive=False)
    assert plan.data["language"] == "cpp"
    assert any("also found python (*.py files)" in n for n in plan.detection.notes)


def test_lone_sources_of_two_languages_stay_a_question(tmp_path):
    tree(tmp_path, {"hello.cpp": MAIN_CPP, "hello.py": "print('hi')\n"})
    with pytest.raises(AnswerError, match="--data language="):
        make_plan(tmp_path, {}, interactive=False)


def test_a_task_runner_makefile_without_sources_is_not_cpp(tmp_path):
    tree(tmp_path, {"Makefile": "run:\n\tpython app.py\n", "app.py": "print('hi')\n"})
    plan = make_plan(tmp_path, {}, interactive=False)
    assert plan.data["language"] == "python"


def test_certain_facts_are_data_likely_ones_defaults(tmp_path):
    tree(tmp_path, {"go.mod": GO_MOD, "hello.go": HELLO_GO})
    result = plan(tmp_path, detect(tmp_path), {})
    assert result.data["language"] == "go" and result.data["go_version"] == "1.22"
    assert result.defaults["go_entrypoint"] == "hello"  # likely: asked with this default
    assert result.defaults["project_name"] == tmp_path.name.lower()


def test_up_front_answers_win_over_detection(tmp_path):
    tree(tmp_path, {"go.mod": GO_MOD, "hello.go": HELLO_GO})
    result = plan(tmp_path, detect(tmp_path), {"go_version": "1.24", "go_entrypoint": "srv"})
    assert result.data["go_version"] == "1.24" and result.data["go_entrypoint"] == "srv"
    assert "go_entrypoint" not in result.defaults


def test_recorded_answers_are_left_to_copier_to_replay(tmp_path):
    """update: a recorded answer is neither data nor a default (Copier replays it), it settles
    its question, and the recorded language picks the detection; --data still overrides."""
    tree(tmp_path, {"go.mod": GO_MOD, "hello.go": HELLO_GO, "main.py": "print('hi')\n"})
    recorded = {"language": "go", "go_version": "1.21", "go_entrypoint": "hello", "project_name": "x"}
    result = plan(tmp_path, detect(tmp_path), {"port": 8080}, recorded=recorded)
    assert result.detection.language == "go" and not result.questions
    assert set(recorded).isdisjoint(result.data) and set(recorded).isdisjoint(result.defaults)
    assert result.data["port"] == 8080  # an answer given now
    assert result.data["go_module"] is True  # a question the recorded answers do not cover
    overridden = plan(tmp_path, detect(tmp_path), {"go_version": "1.23"}, recorded=recorded)
    assert overridden.data["go_version"] == "1.23"


def test_a_recorded_language_nothing_detects_is_still_planned(tmp_path):
    tree(tmp_path, {"main.py": "print('hi')\n"})
    result = plan(tmp_path, detect(tmp_path), {}, recorded={"language": "go"})
    assert result.detection.language == "go" and result.detection.source == "the recorded answers"
    assert "language" not in result.data


def test_several_languages_without_an_answer_are_a_question(tmp_path):
    tree(tmp_path, {"go.mod": GO_MOD, "hello.go": HELLO_GO, "pyproject.toml": '[project]\nname = "a"\nversion = "0"\n', "a.py": ""})
    result = plan(tmp_path, detect(tmp_path), {})
    assert [q.name for q in result.questions] == ["language"]
    assert {c.value for c in result.questions[0].candidates} == {"go", "python"}
