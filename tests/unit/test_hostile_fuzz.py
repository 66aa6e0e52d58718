"""Property-based fuzzing of every provider: manifests of any shape and any type, and line-based
build files of arbitrary text, end in a detection or an InputError naming the file, never in
another exception. Each target runs FUZZ_EXAMPLES inputs (SCAFFOLD_FUZZ_EXAMPLES raises it)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("hypothesis", reason="install the test extra: pip install -e '.[test]'")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scaffolder._repo import Repo  # noqa: E402
from scaffolder.errors import InputError, ScaffoldError  # noqa: E402
from scaffolder.providers import cpp, go, python  # noqa: E402
from tests import hostile  # noqa: E402

FUZZ_EXAMPLES = int(os.environ.get("SCAFFOLD_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_KEYS = st.sampled_from(["project", "name", "dependencies", "scripts", "tool", "poetry", "uv", "pdm", "sources",
                         "workspace", "members", "index", "url", "git", "path", "extras", "build-system",
                         "build-backend", "requires-python", "packages", "requires", "python_version", "source",
                         "_meta", "default", "version", "metadata", "package", "configurePresets", "inherits",
                         "cacheVariables", "hidden", "generator", "builds", "main", "dir", "a", "flask", "python"])
# Numbers int() refuses though str.isdigit takes them (tests.hostile.NUMBERS).
_NUMBERS = list(hostile.NUMBERS.values())
_SCALARS = st.one_of(st.integers(-10, 10**6), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
                     st.text(max_size=20), st.sampled_from(["flask>=3", "^3.11", ">=3.11", "app:main", "3.12", ".",
                                                            *_NUMBERS, *(f"3.{n}" for n in _NUMBERS),
                                                            *(f">=3.{n}" for n in _NUMBERS)]))
# TOML has no null; JSON values come from the same tree.
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
                       max_leaves=25)
_TABLES = st.dictionaries(_KEYS, _VALUES, max_size=6)


def _detect(provider, files: dict[str, str | bytes]) -> None:
    root = Path(tempfile.mkdtemp(prefix="scaffold-fuzz-"))
    try:
        hostile.Case("fuzz", "", files).build(root, root)
        try:
            provider.detect(Repo(root))
        except InputError as err:
            assert str(err).startswith(tuple(files)) and len(str(err)) < 200, str(err)
        except ScaffoldError:
            pass
    finally:
        shutil.rmtree(root, ignore_errors=True)


@FUZZ
@given(data=_TABLES, lock=st.sampled_from([None, "uv.lock", "poetry.lock", "pdm.lock"]))
def test_fuzz_pyproject(data, lock):
    files = {"app.py": hostile.APP_PY, "pyproject.toml": hostile.toml(data)}
    if lock:
        files[lock] = hostile.toml({"version": 1} if lock == "uv.lock" else {})
    _detect(python, files)


@FUZZ
@given(pipfile=_TABLES, lock=st.one_of(st.none(), _VALUES))
def test_fuzz_pipfile(pipfile, lock):
    files = {"app.py": hostile.APP_PY, "Pipfile": hostile.toml(pipfile)}
    if lock is not None:
        files["Pipfile.lock"] = json.dumps(lock)
    _detect(python, files)


@FUZZ
@given(lock=_TABLES, kind=st.sampled_from(["uv.lock", "poetry.lock", "pdm.lock"]))
def test_fuzz_lock_files(lock, kind):
    _detect(python, {"app.py": hostile.APP_PY, "pyproject.toml": hostile.toml(hostile.PYPROJECT), kind: hostile.toml(lock)})


@FUZZ
@given(presets=_VALUES, vcpkg=_VALUES)
def test_fuzz_cpp_json(presets, vcpkg):
    _detect(cpp, {"main.cpp": hostile.MAIN_CPP, "CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n",
                  "CMakePresets.json": json.dumps(presets), "vcpkg.json": json.dumps(vcpkg)})


@FUZZ
@given(config=_VALUES)
def test_fuzz_goreleaser(config):
    _detect(go, {"main.go": hostile.MAIN_GO, "go.mod": "module example.com/app\n\ngo 1.22\n", ".goreleaser.yml": json.dumps(config)})


# Text made of the characters that matter to each format's parser.
_TEXT = st.lists(st.sampled_from(list("abcx019 \t\n\\\"'#:=()[]{}$<>;,.-/@*!|&%`") + ["web:", "-r ", "module ", "go ",
                                          "require ", "replace ", "=>", "project(", "add_executable(", "set(", "${",
                                          "if(", "endif()", "executable(", "include ", "$(", "AC_INIT(", "[requires]",
                                          # where a port or version is read, and numbers int() refuses
                                          "web: gunicorn ", "web: uvicorn app:app ", "--bind :", "--port ", "go1.",
                                          "//go:build ", "#define PORT ",
                                          'flag.Int("port", ', "listen(", *_NUMBERS]),
                 max_size=80).map("".join)


@pytest.mark.parametrize(("provider", "rel", "base"), [
    (python, "Procfile", {"app.py": hostile.APP_PY, "requirements.txt": "gunicorn\n"}),
    (python, "requirements.txt", {"app.py": hostile.APP_PY}),
    (python, "setup.cfg", {"app.py": hostile.APP_PY, "pyproject.toml": "[build-system]\n"}),
    (go, "go.mod", {"main.go": hostile.MAIN_GO}),
    (go, "main.go", {"go.mod": "module example.com/app\n\ngo 1.22\n"}),
    (cpp, "CMakeLists.txt", {"main.cpp": hostile.MAIN_CPP}),
    (cpp, "meson.build", {"main.cpp": hostile.MAIN_CPP}),
    (cpp, "Makefile", {"main.c": "int main(void) { return 0; }\n"}),
    (cpp, "configure.ac", {"main.c": "int main(void) { return 0; }\n", "Makefile.am": "bin_PROGRAMS = app\n"}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_fuzz_line_based_files(provider, rel, base):
    @FUZZ
    @given(text=_TEXT)
    def run(text):
        _detect(provider, {**base, rel: text})

    run()


# Numbers as a project may write them: digits of any length, and the other characters
# str.isdigit takes (superscripts, other scripts' digits).
_WRITTEN_NUMBERS = st.one_of(st.sampled_from(_NUMBERS), st.integers(0, 10**12).map(str),
                             st.text(alphabet="0123456789\u00b2\u00b3\u00b9\u0663\u09e6", min_size=1, max_size=12),
                             st.integers(4290, 5010).map(lambda n: "9" * n))


@FUZZ
@given(place=st.sampled_from(sorted(hostile.NUMBER_PLACES)), written=_WRITTEN_NUMBERS)
def test_fuzz_numbers_where_a_port_or_version_is_read(place, written):
    files = {rel: text.replace("{n}", written) for rel, text in hostile.NUMBER_PLACES[place].items()}
    provider = go if "go.mod" in files else python if "app.py" in files else cpp
    _detect(provider, files)
