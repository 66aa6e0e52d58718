"""Where the Copier template comes from, and the git environment Copier runs in.

The bundled template is recorded in every answers file as ``_src_path: CANONICAL_URL`` with
``_commit: vX.Y.Z``: the same on every machine and every install. That URL never resolves
(``.invalid`` is reserved); while Copier runs, git rewrites it to the template history shipped
with the installed package (``url.<bundle>.insteadOf``), so update can render any released
version again, offline. Copier's own mirror of it lives in scaffold's cache.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from packaging.version import Version

from scaffolder import _history

CANONICAL_URL = "https://scaffold.invalid/templates.git"


def template_dir() -> Path:
    """The template directory: packaged inside the wheel, or ``templates/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "copier.yml").is_file():
            return candidate
    raise FileNotFoundError("scaffold's templates are missing from this installation; reinstall scaffold")


def source_templates_dir() -> Path:
    """``templates/`` of the source checkout (releases are cut from a checkout only)."""
    path = Path(__file__).resolve().parent.parent / "templates"
    if not (path / "copier.yml").is_file():
        raise _history.HistoryError(f"{path}: no templates/copier.yml; run the release command from a scaffold checkout")
    return path


@dataclass
class Source:
    """A template Copier can render and update from."""

    url: str  # Copier's src_path, recorded as _src_path
    ref: str | None = None  # vcs_ref: the tag to render; None lets Copier pick
    version: Version | None = None  # the newest version this installation can render
    git_url: Path | None = None  # the local repository or bundle CANONICAL_URL stands for
    dev: bool = False  # templates/ is ahead of the newest release
    unsafe: bool = False  # tasks and migrations may run (--trust)
    known: frozenset[str] = frozenset()  # the tags (versions) this installation can render
    # A plain directory whose tree is exactly the commit at ``ref`` (see render()).
    directory: Path | None = None

    @property
    def bundled(self) -> bool:
        return self.git_url is not None

    @contextmanager
    def environment(self) -> Iterator[None]:
        """Run Copier inside this: maps CANONICAL_URL to the installed history, keeps Copier's
        mirror in scaffold's cache, and serialises processes sharing that cache."""
        if self.git_url is None:
            yield
            return
        cache = _history.cache_dir()
        start = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
        env = {
            "GIT_CONFIG_COUNT": str(start + 1),
            f"GIT_CONFIG_KEY_{start}": f"url.{self.git_url}.insteadOf",
            f"GIT_CONFIG_VALUE_{start}": CANONICAL_URL,
            "COPIER_CACHE_DIR": str(cache / "copier"),
        }
        # Copier runs git through plumbum, which copied os.environ when it was imported;
        # Copier reads COPIER_CACHE_DIR from os.environ. Set both, restore both.
        from plumbum import local

        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            with _history.cache_lock(cache), local.env(**env):
                yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def bundle_path() -> Path:
    return _history.bundle_path()


def bundled() -> Source:
    """The installed template: its newest release, or in a development checkout whose
    ``templates/`` differs from it, a development version of the next release."""
    from scaffolder import __version__

    bundle = bundle_path()
    templates = template_dir()
    releases = _history.read_releases(bundle) if bundle.exists() else []
    tree = _history.tree_of(templates)
    directory = templates if _renders_alike(tree) else None
    if _history.matches_newest(releases, tree.oid):
        newest = releases[-1]
        known = frozenset(r.tag for r in releases)
        return Source(CANONICAL_URL, newest.tag, newest.version, git_url=bundle, known=known, directory=directory)
    if not bundle.exists() and templates.parent == bundle.parent:
        # An installed package ships its history; only a fresh checkout may lack it.
        _history.read_releases(bundle)
    cache = _history.cache_dir()
    with _history.cache_lock(cache):
        repo, dev, dev_tags = _history.dev_repository(bundle, releases, tree, Version(__version__), cache)
    known = frozenset([*(r.tag for r in releases), *dev_tags])
    return Source(CANONICAL_URL, dev.tag, dev.version, git_url=repo, dev=True, known=known, directory=directory)


def custom(source: str, *, trust: bool = False) -> Source:
    """``--template SOURCE``: a local directory (made absolute, so the recorded ``_src_path``
    works from any directory) or a git URL, given to Copier as is."""
    path = Path(source).expanduser()
    url = str(path.resolve()) if path.exists() else source
    return Source(url, unsafe=trust)


def resolve(answers_src: str | None, *, trust: bool = False) -> Source:
    """The source for a recorded ``_src_path``: the bundled template, or the user's own."""
    if answers_src in (None, CANONICAL_URL):
        return bundled()
    return Source(answers_src, unsafe=trust)


# --- rendering ----------------------------------------------------------------------------------

ANSWERS_FILE = ".scaffold-answers.yml"
ANSWERS_TEMPLATE = "{{ _copier_conf.answers_file }}.jinja"
# What a template could print that differs between a git checkout and a plain directory.
_VCS_NAMES = re.compile(rb"_commit|_src_path|_copier_conf\.(?:vcs_ref|src_path|commit)")


def _renders_alike(tree: _history.Tree) -> bool:
    """Whether rendering the directory and rendering its commit give the same files, apart from
    the answers file: no other template file reads the version or source of the template."""
    return not any(
        _VCS_NAMES.search(tree.objects[oid][1]) for rel, oid in tree.paths.items() if rel != ANSWERS_TEMPLATE
    )


def render(
    source: Source, data: dict[str, Any], user_defaults: dict[str, Any], *, defaults: bool
) -> dict[str, bytes]:
    """Render ``source`` into memory (files by relative path).

    The bundled template is rendered from its plain directory when that directory is exactly the
    tagged commit (checked by hash): Copier's git checkout of the history costs a dozen git
    processes, a third of `scaffold init`. Only the answers file differs between the two, and it
    is given the ``_commit`` and ``_src_path`` the git render records. Anything unexpected falls
    back to rendering through git."""
    from scaffolder import _render

    if source.directory is not None and source.ref:
        files = _render.render_template(str(source.directory), data, user_defaults, defaults=defaults)
        recorded = _record_source(files.get(ANSWERS_FILE), source)
        if recorded is not None:
            return {**files, ANSWERS_FILE: recorded}
    with source.environment():
        return _render.render_template(
            source.url, data, user_defaults, defaults=defaults, vcs_ref=source.ref, unsafe=source.unsafe
        )


def _record_source(answers: bytes | None, source: Source) -> bytes | None:
    """The answers file as the git render writes it: ``_src_path`` replaced by ``_commit`` and
    the canonical ``_src_path`` (to_nice_yaml sorts keys: they stay adjacent). None if the file
    does not look as expected."""
    import yaml

    if answers is None or source.directory is None:
        return None
    text = answers.decode("utf-8")
    try:
        loaded = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(loaded, dict) or "_commit" in loaded or loaded.get("_src_path") != str(source.directory):
        return None
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    span = next(((k.start_mark, v.end_mark) for k, v in pairs if k.value == "_src_path"), None)
    if span is None:
        return None
    lines = text.splitlines(keepends=True)
    # The entry's lines: from the key's line to the value's last line (a mark at column 0 is
    # already the next line).
    start, end = span[0].line, span[1].line + (1 if span[1].column else 0)
    entry = yaml.safe_dump({"_commit": source.ref, "_src_path": source.url}, sort_keys=False, default_flow_style=False)
    result = "".join(lines[:start]) + entry + "".join(lines[end:])
    if yaml.safe_load(result) != {**loaded, "_commit": source.ref, "_src_path": source.url}:
        return None
    return result.encode("utf-8")
