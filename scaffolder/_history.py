"""The template history that travels with the package.

``scaffolder/templates.bundle`` is a git bundle holding one commit per released template
version, tagged ``vX.Y.Z`` (PEP 440), each commit's tree being the contents of ``templates/``
(copier.yml at the root, as Copier needs). Commits are built here, in Python, with a fixed
author and date, so the same templates give the same hashes on every machine; that also lets
scaffold tell, without running git, whether ``templates/`` is exactly the newest release.

Release a template version (appends the current ``templates/`` and rewrites the bundle)::

    python -m scaffolder._history release X.Y.Z [--templates DIR]
    python -m scaffolder._history list

Rules of ``release``:

- a version newer than the newest in the bundle is appended, tagged, and written into
  ``scaffolder/__init__.__version__``;
- the newest version again with identical templates changes nothing (idempotent);
- the newest version again with changed templates re-cuts it (its commit is replaced) while it is
  unpublished, i.e. while this repository has no git tag ``vX.Y.Z``; once the scaffold release
  is tagged, templates can only ship as a newer version;
- an older version is refused: released history is append-only.

A development checkout whose ``templates/`` differs from the newest release renders from a
scratch repository in scaffold's cache: the bundle's history plus one commit of the current
``templates/``, tagged as a development release of the next version (``vX.Y.Z.devN+bHASH``), so
``scaffold init`` always reflects ``templates/`` while installed wheels render released versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from packaging.version import InvalidVersion, Version

from scaffolder.errors import ScaffoldError

# Fixed identity and date: a commit's hash depends only on the templates, its parent and version.
AUTHOR = b"scaffold <scaffold@scaffold.invalid> 946684800 +0000"
BRANCH = "main"
# Files that are never part of a template version (editor and interpreter droppings).
_JUNK = re.compile(r"(^|/)(__pycache__|\.DS_Store)(/|$)|\.py[co]$|~$|\.sw[po]$")

PACKAGE = Path(__file__).resolve().parent
BUNDLE_NAME = "templates.bundle"


def bundle_path() -> Path:
    """The bundle shipped with the package (``scaffolder/templates.bundle``)."""
    return PACKAGE / BUNDLE_NAME


def source_templates_dir() -> Path:
    """``templates/`` of the source checkout (releases are cut from a checkout only)."""
    path = PACKAGE.parent / "templates"
    if not (path / "copier.yml").is_file():
        raise HistoryError(f"{path}: no templates/copier.yml; run the release command from a scaffold checkout")
    return path


class HistoryError(ScaffoldError):
    """The template history is missing, corrupt or cannot take the requested release."""


# --- git objects, computed in Python --------------------------------------------------------


def _object_id(kind: str, body: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).hexdigest()


@dataclass
class Tree:
    """A directory as git objects: ``oid`` of the root tree and every object by id."""

    oid: str
    objects: dict[str, tuple[str, bytes]]
    paths: dict[str, str]  # file path -> blob id


def template_files(root: Path) -> list[tuple[str, Path]]:
    """The files of a template directory as (relative POSIX path, absolute path), sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if not _JUNK.search(rel):
                found.append((rel, path))
    return sorted(found)


def tree_of(root: Path) -> Tree:
    """Hash ``root`` the way ``git add -A && git write-tree`` would (regular files and
    symlinks; the executable bit is kept because Copier takes file modes from git)."""
    objects: dict[str, tuple[str, bytes]] = {}
    paths: dict[str, str] = {}
    # dir path -> {name: (mode, oid)}
    dirs: dict[str, dict[str, tuple[str, str]]] = {"": {}}
    for rel, path in template_files(root):
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            body, mode = os.readlink(path).encode(), "120000"
        else:
            body = path.read_bytes()
            mode = "100755" if st.st_mode & 0o111 else "100644"
        oid = _object_id("blob", body)
        objects[oid] = ("blob", body)
        paths[rel] = oid
        parts = rel.split("/")
        for i in range(1, len(parts)):
            dirs.setdefault("/".join(parts[:i]), {})
        dirs["/".join(parts[:-1])][parts[-1]] = (mode, oid)

    def build(prefix: str) -> str:
        entries = dict(dirs[prefix])
        for sub in [d for d in dirs if d and d.rpartition("/")[0] == prefix]:
            entries[sub.rpartition("/")[2]] = ("40000", build(sub))
        # git sorts tree entries by name, directories as if they ended with "/".
        ordered = sorted(entries.items(), key=lambda e: e[0] + ("/" if e[1][0] == "40000" else ""))
        body = b"".join(f"{mode} {name}".encode() + b"\0" + bytes.fromhex(oid) for name, (mode, oid) in ordered)
        oid = _object_id("tree", body)
        objects[oid] = ("tree", body)
        return oid

    return Tree(build(""), objects, paths)


def commit_body(tree: str, parent: str | None, version: Version) -> bytes:
    lines = [f"tree {tree}".encode()]
    if parent:
        lines.append(f"parent {parent}".encode())
    lines += [b"author " + AUTHOR, b"committer " + AUTHOR, b"", f"scaffold templates v{version}".encode(), b""]
    return b"\n".join(lines)


def commit_id(tree: str, parent: str | None, version: Version) -> str:
    return _object_id("commit", commit_body(tree, parent, version))


def write_objects(git_dir: Path, objects: dict[str, tuple[str, bytes]]) -> None:
    """Store objects as loose objects of the repository at ``git_dir``."""
    for oid, (kind, body) in objects.items():
        path = git_dir / "objects" / oid[:2] / oid[2:]
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{oid[2:]}.{os.getpid()}.tmp")
        tmp.write_bytes(zlib.compress(f"{kind} {len(body)}\0".encode() + body))
        os.replace(tmp, path)


# --- the bundle ------------------------------------------------------------------------------


def tag_version(tag: str) -> Version | None:
    """``v1.2.3`` -> Version("1.2.3"); None for anything that is not a PEP 440 ``v`` tag."""
    if not tag.startswith("v"):
        return None
    try:
        version = Version(tag[1:])
    except InvalidVersion:
        return None
    return version if str(version) == tag[1:] else None


@dataclass(frozen=True)
class Release:
    version: Version
    commit: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def read_releases(bundle: Path) -> list[Release]:
    """The tagged versions in a bundle, oldest first, read from its header (no git needed)."""
    try:
        with open(bundle, "rb") as f:
            signature = f.readline()
            if not signature.startswith(b"# v") or b"git bundle" not in signature:
                raise HistoryError(f"{bundle}: not a git bundle")
            releases = []
            for raw in f:
                line = raw.rstrip(b"\n").decode("utf-8", "replace")
                if not line:
                    break
                if line.startswith(("-", "@")):
                    continue
                oid, _, ref = line.partition(" ")
                if ref.startswith("refs/tags/") and (version := tag_version(ref[len("refs/tags/"):])):
                    releases.append(Release(version, oid))
    except FileNotFoundError as err:
        raise HistoryError(f"{bundle}: the template history is missing from this installation; reinstall scaffold") from err
    return sorted(releases, key=lambda r: r.version)


def _parent_of(releases: list[Release], index: int) -> str | None:
    # History is linear, one commit per release: a release's parent is the previous release.
    return releases[index - 1].commit if index > 0 else None


def matches_newest(releases: list[Release], tree: str) -> bool:
    """Whether ``tree`` is exactly the newest release (same commit hash, computed in Python)."""
    if not releases:
        return False
    newest = releases[-1]
    return commit_id(tree, _parent_of(releases, len(releases) - 1), newest.version) == newest.commit


def next_version(newest: Version | None, declared: Version | None) -> Version:
    """The release after ``newest``: the declared package version when it is ahead, else the
    next micro version."""
    if newest is None:
        return declared or Version("0.1.0")
    if declared is not None and declared > newest:
        return Version(declared.base_version)
    major, minor, micro = (list(newest.release) + [0, 0, 0])[:3]
    return Version(f"{major}.{minor}.{micro + 1}")


# No git command scaffold runs takes this long on a real repository; one that does is blocked
# (a FIFO among its inputs, a credential prompt, a hung remote) and is stopped.
GIT_TIMEOUT = 120.0


def run_git(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float | None = None) -> subprocess.CompletedProcess:
    """``git ARGS`` with its output captured, never waiting for input and never longer than
    GIT_TIMEOUT seconds: a command that runs out of time is an UpdateError naming it."""
    from scaffolder.errors import UpdateError

    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}, timeout=timeout or GIT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        where = f" in {cwd}" if cwd else ""
        raise UpdateError(f"git {' '.join(args[:2])}{where} did not finish in {timeout or GIT_TIMEOUT:g} s; "
                          "is a FIFO or device among its files, or a remote not answering?") from None


def git(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    proc = run_git(*args, cwd=cwd, env=env)
    if proc.returncode != 0:
        raise HistoryError(f"git {' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def _init_bare(git_dir: Path, bundle: Path | None) -> None:
    if bundle is not None and bundle.exists():
        git("clone", "--bare", "--quiet", str(bundle), str(git_dir))
    else:
        git("init", "--bare", "--quiet", str(git_dir))


def _set_ref(git_dir: Path, ref: str, oid: str) -> None:
    path = git_dir / ref
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(oid + "\n")


def write_bundle(releases: list[Release], objects_from: Path, extra: dict[str, tuple[str, bytes]], out: Path) -> None:
    """Write a bundle holding exactly ``releases`` (tags ``vX.Y.Z`` and ``main`` at the newest)."""
    with tempfile.TemporaryDirectory(prefix="scaffold-history-") as tmp:
        repo = Path(tmp) / "repo.git"
        git("init", "--bare", "--quiet", "--initial-branch", BRANCH, str(repo))
        if objects_from.exists():
            # Borrow the existing objects; the bundle's pack copies what it needs.
            (repo / "objects" / "info").mkdir(parents=True, exist_ok=True)
            (repo / "objects" / "info" / "alternates").write_text(str(objects_from / "objects") + "\n")
        write_objects(repo, extra)
        for release in releases:
            _set_ref(repo, f"refs/tags/{release.tag}", release.commit)
        _set_ref(repo, f"refs/heads/{BRANCH}", releases[-1].commit)
        git("fsck", "--no-dangling", "--no-progress", cwd=repo)
        staged = out.with_name(f".{out.name}.tmp")
        # One pack thread: the same history gives the same bundle bytes.
        git("-c", "pack.threads=1", "bundle", "create", "--quiet", str(staged), "--all", cwd=repo)
        os.replace(staged, out)


# --- release command -------------------------------------------------------------------------

VERSION_FILE = PACKAGE / "__init__.py"
_VERSION_LINE = re.compile(r'^__version__ = "([^"]*)"$', re.M)


def _is_published(version: Version, project: Path) -> bool:
    """A version is published once the scaffold repository carries the release tag ``vX.Y.Z``."""
    proc = run_git("rev-parse", "--verify", "--quiet", f"refs/tags/v{version}", cwd=project)
    return proc.returncode == 0


def release(
    version: Version,
    templates: Path,
    bundle: Path,
    *,
    version_file: Path | None = VERSION_FILE,
    project: Path | None = None,
) -> str:
    """Record ``templates`` as ``version`` in ``bundle``; returns what was done, in one line."""
    releases = read_releases(bundle) if bundle.exists() else []
    tree = tree_of(templates)
    newest = releases[-1] if releases else None
    if newest and version < newest.version:
        raise HistoryError(f"v{version} is older than the newest released templates v{newest.version}; history is append-only")
    if newest and version == newest.version:
        if matches_newest(releases, tree.oid):
            message = f"templates are already released as v{version}; nothing to do"
            _write_version(version_file, version)
            return message
        if project is not None and _is_published(version, project):
            raise HistoryError(
                f"v{version} is published (tag v{version} exists) and its templates differ from templates/; "
                f"release them as a newer version, e.g. python -m scaffolder._history release {next_version(version, None)}"
            )
        releases = releases[:-1]
        action = f"re-cut v{version} (unpublished) with the current templates"
    else:
        action = f"released templates as v{version}"
    parent = releases[-1].commit if releases else None
    body = commit_body(tree.oid, parent, version)
    oid = _object_id("commit", body)
    objects = dict(tree.objects)
    objects[oid] = ("commit", body)
    with tempfile.TemporaryDirectory(prefix="scaffold-history-") as tmp:
        old = Path(tmp) / "old.git"
        _init_bare(old, bundle if bundle.exists() else None)
        write_bundle([*releases, Release(version, oid)], old, objects, bundle)
    _write_version(version_file, version)
    return f"{action} in {bundle.name} ({oid[:12]})"


def _write_version(version_file: Path | None, version: Version) -> None:
    if version_file is None:
        return
    text = version_file.read_text(encoding="utf-8")
    new = _VERSION_LINE.sub(f'__version__ = "{version}"', text, count=1)
    if new != text:
        version_file.write_text(new, encoding="utf-8")


# --- development versions --------------------------------------------------------------------


def cache_dir() -> Path:
    """scaffold's own cache (``$SCAFFOLD_CACHE_DIR``, else the user cache directory, else a
    directory in the temporary directory when the home directory is read-only)."""
    override = os.environ.get("SCAFFOLD_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("scaffold", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        uid = os.getuid() if hasattr(os, "getuid") else "user"
        path = Path(tempfile.gettempdir()) / f"scaffold-cache-{uid}"
    return path


@contextmanager
def cache_lock(cache: Path) -> Iterator[None]:
    """Serialise scaffold processes that share the cache (git refuses concurrent ref updates)."""
    cache.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        yield
        return
    with open(cache / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def dev_repository(
    bundle: Path, releases: list[Release], tree: Tree, declared: Version | None, cache: Path
) -> tuple[Path, Release, list[str]]:
    """A repository with the bundle's history and the current templates as a development
    release of the next version. Built once per bundle and kept: every development version
    seen stays resolvable, so repositories rendered from an earlier one can still update.
    Returns the repository, the development release of ``tree`` and every development tag it
    holds. The caller holds the cache lock."""
    digest = _file_digest(bundle) if bundle.exists() else "0" * 16
    repo = cache / "dev" / f"{digest}.git"
    index_path = repo / "scaffold-dev.json"
    if not index_path.exists():
        shutil.rmtree(repo, ignore_errors=True)
        repo.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=repo.parent))
        try:
            _init_bare(staging / "repo.git", bundle if bundle.exists() else None)
            (staging / "repo.git" / "scaffold-dev.json").write_text("{}")
            os.replace(staging / "repo.git", repo)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    index: dict[str, str] = json.loads(index_path.read_text())
    tags = [f"v{entry.split()[0]}" for entry in index.values()]
    known = index.get(tree.oid)
    if known:
        return repo, Release(Version(known.split()[0]), known.split()[1]), tags
    base = next_version(releases[-1].version if releases else None, declared)
    count = sum(1 for entry in index.values() if Version(entry.split()[0]).base_version == base.base_version)
    # The local label names the bundle: development versions of different histories never
    # share a tag, so an answers file from another one is refused instead of merged wrongly.
    version = Version(f"{base.base_version}.dev{count + 1}+b{digest[:8]}")
    parent = releases[-1].commit if releases else None
    body = commit_body(tree.oid, parent, version)
    oid = _object_id("commit", body)
    objects = dict(tree.objects)
    objects[oid] = ("commit", body)
    write_objects(repo, objects)
    _set_ref(repo, f"refs/tags/v{version}", oid)
    index[tree.oid] = f"{version} {oid}"
    tmp = index_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(index, indent=1))
    os.replace(tmp, index_path)
    return repo, Release(version, oid), [*tags, f"v{version}"]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scaffolder._history", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="append templates/ to the bundle as version X.Y.Z and set __version__")
    rel.add_argument("version", type=Version)
    rel.add_argument("--templates", type=Path, metavar="DIR", help="release this directory instead of templates/ (e.g. an export of a commit)")
    sub.add_parser("list", help="the versions in the bundle")
    args = parser.parse_args(argv)
    bundle = bundle_path()
    try:
        if args.command == "list":
            releases = read_releases(bundle)
            tree = tree_of(source_templates_dir())
            for r in releases:
                print(f"{r.tag}  {r.commit}")
            state = "matches" if matches_newest(releases, tree.oid) else "differs from"
            print(f"templates/ {state} the newest release", file=sys.stderr)
            return 0
        templates = args.templates or source_templates_dir()
        if not (templates / "copier.yml").is_file():
            raise HistoryError(f"{templates}: no copier.yml")
        print(release(args.version, templates, bundle, project=PACKAGE.parent))
        return 0
    except ScaffoldError as err:
        print(f"scaffold: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
