import sys

import humanize


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    for size in sizes:
        print(f"size: {humanize.naturalsize(size)}")
