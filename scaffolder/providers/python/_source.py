"""The project's own Python files, parsed for detection."""

from __future__ import annotations

import ast

from scaffolder._repo import Repo

# A syntax tree takes up to about 400 bytes of memory per byte of source (4 MiB of short
# statements: 1.6 GB, 10 s). A file past this (generated tables, vendored bundles) is not
# where a program's entry point, settings or tools are read from.
MAX_PARSED_CHARS = 256 * 2**10


def parse(repo: Repo, path: str) -> ast.Module | None:
    """``path``'s syntax tree, or None when it does not parse: the project's own code is not
    ours to reject. Nesting past the parser's recursion limit is such code too."""
    text = repo.read_text(path)
    if len(text) > MAX_PARSED_CHARS:
        return None
    try:
        return ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
