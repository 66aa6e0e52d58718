"""A command-line tool frozen by PyInstaller: no Python in the final image."""

import argparse
import platform


def main() -> None:
    parser = argparse.ArgumentParser(description="greets, frozen")
    parser.add_argument("name", nargs="?", default="pyinstaller")
    args = parser.parse_args()
    print(f"hello, {args.name}")
    print(f"python {platform.python_version()} frozen")


if __name__ == "__main__":
    main()
