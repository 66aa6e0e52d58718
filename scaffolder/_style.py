"""Colour in scaffold's own output: only on a terminal, and never when ``NO_COLOR`` is set
(https://no-color.org: any non-empty value). Piped or redirected output stays plain text."""

from __future__ import annotations

import os
from typing import TextIO

_CODES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "error": "1;31",
}


def enabled(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def paint(text: str, style: str, stream: TextIO) -> str:
    """``text`` in ``style`` when ``stream`` shows colour, else as it is."""
    if not text or not enabled(stream):
        return text
    return f"\x1b[{_CODES[style]}m{text}\x1b[0m"
