"""Python version: pins from version files, ranges from requires-python, each with its source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from scaffolder import _policy
from scaffolder._repo import Repo, View
from scaffolder.errors import InputError, excerpt
from scaffolder.providers import LIKELY, Detection, Fact

# Minors with a python:X.Y-slim image on a current Debian release, oldest first (templates/policy.yml).
SUPPORTED_VERSIONS = tuple(str(v) for v in _policy.policy()["python"]["supported"])
DEFAULT_VERSION = str(_policy.policy()["python"]["default"])
# Why the default is one release behind the newest image (templates/policy.yml keeps it so):
# said in the summary wherever the default is taken.
DEFAULT_REASON = "the newest release the ecosystem has caught up with: compiled dependencies ship wheels for it, CI covers it"

# Major and minor of at most nine ASCII digits, as providers.number reads (int() refuses 5000 digits).
_MINOR = re.compile(r"^(?:python-|cpython-|python)?([0-9]{1,9})\.([0-9]{1,9})(?:\.[0-9]+)?(?:[a-z]+[0-9]*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Pin:
    minor: str
    source: str


def _minor(text: str, rel: str, line: int | None) -> str:
    match = _MINOR.match(text.strip())
    if not match:
        raise InputError(rel, f"not a Python version: '{excerpt(text.strip())}'", line=line, hint="expected e.g. 3.13")
    return f"{match.group(1)}.{match.group(2)}"


def _first_line(repo: Repo, rel: str) -> tuple[str, int] | None:
    for number, line in enumerate(repo.read_text(rel).splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            return line, number
    return None


def poetry_to_pep440(constraint: str) -> str:
    """Poetry's ^ and ~ constraints as PEP 440 specifiers; `||` alternatives joined by ' || '."""
    out = []
    for alternative in constraint.split("||"):
        parts = []
        for part in re.split(r"[,\s]+(?=[<>=!~^*\d])", alternative.strip()):
            part = part.strip().rstrip(",")
            if not part or part == "*":
                continue
            if part.startswith("^"):
                v = Version(part[1:])
                upper = f"{v.major + 1}.0" if v.major else f"0.{v.minor + 1}"
                parts += [f">={part[1:]}", f"<{upper}"]
            elif part.startswith("~") and not part.startswith("~="):
                v = Version(part[1:])
                upper = f"{v.major}.{v.minor + 1}" if len(v.release) > 1 else f"{v.major + 1}.0"
                parts += [f">={part[1:]}", f"<{upper}"]
            elif part[0].isdigit():
                parts.append(f"=={part}")
            else:
                parts.append(part)
        out.append(",".join(parts))
    return " || ".join(out)


def satisfies(minor: str, spec: str) -> bool:
    """Does some patch release of ``minor`` satisfy ``spec`` (alternatives separated by ' || ')?"""
    for alternative in spec.split("||"):
        specifiers = SpecifierSet(alternative.strip())
        if any(specifiers.contains(Version(f"{minor}.{patch}"), prereleases=True) for patch in range(0, 40)):
            return True
    return False


def pins(repo: Repo, pipfile: View | None, pipfile_lock: View | None) -> list[Pin]:
    found: list[Pin] = []
    if repo.exists(".python-version"):
        first = _first_line(repo, ".python-version")
        if first is None:
            raise InputError(".python-version", "empty file", line=1, hint="write a version such as 3.13")
        found.append(Pin(_minor(first[0], ".python-version", first[1]), ".python-version"))
    if repo.exists("runtime.txt"):
        first = _first_line(repo, "runtime.txt")
        if first is None:
            raise InputError("runtime.txt", "empty file", line=1, hint="write e.g. python-3.13")
        found.append(Pin(_minor(first[0], "runtime.txt", first[1]), "runtime.txt"))
    for manifest, requires, label in ((pipfile_lock, "_meta", "Pipfile.lock _meta.requires."), (pipfile, "", "Pipfile [requires] ")):
        if manifest is None:
            continue
        table = (manifest.table(requires) if requires else manifest).table("requires")
        for key in ("python_full_version", "python_version"):
            value = table.get(key)
            if value:
                if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                    raise table.error(key, "a version string")
                found.append(Pin(_minor(str(value), manifest.rel, table.line_of(key)), f"{label}{key}"))
                break
    if repo.exists(".tool-versions"):
        for number, line in enumerate(repo.read_text(".tool-versions").splitlines(), 1):
            words = line.split("#", 1)[0].split()
            if words and words[0] == "python":
                if len(words) < 2:
                    raise InputError(".tool-versions", "python has no version", line=number, hint="e.g. `python 3.13.1`")
                found.append(Pin(_minor(words[1], ".tool-versions", number), ".tool-versions python"))
    return found


def ranges(pyproject: View | None, uv_lock: View | None) -> list[tuple[str, str]]:
    """(PEP 440 specifier, source) for each declared supported range."""
    found: list[tuple[str, str]] = []
    if pyproject is not None:
        project = pyproject.table("project")
        value = project.string("requires-python")
        if value:
            found.append((_check(value, project, "requires-python"), "pyproject.toml [project] requires-python"))
        poetry_deps = pyproject.table("tool").table("poetry").table("dependencies")
        poetry_python = poetry_deps.string("python")
        if poetry_python and not value:
            try:
                spec = poetry_to_pep440(poetry_python)
            except Exception as err:  # packaging raises several types for bad versions
                raise InputError("pyproject.toml", f"[tool.poetry.dependencies] python: bad constraint {poetry_python!r}",
                                 line=poetry_deps.line_of("python")) from err
            found.append((_check(spec, poetry_deps, "python"), "pyproject.toml [tool.poetry.dependencies] python"))
    if uv_lock is not None and uv_lock.string("requires-python") and not found:
        found.append((_check(uv_lock.string("requires-python"), uv_lock, "requires-python"), "uv.lock requires-python"))
    return found


def _check(spec: str, table: View, key: str) -> str:
    for alternative in spec.split("||"):
        try:
            # packaging reads a specifier's version only when it is used: int() refuses 5000 digits.
            SpecifierSet(alternative.strip()).contains(DEFAULT_VERSION, prereleases=True)
        except (InvalidSpecifier, ValueError) as err:
            raise InputError(table.rel, f"requires-python: not a version specifier: '{excerpt(spec)}'",
                             line=table.line_of(key), hint="expected e.g. \">=3.11\"") from err
    return spec


def resolve(det: Detection, found_pins: list[Pin], found_ranges: list[tuple[str, str]], classifiers: list[str] = ()) -> None:
    """Settle python_version: agreeing pins win; conflicts and pins outside requires-python are
    a question; a pin without an image takes the nearest supported release; a range takes the
    newest release the project's classifiers name, else range_default()."""
    minors = {p.minor for p in found_pins}
    candidates = [Fact("python_version", p.minor, p.source) for p in found_pins]
    if len(minors) > 1:
        det.choose("python_version", candidates, "the version files pin different Python versions")
        return
    if minors:
        minor = minors.pop()
        if minor not in SUPPORTED_VERSIONS:
            # An end-of-life pin (runtime.txt saying 3.6) has no image: the nearest supported
            # release is what the user would pick; the note says so, the answer can change it.
            nearest = nearest_supported(minor)
            det.add("python_version", nearest, f"{found_pins[0].source} pins {minor}, which has no supported image; "
                    f"{nearest} is the nearest supported", LIKELY)
            det.notes.append(f"{found_pins[0].source} pins Python {minor}; building with {nearest}, the nearest "
                             f"supported ({', '.join(SUPPORTED_VERSIONS)}): check that the code runs on it "
                             f"or answer --data python_version=X.Y")
            return
        outside = [(spec, src) for spec, src in found_ranges if not satisfies(minor, spec)]
        if outside:
            best = _best(outside[0][0])
            extra = [Fact("python_version", best, f"highest supported for {outside[0][1]} {outside[0][0]}", LIKELY)] if best else []
            det.ask("python_version", f"{minor} ({found_pins[0].source}) is outside {outside[0][1]} {outside[0][0]}",
                    candidates[:1] + extra)
            return
        det.add("python_version", minor, " and ".join(p.source for p in found_pins))
        return
    for spec, src in found_ranges:
        allowed = [m for m in SUPPORTED_VERSIONS if satisfies(m, spec)]
        if not allowed:
            det.ask("python_version", f"{src} {spec} allows no supported version ({', '.join(SUPPORTED_VERSIONS)})")
            return
        tested = [m for m in classifiers if m in allowed]
        if tested:
            det.add("python_version", tested[-1], f"{src} {spec}; the newest release its classifiers name", LIKELY)
            return
        chosen = range_default(allowed)
        newer = [m for m in allowed if _minor_key(m) > _minor_key(chosen)]
        why = (f"scaffold's default, {DEFAULT_REASON}" if chosen == DEFAULT_VERSION
               else "the supported release nearest scaffold's default")
        if newer and chosen == DEFAULT_VERSION:
            why += f"; {', '.join(newer)} also allowed: answer --data python_version=X.Y for it"
        det.add("python_version", chosen, f"{src} {spec} ({why})", LIKELY)
        return
    det.add("python_version", DEFAULT_VERSION, f"no version pin or requires-python; scaffold's default, {DEFAULT_REASON}",
            LIKELY)


def range_default(allowed: list[str]) -> str:
    """The release a range such as ``>=3.9`` gets: scaffold's default when allowed, else the
    allowed release nearest below it, else the oldest allowed above it.

    Not the newest release the range allows: an open upper bound says "newer may work", not
    "use last month's release". A new CPython minor takes months before compiled dependencies
    publish wheels for it (builds then fall back to sdists and need compilers) and before the
    project's own CI covers it; the default (templates/policy.yml) is the release the ecosystem
    has caught up with. A project that tests a newer one says so in its classifiers, which win."""
    key = _minor_key
    below = [m for m in allowed if key(m) <= key(DEFAULT_VERSION)]
    return below[-1] if below else allowed[0]


def nearest_supported(minor: str) -> str:
    """The supported release closest to ``minor`` (the oldest for older pins, the newest for newer)."""
    return min(SUPPORTED_VERSIONS, key=lambda m: (abs(_minor_key(m) - _minor_key(minor)), -_minor_key(m)))


def _minor_key(minor: str) -> int:
    major, _, rest = minor.partition(".")
    return int(major) * 1000 + int(rest or 0)


_CLASSIFIER = re.compile(r"^Programming Language :: Python :: (3\.[0-9]{1,9})$")


def classifier_versions(values: object) -> list[str]:
    """Python minors named by trove classifiers (the releases a project says it supports), oldest first."""
    found = {m.group(1) for v in values if isinstance(v, str) and (m := _CLASSIFIER.match(v.strip()))} if isinstance(values, list) else set()
    return sorted(found, key=_minor_key)


def _best(spec: str) -> str | None:
    for minor in reversed(SUPPORTED_VERSIONS):
        if satisfies(minor, spec):
            return minor
    return None
