"""Python detection rules on small fixture trees: managers, requirements files, versions, start
commands, native packages, PyInstaller, secrets, and the errors bad manifests get."""

from __future__ import annotations

import json

import pytest

from scaffolder.cli import main
from scaffolder._plan import make_plan
from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import CERTAIN, LIKELY
from scaffolder.providers.python import detect
from scaffolder.providers.python._versions import poetry_to_pep440, satisfies
from tests.helpers import HELLO_PY as APP
from tests.helpers import detect_python, fact, facts, question, tree

def lock(packages: dict[str, str], python: str = "3.11") -> str:
    return json.dumps({
        "_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6, "requires": {"python_version": python},
                  "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
        "default": {name: {"version": f"=={v}"} for name, v in packages.items()},
        "develop": {},
    }, indent=4)


PIPFILE = '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n' \
          '[packages]\nflask = "*"\n\n[dev-packages]\npytest = "*"\n\n[requires]\npython_version = "3.11"\n'


# --- nothing to do ---------------------------------------------------------------------

def test_no_python_files_is_not_python(tmp_path):
    assert detect(Repo(tree(tmp_path, {"main.go": "package main\n"}))) is None


def test_lone_script_is_pip_without_requirements(tmp_path):
    det = detect_python(tmp_path, {"hello.py": APP})
    got = facts(det)
    assert got["python_manager"] == "pip" and got["python_requirements"] == []
    assert got["start_command"] == ["python", "hello.py"]
    assert got["python_version"] == "3.13" and fact(det, "python_version").certainty == LIKELY
    assert got["port"] == 0 and got["python_pyinstaller"] is False


# --- requirements files ----------------------------------------------------------------

def test_requirements_with_include_constraints_hashes_and_comments(tmp_path):
    det = detect_python(tmp_path, {
        "app.py": APP,
        "requirements.txt": (
            "# pinned\n-r requirements/base.txt\n-c constraints.txt\n"
            "requests[socks]==2.32.3 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb  # http\n"
            "tomli>=2; python_version < '3.11'\n"
        ),
        "requirements/base.txt": "click==8.1.7\n",
        "constraints.txt": "urllib3<3\n",
    })
    got = facts(det)
    assert got["python_manager"] == "pip"
    assert got["python_requirements"] == ["requirements.txt"]
    assert got["python_dependency_files"] == ["requirements.txt", "requirements/base.txt", "constraints.txt"]


def test_include_of_a_missing_file_names_file_and_line(tmp_path):
    with pytest.raises(InputError) as err:
        detect_python(tmp_path, {"app.py": APP, "requirements.txt": "flask\n-r other.txt\n"})
    assert str(err.value).startswith("requirements.txt:2: includes other.txt, which does not exist")


def test_include_outside_the_project_is_refused(tmp_path):
    with pytest.raises(InputError, match="outside the project"):
        detect_python(tmp_path / "p", {"requirements.txt": "-r ../x.txt\n"})


@pytest.mark.parametrize("include", ["-r /etc/passwd", "--requirement=/etc/passwd", "-c /etc/passwd"])
def test_an_absolute_include_is_refused_unread(tmp_path, include):
    with pytest.raises(InputError) as err:
        detect_python(tmp_path / "p", {"requirements.txt": f"flask\n{include}\n"})
    assert str(err.value).startswith("requirements.txt:2: includes /etc/passwd, outside the project"), str(err.value)


def test_malformed_requirement_names_file_and_line(tmp_path):
    with pytest.raises(InputError) as err:
        detect_python(tmp_path, {"app.py": APP, "requirements.txt": "flask==3\n\nflask[async\n"})
    assert str(err.value).startswith("requirements.txt:3: not a requirement")


def test_unknown_option_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"requirements.txt:1: unknown option '--frobnicate'"):
        detect_python(tmp_path, {"requirements.txt": "--frobnicate x\n"})


def test_include_cycle_terminates(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "-r b.txt\nflask\n", "b.txt": "-r requirements.txt\nclick\n"})
    assert facts(det)["python_dependency_files"] == ["requirements.txt", "b.txt"]


def test_dev_requirements_are_not_installed(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "requirements.txt": "flask\n", "requirements-dev.txt": "-r requirements.txt\npytest\n"})
    assert facts(det)["python_requirements"] == ["requirements.txt"]
    assert "requirements-dev.txt" not in facts(det)["python_dependency_files"]
    assert any("requirements-dev.txt" in n for n in det.notes)


def test_only_dev_requirements_installs_nothing(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "requirements-dev.txt": "pytest\n", "requirements-test.txt": "tox\n"})
    assert facts(det)["python_requirements"] == []
    assert any("only development requirements" in n for n in det.notes)


def test_requirements_folder_root_file_is_chosen(tmp_path):
    det = detect_python(tmp_path, {
        "main.py": APP,
        "requirements/base.txt": "flask\n",
        "requirements/prod.txt": "-r base.txt\ngunicorn\n",
        "requirements/dev.txt": "-r base.txt\npytest\n",
    })
    assert facts(det)["python_requirements"] == ["requirements/prod.txt"]
    assert facts(det)["python_dependency_files"] == ["requirements/prod.txt", "requirements/base.txt"]


def test_two_unrelated_requirements_files_are_a_question(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "requirements/web.txt": "flask\n", "requirements/worker.txt": "celery\n"})
    q = question(det, "python_requirements")
    assert q is not None and [c.value for c in q.candidates] == [["requirements/web.txt"], ["requirements/worker.txt"]]


def test_pip_tools_in_file_yields_to_its_compiled_txt(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "requirements.in": "flask\n", "requirements.txt": "flask==3.1\n"})
    assert facts(det)["python_requirements"] == ["requirements.txt"]


# --- pipenv ----------------------------------------------------------------------------

def test_pipfile_and_lock(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "Pipfile": PIPFILE, "Pipfile.lock": lock({"flask": "3.1.3"})})
    got = facts(det)
    assert got["python_manager"] == "pipenv"
    assert got["python_dependency_files"] == ["Pipfile", "Pipfile.lock"]
    assert got["python_version"] == "3.11"
    assert "Pipfile.lock" in fact(det, "python_version").source


def test_pipfile_without_lock_is_noted(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "Pipfile": PIPFILE})
    assert facts(det)["python_dependency_files"] == ["Pipfile"]
    assert any("pipenv lock" in n for n in det.notes)


def test_malformed_pipfile_names_the_line(tmp_path):
    with pytest.raises(InputError) as err:
        detect_python(tmp_path, {"Pipfile": '[packages]\nflask = "*"\nbroken = \n'})
    assert str(err.value).startswith("Pipfile:3: invalid TOML")


def test_pipfile_package_of_the_wrong_type(tmp_path):
    with pytest.raises(InputError, match=r"^Pipfile:2: packages.flask must be a version string or a table"):
        detect_python(tmp_path, {"Pipfile": "[packages]\nflask = 3\n"})


def test_malformed_pipfile_lock_names_the_line(tmp_path):
    with pytest.raises(InputError) as err:
        detect_python(tmp_path, {"Pipfile": PIPFILE, "Pipfile.lock": '{\n  "_meta": {},\n  "default": {,}\n}\n'})
    assert str(err.value).startswith("Pipfile.lock:3: invalid JSON")


def test_pipfile_lock_of_the_wrong_shape(tmp_path):
    with pytest.raises(InputError, match=r"Pipfile.lock:1: not a Pipfile.lock"):
        detect_python(tmp_path, {"Pipfile": PIPFILE, "Pipfile.lock": "[1, 2]\n"})


def test_pipfile_lock_without_pipfile(tmp_path):
    with pytest.raises(InputError, match="found without its Pipfile"):
        detect_python(tmp_path, {"app.py": APP, "Pipfile.lock": lock({})})


def test_pipfile_and_requirements_are_a_question(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "Pipfile": PIPFILE, "requirements.txt": "flask\n"})
    q = question(det, "python_manager")
    assert q is not None and {c.value for c in q.candidates} == {"pipenv", "pip"}
    assert "python_manager" not in facts(det)
    # Both manifests are copied, whichever answer is given.
    assert set(facts(det)["python_dependency_files"]) == {"Pipfile", "requirements.txt"}


# --- pyproject-based managers ----------------------------------------------------------

POETRY1 = """[tool.poetry]
name = "svc"
version = "0.1.0"
description = ""
authors = ["A <a@example.com>"]

[tool.poetry.dependencies]
python = "^3.11"
flask = "^3.1"
gunicorn = "*"

[tool.poetry.group.dev.dependencies]
pytest = "^8"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""

POETRY_LOCK = '[[package]]\nname = "flask"\nversion = "3.1.3"\n\n[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "0"\n'


def test_poetry_1_project(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": POETRY1, "poetry.lock": POETRY_LOCK, "svc/__init__.py": "",
                         "svc/app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    got = facts(det)
    assert got["python_manager"] == "poetry"
    assert got["python_dependency_files"] == ["pyproject.toml", "poetry.lock"]
    assert got["python_install_project"] is True
    # ^3.11 allows every supported 3.x: scaffold's default is taken (not the newest), and can be changed.
    assert got["python_version"] == "3.13" and fact(det, "python_version").certainty == LIKELY
    assert got["start_command"] == ["gunicorn", "--bind", "0.0.0.0:5000", "svc.app:app"]


def test_poetry_2_package_mode_false(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.11,<3.13"\n'
                          'dependencies = ["requests"]\n\n[tool.poetry]\npackage-mode = false\n',
        "poetry.lock": POETRY_LOCK, "main.py": APP,
    })
    got = facts(det)
    assert got["python_manager"] == "poetry" and got["python_install_project"] is False
    assert "package-mode = false" in fact(det, "python_install_project").source
    assert got["python_version"] == "3.12"


def test_poetry_without_lock_is_noted(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": POETRY1, "main.py": APP})
    assert facts(det)["python_manager"] == "poetry"
    assert facts(det)["python_dependency_files"] == ["pyproject.toml"]
    assert any("poetry lock" in n for n in det.notes)


def test_malformed_poetry_lock(tmp_path):
    with pytest.raises(InputError, match=r"^poetry.lock:2: invalid TOML"):
        detect_python(tmp_path, {"pyproject.toml": POETRY1, "poetry.lock": "[[package]]\nname = \n"})


UV_PROJECT = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["fastapi[standard]"]\n'
UV_LOCK = 'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n'


def test_uv_virtual_project(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": UV_PROJECT, "uv.lock": UV_LOCK, ".python-version": "3.13\n",
                         "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    got = facts(det)
    assert got["python_manager"] == "uv" and got["python_install_project"] is False
    assert got["python_dependency_files"] == ["pyproject.toml", "uv.lock"]
    assert got["python_version"] == "3.13" and fact(det, "python_version").certainty == CERTAIN
    # fastapi[standard] brings uvicorn.
    assert got["start_command"] == ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
    assert got["python_workspace"] is False


def test_uv_package_and_workspace_members(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": UV_PROJECT + '\n[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/skip"]\n\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "uv.lock": UV_LOCK,
        "packages/core/pyproject.toml": '[project]\nname = "core"\nversion = "0"\n',
        "packages/skip/pyproject.toml": '[project]\nname = "skip"\nversion = "0"\n',
        "packages/core/src/core/__init__.py": "",
        "main.py": APP,
    })
    got = facts(det)
    assert got["python_workspace"] is True and got["python_install_project"] is True
    assert got["python_dependency_files"] == ["pyproject.toml", "uv.lock", "packages/core/pyproject.toml"]


def test_uv_lock_beside_requirements_decides(tmp_path):
    # One lock file among several managers' files: the lock decides, the requirements are a note.
    det = detect_python(tmp_path, {"pyproject.toml": UV_PROJECT, "uv.lock": UV_LOCK, "requirements.txt": "fastapi\n", "main.py": APP})
    assert question(det, "python_manager") is None
    assert facts(det)["python_manager"] == "uv" and "(the only lock file)" in fact(det, "python_manager").source
    assert "requirements.txt" not in facts(det)["python_dependency_files"]
    assert any(n.startswith("not used to install: requirements.txt (pip); uv.lock locks") for n in det.notes)


def test_pipfile_lock_beside_requirements_decides(tmp_path):
    det = detect_python(tmp_path, {"Pipfile": PIPFILE, "Pipfile.lock": lock({"flask": "3.1.3"}), "requirements.txt": "flask\n", "app.py": APP})
    assert question(det, "python_manager") is None
    assert facts(det)["python_manager"] == "pipenv"
    assert facts(det)["python_dependency_files"] == ["Pipfile", "Pipfile.lock"]


def test_pipfile_without_lock_beside_requirements_is_a_question(tmp_path):
    det = detect_python(tmp_path, {"Pipfile": PIPFILE, "requirements.txt": "flask\n", "app.py": APP})
    assert {c.value for c in question(det, "python_manager").candidates} == {"pipenv", "pip"}


def test_uv_and_poetry_locks_are_a_question(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": POETRY1, "poetry.lock": POETRY_LOCK, "uv.lock": UV_LOCK, "main.py": APP})
    assert {c.value for c in question(det, "python_manager").candidates} == {"poetry", "uv"}


def test_malformed_uv_lock(tmp_path):
    with pytest.raises(InputError, match=r"^uv.lock:1: not a uv lock file"):
        detect_python(tmp_path, {"pyproject.toml": UV_PROJECT, "uv.lock": 'requires-python = ">=3.11"\n'})


def test_pdm_lock(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": UV_PROJECT + "\n[tool.pdm]\ndistribution = false\n",
        "pdm.lock": '[metadata]\ngroups = ["default"]\nstrategy = ["inherit_metadata"]\nlock_version = "4.5"\n', "main.py": APP,
    })
    got = facts(det)
    assert got["python_manager"] == "pdm" and got["python_install_project"] is False
    assert got["python_dependency_files"] == ["pyproject.toml", "pdm.lock"]


def test_pdm_lock_without_markers_is_refused_with_the_fix(tmp_path):
    # Written by PDM before 2.11 (no inherit_metadata strategy): `pdm export` cannot read it.
    with pytest.raises(InputError, match=r"pdm\.lock: locked without the inherit_metadata strategy") as err:
        detect_python(tmp_path, {"pyproject.toml": UV_PROJECT,
                                 "pdm.lock": '[metadata]\nstrategy = ["cross_platform"]\nlock_version = "4.4"\n', "main.py": APP})
    assert "pdm lock --strategy inherit_metadata" in str(err.value)


def test_pep621_without_lock_installs_with_pip(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": UV_PROJECT + '\n[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n',
        "src/app/__init__.py": "",
    })
    got = facts(det)
    assert got["python_manager"] == "pip"
    assert got["python_requirements"] == ["pyproject.toml"]
    assert got["python_install_project"] is True


def test_pep621_dynamic_dependencies_install_with_the_project(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\nversion = "0"\ndynamic = ["dependencies"]\n'
                                           '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
                         "a.py": APP})
    assert facts(det)["python_requirements"] == []
    assert any("dynamic dependencies" in n for n in det.notes)


def test_setup_py_project_installs_itself(tmp_path):
    det = detect_python(tmp_path, {"setup.py": "from setuptools import setup\nsetup(name='a', py_modules=['a'])\n", "a.py": APP})
    got = facts(det)
    assert got["python_manager"] == "pip" and got["python_install_project"] is True
    assert fact(det, "python_manager").source == "setup.py"


def test_malformed_pyproject_names_the_line(tmp_path):
    with pytest.raises(InputError) as err:
        detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\ndependencies = [flask]\n', "a.py": APP})
    assert str(err.value).startswith("pyproject.toml:3: invalid TOML")


def test_bad_dependency_in_pyproject(tmp_path):
    with pytest.raises(InputError, match=r"pyproject.toml:3: .*not a requirement"):
        detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\ndependencies = ["flask>>>3"]\n', "a.py": APP})


# --- Python version --------------------------------------------------------------------

@pytest.mark.parametrize("files, expected, source", [
    ({".python-version": "3.12.4\n"}, "3.12", ".python-version"),
    ({".python-version": "# pinned\ncpython-3.11\n"}, "3.11", ".python-version"),
    ({"runtime.txt": "python-3.11.9\n"}, "3.11", "runtime.txt"),
    ({".tool-versions": "nodejs 22.1.0\npython 3.12.1 3.11.0\n"}, "3.12", ".tool-versions python"),
    ({"Pipfile": '[requires]\npython_full_version = "3.13.1"\n'}, "3.13", "Pipfile [requires] python_full_version"),
])
def test_version_pins(tmp_path, files, expected, source):
    det = detect_python(tmp_path, {"main.py": APP, **files})
    assert facts(det)["python_version"] == expected
    assert fact(det, "python_version").source == source
    assert fact(det, "python_version").certainty == CERTAIN


def test_agreeing_pins_are_one_fact(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, ".python-version": "3.12\n", "runtime.txt": "python-3.12.3\n"})
    assert facts(det)["python_version"] == "3.12"
    assert fact(det, "python_version").source == ".python-version and runtime.txt"


def test_conflicting_pins_are_a_question(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, ".python-version": "3.11\n", "runtime.txt": "python-3.12.3\n"})
    q = question(det, "python_version")
    assert q is not None and [(c.value, c.source) for c in q.candidates] == [("3.11", ".python-version"), ("3.12", "runtime.txt")]


def test_pin_outside_requires_python_is_a_question(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\nversion = "0"\nrequires-python = ">=3.12"\n',
                         ".python-version": "3.11\n", "a.py": APP})
    q = question(det, "python_version")
    assert q is not None and [c.value for c in q.candidates] == ["3.11", "3.14"]


@pytest.mark.parametrize("files, expected", [
    ({"runtime.txt": "python-3.6.15\n"}, "3.11"),
    ({".python-version": "3.8\n"}, "3.11"),
    ({".python-version": "3.10\n"}, "3.11"),
    ({".python-version": "3.15\n"}, "3.14"),
])
def test_pin_without_an_image_takes_the_nearest_supported(tmp_path, files, expected):
    det = detect_python(tmp_path, {"main.py": APP, **files})
    assert question(det, "python_version") is None
    assert facts(det)["python_version"] == expected
    assert fact(det, "python_version").certainty == LIKELY
    pinned = next(iter(files))
    assert f"{expected} is the nearest supported" in fact(det, "python_version").source
    assert any(n.startswith(pinned) and f"building with {expected}" in n for n in det.notes)


@pytest.mark.parametrize("requires, classifiers, expected, why", [
    (">=3.9", [], "3.13", "scaffold's default"),
    (">=3.14", [], "3.14", "nearest scaffold's default"),
    (">=3.9,<3.13", [], "3.12", "nearest scaffold's default"),
    (">=3.9", ["3.9", "3.10", "3.11", "3.12"], "3.12", "classifiers"),
    (">=3.9", ["3.12", "3.14"], "3.14", "classifiers"),
    (">=3.9", ["3.9", "3.10"], "3.13", "scaffold's default"),
])
def test_requires_python_range_default(tmp_path, requires, classifiers, expected, why):
    listed = ", ".join(f'"Programming Language :: Python :: {c}"' for c in classifiers)
    pyproject = f'[project]\nname = "a"\nversion = "0"\nrequires-python = "{requires}"\nclassifiers = [{listed}]\n'
    det = detect_python(tmp_path, {"pyproject.toml": pyproject, "a.py": APP})
    assert facts(det)["python_version"] == expected
    assert why.split()[-1] in fact(det, "python_version").source


def test_requires_python_picks_the_highest_supported_minor(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\nversion = "0"\nrequires-python = ">=3.10,!=3.13.*,<3.14"\n',
                         "a.py": APP})
    assert facts(det)["python_version"] == "3.12"


def test_requires_python_nothing_supported_is_a_question(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\nversion = "0"\nrequires-python = ">=4"\n', "a.py": APP})
    assert "allows no supported version" in question(det, "python_version").reason


def test_bad_version_file(tmp_path):
    with pytest.raises(InputError, match=r"^.python-version:1: not a Python version: 'latest'"):
        detect_python(tmp_path, {"main.py": APP, ".python-version": "latest\n"})


def test_bad_requires_python(tmp_path):
    with pytest.raises(InputError, match=r"^pyproject.toml:3: requires-python: not a version specifier"):
        detect_python(tmp_path, {"pyproject.toml": '[project]\nname = "a"\nrequires-python = "three"\n', "a.py": APP})


def test_poetry_constraints_translate():
    assert poetry_to_pep440("^3.11") == ">=3.11,<4.0"
    assert poetry_to_pep440("~3.11") == ">=3.11,<3.12"
    assert poetry_to_pep440(">=3.11,<3.13") == ">=3.11,<3.13"
    assert poetry_to_pep440("3.12.*") == "==3.12.*"
    assert satisfies("3.12", poetry_to_pep440("~3.11 || ^3.12"))
    assert not satisfies("3.12", poetry_to_pep440("~3.11"))


# --- start command and port --------------------------------------------------------------

def test_procfile_web_wins(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\nflask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                         "Procfile": "release: python manage.py migrate\nweb: gunicorn --bind 0.0.0.0:${PORT:-8080} app:app\n"})
    got = facts(det)
    assert got["start_command"] == ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
    assert got["port"] == 8080
    assert fact(det, "start_command").source == "Procfile:2 (web)"


@pytest.mark.parametrize("web, command, port", [
    # gunicorn without --bind listens on 127.0.0.1:8000, unreachable from outside the container.
    ("gunicorn app:app", ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"], 8000),
    ("gunicorn -w 2 app:app --bind=127.0.0.1:9000", ["gunicorn", "-w", "2", "app:app", "--bind=0.0.0.0:9000"], 9000),
    ("gunicorn -b localhost app:app", ["gunicorn", "-b", "0.0.0.0:8000", "app:app"], 8000),
    ("gunicorn app:app --bind 0.0.0.0:$PORT", ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"], 8000),
    ("uvicorn main:app", ["uvicorn", "--host", "0.0.0.0", "main:app", "--port", "8000"], 8000),
    ("uvicorn main:app --port 7000 --host 127.0.0.1", ["uvicorn", "main:app", "--port", "7000", "--host", "0.0.0.0"], 7000),
    ("flask --app app run", ["flask", "--app", "app", "run", "--host", "0.0.0.0", "--port", "5000"], 5000),
    ("python -m gunicorn app:app", ["python", "-m", "gunicorn", "--bind", "0.0.0.0:8000", "app:app"], 8000),
    ("daphne -p 8100 site.asgi:application", ["daphne", "--bind", "0.0.0.0", "-p", "8100", "site.asgi:application"], 8100),
    ("waitress-serve app:app", ["waitress-serve", "--listen", "0.0.0.0:8080", "app:app"], 8080),
    ("gunicorn --bind unix:/run/app.sock app:app", ["gunicorn", "--bind", "unix:/run/app.sock", "app:app"], None),
])
def test_procfile_server_listens_on_all_interfaces(tmp_path, web, command, port):
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\n", "Procfile": f"web: {web}\n", "app.py": APP})
    assert facts(det)["start_command"] == command
    if port is None:
        assert question(det, "port") is not None
    else:
        assert facts(det)["port"] == port and question(det, "port") is None


UWSGI_INI = "[uwsgi]\n; from the environment\nhttp-socket=:$(PORT)\nmaster=true\nvirtualenv=$(VIRTUAL_ENV)\nwsgi-file=app.py\n"


@pytest.mark.parametrize("web", ["uwsgi ./etc/uwsgi.ini", "uwsgi --ini etc/uwsgi.ini", "uwsgi --ini=etc/uwsgi.ini:uwsgi"])
def test_procfile_uwsgi_ini_reads_port_and_venv_from_the_environment(tmp_path, web):
    """bakerydemo's shape: the ini's $(PORT) and $(VIRTUAL_ENV) are set by the image, and uWSGI,
    which reloads on SIGTERM, gets --die-on-term."""
    det = detect_python(tmp_path, {"requirements.txt": "django\nuwsgi\n", "Procfile": f"web: {web}\n",
                                   "etc/uwsgi.ini": UWSGI_INI, "app.py": APP})
    got = facts(det)
    assert got["start_command"] == [*web.split(), "--die-on-term"]
    assert "added --die-on-term" in fact(det, "start_command").source
    assert got["port"] == 8000 and fact(det, "port").source.startswith("etc/uwsgi.ini:3 http-socket = :$(PORT)")
    assert got["python_server_env"] == ["PORT", "VIRTUAL_ENV"]


@pytest.mark.parametrize("ini, command, port, env", [
    ("[uwsgi]\nhttp = :9000\ndie-on-term = true\n", ["uwsgi", "a.ini"], 9000, []),
    # Loopback: one more socket on all interfaces (uWSGI's socket options repeat).
    ("[uwsgi]\nhttp-socket = 127.0.0.1:9000\n", ["uwsgi", "a.ini", "--die-on-term", "--http-socket", "0.0.0.0:9000"], 9000, []),
    ("[other]\nhttp = :1\n[uwsgi]\nsocket = :3031\nchdir = $(APP_HOME)\n", ["uwsgi", "a.ini", "--die-on-term"], 3031, []),
    ("[uwsgi]\nsocket = /run/app.sock\n", ["uwsgi", "a.ini", "--die-on-term"], 0, []),
    # Digits int() refuses, or too many: a port scaffold cannot read (a note), so the server's default.
    ("[uwsgi]\nhttp = :\u00b2\n", ["uwsgi", "a.ini", "--die-on-term"], 8000, []),
    ("[uwsgi]\nhttp = :" + "9" * 5000 + "\n", ["uwsgi", "a.ini", "--die-on-term"], 8000, []),
])
def test_uwsgi_ini_sockets(tmp_path, ini, command, port, env):
    det = detect_python(tmp_path, {"requirements.txt": "uwsgi\n", "Procfile": "web: uwsgi a.ini\n", "a.ini": ini, "app.py": APP})
    got = facts(det)
    assert (got["start_command"], got["port"], got["python_server_env"]) == (command, port, env)


@pytest.mark.parametrize("web", ["gunicorn --bind :\u00b2 app:app", "uvicorn app:app --port \u00b2",
                                 "gunicorn --bind :" + "9" * 5000 + " app:app"])
def test_a_port_int_cannot_read_is_no_traceback(tmp_path, web):
    """str.isdigit takes "²" and any number of digits; int() refuses both."""
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\nuvicorn\n", "Procfile": f"web: {web}\n", "app.py": APP})
    assert facts(det)["port"] == 8000


def test_uwsgi_ini_notes_what_the_container_must_be_given(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "uwsgi\n", "Procfile": "web: uwsgi a.ini\n", "app.py": APP,
                                   "a.ini": "[uwsgi]\nsocket = :3031\nchdir = $(APP_HOME)\n"})
    assert any("a.ini:3 reads $(APP_HOME)" in n for n in det.notes)
    assert any("uwsgi protocol" in n for n in det.notes)


@pytest.mark.parametrize("web, error", [
    ("uwsgi missing.ini", r"^Procfile:1: uwsgi reads 'missing.ini', which is not in the project"),
    ("uwsgi --ini /etc/uwsgi.ini", r"^Procfile:1: uwsgi reads '/etc/uwsgi.ini', outside the project"),
    ("uwsgi --ini ../x.ini", r"^Procfile:1: uwsgi reads '../x.ini', outside the project"),
])
def test_uwsgi_ini_outside_the_project_is_an_error(tmp_path, web, error):
    with pytest.raises(InputError, match=error):
        detect_python(tmp_path, {"requirements.txt": "uwsgi\n", "Procfile": f"web: {web}\n", "app.py": APP})


def test_procfile_uwsgi_without_ini_gets_a_socket_and_stops_on_sigterm(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "uwsgi\n", "Procfile": "web: uwsgi --module app:app\n", "app.py": APP})
    assert facts(det)["start_command"] == ["uwsgi", "--http-socket", "0.0.0.0:8000", "--module", "app:app", "--die-on-term"]
    assert "uwsgi serves nothing without it" in fact(det, "start_command").source


def test_procfile_unknown_server_without_port_asks_for_it(tmp_path):
    det = detect_python(tmp_path, {"Procfile": "web: ./bin/serve\n", "app.py": APP})
    assert question(det, "port") is not None


def test_server_cli_console_script_serves_on_all_interfaces(tmp_path):
    """datasette's shape: the project's one console script is a server with a loopback default."""
    pyproject = ('[project]\nname = "datasette"\nversion = "1"\n[project.scripts]\ndatasette = "datasette.cli:cli"\n'
                 '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n')
    det = detect_python(tmp_path, {"pyproject.toml": pyproject, "datasette/__init__.py": "", "datasette/cli.py": "def cli(): pass\n"})
    assert facts(det)["start_command"] == ["datasette", "serve", "--host", "0.0.0.0", "--port", "8001"]
    assert facts(det)["port"] == 8001


def test_procfile_several_processes_without_web_is_a_question(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "Procfile": "worker: python worker.py\nclock: python clock.py\n"})
    assert [c.value for c in question(det, "start_command").candidates] == [["python", "worker.py"], ["python", "clock.py"]]


def test_procfile_shell_command_keeps_a_shell(tmp_path):
    """The last command is exec'd: it is the container's process, and gets docker stop's SIGTERM."""
    det = detect_python(tmp_path, {"main.py": APP, "Procfile": "web: python main.py --port 9000 && echo done\n"})
    assert facts(det)["start_command"] == ["sh", "-c", "python main.py --port 9000 && exec echo done"]


@pytest.mark.parametrize("web, command, port", [
    # microblog's shape: the steps before the server run first; the server still binds 0.0.0.0.
    ("flask db upgrade; flask translate compile; gunicorn microblog:app",
     "flask db upgrade; flask translate compile; exec gunicorn --bind 0.0.0.0:8000 microblog:app", 8000),
    ("python migrate.py && gunicorn -b 127.0.0.1:9000 app:app",
     "python migrate.py && exec gunicorn -b 0.0.0.0:9000 app:app", 9000),
    ("python migrate.py && uvicorn main:app --port $PORT", "python migrate.py && exec uvicorn --host 0.0.0.0 main:app --port 8000", 8000),
    # What is not the server's is kept as written: $VAR still expands, quotes stay.
    ("gunicorn -w ${WEB_CONCURRENCY:-2} 'app:create_app()'",
     "exec gunicorn --bind 0.0.0.0:8000 -w ${WEB_CONCURRENCY:-2} 'app:create_app()'", 8000),
    ("FLASK_DEBUG=0 flask --app app run", "FLASK_DEBUG=0 exec flask --app app run --host 0.0.0.0 --port 5000", 5000),
    ('echo "a; b" ; exec gunicorn app:app', 'echo "a; b"; exec gunicorn --bind 0.0.0.0:8000 app:app', 8000),
])
def test_procfile_compound_command_serves_on_all_interfaces(tmp_path, web, command, port):
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\nuvicorn\n", "Procfile": f"web: {web}\n", "app.py": APP})
    got = facts(det)
    assert got["start_command"] == ["sh", "-c", command]
    assert got["port"] == port and question(det, "port") is None
    assert got["python_runtime"] == "slim"


@pytest.mark.parametrize("web", ["gunicorn app:app | tee log", "echo $(id); gunicorn app:app", "gunicorn app:app # web"])
def test_procfile_shell_it_does_not_read_runs_as_written(tmp_path, web):
    """Pipes, command substitutions, comments: the shell runs the line as written (no server rewrite)."""
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\n", "Procfile": f"web: {web}\n", "app.py": APP})
    assert facts(det)["start_command"][:2] == ["sh", "-c"] and web in facts(det)["start_command"][2]


def test_malformed_procfile_line(tmp_path):
    with pytest.raises(InputError, match=r"^Procfile:2: not a process line"):
        detect_python(tmp_path, {"main.py": APP, "Procfile": "web: python main.py\njust words\n"})


DJANGO = {
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site1.settings")\n',
    "site1/__init__.py": "",
    "site1/settings.py": 'WSGI_APPLICATION = "site1.wsgi.application"\nASGI_APPLICATION = "site1.asgi.application"\n',
    "site1/wsgi.py": "application = None\n",
}


def test_django_with_gunicorn(tmp_path):
    det = detect_python(tmp_path, {**DJANGO, "requirements.txt": "django\ngunicorn\n"})
    got = facts(det)
    assert got["start_command"] == ["gunicorn", "--bind", "0.0.0.0:8000", "site1.wsgi:application"]
    assert got["port"] == 8000


def test_django_asgi_with_uvicorn(tmp_path):
    det = detect_python(tmp_path, {**DJANGO, "requirements.txt": "django\nuvicorn\n"})
    assert facts(det)["start_command"] == ["uvicorn", "site1.asgi:application", "--host", "0.0.0.0", "--port", "8000"]


def test_django_without_server_uses_runserver_and_says_so(tmp_path):
    det = detect_python(tmp_path, {**DJANGO, "requirements.txt": "django\n"})
    assert facts(det)["start_command"] == ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    assert any("gunicorn" in n for n in det.notes)


def test_single_project_script(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": '[project]\nname = "tool"\nversion = "0"\ndependencies = []\n[project.scripts]\ntool = "tool.cli:main"\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "src/tool/__init__.py": "", "src/tool/cli.py": "def main(): pass\n",
    })
    assert facts(det)["start_command"] == ["tool"]


def test_several_project_scripts_are_a_question(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": '[project]\nname = "t"\nversion = "0"\n[project.scripts]\na = "t:a"\nb = "t:b"\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "t.py": APP,
    })
    assert [c.value for c in question(det, "start_command").candidates] == [["a"], ["b"]]


def test_flask_app_in_a_package_with_port_from_code(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\ngunicorn\n", "web/__init__.py": "",
                         "web/server.py": "import flask\n\nwsgi: flask.Flask = flask.Flask(__name__)\n\n"
                                          "if __name__ == '__main__':\n    wsgi.run(port=7000)\n"})
    got = facts(det)
    assert got["start_command"] == ["gunicorn", "--bind", "0.0.0.0:7000", "web.server:wsgi"]
    assert got["port"] == 7000


def test_flask_factory_whose_arguments_all_have_defaults(tmp_path):
    # Flask's tutorial: def create_app(test_config=None), in a package's __init__.py.
    det = detect_python(tmp_path, {"requirements.txt": "flask\ngunicorn\n", "blog/__init__.py": (
        "from flask import Flask\n\ndef create_app(test_config=None, *, name=__name__):\n    return Flask(name)\n")})
    assert facts(det)["start_command"] == ["gunicorn", "--bind", "0.0.0.0:5000", "blog:create_app()"]
    det = detect_python(tmp_path / "required", {"requirements.txt": "flask\n", "app.py": (
        "from flask import Flask\n\ndef create_app(config):\n    return Flask(__name__)\n")})
    assert "create_app" not in str(facts(det).get("start_command"))  # a required argument: not a factory Flask can call


def test_flask_factory_without_gunicorn_uses_flask_run(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\n",
                         "app.py": "from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n"})
    assert facts(det)["start_command"] == ["flask", "--app", "app:create_app()", "run", "--host", "0.0.0.0", "--port", "5000"]


def test_fastapi_in_src_layout(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "fastapi\nuvicorn[standard]\n", "src/svc/__init__.py": "",
                         "src/svc/main.py": "from fastapi import FastAPI\napi = FastAPI()\n"})
    assert facts(det)["start_command"] == ["uvicorn", "svc.main:api", "--app-dir", "src", "--host", "0.0.0.0", "--port", "8000"]


def test_fastapi_without_a_server_is_a_question(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "fastapi\n", "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    q = question(det, "start_command")
    assert q is not None and "no server" in q.reason and q.candidates[0].value[0] == "uvicorn"


def test_two_app_objects_are_a_question(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\ngunicorn\n",
                         "a.py": "from flask import Flask\napp = Flask(__name__)\n",
                         "b.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert len(question(det, "start_command").candidates) == 2


def test_code_that_does_not_parse_is_skipped(tmp_path):
    det = detect_python(tmp_path, {"main.py": "print('x'\nFlask(\n"})
    assert facts(det)["start_command"] == ["python", "main.py"]


def test_package_main(tmp_path):
    det = detect_python(tmp_path, {"tool/__init__.py": "", "tool/__main__.py": APP, "tests/test_x.py": APP, "setup.py": APP})
    assert facts(det)["start_command"] == ["python", "-m", "tool"]


def test_several_scripts_one_with_main_block(tmp_path):
    det = detect_python(tmp_path, {"util.py": "X = 1\n", "run.py": "if __name__ == '__main__':\n    print(1)\n"})
    assert facts(det)["start_command"] == ["python", "run.py"]


def test_no_entry_point_is_a_question(tmp_path):
    det = detect_python(tmp_path, {"a.py": APP, "b.py": APP})
    q = question(det, "start_command")
    assert q is not None and [c.value for c in q.candidates] == [["python", "a.py"], ["python", "b.py"]]


def test_plain_http_server_port_from_code(tmp_path):
    det = detect_python(tmp_path, {"serve.py": "from http.server import HTTPServer, SimpleHTTPRequestHandler\n"
                                     "HTTPServer(('', 8123), SimpleHTTPRequestHandler).serve_forever()\n"})
    assert facts(det)["port"] == 8123


def test_server_without_port_literal_asks_the_port(tmp_path):
    det = detect_python(tmp_path, {"serve.py": "import os\nfrom http.server import HTTPServer, BaseHTTPRequestHandler\n"
                                     "HTTPServer(('', int(os.environ['P'])), BaseHTTPRequestHandler).serve_forever()\n"})
    assert question(det, "port") is not None


# --- native packages, PyInstaller, secrets -------------------------------------------------

@pytest.mark.parametrize("requirements, build, runtime", [
    ("psycopg2==2.9.13\n", ["gcc", "libc6-dev", "libpq-dev"], ["libpq5"]),
    ("psycopg2-binary\n", [], []),
    ("psycopg[binary]\n", [], []),
    ("psycopg\n", [], ["libpq5"]),
    ("mysqlclient\n", ["gcc", "libc6-dev", "pkg-config", "default-libmysqlclient-dev"], ["libmariadb3"]),
    ("pycairo\n", ["gcc", "libc6-dev", "pkg-config", "libcairo2-dev"], ["libcairo2"]),
    ("lxml\n", [], ["libxml2", "libxslt1.1"]),
    ("--no-binary lxml\nlxml\n", ["gcc", "libc6-dev", "libxml2-dev", "libxslt1-dev"], ["libxml2", "libxslt1.1"]),
    ("pdf2image\npydub\n", [], ["poppler-utils", "ffmpeg"]),
    # Source distributions only: always compiled.
    ("uWSGI==2.0.31\n", ["gcc", "libc6-dev", "libpcre2-dev"], []),
    ("pygraphviz\n", ["gcc", "libc6-dev", "libgraphviz-dev"], ["libcgraph6", "libgvc6"]),
])
def test_native_packages(tmp_path, requirements, build, runtime):
    det = detect_python(tmp_path, {"main.py": APP, "requirements.txt": requirements})
    assert facts(det)["python_build_packages"] == build
    assert facts(det)["python_runtime_packages"] == runtime


def test_pipfile_native_package(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "Pipfile": '[packages]\npsycopg2 = "*"\n'})
    assert "libpq-dev" in facts(det)["python_build_packages"]


SPEC_ONEDIR = """a = Analysis(['tool.py'])
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name='toolbox')
coll = COLLECT(exe, a.binaries, a.datas, name='toolbox')
"""


def test_pyinstaller_spec(tmp_path):
    det = detect_python(tmp_path, {"tool.py": APP, "toolbox.spec": SPEC_ONEDIR})
    got = facts(det)
    assert got["python_pyinstaller"] is True and fact(det, "python_pyinstaller").certainty == CERTAIN
    assert got["pyinstaller_entry"] == "toolbox.spec"
    assert got["pyinstaller_mode"] == "onedir" and got["pyinstaller_name"] == "toolbox"
    assert got["python_build_packages"] == ["binutils"] and got["python_runtime_packages"] == []


def test_pyinstaller_in_dev_requirements(tmp_path):
    det = detect_python(tmp_path, {"cli.py": APP, "requirements-dev.txt": "pyinstaller==6.22.3\n"})
    got = facts(det)
    assert got["python_pyinstaller"] is True and fact(det, "python_pyinstaller").certainty == LIKELY
    assert (got["pyinstaller_entry"], got["pyinstaller_mode"], got["pyinstaller_name"]) == ("cli.py", "onefile", "cli")


def test_two_spec_files_are_a_question(tmp_path):
    det = detect_python(tmp_path, {"a.py": APP, "a.spec": SPEC_ONEDIR, "b.spec": SPEC_ONEDIR})
    assert [c.value for c in question(det, "pyinstaller_entry").candidates] == ["a.spec", "b.spec"]


def test_private_index_uses_a_netrc_secret(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "requirements.txt": "--extra-index-url https://pkgs.example.com/simple\nflask\n"})
    assert facts(det)["python_netrc"] is True
    assert "pkgs.example.com" in fact(det, "python_netrc").source


def test_credentials_in_an_index_url_are_flagged(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "requirements.txt": "-i https://user:tok@pkgs.example.com/simple\nflask\n"})
    assert any("carries credentials" in n for n in det.notes)


def test_public_index_needs_no_secret(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "Pipfile": PIPFILE})
    assert facts(det)["python_netrc"] is False


def test_git_over_ssh_uses_the_ssh_mount(tmp_path):
    det = detect_python(tmp_path, {"main.py": APP, "requirements.txt": "lib @ git+ssh://git@github.com/org/lib.git@v1\n"
                                                             "-e git+https://github.com/org/other.git#egg=other\n"})
    got = facts(det)
    assert got["python_ssh"] is True
    assert got["python_build_packages"] == ["git", "openssh-client"]


def test_poetry_private_source(tmp_path):
    det = detect_python(tmp_path, {"pyproject.toml": POETRY1 + '\n[[tool.poetry.source]]\nname = "corp"\nurl = "https://corp.example/simple"\n',
                         "poetry.lock": POETRY_LOCK, "main.py": APP})
    assert facts(det)["python_netrc"] is True


# --- setuptools console scripts --------------------------------------------------------------

SETUP_CFG = ("[metadata]\nname = greeter\nversion = 1\n\n[options]\npackages = find:\n\n"
             "[options.entry_points]\nconsole_scripts =\n    greet = greeter.cli:main\n")


@pytest.mark.parametrize("files, source", [
    ({"setup.cfg": SETUP_CFG, "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'},
     "setup.cfg [options.entry_points] console_scripts greet = 'greeter.cli:main'"),
    ({"setup.cfg": SETUP_CFG, "setup.py": "from setuptools import setup\nsetup()\n"},
     "setup.cfg [options.entry_points] console_scripts greet = 'greeter.cli:main'"),
    ({"setup.py": "from setuptools import setup\nsetup(name='greeter', entry_points={'console_scripts': ['greet = greeter.cli:main']})\n"},
     "setup.py entry_points console_scripts greet = 'greeter.cli:main'"),
    ({"setup.py": "from setuptools import setup\nsetup(name='g', entry_points={\"console_scripts\": [\"greet=greeter.cli:main [color]\"]})\n",
      "pyproject.toml": "[tool.ruff]\nline-length = 100\n"},
     "setup.py entry_points console_scripts greet = 'greeter.cli:main'"),
])
def test_setuptools_console_scripts(tmp_path, files, source):
    det = detect_python(tmp_path, {**files, "greeter/__init__.py": "", "greeter/cli.py": "def main(): print('hi')\n"})
    assert facts(det)["start_command"] == ["greet"]
    assert fact(det, "start_command").source == source
    assert facts(det)["python_install_project"] is True


def test_malformed_setup_cfg(tmp_path):
    with pytest.raises(InputError, match=r"^setup.cfg"):
        detect_python(tmp_path, {"setup.cfg": "no section header\n", "setup.py": "", "a.py": APP})


@pytest.mark.parametrize("project, scripts, expected, why", [
    ("httpie", {"http": "httpie.core:main", "https": "httpie.core:main"}, "http", "starts with"),
    ("tally", {"t": "tally.cli:main", "tally": "tally.cli:main"}, "tally", "named after the project"),
    ("other", {"aa": "x:main", "a": "x:main"}, "a", "shortest"),
])
def test_console_scripts_that_are_one_program_are_no_question(tmp_path, project, scripts, expected, why):
    listed = "".join(f'{name} = "{ref}"\n' for name, ref in scripts.items())
    det = detect_python(tmp_path, {
        "pyproject.toml": f'[project]\nname = "{project}"\nversion = "0"\n[project.scripts]\n{listed}'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "x.py": APP,
    })
    assert question(det, "start_command") is None
    assert facts(det)["start_command"] == [expected]
    assert why in fact(det, "start_command").source and "are one program" in fact(det, "start_command").source


def test_aliases_of_one_program_leave_a_real_choice_between_programs(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": '[project]\nname = "t"\nversion = "0"\n[project.scripts]\nt = "t:a"\ntee = "t:a"\nb = "t:b"\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "t.py": APP,
    })
    assert [c.value for c in question(det, "start_command").candidates] == [["t"], ["b"]]


# --- the final image: minimal or slim ------------------------------------------------------

def test_minimal_runtime_by_default(tmp_path):
    det = detect_python(tmp_path, {"app.py": "import subprocess, sys\nsubprocess.run([sys.executable, '-V'])\n"
                                             "subprocess.run(['python3', '-V'])\n"})
    assert facts(det)["python_runtime"] == "minimal"
    assert "runs no system tool" in fact(det, "python_runtime").source


@pytest.mark.parametrize("code, packages, shown", [
    ("import subprocess\nsubprocess.run(['git', 'status'], check=True)\n", ["git"], "git (app.py:2 (subprocess.run))"),
    ("import os\nos.system('convert a.png b.jpg')\n", ["imagemagick"], "sh (app.py:2 (os.system))"),
    ("import subprocess\nsubprocess.check_output('ls -l | wc -l', shell=True)\n", ["coreutils"], "sh (app.py:2"),
    ("import shutil\nshutil.which('ffmpeg')\n", ["ffmpeg"], "ffmpeg (app.py:2 (shutil.which))"),
    ("import subprocess\nsubprocess.Popen(args=('/usr/bin/jq', '.'))\n", ["jq"], "jq (app.py:2 (subprocess.Popen))"),
])
def test_system_tools_keep_slim_and_bring_their_packages(tmp_path, code, packages, shown):
    det = detect_python(tmp_path, {"app.py": code, "requirements.txt": "psycopg2\n"})
    got = facts(det)
    assert got["python_runtime"] == "slim" and shown in fact(det, "python_runtime").source
    assert got["python_runtime_packages"] == ["libpq5", *packages]


def test_shell_start_command_keeps_slim(tmp_path):
    det = detect_python(tmp_path, {"app.py": APP, "requirements.txt": "gunicorn\n",
                                   "Procfile": "web: python migrate.py && gunicorn --bind 0.0.0.0:8000 app:app\n"})
    assert facts(det)["start_command"][:2] == ["sh", "-c"]
    assert facts(det)["python_runtime"] == "slim"
    assert fact(det, "python_runtime").source == "the start command runs a shell (Procfile:1 (web))"


def test_picked_shell_command_brings_slim(tmp_path):
    tree(tmp_path, {"Procfile": "worker: python w.py && echo done\nclock: python c.py\n", "w.py": APP, "c.py": APP})
    assert facts(detect_python(tmp_path, {}))["python_runtime"] == "minimal"
    picked = make_plan(tmp_path, {"start_command": ["sh", "-c", "python w.py && echo done"]}, interactive=False)
    assert picked.defaults["python_runtime"] == "slim"
    assert make_plan(tmp_path, {"start_command": ["python", "c.py"]}, interactive=False).defaults["python_runtime"] == "minimal"


@pytest.mark.parametrize("command, runtime", [
    (["sh", "-c", "python migrate.py && exec python app.py"], "slim"),
    (["/bin/bash", "-c", "exec python app.py"], "slim"),
    (["python", "app.py"], "minimal"),
])
def test_start_command_given_up_front_decides_the_runtime_as_a_detected_one(tmp_path, command, runtime):
    tree(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    assert facts(detect_python(tmp_path, {}))["start_command"] == ["python", "app.py"]
    result = make_plan(tmp_path, {"start_command": command}, interactive=False)
    assert result.defaults["python_runtime"] == runtime
    if runtime == "slim":
        assert fact(result.detection, "python_runtime").source == "the start command runs a shell (answered start_command)"
    # An answered runtime wins over the one the start command brings.
    chosen = make_plan(tmp_path, {"start_command": command, "python_runtime": "minimal"}, interactive=False)
    assert chosen.data["python_runtime"] == "minimal" and "python_runtime" not in chosen.defaults


def test_shell_start_command_in_data_renders_the_slim_runtime(tmp_path):
    tree(tmp_path, {"app.py": APP, "requirements.txt": "flask\n"})
    assert main(["init", "--defaults", "--data", 'start_command=["sh", "-c", "exec python app.py"]', str(tmp_path)]) == 0
    assert "python_runtime: slim" in (tmp_path / ".scaffold-answers.yml").read_text()
    assert "FROM scratch" not in (tmp_path / "Dockerfile").read_text()


def test_pyinstaller_has_no_runtime_question(tmp_path):
    det = detect_python(tmp_path, {"cli.py": APP, "requirements-dev.txt": "pyinstaller==6.22.3\n"})
    assert "python_runtime" not in facts(det)


def test_optional_tool_is_a_note_and_keeps_minimal(tmp_path):
    det = detect_python(tmp_path, {"main.py": "import helpers\nif __name__ == \"__main__\":\n    print(helpers.version())\n",
                                   "helpers.py": "import subprocess\ndef version():\n    return subprocess.run(['git', 'describe'])\n"})
    got = facts(det)
    assert got["start_command"] == ["python", "main.py"]
    assert got["python_runtime"] == "minimal" and got["python_runtime_packages"] == []
    assert any(n.startswith("optional tool: helpers.py:3 (subprocess.run) runs git") for n in det.notes)

def test_pyinstaller_freezes_the_package_main_of_a_console_script(tmp_path):
    det = detect_python(tmp_path, {
        "pyproject.toml": '[project]\nname = "stamp"\nversion = "0"\n[project.scripts]\nstamp = "stamp.cli:main"\n'
                          '[dependency-groups]\ndev = ["pyinstaller"]\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "src/stamp/__init__.py": "", "src/stamp/cli.py": "def main(): pass\n",
        "src/stamp/__main__.py": "from stamp.cli import main\nmain()\n",
    })
    assert question(det, "pyinstaller_entry") is None
    assert facts(det)["pyinstaller_entry"] == "src/stamp/__main__.py"
    assert facts(det)["pyinstaller_name"] == "stamp"


# --- where the app writes -----------------------------------------------------------------

FLASK_FACTORY = ("import os\nfrom flask import Flask\n\n\ndef create_app(test_config=None):\n"
                 "    app = Flask(__name__, instance_relative_config=True)\n"
                 "    os.makedirs(app.instance_path, exist_ok=True)\n    return app\n")


def test_flask_factory_with_defaults_and_no_server_uses_its_instance_folder(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\n", "notes/__init__.py": FLASK_FACTORY})
    got = facts(det)
    assert got["start_command"] == ["flask", "--app", "notes:create_app()", "run", "--host", "0.0.0.0", "--port", "5000"]
    assert got["python_state_dir"] == "/app/instance"
    assert got["python_state_links"] == [] and got["django_migrate"] is False
    assert "instance folder" in fact(det, "python_state_dir").source


def test_flask_app_without_instance_folder_writes_nothing(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert facts(det)["python_state_dir"] == ""


def test_factory_that_needs_arguments_is_not_an_app(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\ngunicorn\n",
                                   "web.py": "from flask import Flask\n\ndef create_app(config):\n    return Flask(__name__)\n"})
    assert "create_app" not in json.dumps(facts(det).get("start_command"))


@pytest.mark.parametrize("name, static, state, links", [
    ('BASE_DIR / "db.sqlite3"', 'BASE_DIR / "staticfiles"', "/data", ["db.sqlite3"]),
    ("os.path.join(BASE_DIR, 'var', 'db.sqlite3')", "str(BASE_DIR / 'static')", "/app/var", []),
])
def test_django_sqlite_and_static_root(tmp_path, name, static, state, links):
    settings = ("import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                'WSGI_APPLICATION = "site1.wsgi.application"\n'
                f'DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {name}}}}}\n'
                f"STATIC_ROOT = {static}\n")
    det = detect_python(tmp_path, {**DJANGO, "site1/settings.py": settings, "requirements.txt": "django\ngunicorn\n"})
    got = facts(det)
    assert got["python_state_dir"] == state and got["python_state_links"] == links
    assert got["django_migrate"] is True
    assert got["django_static_root"] == ("staticfiles" if "staticfiles" in static else "static")
    assert not any("migrate" in n for n in det.notes)


MICROBLOG_CONFIG = ("import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n"
                    "class Config:\n    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL', '') or \\\n"
                    "        'sqlite:///' + os.path.join(basedir, 'app.db')\n")
MICROBLOG_LOGS = ("import os\nfrom logging.handlers import RotatingFileHandler\ndef create_app():\n"
                  "    if not os.path.exists('logs'):\n        os.mkdir('logs')\n"
                  "    handler = RotatingFileHandler('logs/microblog.log', maxBytes=10240)\n")


@pytest.mark.parametrize("files, links", [
    # microblog's shape: a SQLite database beside config.py, a log directory in the working directory.
    ({"config.py": MICROBLOG_CONFIG, "app/__init__.py": MICROBLOG_LOGS}, ["app.db", "logs/"]),
    # A log file in a subdirectory is written with its rotated siblings: the directory is the link.
    ({"app.py": "import logging.handlers\nh = logging.handlers.TimedRotatingFileHandler('var/log/app.log')\n"}, ["var/log/"]),
    ({"app.py": "import logging\nlogging.basicConfig(filename='app.log')\n"}, ["app.log"]),
    ({"app.py": "import sqlite3\ndb = sqlite3.connect('shop.db')\n"}, ["shop.db"]),
    # Beside a module of a package, through Path(__file__): the package holds code, so the file is the link.
    ({"shop/__init__.py": "", "shop/db.py": "from pathlib import Path\nHERE = Path(__file__).resolve().parent\n"
      "URL = f\"sqlite:///{HERE / 'shop.db'}\"\n"}, ["shop/shop.db"]),
    ({"app.py": "from pathlib import Path\nPath('cache/thumbs').mkdir(parents=True, exist_ok=True)\n"}, ["cache/thumbs/"]),
    # Not under /app, or not a path scaffold can read: nothing.
    ({"app.py": "import sqlite3, os\na = sqlite3.connect(':memory:')\nb = sqlite3.connect('/var/lib/x.db')\n"
      "os.makedirs(os.environ['DIR'])\nu = 'sqlite:////srv/app.db'\nv = 'sqlite:///../up.db'\n"}, []),
    # Flask-SQLAlchemy puts a relative SQLite path in the instance folder, not the working directory.
    ({"app.py": "from flask_sqlalchemy import SQLAlchemy\nURI = 'sqlite:///app.db'\n"}, []),
])
def test_what_the_code_writes_beside_itself_links_into_the_state_directory(tmp_path, files, links):
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\n", **files})
    got = facts(det)
    assert sorted(got["python_state_links"]) == links
    assert got["python_state_dir"] == ("/data" if links else "")
    for link in links:
        assert f"/app/{link.rstrip('/')} links to /data/" in fact(det, "python_state_links").source


def test_a_written_directory_that_holds_code_is_a_note(tmp_path):
    det = detect_python(tmp_path, {"app.py": "import os\nos.makedirs('static', exist_ok=True)\n", "static/site.css": "b{}\n"})
    assert facts(det)["python_state_links"] == []
    assert any("writes in static/, which holds code" in n for n in det.notes)


def test_written_places_join_a_frameworks_state_directory(tmp_path):
    det = detect_python(tmp_path, {"requirements.txt": "flask\n", "notes/__init__.py": FLASK_FACTORY,
                                   "notes/log.py": "import logging\nlogging.basicConfig(filename='notes.log')\n"})
    got = facts(det)
    assert got["python_state_dir"] == "/app/instance" and got["python_state_links"] == ["notes.log"]


def test_django_other_database_is_a_release_step(tmp_path):
    settings = ('WSGI_APPLICATION = "site1.wsgi.application"\n'
                'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}\n'
                "STATIC_ROOT = '/srv/static'\n")
    det = detect_python(tmp_path, {**DJANGO, "site1/settings.py": settings, "requirements.txt": "django\ngunicorn\n"})
    got = facts(det)
    assert got["python_state_dir"] == "" and got["django_migrate"] is False and got["django_static_root"] == ""
    assert any("manage.py migrate" in n for n in det.notes)
    assert any("STATIC_ROOT" in n and "django_static_root" in n for n in det.notes)


@pytest.mark.parametrize("tables, expected", [
    ('[build-system]\nrequires = ["setuptools", "setuptools_scm[toml]>=6"]\nbuild-backend = "setuptools.build_meta"\n', "setuptools-scm"),
    ('[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
     '[tool.hatch.version]\nsource = "vcs"\n', "setuptools-scm"),
    ('[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n[tool.pdm.version]\nsource = "scm"\n', "pdm-backend"),
    ('[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', ""),
])
def test_version_from_git(tmp_path, tables, expected):
    det = detect_python(tmp_path, {"pyproject.toml": f'[project]\nname = "v"\ndynamic = ["version"]\n{tables}', "v.py": APP})
    assert facts(det)["python_scm_version"] == expected
    assert any("git describe" in n for n in det.notes) == bool(expected)


@pytest.mark.parametrize("text", [".".join(["a"] * 5000) + " = 1\n", "x = 1\n" * 100_000])
def test_python_files_too_deep_or_too_large_to_parse_are_passed_over(tmp_path, text):
    from scaffolder._repo import Repo
    from scaffolder.providers.python._source import parse

    (tmp_path / "manage.py").write_text(text)
    assert parse(Repo(tmp_path), "manage.py") is None
    (tmp_path / "app.py").write_text("import subprocess\nsubprocess.run(['git', 'status'])\n")
    assert parse(Repo(tmp_path), "app.py") is not None


@pytest.mark.parametrize("web, port", [
    ("daphne -p 8100 site.asgi:application", 8100),  # an option the port pattern does not know
    ("gunicorn --bind 0.0.0.0:999999 app:app", 999999),  # no port: refused, and it must say where it is
])
def test_a_port_the_procfile_names_is_sourced_to_its_line(tmp_path, web, port):
    det = detect_python(tmp_path, {"requirements.txt": "gunicorn\n", "Procfile": f"# servers\nweb: {web}\n", "app.py": APP})
    assert fact(det, "port").value == port and fact(det, "port").source == "Procfile:2"
    assert fact(det, "port").certainty == CERTAIN


def test_a_refused_procfile_port_names_the_procfile_and_line(tmp_path, capsys):
    from tests.helpers import run

    tree(tmp_path, {"requirements.txt": "gunicorn\n", "Procfile": "\nweb: gunicorn --bind 0.0.0.0:999999 app:app\n", "app.py": APP})
    code, _, err = run(capsys, "init", "--defaults", "--dry-run", str(tmp_path))
    last = err.strip().splitlines()[-1]
    assert code == 2 and last.startswith("scaffold: port: 999999 is not a TCP port") and "(from Procfile:2)" in last, last
