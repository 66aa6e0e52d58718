"""The pruned file list every provider reads from."""

from __future__ import annotations

from scaffolder._repo import Repo


def test_pruning(tmp_path):
    for rel in [
        "main.go",
        "cmd/build/main.go",  # a source folder that happens to be called build
        "build/CMakeCache.txt",  # root build output
        "node_modules/x/index.js",
        "sub/node_modules/y/index.js",
        ".git/config",
        "tools/venv/pyvenv.cfg",  # a virtualenv at any depth
        "tools/venv/lib/site.py",
        "generated/out.go",
        "keep/me.py",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / ".gitignore").write_text("generated/\n")
    files = Repo(tmp_path).files
    assert set(files) == {".gitignore", "main.go", "cmd/build/main.go", "keep/me.py"}
