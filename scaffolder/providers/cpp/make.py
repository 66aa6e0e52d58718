"""Plain Make: the programs the default goal builds, read from the Makefile's rules.

The default goal is ``.DEFAULT_GOAL`` or the first ordinary rule. A phony goal (``all``) stands for
its prerequisites, followed through other phony targets; the files at the end that look like
programs (no object, library, header or source suffix) are the candidates. Phony, test and clean
targets are never candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.providers.cpp._model import BuildInfo, Dependency, Target, line_of, skip_reason

_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_.][A-Za-z0-9_.-]*)\s*(::=|:::=|:=|\+=|\?=|!=|=)\s*(.*)$")
_RULE = re.compile(r"^([^:=#\t][^:=#]*?)\s*(::?)(?!=)\s*(.*)$")
_TARGET_VAR = re.compile(r"^\s*(?:export\s+|override\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*(?::=|\+=|\?=|!=|=)")
_REF = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]")
_DIRECTIVES = ("ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include", "sinclude", "vpath", "export", "unexport", "undefine", "override", "$(")
NOT_PROGRAMS = {
    "all", "default", "clean", "distclean", "mostlyclean", "maintainer-clean", "realclean", "install", "uninstall",
    "install-strip", "test", "tests", "check", "installcheck", "dist", "distcheck", "help", "format", "lint", "tidy",
    "docs", "doc", "html", "run", "debug", "release", "deps", "depend", "tags", "ctags", "etags", "coverage",
}
_FILE_SUFFIXES = {
    ".o", ".obj", ".a", ".so", ".lo", ".la", ".d", ".h", ".hh", ".hpp", ".hxx", ".c", ".cc", ".cpp", ".cxx", ".c++",
    ".in", ".txt", ".md", ".1", ".gz", ".xz", ".tar", ".zip", ".pc", ".json", ".py", ".sh", ".dll", ".dylib", ".map",
}


@dataclass
class Makefile:
    path: str
    variables: dict[str, str] = field(default_factory=dict)
    rules: dict[str, tuple[list[str], int]] = field(default_factory=dict)  # target -> (prerequisites, line)
    order: list[str] = field(default_factory=list)  # targets in the order their rules appear
    phony: set[str] = field(default_factory=set)
    recipes: set[str] = field(default_factory=set)  # targets with recipe lines
    default_goal: str = ""


def _logical_lines(text: str):
    """(line number, text) with continuations joined; recipe lines (tab) keep their tab."""
    number, buf, start = 0, "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not buf:
            start = number
        if raw.endswith("\\"):
            buf += raw[:-1] + " "
            continue
        yield start, buf + raw
        buf = ""
    if buf:
        yield start, buf


def expand(value: str, variables: dict[str, str], depth: int = 0) -> str:
    if depth > 8 or "$" not in value:
        return value
    return expand(_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), value), variables, depth + 1)


def parse(text: str, path: str) -> Makefile:
    mk = Makefile(path)
    in_define = False
    current: list[str] = []  # targets of the rule whose recipe may follow
    for number, line in _logical_lines(text):
        if in_define:
            in_define = not line.strip().startswith("endef")
            continue
        if line.startswith("\t"):
            mk.recipes.update(current)
            continue
        current = []
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        if stripped.startswith("define "):
            in_define = True
            continue
        assign = _ASSIGN.match(stripped)
        if assign:
            name, op, value = assign.groups()
            if name == ".DEFAULT_GOAL":
                mk.default_goal = expand(value.strip(), mk.variables)
            elif op == "+=":
                mk.variables[name] = (mk.variables.get(name, "") + " " + value).strip()
            elif op != "?=" or name not in mk.variables:
                mk.variables[name] = value.strip()
            continue
        if stripped.split(None, 1)[0] in _DIRECTIVES:
            continue
        rule = _RULE.match(stripped)
        if not rule:
            continue
        targets_text, _, rest = rule.groups()
        if _TARGET_VAR.match(rest):
            continue  # target-specific variable: app: CFLAGS += -O2
        rest, inline, _ = rest.partition(";")
        if ":" in rest and "%" in rest:
            continue  # static pattern rule: objs: %.o: %.c
        prereqs = [p for p in expand(rest, mk.variables).replace("|", " ").split()]
        current = expand(targets_text, mk.variables).split()
        if inline:
            mk.recipes.update(current)
        for target in current:
            if target == ".PHONY":
                mk.phony.update(prereqs)
                continue
            if target not in mk.rules:
                mk.order.append(target)
                mk.rules[target] = (prereqs, number)
            else:
                mk.rules[target] = (mk.rules[target][0] + prereqs, mk.rules[target][1])
    return mk


def _ordinary(target: str) -> bool:
    return not (target.startswith(".") and "/" not in target) and "%" not in target and "$" not in target


def _looks_like_program(target: str) -> bool:
    # Programs rarely have a suffix; files (docs.html, lib.a, config.h) do.
    suffix = PurePosixPath(target).suffix.lower()
    plain = suffix in ("", ".out", ".bin", ".exe", ".elf") or suffix[1:].isdigit()
    return bool(target) and "$" not in target and "%" not in target and plain and not target.endswith("/")


def goal(mk: Makefile) -> str:
    if mk.default_goal:
        return mk.default_goal
    return next((t for t in mk.order if _ordinary(t)), "")


def targets(mk: Makefile, label: str = "") -> list[Target]:
    """Program candidates of the default goal, with the skipped ones marked."""
    found: list[Target] = []
    start = goal(mk)
    if not start:
        return found
    seen: set[str] = set()

    def visit(name: str, depth: int) -> None:
        if name in seen or depth > 6:
            return
        seen.add(name)
        prereqs = mk.rules.get(name, ([], 0))[0]
        # No recipe, and no object or source for make's built-in link rule: a name for other targets.
        alias = name in mk.rules and name not in mk.recipes and prereqs and not any(
            PurePosixPath(p).suffix.lower() in _FILE_SUFFIXES for p in prereqs
        )
        phony = name in mk.phony or alias or (name in NOT_PROGRAMS and depth == 0)
        if phony:
            for prereq in mk.rules.get(name, ([], 0))[0]:
                visit(prereq, depth + 1)
            return
        if not _looks_like_program(name):
            return
        line = mk.rules.get(name, ([], 0))[1]
        where = f"{mk.path}:{line}" if line else mk.path
        how = "default goal" if depth == 0 else f"prerequisite of {start}"
        base = PurePosixPath(name).name
        reason = "a phony target" if name in mk.phony else ("not a program" if base in NOT_PROGRAMS else skip_reason(base))
        found.append(Target(name, f"{where} ({label or 'rule'}, {how})", skipped=reason))

    visit(start, 0)
    return found


_LINK_FLAG = re.compile(r"(?<![\w-])-l([A-Za-z0-9_][A-Za-z0-9_+.-]*)")
_PKG_CONFIG = re.compile(r"pkg-config\s+((?:--[a-z-]+\s+)*)([A-Za-z0-9_+.\s-]+?)\s*[)`\n]")


def libraries(text: str, path: str) -> list[Dependency]:
    """Libraries a Makefile links: ``-lNAME`` flags and ``pkg-config --libs NAME`` calls."""
    found: dict[str, Dependency] = {}
    for match in _LINK_FLAG.finditer(text):
        name = match.group(1)
        found.setdefault(f"lib:{name}", Dependency(name, "lib", f"{path}:{line_of(text, match.start())} (-l{name})"))
    for match in _PKG_CONFIG.finditer(text):
        for module in match.group(2).split():
            if not module.startswith("-"):
                found.setdefault(f"pc:{module}", Dependency(module, "pkg-config", f"{path}:{line_of(text, match.start())} (pkg-config)"))
    return list(found.values())


# What compiles or links C/C++ in a recipe, and the tools of other languages a task runner calls.
_COMPILES = re.compile(
    r"\$[({](?:CC|CXX|CPP|LD|AR|LINK\.\w+|COMPILE\.\w+)[)}]|(?<![\w./$-])(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|ld|ar)(?:-\d+)?(?=\s)"
    r"|\$[({]MAKE[)}]|(?<![\w./-])make\s|\.(?:o|c|cc|cpp|cxx|a|so)\b"
)
_OTHER_TOOL = re.compile(
    r"(?<![\w./-])(?:go\s+(?:build|install|run|test|generate|vet)|python3?\s|pip3?\s|poetry\s|uv\s|pdm\s|pipenv\s"
    r"|tox\b|pytest\b|npm\s|yarn\s|cargo\s)"
)


def drives_other_tools(repo: Repo, rel: str) -> str:
    """``'Makefile:12 runs `go build`'`` when the Makefile's recipes run another language's
    build or test tool and none compiles, links or recurses into C/C++ ('' otherwise)."""
    text = repo.read_text(rel)
    mk = parse(text, rel)
    first = ""
    for number, line in _logical_lines(text):
        if not line.startswith("\t"):
            prereqs = line.split("#", 1)[0].partition(":")[2] if _RULE.match(line.split("#", 1)[0].strip()) else ""
            if _COMPILES.search(expand(prereqs, mk.variables)):
                return ""
            continue
        recipe = expand(line, mk.variables)
        if _COMPILES.search(recipe):
            return ""
        tool = _OTHER_TOOL.search(recipe)
        if tool and not first:
            first = f"{rel}:{number} runs `{tool.group(0).strip()}`"
    return first


def read(repo: Repo, rel: str) -> BuildInfo:
    info = BuildInfo("make", rel)
    text = repo.read_text(rel)
    mk = parse(text, rel)
    info.targets = targets(mk)
    info.dependencies = libraries(text, rel)
    if not info.targets:
        info.notes.append(f"{rel}: the default goal {goal(mk) or '(none)'} names no program")
    return info
