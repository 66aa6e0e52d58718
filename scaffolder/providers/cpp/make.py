"""Plain Make: the programs the default goal builds, read from the Makefile's rules.

The default goal is ``.DEFAULT_GOAL`` or the first ordinary rule. A phony goal (``all``) stands for
its prerequisites, followed through other phony targets; the files at the end that look like
programs (no object, library, header or source suffix) are the candidates. Phony, test and clean
targets are never candidates. Recipes that run Make in a subdirectory (``$(MAKE) -C src``,
``cd src && $(MAKE)``, a ``for`` loop over ``$(SUBDIRS)``) are followed into that directory's
Makefile, whose programs are named by their path from the root (``src/prog``). Branches of
``ifeq``/``ifdef`` for another platform (Windows, macOS, the BSDs) are not read.

Libraries are what the build links: ``-lNAME`` words and ``pkg-config --libs`` calls in the recipe
lines that run the compiler or linker (variables expanded) and, for programs linked by Make's
built-in rule, in ``LDLIBS``/``LDFLAGS``. Comments, other tools' flags (``go build -ldflags``) and
the project's own libraries (a rule builds ``libNAME.a``) are not system libraries.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.providers.cpp._model import BuildInfo, Dependency, Target, dir_skip_reason, skip_reason

_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_.][A-Za-z0-9_.-]*)\s*(::=|:::=|:=|\+=|\?=|!=|=)\s*(.*)$")
_RULE = re.compile(r"^([^:=#\t][^:=#]*?)\s*(::?)(?!=)\s*(.*)$")
_TARGET_VAR = re.compile(r"^\s*(?:export\s+|override\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*(?::=|\+=|\?=|!=|=)")
_REF = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]")
_CONDITIONALS = ("ifeq", "ifneq", "ifdef", "ifndef")
_DIRECTIVES = ("include", "-include", "sinclude", "vpath", "export", "unexport", "undefine", "override", "$(")
NOT_PROGRAMS = {
    "all", "default", "clean", "distclean", "mostlyclean", "maintainer-clean", "realclean", "install", "uninstall",
    "install-strip", "test", "tests", "check", "installcheck", "dist", "distcheck", "help", "format", "lint", "tidy",
    "docs", "doc", "html", "run", "debug", "release", "deps", "depend", "tags", "ctags", "etags", "coverage",
}
_FILE_SUFFIXES = {
    ".o", ".obj", ".a", ".so", ".lo", ".la", ".d", ".h", ".hh", ".hpp", ".hxx", ".c", ".cc", ".cpp", ".cxx", ".c++",
    ".in", ".txt", ".md", ".1", ".gz", ".xz", ".tar", ".zip", ".pc", ".json", ".py", ".sh", ".dll", ".dylib", ".map",
}
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
_SHARED_LINK = re.compile(r"(?:^|\s)-shared(?:\s|$)")
# Words in a conditional that mean "another platform than Linux": the branch is not read.
_OTHER_PLATFORM = re.compile(
    r"windows|win32|win64|_win|mingw|msys|cygwin|darwin|macos|osx|apple|freebsd|openbsd|netbsd|dragonfly|haiku|emscripten|android"
    r"|sunos|solaris|illumos|hp-?ux|(?<![A-Za-z])aix(?![A-Za-z])",
    re.IGNORECASE,
)
_LINUX = re.compile(r"(?<![A-Za-z])linux(?![A-Za-z])", re.IGNORECASE)
# A shell test in a recipe or a variable's command substitution, `[ `uname` = SunOS ] && echo -lsocket`
# or `if test ...; then ...; else ...; fi`: the branch a platform comparison picks for another
# platform is not read.
_SHELL_TEST = r"(?:\[\[?|\btest)\s+(?P<cond>[^;&|\]]*?)\s*\]?\]?"
_SHELL_PLATFORM_BRANCH = re.compile(
    _SHELL_TEST + r"\s*&&\s*(?P<then>[^&|;`)]*?)(?:\s*\|\|\s*(?P<else>[^&|;`)]*?))?(?=\s*(?:$|[;`)&|]))"
    r"|\bif\s+" + _SHELL_TEST.replace("cond", "ifcond") + r"\s*;\s*then\s+(?P<ifthen>.*?)(?:;\s*else\s+(?P<ifelse>.*?))?;?\s*fi\b"
)
_COMPARISON = re.compile(r"\s(!?=|==)\s")
_MAX_MAKEFILES = 32  # sub-makes followed; a deeper tree is read no further


@dataclass
class Makefile:
    path: str
    variables: dict[str, str] = field(default_factory=dict)
    rules: dict[str, tuple[list[str], int]] = field(default_factory=dict)  # target -> (prerequisites, line)
    order: list[str] = field(default_factory=list)  # targets in the order their rules appear
    phony: set[str] = field(default_factory=set)
    recipes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # target -> (line, recipe line)
    default_goal: str = ""

    @property
    def directory(self) -> str:
        parent = PurePosixPath(self.path).parent.as_posix()
        return "" if parent == "." else parent


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


def expand(value: str, variables: dict[str, str], depth: int = 0, undefined: str | None = None) -> str:
    """``value`` with variable references replaced; an undefined one stays as written, or becomes
    ``undefined`` when given (Make expands it to nothing)."""
    if depth > 8 or "$" not in value:
        return value
    new = _REF.sub(lambda m: variables.get(m.group(1), m.group(0) if undefined is None else undefined), value)
    return expand(new, variables, depth + 1, undefined)


def _platform_branches(directive: str, condition: str) -> tuple[bool, bool]:
    """Whether the then-branch and the else-branch of a conditional are for another platform."""
    if directive in ("ifeq", "ifneq"):
        positive = directive == "ifeq"
        if _OTHER_PLATFORM.search(condition):
            return positive, not positive
        if _LINUX.search(condition):
            return not positive, positive
        return False, False
    if _OTHER_PLATFORM.search(condition):  # ifdef WINDOWS, ifndef __APPLE__
        return directive == "ifdef", directive == "ifndef"
    return False, False


def _this_platform(text: str) -> str:
    """``text`` with the shell branches that run only on another platform than Linux left out."""

    def keep(m: re.Match) -> str:
        cond = m.group("cond") if m.group("cond") is not None else m.group("ifcond")
        then, other = (m.group("then"), m.group("else")) if m.group("cond") is not None else (m.group("ifthen"), m.group("ifelse"))
        comparison = _COMPARISON.search(cond)
        if not comparison:
            return m.group(0)
        equal = comparison.group(1) != "!="
        if _OTHER_PLATFORM.search(cond):
            ours = other if equal else then
        elif _LINUX.search(cond):
            ours = then if equal else other
        else:
            return m.group(0)
        return ours or ""

    return _SHELL_PLATFORM_BRANCH.sub(keep, text)


def _recipe_code(line: str) -> str:
    """A recipe line without its shell comment (a # at the start of a word)."""
    return re.split(r"(?:^|(?<=\s))#", line.lstrip("\t@-+ "), maxsplit=1)[0]


def parse(text: str, path: str) -> Makefile:
    mk = Makefile(path)
    in_define = False
    current: list[str] = []  # targets of the rule whose recipe may follow
    # One entry per open conditional: [then-branch for another platform, else-branch for another, in else].
    branches: list[list[bool]] = []

    def other_platform() -> bool:
        return any(b[1] if b[2] else b[0] for b in branches)

    for number, line in _logical_lines(text):
        if in_define:
            in_define = not line.strip().startswith("endef")
            continue
        if line.startswith("\t"):
            if not other_platform():
                code = _recipe_code(line)
                for target in current:
                    mk.recipes.setdefault(target, []).append((number, code))
            continue
        stripped = line.split("#", 1)[0].strip()
        word, _, rest_of_line = stripped.partition(" ")
        if word not in (*_CONDITIONALS, "else", "endif"):
            current = []  # a conditional may sit inside a recipe; anything else ends it
        if not stripped:
            continue
        if stripped.startswith("define "):
            in_define = True
            continue
        if word in _CONDITIONALS:
            branches.append([*_platform_branches(word, expand(rest_of_line, mk.variables)), False])
            continue
        if word == "else" and branches:
            branches[-1][2] = True
            nested = rest_of_line.strip().partition(" ")
            if nested[0] in _CONDITIONALS:  # else ifeq (...): the rest of the chain, read as one more branch
                then_other, else_other = _platform_branches(nested[0], expand(nested[2], mk.variables))
                outer_else = branches[-1][1]
                branches[-1] = [outer_else or then_other, outer_else or else_other, False]
            continue
        if word == "endif":
            if branches:
                branches.pop()
            continue
        if other_platform():
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
        if word in _DIRECTIVES:
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
        # An undefined variable in a rule is empty: redis-server$(PROG_SUFFIX) is redis-server.
        prereqs = [p for p in expand(rest, mk.variables, undefined="").replace("|", " ").split()]
        current = expand(targets_text, mk.variables, undefined="").split()
        if inline.strip():
            for target in current:
                mk.recipes.setdefault(target, []).append((number, _recipe_code(inline)))
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
    shared_library = ".so." in PurePosixPath(target).name  # libz.so.1: a versioned shared library
    return bool(target) and "$" not in target and "%" not in target and plain and not shared_library and not target.endswith("/")


def goal(mk: Makefile) -> str:
    if mk.default_goal:
        return mk.default_goal
    return next((t for t in mk.order if _ordinary(t)), "")


# --- sub-makes -----------------------------------------------------------------------------------

_MAKE_CALL = re.compile(r"(?:\$\(MAKE\)|\$\{MAKE\}|(?<![\w/.-])make(?![\w.-]))")
_CD = re.compile(r"(?:^|[;&|(]\s*)cd\s+(\S+)\s*(?:&&|;)")
_FOR = re.compile(r"\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([^;]*);")
_ESCAPED_DOLLAR = "\0"


def sub_makes(mk: Makefile, line: str) -> list[tuple[str, list[str]]]:
    """(directory, goals) of every Make run in another directory by one recipe line."""
    text = expand(line.replace("$$", _ESCAPED_DOLLAR), mk.variables)
    loops = {m.group(1): m.group(2).split() for m in _FOR.finditer(text)}
    found: list[tuple[str, list[str]]] = []
    for call in _MAKE_CALL.finditer(text):
        words = re.split(r"\s+", re.split(r"&&|\|\||[;|)]", text[call.end():], maxsplit=1)[0].strip())
        directory, goals = "", []
        cd = [m.group(1) for m in _CD.finditer(text[: call.start()])]
        if cd:
            directory = cd[-1]
        i = 0
        while i < len(words):
            w = words[i]
            if w == "-C" and i + 1 < len(words):
                directory, i = words[i + 1], i + 2
                continue
            if w.startswith("-C") and len(w) > 2:
                directory = w[2:]
            elif w.startswith("--directory="):
                directory = w.split("=", 1)[1]
            elif w in ("-f", "--file", "-I", "-o", "-W") and i + 1 < len(words):
                i += 1
            elif w and not w.startswith("-") and "=" not in w and "$" not in w:
                goals.append(w)
            i += 1
        directory = directory.strip("'\"")
        loop_var = re.fullmatch(_ESCAPED_DOLLAR + r"\{?([A-Za-z_][A-Za-z0-9_]*)\}?", directory)
        dirs = loops.get(loop_var.group(1), []) if loop_var else [directory] if directory else []
        for d in dirs:
            if "$" in d or _ESCAPED_DOLLAR in d:
                continue
            found.append((d, [g for g in goals if _ESCAPED_DOLLAR not in g]))
    return found


@dataclass
class _Walk:
    repo: Repo | None
    label: str
    makefiles: list[Makefile] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def _submakefile(repo: Repo | None, mk: Makefile, directory: str) -> str:
    base = PurePosixPath(mk.directory or ".") / directory
    if PurePosixPath(directory).is_absolute() or ".." in PurePosixPath(directory).parts or repo is None:
        return ""
    folder = base.as_posix().removeprefix("./")
    return next((f"{folder}/{name}" for name in MAKEFILES if repo.exists(f"{folder}/{name}")), "")


def _visit(walk: _Walk, mk: Makefile, name: str, depth: int, start: str, via: str = "") -> None:
    if (mk.path, name) in walk.seen or depth > 6:
        return
    walk.seen.add((mk.path, name))
    prereqs = mk.rules.get(name, ([], 0))[0]
    recipe = mk.recipes.get(name, [])
    if name not in mk.rules and ".DEFAULT" in mk.recipes:
        recipe = mk.recipes[".DEFAULT"]  # a target with no rule: `.DEFAULT: ; cd src && $(MAKE) $@`
    # $@ is the target: `$(SUBDIRS): ; $(MAKE) -C $@` runs make in each of them.
    subs = [
        (directory, goals, number)
        for number, line in recipe
        for directory, goals in sub_makes(mk, re.sub(r"\$(?:@|\(@\)|\{@\})", lambda _: name, line))
    ]
    # No recipe, and no object or source for make's built-in link rule: a name for other targets.
    alias = name in mk.rules and not recipe and prereqs and not any(PurePosixPath(p).suffix.lower() in _FILE_SUFFIXES for p in prereqs)
    # A recipe that only runs Make elsewhere names that Make's work, not a file of its own.
    forwards = bool(subs) and all(_MAKE_CALL.search(line) or not line.strip() for _, line in recipe)
    phony = name in mk.phony or alias or forwards or (name in NOT_PROGRAMS and name == start)
    for directory, goals, number in subs:
        _follow(walk, mk, directory, goals, depth + 1, f"run by {mk.path}:{number}")
    if phony:
        for prereq in prereqs:
            _visit(walk, mk, prereq, depth + 1, start, via)
        return
    if not _looks_like_program(name) or any(_SHARED_LINK.search(text) for _, text in recipe):
        return  # a file, or a shared library linked with -shared
    line = mk.rules.get(name, ([], 0))[1]
    where = f"{mk.path}:{line}" if line else mk.path
    how = ("default goal" if name == start else f"prerequisite of {start}") + (f", {via}" if via else "")
    base = PurePosixPath(name).name
    path = f"{mk.directory}/{name}" if mk.directory else name
    if any(t.name == path for t in walk.targets):
        return
    reason = (
        "a phony target" if name in mk.phony
        else "not a program" if base in NOT_PROGRAMS
        else dir_skip_reason(PurePosixPath(path).parent.as_posix().removeprefix(".")) or skip_reason(base)
    )
    walk.targets.append(Target(path, f"{where} ({walk.label or 'rule'}, {how})", skipped=reason))


def _follow(walk: _Walk, mk: Makefile, directory: str, goals: list[str], depth: int, via: str) -> None:
    rel = _submakefile(walk.repo, mk, directory)
    if not rel:
        if walk.repo is not None:
            walk.notes.append(f"{mk.path}: runs make in {directory}/, which has no Makefile in the repository")
        return
    sub = next((m for m in walk.makefiles if m.path == rel), None)
    if sub is None:
        if len(walk.makefiles) >= _MAX_MAKEFILES:
            return
        sub = parse(walk.repo.read_text(rel), rel)
        walk.makefiles.append(sub)
    for target in goals or [goal(sub)]:
        if target:
            _visit(walk, sub, target, depth, target, via)


def walk(mk: Makefile, repo: Repo | None = None, label: str = "") -> _Walk:
    """Follow the default goal through phony targets and sub-makes."""
    state = _Walk(repo, label, [mk])
    start = goal(mk)
    if start:
        _visit(state, mk, start, 0, start)
    return state


def targets(mk: Makefile, label: str = "", repo: Repo | None = None) -> list[Target]:
    """Program candidates of the default goal, with the skipped ones marked."""
    return walk(mk, repo, label).targets


# --- libraries -----------------------------------------------------------------------------------

_LINK_FLAG = re.compile(r"-l([A-Za-z0-9_][A-Za-z0-9_+.-]*)")
_PKG_CONFIG = re.compile(r"pkg-config\s+((?:--[a-z-]+\s+)*)([A-Za-z0-9_+.\s-]+?)\s*[)`\n]")
# Commands that compile or link C and C++; other tools' flags (go build -ldflags) are not links.
_COMPILER = re.compile(
    r"\$[({](?:CC|CXX|LD|LINK\.[a-z]+|LINK|CCLD|CXXLD)[)}]|(?:^|[\s;&|(/])(?:cc|gcc|g\+\+|c\+\+|clang|clang\+\+|ld|gcc-\d+|g\+\+-\d+)(?=\s)"
)
_BUILTIN_LINK_VARS = ("LDFLAGS", "LOADLIBES", "LDLIBS")
_OWN_LIBRARY = re.compile(r"(?:^|/)lib([A-Za-z0-9_+-][A-Za-z0-9_+.-]*?)\.(?:a|so(?:\.[0-9.]+)?|la)$")


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # an unbalanced quote: plain words are close enough
        return text.split()


def libraries(makefiles: list[Makefile]) -> list[Dependency]:
    """System libraries the Makefiles link, with the line that links each."""
    own = {m.group(1) for mk in makefiles for t in mk.rules if (m := _OWN_LIBRARY.search(t))}
    found: dict[str, Dependency] = {}
    for mk in makefiles:
        lines = [(n, line) for recipe in mk.recipes.values() for n, line in recipe]
        builtin_link = any(
            name not in mk.recipes and _looks_like_program(name) and any(PurePosixPath(p).suffix in (".o", ".c", ".cpp", ".cc") for p in prereqs)
            for name, (prereqs, _) in mk.rules.items()
        )
        if builtin_link:
            lines.append((0, "$(CC) " + " ".join(f"$({v})" for v in _BUILTIN_LINK_VARS)))
        for number, line in sorted(lines, key=lambda x: x[0]):
            if not _COMPILER.search(line):
                continue
            expanded = _this_platform(expand(line, mk.variables))
            where = f"{mk.path}:{number}" if number else f"{mk.path} (built-in link rule)"
            for word in _words(expanded):
                match = _LINK_FLAG.fullmatch(word.strip("`()"))  # also at the end of `echo -lz`
                if match and match.group(1) not in own:
                    name = match.group(1)
                    found.setdefault(f"lib:{name}", Dependency(name, "lib", f"{where} (-l{name})"))
            for match in _PKG_CONFIG.finditer(expanded + "\n"):
                for module in match.group(2).split():
                    if not module.startswith("-"):
                        found.setdefault(f"pc:{module}", Dependency(module, "pkg-config", f"{where} (pkg-config)"))
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
    mk = parse(repo.read_text(rel), rel)
    state = walk(mk, repo)
    info.targets = state.targets
    info.dependencies = libraries(state.makefiles)
    info.notes.extend(state.notes)
    if len(state.makefiles) > 1:
        info.notes.append("sub-makes followed: " + ", ".join(m.path for m in state.makefiles[1:]))
    if not info.targets:
        info.notes.append(f"{rel}: the default goal {goal(mk) or '(none)'} names no program")
    return info
