"""scaffold report without Docker: a fake Docker CLI serves inspect, history and save output."""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from scaffolder import _report
from scaffolder.cli import main
from scaffolder.errors import DockerError, InputError


def _tar(files: dict[str, object]) -> bytes:
    """A layer tar: path -> bytes (file), None (directory), ("link", target) (symlink)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif isinstance(data, tuple):
                info.type = tarfile.SYMTYPE
                info.linkname = data[1]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _save_archive(layers: list[bytes], history: list[dict], oci: bool = False) -> bytes:
    """A `docker save` archive in the legacy (<id>/layer.tar) or OCI (blobs/sha256) layout."""
    diff_ids = ["sha256:" + hashlib.sha256(t).hexdigest() for t in layers]
    config = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
    config_bytes = json.dumps(config).encode()
    config_name = ("blobs/sha256/" if oci else "") + hashlib.sha256(config_bytes).hexdigest() + ("" if oci else ".json")
    names = [
        (f"blobs/sha256/{d[7:]}" if oci else f"{d[7:]}/layer.tar") for d in diff_ids
    ]
    manifest = [{"Config": config_name, "RepoTags": ["t:1"], "Layers": names}]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, data in zip(names, layers):  # layers first, manifest last, as docker save does
            add(name, data)
        add(config_name, config_bytes)
        add("manifest.json", json.dumps(manifest).encode())
    return buf.getvalue()


def _fake_docker(tmp_path: Path, *, layers: list[bytes], history: list[dict], sizes: list[int], oci=False) -> str:
    """A Docker CLI stand-in: `image inspect`, `history --format {{json .}}` and `save`."""
    data = tmp_path / "fake"
    data.mkdir()
    (data / "save.tar").write_bytes(_save_archive(layers, history, oci))
    diff_ids = ["sha256:" + hashlib.sha256(t).hexdigest() for t in layers]
    (data / "inspect.json").write_text(json.dumps([{
        "Id": "sha256:" + "ab" * 32, "Os": "linux", "Architecture": "amd64",
        "Size": sum(sizes), "RootFS": {"Type": "layers", "Layers": diff_ids},
    }]))
    rows, it = [], iter(sizes)
    for h in history:
        size = 0 if h.get("empty_layer") else next(it)
        rows.append({"CreatedBy": h.get("created_by", ""), "Comment": h.get("comment", ""), "Size": str(size), "ID": "<missing>"})
    (data / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in reversed(rows)))
    script = tmp_path / "docker"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import sys, shutil
        d = {str(data)!r}
        args = sys.argv[1:]
        image = args[-1]
        if image != "t:1" and not image.startswith("sha256:"):
            sys.stderr.write("Error: No such image: " + image + "\\n"); sys.exit(1)
        if args[:2] == ["image", "inspect"]:
            sys.stdout.write(open(d + "/inspect.json").read())
        elif args[0] == "history":
            sys.stdout.write(open(d + "/history.jsonl").read())
        elif args[0] == "save":
            with open(d + "/save.tar", "rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
        else:
            sys.stderr.write("unexpected " + " ".join(args) + "\\n"); sys.exit(2)
        """))
    script.chmod(0o755)
    return str(script)


BASE = _tar({"bin": None, "bin/sh": b"s" * 1000, "etc": None, "etc/passwd": b"root\n", "usr": None, "usr/lib": None,
             "usr/lib/big.so": b"L" * 50_000, "usr/lib/link.so": ("sym", "big.so")})
HISTORY = [
    {"created_by": "", "comment": "Imported from -"},
    {"created_by": "WORKDIR /app"},
    {"created_by": "COPY . . # buildkit"},
    {"created_by": "ENV A=1", "empty_layer": True},
    {"created_by": "RUN |1 X=y /bin/sh -c rm -rf /app/cache && pip install \\\n    flask # buildkit"},
    {"created_by": "COPY app.py /app/app.py # buildkit"},
    {"created_by": 'CMD ["python", "app.py"]', "empty_layer": True},
]
LAYERS = [
    BASE,
    _tar({"app": None}),
    _tar({"app": None, "app/app.py": b"v1" * 100, "app/cache": None, "app/cache/a": b"a" * 3000,
          "app/cache/sub": None, "app/cache/sub/b": b"b" * 4000, "app/data": None, "app/data/x": b"x" * 10}),
    # Deletes /app/cache (whiteout), empties /app/data (opaque), replaces /usr/lib/big.so.
    _tar({"app": None, "app/.wh.cache": b"", "app/data": None, "app/data/.wh..wh..opq": b"", "app/data/y": b"y" * 20,
          "usr": None, "usr/lib": None, "usr/lib/big.so": b"M" * 60_000}),
    _tar({"app": None, "app/app.py": b"v2" * 150}),
]
SIZES = [51_005 + 7, 0, 7_210, 60_020, 300]


@pytest.fixture
def fake(tmp_path, monkeypatch):
    docker = _fake_docker(tmp_path, layers=LAYERS, history=HISTORY, sizes=SIZES)
    monkeypatch.setenv("DOCKER", docker)
    return docker


def test_instruction_cleanup():
    assert _report.instruction("RUN /bin/sh -c apt-get update # buildkit") == "RUN apt-get update"
    assert _report.instruction("RUN |2 A=1 B=2 /bin/sh -c make \\\n    all # buildkit") == "RUN make all"
    assert _report.instruction('/bin/sh -c #(nop)  CMD ["x"]') == 'CMD ["x"]'
    assert _report.instruction("/bin/sh -c #(nop) COPY file:abc in / ") == "COPY file:abc in /"
    assert _report.instruction("|1 V=3 /bin/sh -c go build .") == "RUN go build ."
    assert _report.instruction("/bin/sh -c apt-get install -y gcc") == "RUN apt-get install -y gcc"
    assert _report.instruction("COPY /rootfs/ / # buildkit") == "COPY /rootfs/ /"
    assert _report.instruction("", "Imported from -") == "(Imported from -)"
    assert _report.instruction("") == "(no instruction recorded)"


def test_report_layers_sizes_and_instructions(fake):
    rep = _report.report("t:1")
    assert rep["size"] == sum(SIZES) == rep["layers_size"]
    assert rep["layer_count"] == 5 == len(rep["layers"])
    assert [layer["instruction"] for layer in rep["layers"]] == [
        "(Imported from -)", "WORKDIR /app", "COPY . .", "RUN rm -rf /app/cache && pip install flask", "COPY app.py /app/app.py",
    ]
    assert [layer["size"] for layer in rep["layers"]] == SIZES
    assert rep["platform"] == "linux/amd64"


def test_report_wasted_bytes_follow_whiteouts_opaque_dirs_and_overwrites(fake):
    rep = _report.report("t:1")
    wasted = {w["path"]: w for w in rep["wasted"]["files"]}
    assert wasted["/usr/lib/big.so"]["size"] == 50_000 and wasted["/usr/lib/big.so"]["how"] == "overwritten"
    assert wasted["/app/cache/sub/b"]["how"] == "deleted" and wasted["/app/cache/sub/b"]["by_layer"] == 3
    assert wasted["/app/cache/a"]["size"] == 3000
    assert wasted["/app/data/x"]["size"] == 10
    assert wasted["/app/app.py"]["layer"] == 2 and wasted["/app/app.py"]["by_layer"] == 4
    assert rep["wasted"]["bytes"] == 50_000 + 3000 + 4000 + 10 + 200
    assert rep["wasted"]["count"] == 5
    assert [layer["wasted"] for layer in rep["layers"]] == [50_000, 0, 7210, 0, 0]
    largest = rep["largest_files"]
    assert largest[0] == {"path": "/usr/lib/big.so", "size": 60_000, "layer": 3}
    paths = {f["path"] for f in largest}
    assert "/app/data/y" in paths and "/app/cache/a" not in paths and "/app/data/x" not in paths


def test_report_reads_the_oci_layout(tmp_path, monkeypatch):
    docker = _fake_docker(tmp_path, layers=LAYERS, history=HISTORY, sizes=SIZES, oci=True)
    rep = _report.report("t:1", docker=docker)
    assert rep["wasted"]["bytes"] == 57_210


def test_report_without_files_guesses_empty_layers(fake):
    rep = _report.report("t:1", files=False)
    assert [layer["instruction"] for layer in rep["layers"]][1:3] == ["WORKDIR /app", "COPY . ."]
    assert rep["layers_size"] == rep["size"]
    assert rep["largest_files"] == [] and rep["wasted"]["bytes"] == 0


def test_text_output(fake, capsys):
    assert main(["report", "t:1"]) == 0
    out = capsys.readouterr().out
    assert "in 5 layers" in out
    assert "RUN rm -rf /app/cache && pip install flask" in out
    assert "/usr/lib/big.so  (layer 1, overwritten by layer 4)" in out
    assert "Largest files" in out


def test_json_output(fake, capsys):
    assert main(["report", "t:1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["size"] == sum(SIZES) and data["layer_count"] == 5


def test_no_such_image_is_one_line(fake, capsys):
    assert main(["report", "missing:1"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "scaffold: no such image: missing:1 (build it first, or check the tag with `docker image ls`)"


def test_missing_docker_cli(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DOCKER", str(tmp_path / "no-docker"))
    assert main(["report", "t:1"]) == 1
    assert "Docker CLI" in capsys.readouterr().err
    with pytest.raises(DockerError):
        _report.report("t:1")


def test_compare_needs_recorded_answers(fake, tmp_path, capsys):
    assert main(["report", "t:1", "--compare", "naive", "--context", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert ".scaffold-answers.yml: not found" in err and "Traceback" not in err


def test_load_answers_errors(tmp_path):
    (tmp_path / ".scaffold-answers.yml").write_text("a: [\n")
    with pytest.raises(InputError, match="invalid YAML"):
        _report.load_answers(tmp_path)
    (tmp_path / ".scaffold-answers.yml").write_text("project_name: x\n")
    with pytest.raises(InputError, match="language"):
        _report.load_answers(tmp_path)


def test_naive_tag():
    assert _report.naive_tag("app:1.0") == "app-naive:1.0"
    assert _report.naive_tag("app") == "app-naive:latest"
    assert _report.naive_tag("localhost:5000/app") == "localhost:5000/app-naive:latest"


def test_human_size():
    assert _report.human_size(999) == "999 B"
    assert _report.human_size(1_500) == "1.5 kB"
    assert _report.human_size(45_200_000) == "45.2 MB"
    assert _report.human_size(1_060_000_000) == "1.1 GB"


def test_bar_is_ascii_when_the_terminal_is_not_utf8(fake):
    rep = _report.report("t:1")
    text = _report.format_report(rep, unicode=False)
    assert "█" not in text and "#" in text
