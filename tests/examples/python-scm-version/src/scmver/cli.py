"""scmver: print the installed distribution's version (setuptools-scm wrote it at build time)."""

from importlib.metadata import version


def main() -> None:
    print(f"scmver {version('scmver')}")
