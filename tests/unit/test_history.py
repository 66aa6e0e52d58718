"""The template history shipped in scaffolder/templates.bundle, the release command, development
versions of a checkout whose templates/ is ahead of the newest release, and --template."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

import scaffolder
from scaffolder import _copier, _history, _template
from tests.helpers import GIT_IDENTITY, git, make_project, run, write_template

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "python -m scaffolder._history release"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)


# --- the shipped history ----------------------------------------------------------------------


def test_templates_are_released():
    """A template change cannot ship without its new version."""
    releases = _history.read_releases(_history.bundle_path())
    assert releases, f"scaffolder/templates.bundle holds no release; run: {RELEASE} {scaffolder.__version__}"
    newest = releases[-1]
    tree = _history.tree_of(ROOT / "templates")
    assert _history.matches_newest(releases, tree.oid), (
        f"templates/ differs from the newest released template version {newest.tag} in "
        f"scaffolder/templates.bundle. Release it: `{RELEASE} {_history.next_version(newest.version, None)}` "
        f"(or, while {newest.tag} is unpublished, re-cut it: `{RELEASE} {newest.version}`), then commit "
        "scaffolder/templates.bundle and scaffolder/__init__.py"
    )


def test_package_version_is_the_newest_template_version():
    newest = _history.read_releases(_history.bundle_path())[-1]
    assert Version(scaffolder.__version__) == newest.version, (
        f"__version__ is {scaffolder.__version__} but the newest template release is {newest.tag}; "
        f"run: {RELEASE} {scaffolder.__version__}"
    )


def test_bundle_history_is_linear_with_one_commit_per_version(tmp_path):
    clone = tmp_path / "history"
    git(tmp_path, "clone", "--quiet", "--bare", str(_history.bundle_path()), str(clone))
    releases = _history.read_releases(_history.bundle_path())
    log = git(clone, "log", "--format=%H %P %an %at %s", "main").splitlines()
    assert len(log) == len(releases)
    for line, release in zip(log, reversed(releases)):
        assert line.startswith(release.commit)
        assert line.endswith(f"scaffold 946684800 scaffold templates {release.tag}")


def test_bundle_is_in_the_wheel_layout():
    # pyproject packages scaffolder/ whole: the bundle sits beside the force-included templates.
    text = (ROOT / "pyproject.toml").read_text()
    assert 'packages = ["scaffolder"]' in text and '"templates" = "scaffolder/templates"' in text
    assert _history.bundle_path() == ROOT / "scaffolder" / "templates.bundle"
    assert "templates.bundle" in git(ROOT, "ls-files", "scaffolder/templates.bundle")


# --- hashing and the release command -----------------------------------------------------------


def test_python_hashes_are_gits(tmp_path):
    tpl = write_template(tmp_path / "tpl", 2)
    (tpl / "partials").mkdir()
    (tpl / "partials" / "go.Dockerfile.jinja").write_text("x\n")
    (tpl / "partials-z").write_text("sorts after the directory\n")
    (tpl / "__pycache__").mkdir()
    (tpl / "__pycache__" / "junk.pyc").write_bytes(b"\0")
    repo = tmp_path / "repo"
    git(tmp_path, "init", "--quiet", str(repo))
    env = {**os.environ, "GIT_DIR": str(repo / ".git"), "GIT_WORK_TREE": str(tpl)}
    subprocess.run(["git", "add", "-A", "--", ".", ":(exclude)__pycache__"], cwd=tpl, env=env, check=True)
    expected = subprocess.run(["git", "write-tree"], cwd=tpl, env=env, check=True, capture_output=True, text=True)
    assert _history.tree_of(tpl).oid == expected.stdout.strip()


def test_release_appends_is_idempotent_and_reproducible(tmp_path):
    v1, v2 = write_template(tmp_path / "v1", 1), write_template(tmp_path / "v2", 2)
    version_file = tmp_path / "__init__.py"
    version_file.write_text('"""pkg."""\n\n__version__ = "0.0.1"\n')
    bundle = tmp_path / "a" / "templates.bundle"
    bundle.parent.mkdir()
    assert "released templates as v1.0.0" in _history.release(Version("1.0.0"), v1, bundle, version_file=version_file)
    assert '__version__ = "1.0.0"' in version_file.read_text()
    first = bundle.read_bytes()
    assert "nothing to do" in _history.release(Version("1.0.0"), v1, bundle, version_file=version_file)
    assert bundle.read_bytes() == first
    _history.release(Version("1.1.0"), v2, bundle, version_file=version_file)
    assert [r.tag for r in _history.read_releases(bundle)] == ["v1.0.0", "v1.1.0"]
    assert '__version__ = "1.1.0"' in version_file.read_text()
    # Another machine cutting the same releases gets the same commits.
    other = tmp_path / "b" / "templates.bundle"
    other.parent.mkdir()
    _history.release(Version("1.0.0"), v1, other, version_file=None)
    _history.release(Version("1.1.0"), v2, other, version_file=None)
    assert _history.read_releases(other) == _history.read_releases(bundle)
    with pytest.raises(_history.HistoryError, match="older than the newest"):
        _history.release(Version("1.0.5"), v2, bundle, version_file=None)


def test_release_recuts_an_unpublished_version_only(tmp_path):
    v1, v2 = write_template(tmp_path / "v1", 1), write_template(tmp_path / "v2", 2)
    project = make_project(tmp_path / "project")
    bundle = tmp_path / "templates.bundle"
    _history.release(Version("1.0.0"), v1, bundle, version_file=None, project=project)
    before = _history.read_releases(bundle)[-1]
    message = _history.release(Version("1.0.0"), v2, bundle, version_file=None, project=project)
    assert "re-cut v1.0.0" in message
    (after,) = _history.read_releases(bundle)
    assert after.commit != before.commit
    assert _history.matches_newest([after], _history.tree_of(v2).oid)
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "release")
    git(project, "tag", "v1.0.0")  # published
    with pytest.raises(_history.HistoryError, match=r"v1.0.0 is published .* release 1.0.1"):
        _history.release(Version("1.0.0"), v1, bundle, version_file=None, project=project)


def test_release_command_line(tmp_path, monkeypatch, capsys):
    bundle = tmp_path / "templates.bundle"
    monkeypatch.setattr(_history, "bundle_path", lambda: bundle)
    monkeypatch.setattr(_history, "VERSION_FILE", tmp_path / "missing-is-fine")
    monkeypatch.setattr(_history, "_write_version", lambda *a: None)
    assert _history.main(["release", "9.9.9"]) == 0
    assert "released templates as v9.9.9" in capsys.readouterr().out
    assert _history.main(["list"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("v9.9.9 ") and "matches the newest release" in err


# --- development checkouts ---------------------------------------------------------------------


def test_dev_checkout_renders_current_templates_and_updates_between_them(tmp_path, monkeypatch, capsys):
    bundle = tmp_path / "templates.bundle"
    v1 = write_template(tmp_path / "v1", 1)
    _history.release(Version("1.0.0"), v1, bundle, version_file=None)
    work = write_template(tmp_path / "work", 1)  # templates/ of a checkout being edited
    monkeypatch.setattr(_template, "bundle_path", lambda: bundle)
    monkeypatch.setattr(_template, "template_dir", lambda: work)
    monkeypatch.setattr(scaffolder, "__version__", "1.0.0")

    source = _template.bundled()
    assert (source.ref, source.dev) == ("v1.0.0", False)

    # An edit in templates/ shows up at once, as a development version of the next release.
    (work / "Dockerfile.jinja").write_text((work / "Dockerfile.jinja").read_text() + "LABEL dev=1\n")
    root = make_project(tmp_path / "hello")
    code, _, err = run(capsys, "init", "--defaults", str(root))
    assert code == 0, err
    assert "LABEL dev=1" in (root / "Dockerfile").read_text()
    dev1 = _template.bundled().ref  # same templates, same version
    assert dev1.startswith("v1.0.1.dev1+b") and Version(dev1[1:]) < Version("1.0.1")
    assert f"_commit: {dev1}" in (root / ".scaffold-answers.yml").read_text()
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "dev1")

    (work / "Dockerfile.jinja").write_text((work / "Dockerfile.jinja").read_text() + "LABEL dev=2\n")
    code, out, err = run(capsys, "check", str(root))
    dev2 = dev1.replace(".dev1+", ".dev2+")
    assert code == 1 and f"{dev1} recorded, {dev2} available" in out
    code, _, err = run(capsys, "update", "--defaults", str(root))
    assert code == 0, err
    assert "LABEL dev=2" in (root / "Dockerfile").read_text()
    assert f"_commit: {dev2}" in (root / ".scaffold-answers.yml").read_text()


def test_answers_from_an_unknown_development_version_are_refused(tmp_path, monkeypatch, capsys):
    bundle = tmp_path / "templates.bundle"
    v1 = write_template(tmp_path / "v1", 1)
    _history.release(Version("1.0.0"), v1, bundle, version_file=None)
    monkeypatch.setattr(_template, "bundle_path", lambda: bundle)
    monkeypatch.setattr(_template, "template_dir", lambda: v1)
    root = make_project(tmp_path / "hello")
    assert run(capsys, "init", "--defaults", str(root))[0] == 0
    answers = root / ".scaffold-answers.yml"
    answers.write_text(answers.read_text().replace("_commit: v1.0.0", "_commit: v0.9.0.dev3"))
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "from someone's checkout")
    code, _, err = run(capsys, "update", "--defaults", str(root))
    assert code == 1 and "template version v0.9.0.dev3 is unknown to this scaffold" in err


# --- --template SOURCE ------------------------------------------------------------------------

TASK = '_tasks:\n  - "touch task-ran"\n'


def test_custom_template_directory_needs_trust_for_tasks(tmp_path, capsys):
    tpl = write_template(tmp_path / "platform-template", 1)
    (tpl / "copier.yml").write_text((tpl / "copier.yml").read_text() + TASK)
    root = make_project(tmp_path / "hello")
    code, _, err = run(capsys, "init", "--defaults", "--template", str(tpl), str(root))
    assert code == 1 and "runs tasks (commands after rendering)" in err and "--trust" in err
    assert not (root / "Dockerfile").exists()
    code, _, err = run(capsys, "init", "--defaults", "--template", str(tpl), "--trust", str(root))
    assert code == 0, err
    assert (root / "Dockerfile").read_text().startswith("# Generated by scaffold")
    assert f"_src_path: {tpl}" in (root / ".scaffold-answers.yml").read_text()


def test_custom_git_template_updates_from_its_tags(tmp_path, capsys):
    tpl = write_template(tmp_path / "fork", 1)
    git(tpl, "init", "--quiet", "--initial-branch", "main")
    git(tpl, "add", "-A")
    git(tpl, "commit", "--quiet", "-m", "v1")
    git(tpl, "tag", "v1.0.0")
    root = make_project(tmp_path / "hello")
    code, _, err = run(capsys, "init", "--defaults", "--template", str(tpl), str(root))
    assert code == 0, err
    answers = (root / ".scaffold-answers.yml").read_text()
    assert "_commit: v1.0.0" in answers and f"_src_path: {tpl}" in answers
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "v1")
    shutil.rmtree(tpl / "compose.yaml.jinja", ignore_errors=True)
    v2 = write_template(tmp_path / "fork-v2", 2)
    for path in v2.iterdir():
        if path.is_file():
            shutil.copy(path, tpl / path.name)
    git(tpl, "add", "-A")
    git(tpl, "commit", "--quiet", "-m", "v2")
    git(tpl, "tag", "v2.0.0")
    code, out, _ = run(capsys, "check", str(root))
    assert code == 1 and "v2.0.0 available" in out
    code, _, err = run(capsys, "update", "--defaults", str(root))
    assert code == 0, err
    assert "-trimpath" in (root / "Dockerfile").read_text()
    assert "_commit: v2.0.0" in (root / ".scaffold-answers.yml").read_text()


def test_update_from_a_custom_template_with_tasks_needs_trust(tmp_path, capsys):
    tpl = write_template(tmp_path / "fork", 1)
    (tpl / "copier.yml").write_text((tpl / "copier.yml").read_text() + TASK)
    git(tpl, "init", "--quiet", "--initial-branch", "main")
    git(tpl, "add", "-A")
    git(tpl, "commit", "--quiet", "-m", "v1")
    git(tpl, "tag", "v1.0.0")
    root = make_project(tmp_path / "hello")
    (root / ".gitignore").write_text("task-ran\n")
    assert run(capsys, "init", "--defaults", "--trust", "--template", str(tpl), str(root))[0] == 0
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "v1")
    (tpl / "Dockerfile.jinja").write_text("# v2\n" + (tpl / "Dockerfile.jinja").read_text())
    git(tpl, "commit", "--quiet", "-am", "v2")
    git(tpl, "tag", "v2.0.0")
    before = (root / "Dockerfile").read_text()
    code, _, err = run(capsys, "update", "--defaults", str(root))
    assert code == 1 and "runs tasks (commands after rendering)" in err and "--trust" in err
    assert (root / "Dockerfile").read_text() == before and git(root, "status", "--porcelain") == ""
    code, _, err = run(capsys, "update", "--defaults", "--trust", str(root))
    assert code == 0, err
    assert (root / "Dockerfile").read_text().startswith("# v2\n")


# --- the plain-directory render is the git render ---------------------------------------------

GO_DATA = {"language": "go", "go_packages": ["."], "go_module": True, "go_entrypoint": "hello", "project_name": "hello"}


def _both_renders(monkeypatch, templates: Path, bundle: Path) -> tuple[dict, dict]:
    monkeypatch.setattr(_template, "bundle_path", lambda: bundle)
    monkeypatch.setattr(_template, "template_dir", lambda: templates)
    source = _template.bundled()
    assert source.directory == templates
    fast = _copier.copy(source, GO_DATA, {}, defaults=True)
    source.directory = None
    slow = _copier.copy(source, GO_DATA, {}, defaults=True)
    return fast, slow


def test_directory_render_equals_git_render(tmp_path, monkeypatch):
    # A long path with spaces: YAML would fold it if the answers file were patched as text.
    templates = write_template(tmp_path / ("a directory with spaces " * 4).strip() / "templates", 2)
    bundle = tmp_path / "templates.bundle"
    _history.release(Version("1.0.0"), templates, bundle, version_file=None)
    fast, slow = _both_renders(monkeypatch, templates, bundle)
    assert fast == slow
    assert b"_commit: v1.0.0\n_src_path: https://scaffold.invalid/templates.git\n" in fast[".scaffold-answers.yml"]


def test_directory_render_equals_git_render_for_the_shipped_template(tmp_path, monkeypatch):
    shipped = _history.read_releases(_history.bundle_path())[-1]
    clone = tmp_path / "shipped"
    git(tmp_path, "clone", "--quiet", "--branch", shipped.tag, str(_history.bundle_path()), str(clone))
    shutil.rmtree(clone / ".git")
    fast, slow = _both_renders(monkeypatch, clone, _history.bundle_path())
    assert fast == slow and "Dockerfile" in fast


def test_templates_that_read_their_version_render_through_git(tmp_path, monkeypatch):
    templates = write_template(tmp_path / "templates", 1)
    (templates / "VERSION.jinja").write_text("{{ _copier_answers._commit }}\n")
    bundle = tmp_path / "templates.bundle"
    _history.release(Version("1.0.0"), templates, bundle, version_file=None)
    monkeypatch.setattr(_template, "bundle_path", lambda: bundle)
    monkeypatch.setattr(_template, "template_dir", lambda: templates)
    source = _template.bundled()
    assert source.directory is None
    assert _copier.copy(source, GO_DATA, {}, defaults=True)["VERSION"] == b"v1.0.0\n"


@pytest.mark.parametrize("preserve", [False, True])
@pytest.mark.parametrize("committed", [False, True])
def test_a_template_link_out_of_the_template_is_refused(tmp_path, capsys, committed, preserve):
    tpl = write_template(tmp_path / "platform-template", 1)
    if preserve:  # Copier would then copy the link itself, pointing at the outside file
        (tpl / "copier.yml").write_text((tpl / "copier.yml").read_text() + "_preserve_symlinks: true\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("root-password\n")
    (tpl / "notes.txt").symlink_to(secret)
    if committed:
        git(tpl, "init", "--quiet")
        git(tpl, "add", "-A")
        git(tpl, "commit", "--quiet", "-m", "v1")
        git(tpl, "tag", "v1.0.0")
        (tpl / "notes.txt").unlink()  # only the committed link is left
    root = make_project(tmp_path / "hello")
    code, out, err = run(capsys, "init", "--defaults", "--template", str(tpl), str(root))
    assert code == 1 and "notes.txt links to" in err and "outside the template" in err, err
    assert "root-password" not in out + err and not (root / "notes.txt").exists()


def test_each_unsafe_feature_gets_its_own_message(tmp_path, capsys):
    tpl = write_template(tmp_path / "platform-template", 1)
    (tpl / "copier.yml").write_text((tpl / "copier.yml").read_text() + "_jinja_extensions: [jinja2.ext.do]\n")
    root = make_project(tmp_path / "hello")
    code, _, err = run(capsys, "init", "--defaults", "--template", str(tpl), str(root))
    assert code == 1 and "loads Jinja extensions" in err and "tasks" not in err, err


def test_a_path_out_of_the_destination_is_refused(tmp_path, capsys):
    tpl = write_template(tmp_path / "platform-template", 1)
    (tpl / "copier.yml").write_text((tpl / "copier.yml").read_text() + 'up:\n  type: str\n  default: "../"\n')
    (tpl / "{{ up }}escaped.jinja").write_text("x\n")
    root = make_project(tmp_path / "hello")
    code, _, err = run(capsys, "init", "--defaults", "--template", str(tpl), str(root))
    assert code == 1 and "outside the destination" in err, err
    assert not (tmp_path / "escaped").exists()
