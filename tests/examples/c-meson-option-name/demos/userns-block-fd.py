#!/usr/bin/env python3
"""Demo: map the user namespace through newuidmap before the sandbox runs."""
import os
import subprocess

pid = os.getpid()
subprocess.call(["newuidmap", str(pid), "0", str(os.getuid()), "1"])
subprocess.call(["newgidmap", str(pid), "0", str(os.getgid()), "1"])
