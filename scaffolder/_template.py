"""Where the Copier template comes from (scaffolder._copier runs Copier on it).

The bundled template is recorded in every answers file as ``_src_path: CANONICAL_URL`` with
``_commit: vX.Y.Z``: the same on every machine and every install. That URL never resolves
(``.invalid`` is reserved); while Copier runs, git rewrites it to the template history shipped
with the installed package (``url.<bundle>.insteadOf``), so update can render any released
version again, offline.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from scaffolder import __version__, _history
from scaffolder.errors import ScaffoldError, excerpt

CANONICAL_URL = "https://scaffold.invalid/templates.git"


def installed_templates() -> Path:
    """scaffold's own template: packaged inside the wheel, or ``templates/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "copier.yml").is_file():
            return candidate
    raise FileNotFoundError("scaffold's templates are missing from this installation; reinstall scaffold")


def template_dir() -> Path:
    """The template directory scaffold renders: its own (tests point this at others)."""
    return installed_templates()


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
    # A plain directory whose tree is exactly the commit at ``ref`` (see _copier.copy()).
    directory: Path | None = None

    @property
    def bundled(self) -> bool:
        return self.git_url is not None


def bundle_path() -> Path:
    return _history.bundle_path()


def bundled() -> Source:
    """The installed template: its newest release, or in a development checkout whose
    ``templates/`` differs from it, a development version of the next release."""
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


def refuse_links_out(source: Source) -> None:
    """A third-party template's symbolic links must stay inside it: Copier copies what a link
    points to (or the link itself), so a link to /etc/shadow would land in the repository.
    Checks a plain directory, or every tag and the default branch of a git template."""
    path = Path(source.url)
    links = []
    if path.is_dir():
        # The working tree too: Copier renders a local repository's uncommitted changes.
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if d != ".git"]
            links += [
                (Path(dirpath, name).relative_to(path).as_posix(), os.readlink(Path(dirpath, name)))
                for name in dirnames + filenames
                if Path(dirpath, name).is_symlink()
            ]
    if not path.is_dir() or (path / ".git").exists():
        links += _git_links(source.url)
    for rel, target in links:
        inside = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
        if target.startswith("/") or inside == ".." or inside.startswith("../"):
            raise ScaffoldError(
                f"{source.url}: {rel} links to {excerpt(target)}, outside the template; scaffold never follows "
                "a template's links out of it: replace the link with the file"
            )


def _git_links(url: str) -> list[tuple[str, str]]:
    """The symbolic links (path, target) in every tag and the default branch of a git template."""
    import tempfile

    run_git = _history.run_git

    with tempfile.TemporaryDirectory(prefix="scaffold-template-") as tmp:
        clone = run_git("clone", "--quiet", "--bare", url, tmp)
        if clone.returncode != 0:
            # Unchecked is refused: a template scaffold cannot read for links is not rendered.
            reason = " ".join(clone.stderr.split()) or f"git clone exited with {clone.returncode}"
            raise ScaffoldError(f"{url}: cannot clone the template to check its links: {excerpt(reason, 120)}")
        refs = run_git("for-each-ref", "--format=%(objectname)", "refs/tags", "refs/heads", cwd=Path(tmp)).stdout.split()
        links: dict[tuple[str, str], None] = {}
        for ref in refs:
            tree = run_git("ls-tree", "-r", "-z", ref, cwd=Path(tmp)).stdout
            for entry in filter(None, tree.split("\0")):
                meta, _, rel = entry.partition("\t")
                mode, _, oid = meta.split(" ")
                if mode == "120000":
                    target = run_git("cat-file", "blob", oid, cwd=Path(tmp))
                    links[(rel, target.stdout)] = None
        return list(links)


def resolve(answers_src: str | None, *, trust: bool = False) -> Source:
    """The source for a recorded ``_src_path``: the bundled template, or the user's own."""
    if answers_src in (None, CANONICAL_URL):
        return bundled()
    return Source(answers_src, unsafe=trust)


# --- the plain-directory render ----------------------------------------------------------------------------------

ANSWERS_TEMPLATE = "{{ _copier_conf.answers_file }}.jinja"
# What a template could print that differs between a git checkout and a plain directory.
_VCS_NAMES = re.compile(rb"_commit|_src_path|_copier_conf\.(?:vcs_ref|src_path|commit)")


def _renders_alike(tree: _history.Tree) -> bool:
    """Whether rendering the directory and rendering its commit give the same files, apart from
    the answers file: no other template file reads the version or source of the template."""
    return not any(
        _VCS_NAMES.search(tree.objects[oid][1]) for rel, oid in tree.paths.items() if rel != ANSWERS_TEMPLATE
    )
