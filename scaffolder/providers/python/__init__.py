"""Python: requirements files, pipenv, Poetry, uv, PDM, PEP 621 projects, PyInstaller and scripts.

Facts are named after the questions in templates/questions/python.yml. Two sources of truth (two
package managers, two version pins, two app objects) become questions, never silent choices.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import CERTAIN, LIKELY, Detection, Fact
from scaffolder.providers.python import _deps, _entry, _native, _versions
from scaffolder.providers.python._deps import DepSet
from scaffolder.providers.python._versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

name = "python"

__all__ = ["name", "detect", "SUPPORTED_VERSIONS", "DEFAULT_VERSION"]

_MANIFESTS = ("pyproject.toml", "Pipfile", "Pipfile.lock", "requirements.txt", "poetry.lock", "uv.lock", "pdm.lock",
              "setup.py", "setup.cfg")
_NOT_APP_DIRS = {"tests", "test", "docs", "doc", "examples", "scripts", "benchmarks"}
_PUBLIC_INDEXES = ("https://pypi.org/simple", "https://pypi.python.org/simple", "https://files.pythonhosted.org")
_SPEC_NAME = re.compile(r"\bname\s*=\s*['\"]([^'\"]+)['\"]")


def detect(repo: Repo) -> Detection | None:
    py_files = [f for f in repo.with_suffix(".py") if f.split("/", 1)[0] not in _NOT_APP_DIRS]
    manifests = [m for m in _MANIFESTS if repo.exists(m)]
    specs = [f for f in repo.with_suffix(".spec") if "/" not in f]
    if not (py_files or manifests or _deps.requirements_candidates(repo)):
        return None
    det = Detection(name, manifests[0] if manifests else "*.py files", loose=not manifests)

    pyproject = repo.read_toml("pyproject.toml") if repo.exists("pyproject.toml") else None
    pipfile = pipfile_lock = None
    all_deps = DepSet()
    managers: list[Fact] = []
    dep_files: list[str] = []
    requirements: list[str] = []

    # --- pipenv
    if repo.exists("Pipfile"):
        found, pipfile = _deps.read_pipfile(repo)
        source = "Pipfile"
        if repo.exists("Pipfile.lock"):
            locked, pipfile_lock = _deps.read_pipfile_lock(repo)
            found.merge(locked)
            source = "Pipfile and Pipfile.lock"
        else:
            det.notes.append("Pipfile without Pipfile.lock: the build resolves versions each time; run `pipenv lock` and commit the lock")
        all_deps.merge(found)
        dep_files += found.files
        managers.append(Fact("python_manager", "pipenv", source))
    elif repo.exists("Pipfile.lock"):
        raise InputError("Pipfile.lock", "found without its Pipfile", hint="commit the Pipfile, or remove the stale lock")

    # --- requirements files
    reqs = _requirements(repo, det)
    if reqs is not None:
        found, requirements = reqs
        all_deps.merge(found)
        dep_files += [f for f in found.files if f not in dep_files]
        managers.append(Fact("python_manager", "pip", ", ".join(requirements)))

    # --- pyproject-based managers
    install_project = False
    install_source = "no installable project"
    uv_lock = None
    workspace = False
    if pyproject is not None:
        found = _deps.read_pyproject_deps(repo, pyproject)
        tool = pyproject.get("tool", {})
        poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
        backend = str(pyproject.get("build-system", {}).get("build-backend", ""))
        has_build_system = "build-system" in pyproject
        project = pyproject.get("project", {})
        locks = []
        if repo.exists("poetry.lock") or (poetry and ("dependencies" in poetry or "name" in poetry)) or backend.startswith("poetry"):
            if repo.exists("poetry.lock"):
                _check_lock(repo, "poetry.lock")
                locks.append("poetry.lock")
            else:
                det.notes.append("Poetry project without poetry.lock: the build resolves versions each time; run `poetry lock` and commit it")
            managers.append(Fact("python_manager", "poetry", "poetry.lock" if repo.exists("poetry.lock") else "pyproject.toml [tool.poetry]"))
            package_mode = poetry.get("package-mode", True)
            install_project = bool(package_mode) and (has_build_system or bool(poetry.get("name")) or bool(project.get("name")))
            install_source = ("pyproject.toml [tool.poetry] package-mode = false" if not package_mode
                              else "pyproject.toml: a Poetry package")
        if repo.exists("uv.lock"):
            uv_lock = _check_lock(repo, "uv.lock")
            locks.append("uv.lock")
            managers.append(Fact("python_manager", "uv", "uv.lock"))
            members = _uv_members(repo, pyproject)
            workspace = bool(members)
            locks += members
            uv = tool.get("uv", {}) if isinstance(tool.get("uv"), dict) else {}
            install_project = bool(uv.get("package", has_build_system))
            install_source = ("pyproject.toml [build-system]: a package" if install_project
                              else "pyproject.toml: no [build-system], a virtual project")
        if repo.exists("pdm.lock"):
            _check_lock(repo, "pdm.lock")
            locks.append("pdm.lock")
            managers.append(Fact("python_manager", "pdm", "pdm.lock"))
            pdm = tool.get("pdm", {}) if isinstance(tool.get("pdm"), dict) else {}
            install_project = bool(pdm.get("distribution", has_build_system))
            install_source = "pyproject.toml [tool.pdm] distribution" if "distribution" in pdm else (
                "pyproject.toml [build-system]" if has_build_system else "pyproject.toml: no [build-system]")
        if not locks and not any(m.value == "poetry" for m in managers) and project:
            # PEP 621 without a lock file: pip installs [project] dependencies, then the project.
            if "dependencies" in project.get("dynamic", []):
                det.notes.append("pyproject.toml declares dynamic dependencies: they install with the project, after the source")
            elif not requirements:
                requirements = ["pyproject.toml"]
            if reqs is None:
                managers.append(Fact("python_manager", "pip", "pyproject.toml [project] (no lock file)"))
            install_project = has_build_system
            install_source = ("pyproject.toml [build-system]" if has_build_system
                              else "pyproject.toml has no [build-system]: only its dependencies install")
        all_deps.merge(found)
        dep_files = ["pyproject.toml", *[f for f in dep_files if f != "pyproject.toml"]]
        dep_files += [f for f in locks if f not in dep_files]
        if reqs is not None and project.get("dependencies") and not locks:
            det.notes.append(f"both {', '.join(requirements)} and pyproject.toml [project] list dependencies: "
                             "the requirements install first, then the project with its own")

    if pyproject is None and repo.exists("setup.py"):
        # A setuptools project without pyproject.toml: its dependencies install with it.
        install_project, install_source = True, "setup.py"
        if reqs is None:
            managers.append(Fact("python_manager", "pip", "setup.py"))
    if not managers:
        managers.append(Fact("python_manager", "pip", "no dependency manifest", LIKELY))
    det.choose("python_manager", managers, "several package managers' files: pick the one that is the source of truth")
    det.add("python_requirements", requirements, ", ".join(requirements) if requirements else "no requirements file",
            CERTAIN if requirements else LIKELY)
    det.add("python_dependency_files", dep_files, "the manifests and lock files found" if dep_files else "none found",
            CERTAIN if dep_files else LIKELY)
    det.add("python_install_project", install_project, install_source, LIKELY)
    det.add("python_workspace", workspace, "pyproject.toml [tool.uv.workspace] members" if workspace else "no uv workspace", CERTAIN)
    if all_deps.local:
        path, where = all_deps.local[0]
        det.notes.append(f"{where} installs a local path ({path}): it is installed with the project, after the source")

    project_table = (pyproject or {}).get("project")
    poetry_table = ((pyproject or {}).get("tool") or {}).get("poetry") if isinstance((pyproject or {}).get("tool"), dict) else None
    classifiers = _versions.classifier_versions(
        (project_table.get("classifiers") if isinstance(project_table, dict) else None)
        or (poetry_table.get("classifiers") if isinstance(poetry_table, dict) else None)
    )
    _versions.resolve(det, _versions.pins(repo, pipfile, pipfile_lock), _versions.ranges(repo, pyproject, uv_lock), classifiers)

    names = all_deps.names()
    _expand_extras(all_deps, names)
    scripts = _deps.project_scripts(pyproject) if pyproject else {}
    _entry.detect_start(repo, det, py_files, names, scripts, install_project)
    if not any(f.name == "port" for f in det.facts) and not any(q.name == "port" for q in det.questions):
        det.add("port", 0, "no server found", LIKELY)

    _pyinstaller(repo, det, specs, manifests)
    pyinstaller = any(f.name == "python_pyinstaller" and f.value for f in det.facts)
    extra = [_deps.Dep("pyinstaller", "python_pyinstaller")] if pyinstaller else []
    build, runtime = _native.packages(all_deps.deps + extra)
    det.add("python_build_packages", [p for p, _ in build],
            "; ".join(f"{p} for {why}" for p, why in build) or "no dependency needs a compiler or headers", LIKELY)
    det.add("python_runtime_packages", [] if pyinstaller else [p for p, _ in runtime],
            "; ".join(f"{p} for {why}" for p, why in runtime) or "no dependency needs a system library", LIKELY)
    _secrets(det, all_deps)
    return det


def _requirements(repo: Repo, det: Detection) -> tuple[DepSet, list[str]] | None:
    """The requirements files the image installs: requirements.txt, else the non-dev roots."""
    candidates = _deps.requirements_candidates(repo)
    if not candidates:
        return None
    parsed = {rel: _deps.read_requirements(repo, rel) for rel in candidates}
    if "requirements.txt" in parsed:
        chosen = ["requirements.txt"]
    else:
        runtime = [rel for rel in candidates if not _deps.is_dev_requirements(rel) and rel.endswith(".txt")]
        included = {f for rel in runtime for f in parsed[rel].files if f != rel}
        roots = [rel for rel in runtime if rel not in included]
        if not roots:
            det.notes.append(f"only development requirements files ({', '.join(candidates)}): none is installed")
            return None
        if len(roots) > 1:
            det.ask("python_requirements", "several requirements files: list the ones the image installs",
                    [Fact("python_requirements", [r], r, LIKELY) for r in roots])
        chosen = roots[:1]
    skipped = [rel for rel in candidates if rel not in parsed[chosen[0]].files and rel not in chosen]
    if skipped:
        det.notes.append(f"not installed (development or unused): {', '.join(skipped)}")
    result = DepSet()
    for rel in chosen:
        result.merge(parsed[rel])
    return result, chosen


def _check_lock(repo: Repo, rel: str) -> dict:
    data = repo.read_toml(rel)
    if rel == "uv.lock" and "version" not in data:
        raise InputError(rel, "not a uv lock file: no `version` key", line=1, hint="regenerate it with `uv lock`")
    if rel in ("poetry.lock", "pdm.lock") and not isinstance(data.get("metadata", {}), dict):
        raise InputError(rel, "[metadata] must be a table", line=1, hint="regenerate the lock file")
    return data


def _uv_members(repo: Repo, pyproject: dict) -> list[str]:
    """pyproject.toml of every uv workspace member (their manifests install before the source)."""
    workspace = pyproject.get("tool", {}).get("uv", {}).get("workspace", {})
    if not isinstance(workspace, dict):
        return []
    members = []
    excluded = workspace.get("exclude", []) or []
    for pattern in workspace.get("members", []) or []:
        for path in repo.glob(f"{pattern.rstrip('/')}/pyproject.toml"):
            directory = path.rsplit("/", 1)[0]
            if path.count("/") != pattern.rstrip("/").count("/") + 1:
                continue
            if any(PurePosixPath(directory).match(e) for e in excluded):
                continue
            repo.read_toml(path)
            members.append(path)
    return sorted(set(members))


def _expand_extras(deps: DepSet, names: set[str]) -> None:
    """Servers that come with an extra: fastapi[standard] brings uvicorn."""
    for dep in deps.deps:
        if dep.name == "fastapi" and "standard" in dep.extras:
            names.add("uvicorn")
        if dep.name == "uvicorn":
            names.add("uvicorn")


def _pyinstaller(repo: Repo, det: Detection, specs: list[str], manifests: list[str]) -> None:
    start = next((f.value for f in det.facts if f.name == "start_command"), None)
    if specs:
        if len(specs) > 1:
            det.ask("pyinstaller_entry", "several PyInstaller .spec files: pick the one to build",
                    [Fact("pyinstaller_entry", s, s, LIKELY) for s in specs])
            spec = specs[0]
        else:
            spec = specs[0]
            det.add("pyinstaller_entry", spec, f"{spec}")
        text = repo.read_text(spec)
        det.add("python_pyinstaller", True, f"{spec} (PyInstaller spec)")
        det.add("pyinstaller_mode", "onedir" if "COLLECT(" in text else "onefile",
                f"{spec}: {'COLLECT() makes a one-dir bundle' if 'COLLECT(' in text else 'no COLLECT(): one file'}")
        exe = text[text.find("EXE("):] if "EXE(" in text else text
        match = _SPEC_NAME.search(exe)
        det.add("pyinstaller_name", match.group(1) if match else PurePosixPath(spec).stem,
                f"{spec} EXE(name=...)" if match else f"{spec} file name", CERTAIN if match else LIKELY)
        return
    where = [m for m in manifests + _deps.requirements_candidates(repo) + ["Makefile"]
             if repo.exists(m) and not m.endswith(".lock") and re.search(r"\bpyinstaller\b", repo.read_text(m), re.IGNORECASE)]
    if not where:
        det.add("python_pyinstaller", False, "no .spec file and no pyinstaller among the dependencies", LIKELY)
        return
    det.add("python_pyinstaller", True, f"pyinstaller in {where[0]}", LIKELY)
    det.add("pyinstaller_mode", "onefile", "default: one self-contained file", LIKELY)
    if isinstance(start, list) and len(start) >= 2 and start[0] == "python" and start[1].endswith(".py"):
        det.add("pyinstaller_entry", start[1], f"the start script {start[1]}", LIKELY)
        det.add("pyinstaller_name", PurePosixPath(start[1]).stem, f"named after {start[1]}", LIKELY)
    elif isinstance(start, list) and start[:2] == ["python", "-m"] and len(start) > 2:
        main = f"{start[2].replace('.', '/')}/__main__.py"
        main = main if repo.exists(main) else f"src/{main}"
        det.add("pyinstaller_entry", main, f"the package {start[2]}", LIKELY)
        det.add("pyinstaller_name", start[2].rsplit(".", 1)[-1], f"named after {start[2]}", LIKELY)
    else:
        det.ask("pyinstaller_entry", "PyInstaller needs the script to freeze")


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
