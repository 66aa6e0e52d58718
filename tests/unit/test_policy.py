"""The template policy (templates/policy.yml) is one file that the template and the Python side
both read: the same Debian release for every version, never recorded, never an answer."""

from __future__ import annotations

import pytest

from scaffolder import _naive, _policy
from tests.helpers import render, render_error


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"])
def test_python_release_is_the_same_in_the_template_and_the_naive_build(version):
    release = _policy.debian_release("python", version)
    assert _naive.naive_base_image({"language": "python", "python_version": version}) == f"python:{version}-{release}"


@pytest.mark.parametrize("version", ["1.22", "1.23", "1.24", "1.25"])
def test_go_release_and_distroless_follow_the_version(tmp_path, version):
    text = render(tmp_path, {"go.mod": f"module x\n\ngo {version}\n", "main.go": "package main\n\nfunc main() {}\n"},
                  go_cgo=True)["Dockerfile"]
    release = _policy.debian_release("go", version)
    assert f"golang:${{GO_VERSION}}-{release} AS deps" in text
    assert f"gcr.io/distroless/base-debian{_policy.debian_number(release)}:nonroot AS runtime" in text


@pytest.mark.parametrize("runtime, images", [("minimal", 1), ("slim", 2)])
def test_python_template_release_matches_policy(tmp_path, runtime, images):
    """The builder (and a slim runtime) run the policy's Debian release for each version."""
    for version in _policy.policy()["python"]["supported"]:
        text = render(tmp_path, {"main.py": "print('hi')\n"}, python_version=version,
                      python_runtime=runtime)["Dockerfile"]
        assert text.count(f"python:${{PYTHON_VERSION}}-slim-{_policy.debian_release('python', version)}") == images
        assert ("FROM scratch AS runtime" in text) == (runtime == "minimal")


def test_policy_is_not_recorded_and_not_an_answer(tmp_path):
    answers = render(tmp_path / "a", {"main.py": "print('hi')\n"})[".scaffold-answers.yml"]
    assert "\npolicy:" not in answers and "bookworm" not in answers and "uid: 65532" in answers
    assert "policy" in render_error(tmp_path / "b", {"main.py": "print('hi')\n"}, policy={})


def test_python_default_is_one_release_behind_the_newest():
    """A range such as >=3.9 gets a release the ecosystem has caught up with, not the newest."""
    supported = [str(v) for v in _policy.policy()["python"]["supported"]]
    assert str(_policy.policy()["python"]["default"]) == supported[-2]
