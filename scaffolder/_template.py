"""Where the Copier template comes from, and the git environment Copier runs in.

The bundled template is recorded in every answers file as ``_src_path: CANONICAL_URL`` with
``_commit: vX.Y.Z``: the same on every machine and every install. That URL never resolves
(``.invalid`` is reserved); while Copier runs, git rewrites it to the template history shipped
with the installed package (``url.<bundle>.insteadOf``), so update can render any released
version again, offline. Copier's own mirror of it lives in scaffold's cache.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

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
    if _history.matches_newest(releases, tree.oid):
        newest = releases[-1]
        return Source(CANONICAL_URL, newest.tag, newest.version, git_url=bundle, known=frozenset(r.tag for r in releases))
    if not bundle.exists() and templates.parent == bundle.parent:
        # An installed package ships its history; only a fresh checkout may lack it.
        _history.read_releases(bundle)
    cache = _history.cache_dir()
    with _history.cache_lock(cache):
        repo, dev, dev_tags = _history.dev_repository(bundle, releases, tree, Version(__version__), cache)
    known = frozenset([*(r.tag for r in releases), *dev_tags])
    return Source(CANONICAL_URL, dev.tag, dev.version, git_url=repo, dev=True, known=known)


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
