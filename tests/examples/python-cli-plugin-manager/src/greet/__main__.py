import sys


def main() -> int:
    names = sys.argv[1:] or ["world"]
    print("hi " + ", ".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
