"""Command line: parse arguments, call the API, turn ScaffoldError into one line and an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scaffolder import __version__
from scaffolder._answers import load_yaml_mapping
from scaffolder.errors import AbortedError, ScaffoldError


def _parse_data(items: list[str], data_file: str | None) -> dict[str, Any]:
    answers: dict[str, Any] = load_yaml_mapping(Path(data_file)) if data_file else {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ScaffoldError(f"--data {item!r}: expected NAME=VALUE")
        answers[name.strip()] = value
    return answers


def _show_plan(plan) -> None:
    det = plan.detection
    print(f"Detected {det.language} ({det.source})", file=sys.stderr)
    for fact in det.facts:
        mark = "" if fact.certainty == "certain" else "  [asked; likely]"
        print(f"  {fact.name} = {json.dumps(fact.value)}  <- {fact.source}{mark}", file=sys.stderr)
    for note in det.notes:
        print(f"  note: {note}", file=sys.stderr)


def _confirm(rendered) -> bool:
    import questionary

    sys.stdout.write(rendered.diff())
    return bool(questionary.confirm(f"Overwrite {rendered.path}?", default=False).unsafe_ask())


def cmd_init(args: argparse.Namespace) -> int:
    from scaffolder._main import init

    answers = _parse_data(args.data, args.data_file)
    result = init(
        args.path,
        answers,
        defaults=args.defaults,
        force=args.force,
        dry_run=args.dry_run,
        confirm=_confirm,
        on_plan=_show_plan,
        template=args.template,
        trust=args.trust,
    )
    if args.dry_run:
        for f in result.files:
            print(f"{f.status:>9}  {f.path}")
            if f.status != "unchanged":
                sys.stdout.write(f.diff() if f.old is not None else "".join(
                    f"+{line}\n" for line in f.content.decode("utf-8", "replace").splitlines()
                ))
        print("dry run: nothing was written", file=sys.stderr)
        return 0
    for f in result.files:
        state = "wrote" if f.path in result.written else ("kept" if f.status == "changed" else f.status)
        print(f"{state:>9}  {f.path}", file=sys.stderr)
    print("next: ./docker-build.sh  (builds the image with BuildKit and reports its size)", file=sys.stderr)
    return 0


def cmd_detect(args: argparse.Namespace) -> int:
    from scaffolder._detect import detect

    detections = detect(args.path)
    if args.json:
        print(json.dumps([d.as_dict() for d in detections], indent=2))
        return 0
    if not detections:
        print("nothing detected", file=sys.stderr)
        return 1
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

    answers = _parse_data(args.data, args.data_file)
    result = update(args.path, answers, defaults=args.defaults, conflict=args.conflict, trust=args.trust)
    if result.up_to_date:
        print(f"already up to date with the installed templates ({result.new})", file=sys.stderr)
        return 0
    if result.old == result.new:
        print(f"re-rendered templates {result.new} with the changed answers", file=sys.stderr)
    else:
        print(f"updated templates {result.old} -> {result.new}", file=sys.stderr)
    for code, path in result.changed:
        print(f"{_STATUS.get(code, code):>9}  {path}")
    if not result.changed:
        print("no file changed", file=sys.stderr)
    if result.conflicts:
        how = "see the .rej files beside them" if args.conflict == "rej" else "look for <<<<<<< markers"
        print(f"conflicts in {', '.join(result.conflicts)}: {how}, resolve, then commit", file=sys.stderr)
        return 1
    print("review with `git diff`, then commit (undo: git checkout -- . && git clean -fd)", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from scaffolder._update import check

    result = check(args.path)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0 if result.up_to_date else 1
    if result.template_outdated:
        print(f"templates: {result.recorded} recorded, {result.available} available; run `scaffold update`")
    for d in result.drift:
        print(f"{d.name}: {json.dumps(d.recorded)} recorded, {json.dumps(d.detected)} detected ({d.source}); "
              f"run `scaffold update --data {d.name}={d.detected if isinstance(d.detected, str) else json.dumps(d.detected)}`")
    if result.up_to_date:
        print(f"up to date (templates {result.recorded})", file=sys.stderr)
        return 0
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scaffold", description="Optimized multi-stage container builds for Go, C/C++ and Python.")
    parser.add_argument("--version", action="version", version=f"scaffold {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="detect the project and render Dockerfile, .dockerignore and docker-build.sh")
    init.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    init.add_argument("--defaults", action="store_true", help="ask nothing: take detected values and template defaults")
    init.add_argument("--data", action="append", default=[], metavar="NAME=VALUE", help="answer a question up front (repeatable)")
    init.add_argument("--data-file", metavar="FILE", help="YAML file of answers")
    init.add_argument("--dry-run", action="store_true", help="show the files and their diff; write nothing")
    init.add_argument("--force", action="store_true", help="overwrite existing files without asking")
    init.add_argument("--template", metavar="SOURCE", help="render another Copier template (local path or git URL) instead of the bundled one")
    init.add_argument("--trust", action="store_true", help="let --template's tasks and migrations run")
    init.set_defaults(func=cmd_init)

    upd = sub.add_parser("update", help="merge the installed template version into the generated files, keeping your edits")
    upd.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    upd.add_argument("--defaults", action="store_true", help="ask nothing: new questions take detected values and template defaults")
    upd.add_argument("--data", action="append", default=[], metavar="NAME=VALUE", help="answer (or change) a question (repeatable)")
    upd.add_argument("--data-file", metavar="FILE", help="YAML file of answers")
    upd.add_argument("--conflict", choices=["inline", "rej"], default="inline", help="mark conflicts inline (default) or write .rej files")
    upd.add_argument("--trust", action="store_true", help="let a custom template's tasks and migrations run")
    upd.set_defaults(func=cmd_update)

    chk = sub.add_parser("check", help="exit non-zero when the generated files are out of date (for CI and pre-commit)")
    chk.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    chk.add_argument("--json", action="store_true", help="machine-readable output")
    chk.set_defaults(func=cmd_check)

    det = sub.add_parser("detect", help="print what was detected, each fact with its source")
    det.add_argument("path", nargs="?", default=".")
    det.add_argument("--json", action="store_true", help="machine-readable output")
    det.set_defaults(func=cmd_detect)

    rep = sub.add_parser("report", help="size, layers, largest files and wasted bytes of a built image")
    rep.add_argument("image", help="image name or id (read through the Docker CLI named by $DOCKER, default docker)")
    rep.add_argument("--json", action="store_true", help="machine-readable output")
    rep.add_argument("--compare", choices=["naive"], help="also build the naive single-stage image of the project and compare")
    rep.add_argument("--context", default=".", metavar="DIR", help="project directory for --compare (default: .)")
    rep.add_argument("--top", type=int, default=10, metavar="N", help="files listed as largest and as wasted (default: 10)")
    rep.add_argument("--no-files", action="store_true", help="skip reading the layers' files (faster: no largest files, no wasted bytes)")
    rep.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("scaffold: interrupted; nothing was written", file=sys.stderr)
        return AbortedError.exit_code
    except ScaffoldError as err:
        # One line, whatever a wrapped library put in the message.
        message = " ".join(part.strip() for part in str(err).splitlines() if part.strip())
        print(f"scaffold: {message}", file=sys.stderr)
        return err.exit_code
