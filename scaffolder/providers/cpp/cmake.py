"""CMake: executables, system packages and options read from CMakeLists.txt, and CMakePresets.json.

A small reader, not CMake: it tokenizes the CMake language, follows ``add_subdirectory`` from the
root, expands plain variables, replays ``foreach`` lists and user ``function``/``macro`` calls, and
walks every ``if`` branch (conditions are not evaluated) remembering which branch guards tests,
benchmarks, examples or other platforms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scaffolder._repo import MAX_NESTING, Repo, View
from scaffolder.errors import InputError
from scaffolder.providers.cpp._model import BuildInfo, Dependency, Target, dir_skip_reason, skip_reason

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACKET = re.compile(r"\[(=*)\[")
_VAR = re.compile(r"\$\{([A-Za-z0-9_.+/-]+)\}")
_PLATFORMS = {"WIN32", "APPLE", "MSVC", "IOS", "ANDROID", "MINGW", "CYGWIN", "EMSCRIPTEN"}
_NOT_LINUX = {"windows", "darwin", "ios", "android", "emscripten"}
_MAX_DEPTH = 12  # add_subdirectory and call nesting; deeper is surely a cycle
_MAX_STEPS = 200_000  # commands replayed; bounds foreach/function blow-ups
_MAX_VALUE = 1_000_000  # characters one command's arguments may expand to; bounds set(a ${a}${a})


class _TooLong(Exception):
    """Variable expansion went past _MAX_VALUE; reported with the command's file and line."""


@dataclass
class Command:
    name: str  # lower case: CMake command names are case-insensitive
    args: list[tuple[str, bool]]  # (text, quoted)
    line: int


@dataclass
class Block:
    kind: str  # if, foreach, while, function, macro
    line: int
    header: Command
    branches: list[tuple[Command, list]] = field(default_factory=list)  # (condition command, body)


_OPENERS = {"if": "endif", "foreach": "endforeach", "while": "endwhile", "function": "endfunction", "macro": "endmacro"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def tokenize(text: str, path: str) -> list[Command]:
    """The commands in a CMake file; malformed syntax is an InputError with the line."""
    commands: list[Command] = []
    i, n, line = 0, len(text), 1

    def skip_comment(i: int, line: int) -> tuple[int, int]:
        bracket = _BRACKET.match(text, i + 1)
        if bracket:
            close = "]" + bracket.group(1) + "]"
            end = text.find(close, bracket.end())
            if end < 0:
                raise InputError(path, "bracket comment is never closed", line=line, hint=f"add {close}")
            return end + len(close), line + text.count("\n", i, end)
        end = text.find("\n", i)
        return (n if end < 0 else end), line

    while i < n:
        c = text[i]
        if c == "\n":
            line, i = line + 1, i + 1
        elif c in " \t\r\f":
            i += 1
        elif c == "#":
            i, line = skip_comment(i, line)
        else:
            ident = _IDENT.match(text, i)
            if not ident:
                raise InputError(path, f"unexpected {c!r} where a command was expected", line=line, hint="not CMake syntax")
            name, i = ident.group(0), ident.end()
            while i < n and text[i] in " \t":
                i += 1
            if i >= n or text[i] != "(":
                raise InputError(path, f"expected '(' after {name}", line=line, hint="not CMake syntax")
            start, depth, args = line, 1, []
            i += 1
            while True:
                if i >= n:
                    raise InputError(path, f"{name}( is never closed", line=start, hint="unbalanced parentheses")
                c = text[i]
                if c == "\n":
                    line, i = line + 1, i + 1
                elif c in " \t\r\f":
                    i += 1
                elif c == "(":
                    depth, i = depth + 1, i + 1
                    args.append(("(", False))
                elif c == ")":
                    depth, i = depth - 1, i + 1
                    if depth == 0:
                        break
                    args.append((")", False))
                elif c == "#":
                    i, line = skip_comment(i, line)
                elif c == '"':
                    j, buf = i + 1, []
                    while True:
                        if j >= n:
                            raise InputError(path, "quoted argument is never closed", line=line, hint='add the closing "')
                        if text[j] == "\\" and j + 1 < n:
                            buf.append(text[j : j + 2] if text[j + 1] not in '"\\' else text[j + 1])
                            j += 2
                            continue
                        if text[j] == '"':
                            break
                        buf.append(text[j])
                        j += 1
                    line += text.count("\n", i, j)
                    args.append(("".join(buf), True))
                    i = j + 1
                elif c == "[" and _BRACKET.match(text, i):
                    bracket = _BRACKET.match(text, i)
                    close = "]" + bracket.group(1) + "]"
                    end = text.find(close, bracket.end())
                    if end < 0:
                        raise InputError(path, "bracket argument is never closed", line=line, hint=f"add {close}")
                    args.append((text[bracket.end() : end], True))
                    line += text.count("\n", i, end)
                    i = end + len(close)
                else:
                    j = i
                    while j < n and text[j] not in ' \t\r\f\n()#"':
                        j += 2 if text[j] == "\\" else 1
                    args.append((text[i:j], False))
                    i = j
            commands.append(Command(name.lower(), args, start))
    return commands


def blocks(commands: list[Command], path: str) -> list:
    """Nest if/foreach/while/function/macro bodies; a stray or missing end is an InputError."""
    root: list = []
    stack: list[tuple[Block, list]] = []
    body = root
    for cmd in commands:
        if cmd.name in _OPENERS:
            block = Block(cmd.name, cmd.line, cmd)
            block.branches.append((cmd, []))
            body.append(block)
            stack.append((block, body))
            body = block.branches[-1][1]
        elif cmd.name in ("elseif", "else"):
            if not stack or stack[-1][0].kind != "if":
                raise InputError(path, f"{cmd.name}() without if()", line=cmd.line, hint="unbalanced if/endif")
            block = stack[-1][0]
            block.branches.append((cmd, []))
            body = block.branches[-1][1]
        elif cmd.name in _CLOSERS:
            if not stack or stack[-1][0].kind != _CLOSERS[cmd.name]:
                raise InputError(path, f"{cmd.name}() without {_CLOSERS[cmd.name]}()", line=cmd.line, hint="unbalanced blocks")
            block, body = stack.pop()
            body = stack[-1][0].branches[-1][1] if stack else root
        else:
            body.append(cmd)
    if stack:
        block = stack[-1][0]
        raise InputError(path, f"{block.kind}() is never closed", line=block.line, hint=f"add {_OPENERS[block.kind]}()")
    return root


@dataclass
class _State:
    repo: Repo
    info: BuildInfo
    functions: dict[str, tuple[list[str], list, bool]] = field(default_factory=dict)
    installed: set[str] = field(default_factory=set)
    output_names: dict[str, str] = field(default_factory=dict)
    options: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (default, source)
    visited: set[str] = field(default_factory=set)
    steps: int = 0
    nesting: int = 0  # open if/foreach/function bodies being replayed: bounds the recursion
    downloads: list[str] = field(default_factory=list)
    shared_libraries: list[tuple[str, str]] = field(default_factory=list)  # add_library(x SHARED): (name, where)


def _expand(value: str, env: dict[str, str], budget: list[int]) -> str:
    """``value`` with ``${VAR}`` replaced; every replacement spends ``budget[0]`` characters."""

    def replace(match: re.Match[str]) -> str:
        found = env.get(match.group(1))
        if found is None:
            return match.group(0)
        budget[0] -= len(found)
        if budget[0] < 0:
            raise _TooLong
        return found

    for _ in range(8):
        new = _VAR.sub(replace, value)
        if new == value:
            break
        value = new
    return value


def _values(args: list[tuple[str, bool]], env: dict[str, str]) -> list[str]:
    """Arguments after variable expansion; unquoted lists split on ';' as CMake does."""
    out: list[str] = []
    budget = [_MAX_VALUE]
    for text, quoted in args:
        text = _expand(text, env, budget)
        if quoted:
            out.append(text)
        else:
            out.extend(p for p in text.split(";") if p)
    return out


def _condition_reason(args: list[str]) -> str:
    words = [a for a in args if a not in ("(", ")")]
    if not words:
        return ""
    shown = " ".join(words)
    if words[0].upper() == "NOT":
        return ""
    if len(words) == 1 and words[0].upper() in _PLATFORMS:
        return f"inside if({shown}): not built on Linux"
    if len(words) == 3 and words[1].upper() == "STREQUAL" and words[2].lower() in _NOT_LINUX:
        return f"inside if({shown}): not built on Linux"
    for word in words:
        if word.upper() in ("AND", "OR", "STREQUAL", "EQUAL", "DEFINED", "TARGET", "EXISTS"):
            continue
        if word == "BUILD_TESTING" or (_IDENT.fullmatch(word) and skip_reason(word)):
            return f"inside if({shown})"
    return ""


_FIND_KEYWORDS = {
    "EXACT", "QUIET", "MODULE", "CONFIG", "NO_MODULE", "GLOBAL", "NO_POLICY_SCOPE", "BYPASS_PROVIDER",
    "OPTIONAL_COMPONENTS", "NAMES", "CONFIGS", "HINTS", "PATHS", "PATH_SUFFIXES", "NO_DEFAULT_PATH",
    "NO_CMAKE_PATH", "NO_CMAKE_ENVIRONMENT_PATH", "NO_SYSTEM_ENVIRONMENT_PATH", "NO_CMAKE_SYSTEM_PATH",
    "CMAKE_FIND_ROOT_PATH_BOTH", "ONLY_CMAKE_FIND_ROOT_PATH", "NO_CMAKE_FIND_ROOT_PATH", "REGISTRY_VIEW",
}
_DOWNLOADERS = {"fetchcontent_declare", "cpmaddpackage", "cpmfindpackage", "externalproject_add"}


def _run(state: _State, nodes: list, env: dict[str, str], path: str, ctx: str, depth: int) -> None:
    for node in nodes:
        state.steps += 1
        if state.steps > _MAX_STEPS:
            return
        try:
            if isinstance(node, Block):
                state.nesting += 1
                if state.nesting > MAX_NESTING:
                    raise InputError(path, f"blocks and calls nested deeper than {MAX_NESTING} levels", line=node.line,
                                     hint="no real build nests this deep; fix the file")
                try:
                    _block(state, node, env, path, ctx, depth)
                finally:
                    state.nesting -= 1
            else:
                _command(state, node, env, path, ctx, depth)
        except _TooLong:
            raise InputError(path, f"variables expand past {_MAX_VALUE} characters", line=node.line,
                             hint="a variable grows without bound; fix the file") from None


def _block(state: _State, block: Block, env: dict[str, str], path: str, ctx: str, depth: int) -> None:
    header = _values(block.header.args, env)
    if block.kind == "if":
        for cond, body in block.branches:
            reason = _condition_reason(_values(cond.args, env)) if cond.name != "else" else ""
            _run(state, body, env, path, ctx or reason, depth)
    elif block.kind in ("function", "macro"):
        if header:
            state.functions[header[0].lower()] = (header[1:], block.branches[0][1], block.kind == "macro")
    elif block.kind == "foreach" and header:
        var, rest = header[0], header[1:]
        if rest[:1] == ["IN"] and len(rest) > 1:
            mode, items = rest[1], rest[2:]
            if mode == "LISTS":
                items = [v for name in items for v in env.get(name, "").split(";") if v]
            elif mode != "ITEMS":
                items = []
        elif rest[:1] == ["RANGE"]:
            items = []  # numbers: nothing a target name needs
        else:
            items = rest
        for item in items[:64] or [None]:
            if item is not None:
                env[var] = item
            _run(state, block.branches[0][1], env, path, ctx, depth)
    else:
        _run(state, block.branches[0][1], env, path, ctx, depth)


def _add_executable(state: _State, args: list[str], env: dict[str, str], where: str, ctx: str, path: str) -> None:
    if not args:
        return
    name, flags = args[0], {a.upper() for a in args[1:3]}
    if "IMPORTED" in flags or "ALIAS" in flags:
        return
    if "${" in name or "$<" in name:
        note = f"add_executable({name}) at {where}: the name depends on variables scaffold cannot evaluate"
        (state.info.notes if ctx or dir_skip_reason(str(PurePosixPath(path).parent)) else state.info.unnamed).append(note)
        return
    skipped = ctx or dir_skip_reason(str(PurePosixPath(path).parent)) or skip_reason(name)
    if not skipped and "EXCLUDE_FROM_ALL" in flags:
        skipped = "EXCLUDE_FROM_ALL: not part of the default build"
    state.info.targets.append(Target(name, f"{where} (add_executable)", skipped=skipped))


def _command(state: _State, cmd: Command, env: dict[str, str], path: str, ctx: str, depth: int) -> None:
    name = cmd.name
    where = f"{path}:{cmd.line}"
    if name in state.functions and depth < _MAX_DEPTH:
        params, body, is_macro = state.functions[name]
        values = _values(cmd.args, env)
        scope = env if is_macro else dict(env)
        for i, param in enumerate(params):
            scope[param] = values[i] if i < len(values) else ""
        scope["ARGN"] = ";".join(values[len(params) :])
        scope["ARGV"] = ";".join(values)
        _run(state, body, scope, path, ctx, depth + 1)
        return
    args = _values(cmd.args, env)
    if name == "set" and args:
        values = []
        for a in args[1:]:
            if a in ("CACHE", "PARENT_SCOPE"):
                break
            values.append(a)
        env[args[0]] = ";".join(values)
    elif name == "option" and len(args) >= 2:
        default = args[2] if len(args) > 2 else "OFF"
        env.setdefault(args[0], default)
        state.options.setdefault(args[0], (default, where))
    elif name == "cmake_dependent_option" and len(args) >= 3:
        env.setdefault(args[0], args[2])
        state.options.setdefault(args[0], (args[2], where))
    elif name == "list" and len(args) >= 2 and args[0] == "APPEND":
        env[args[1]] = ";".join(filter(None, [env.get(args[1], "")] + args[2:]))
        if len(env[args[1]]) > _MAX_VALUE:
            raise _TooLong
    elif name == "project" and args:
        env["PROJECT_NAME"] = args[0]
        if not state.info.project[0]:
            state.info.project = (args[0], f"{where} (project)")
        env.setdefault("CMAKE_PROJECT_NAME", args[0])
        _project_languages(state, args[1:], where)
    elif name == "enable_language":
        _languages(state, args, where)
    elif name == "add_library" and len(args) >= 2 and args[1] == "SHARED" and not ctx:
        state.shared_libraries.append((args[0], where))
    elif name == "add_executable":
        _add_executable(state, args, env, where, ctx, path)
    elif name == "install" and args[:1] == ["TARGETS"]:
        for target in args[1:]:
            if target.isupper() and target in ("EXPORT", "RUNTIME", "LIBRARY", "ARCHIVE", "DESTINATION", "COMPONENT", "BUNDLE", "FRAMEWORK", "INCLUDES", "PUBLIC_HEADER", "CONFIGURATIONS", "PERMISSIONS", "OPTIONAL", "OBJECTS", "FILE_SET"):
                break
            state.installed.add(target)
    elif name == "set_target_properties" and "PROPERTIES" in args:
        at = args.index("PROPERTIES")
        props = args[at + 1 :]
        for key, value in zip(props[::2], props[1::2]):
            if key in ("OUTPUT_NAME", "RUNTIME_OUTPUT_NAME", "OUTPUT_NAME_RELEASE"):
                for target in args[:at]:
                    state.output_names[target] = value
    elif name == "set_property" and args[:1] == ["TARGET"] and "PROPERTY" in args:
        at = args.index("PROPERTY")
        if len(args) > at + 2 and args[at + 1] in ("OUTPUT_NAME", "RUNTIME_OUTPUT_NAME"):
            for target in args[1:at]:
                if target not in ("APPEND", "APPEND_STRING"):
                    state.output_names[target] = args[at + 2]
    elif name == "find_package" and args:
        if ctx:
            return  # tests, examples or other platforms: not configured by the image's build
        required = "REQUIRED" in args
        components: list[str] = []
        collecting = False
        for a in args[1:]:
            if a in ("REQUIRED", "COMPONENTS"):
                collecting = True
            elif a in _FIND_KEYWORDS:
                collecting = False
            elif collecting:
                components.append(a)
        state.info.dependencies.append(Dependency(args[0], "cmake", f"{where} (find_package)", required, tuple(components)))
    elif name in ("pkg_check_modules", "pkg_search_module") and len(args) >= 2:
        if ctx:
            return
        required = "REQUIRED" in args
        words = [a for a in args[1:] if a not in ("REQUIRED", "QUIET", "IMPORTED_TARGET", "GLOBAL", "NO_CMAKE_PATH", "NO_CMAKE_ENVIRONMENT_PATH")]
        for word in words:
            module = re.split(r"[<>=]", word, maxsplit=1)[0].strip()
            if module and not re.fullmatch(r"[\d.]+", module):
                state.info.dependencies.append(Dependency(module, "pkg-config", f"{where} ({name})", required))
    elif name == "find_library" and len(args) >= 2 and not ctx:
        names = args[args.index("NAMES") + 1 :] if "NAMES" in args else args[1:2]
        for lib in names:
            if lib.isupper() and lib in _FIND_KEYWORDS:
                break
            state.info.dependencies.append(Dependency(lib, "lib", f"{where} (find_library)", "REQUIRED" in args))
    elif name in _DOWNLOADERS and args and not ctx:
        state.downloads.append(f"{args[0]} ({where}, {name})")
    elif name == "add_subdirectory" and args:
        _subdirectory(state, args, env, path, ctx, depth, where)


def _project_languages(state: _State, rest: list[str], where: str) -> None:
    keywords = {"VERSION", "DESCRIPTION", "HOMEPAGE_URL", "LANGUAGES"}
    if "LANGUAGES" in rest:
        langs = []
        for a in rest[rest.index("LANGUAGES") + 1 :]:
            if a in keywords:
                break
            langs.append(a)
    elif rest and rest[0] not in keywords:
        langs = [a for a in rest if a not in keywords]
    else:
        langs = []
    if not state.info.language_source:
        # project() without languages enables C and CXX: the builder needs g++ either way.
        _languages(state, langs or ["C", "CXX"], f"{where} (project{' LANGUAGES' if langs else ', C and CXX by default'})")


def _languages(state: _State, langs: list[str], where: str) -> None:
    found = {"cpp" if a.upper() == "CXX" else "c" for a in langs if a.upper() in ("C", "CXX")}
    if found - state.info.languages:
        state.info.languages |= found
        state.info.language_source = where


def _subdirectory(state: _State, args: list[str], env: dict[str, str], path: str, ctx: str, depth: int, where: str) -> None:
    parent = PurePosixPath(path).parent
    sub = PurePosixPath(args[0])
    if sub.is_absolute() or "${" in args[0] or ".." in sub.parts:
        return
    rel = (parent / sub / "CMakeLists.txt").as_posix().removeprefix("./")
    if depth >= _MAX_DEPTH or rel in state.visited:
        return
    if not state.repo.exists(rel):
        state.info.notes.append(f"add_subdirectory({args[0]}) at {where}: {rel} is missing")
        return
    reason = ctx or ("EXCLUDE_FROM_ALL subdirectory" if "EXCLUDE_FROM_ALL" in args[1:] else "")
    _file(state, rel, dict(env), reason, depth + 1)


def _file(state: _State, rel: str, env: dict[str, str], ctx: str, depth: int) -> None:
    state.visited.add(rel)
    text = state.repo.read_text(rel)
    directory = PurePosixPath(rel).parent.as_posix()
    env["CMAKE_CURRENT_SOURCE_DIR"] = "/src" if directory == "." else f"/src/{directory}"
    _run(state, blocks(tokenize(text, rel), rel), env, rel, ctx, depth)


def read(repo: Repo, root: str = "CMakeLists.txt") -> BuildInfo:
    info = BuildInfo("cmake", root)
    state = _State(repo, info)
    _file(state, root, {"CMAKE_SOURCE_DIR": "/src", "PROJECT_SOURCE_DIR": "/src", "BUILD_TESTING": "OFF"}, "", 0)
    for target in info.targets:
        target.installed = target.name in state.installed
        output = state.output_names.get(target.name, "")
        if output and "$<" not in output and "${" not in output and output != target.name:
            target.binary = output
    if state.downloads:
        info.notes.append(
            "the build downloads sources at configure time ("
            + ", ".join(state.downloads)
            + "); the builder must reach those hosts, or vendor them"
        )
    off = []
    for option, (default, where) in sorted(state.options.items()):
        if default.upper() in ("ON", "TRUE", "YES", "1") and option != "BUILD_TESTING" and skip_reason(option):
            off.append((option, where))
    if off:
        info.facts["cpp_configure_args"] = (
            " ".join(f"-D{o}=OFF" for o, _ in off),
            "; ".join(f"option({o} ... ON) at {w}: tests, benchmarks and examples stay out of the build" for o, w in off),
        )
    for option, (default, where) in sorted(state.options.items()):
        words = option.upper().split("_")
        if default.upper() in ("ON", "TRUE", "YES", "1") and "SHARED" in words and option != "BUILD_SHARED_LIBS":
            info.shared_options.append((option, where))
    for name, where in state.shared_libraries:
        info.notes.append(
            f"add_library({name} SHARED) at {where}: always a shared library; a static program cannot link it "
            "(answer cpp_link=dynamic if the program does)"
        )
    _presets(repo, info)
    return info


# --- CMakePresets.json --------------------------------------------------------------------------

_RELEASE_TYPES = ("Release", "MinSizeRel", "RelWithDebInfo")
_OTHER_OS = re.compile(r"win|msvc|mac|darwin|apple|ios|android|wasm|emscripten", re.IGNORECASE)


def _cache_variables(preset: View) -> None:
    """cacheVariables: each a string, a boolean, null, or an object with a string ``value``."""
    table = preset.table("cacheVariables")
    for name, value in table.items():
        if isinstance(value, dict):
            table.table(name).string("value")
        elif value is not None and not isinstance(value, (str, bool)):
            raise table.error(name, "a string, a boolean or an object with a value")


def _presets(repo: Repo, info: BuildInfo) -> None:
    presets: dict[str, dict] = {}
    for rel in ("CMakePresets.json", "CMakeUserPresets.json"):
        if not repo.exists(rel):
            continue
        data = repo.read_json(rel)
        items = data.get("configurePresets", []) if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in items):
            raise InputError(rel, "configurePresets must be a list of objects with a name", hint="see the cmake-presets manual")
        for preset in repo.json_view(rel).tables("configurePresets"):
            inherits = preset.get("inherits")
            if inherits is not None and not isinstance(inherits, str):
                preset.strings("inherits")
            _cache_variables(preset)
            for key in ("toolchainFile", "generator", "binaryDir"):
                preset.string(key)
            preset.boolean("hidden", False)
            presets[preset.string("name")] = {**preset.data, "_file": rel}
    if not presets:
        return

    def resolved(name: str, key: str, seen: frozenset = frozenset()) -> object:
        preset = presets.get(name, {})
        if key == "cacheVariables":
            merged: dict = {}
            parents = preset.get("inherits", [])
            for parent in reversed([parents] if isinstance(parents, str) else parents):
                if parent not in seen:
                    merged.update(resolved(parent, key, seen | {name}) or {})
            merged.update(preset.get(key) or {})
            return merged
        if key in preset:
            return preset[key]
        parents = preset.get("inherits", [])
        for parent in [parents] if isinstance(parents, str) else parents:
            if parent not in seen:
                value = resolved(parent, key, seen | {name})
                if value is not None:
                    return value
        return None

    def build_type(name: str) -> str:
        value = resolved(name, "cacheVariables").get("CMAKE_BUILD_TYPE", "")
        return value.get("value", "") if isinstance(value, dict) else str(value)

    usable, dropped = [], []
    for name, preset in presets.items():
        if preset.get("hidden"):
            continue
        toolchain = str(resolved(name, "toolchainFile") or "") + str(resolved(name, "cacheVariables").get("CMAKE_TOOLCHAIN_FILE", ""))
        generator = str(resolved(name, "generator") or "")
        condition = str(resolved(name, "condition") or "")
        if re.search(r"vcpkg|conan", toolchain, re.IGNORECASE):
            dropped.append(f"{name} (toolchain {toolchain}: packages the builder cannot fetch)")
        elif _OTHER_OS.search(name) or re.search(r"Visual Studio|Xcode", generator) or re.search(r"Windows|Darwin", condition):
            dropped.append(f"{name} (another platform)")
        elif generator and not re.search(r"Ninja|Unix Makefiles", generator):
            dropped.append(f"{name} (generator {generator})")
        else:
            usable.append(name)
    release = [n for n in usable if build_type(n) == "Release"]
    release = release or [n for n in usable if re.search(r"release", n, re.IGNORECASE)]
    release = release or [n for n in usable if build_type(n) in _RELEASE_TYPES]
    if dropped:
        info.notes.append("CMake presets not used: " + ", ".join(dropped))
    if not release:
        info.notes.append(
            "no release configure preset in "
            + ", ".join(sorted({p["_file"] for p in presets.values()}))
            + "; configuring with -DCMAKE_BUILD_TYPE=Release instead"
        )
        return
    candidates = [(n, f"{presets[n]['_file']} (configurePresets: {n}, {build_type(n) or 'release by name'})") for n in release]
    if len(candidates) == 1:
        info.facts["cpp_cmake_preset"] = candidates[0]
    else:
        info.questions.append(("cpp_cmake_preset", f"{len(candidates)} release configure presets: pick the one to build with", candidates))
