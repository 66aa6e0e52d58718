"""Python: requirements files, pipenv, Poetry, uv, PDM, PEP 621 projects, PyInstaller and scripts.

Facts are named after the questions in templates/questions/python.yml. Each package manager's
files are read by its own module (pip, pipenv, poetry, uv, pdm), which owns the facts that hold
only when it installs; the version, the start command, PyInstaller, the Debian packages and the
secrets are read here for every manager. Two sources of truth (two package managers, two version
pins, two app objects) become questions, never silent choices.
"""

from __future__ import annotations

import re

from scaffolder import _policy
from scaffolder._repo import Repo
from scaffolder.providers import CERTAIN, LIKELY, NOT_APP_DIRS, Detection, Fact, _tools
from scaffolder.providers.python import _deps, _entry, _native, _services, _state, _versions, pdm, pip, pipenv, poetry, pyinstaller, uv
from scaffolder.providers.python._deps import DepSet
from scaffolder.providers.python._manager import Manager, Pyproject
from scaffolder.providers.python._versions import DEFAULT_VERSION, SUPPORTED_VERSIONS
from scaffolder.providers.python._source import parse

name = "python"

__all__ = ["name", "detect", "SUPPORTED_VERSIONS", "DEFAULT_VERSION"]

_MANIFESTS = ("pyproject.toml", "Pipfile", "Pipfile.lock", "requirements.txt", "poetry.lock", "uv.lock", "pdm.lock",
              "setup.py", "setup.cfg")
_PUBLIC_INDEXES = ("https://pypi.org/simple", "https://pypi.python.org/simple", "https://files.pythonhosted.org")


def detect(repo: Repo) -> Detection | None:
    py_files = [f for f in repo.with_suffix(".py") if f.split("/", 1)[0] not in NOT_APP_DIRS]
    manifests = [m for m in _MANIFESTS if repo.exists(m)]
    specs = [f for f in repo.with_suffix(".spec") if "/" not in f]
    if not (py_files or manifests or _deps.requirements_candidates(repo)):
        return None
    det = Detection(name, manifests[0] if manifests else "*.py files", loose=not manifests)

    pyproject = Pyproject.read(repo) if repo.exists("pyproject.toml") else None
    managers, all_deps = _managers(repo, det, pyproject)
    _settle_manager(det, managers, pyproject is not None)
    if all_deps.local:
        path, where = all_deps.local[0]
        det.notes.append(f"{where} installs a local path ({path}): it is installed with the project, after the source")

    parsed = {rel: value for m in managers for rel, value in m.parsed.items()}
    classifiers = _versions.classifier_versions(pyproject.classifiers if pyproject is not None else [])
    _versions.resolve(det, _versions.pins(repo, parsed.get("Pipfile"), parsed.get("Pipfile.lock")),
                      _versions.ranges(pyproject, parsed.get("uv.lock")), classifiers)

    names = all_deps.names()
    _expand_extras(all_deps, names)
    scripts = pyproject.scripts() if pyproject is not None else {}
    scripts_source = "pyproject.toml scripts"
    if not scripts:
        scripts, scripts_source = _deps.setuptools_scripts(repo)
    # Whether a console script can start the app: the project installs (with several managers,
    # as the last one that decides it says).
    install_project = next((m.owned["python_install_project"].value for m in reversed(managers)
                            if "python_install_project" in m.owned), False)
    _entry.detect_start(repo, det, py_files, names, scripts, install_project, scripts_source, _project_name(repo, pyproject))
    if not any(f.name == "port" for f in det.facts) and not any(q.name == "port" for q in det.questions):
        det.add("port", 0, "no server found", LIKELY)
    _services.detect(repo, det, py_files, all_deps)
    _state.written_beside_code(repo, det, _shipped_files(py_files, scripts if install_project else {}))
    for fact_name, value, why in (("python_state_dir", "", "the app writes no state scaffold knows of"),
                             ("python_state_links", [], "no file the app writes beside its code"),
                             ("django_static_root", "", "no Django STATIC_ROOT"),
                             ("django_migrate", False, "no SQLite database to create"),
                             ("python_server_env", [], "the start command reads no variable the image sets")):
        if not any(f.name == fact_name for f in det.facts):
            det.add(fact_name, value, why, LIKELY)

    frozen = pyinstaller.detect(repo, det, specs, manifests, scripts)
    extra = [_deps.Dep("pyinstaller", "python_pyinstaller")] if frozen else []
    build, runtime = _native.packages(all_deps.deps + extra)
    det.add("python_build_packages", [p for p, _ in build],
            "; ".join(f"{p} for {why}" for p, why in build) or "no dependency needs a compiler or headers", LIKELY)
    det.add("python_runtime_packages", [] if frozen else [p for p, _ in runtime],
            "; ".join(f"{p} for {why}" for p, why in runtime) or "no dependency needs a system library", LIKELY)
    if not frozen:
        _runtime(repo, det, _shipped_files(py_files, scripts if install_project else {}))
    _secrets(det, all_deps)
    _scm_version(det, pyproject, install_project)
    return det


_SCM_BACKENDS = {"setuptools-scm": "setuptools-scm", "hatch-vcs": "setuptools-scm"}  # hatch-vcs runs setuptools-scm


def _scm_version(det: Detection, pyproject: Pyproject | None, installs: bool) -> None:
    """A version the build backend takes from git (setuptools-scm, hatch-vcs, pdm-backend's scm
    source) needs it from outside: .git stays out of the build context."""
    found = ("", "no version taken from git")
    if pyproject is not None and installs:
        for requirement in pyproject.table("build-system").strings("requires"):
            name = _deps.normalize(re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0] or "-")
            if name in _SCM_BACKENDS:
                found = (_SCM_BACKENDS[name], f"pyproject.toml [build-system] requires {name}")
                break
        if not found[0] and "setuptools_scm" in pyproject.table("tool"):
            found = ("setuptools-scm", "pyproject.toml [tool.setuptools_scm]")
        if not found[0] and pyproject.tool("hatch").table("version").string("source") == "vcs":
            found = ("setuptools-scm", "pyproject.toml [tool.hatch.version] source = \"vcs\"")
        if not found[0] and pyproject.tool("pdm").table("version").string("source") == "scm":
            found = ("pdm-backend", "pyproject.toml [tool.pdm.version] source = \"scm\"")
    if found[0]:
        det.notes.append(f"{found[1]}: the version comes from git, which stays out of the build context; "
                         "docker-build.sh passes `git describe` as APP_VERSION (0.0.0 without a tag)")
    det.add("python_scm_version", found[0], found[1], LIKELY)


def _project_name(repo: Repo, pyproject: Pyproject | None) -> str:
    """The distribution's name: [project] name, [tool.poetry] name, else setup.cfg [metadata] name."""
    if pyproject is not None:
        name = pyproject.project.string("name") or pyproject.tool("poetry").string("name")
        if name:
            return name
    if repo.exists("setup.cfg"):
        match = re.search(r"^\[metadata\][^\[]*?^name\s*=\s*([A-Za-z0-9._-]+)\s*$", repo.read_text("setup.cfg"), re.M | re.S)
        if match:
            return match.group(1)
    return ""


def _runtime(repo: Repo, det: Detection, py_files: list[str]) -> None:
    """python_runtime: minimal unless the start command runs a shell or the code runs system
    tools (then slim, which has a shell, and the tools' Debian packages); a start command the
    user picks brings its own."""
    trees = [(path, tree) for path in py_files if (tree := parse(repo, path)) is not None]
    commands = [c for c in _tools.python_commands(trees) if not re.fullmatch(r"python[0-9.]*", c.name)]
    version = next((f.value for f in det.facts if f.name == "python_version"), DEFAULT_VERSION)
    start = next((f for f in det.facts if f.name == "start_command"), None)
    needed = _tools.add_runtime_packages(det, "python_runtime_packages",
                                         [c for c in commands if c.name not in _tools.SHELLS],
                                         _policy.debian_release("python", version), _start_files(start, py_files))
    commands = [c for c in commands if c.name in needed | _tools.SHELLS]

    def shell(command: object) -> bool:
        return isinstance(command, list) and bool(command) and str(command[0]).rsplit("/", 1)[-1] in _tools.SHELLS

    if commands:
        tools = ", ".join(dict.fromkeys(f"{c.name} ({c.where})" for c in commands))
        code = Fact("python_runtime", "slim", f"the code runs system tools: {tools}", LIKELY)
    else:
        code = Fact("python_runtime", "minimal", "the start command runs no shell and the code runs no system tool", LIKELY)

    def runtime(command: object, where: str) -> tuple[Fact, ...]:
        if shell(command) and code.value == "minimal":
            return (Fact("python_runtime", "slim", f"the start command runs a shell ({where})", LIKELY),)
        return (code,)

    det.follows["start_command"] = runtime
    for fact in runtime(start.value, start.source) if start is not None else (code,):
        det.add(fact.name, fact.value, fact.source, fact.certainty)


def _managers(repo: Repo, det: Detection, pyproject: Pyproject | None) -> tuple[list[Manager], DepSet]:
    """Every package manager whose files are present, in a fixed order, and all the runtime
    dependencies their manifests declare."""
    found = [pipenv.find(repo, det)]
    requirements = pip.read_requirements(repo, det)
    declared = _deps.read_pyproject_deps(pyproject) if pyproject is not None else DepSet()
    locked = [poetry.find(repo, det, pyproject), uv.find(repo, pyproject), pdm.find(repo, pyproject)] if pyproject else []
    locked = [m for m in locked if m]
    found += [pip.find(repo, det, requirements, pyproject, locked), *locked]
    managers = [m for m in found if m]
    all_deps = DepSet()
    for manager in managers:
        all_deps.merge(manager.deps)
    all_deps.merge(declared)
    return managers, all_deps


def _settle_manager(det: Detection, managers: list[Manager], has_pyproject: bool) -> None:
    """python_manager, and the facts of the manager that installs. With several managers' files
    the one lock file decides; with none or several, the user picks one, and its candidate brings
    its own facts."""
    locked = [m for m in managers if m.locks]
    if len({m.name for m in managers}) > 1 and len(locked) == 1:
        # One manager locks the dependencies: the lock decides (a requirements.txt beside a
        # Pipfile.lock is usually exported from it); the other managers' files are a note.
        others = [m for m in managers if m is not locked[0]]
        det.notes.append(f"not used to install: {', '.join(f'{m.source} ({m.name})' for m in others)}; "
                         f"{locked[0].locks[0]} locks the dependencies")
        managers = locked
        det.add("python_manager", managers[0].name, f"{managers[0].source} (the only lock file)", LIKELY)
    files: list[str] = []
    for manager in managers:
        files += [f for f in manager.deps.files if f not in files]
    if has_pyproject:
        files = ["pyproject.toml", *[f for f in files if f != "pyproject.toml"]]
    files += [f for m in managers for f in m.locks if f not in files]
    if not managers:
        managers = [Manager("pip", "no dependency manifest")]
        det.add("python_manager", "pip", "no dependency manifest", LIKELY)
    elif len({m.name for m in managers}) == 1:
        if managers is not locked:
            det.add("python_manager", managers[0].name, managers[0].source)
    else:
        det.choose("python_manager", [m.candidate() for m in managers],
                   "several package managers' files: pick the one that is the source of truth")
    owned = managers[0].facts() if len(managers) == 1 else []
    for fact in owned[:1]:
        det.add(fact.name, fact.value, fact.source, fact.certainty)
    det.add("python_dependency_files", files, "the manifests and lock files found" if files else "none found",
            CERTAIN if files else LIKELY)
    for fact in owned[1:]:
        det.add(fact.name, fact.value, fact.source, fact.certainty)


def _expand_extras(deps: DepSet, names: set[str]) -> None:
    """Servers that come with an extra: fastapi[standard] brings uvicorn."""
    for dep in deps.deps:
        if dep.name == "fastapi" and "standard" in dep.extras:
            names.add("uvicorn")
        if dep.name == "uvicorn":
            names.add("uvicorn")


def _shipped_files(py_files: list[str], scripts: dict[str, str]) -> list[str]:
    """The files that run in the image: with console scripts, the installed packages and modules
    they start (at the root or under src/); packaging, profiling and release scripts beside them (httpie's
    extras/, which is no package) never run there. Without scripts, or when no package is found,
    all of them."""
    if not scripts:
        return py_files
    packages = {ref.split(":", 1)[0].strip().split(".", 1)[0] for ref in scripts.values()}

    def top(path: str) -> str:  # the importable name a file belongs to: pkg/x.py, src/pkg/x.py, mod.py
        parts = path.split("/")
        if parts[0] == "src" and len(parts) > 1:
            parts = parts[1:]
        return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")

    # Any package of the project counts (the scripts' package may import a sibling one).
    packages |= {top(f) for f in py_files if f.endswith("/__init__.py") and f.count("/") == 1 + f.startswith("src/")}
    return [f for f in py_files if top(f) in packages] or py_files


def _start_files(start: Fact | None, py_files: list[str]) -> list[str]:
    """The files the start command runs: a script, a module (-m, module:app), a package's __main__.py."""
    found = []
    for word in start.value if start is not None and isinstance(start.value, list) else []:
        module = str(word).split(":", 1)[0]
        path = module.replace(".", "/")
        found += [f for f in (word, f"{path}.py", f"{path}/__init__.py", f"{path}/__main__.py",
                              f"src/{path}.py", f"src/{path}/__main__.py") if f in py_files]
    return found


def _secrets(det: Detection, deps: DepSet) -> None:
    private = [(url, src) for url, src in deps.indexes if not url.rstrip("/").startswith(_PUBLIC_INDEXES)]
    for url, src in private:
        if re.match(r"^\w+://[^/@]+:[^/@]+@", url):
            det.notes.append(f"{src}: the index URL carries credentials; move them to a .netrc passed as a BuildKit secret")
    det.add("python_netrc", bool(private),
            f"private index {private[0][0]} ({private[0][1]}): credentials come from a .netrc BuildKit secret"
            if private else "no private package index", LIKELY)
    ssh = [d for d in deps.deps if d.url and _native.is_ssh(d.url)]
    det.add("python_ssh", bool(ssh), f"git over ssh: {ssh[0].name} ({ssh[0].source})" if ssh else "no git+ssh dependency",
            LIKELY)
