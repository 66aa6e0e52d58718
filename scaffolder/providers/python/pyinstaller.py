"""PyInstaller: a .spec file, or pyinstaller among the dependencies, freezes the app into one binary."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.providers import CERTAIN, LIKELY, Detection, Fact
from scaffolder.providers.python import _deps

_SPEC_NAME = re.compile(r"\bname\s*=\s*['\"]([^'\"]+)['\"]")


def detect(repo: Repo, det: Detection, specs: list[str], manifests: list[str], scripts: dict[str, str] | None = None) -> bool:
    """Settle python_pyinstaller and, when it freezes, the entry, mode and name; True if it freezes."""
    if specs:
        _from_spec(repo, det, specs)
        return True
    scripts = scripts or {}
    where = [m for m in manifests + _deps.requirements_candidates(repo) + ["Makefile"]
             if repo.exists(m) and not m.endswith(".lock") and re.search(r"\bpyinstaller\b", repo.read_text(m), re.IGNORECASE)]
    if not where:
        det.add("python_pyinstaller", False, "no .spec file and no pyinstaller among the dependencies", LIKELY)
        return False
    det.add("python_pyinstaller", True, f"pyinstaller in {where[0]}", LIKELY)
    det.add("pyinstaller_mode", "onefile", "default: one self-contained file", LIKELY)
    start = next((f.value for f in det.facts if f.name == "start_command"), None)
    if isinstance(start, list) and len(start) >= 2 and start[0] == "python" and start[1].endswith(".py"):
        det.add("pyinstaller_entry", start[1], f"the start script {start[1]}", LIKELY)
        det.add("pyinstaller_name", PurePosixPath(start[1]).stem, f"named after {start[1]}", LIKELY)
    elif isinstance(start, list) and start[:2] == ["python", "-m"] and len(start) > 2:
        main = f"{start[2].replace('.', '/')}/__main__.py"
        main = main if repo.exists(main) else f"src/{main}"
        det.add("pyinstaller_entry", main, f"the package {start[2]}", LIKELY)
        det.add("pyinstaller_name", start[2].rsplit(".", 1)[-1], f"named after {start[2]}", LIKELY)
    elif isinstance(start, list) and len(start) == 1 and start[0] in scripts and _script_entry(repo, scripts[start[0]]):
        # A console script names a function, PyInstaller needs a script: the package's
        # __main__.py (what `python -m` runs), else the module itself when it has a __main__ block.
        entry = _script_entry(repo, scripts[start[0]])
        det.add("pyinstaller_entry", entry, f"console script {start[0]} = {scripts[start[0]]!r}: {entry} runs it", LIKELY)
        det.add("pyinstaller_name", start[0], f"named after the console script {start[0]}", LIKELY)
    else:
        det.ask("pyinstaller_entry", "PyInstaller needs the script to freeze")
    return True


def _script_entry(repo: Repo, ref: str) -> str | None:
    """The script that runs console-script entry point ``ref`` (module:function)."""
    module = ref.split(":", 1)[0]
    package = module.split(".", 1)[0]
    for root in ("", "src/"):
        main = f"{root}{package}/__main__.py"
        if repo.exists(main):
            return main
        for path in (f"{root}{module.replace('.', '/')}.py",):
            if repo.exists(path) and re.search(r"^if __name__ == ['\"]__main__['\"]", repo.read_text(path), re.M):
                return path
    return None


def _from_spec(repo: Repo, det: Detection, specs: list[str]) -> None:
    spec = specs[0]
    if len(specs) > 1:
        det.ask("pyinstaller_entry", "several PyInstaller .spec files: pick the one to build",
                [Fact("pyinstaller_entry", s, s, LIKELY) for s in specs])
    else:
        det.add("pyinstaller_entry", spec, f"{spec}")
    text = repo.read_text(spec)
    det.add("python_pyinstaller", True, f"{spec} (PyInstaller spec)")
    det.add("pyinstaller_mode", "onedir" if "COLLECT(" in text else "onefile",
            f"{spec}: {'COLLECT() makes a one-dir bundle' if 'COLLECT(' in text else 'no COLLECT(): one file'}")
    exe = text[text.find("EXE("):] if "EXE(" in text else text
    match = _SPEC_NAME.search(exe)
    det.add("pyinstaller_name", match.group(1) if match else PurePosixPath(spec).stem,
            f"{spec} EXE(name=...)" if match else f"{spec} file name", CERTAIN if match else LIKELY)
