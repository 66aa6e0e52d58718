"""Every call into Copier: render a template (init) and 3-way merge a new version (update),
and the translation of Copier's and Jinja's errors into scaffold's (``scaffolder.errors``).

Copier is imported when it is first needed: importing it costs a fifth of a second, which
`scaffold detect` and `scaffold check` never pay.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

from scaffolder import _answers, _history, _template
from scaffolder._template import CANONICAL_URL, Source
from scaffolder.providers import DefaultExpression
from scaffolder.errors import AbortedError, AnswerError, ScaffoldError

# Copier's names of the features it runs only when trusted, as the refusal says them.
_UNSAFE = {
    "jinja_extensions": "loads Jinja extensions (Python code that runs while it renders)",
    "tasks": "runs tasks (commands after rendering)",
    "migrations": "runs migrations (commands during an update)",
}
_QUESTION = re.compile(r"""[Qq]uestion ["']([A-Za-z0-9_]+)["']""")


def copy(source: Source, data: dict[str, Any], user_defaults: dict[str, Any], *, defaults: bool) -> dict[str, bytes]:
    """Render ``source`` into memory (files by relative path); nothing is written to the repository.

    The bundled template is rendered from its plain directory when that directory is exactly the
    tagged commit (checked by hash): Copier's git checkout of the history costs a dozen git
    processes, a third of `scaffold init`. Only the answers file differs between the two, and it
    is given the ``_commit`` and ``_src_path`` the git render records. Anything unexpected falls
    back to rendering through git."""
    if source.directory is not None and source.ref:
        files = _copy(str(source.directory), data, user_defaults, defaults=defaults, vcs_ref=None, unsafe=_unsafe(source))
        rendered = files.get(_answers.ANSWERS_FILE)
        recorded = rendered and _answers.with_source(
            rendered, rendered_from=str(source.directory), src_path=source.url, commit=source.ref
        )
        if recorded:
            return {**files, _answers.ANSWERS_FILE: recorded}
    if not source.bundled:
        _template.refuse_links_out(source)
    with _environment(source):
        return _copy(source.url, data, user_defaults, defaults=defaults, vcs_ref=source.ref, unsafe=_unsafe(source))


def _plain(user_defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in user_defaults.items() if not isinstance(v, DefaultExpression)}


def _settings(user_defaults: dict[str, Any]):
    """Copier renders a setting's default against the answers given so far; a user default it
    takes as it is. So the defaults that follow other answers go in as settings."""
    import copier

    return copier.Settings(defaults={k: str(v) for k, v in user_defaults.items() if isinstance(v, DefaultExpression)})


def questions(source: Source) -> dict[str, Any]:
    """The template's question data (``copier.yml`` with its includes), as Copier reads it."""
    from copier._template import Template

    plain = source.directory is not None
    with (nullcontext() if plain else _environment(source)), _translated(source.url, "nothing was written"):
        template = Template(url=str(source.directory)) if plain else Template(url=source.url, ref=source.ref)
        try:
            return dict(template.questions_data)
        finally:
            template._cleanup()


def _copy(
    src: str, data: dict[str, Any], user_defaults: dict[str, Any], *, defaults: bool, vcs_ref: str | None, unsafe: bool
) -> dict[str, bytes]:
    import copier

    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as tmp, _translated(src, "nothing was written"):
        copier.run_copy(
            src,
            tmp,
            data=data,
            user_defaults=_plain(user_defaults),
            defaults=defaults,
            vcs_ref=vcs_ref,
            settings=_settings(user_defaults),
            quiet=True,
            overwrite=True,
            unsafe=unsafe,
        )
        root = Path(tmp)
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def update(
    root: Path,
    source: Source,
    *,
    data: dict[str, Any],
    user_defaults: dict[str, Any],
    defaults: bool,
    conflict: str,
) -> str | None:
    """Copier's update of the repository at ``root`` to ``source``: it replays the recorded
    answers itself (``skip_answered``), so ``data`` holds only new and changed answers.
    Returns the template version now recorded. The caller restores the tree on failure."""
    import copier

    if not source.bundled:
        _template.refuse_links_out(source)
    with _environment(source), _translated(source.url, "nothing was changed"):
        worker = copier.run_update(
            str(root),
            answers_file=_answers.ANSWERS_FILE,
            vcs_ref=source.ref,
            data=data,
            user_defaults=_plain(user_defaults),
            defaults=defaults,
            skip_answered=True,
            overwrite=True,
            conflict=conflict,
            quiet=True,
            unsafe=_unsafe(source),
            settings=_settings(user_defaults),
        )
    return worker.template.commit if worker.template else source.ref


def _unsafe(source: Source) -> bool:
    """Whether Copier may use the template's unsafe features. scaffold's own template loads its
    answer schema as a Jinja extension (and has no tasks or migrations); another template only
    with --trust."""
    return source.unsafe or source.bundled


@contextmanager
def _environment(source: Source) -> Iterator[None]:
    """Maps CANONICAL_URL to the installed template history (``url.<bundle>.insteadOf``), keeps
    Copier's mirror of it in scaffold's cache, and serialises processes sharing that cache.

    Copier runs git through plumbum's ``local``, so git's settings go to ``local.env``. Copier
    reads its cache directory from ``os.environ`` only (``COPIER_CACHE_DIR``), so that one
    variable is set there, for the duration of the call."""
    if source.git_url is None:
        yield
        return
    from plumbum import local

    cache = _history.cache_dir()
    start = int(local.env.get("GIT_CONFIG_COUNT", "0") or 0)
    git_config = {
        "GIT_CONFIG_COUNT": str(start + 1),
        f"GIT_CONFIG_KEY_{start}": f"url.{source.git_url}.insteadOf",
        f"GIT_CONFIG_VALUE_{start}": CANONICAL_URL,
    }
    with _history.cache_lock(cache), local.env(**git_config), mock.patch.dict(
        os.environ, {"COPIER_CACHE_DIR": str(cache / "copier")}
    ):
        yield


@contextmanager
def _translated(src: str, nothing_done: str) -> Iterator[None]:
    """Copier's and Jinja's errors as scaffold's: one line, with what to do."""
    from copier.errors import (
        ConfigFileError,
        CopierAnswersInterrupt,
        CopierError,
        ForbiddenPathError,
        InteractiveSessionError,
        InvalidTypeError,
        PathNotRelativeError,
        UnsafeTemplateError,
        UserMessageError,
    )
    from jinja2 import TemplateError

    try:
        yield
    except UnsafeTemplateError as err:
        listed = re.search(r"features?: ([\w, ]+)", str(err))
        features = [f.strip() for f in listed.group(1).split(",")] if listed else []
        what = "; ".join(_UNSAFE.get(f, f) for f in features) or "uses features Copier calls unsafe"
        raise ScaffoldError(f"{src}: the template {what}; review it, then rerun with --trust; {nothing_done}") from err
    except (ForbiddenPathError, PathNotRelativeError) as err:
        raise ScaffoldError(
            f"{src}: the template would write outside the destination ({_first_line(err)}); {nothing_done}"
        ) from err
    except (CopierAnswersInterrupt, KeyboardInterrupt) as err:
        raise AbortedError(f"interrupted; {nothing_done}") from err
    except InteractiveSessionError as err:
        raise ScaffoldError(f"a question needs an answer and there is no terminal to ask on; {nothing_done} "
                            "(use --defaults and --data NAME=VALUE)") from err
    except ConfigFileError as err:
        raise ScaffoldError(f"{src}: invalid template configuration: {_first_line(err)}") from err
    except (ValueError, InvalidTypeError) as err:
        match = _QUESTION.search(str(err))
        if not match:
            bad = ScaffoldError(f"an answer has the wrong type ({_first_line(err)}); check the --data values")
            bad.exit_code = AnswerError.exit_code
            raise bad from err
        question = match.group(1)
        message = str(err).replace(f'Question "{question}" is required', f"{question}: no answer was detected")
        message = message.replace(f"Validation error for question '{question}': ", f"{question}: ")
        raise AnswerError(question, message) from err
    except UserMessageError as err:
        raise ScaffoldError(f"{_first_line(err)}; {nothing_done}") from err
    except (CopierError, TemplateError) as err:
        raise ScaffoldError(f"{src}: the template failed to render: {_first_line(err)}; {nothing_done}") from err


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]
