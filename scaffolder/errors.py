"""The exceptions scaffold raises; the CLI turns each into one clean line and an exit code."""

from __future__ import annotations

import re
from pathlib import Path

# Every message is one line of at most this many characters, whatever a file or a library put in
# it, so that with the CLI's "scaffold: " in front it stays under 200.
MAX_MESSAGE = 189
_CONTROL = re.compile(r"[\x00-\x1f\x7f\udc80-\udcff]")


def excerpt(value: object, limit: int = 40) -> str:
    """``value`` as a short quotable string: control characters escaped, the middle cut."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value))
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-(limit - 1 - half):]}"


class ScaffoldError(Exception):
    """Base of every error meant for the user. ``str()`` is the whole message."""

    exit_code = 1


class InputError(ScaffoldError):
    """A project file could not be read or parsed."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None, hint: str = ""):
        self.path = Path(path)
        self.line = line
        self.hint = hint
        where = excerpt(path, 80) + (f":{line}" if line else "")
        hint = f" ({excerpt(hint, 80)})" if hint else ""
        room = MAX_MESSAGE - len(where) - len(hint) - 2
        super().__init__(f"{where}: {excerpt(message, room)}{hint}")


class NotAProjectError(ScaffoldError):
    """The path is not a directory, or nothing scaffold supports was found in it."""


class UsageError(ScaffoldError):
    """The command line is wrong: an unknown option or question, a value of the wrong type."""

    exit_code = 2


class AnswerError(ScaffoldError):
    """An answer is missing or invalid; exit code 2 like a usage error."""

    exit_code = 2

    def __init__(self, question: str, message: str, example: str = "VALUE"):
        self.question = question
        # What to do is kept whole; a long message loses its middle, keeping the question's name
        # in front and the source at the end.
        super().__init__(excerpt(message, self.room(question, example)) + self._tail(question, example))

    @staticmethod
    def _tail(question: str, example: str) -> str:
        return f"; answer it with --data {excerpt(question, 40)}={excerpt(example, 40)}"

    @classmethod
    def room(cls, question: str, example: str = "VALUE") -> int:
        """The characters left for the message before what to do."""
        return MAX_MESSAGE - len(cls._tail(question, example))


class WouldOverwriteError(ScaffoldError):
    """Rendering would change files that already exist and overwriting was not allowed."""

    def __init__(self, paths: list[str]):
        self.paths = paths
        super().__init__(
            f"would overwrite {', '.join(paths)}; nothing was written "
            "(review with --dry-run, then rerun with --force, or run interactively to confirm each file)"
        )


class AbortedError(ScaffoldError):
    """The user interrupted a prompt or declined; nothing was written."""

    exit_code = 130


class UpdateError(ScaffoldError):
    """`scaffold update` or `scaffold check` cannot run in this repository."""


class DockerError(ScaffoldError):
    """The Docker CLI is missing or a Docker command failed."""
