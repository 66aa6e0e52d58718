"""A generated corpus of malformed and hostile project inputs, and the checks every run must pass.

Nothing here is committed as files: :func:`corpus` writes each case into a fresh directory.
Kinds: wrong types in every manifest the providers read (pyproject.toml, Pipfile, Pipfile.lock,
lock files, setup.cfg, vcpkg.json, CMakePresets.json, .goreleaser.yml), broken syntax in the
line-based ones (Procfile, requirements, go.mod, CMake, Meson, Make, configure.ac), deep
nesting, huge lines, non-UTF-8 contents and names, symbolic link loops, FIFOs, links out of the
repository, YAML alias bombs in the answers file and in a --data-file, and numbers int() refuses
(a superscript digit, 5000 digits) wherever a port or version is read.

A run passes when it ends without a traceback, a failing run exits non-zero with one line naming
the file, no file outside the repository is opened, and a failing run writes nothing.
tests/unit/test_hostile.py runs every case through ``detect`` and ``detect --json`` in this
process and a few through ``init``, ``check`` and ``update`` as subprocesses;
tests/benchmarks/bench_hostile.py runs every case through every command and prints the counts.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# --- cases ---------------------------------------------------------------------------------------

APP_PY = "from flask import Flask\n\napp = Flask(__name__)\n"
MAIN_GO = 'package main\n\nfunc main() {}\n'
MAIN_CPP = "int main() { return 0; }\n"
# The one file a run may never open: links in the corpus point at it.
SECRET_NAME = "secret.txt"


@dataclass
class Case:
    kind: str
    name: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    # The file a failing run must name ("" when any file may be named, as for a FIFO's name).
    blame: str = ""
    special: Callable[[Path, Path], None] | None = None  # (root, outside): links, FIFOs

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"

    def build(self, root: Path, outside: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in self.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogateescape")
        if self.special:
            self.special(root, outside)
        return root


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml(data: dict) -> str:
    """``data`` as TOML: one line per top-level key, tables inline (any shape, any type)."""
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in data.items())


def _with(data: dict, path: tuple[str, ...], value: object) -> dict:
    """A deep copy of ``data`` with ``path`` set to ``value`` (tables made on the way, a
    non-table on the way replaced by one)."""
    out = json.loads(json.dumps(data))
    node = out
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return out


# Values of every TOML/JSON type: each key gets those it should not hold.
WRONG = {
    "int": 5, "float": 1.5, "bool": True, "str": "x", "empty-list": [], "list-str": ["a"],
    "list-int": [5], "list-table": [{"a": []}], "empty-table": {}, "table": {"a": 5},
}

PYPROJECT = {
    "project": {"name": "app", "version": "1.0", "requires-python": ">=3.11", "dependencies": ["flask>=3"],
                "scripts": {"app": "app:main"}, "classifiers": ["Programming Language :: Python :: 3.12"]},
    "build-system": {"requires": ["setuptools"], "build-backend": "setuptools.build_meta"},
}
PYPROJECT_PATHS = [
    ("project",), ("project", "name"), ("project", "dependencies"), ("project", "dynamic"),
    ("project", "scripts"), ("project", "scripts", "app"), ("project", "requires-python"),
    ("project", "classifiers"), ("project", "optional-dependencies"), ("project", "gui-scripts"),
    ("build-system",), ("build-system", "build-backend"), ("build-system", "requires"),
    ("tool",), ("tool", "poetry"), ("tool", "poetry", "name"), ("tool", "poetry", "dependencies"),
    ("tool", "poetry", "dependencies", "python"), ("tool", "poetry", "dependencies", "flask"),
    ("tool", "poetry", "dependencies", "flask", "extras"), ("tool", "poetry", "dependencies", "flask", "git"),
    ("tool", "poetry", "dependencies", "flask", "path"), ("tool", "poetry", "scripts"),
    ("tool", "poetry", "scripts", "app"), ("tool", "poetry", "source"), ("tool", "poetry", "package-mode"),
    ("tool", "poetry", "classifiers"), ("tool", "uv"), ("tool", "uv", "sources"), ("tool", "uv", "sources", "flask"),
    ("tool", "uv", "sources", "flask", "git"), ("tool", "uv", "index"), ("tool", "uv", "workspace"),
    ("tool", "uv", "workspace", "members"), ("tool", "uv", "workspace", "exclude"), ("tool", "uv", "package"),
    ("tool", "pdm"), ("tool", "pdm", "source"), ("tool", "pdm", "distribution"),
]
# The lock file that makes a [tool.X] table read.
_LOCKS = {"poetry": {"poetry.lock": "[metadata]\n"}, "uv": {"uv.lock": "version = 1\n"}, "pdm": {"pdm.lock": "[metadata]\nstrategy = [\"inherit_metadata\"]\n"}}

PIPFILE = {"source": [{"name": "pypi", "url": "https://pypi.org/simple"}], "packages": {"flask": "*"},
           "requires": {"python_version": "3.12"}}
PIPFILE_PATHS = [("source",), ("packages",), ("packages", "flask"), ("packages", "flask", "extras"),
                 ("packages", "flask", "git"), ("packages", "flask", "path"), ("requires",),
                 ("requires", "python_version"), ("requires", "python_full_version"), ("dev-packages",)]
PIPFILE_LOCK = {"_meta": {"sources": [{"name": "pypi", "url": "https://pypi.org/simple"}],
                          "requires": {"python_version": "3.12"}}, "default": {"flask": {"version": "==3.1.0"}}}
PIPFILE_LOCK_PATHS = [("_meta",), ("_meta", "sources"), ("_meta", "requires"), ("_meta", "requires", "python_version"),
                      ("default",), ("default", "flask"), ("default", "flask", "extras"), ("default", "flask", "git"),
                      ("default", "flask", "path")]
UV_LOCK = {"version": 1, "requires-python": ">=3.11"}
LOCK_PATHS = {"uv.lock": [("version",), ("requires-python",), ("package",)],
              "poetry.lock": [("metadata",), ("package",)], "pdm.lock": [("metadata",), ("package",)]}
VCPKG = {"name": "app", "dependencies": ["zlib", {"name": "fmt"}]}
VCPKG_PATHS = [("dependencies",), ("name",)]
PRESETS = {"version": 3, "configurePresets": [{"name": "rel", "cacheVariables": {"CMAKE_BUILD_TYPE": "Release"}}]}
PRESET_KEYS = ["name", "inherits", "cacheVariables", "binaryDir", "generator", "hidden", "condition"]
GORELEASER_PATHS = [("builds",), ("builds", "main"), ("builds", "dir"), ("builds", "binary"), ("builds", "skip"),
                    ("builds", "id"), ("builds", "goos")]


def _python(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    return {"app.py": APP_PY, **files}


def _go(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    return {"main.go": MAIN_GO, **files}


def _cpp(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    return {"main.cpp": MAIN_CPP, **files}


def _yaml_value(value: object) -> str:
    return json.dumps(value)  # JSON is YAML


def _wrong_types() -> list[Case]:
    cases = []
    for path in PYPROJECT_PATHS:
        extra = _LOCKS.get(path[1], {}) if path[0] == "tool" and len(path) > 1 else {}
        for label, value in WRONG.items():
            data = _with(PYPROJECT, path, value)
            cases.append(Case("pyproject", f"{'.'.join(path)}={label}", _python({"pyproject.toml": toml(data), **extra}),
                              "pyproject.toml"))
    for path in PIPFILE_PATHS:
        for label, value in WRONG.items():
            cases.append(Case("pipfile", f"{'.'.join(path)}={label}", _python({"Pipfile": toml(_with(PIPFILE, path, value))}),
                              "Pipfile"))
    for path in PIPFILE_LOCK_PATHS:
        for label, value in WRONG.items():
            cases.append(Case("pipfile-lock", f"{'.'.join(path)}={label}", _python({
                "Pipfile": toml(PIPFILE), "Pipfile.lock": json.dumps(_with(PIPFILE_LOCK, path, value))}), "Pipfile.lock"))
    for lock, paths in LOCK_PATHS.items():
        base = UV_LOCK if lock == "uv.lock" else {"metadata": {"lock-version": "2.0"}}
        for path in paths:
            for label, value in WRONG.items():
                cases.append(Case("lock", f"{lock}:{'.'.join(path)}={label}", _python({
                    "pyproject.toml": toml(PYPROJECT), lock: toml(_with(base, path, value))}), lock))
    for label, value in WRONG.items():
        cases.append(Case("json", f"Pipfile.lock-top={label}", _python({"Pipfile": toml(PIPFILE), "Pipfile.lock": json.dumps(value)}),
                          "Pipfile.lock"))
        cases.append(Case("json", f"vcpkg.json-top={label}", _cpp({"CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n",
                                                                  "vcpkg.json": json.dumps(value)}), "vcpkg.json"))
        cases.append(Case("json", f"CMakePresets.json-top={label}", _cpp({
            "CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n", "CMakePresets.json": json.dumps(value)}),
            "CMakePresets.json"))
        for path in VCPKG_PATHS:
            cases.append(Case("json", f"vcpkg.json:{'.'.join(path)}={label}", _cpp({
                "CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n",
                "vcpkg.json": json.dumps(_with(VCPKG, path, value))}), "vcpkg.json"))
        for key in PRESET_KEYS:
            presets = json.loads(json.dumps(PRESETS))
            presets["configurePresets"][0][key] = value
            presets["configurePresets"].append({"name": "other", "inherits": "rel"})
            cases.append(Case("json", f"CMakePresets.json:{key}={label}", _cpp({
                "CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n", "CMakePresets.json": json.dumps(presets)}),
                "CMakePresets.json"))
        for path in GORELEASER_PATHS:
            config = {"builds": [{"main": "."}]} if len(path) > 1 else {}
            if len(path) > 1:
                config["builds"][0][path[1]] = value
            else:
                config["builds"] = value
            cases.append(Case("yaml", f".goreleaser.yml:{'.'.join(path)}={label}", _go({
                "go.mod": "module example.com/app\n\ngo 1.22\n", ".goreleaser.yml": _yaml_value(config)}), ".goreleaser.yml"))
    return cases


# Line-based manifests: each line is a case on its own beside a working project.
PROCFILE_LINES = ["web: gunicorn 'app:app", 'web: "unclosed', "web:", "web: ", ": gunicorn app:app", "web gunicorn",
                  "web: gunicorn --bind", "web: gunicorn -b :", "web: uvicorn --port", "web: flask run --port x",
                  "web: $(id)", "web: gunicorn --bind=unix:/tmp/s app:app", "web: python -m", "\x00web: x",
                  "web: gunicorn \\", "web: " + "a " * 5000, "web: gunicorn -b 0.0.0.0:99999999 app:app"]
REQUIREMENTS_LINES = ["flask==", "-r", "-r missing.txt", "-r /etc/passwd", "-r ../../etc/passwd", "--index-url",
                      "-e", "flask --hash", "flask --unknown", "'unclosed", "flask @", "git+https://", "file:",
                      "-c", "--no-binary", "-rrequirements.txt", "flask[", "flask; python_version <", "\\",
                      "--requirement=" + "a" * 300, "x" * 200_000]
SETUP_CFG = ["[options.entry_points\n", "no section\n", "[options.entry_points]\nconsole_scripts\n",
             "[options.entry_points]\nconsole_scripts = \n  = x\n", "[a]\n[a]\n", "[options.entry_points]\nconsole_scripts = %(x)s\n",
             "[options.entry_points]\nconsole_scripts = a\nconsole_scripts = b\n", "[x]\n  indented = 1\n\tmore\n"]
SETUP_PY = ["entry_points={'console_scripts': ['app = app:main'", "entry_points={'console_scripts': [",
            "entry_points={'console_scripts': ['=', 'a=', '=b']}", "entry_points={'console_scripts': ['" + "a" * 100_000 + "']}"]
GO_MOD = ["module", "module \"unclosed", "module a b c", "go", "go abc", "go 1", "go 1.x", "go 1.22.1.1.1", "go 99999999999999999999",
          "require (", "require", "require x", "replace", "replace =>", "replace x =>", "replace x => ", "toolchain",
          "exclude (\n", ")", "module m\nmodule n", "// only a comment", "use ./x", "godebug (", "retract [", "\ufeffmodule m"]
GO_WORK = ["use", "use (", "use ./missing", "use ../../outside", "go", "go x", "replace =>", "use \"unclosed"]
GO_SOURCES = ["package", "package main\nfunc main(", "package main\nimport (", "package main\nimport \"", "//go:build\npackage main",
              "//go:build (linux\npackage main\nfunc main() {}", "//go:build !\npackage main\nfunc main() {}",
              "// +build\npackage main\nfunc main() {}", "package main\n//go:embed\nvar x string\nfunc main() {}",
              "package main\nimport _ \"C\"\n// #cgo LDFLAGS: -l\nfunc main() {}", "/* unclosed comment\npackage main",
              "package main\nvar s = `unclosed\nfunc main() {}"]
CMAKE = ["project(", "project()", "add_executable(", "add_executable()", "add_executable(app", "set(", "set(a", "${", "${a",
         "$<", "if(\nendif(", "endif()", "endfunction()", "function(\n", "macro(m)\nm(", "foreach(i RANGE 99999999999)\nendforeach()",
         "foreach(i RANGE -5)\nendforeach()", "foreach(i RANGE 5 1 0)\nendforeach()", "\"unclosed", "[[unclosed", "#[[unclosed",
         "add_subdirectory(missing)", "add_subdirectory(../../etc)", "include(/etc/passwd)", "include(missing.cmake)",
         "target_link_libraries(app", "find_package()", "find_package(Boost COMPONENTS)", "option()", "string(REPEAT x 99999999 y)",
         "list(APPEND)", "list(GET a 99 b)", "math(EXPR a \"1/0\")", "add_library(", "set_target_properties(app PROPERTIES)",
         "\\", "add_executable(${a}${a} main.cpp)", "add_executable(app main.cpp)\n" * 3]
MESON = ["project(", "project()", "project(1)", "executable(", "executable()", "executable(1, 2)", "x = [", "'unclosed",
         "'''unclosed", "x = {", "subdir(", "subdir('missing')", "subdir('../..')", "if\nendif", "endif", "foreach x : [\n",
         "executable('app', 'main.cpp', dependencies: dependency())", "x = 1 +", "x = f(", "\\", "x = '" + "a" * 200_000 + "'",
         "project('p', 'cpp', default_options: 5)"]
MAKEFILE = ["app: main.o\n\t$(CC", "$(", "${", "include /etc/passwd", "include missing.mk", "-include", "define x\n", "endef",
            "ifeq (\n", "endif", "else", "app:\n\t$(MAKE) -C", "app:\n\t$(MAKE) -C ../../etc", "a = $(a)\n$(a):",
            "x := $(shell id)\napp: $(x)", "%:", ":", "\t\t", "a = $(b)\nb = $(a)\napp: $(a)\n\tcc -o $@ main.c",
            "a = $(foreach x,$(a),$(x))\napp: $(a)"]
CONFIGURE_AC = ["AC_INIT(", "AC_INIT()", "AC_CONFIG_FILES(", "AC_CONFIG_FILES([", "AC_CONFIG_FILES([Makefile ../../etc/passwd])",
                "AC_CHECK_LIB(", "PKG_CHECK_MODULES(", "AS_IF([", "m4_include(/etc/passwd)", "[[[[[[[[[[", "dnl unclosed ["]
CONANFILE = ["[requires]\nzlib", "[requires]\n/", "[requires\nzlib/1.0", "[requires]\n" + "x/" * 10_000]


def _line_kinds() -> list[Case]:
    cases = []
    for i, line in enumerate(PROCFILE_LINES):
        cases.append(Case("procfile", str(i), _python({"requirements.txt": "gunicorn\nuvicorn\nflask\n", "Procfile": line + "\n"}),
                          "Procfile"))
    for i, line in enumerate(REQUIREMENTS_LINES):
        cases.append(Case("requirements", str(i), _python({"requirements.txt": line + "\n"}), "requirements.txt"))
    for i, text in enumerate(SETUP_CFG):
        cases.append(Case("setup.cfg", str(i), _python({"setup.cfg": text, "pyproject.toml": toml({"build-system": PYPROJECT["build-system"]})}),
                          "setup.cfg"))
    for i, text in enumerate(SETUP_PY):
        cases.append(Case("setup.py", str(i), _python({"setup.py": f"from setuptools import setup\nsetup({text})\n"}), "setup.py"))
    for i, line in enumerate(GO_MOD):
        cases.append(Case("go.mod", str(i), _go({"go.mod": line + "\n"}), "go.mod"))
        cases.append(Case("go.mod", f"{i}-after", _go({"go.mod": "module example.com/app\n\ngo 1.22\n" + line + "\n"}), "go.mod"))
    for i, line in enumerate(GO_WORK):
        cases.append(Case("go.work", str(i), _go({"go.mod": "module example.com/app\n\ngo 1.22\n", "go.work": "go 1.22\n" + line + "\n"}),
                          "go.work"))
    for i, text in enumerate(GO_SOURCES):
        cases.append(Case("go-source", str(i), _go({"go.mod": "module example.com/app\n\ngo 1.22\n", "cmd/x/main.go": text + "\n"}),
                          "cmd/x/main.go"))
    for i, line in enumerate(CMAKE):
        cases.append(Case("cmake", str(i), _cpp({"CMakeLists.txt": "project(app)\n" + line + "\nadd_executable(app main.cpp)\n"}),
                          "CMakeLists.txt"))
    for i, line in enumerate(MESON):
        cases.append(Case("meson", str(i), _cpp({"meson.build": "project('app', 'cpp')\n" + line + "\nexecutable('app', 'main.cpp')\n"}),
                          "meson.build"))
    for i, line in enumerate(MAKEFILE):
        cases.append(Case("make", str(i), {"main.c": "int main(void) { return 0; }\n", "Makefile": "app: main.c\n\tcc -o app main.c\n" + line + "\n"},
                          "Makefile"))
    for i, line in enumerate(CONFIGURE_AC):
        cases.append(Case("configure.ac", str(i), {"main.c": "int main(void) { return 0; }\n", "Makefile.am": "bin_PROGRAMS = app\n",
                                                   "configure.ac": "AC_INIT([app], [1.0])\n" + line + "\nAC_OUTPUT\n"}, "configure.ac"))
    for i, text in enumerate(CONANFILE):
        cases.append(Case("conanfile", str(i), _cpp({"CMakeLists.txt": "project(app)\nadd_executable(app main.cpp)\n",
                                                     "conanfile.txt": text + "\n"}), "conanfile.txt"))
    return cases


DEEP = 5000
# A file's contents made of one shape, for every manifest: deep nesting, a huge line, bad bytes.
MANIFESTS = {
    "pyproject.toml": _python, "Pipfile": _python, "requirements.txt": _python, "setup.cfg": _python, "setup.py": _python,
    "Procfile": _python, ".python-version": _python, "runtime.txt": _python, ".tool-versions": _python,
    "go.mod": _go, "go.work": _go, ".goreleaser.yml": _go, "CMakeLists.txt": _cpp, "meson.build": _cpp,
    "Makefile": lambda f: {"main.c": "int main(void) { return 0; }\n", **f}, "configure.ac": _cpp, "vcpkg.json": _cpp,
    "CMakePresets.json": _cpp, "conanfile.txt": _cpp, "Pipfile.lock": lambda f: _python({"Pipfile": toml(PIPFILE), **f}),
    "uv.lock": lambda f: _python({"pyproject.toml": toml(PYPROJECT), **f}),
    "poetry.lock": lambda f: _python({"pyproject.toml": toml(PYPROJECT), **f}),
    ".gitignore": _python, "manage.py": _python, "app.spec": _python,
}
SHAPES = {
    "deep-brackets": "a = " + "[" * DEEP + "]" * DEEP + "\n",
    "deep-tables": "a = " + "{b = " * DEEP + "1" + "}" * DEEP + "\n",
    "deep-json": "[" * DEEP + "]" * DEEP,
    "deep-dotted": ".".join(["a"] * DEEP) + " = 1\n",
    "deep-yaml-block": "".join(" " * i + "- \n" for i in range(0, DEEP * 2, 2)),
    "deep-parens": "f(" * DEEP + ")" * DEEP + "\n",
    "huge-line": "x" * 2_000_000 + "\n",
    "many-lines": "x\n" * 300_000,
    "nul-bytes": "a\x00b\x00" * 100,
    "not-utf8": b"\xff\xfe\x00bad \xc3\x28\n",
    "utf8-bom": "\ufeff[project]\nname = 'x'\n",
    "empty": "",
    "only-newlines": "\n" * 1000,
    "crlf": "[project]\r\nname = 'x'\r\ndependencies = 5\r\n",
    "long-number": "a = " + "9" * 5000 + "\n",
    "yaml-anchors": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    "builds: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
}


def _shapes() -> list[Case]:
    cases = []
    for rel, wrap in MANIFESTS.items():
        for shape, content in SHAPES.items():
            cases.append(Case("shape", f"{rel}:{shape}", wrap({rel: content}), rel))
    return cases


# --- the file system itself ------------------------------------------------------------------------


def _link(rel: str, target: str | Callable[[Path, Path], str]) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target(root, outside) if callable(target) else target, path)
    return make


def _fifo(rel: str) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
    return make


def _all(*makers: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        for maker in makers:
            maker(root, outside)
    return make


def _secret(root: Path, outside: Path) -> str:
    return str(outside / SECRET_NAME)


def _outside_dir(root: Path, outside: Path) -> str:
    return str(outside)


LINKED = ["pyproject.toml", "Pipfile", "Pipfile.lock", "requirements.txt", "setup.cfg", "Procfile", ".python-version",
          "go.mod", "go.work", "CMakeLists.txt", "meson.build", "Makefile", "vcpkg.json", ".gitignore", "main.go", "app.py",
          "main.cpp", "Dockerfile", ".scaffold-answers.yml", "src/app/__main__.py"]


def _filesystem() -> list[Case]:
    cases = []
    for rel in LINKED:
        wrap = _go if rel.startswith(("go.", "main.go")) else _cpp if rel in ("CMakeLists.txt", "meson.build", "vcpkg.json", "main.cpp") else _python
        base = {k: v for k, v in wrap({}).items() if k != rel}
        if rel == "main.go":
            base["go.mod"] = "module example.com/app\n\ngo 1.22\n"
        # A program's only source refused leaves no project: that message names the directory.
        rel_blame = "" if rel in ("main.go", "app.py", "main.cpp", "src/app/__main__.py") else rel
        cases.append(Case("link-out", rel, base, rel_blame, _link(rel, _secret)))
        cases.append(Case("link-out-relative", rel, base, rel_blame, _link(rel, lambda r, o: os.path.relpath(o / SECRET_NAME, (r / rel).parent))))
        cases.append(Case("link-loop", rel, base, rel_blame, _all(_link(rel, rel + ".b"), _link(rel + ".b", os.path.basename(rel)))))
        cases.append(Case("link-self", rel, base, rel_blame, _link(rel, os.path.basename(rel))))
        cases.append(Case("link-dangling", rel, base, rel_blame, _link(rel, "missing")))
        cases.append(Case("link-dir", rel, base, rel_blame, _link(rel, ".")))
        cases.append(Case("fifo", rel, base, rel_blame, _fifo(rel)))
    for wrap, label in ((_python, "python"), (_go, "go"), (_cpp, "cpp")):
        base = wrap({"go.mod": "module example.com/app\n\ngo 1.22\n"} if label == "go" else {})
        cases += [
            Case("tree", f"{label}:dir-loop", base, "", _link("loop", ".")),
            Case("tree", f"{label}:parent-loop", base, "", _link("sub/up", "..")),
            Case("tree", f"{label}:dir-out", base, "", _link("vendor/out", _outside_dir)),
            Case("tree", f"{label}:root-link", base, "", _link("rootfs", "/")),
            Case("tree", f"{label}:non-utf8-name", {**base, "\udcff\udcfe.py": "print(1)\n", "d\udcff/x.go": MAIN_GO}, ""),
            Case("tree", f"{label}:control-name", {**base, "a\nb.py": "print(1)\n", "tab\t.cpp": MAIN_CPP}, ""),
            Case("tree", f"{label}:fifo-source", base, "", _fifo("x.py" if label == "python" else "x.go" if label == "go" else "x.cpp")),
            Case("tree", f"{label}:unreadable-dir", {**base, "locked/a.py": "print(1)\n"}, "",
                 lambda r, o: os.chmod(r / "locked", 0)),
            Case("tree", f"{label}:unreadable-file", {**base, "b.py": "print(1)\n"}, "", lambda r, o: os.chmod(r / "b.py", 0)),
            Case("tree", f"{label}:many-dirs", {**base, **{"/".join(["d"] * 300) + "/x.py": "print(1)\n"}}, ""),
        ]
    return cases


# Numbers int() refuses though str.isdigit takes them: a superscript digit, and more digits than
# int() converts (4,300).
NUMBERS = {"superscript": "\u00b2", "5000-digits": "9" * 5000}
_GO_MOD = "module example.com/app\n\ngo 1.22\n"
_C_SERVER = "#include <sys/socket.h>\nint main(void) { listen(3, 16); return 0; }\n"
# Where the providers read a number from a project's files: {n} is the number.
NUMBER_PLACES = {
    "procfile-bind": _python({"requirements.txt": "gunicorn\n", "Procfile": "web: gunicorn --bind :{n} app:app\n"}),
    "procfile-port": _python({"requirements.txt": "uvicorn\n", "Procfile": "web: uvicorn app:app --port {n}\n"}),
    "uwsgi-ini": _python({"requirements.txt": "uwsgi\n", "Procfile": "web: uwsgi a.ini\n", "a.ini": "[uwsgi]\nhttp = :{n}\n"}),
    "python-version": _python({"requirements.txt": "flask\n", ".python-version": "3.{n}\n"}),
    "requires-python": _python({"pyproject.toml": '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.{n}"\n'}),
    "classifier": _python({"pyproject.toml": '[project]\nname = "app"\nversion = "1"\n'
                                             'classifiers = ["Programming Language :: Python :: 3.{n}"]\n'}),
    "go-flag-default": {"go.mod": _GO_MOD, "main.go": 'package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
                        '\tp := flag.Int("port", {n}, "port")\n\t_ = p\n\thttp.ListenAndServe(":8080", nil)\n}\n'},
    "go-build-tag": {"go.mod": _GO_MOD, "main.go": MAIN_GO, "x.go": "//go:build go1.{n}\n\npackage main\n"},
    "go-mod-version": {"go.mod": "module example.com/app\n\ngo 1.{n}\n", "main.go": MAIN_GO},
    "c-port-define": {"main.c": _C_SERVER, "net.h": "#define DEFAULT_PORT {n}\n",
                      "Makefile": "app: main.c\n\tcc -o app main.c\n"},
}


def _numbers() -> list[Case]:
    cases = []
    for place, files in NUMBER_PLACES.items():
        for label, number in NUMBERS.items():
            written = {rel: text.replace("{n}", number) for rel, text in files.items()}
            blame = next(rel for rel, text in files.items() if "{n}" in text)
            cases.append(Case("number", f"{place}:{label}", written, blame))
    return cases


def corpus() -> list[Case]:
    """Every case, in a fixed order (ids are unique)."""
    cases = _wrong_types() + _line_kinds() + _shapes() + _filesystem() + _numbers()
    assert len({c.id for c in cases}) == len(cases), "duplicate case ids"
    return cases


def outside_dir(base: Path) -> Path:
    """The directory outside every repository that links in the corpus point at."""
    outside = base / "outside"
    outside.mkdir(exist_ok=True)
    (outside / SECRET_NAME).write_text("root:SECRET:19000:0:99999:7:::\n")
    return outside


# --- answers files ---------------------------------------------------------------------------------

BILLION_LAUGHS = ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                  + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
                  + "project_name: *i\n")
ANSWERS_BOMBS = {
    "billion-laughs": BILLION_LAUGHS,
    "anchor": "project_name: &x app\nimage_name: *x\n",
    "merge-key": "base: &b {uid: 0}\n<<: *b\n",
    "deep": "project_name: " + "[" * DEEP + "]" * DEEP + "\n",
    "deep-block": "project_name:\n" + "".join(" " * (i + 1) + "- \n" for i in range(0, DEEP * 2, 2)),
    "huge": "project_name: " + "a" * 20_000_000 + "\n",
    "not-utf8": b"project_name: \xff\n",
    "tags": "project_name: !!python/object/apply:os.system ['id']\n",
    "not-a-mapping": "[1, 2]\n",
    "wrong-types": "uid: [0]\nproject_name: {a: 1}\n_commit: [1]\n_src_path: 5\n",
}


# --- running ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: str
    command: str
    code: int | None
    stdout: str
    stderr: str
    traceback: str = ""
    opened_outside: list[str] = field(default_factory=list)

    def problems(self, blame: str) -> list[str]:
        """What this run got wrong ([] when it passed)."""
        found = []
        if self.traceback:
            found.append(f"traceback: {self.traceback.strip().splitlines()[-1]}")
        if "Traceback (most recent call last)" in self.stderr:
            found.append("traceback printed")
        if self.opened_outside:
            found.append(f"opened outside the repository: {self.opened_outside[0]}")
        if self.code not in (None, 0):
            # init shows what it detected on stderr first; the error is the one last line.
            lines = [line for line in self.stderr.splitlines() if line.strip()]
            errors = [line for line in lines if line.startswith("scaffold:")]
            if len(errors) != 1 or lines[-1] != errors[0]:
                found.append(f"{len(errors)} error lines on stderr")
            elif len(errors[0]) >= 200:
                found.append(f"message of {len(errors[0])} characters")
            elif blame and self.code == 1 and blame not in errors[0]:  # 2: a question left open names the question
                found.append(f"message does not name {blame}: {errors[0]}")
            if "--json" in self.command:
                try:
                    json.loads(self.stdout)
                except ValueError:
                    found.append("--json error output is not JSON")
        return found


_AUDIT: dict[str, list[str] | str | None] = {"watch": None, "seen": []}


def _audit(event: str, args: tuple) -> None:
    watch = _AUDIT["watch"]
    if watch and event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path.startswith(watch):
            _AUDIT["seen"].append(path)  # type: ignore[union-attr]


_hooked = False


def run_in_process(argv: list[str], outside: Path, case: str = "") -> Outcome:
    """``scaffold ARGV`` in this process, with every open of a path under ``outside`` recorded."""
    global _hooked
    from scaffolder.cli import main

    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    out, err = io.StringIO(), io.StringIO()
    _AUDIT["watch"], _AUDIT["seen"] = str(outside), []
    code, trace = None, ""
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # noqa: BLE001 - anything that escapes main is a traceback to the user
        trace = traceback.format_exc()
    finally:
        _AUDIT["watch"] = None
    return Outcome(case, " ".join(argv[:2]), code, out.getvalue(), err.getvalue(), trace, list(_AUDIT["seen"]))


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry below ``root`` outside .git: a file's bytes, a link's target, other kinds by name."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git" and not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames + [d for d in os.listdir(dirpath) if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                found[rel] = "link:" + os.readlink(path)
            elif os.path.isfile(path):
                try:
                    with open(path, "rb") as handle:
                        found[rel] = handle.read()
                except OSError:
                    found[rel] = "unreadable"
            else:
                found[rel] = "special"
    return found


def restore_permissions(root: Path) -> None:
    """Make a case's tree removable again (cases may lock a file or directory)."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                with contextlib.suppress(OSError):
                    os.chmod(path, 0o755)
    with contextlib.suppress(OSError):
        os.chmod(root, 0o755)
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(dirpath, name), 0o755)
