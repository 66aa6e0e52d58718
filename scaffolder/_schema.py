"""The schema of every answer: each template question's type and grammar, in one place.

The bundled template's question files call it from their ``validator:`` (the Jinja extension
below), so prompts and ``--data`` are checked by Copier with these rules; scaffold applies the
same rules to what detection proposes, to ``--data-file`` and to the recorded answers file
(`update`, `check`). Every value that reaches a generated file has a grammar narrow enough that it
cannot end a Dockerfile line, start an instruction or be evaluated by the build script; the one
free-form answer, ``start_command``, is rendered as a JSON array.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from jinja2.ext import Extension

from scaffolder import _policy

# Docker's rule for a repository path component, and a length that leaves room for a tag.
_IMAGE_NAME = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*")
# Debian policy: lowercase letters, digits, + - . ; at least two characters, starting alphanumeric.
_DEBIAN_PACKAGE = re.compile(r"[a-z0-9][a-z0-9+.-]+")
# A path inside the repository: no spaces, quotes, shell or Dockerfile syntax.
_PATH_CHARS = re.compile(r"[A-Za-z0-9._+@-]+(?:/[A-Za-z0-9._+@-]+)*")
_FILE_NAME = re.compile(r"[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*")
# A pkg-config module name (tinfo, gtk+-3.0): never an option, nothing the shell interprets.
_PKG_CONFIG_MODULE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
# A word the shell and Dockerfile take literally (what shlex.quote leaves unquoted).
_SHELL_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_GO_PATTERN = re.compile(r"[A-Za-z0-9._~/*?-]+(?:,[A-Za-z0-9._~/*?-]+)*")
# A bake target name that is also an image name: lowercase words joined by '_' or '-'.
_TARGET = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")
_PLATFORM = re.compile(r"[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")  # and undecodable bytes of a file name
SHOWN = 30  # characters of a rejected value shown in the message


@dataclass(frozen=True)
class Rule:
    allowed: str | Callable[[], str]  # what is allowed, as the message says it
    accepts: Callable[[Any], bool]

    def describe(self) -> str:
        return self.allowed if isinstance(self.allowed, str) else self.allowed()


def _text(pattern: re.Pattern[str], limit: int = 255, *, empty: bool = False) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and (
        (empty and v == "") or (len(v) <= limit and pattern.fullmatch(v) is not None)
    )


def _inside(value: Any) -> bool:
    """A relative path that stays inside the repository."""
    return (
        isinstance(value, str)
        and len(value) <= 255
        and _PATH_CHARS.fullmatch(value) is not None
        and ".." not in value.split("/")
    )


def _below(value: Any) -> bool:
    """A path inside the repository that names something below its root ("." and "./x" are not)."""
    return _inside(value) and "." not in value.split("/")


def _list_of(accepts: Callable[[Any], bool], *, limit: int = 64, empty: bool = True) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, list) and (empty or bool(v)) and len(v) <= limit and all(accepts(x) for x in v)


def _words(accepts: Callable[[Any], bool], *, empty: bool) -> Callable[[Any], bool]:
    """A string of words separated by single spaces."""
    return lambda v: isinstance(v, str) and len(v) <= 1024 and (
        (empty and v == "") or (v != "" and v == " ".join(v.split()) and all(accepts(w) for w in v.split()))
    )


def _integer(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _choice(*choices: str) -> Rule:
    return Rule("one of " + ", ".join(choices), lambda v: v in choices)


def _minor(major: str, lowest: Callable[[], int]) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        match = isinstance(value, str) and re.fullmatch(rf"{major}\.(\d{{1,3}})", value)
        return bool(match) and int(match.group(1)) >= lowest()

    return accepts


def _argument(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 4096 and not _CONTROL.search(value)


def _apps(value: Any) -> bool:
    """A list of {name, path} (with the port and backing services the root's compose.yaml gives
    the app, from its own answers): distinct names, none a backing service's of compose.yaml,
    and distinct directories below the root."""
    return (
        isinstance(value, list) and len(value) <= 64
        and all(isinstance(a, dict) and {"name", "path"} <= set(a) <= {"name", "path", "port", "services"}
                and _text(_TARGET, 63)(a["name"]) and a["name"] not in _policy.policy()["compose"] and _below(a["path"])
                and QUESTIONS["port"].accepts(a.get("port", 0)) and QUESTIONS["compose_services"].accepts(a.get("services", []))
                for a in value)
        and len({a["name"] for a in value}) == len(value) == len({a["path"] for a in value})
    )


def _python_lowest() -> int:
    return int(str(_policy.policy()["python"]["supported"][0]).split(".")[1])


_SYSTEM_DIRS = {"bin", "boot", "dev", "etc", "lib", "lib64", "proc", "run", "sbin", "sys", "tmp", "usr"}


def _state_dir(value: Any) -> bool:
    """An absolute directory the app may own: not the root, the code (/app) or a system directory."""
    return (isinstance(value, str) and value.startswith("/") and _inside(value[1:])
            and value.rstrip("/") != "/app" and value[1:].split("/")[0] not in _SYSTEM_DIRS)


# What a refusal says is allowed: short, so that the question's name, the value, its source and
# what to do fit one line; the exact grammars are the patterns above.
CHARS = "A-Za-z0-9._+@/-, no .."
PATH = f"a relative path ({CHARS})"
PATHS = f"a list of relative paths ({CHARS})"
FILE_NAME = "a file name (A-Za-z0-9 ._-+@), no directory"
PACKAGES = "a list of Debian packages, e.g. [zlib1g-dev]"
FLAG = "true or false"

QUESTIONS: dict[str, Rule] = {
    "project_name": Rule("an image name (a-z 0-9 joined by . _ __ -, at most 128)", _text(_IMAGE_NAME, 128)),
    "language": _choice("go", "cpp", "python"),
    "port": Rule("a TCP port, 0 to 65535 (0: serves nothing)", _integer(0, 65535)),
    "uid": Rule("a user id from 1 (not root) to 2147483647", _integer(1, 2**31 - 1)),
    "tini": Rule(FLAG, _boolean),
    # compose.yaml
    "compose": Rule(FLAG, _boolean),
    "compose_services": Rule(
        lambda: "a list of distinct services among " + ", ".join(_policy.policy()["compose"]),
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x in _policy.policy()["compose"] for x in v)
        and len(set(v)) == len(v),
    ),
    "compose_env_file": Rule(FLAG, _boolean),
    # docker-bake.hcl, at the root of several apps
    "apps": Rule(lambda: "distinct {name, path, port?, services?}: name not "
                 + "/".join(_policy.policy()["compose"]) + ", path a subdir", _apps),
    "bake_platforms": Rule(
        "a list of distinct platforms, e.g. [linux/amd64, linux/arm/v7]",
        lambda v: _list_of(_text(_PLATFORM, 64))(v) and len(set(v)) == len(v),
    ),
    # C and C++
    "cpp_build_system": _choice("cmake", "meson", "autotools", "make", "single"),
    "cpp_language": _choice("c", "cpp"),
    "cpp_source": Rule(f"relative paths separated by spaces ({CHARS})", _words(_inside, empty=False)),
    "cpp_cmake_preset": Rule("a CMake preset name (A-Za-z0-9 ._+-), or empty", _text(_FILE_NAME, 128, empty=True)),
    "cpp_target": Rule(f"a target name or path ({CHARS})", _inside),
    "cpp_binary": Rule(FILE_NAME, _text(_FILE_NAME)),
    "cpp_configure_args": Rule(
        "words of A-Za-z0-9_@%+=:,./- joined by spaces, or empty", _words(_text(_SHELL_WORD), empty=True)
    ),
    "cpp_link": _choice("static", "dynamic"),
    "cpp_build_packages": Rule(PACKAGES, _list_of(_text(_DEBIAN_PACKAGE, 128))),
    "cpp_runtime_packages": Rule(PACKAGES, _list_of(_text(_DEBIAN_PACKAGE, 128))),
    "cpp_static_pkg_config": Rule(
        "a list of pkg-config module names, e.g. [tinfo]",
        _list_of(_text(_PKG_CONFIG_MODULE, 128)),
    ),
    "cpp_terminfo": Rule(FLAG, _boolean),
    # Go
    "go_version": Rule("a Go minor version such as 1.24", _minor("1", lambda: 0)),
    "go_module": Rule(FLAG, _boolean),
    "go_workspace": Rule(FLAG, _boolean),
    "go_mod_dirs": Rule(f"a non-empty list of relative paths ({CHARS})", _list_of(_inside, empty=False)),
    "go_packages": Rule(
        f"a non-empty list of packages or .go files ({CHARS})",
        _list_of(_words(_inside, empty=False), empty=False),
    ),
    "go_entrypoint": Rule("a binary name such as api (A-Za-z0-9 ._-+@)", _text(_FILE_NAME)),
    "go_cgo": Rule(FLAG, _boolean),
    "go_cgo_cxx": Rule(FLAG, _boolean),
    "go_tzdata": Rule(FLAG, _boolean),
    "go_vendor": Rule(FLAG, _boolean),
    "go_runtime_dirs": Rule(PATHS, _list_of(_inside)),
    "go_runtime_packages": Rule(PACKAGES, _list_of(_text(_DEBIAN_PACKAGE, 128))),
    "go_private": Rule("GOPRIVATE patterns separated by commas, or empty", _text(_GO_PATTERN, 1024, empty=True)),
    # Python
    "python_version": Rule(
        lambda: "a Python minor version from {0} on, such as {1}".format(
            _policy.policy()["python"]["supported"][0], _policy.policy()["python"]["default"]
        ),
        _minor("3", _python_lowest),
    ),
    "python_manager": _choice("pip", "pipenv", "poetry", "uv", "pdm"),
    "python_requirements": Rule(PATHS, _list_of(_inside)),
    "python_dependency_files": Rule(PATHS, _list_of(_inside)),
    "python_install_project": Rule(FLAG, _boolean),
    "python_workspace": Rule(FLAG, _boolean),
    "python_pyinstaller": Rule(FLAG, _boolean),
    "pyinstaller_entry": Rule(f"a script or .spec path ({CHARS})", _inside),
    "pyinstaller_mode": _choice("onefile", "onedir"),
    "pyinstaller_name": Rule(FILE_NAME, _text(_FILE_NAME)),
    "python_runtime": _choice("minimal", "slim"),
    "start_command": Rule("a list of 1 to 64 arguments without control characters", _list_of(_argument, empty=False)),
    "python_state_dir": Rule(
        "empty, or an absolute dir outside /app and system dirs", lambda v: v == "" or _state_dir(v)
    ),
    # Both become .dockerignore lines: "." would leave the whole repository out of the image.
    "python_state_links": Rule(f"paths in /app, dirs end in / ({CHARS})",
                               _list_of(lambda v: isinstance(v, str) and _below(v.removesuffix("/")))),
    "django_static_root": Rule(f"empty, or a subdirectory ({CHARS})", lambda v: v == "" or _below(v)),
    "django_migrate": Rule(FLAG, _boolean),
    "python_scm_version": Rule(
        lambda: "empty, or one of " + ", ".join(_policy.policy()["python"]["scm_version"]),
        lambda v: v == "" or (isinstance(v, str) and v in _policy.policy()["python"]["scm_version"]),
    ),
    "python_server_env": Rule(
        "a list of distinct names among PORT, VIRTUAL_ENV",
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x in ("PORT", "VIRTUAL_ENV") for x in v)
        and len(set(v)) == len(v),
    ),
    "python_build_packages": Rule(PACKAGES, _list_of(_text(_DEBIAN_PACKAGE, 128))),
    "python_runtime_packages": Rule(PACKAGES, _list_of(_text(_DEBIAN_PACKAGE, 128))),
    "python_netrc": Rule(FLAG, _boolean),
    "python_ssh": Rule(FLAG, _boolean),
}


def shown(value: Any, limit: int = SHOWN) -> str:
    """A value as a message shows it: its repr, shortened."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reason(name: str, value: Any, *, shown_limit: int = SHOWN) -> str:
    """Why ``value`` is not a valid answer to question ``name`` ('' when it is, or when the
    question is not one of the bundled template's)."""
    rule = QUESTIONS.get(name)
    if rule is None or rule.accepts(value):
        return ""
    return f"{shown(value, shown_limit)} is not {rule.describe()}"


def problem(name: str, value: Any, *, shown_limit: int = SHOWN) -> str:
    """``reason`` with the question's name in front."""
    why = reason(name, value, shown_limit=shown_limit)
    return f"{name}: {why}" if why else ""


def problems(answers: dict[str, Any]) -> list[str]:
    return [p for name, value in answers.items() if (p := problem(name, value))]


class SchemaExtension(Extension):
    """Gives the template's validators the filter ``answer_problem``:
    ``{{ port | answer_problem('port') }}`` renders why the answer is refused, or nothing."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["answer_problem"] = lambda value, name: reason(name, value)
