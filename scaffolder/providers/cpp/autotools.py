"""Autotools: ``configure.ac`` with ``Makefile.am`` programs, or a ``configure`` script with a
``Makefile.in``; libraries from ``PKG_CHECK_MODULES`` and ``AC_CHECK_LIB``/``AC_SEARCH_LIBS``, tools
from the macros that look for them (``AC_PROG_YACC``: the Debian table names them)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from scaffolder._repo import Repo
from scaffolder.providers.cpp import make
from scaffolder.providers.cpp.libraries import autoconf_macros, lookup
from scaffolder.providers.cpp._model import BuildInfo, Dependency, Target, dir_skip_reason, line_of, skip_reason

_PROGRAMS = re.compile(r"^[ \t]*(bin|sbin|libexec|noinst|check|EXTRA)_PROGRAMS[ \t]*\+?=((?:[^\n\\]|\\\n|\\.)*)", re.MULTILINE)
_ARG = r"\s*\[?\s*([^\],)]*?)\s*\]?\s*"
_PKG_CHECK = re.compile(r"PKG_CHECK_MODULES\(" + _ARG + "," + _ARG + r"[,)]")
_CHECK_LIB = re.compile(r"AC_CHECK_LIB\(" + _ARG + r"[,)]")
_SEARCH_LIBS = re.compile(r"AC_SEARCH_LIBS\(" + _ARG + "," + _ARG + r"[,)]")
_CONFIG_FILES = re.compile(r"AC_CONFIG_FILES\(\s*\[?([^\])]*)")
_LIBTOOL = re.compile(r"\b(LT_INIT|AC_PROG_LIBTOOL|AM_PROG_LIBTOOL)\b")
_AC_INIT = re.compile(r"\bAC_INIT\(\s*\[?\s*([A-Za-z0-9_.+-]+)\s*\]?\s*[,)]")
_ASSIGN = re.compile(r"""(?m)^[ \t]*([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"`\n]*)"|'([^'\n]*)'|([^\s"'`;]*))[ \t]*$""")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
# A shell loop over candidate pkg-config modules: `for name in $list; do ... $PKG_CONFIG ... $name`.
_PKG_LOOP = re.compile(r"(?m)^[ \t]*for[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+in[ \t]+([^;\n]*?)[ \t]*(?:;[ \t]*|\n[ \t]*)do\b(.*?)^[ \t]*done\b", re.DOTALL)


def configure_ac(repo: Repo) -> str:
    return next((f for f in ("configure.ac", "configure.in") if repo.exists(f)), "")


def _strip_m4_comments(text: str) -> str:
    return re.sub(r"(?m)^[ \t]*(dnl\b|#).*$", "", text)


def _join_continuations(text: str) -> str:
    return re.sub(r"\\\n", " ", text)


def read(repo: Repo) -> BuildInfo:
    ac = configure_ac(repo)
    info = BuildInfo("autotools", ac or "configure")
    if ac:
        text = _strip_m4_comments(repo.read_text(ac))
        if re.search(r"\bAC_PROG_CXX\b", text):
            info.languages, info.language_source = {"cpp"}, f"{ac} (AC_PROG_CXX)"
        elif re.search(r"\bAC_PROG_CC\b", text):
            info.languages, info.language_source = {"c"}, f"{ac} (AC_PROG_CC)"
        conditional = _conditional_spans(text)
        init = _AC_INIT.search(text)
        if init:
            info.project = (init.group(1), f"{ac}:{line_of(text, init.start())} (AC_INIT)")
        variables = _shell_variables(text)
        for m in _PKG_CHECK.finditer(text):
            for module in re.split(r"\s+", _expand(m.group(2), variables)):
                name = re.split(r"[<>=]", module, maxsplit=1)[0]
                if name and not re.fullmatch(r"[\d.]+", name) and _literal(name):
                    info.dependencies.append(_dependency(name, "pkg-config", ac, text, m.start(), "PKG_CHECK_MODULES", conditional))
        for m in _CHECK_LIB.finditer(text):
            for lib in _expand(m.group(1), variables).split():
                if _literal(lib):
                    info.dependencies.append(_dependency(lib, "lib", ac, text, m.start(), "AC_CHECK_LIB", conditional))
        for m in _SEARCH_LIBS.finditer(text):
            for lib in _expand(m.group(2), variables).split():
                if _literal(lib):
                    info.dependencies.append(_dependency(lib, "lib", ac, text, m.start(), "AC_SEARCH_LIBS", conditional))
        info.dependencies.extend(_pkg_config_loops(ac, text, variables))
        for macro in autoconf_macros():
            if m := re.search(r"\b" + re.escape(macro) + r"\b", text):
                # A tool make runs (bison for the .y files), whatever configure does when it is missing.
                inside = any(start < m.start() < end for start, end in conditional)
                where = f"{ac}:{line_of(text, m.start())}{' (inside a conditional)' if inside else ''}"
                info.dependencies.append(Dependency(macro, "autoconf", where, required=not inside))
        libtool = _LIBTOOL.search(text)
        if libtool:
            # No answer: the build reads configure --help and the generated ./libtool itself.
            info.notes.append(
                f"{ac}:{line_of(text, libtool.start())} ({libtool.group(1)}): libtool builds the project's libraries; "
                "the build passes --disable-shared so they are linked into the program, a static link adds -all-static "
                "(libtool's spelling of a fully static program), and the program comes from make install-exec, not libtool's wrapper script"
            )
        info.targets = _am_programs(repo, text)
        if not info.targets:
            info.notes.append(f"{ac}: no bin_PROGRAMS in any Makefile.am")
    else:
        template = next((f for f in ("Makefile.in", "GNUmakefile", "Makefile", "makefile") if repo.exists(f)), "")
        if template:
            # Substitutions (@CXX@) are placeholders for configure to fill in; rules read as plain Make.
            text = repo.read_text(template)
            mk = make.parse(re.sub(r"@[A-Za-z_][A-Za-z0-9_]*@", "", text), template)
            state = make.walk(mk, repo)
            info.targets = state.targets
            info.dependencies = make.libraries(state.makefiles)
        else:
            info.notes.append("configure: no Makefile.in or Makefile to read the programs from")
    return info


def _shell_variables(text: str) -> dict[str, str]:
    """configure.ac's shell variables set to words (``libs="ncursesw ncurses $libs"``). Branches
    set them for different configurations, so a variable holds every word any assignment gives it;
    words with a command substitution or a variable not set before are left out."""
    variables: dict[str, str] = {}
    for m in _ASSIGN.finditer(text):
        value = _expand(next(v for v in m.group(2, 3, 4) if v is not None), variables)
        words = variables.get(m.group(1), "").split()
        words += [w for w in value.split() if "$" not in w and w not in words]
        variables[m.group(1)] = " ".join(words)
    return variables


def _expand(words: str, variables: dict[str, str]) -> str:
    """``words`` with the known shell variables replaced by their values (others left as written)."""
    return _VAR.sub(lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), words)


def _pkg_config_loops(ac: str, text: str, variables: dict[str, str]) -> list[Dependency]:
    """The pkg-config modules a shell loop tries one after another: alternatives, so each is optional,
    and only the ones the Debian table knows are kept when it knows any."""
    found: list[Dependency] = []
    for m in _PKG_LOOP.finditer(text):
        var, body = m.group(1), m.group(3)
        if not re.search(r"(\$PKG_CONFIG|\$\{PKG_CONFIG\}|\bpkg-config)\b[^\n]*\$\{?" + var + r"\b", body):
            continue
        where = f"{ac}:{line_of(text, m.start())} (pkg-config loop over {m.group(2).strip()})"
        names = [name for name in _expand(m.group(2), variables).split() if _literal(name)]
        known = [name for name in names if lookup(name, "pkg-config") is not None]
        found.extend(Dependency(name, "pkg-config", where, required=False) for name in (known or names))
    return found


def _literal(name: str) -> bool:
    """A name as written, not an m4 argument or shell variable ($2, ${prefix}lib)."""
    return bool(name) and not any(c in name for c in "$[]`")


# Shell and m4 conditionals of configure.ac: a check inside one runs only for some configurations
# (an --enable-x option, a host case), so what it finds is optional.
_OPENERS = re.compile(r"\b(AS_IF|AS_CASE|AC_ARG_ENABLE|AC_ARG_WITH|AM_CONDITIONAL)\s*\(|(?m:^\s*(?:if|case)\b)|(?m:^\s*(?:fi|esac)\b)")


def _conditional_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the conditional parts of ``text``."""
    spans: list[tuple[int, int]] = []
    shell: list[int] = []
    for m in _OPENERS.finditer(text):
        word = m.group(0).strip()
        if m.group(1):
            depth, i = 1, m.end()
            while i < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            spans.append((m.start(), i))
        elif word in ("if", "case") or word.startswith(("if", "case")):
            shell.append(m.start())
        elif shell:
            spans.append((shell.pop(), m.end()))
    return spans


def _macro_arguments(text: str, offset: int) -> list[str]:
    """The top-level arguments of the m4 macro call starting at ``offset`` (quotes and parentheses nest)."""
    i = text.index("(", offset) + 1
    args, depth, current = [], 0, i
    while i < len(text):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]" and depth:
            depth -= 1
        elif c == ")" or (c == "," and not depth):
            args.append(text[current:i].strip())
            if c == ")":
                break
            current = i + 1
        i += 1
    return args


def _fails_configure(how: str, text: str, offset: int) -> bool:
    """Whether configure stops when the check finds nothing: its action-if-not-found (4th argument)
    calls AC_MSG_ERROR, or it has none and the macro fails by default. PKG_CHECK_MODULES fails
    without one; AC_CHECK_LIB and AC_SEARCH_LIBS only add to LIBS when they find the library."""
    args = _macro_arguments(text, offset)
    not_found = args[3] if len(args) > 3 else ""
    if not not_found.strip("[] \t\n"):
        return how == "PKG_CHECK_MODULES"
    return "AC_MSG_ERROR" in not_found or "AC_MSG_FAILURE" in not_found


def _dependency(name: str, ecosystem: str, ac: str, text: str, offset: int, how: str, conditional: list[tuple[int, int]]) -> Dependency:
    inside = any(start < offset < end for start, end in conditional)
    where = f"{ac}:{line_of(text, offset)} ({how}{', inside a conditional' if inside else ''})"
    return Dependency(name, ecosystem, where, required=not inside and _fails_configure(how, text, offset))


def _am_programs(repo: Repo, configure_text: str) -> list[Target]:
    listed = [f for m in _CONFIG_FILES.finditer(configure_text) for f in m.group(1).split()]
    dirs = {str(PurePosixPath(f).parent) for f in listed if PurePosixPath(f).name == "Makefile"} or None
    found: list[Target] = []
    for rel in repo.files:
        if PurePosixPath(rel).name != "Makefile.am":
            continue
        directory = str(PurePosixPath(rel).parent)
        if dirs is not None and directory not in dirs:
            continue
        text = repo.read_text(rel)
        for m in _PROGRAMS.finditer(text):
            prefix = m.group(1)
            for name in _join_continuations(m.group(2)).split("#", 1)[0].split():
                if "$" in name:
                    continue
                path = name if directory == "." else f"{directory}/{name}"
                if prefix in ("check", "EXTRA"):
                    reason = f"{prefix}_PROGRAMS: not installed"
                elif prefix == "noinst":
                    reason = "noinst_PROGRAMS: not installed"
                else:
                    reason = dir_skip_reason(directory if directory != "." else "") or skip_reason(PurePosixPath(name).name)
                found.append(
                    Target(path, f"{rel}:{line_of(text, m.start())} ({prefix}_PROGRAMS)", installed=prefix in ("bin", "sbin"), skipped=reason)
                )
    return found
