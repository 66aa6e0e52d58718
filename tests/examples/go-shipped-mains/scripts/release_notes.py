"""Prints the release notes of the latest tag (a maintainer's helper)."""
import subprocess

print(subprocess.run(["git", "describe", "--tags"], capture_output=True, text=True).stdout)
