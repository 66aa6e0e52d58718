"""tally: count the words given on the command line."""

import argparse
import os
import sys


def main() -> int:
    prog = os.path.basename(sys.argv[0])
    parser = argparse.ArgumentParser(prog=prog, description="Count words.")
    parser.add_argument("words", nargs="*")
    args = parser.parse_args()
    print(f"{prog}: {len(args.words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
