"""The naive single-stage Dockerfile a project would get without scaffold: the yardstick of
`scaffold report --compare naive` and of the benchmark suite.

Naive means one ``FROM`` with the full toolchain image, copy everything, build or install, run.
Otherwise it follows each base image's own documented usage, so the baseline is a careful
single-stage build rather than a strawman:

- Python: ``python:X.Y`` (the full image; here its Debian suite variant, e.g.
  ``python:3.11-bookworm``), ``pip install --no-cache-dir`` as in the image's README; pipenv,
  Poetry, uv and PDM are pip-installed and install the project's dependencies into the
  system interpreter (pipenv, Poetry) or their in-project venv (uv, PDM). No freezing: a
  PyInstaller project runs its script with the interpreter.
- Go: ``golang:X.Y-<suite>``, ``go build`` into ``/usr/local/bin`` as in the image's README.
- C and C++: there is no official compiler image on Debian, so ``debian:bookworm-slim`` plus
  ``apt-get install build-essential`` (and cmake, meson or autotools when the project uses
  them, and the project's -dev packages), with the apt lists removed in the same layer as
  Docker's best-practice guide shows; the build is the project's own, dynamically linked.

The build context, and so the project's ``.dockerignore``, is the same as scaffold's build.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from scaffolder import _policy

__all__ = ["naive_dockerfile", "naive_base_image"]


def naive_base_image(answers: dict[str, Any]) -> str:
    """The one base image of the naive build: the full image of the builder the template uses."""
    language = answers["language"]
    if language == "python":
        version = str(answers.get("python_version", _policy.policy()["python"]["default"]))
        return f"{_policy.image('python')}:{version}-{_policy.debian_release('python', version)}"
    if language == "go":
        version = str(answers.get("go_version", _policy.policy()["go"]["default"]))
        return f"{_policy.image('golang')}:{version}-{_policy.debian_release('go', version)}"
    if language == "cpp":
        return f"{_policy.image('debian')}:{_policy.debian_release('cpp')}-slim"
    raise ValueError(f"no naive build for language {language!r}")


def _apt(packages: list[str]) -> str:
    return (
        "RUN apt-get update \\\n"
        f"    && apt-get install -y --no-install-recommends {' '.join(packages)} \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
    )


def _python_tool(manager: str) -> str:
    """The pip requirement of a package manager, pinned like the template's build stages so both
    builds resolve alike (pip's newest PDM can pull a dependency release that breaks it, hence
    its `locked` extra)."""
    requirement = f"{manager}{'[locked]' if manager == 'pdm' else ''}=={_policy.tool_version(manager)}"
    return shlex.quote(requirement)


def _python(a: dict[str, Any]) -> str:
    out = [f"FROM {naive_base_image(a)}\n"]
    # The stand-ins for python:X.Y are Debian's interpreter, whose EXTERNALLY-MANAGED marker
    # refuses system-wide pip installs; the official image has no marker, so this changes nothing there.
    out.append("ENV PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1\n")
    system = sorted(set(a.get("python_build_packages") or []) | set(a.get("python_runtime_packages") or []))
    if system:
        out.append(_apt(system))
    out.append("WORKDIR /app\nCOPY . .\n")
    manager = a.get("python_manager", "pip")
    project = bool(a.get("python_install_project"))
    scm = _policy.policy()["python"]["scm_version"].get(str(a.get("python_scm_version") or ""))
    if project and scm:  # .git is not in the context: the version from git has to come from outside
        out.append(f"ENV {scm}=0.0.0\n")
    if manager == "pipenv":
        out.append(
            f"RUN pip install --no-cache-dir {_python_tool('pipenv')} \\\n"
            "    && if [ -f Pipfile.lock ]; then pipenv install --system --deploy; else pipenv install --system --skip-lock; fi\n"
        )
    elif manager == "poetry":
        # The project's own .venv: Poetry refuses to manage the interpreter's site-packages well.
        out.append("ENV POETRY_VIRTUALENVS_IN_PROJECT=1 PATH=/app/.venv/bin:$PATH\n")
        out.append(
            f"RUN pip install --no-cache-dir {_python_tool('poetry')} \\\n"
            f"    && poetry install --only main --no-interaction{'' if project else ' --no-root'}\n"
        )
    elif manager == "uv":
        out.append("ENV UV_PYTHON_DOWNLOADS=never PATH=/app/.venv/bin:$PATH\n")
        out.append(f"RUN pip install --no-cache-dir {_python_tool('uv')} && uv sync --locked --no-dev{'' if project else ' --no-install-project'}\n")
    elif manager == "pdm":
        out.append("ENV PATH=/app/.venv/bin:$PATH\n")
        out.append(f"RUN pip install --no-cache-dir {_python_tool('pdm')} && pdm install --prod{'' if project else ' --no-self'}\n")
    else:
        reqs = [str(r) for r in a.get("python_requirements", ["requirements.txt"]) or []]
        files = [r for r in reqs if r != "pyproject.toml"]
        if "pyproject.toml" in reqs and not project:
            # The project's [project] dependencies, without installing the project itself.
            out.append(
                "RUN python -c 'import tomllib; print(\"\\n\".join(tomllib.load(open(\"pyproject.toml\", \"rb\"))"
                "[\"project\"].get(\"dependencies\", [])))' > /tmp/project-requirements.txt\n"
            )
            files.append("/tmp/project-requirements.txt")
        if files:
            out.append("RUN pip install --no-cache-dir" + "".join(f" -r {shlex.quote(r)}" for r in files) + "\n")
    if project and manager in ("pip", "pipenv"):
        out.append("RUN pip install --no-cache-dir .\n")
    start = a.get("start_command") or ["python", "main.py"]
    out.append(f"CMD {json.dumps(list(start))}\n")
    return "".join(out)


def _go(a: dict[str, Any]) -> str:
    packages = [str(p) for p in a.get("go_packages") or ["."]]
    entry = str(a.get("go_entrypoint", "app"))
    if a.get("go_module", True):
        output = "/usr/local/bin/"
    else:
        output = f"/usr/local/bin/{entry}"
    # A vendored module builds from vendor/ as its README says; a go directive older than 1.14
    # does not pick vendor/ by itself.
    vendor = "-mod=vendor " if a.get("go_vendor") and a.get("go_module", True) else ""
    return (
        f"FROM {naive_base_image(a)}\n"
        "WORKDIR /src\n"
        "COPY . .\n"
        f"RUN go build {vendor}-o {output} {' '.join(shlex.quote(p) for p in packages)}\n"
        f'CMD ["/usr/local/bin/{entry}"]\n'
    )


def _cpp(a: dict[str, Any]) -> str:
    system = a.get("cpp_build_system", "cmake")
    target = str(a["cpp_target"])
    tools = {
        "cmake": ["cmake"],
        "meson": ["meson", "ninja-build"],
        "autotools": ["autoconf", "automake", "libtool"],
        "make": [],
        "single": [],
    }[system]
    extra = list(a.get("cpp_build_packages") or []) + list(a.get("cpp_runtime_packages") or [])
    packages = ["build-essential"] + sorted(set(tools + extra))
    binary = str(a.get("cpp_binary") or target.rsplit("/", 1)[-1])
    q, b = shlex.quote(target), shlex.quote(binary)
    # What the project builds by default, as its README says to run it; the program by name only
    # when that did not build it.
    find = f'bin="$(find {{dir}} -type f -name {b} -perm -u+x | head -n 1)"'
    copy = f'cp "$bin" /usr/local/bin/{b}'
    if system == "cmake":
        build = (
            f"cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build && {find.format(dir='build')} "
            f'&& {{ [ -n "$bin" ] || {{ cmake --build build --target {q} && {find.format(dir="build")}; }}; }} && {copy}'
        )
    elif system == "meson":
        build = (
            f"meson setup build --buildtype=release && meson compile -C build && {find.format(dir='build')} "
            f'&& {{ [ -n "$bin" ] || {{ meson compile -C build {shlex.quote(target + ":executable")} && {find.format(dir="build")}; }}; }} && {copy}'
        )
    elif system == "autotools":
        build = f"{{ [ -x ./configure ] || autoreconf -fi; }} && ./configure && make && {{ [ -f {q} ] || make {q}; }} && bin={q} && {copy}"
    elif system == "make":
        build = f"make && {{ [ -f {q} ] || make {q}; }} && bin={q} && {copy}"
    else:
        cc = "g++" if a.get("cpp_language", "cpp") == "cpp" else "gcc"
        source = shlex.quote(str(a.get("cpp_source", "main.cpp")))
        build = f"{cc} -O2 -o /usr/local/bin/{b} {source}"
    return (
        f"FROM {naive_base_image(a)}\n"
        + _apt(packages)
        + "WORKDIR /src\n"
        "COPY . .\n"
        f"RUN {build}\n"
        f'CMD ["/usr/local/bin/{binary}"]\n'
    )


def naive_dockerfile(answers: dict[str, Any]) -> str:
    """The naive Dockerfile for a project, from the answers ``scaffold init`` recorded."""
    language = answers.get("language")
    builders = {"python": _python, "go": _go, "cpp": _cpp}
    if language not in builders:
        raise ValueError(f"no naive build for language {language!r}")
    header = "# Naive single-stage build (scaffold's yardstick; see scaffolder/_naive.py).\n"
    return header + builders[language](answers)
