"""Check every package name in scaffolder/providers/debian.toml against the Debian archive.

For each release the table was checked against, runs ``apt-get update`` and ``apt-cache policy``
in a ``debian:<release>-slim`` container and lists the names with no installable candidate (a
missing or purely virtual package). Needs Docker and the Debian mirror; not part of the test suite:
run it when the table changes, then update ``[checked] date``.

    python tests/check_debian_table.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scaffolder.providers import _debian  # noqa: E402

DOCKER = os.environ.get("DOCKER") or "docker"
SCRIPT = (
    "apt-get update -qq >/dev/null && apt-cache policy \"$@\" 2>/dev/null"
    " | awk '/^[^ ]/ { name = $1 } /Candidate:/ { print name, $2 }'"
)


def candidates(release: str, names: list[str]) -> dict[str, str]:
    out = subprocess.run(
        [DOCKER, "run", "--rm", f"debian:{release}-slim", "sh", "-c", SCRIPT, "sh", *names],
        check=True, capture_output=True, text=True,
    ).stdout
    return {line.split()[0].rstrip(":"): line.split()[1] for line in out.splitlines() if len(line.split()) == 2}


def main() -> int:
    releases = _debian.tomllib.loads(_debian.TABLE.read_text(encoding="utf-8"))["checked"]["releases"]
    bad = 0
    for release in releases:
        names = sorted(_debian.packages(release))
        found = candidates(release, names)
        missing = [n for n in names if found.get(n, "(none)") == "(none)"]
        print(f"{release}: {len(names)} names, {len(missing)} without a candidate" + (": " + " ".join(missing) if missing else ""))
        bad += len(missing)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
