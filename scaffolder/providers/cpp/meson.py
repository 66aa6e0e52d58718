"""Meson: ``executable()`` targets and ``dependency()`` names from meson.build files.

Reads the files reachable through ``subdir()`` from the root. An executable handed to ``test()`` or
``benchmark()``, or defined under an ``if`` on a test/benchmark/example option, is not a candidate.

Names are evaluated only where Meson's own result is certain: string literals, f-strings and ``+``
of known strings, variables assigned once (a variable given different values in branches of an
``if`` is unknown), ``meson.project_name()``, and ``get_option()`` of a project string or combo
option at its default (meson.options / meson_options.txt, overridden by ``project(default_options:)``).
Any other name is not guessed: the program is asked for, with the expression as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from scaffolder._repo import MAX_NESTING, Repo
from scaffolder.errors import InputError
from scaffolder.providers.cpp._model import BuildInfo, Dependency, Target, dir_skip_reason, skip_reason

_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\f]+|\\\n)|(?P<comment>\#[^\n]*)|(?P<nl>\n)
    |(?P<string>(?P<f>f)?'''.*?'''|(?P<f1>f)?'(?:\\.|[^'\\\n])*')
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<number>0[xob][0-9a-fA-F]+|\d+)
    |(?P<op>\+=|==|!=|<=|>=|[-+*/%()\[\]{}.,:=<>?])""",
    re.VERBOSE | re.DOTALL,
)
_OPEN, _CLOSE = "([{", ")]}"
_MAX_DEPTH = 12


@dataclass
class Tok:
    kind: str
    value: str
    line: int


def tokenize(text: str, path: str) -> list[Tok]:
    tokens: list[Tok] = []
    i, line, depth = 0, 1, 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            if text.startswith(("'", "f'"), i):
                raise InputError(path, "string is never closed", line=line, hint="add the closing quote")
            raise InputError(path, f"unexpected {text[i]!r}", line=line, hint="not Meson syntax")
        kind = m.lastgroup or ""
        value = m.group(0)
        if kind == "string":
            quote = 3 if value.lstrip("f").startswith("'''") else 1
            body = value.lstrip("f")[quote:-quote]
            kind = "fstring" if m.group("f") or m.group("f1") else "string"
            tokens.append(Tok(kind, re.sub(r"\\(.)", r"\1", body) if quote == 1 else body, line))
        elif kind == "op":
            if value in _OPEN:
                depth += 1
                if depth > MAX_NESTING:
                    raise InputError(path, f"brackets nested deeper than {MAX_NESTING} levels", line=line,
                                     hint="no real build nests this deep; fix the file")
            elif value in _CLOSE:
                depth -= 1
                if depth < 0:
                    raise InputError(path, f"unmatched {value!r}", line=line, hint="unbalanced brackets")
            tokens.append(Tok("op", value, line))
        elif kind in ("ident", "number"):
            tokens.append(Tok(kind, value, line))
        elif kind == "nl" and depth == 0:
            tokens.append(Tok("nl", value, line))
        line += value.count("\n")
        i = m.end()
    if depth > 0:
        raise InputError(path, "a bracket is never closed", line=line, hint="unbalanced brackets")
    tokens.append(Tok("nl", "\n", line))
    return tokens


def _statements(tokens: list[Tok]) -> list[list[Tok]]:
    out, current = [], []
    for tok in tokens:
        if tok.kind == "nl":
            if current:
                out.append(current)
            current = []
        else:
            current.append(tok)
    return out


def _split_args(tokens: list[Tok]) -> tuple[list[list[Tok]], dict[str, list[Tok]]]:
    """Top-level comma-separated arguments of a call's token list (without the parentheses)."""
    args = _split_top(tokens, ",")
    if not args[-1]:
        args.pop()  # a trailing comma, or no arguments
    positional, keywords = [], {}
    for arg in args:
        if len(arg) >= 2 and arg[0].kind == "ident" and arg[1].kind == "op" and arg[1].value == ":":
            keywords[arg[0].value] = arg[2:]
        else:
            positional.append(arg)
    return positional, keywords


def _calls(stmt: list[Tok]):
    """(name, index of name, argument tokens) of every call in a statement, outermost first."""
    for i, tok in enumerate(stmt):
        if tok.kind == "ident" and i + 1 < len(stmt) and stmt[i + 1].value == "(" and stmt[i + 1].kind == "op":
            depth = 0
            for j in range(i + 1, len(stmt)):
                if stmt[j].kind == "op" and stmt[j].value in _OPEN:
                    depth += 1
                elif stmt[j].kind == "op" and stmt[j].value in _CLOSE:
                    depth -= 1
                    if depth == 0:
                        method = i > 0 and stmt[i - 1].value == "."
                        yield ("." if method else "") + tok.value, i, stmt[i + 2 : j]
                        break


class _Reader:
    def __init__(self, repo: Repo):
        self.repo = repo
        self.info = BuildInfo("meson", "meson.build")
        self.env: dict[str, object] = {}
        self.exe_vars: dict[str, Target] = {}
        self.tested: set[str] = set()
        self.project = ""
        self.visited: set[str] = set()
        # The project's string options at their defaults; None once project() overrides
        # them in a way scaffold cannot read.
        self.options: dict[str, str | None] = {
            name: default for name, (kind, default, _) in options(repo).items() if kind in ("string", "combo")
        }

    def value(self, toks: list[Tok]) -> object:
        """A string, a list of strings, or None when the expression is more than scaffold can
        evaluate with certainty."""
        terms = _split_top(toks, "+")
        if len(terms) > 1:
            values = [self.value(t) for t in terms]
            return "".join(values) if all(isinstance(v, str) for v in values) else None  # type: ignore[arg-type]
        if len(toks) == 1 and toks[0].kind == "string":
            return toks[0].value
        if len(toks) == 1 and toks[0].kind == "fstring":
            return self.fstring(toks[0].value)
        if len(toks) == 1 and toks[0].kind == "ident":
            return self.env.get(toks[0].value)
        if [t.value for t in toks] == ["meson", ".", "project_name", "(", ")"]:
            return self.project or None
        if len(toks) == 4 and toks[0].value == "get_option" and toks[1].value == "(" and toks[2].kind == "string":
            return self.options.get(toks[2].value)
        if toks and toks[0].value == "[" and toks[-1].value == "]":
            items, _ = _split_args(toks[1:-1])
            values = [self.value(t) for t in items]
            return values if all(isinstance(v, str) for v in values) else None
        return None

    def fstring(self, text: str) -> str | None:
        """An f-string with its @var@ replaced, or None when a variable is not a known string."""
        parts = re.split(r"@([A-Za-z_][A-Za-z0-9_]*)@", text)
        for i in range(1, len(parts), 2):
            found = self.env.get(parts[i])
            if not isinstance(found, str):
                return None
            parts[i] = found
        return "".join(parts)

    def assign(self, var: str, op: str, value: object, conditional: bool) -> None:
        """Record ``var op value``; under an if or foreach only a value every branch agrees on."""
        if op == "+=":
            before = self.env.get(var)
            if isinstance(before, str) and isinstance(value, str):
                value = before + value
            elif isinstance(before, list) and isinstance(value, (list, str)):
                value = before + (value if isinstance(value, list) else [value])
            else:
                value = None
        if conditional and var in self.env and self.env[var] != value:
            value = None
        self.env[var] = value

    def file(self, rel: str, ctx: str, depth: int) -> None:
        self.visited.add(rel)
        statements = _statements(tokenize(self.repo.read_text(rel), rel))
        stack: list[str] = []  # skip reason of each open if/foreach
        for stmt in statements:
            head = stmt[0].value if stmt[0].kind == "ident" else ""
            if head == "if" or head == "elif":
                if head == "elif" and not stack:
                    raise InputError(rel, "elif without if", line=stmt[0].line, hint="unbalanced if/endif")
                if head == "elif":
                    stack.pop()
                stack.append(self.condition(stmt[1:]))
                continue
            if head == "else":
                if not stack:
                    raise InputError(rel, "else without if", line=stmt[0].line, hint="unbalanced if/endif")
                stack[-1] = ""
                continue
            if head == "foreach":
                stack.append("")
                continue
            if head in ("endif", "endforeach"):
                if not stack:
                    raise InputError(rel, f"{head} without its opening statement", line=stmt[0].line, hint="unbalanced blocks")
                stack.pop()
                continue
            here = ctx or next((r for r in reversed(stack) if r), "")
            self.statement(rel, stmt, here, depth, conditional=bool(stack))
        if stack:
            raise InputError(rel, "an if or foreach is never closed", line=statements[-1][0].line if statements else 1, hint="add endif/endforeach")

    def condition(self, toks: list[Tok]) -> str:
        if toks and toks[0].value == "not":
            return ""
        for name, _, args in _calls(toks):
            if name == "get_option" and args and args[0].kind == "string" and skip_reason(args[0].value):
                return f"inside if get_option('{args[0].value}')"
        return ""

    def statement(self, rel: str, stmt: list[Tok], ctx: str, depth: int, conditional: bool = False) -> None:
        target_var = ""
        if len(stmt) > 2 and stmt[0].kind == "ident" and stmt[1].value in ("=", "+="):
            target_var = stmt[0].value
            self.assign(target_var, stmt[1].value, self.value(stmt[2:]), conditional)
        for name, at, args in _calls(stmt):
            where = f"{rel}:{stmt[at].line}"
            positional, keywords = _split_args(args)
            first = self.value(positional[0]) if positional else None
            if name == "project" and isinstance(first, str):
                self.project = first
                self.default_options(keywords.get("default_options"))
                self.info.project = (first, f"{where} (project)")
                langs = [self.value(p) for p in positional[1:]]
                langs = [x for v in langs for x in (v if isinstance(v, list) else [v]) if isinstance(x, str)]
                found = {"cpp" if x == "cpp" else "c" for x in langs if x in ("c", "cpp")}
                if found:
                    self.info.languages |= found
                    self.info.language_source = f"{where} (project languages)"
            elif name == "add_languages":
                langs = [self.value(p) for p in positional]
                for x in langs:
                    if x in ("c", "cpp") and x not in self.info.languages:
                        self.info.languages.add(x)
                        self.info.language_source = f"{where} (add_languages)"
            elif name == "executable":
                if not isinstance(first, str):
                    expression = _source_text(positional[0]) if positional else "(no name)"
                    note = f"executable() at {where}: its name is {expression}, which scaffold cannot evaluate"
                    if ctx or dir_skip_reason(str(PurePosixPath(rel).parent)):
                        self.info.notes.append(note)
                    else:
                        self.info.unnamed.append(note)
                    continue
                skipped = ctx or dir_skip_reason(str(PurePosixPath(rel).parent)) or skip_reason(first)
                installed = [t.value for t in keywords.get("install", [])] == ["true"]
                written = positional[0]
                how = "executable" if len(written) == 1 and written[0].kind == "string" else f"executable named {_source_text(written)} = {first!r}"
                target = Target(first, f"{where} ({how})", installed=installed, skipped=skipped)
                self.info.targets.append(target)
                if target_var and at == 2:
                    self.exe_vars[target_var] = target
            elif name in ("test", "benchmark") and len(positional) >= 2:
                exe = positional[1]
                if len(exe) == 1 and exe[0].kind == "ident":
                    self.tested.add(exe[0].value)
            elif name == "dependency" and not ctx:
                names = [first] if isinstance(first, str) else []
                required = [t.value for t in keywords.get("required", [])] != ["false"]
                modules = self.value(keywords.get("modules", []))
                for dep in names:
                    self.info.dependencies.append(
                        Dependency(dep, "meson", f"{where} (dependency)", required, tuple(modules) if isinstance(modules, list) else ())
                    )
            elif name == ".find_library" and isinstance(first, str) and not ctx:
                required = [t.value for t in keywords.get("required", [])] != ["false"]
                self.info.dependencies.append(Dependency(first, "lib", f"{where} (find_library)", required))
            elif name == "subdir" and isinstance(first, str) and depth < _MAX_DEPTH:
                child = (PurePosixPath(rel).parent / first / "meson.build").as_posix().removeprefix("./")
                if ".." in PurePosixPath(first).parts or child in self.visited:
                    continue
                if not self.repo.exists(child):
                    self.info.notes.append(f"subdir('{first}') at {where}: {child} is missing")
                    continue
                self.file(child, ctx, depth + 1)


    def default_options(self, toks: list[Tok] | None) -> None:
        """project(default_options: ['name=value', ...]) sets the project's own options too."""
        if toks is None:
            return
        pairs = self.value(toks)
        if isinstance(pairs, str):
            pairs = [pairs]
        if not isinstance(pairs, list):
            self.options = dict.fromkeys(self.options)  # overridden in a way scaffold cannot read
            return
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if sep and name.strip() in self.options:
                self.options[name.strip()] = value


def _split_top(toks: list[Tok], sep: str) -> list[list[Tok]]:
    """The parts of ``toks`` between the operators ``sep`` outside brackets (one part when there is none)."""
    parts, current, depth = [], [], 0
    for tok in toks:
        if tok.kind == "op" and tok.value in _OPEN:
            depth += 1
        elif tok.kind == "op" and tok.value in _CLOSE:
            depth -= 1
        if depth == 0 and tok.kind == "op" and tok.value == sep:
            parts.append(current)
            current = []
        else:
            current.append(tok)
    parts.append(current)
    return parts


def _source_text(toks: list[Tok], most: int = 80) -> str:
    """An expression as written (near enough to recognise), for a question's evidence."""
    text = ""
    for i, tok in enumerate(toks):
        word = repr(tok.value) if tok.kind == "string" else f"f{tok.value!r}" if tok.kind == "fstring" else tok.value
        glued = i == 0 or word in ("(", ")", "[", "]", ",", ".", ":") or toks[i - 1].value in ("(", "[", ".")
        text += word if glued and not (word == "(" and toks[i - 1].kind == "op" and toks[i - 1].value not in "([") else " " + word
    return f"`{text}`" if len(text) <= most else f"`{text[:most]}...`"


def read(repo: Repo) -> BuildInfo:
    reader = _Reader(repo)
    reader.file("meson.build", "", 0)
    for var, target in reader.exe_vars.items():
        if var in reader.tested and not target.skipped:
            target.skipped = "run by test() or benchmark()"
    info = reader.info
    if not info.languages:
        info.languages = {"c"}
        info.language_source = "meson.build (no language in project())"
    if any(f.startswith("subprojects/") and f.endswith(".wrap") for f in repo.files):
        info.notes.append("subprojects/*.wrap: Meson may download them; the build runs with --wrap-mode=nodownload and uses system packages")
    off = _test_options(repo)
    if off:
        info.facts["cpp_configure_args"] = (" ".join(f"-D{o}=false" for o, _ in off), "; ".join(f"{w}: option('{o}') defaults to true" for o, w in off))
    return info


def options(repo: Repo) -> dict[str, tuple[str, str | None, str]]:
    """The project's options: name -> (type, default, file:line). Meson reads meson.options
    before meson_options.txt. The default is written as Meson prints it: a string option's is ''
    unless given, a combo's its first choice, a boolean's true unless given; None when it is an
    expression."""
    found: dict[str, tuple[str, str | None, str]] = {}
    for rel in ("meson.options", "meson_options.txt"):
        if not repo.exists(rel):
            continue
        for stmt in _statements(tokenize(repo.read_text(rel), rel)):
            for name, at, args in _calls(stmt):
                positional, keywords = _split_args(args)
                if name != "option" or not positional or positional[0][0].kind != "string":
                    continue
                kind = " ".join(t.value for t in keywords.get("type", [])) or "string"
                value = keywords.get("value")
                choices = keywords.get("choices", [])
                default: str | None = None
                if value is not None:
                    default = _literal(value) if kind != "boolean" else " ".join(t.value for t in value)
                elif kind == "string":
                    default = ""
                elif kind == "boolean":
                    default = "true"
                elif kind == "combo" and len(choices) > 2 and choices[0].value == "[":
                    default = _literal(choices[1:2])
                found[positional[0][0].value] = (kind, default, f"{rel}:{stmt[at].line}")
        break
    return found


def _literal(toks: list[Tok]) -> str | None:
    return toks[0].value if len(toks) == 1 and toks[0].kind == "string" else None


def _test_options(repo: Repo) -> list[tuple[str, str]]:
    """Boolean options named like tests/benchmarks/examples that default to true: turned off."""
    return [(name, where) for name, (kind, default, where) in options(repo).items()
            if kind == "boolean" and default == "true" and skip_reason(name)]
