"""Command line: parse arguments, call the API, turn ScaffoldError into one line and an exit code."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any, NoReturn

from scaffolder import __version__
from scaffolder._answers import load_yaml_mapping
from scaffolder._style import paint
from scaffolder.errors import AbortedError, ScaffoldError, UsageError, excerpt


def _parse_data(items: list[str], data_file: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The up-front answers, and where each came from (for the error naming a bad one)."""
    loaded = load_yaml_mapping(Path(data_file)) if data_file else {}
    # An answers file of another project works as a data file: its _commit and _src_path are
    # Copier's records, not answers.
    answers: dict[str, Any] = {k: v for k, v in loaded.items() if not k.startswith("_")}
    origins = {name: f"{data_file}: {name}" for name in answers}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--data {item!r}: expected NAME=VALUE")
        answers[name.strip()] = value
        origins[name.strip()] = f"--data {item}"
    return answers, origins


def _err(text: str = "", style: str | None = None) -> None:
    print(paint(text, style, sys.stderr) if style else text, file=sys.stderr)


def _show_plan(plan, origins: dict[str, str]) -> None:
    """What detection found, each fact with its source; an up-front answer (``origins``: where
    each came from) shows the value used, with what detection found beside it."""
    det = plan.detection

    def show(name: str, value: Any, source: str) -> None:
        _err(f"  {name} = {json.dumps(value)}  {paint(f'<- {source}', 'dim', sys.stderr)}")

    _err(f"Detected {det.language} ({det.source})", "bold")
    for fact in det.facts:
        if fact.name in origins and fact.name in plan.data:
            detected = f"detected {excerpt(json.dumps(fact.value), 60)}: {fact.source}"
            show(fact.name, plan.data[fact.name], f"{excerpt(origins[fact.name], 60)} ({detected})")
        else:
            show(fact.name, fact.value, fact.source + ("" if fact.certainty == "certain" else "  [asked; likely]"))
    facts = {f.name for f in det.facts} | {"language"}  # the language heads the summary
    for name in sorted(origins.keys() - facts):
        if name in plan.data:
            show(name, plan.data[name], excerpt(origins[name], 60))
    for note in det.notes:
        _err(f"  note: {note}", "yellow")


def _app_lines(apps, stream) -> list[str]:
    """One line per app root found under a root holding several: its languages, or why it is no
    app or cannot be detected, with its evidence."""
    width = max(len(a.path) for a in apps)
    lines = []
    for app in apps:
        source = paint(f"<- {app.evidence}", "dim", stream)
        if app.not_an_app:
            lines.append(paint(f"  {app.path:<{width}}  not an app: {app.not_an_app}  <- {app.evidence}", "dim", stream))
        elif app.problem:
            lines.append(paint(f"  {app.path:<{width}}  cannot be detected: {app.problem}", "red", stream))
        else:
            lines.append(f"  {app.path:<{width}}  {', '.join(app.languages)}  {source}")
    return lines


def _show_apps(apps) -> None:
    """The app roots found under a root holding several, with their evidence."""
    rendered = [a for a in apps if not a.not_an_app and not a.problem]
    _err(f"Found {len(rendered)} apps, each rendered in its own directory; docker-bake.hcl at the root builds them all", "bold")
    for line in _app_lines(apps, sys.stderr):
        _err(line)


def _show_app(path: str) -> None:
    _err()
    _err(f"{path}:", "bold")


def _confirm(rendered) -> bool:
    import questionary

    sys.stdout.write(_painted_diff(rendered.diff()))
    return bool(questionary.confirm(f"Overwrite {rendered.path}?", default=False).unsafe_ask())


WRITE, QUIT = "Write the files", "Quit without writing anything"


def _review(answers: dict[str, Any]) -> dict[str, Any] | None:
    """Every answer, then: write, change one (rendered again, then shown again), or quit."""
    import questionary

    if not sys.stdin.isatty():
        return None
    _err()
    _err("Your answers (recorded in .scaffold-answers.yml):", "bold")
    width = max((len(k) for k in answers), default=0)
    for name, value in answers.items():
        _err(f"  {name:<{width}}  {json.dumps(value)}")
    choices = [questionary.Choice(WRITE, value=WRITE)] + [
        questionary.Choice(f"Change {name} ({json.dumps(value)})", value=name) for name, value in answers.items()
    ] + [questionary.Choice(QUIT, value=QUIT)]
    picked = questionary.select("Write the files, or change an answer first?", choices=choices).unsafe_ask()
    if picked == WRITE:
        return None
    if picked == QUIT:
        raise AbortedError("stopped at the review; nothing was written")
    current = answers[picked]
    shown = current if isinstance(current, str) else json.dumps(current)
    text = questionary.text(f"{picked}:", default=shown).unsafe_ask()
    from scaffolder._answers import safe_yaml
    from scaffolder.errors import InputError

    try:
        value = text if isinstance(current, str) else safe_yaml(text, picked)
    except InputError:
        value = text
    return {picked: value}


def _painted_diff(diff: str) -> str:
    def line(text: str) -> str:
        if text.startswith(("+++", "---")):
            return paint(text, "bold", sys.stdout)
        style = {"+": "green", "-": "red", "@": "cyan"}.get(text[:1])
        return paint(text, style, sys.stdout) if style else text

    return "".join(line(text.rstrip("\n")) + "\n" for text in diff.splitlines(keepends=True))


_STATE_STYLE = {
    "wrote": "green", "new": "green", "added": "green", "kept": "yellow", "changed": "yellow", "modified": "yellow",
    "deleted": "red", "conflict": "red",
}


def _state(state: str, path: str, stream=None) -> str:
    stream = stream or sys.stderr
    return f"{paint(f'{state:>9}', _STATE_STYLE.get(state, 'dim'), stream)}  {path}"


def cmd_init(args: argparse.Namespace) -> int:
    from scaffolder._main import init

    answers, origins = _parse_data(args.data, args.data_file)
    result = init(
        args.path,
        answers,
        origins=origins,
        # --json asks nothing, as --defaults: prompts would mix with the JSON.
        defaults=args.defaults or args.json,
        force=args.force,
        dry_run=args.dry_run,
        confirm=_confirm,
        on_plan=(lambda plan: None) if args.json else (lambda plan: _show_plan(plan, origins)),
        review=None if args.json or args.defaults else _review,
        template=args.template,
        trust=args.trust,
        on_apps=(lambda apps: None) if args.json else _show_apps,
        on_app=(lambda path: None) if args.json else _show_app,
    )
    recorded = _rendered_answers(result)
    steps = _bake_steps(args.path, recorded) if result.apps else _next_steps(args.path, recorded)
    code = 1 if result.failed else 0
    if args.json:
        files = [{"path": f.path, "status": f.status, "written": f.path in result.written} for f in result.files]
        print(json.dumps({
            "path": str(Path(args.path).resolve()),
            "dry_run": args.dry_run,
            "template": recorded.get("_commit"),
            "answers": {k: v for k, v in recorded.items() if not k.startswith("_")},
            "files": files,
            # Files that differ from what is there and were not overwritten.
            "kept": [f.path for f in result.files if f.path not in result.written
                     and (f.status == "changed" if args.dry_run else f.status != "unchanged")],
            "next": None if args.dry_run else steps,
            **({"apps": [a.as_dict() for a in result.apps], "failed": result.failed} if result.apps else {}),
        }, indent=2))
        return code
    if args.dry_run:
        for f in result.files:
            print(_state(f.status, f.path, sys.stdout))
            if f.status != "unchanged":
                sys.stdout.write(_painted_diff(f.diff() if f.old is not None else "".join(
                    f"+{line}\n" for line in f.content.decode("utf-8", "replace").splitlines()
                )))
        _err("dry run: nothing was written")
        _report_failed(result.failed)
        return code
    for f in result.files:
        state = "wrote" if f.path in result.written else ("kept" if f.status != "unchanged" else f.status)
        _err(_state(state, f.path))
    from scaffolder._answers import ANSWERS_FILE

    kept = [f.path for f in result.files if f.status != "unchanged" and f.path not in result.written]
    for answers_file in (p for p in kept if os.path.basename(p) == ANSWERS_FILE):
        directory = os.path.dirname(answers_file)
        others = ", ".join(p for p in kept if p != answers_file and os.path.dirname(p) == directory)
        _err(f"{answers_file} was not written either: it records what the files are rendered from, and {others} "
             "kept its own content (`scaffold check` says so; rerun init to take them)", "yellow")
    _report_failed(result.failed)
    for label, command in zip(("next", "then"), steps):
        _err(f"{paint(label + ':', 'bold', sys.stderr)} {command}")
    return code


def _report_failed(failed: dict[str, str]) -> None:
    for path, why in failed.items():
        _err(f"not rendered: {path}: {why}", "red")
    if failed:
        _err(f"{len(failed)} app(s) not rendered (see above); the others were, and docker-bake.hcl builds those", "red")


def _bake_steps(path: str, answers: dict[str, Any]) -> list[str]:
    """How to build and run the images of several apps, with the recorded answers."""
    where = "" if path in (".", "./") else f"cd {shlex.quote(path)} && "
    images = ", ".join(f"{a['name']}:latest" for a in answers.get("apps") or [] if isinstance(a, dict))
    return [f"{where}docker buildx bake  (builds {images} with BuildKit)",
            "docker buildx bake NAME  (one of them; docker-bake.hcl lists the targets and their settings)"]


def _next_steps(path: str, answers: dict[str, Any]) -> list[str]:
    """How to build and run the image, with the path given to init and the recorded answers."""
    script = shlex.quote(os.path.join(path, "docker-build.sh") if path not in (".", "./") else "./docker-build.sh")
    image = f"{answers.get('project_name') or 'app'}:latest"
    port = answers.get("port")
    publish = f"-p {port}:{port} " if isinstance(port, int) and port > 0 else ""
    return [
        f"{script}  (builds {image} with BuildKit and reports its size)",
        f"docker run --rm {publish}{image}",
    ]


def _rendered_answers(result) -> dict[str, Any]:
    from scaffolder._answers import ANSWERS_FILE, recorded

    rendered = next((f for f in result.files if f.path == ANSWERS_FILE), None)
    return recorded(rendered.content) if rendered else {}


def cmd_detect(args: argparse.Namespace) -> int:
    from scaffolder._detect import app_roots, detect

    apps = app_roots(args.path)
    if apps:
        # A root holding several apps: each is detected in its own directory (`scaffold detect DIR`).
        found = [a for a in apps if not a.not_an_app and not a.problem]
        if args.json:
            print(json.dumps({"apps": [a.as_dict() for a in apps]}, indent=2))
        else:
            print(f"{len(found)} apps under {args.path} (`scaffold detect DIR` shows one; `scaffold init` renders them all)")
            print("\n".join(_app_lines(apps, sys.stdout)))
        return 0 if found else 1
    detections = detect(args.path)
    if args.json:
        print(json.dumps([d.as_dict() for d in detections], indent=2))
    if not detections:
        print(f"scaffold: {args.path}: no Go, C/C++ or Python project found", file=sys.stderr)
        return 1
    if args.json:
        return 0
    for det in detections:
        print(f"{det.language} ({det.source})")
        for fact in det.facts:
            print(f"  {fact.name} = {json.dumps(fact.value)}  <- {fact.source} [{fact.certainty}]")
        for question in det.questions:
            print(f"  {question.name} = ?  {question.reason}")
            for c in question.candidates:
                print(f"      candidate {json.dumps(c.value)}  <- {c.source}")
        for note in det.notes:
            print(f"  note: {note}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from scaffolder import _report

    if args.compare:
        result = _report.compare_naive(
            args.image, args.context, top=args.top, files=not args.no_files,
            log=None if args.json else sys.stderr,
        )
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            sys.stdout.write(_report.format_report(result["naive"]) + "\n")
            sys.stdout.write(_report.format_report(result["scaffold"]) + "\n")
            sys.stdout.write(_report.format_compare(result))
        return 0
    rep = _report.report(args.image, top=args.top, files=not args.no_files)
    if args.json:
        print(json.dumps(rep, indent=2))
    else:
        sys.stdout.write(_report.format_report(rep))
    return 0


_STATUS = {"M": "modified", "A": "added", "D": "deleted", "??": "added", "UU": "conflict", "AA": "conflict", "R": "renamed"}


def cmd_update(args: argparse.Namespace) -> int:
    from scaffolder._update import update

    answers, origins = _parse_data(args.data, args.data_file)
    result = update(
        args.path, answers, defaults=args.defaults or args.json, conflict=args.conflict, trust=args.trust,
        origins=origins, dry_run=args.dry_run,
    )
    code = 1 if result.conflicts else 0
    if args.json:
        print(json.dumps({
            "path": str(Path(args.path).resolve()),
            "dry_run": result.dry_run,
            "up_to_date": result.up_to_date,
            "template": {"old": result.old, "new": result.new},
            "files": [{"path": path, "status": _STATUS.get(c, c)} for c, path in result.changed],
            "conflicts": result.conflicts,
            "kept": result.kept,
            **({"diff": result.diff} if result.dry_run else {}),
        }, indent=2))
        return code
    would = "would be " if result.dry_run else ""
    if result.up_to_date:
        _err(f"already up to date with the installed templates ({result.new})")
        return 0
    if result.old == result.new:
        _err(f"{'would re-render' if result.dry_run else 're-rendered'} templates {result.new} with the changed answers")
    else:
        _err(f"{'would update' if result.dry_run else 'updated'} templates {result.old} -> {result.new}")
    for c, path in result.changed:
        print(_state(_STATUS.get(c, c), path, sys.stdout))
    if not result.changed:
        _err(f"no file {'would change' if result.dry_run else 'changed'}")
    for path in result.kept:
        _err(f"{'would keep' if result.dry_run else 'kept'} {path}: the answers no longer render it, "
             "but it was edited since scaffold wrote it; delete it if it is no longer needed", "yellow")
    if result.dry_run:
        sys.stdout.write(_painted_diff(result.diff))
    if result.conflicts:
        how = "see the .rej files beside them" if args.conflict == "rej" else "look for <<<<<<< markers"
        if result.dry_run:
            _err(f"conflicts {would}in {', '.join(result.conflicts)}", "red")
        else:
            _err(f"conflicts in {', '.join(result.conflicts)}: {how}, resolve, then commit", "red")
    if result.dry_run:
        _err("dry run: nothing was changed")
    elif not result.conflicts:
        _err("review with `git diff`, then commit (undo: git checkout -- . && git clean -fd)")
    return code


def cmd_check(args: argparse.Namespace) -> int:
    from scaffolder._update import check

    result = check(args.path)
    # One command that brings the files up to date, quoted so it can be pasted into a shell.
    fix = ["scaffold", "update"]
    for d in result.drift:
        if d.name != "apps":  # new app roots are rendered by init, not update
            fix += ["--data", f"{d.name}={d.detected if isinstance(d.detected, str) else json.dumps(d.detected)}"]
    fix += [] if args.path == "." else [args.path]
    if args.json:
        print(json.dumps({**result.as_dict(), "update_command": None if result.up_to_date or result.problems else fix}, indent=2))
        return result.exit_code
    if result.apps:
        return _check_apps(args.path, result)
    for problem in result.problems:
        print(problem)
    if result.template_outdated:
        print(f"templates: {result.recorded} recorded, {result.available} available")
    for d in result.drift:
        print(f"{d.name}: {json.dumps(d.recorded)} recorded, {json.dumps(d.detected)} detected ({d.source})")
    if result.up_to_date:
        print(f"up to date (templates {result.recorded})", file=sys.stderr)
        return result.exit_code
    if result.template_outdated or result.drift:
        print(f"run: {shlex.join(fix)}")
    return result.exit_code


def _check_apps(path: str, result) -> int:
    """`scaffold check` at the root of several apps: the root's state, then each app's, one per line."""
    def state(where: str, one) -> None:
        lines = list(one.problems)
        if one.template_outdated:
            lines.append(f"templates: {one.recorded} recorded, {one.available} available")
        lines += [f"{d.name}: {json.dumps(d.recorded)} recorded, {json.dumps(d.detected)} detected ({d.source})"
                  for d in one.drift]
        if not lines:
            print(f"{where}: up to date (templates {one.recorded})")
        for line in lines:
            print(f"{where}: {line}")

    state(". (docker-bake.hcl)", result)
    for rel, app in result.apps.items():
        state(rel, app)
    fixable = [app for app in [result, *result.apps.values()] if not app.problems and (app.template_outdated or app.drift)]
    if any(d.name == "apps" for d in result.drift):
        print(f"run: {shlex.join(['scaffold', 'init', path])}  (renders the app roots found now)")
    elif fixable:
        print(f"run: {shlex.join(['scaffold', 'update'] + ([] if path == '.' else [path]))}  (updates the root and every app)")
    return result.exit_code


EXIT_CODES = """\
exit codes:
  0    done (check: up to date)
  1    failed: a project file, the template, git or Docker (check: out of date; update: conflicts)
  2    a usage mistake, or a question that needs an answer (--data NAME=VALUE)
  3    check: the answers file or a generated file needs a person (a refused answer, an unknown
       template version, conflict markers left by an update)
  130  interrupted (Ctrl-C); nothing was written
  141  the output pipe closed early (as in `scaffold detect --json | head`)

--json output has the same exit codes; on an error it is {"error": MESSAGE, "exit_code": N}."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake reported by the command it belongs to, in one line after that
    command's usage, naming the closest valid name when there is one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("epilog", EXIT_CODES)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}{self._closest(message)}", file=sys.stderr)
        sys.exit(UsageError.exit_code)

    def unknown(self, extras: list[str]) -> NoReturn:
        self.error(f"unrecognized arguments: {' '.join(extras)}")

    def _closest(self, message: str) -> str:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            wrong, names = choice.group(1), re.findall(r"'([^']*)'", choice.group(2))
        elif message.startswith("unrecognized arguments: "):
            options = [w for w in message.split(": ", 1)[1].split() if w.startswith("--")]
            if not options:
                return ""
            wrong, names = options[0].split("=", 1)[0], [o for o in self._option_string_actions if o.startswith("--")]
        else:
            return ""
        close = difflib.get_close_matches(wrong, names, n=1, cutoff=0.7)
        return f" (did you mean {close[0]}?)" if close else ""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="scaffold", description="Optimized multi-stage container builds for Go, C/C++ and Python.")
    parser.add_argument("--version", action="version", version=f"scaffold {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser("init", help="detect the project and render Dockerfile, .dockerignore and docker-build.sh")
    init.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    init.add_argument("--defaults", action="store_true", help="ask nothing: take detected values and template defaults")
    init.add_argument("--data", action="append", default=[], metavar="NAME=VALUE", help="answer a question up front (repeatable)")
    init.add_argument("--data-file", metavar="FILE", help="YAML file of answers")
    init.add_argument("--dry-run", action="store_true", help="show the files and their diff; write nothing")
    init.add_argument("--force", action="store_true", help="overwrite existing files without asking")
    init.add_argument("--template", metavar="SOURCE", help="render another Copier template (local path or git URL) instead of the bundled one")
    init.add_argument("--trust", action="store_true", help="let --template's tasks and migrations run")
    init.add_argument("--json", action="store_true",
                      help="machine-readable result on stdout (answers, files, what was written); asks nothing, as --defaults")
    init.set_defaults(parser=init, func=cmd_init)

    upd = sub.add_parser("update", help="merge the installed template version into the generated files, keeping your edits")
    upd.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    upd.add_argument("--defaults", action="store_true", help="ask nothing: new questions take detected values and template defaults")
    upd.add_argument("--data", action="append", default=[], metavar="NAME=VALUE", help="answer (or change) a question (repeatable)")
    upd.add_argument("--data-file", metavar="FILE", help="YAML file of answers")
    upd.add_argument("--conflict", choices=["inline", "rej"], default="inline", help="mark conflicts inline (default) or write .rej files")
    upd.add_argument("--trust", action="store_true", help="let a custom template's tasks and migrations run")
    upd.add_argument("--dry-run", action="store_true", help="merge into a scratch clone and show the diff; change nothing")
    upd.add_argument("--json", action="store_true",
                     help="machine-readable result on stdout (versions, files, conflicts); asks nothing, as --defaults")
    upd.set_defaults(parser=upd, func=cmd_update)

    chk = sub.add_parser("check", help="exit non-zero when the generated files are out of date (for CI and pre-commit)")
    chk.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    chk.add_argument("--json", action="store_true", help="machine-readable output")
    chk.set_defaults(parser=chk, func=cmd_check)

    det = sub.add_parser("detect", help="print what was detected, each fact with its source")
    det.add_argument("path", nargs="?", default=".")
    det.add_argument("--json", action="store_true", help="machine-readable output")
    det.set_defaults(parser=det, func=cmd_detect)

    rep = sub.add_parser("report", help="size, layers, largest files and wasted bytes of a built image")
    rep.add_argument("image", help="image name or id (read through the Docker CLI named by $DOCKER, default docker)")
    rep.add_argument("--json", action="store_true", help="machine-readable output")
    rep.add_argument("--compare", choices=["naive"], help="also build the naive single-stage image of the project and compare")
    rep.add_argument("--context", default=".", metavar="DIR", help="project directory for --compare (default: .)")
    rep.add_argument("--top", type=int, default=10, metavar="N", help="files listed as largest and as wasted (default: 10)")
    rep.add_argument("--no-files", action="store_true", help="skip reading the layers' files (faster: no largest files, no wasted bytes)")
    rep.set_defaults(parser=rep, func=cmd_report)
    return parser


PIPE_CLOSED = 141  # 128 + SIGPIPE, as the shell reports a tool a closed pipe stopped


def main(argv: list[str] | None = None) -> int:
    try:
        args, extras = build_parser().parse_known_args(argv)
        if extras:
            # argparse leaves a subcommand's unknown options to the top-level parser.
            args.parser.unknown(extras)
        try:
            code = args.func(args)
        except KeyboardInterrupt:
            code = _fail(args, "interrupted; nothing was written", AbortedError.exit_code)
        except ScaffoldError as err:
            code = _fail(args, str(err), err.exit_code)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`| head`): end quietly, and keep Python's final flush of
        # the remaining output from reporting it again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            try:
                os.dup2(devnull, stream.fileno())
            except (OSError, ValueError):
                pass
        return PIPE_CLOSED


def _fail(args: argparse.Namespace, message: str, code: int) -> int:
    # One line, whatever a wrapped library put in the message.
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    if getattr(args, "json", False):
        print(json.dumps({"error": line, "exit_code": code}))
    print(f"{paint('scaffold:', 'error', sys.stderr)} {line}", file=sys.stderr)
    return code
