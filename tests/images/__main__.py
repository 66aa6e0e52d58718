"""CLI: ``python -m tests.images {ensure NAME... | all | list | verify}``.

Builds the missing stand-ins (see ``tests/images/__init__.py``) and prints how long each took.
"""

from __future__ import annotations

import argparse
import sys
import time

from . import NAMES, StandinError, ensure_all, image_exists, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.images", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_ensure = sub.add_parser("ensure", help="make the named images available, building stand-ins for missing ones")
    p_ensure.add_argument("names", nargs="+", metavar="NAME")
    p_all = sub.add_parser("all", help="ensure every image a stand-in recipe exists for")
    for p in (p_ensure, p_all):
        p.add_argument("-j", "--jobs", type=int, default=3, help="concurrent builds (default: 3)")
    sub.add_parser("list", help="list the stand-in recipes and whether each image is present")
    sub.add_parser("verify", help="build every stand-in, then build and run small images on them")
    args = parser.parse_args(argv)

    if args.command == "verify":
        from .verify import main as verify

        return verify()

    if args.command == "list":
        for name in NAMES:
            print(f"{'present' if image_exists(name) else 'missing':8} {name}")
        return 0

    names = NAMES if args.command == "all" else args.names
    start = time.monotonic()
    try:
        results = ensure_all(names, jobs=args.jobs)
    except StandinError as exc:
        print(f"stand-ins: {exc}", file=sys.stderr)
        return 1
    for name, status in results.items():
        print(f"[stand-in] {status:8} {name}")
    print(f"[stand-in] {len(results)} images ready in {time.monotonic() - start:.1f}s "
          f"({len(timings)} built)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
