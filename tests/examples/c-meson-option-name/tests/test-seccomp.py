#!/usr/bin/env python3
"""Runs sbox under a seccomp filter (needs a built tree)."""
import subprocess
import sys

sys.exit(subprocess.call(["./sbox", "--version"]))
