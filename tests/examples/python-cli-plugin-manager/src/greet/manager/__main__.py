import sys


def main() -> int:
    print("greet plugins: none installed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
