"""The answers file, ``.scaffold-answers.yml``: what `scaffold init` recorded and `update`,
`check` and `report --compare naive` read back.

Copier writes it (the template's ``{{ _copier_conf.answers_file }}.jinja``): the question
answers, plus ``_src_path`` (where the template comes from) and ``_commit`` (the template
version rendered). This module is its only reader, and the one YAML reader of answers given
with ``--data-file``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from scaffolder import _schema
from scaffolder._repo import Repo
from scaffolder.errors import InputError

ANSWERS_FILE = ".scaffold-answers.yml"
# Restoring the file is the fix for a broken answers file: it is generated, and committed.
_RESTORE = "restore it from git, or rerun `scaffold init --force`"


def load_yaml_mapping(path: Path, *, hint: str = "fix the syntax", text: str | None = None) -> dict[str, Any]:
    """A YAML file of answers (question name -> value), or its ``text`` already read; errors
    name the file and line. Anchors and aliases are refused (an alias bomb expands a few
    lines into billions of values), and so is nesting deeper than any answer needs."""
    from scaffolder._repo import MAX_FILE_BYTES

    try:
        if text is None:
            with open(path, "rb") as handle:  # a FIFO (--data-file <(...)) reads like a file
                data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise InputError(path, f"larger than {MAX_FILE_BYTES // 2**20} MiB, more than answers need", hint=hint)
            text = data.decode("utf-8")
    except FileNotFoundError:
        raise InputError(path, "not found") from None
    except UnicodeDecodeError as err:
        raise InputError(path, "not valid UTF-8 text", hint="save it as UTF-8") from err
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}", hint="check its permissions") from err
    data = safe_yaml(text, path, hint=hint)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise InputError(path, "expected a mapping of question names to answers", hint=hint)
    return data


def safe_yaml(text: str, path: Path | str, *, hint: str = "fix the syntax", aliases: bool = False) -> Any:
    """``text`` as plain YAML data: no anchors or aliases (unless ``aliases``: a project's own
    config may share a block; an alias is the same object, never a copy), no tags beyond the
    standard ones (PyYAML's safe loader), nesting at most MAX_NESTING deep; errors name the file
    and line."""
    import yaml

    from scaffolder._repo import MAX_NESTING

    class Refused(yaml.YAMLError):
        def __init__(self, what: str, mark: Any):
            super().__init__(what)
            self.what, self.problem_mark = what, mark

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if not aliases and (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)):
                raise Refused("anchors and aliases (&name, *name) are not allowed in answers", event.start_mark)
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise Refused(f"nested deeper than {MAX_NESTING} levels", event.start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader, stricter still
    except Refused as err:
        raise InputError(path, err.what, line=err.problem_mark.line + 1, hint="write each value out in full") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(path, "invalid YAML", line=mark.line + 1 if mark else None, hint=hint) from err
    except RecursionError as err:  # the parser's own recursion on pathological input
        raise InputError(path, f"nested deeper than {MAX_NESTING} levels", hint=hint) from err


def recorded(rendered: bytes) -> dict[str, Any]:
    """Everything a rendered answers file records: the answers and Copier's ``_`` records."""
    import yaml

    try:
        data = yaml.safe_load(rendered.decode("utf-8")) if rendered else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def answers_of(rendered: bytes) -> dict[str, Any]:
    """The question answers of a rendered answers file (without Copier's ``_`` records)."""
    return {k: v for k, v in recorded(rendered).items() if not str(k).startswith("_")}


def commit_version(commit: str | None) -> Version | None:
    """The PEP 440 version of a ``_commit`` (``v1.2.0``; ``v1.2.0-3-gabc`` is 1.2.0.post3)."""
    if not commit:
        return None
    text = commit[1:] if commit.startswith("v") else commit
    base, sep, rest = text.partition("-")
    if sep:
        count = rest.split("-")[0]
        text = f"{base}.post{count}" if count.isdigit() else base
    try:
        return Version(text)
    except InvalidVersion:
        return None


@dataclass
class Recorded:
    """The answers file of a repository."""

    path: Path
    answers: dict[str, Any]  # question answers only
    src_path: str | None
    commit: str | None
    lines: dict[str, int] = field(default_factory=dict)  # the line each answer is on

    @property
    def version(self) -> Version | None:
        return commit_version(self.commit)

    def problems(self) -> list[InputError]:
        """The recorded answers the answer schema refuses, each naming the file and line (a
        hand-edited or hostile answers file is input like any other)."""
        return [
            InputError(self.path.name, why, line=self.lines.get(name), hint="fix it, or restore the file from git")
            for name, value in self.answers.items()
            if (why := _schema.problem(name, value))
        ]

    def require_valid(self) -> None:
        found = self.problems()
        if found:
            raise found[0]


def read(root: Path, *, missing_hint: str) -> Recorded:
    """The answers recorded in the repository at ``root``; ``missing_hint`` says what to do
    when there is no answers file."""
    path = root / ANSWERS_FILE
    if not (path.is_file() or path.is_symlink()):
        raise InputError(path, "not found", hint=missing_hint)
    # Through Repo: a link out of the repository, a FIFO or a huge file is refused unread.
    text = Repo(root).read_text(ANSWERS_FILE, long_lines=True)
    data = load_yaml_mapping(path, hint=_RESTORE, text=text)
    answers = {k: v for k, v in data.items() if not k.startswith("_")}
    src_path, commit = data.get("_src_path"), data.get("_commit")
    # Top-level keys start a line (the template writes them with to_nice_yaml).
    lines = {m.group(1): text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"^([A-Za-z_][\w-]*):", text, re.M)}
    return Recorded(
        path,
        answers,
        str(src_path) if src_path is not None else None,
        str(commit) if commit is not None else None,
        lines,
    )


def with_source(rendered: bytes, *, rendered_from: str, src_path: str, commit: str) -> bytes | None:
    """The answers file Copier rendered from the template's plain directory ``rendered_from``,
    as a render of its git history writes it: ``_src_path`` and ``_commit`` recorded. The file
    is written again the way the template writes it (its leading comment, then
    ``to_nice_yaml``); None when ``rendered`` is not exactly that, so the caller renders
    through git instead."""
    import yaml
    from jinja2_ansible_filters.core_filters import to_nice_yaml

    text = rendered.decode("utf-8")
    body_start = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        body_start += len(line)
    header, body = text[:body_start], text[body_start:]
    try:
        loaded = yaml.safe_load(body)
    except yaml.YAMLError:
        return None
    if not isinstance(loaded, dict) or "_commit" in loaded or loaded.get("_src_path") != rendered_from:
        return None
    dumped = to_nice_yaml(loaded)
    trailer = body[len(dumped):]
    if not body.startswith(dumped) or trailer.strip():
        return None
    recorded = to_nice_yaml({**loaded, "_commit": commit, "_src_path": src_path})
    return (header + recorded + trailer).encode("utf-8")
