"""The greet command, declared as a console script in setup.cfg."""
import sys
from importlib.metadata import version

import colorama


def main() -> int:
    colorama.just_fix_windows_console()
    name = sys.argv[1] if len(sys.argv) > 1 else "world"
    print(f"hello, {name} (greeter {version('greeter')})")
    return 0
