"""`scaffold report`: what a built image is made of, read through the Docker CLI.

Sizes follow Docker's own accounting: ``docker history`` gives each layer's size and the
instruction that created it, and their sum is ``docker image inspect``'s ``Size``. The files
(largest files, bytes wasted by files a later layer overwrites or deletes) come from the layer
tars of ``docker save``, read as a stream so nothing is written to disk.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scaffolder import _answers
from scaffolder.errors import DockerError, InputError

__all__ = ["report", "compare_naive", "format_report", "format_compare", "human_size", "docker_cli"]


def docker_cli() -> str:
    """The Docker CLI to run: ``$DOCKER`` or ``docker``."""
    return os.environ.get("DOCKER") or "docker"


def _explain(stderr: str, what: str) -> str:
    """One line out of a Docker CLI failure."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    text = lines[-1] if lines else "no output"
    low = stderr.lower()
    if "no such image" in low or "no such object" in low or "reference does not exist" in low:
        return f"no such image: {what} (build it first, or check the tag with `docker image ls`)"
    if "cannot connect to the docker daemon" in low or "is the docker daemon running" in low:
        return "cannot reach the Docker daemon (is it running? check DOCKER_HOST or `docker info`)"
    if "permission denied" in low and "docker.sock" in low:
        return "permission denied on the Docker socket (add yourself to the docker group or use sudo)"
    return f"{what}: {text.removeprefix('Error: ').removeprefix('Error response from daemon: ')}"


def _run(docker: str, args: list[str], what: str) -> str:
    try:
        proc = subprocess.run([docker, *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DockerError(f"Docker CLI '{docker}' not found; install Docker or set DOCKER=/path/to/docker") from None
    except PermissionError:
        raise DockerError(f"Docker CLI '{docker}' is not executable; set DOCKER=/path/to/docker") from None
    if proc.returncode != 0:
        raise DockerError(_explain(proc.stderr, what))
    return proc.stdout


# --- instructions -------------------------------------------------------------------------

_SHELL_RUN = re.compile(r"^(?:RUN\s+)?(?:\|\d+(?:\s+\S+=\S*)*\s+)?/bin/(?:ba)?sh -c\s+", re.S)


def instruction(created_by: str, comment: str = "") -> str:
    """The Dockerfile instruction a history entry came from, on one line.

    BuildKit records ``RUN /bin/sh -c cmd # buildkit``; the legacy builder records
    ``/bin/sh -c #(nop)  CMD [...]`` for metadata and ``|1 ARG=v /bin/sh -c cmd`` for RUN.
    """
    text = created_by.strip()
    if not text:
        return f"({comment.strip()})" if comment.strip() else "(no instruction recorded)"
    text = re.sub(r"\s+# buildkit$", "", text)
    nop = re.match(r"^/bin/sh -c #\(nop\)\s*", text)
    if nop:
        text = text[nop.end():]
    else:
        run = _SHELL_RUN.match(text)
        if run:
            text = "RUN " + text[run.end():]
    # Continuation lines and indentation collapse to single spaces.
    text = re.sub(r"\\\s*\n", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# --- layer tars ----------------------------------------------------------------------------


@dataclass
class _Entry:
    path: str  # relative, no leading ./ or /
    size: int
    kind: str  # file, dir, symlink, hardlink, whiteout, opaque, other


def _norm(name: str) -> str:
    name = name.lstrip("/")
    while name.startswith("./"):
        name = name[2:]
    return name.rstrip("/")


def _read_layer(fileobj: IO[bytes]) -> list[_Entry]:
    entries: list[_Entry] = []
    with tarfile.open(fileobj=fileobj, mode="r|*") as tar:
        for member in tar:
            path = _norm(member.name)
            if not path or path == ".":
                continue
            base = posixpath.basename(path)
            if base == ".wh..wh..opq":
                kind = "opaque"
            elif base.startswith(".wh."):
                kind = "whiteout"
            elif member.isdir():
                kind = "dir"
            elif member.issym():
                kind = "symlink"
            elif member.islnk():
                kind = "hardlink"
            elif member.isfile():
                kind = "file"
            else:
                kind = "other"
            entries.append(_Entry(path, member.size if kind == "file" else 0, kind))
    return entries


class _Prefixed(io.RawIOBase):
    """A stream that first returns bytes already read (to sniff the format), then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def _is_tar(head: bytes) -> bool:
    if head[:2] == b"\x1f\x8b" or head[:4] == b"\x28\xb5\x2f\xfd":  # gzip, zstd
        return True
    if len(head) >= 512 and head[257:262] == b"ustar":
        return True
    # An empty layer is a tar of zero blocks only.
    return len(head) >= 512 and not head.strip(b"\0")


def _read_save(stream: IO[bytes]) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[_Entry]]]:
    """Read a ``docker save`` archive from a stream: manifest, config, and each layer's entries.

    Handles the legacy layout (``<id>/layer.tar``) and the OCI one (``blobs/sha256/<hex>``);
    a member is taken for a layer by its content, because the manifest comes last.
    """
    layers: dict[str, list[_Entry]] = {}
    small: dict[str, bytes] = {}
    with tarfile.open(fileobj=stream, mode="r|") as outer:
        for member in outer:
            if not member.isfile():
                continue
            f = outer.extractfile(member)
            if f is None:
                continue
            head = f.read(512)
            if _is_tar(head):
                layers[member.name] = _read_layer(io.BufferedReader(_Prefixed(head, f), 1 << 16))
            elif member.size <= 8 << 20:
                small[member.name] = head + f.read()
    try:
        manifest = json.loads(small["manifest.json"])[0]
        config = json.loads(small[manifest["Config"]])
    except (KeyError, IndexError, ValueError) as err:
        raise DockerError(f"docker save: unexpected archive layout ({err})") from None
    return manifest, config, layers


# --- analysis ------------------------------------------------------------------------------


@dataclass
class _Tree:
    """The merged filesystem as layers are applied: what is live, and what got hidden."""

    live: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (size, layer)
    children: dict[str, set[str]] = field(default_factory=dict)
    wasted: list[dict[str, Any]] = field(default_factory=list)

    def _link(self, path: str) -> None:
        parent = posixpath.dirname(path)
        while True:
            kids = self.children.setdefault(parent, set())
            if path in kids:
                return
            kids.add(path)
            if not parent:
                return
            path, parent = parent, posixpath.dirname(parent)

    def _remove(self, path: str, layer: int, how: str, below: int) -> None:
        """Hide ``path`` and everything under it that came from layers before ``below``."""
        stack = [path]
        while stack:
            p = stack.pop()
            item = self.live.get(p)
            if item is not None and item[1] < below:
                del self.live[p]
                if item[0] > 0:
                    self.wasted.append({"path": p, "size": item[0], "layer": item[1], "by_layer": layer, "how": how})
            stack.extend(self.children.get(p, ()))

    def apply(self, index: int, entries: list[_Entry]) -> None:
        for e in entries:
            parent = posixpath.dirname(e.path)
            if e.kind == "opaque":
                for kid in list(self.children.get(parent, ())):
                    self._remove(kid, index, "deleted", index)
                continue
            if e.kind == "whiteout":
                target = posixpath.join(parent, posixpath.basename(e.path)[len(".wh."):])
                self._remove(target, index, "deleted", index)
                continue
            old = self.live.get(e.path)
            if e.kind == "dir":
                if old is not None and old[1] < index:
                    # A directory replaces a file or symlink of the same name.
                    self._remove(e.path, index, "overwritten", index)
                self._link(e.path)
                continue
            # A file replaces whatever was at that path, including a whole directory tree.
            self._remove(e.path, index, "overwritten", index)
            self.live[e.path] = (e.size, index)
            self._link(e.path)


def _history(docker: str, image: str) -> list[dict[str, Any]]:
    out = _run(docker, ["history", "--no-trunc", "--human=false", "--format", "{{json .}}", image], image)
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    rows.reverse()  # oldest first, like the image config
    return rows


def _inspect(docker: str, image: str) -> dict[str, Any]:
    out = _run(docker, ["image", "inspect", image], image)
    data = json.loads(out)
    if not data:
        raise DockerError(f"no such image: {image}")
    return data[0]


def _save(docker: str, image_id: str):
    try:
        proc = subprocess.Popen([docker, "save", image_id], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise DockerError(f"Docker CLI '{docker}' not found; install Docker or set DOCKER=/path/to/docker") from None
    assert proc.stdout is not None and proc.stderr is not None
    try:
        result = _read_save(proc.stdout)
    except tarfile.TarError as err:
        proc.kill()
        proc.wait()
        stderr = proc.stderr.read().decode("utf-8", "replace")
        if stderr.strip():
            raise DockerError(_explain(stderr, f"docker save {image_id}")) from None
        raise DockerError(f"docker save {image_id}: unreadable archive ({err})") from None
    finally:
        proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() != 0:
        raise DockerError(_explain(stderr, f"docker save {image_id}"))
    return result


_METADATA = frozenset(
    "ARG CMD ENTRYPOINT ENV EXPOSE HEALTHCHECK LABEL MAINTAINER ONBUILD SHELL STOPSIGNAL USER VOLUME".split()
)


def _guess_empty(rows: list[dict[str, Any]], layer_count: int) -> list[bool]:
    """Which history rows made no layer, without the image config: rows with a size made one;
    of the zero-size rows, metadata-only instructions (ENV, CMD, ...) did not. If that does
    not add up to the layer count, the first zero-size rows are taken for layers."""
    sized = [int(r.get("Size") or 0) > 0 for r in rows]
    meta = [instruction(r.get("CreatedBy", "")).split(" ", 1)[0] in _METADATA for r in rows]
    empty = [not s and m for s, m in zip(sized, meta)]
    if empty.count(False) == layer_count:
        return empty
    needed = layer_count - sized.count(True)
    empty = []
    for s in sized:
        if s:
            empty.append(False)
        elif needed > 0:
            needed -= 1
            empty.append(False)
        else:
            empty.append(True)
    return empty


def report(image: str, *, docker: str | None = None, top: int = 10, files: bool = True) -> dict[str, Any]:
    """Describe a built image: size, layers (size, instruction), largest files, wasted bytes.

    ``size`` is ``docker image inspect``'s Size, and the layer sizes add up to it. With
    ``files=False`` the layer tars are not read (no largest files, no wasted bytes).
    """
    docker = docker or docker_cli()
    info = _inspect(docker, image)
    diff_ids: list[str] = list(info.get("RootFS", {}).get("Layers") or [])
    rows = _history(docker, image)

    manifest: dict[str, Any] = {}
    config: dict[str, Any] = {}
    tars: dict[str, list[_Entry]] = {}
    if files:
        manifest, config, tars = _save(docker, info["Id"])

    # Pair history entries with layers. The config marks metadata-only entries as
    # empty_layer; docker history has one row per config entry, in the same order.
    history = config.get("history") or []
    if history and len(history) == len(rows):
        empty = [bool(h.get("empty_layer")) for h in history]
    else:
        empty = _guess_empty(rows, len(diff_ids))
    layer_rows = [r for r, e in zip(rows, empty) if not e]

    tree = _Tree()
    layer_files = manifest.get("Layers") or []
    layers: list[dict[str, Any]] = []
    for i, diff_id in enumerate(diff_ids):
        row = layer_rows[i] if i < len(layer_rows) else {}
        entries = tars.get(layer_files[i], []) if i < len(layer_files) else []
        if files:
            tree.apply(i, entries)
        layers.append(
            {
                "index": i,
                "diff_id": diff_id,
                "size": int(row.get("Size") or 0),
                "created_by": row.get("CreatedBy", ""),
                "instruction": instruction(row.get("CreatedBy", ""), row.get("Comment", "")),
                "files": sum(1 for e in entries if e.kind not in ("dir", "whiteout", "opaque")),
            }
        )

    wasted_by_layer = [0] * len(layers)
    for w in tree.wasted:
        wasted_by_layer[w["layer"]] += w["size"]
    for layer, wasted in zip(layers, wasted_by_layer):
        layer["wasted"] = wasted

    largest = sorted(tree.live.items(), key=lambda kv: (-kv[1][0], kv[0]))[:top]
    wasted_total = sum(w["size"] for w in tree.wasted)
    size = int(info.get("Size") or 0)
    return {
        "image": image,
        "id": info.get("Id", ""),
        "platform": f"{info.get('Os', '')}/{info.get('Architecture', '')}" + (f"/{info['Variant']}" if info.get("Variant") else ""),
        "size": size,
        "layers_size": sum(layer["size"] for layer in layers),
        "layer_count": len(diff_ids),
        "layers": layers,
        "files_read": files,
        "file_count": len(tree.live),
        "largest_files": [{"path": "/" + p, "size": s, "layer": li} for p, (s, li) in largest],
        "wasted": {
            "bytes": wasted_total,
            "files": [
                dict(w, path="/" + w["path"])
                for w in sorted(tree.wasted, key=lambda w: (-w["size"], w["path"]))[:top]
            ],
            "count": len(tree.wasted),
        },
    }


# --- naive comparison ----------------------------------------------------------------------


def load_answers(context: Path | str) -> dict[str, Any]:
    """The answers ``scaffold init`` recorded in the project directory."""
    recorded = _answers.read(Path(context), missing_hint="run `scaffold init` there first, or pass --context PROJECT_DIR")
    recorded.require_valid()
    if "language" not in recorded.answers:
        raise InputError(recorded.path, "no `language` answer recorded", hint="rerun `scaffold init`")
    return recorded.answers


def build_naive(
    context: Path | str,
    tag: str,
    *,
    docker: str | None = None,
    answers: dict[str, Any] | None = None,
    no_cache: bool = False,
    log: IO[str] | None = None,
) -> float:
    """Build the naive single-stage image for the project in ``context``; return the seconds taken.

    The Dockerfile is written outside the project (nothing is added to the repository); the
    build context, and so the project's ``.dockerignore``, is the same as scaffold's build.
    """
    import tempfile

    from scaffolder._naive import naive_dockerfile

    docker = docker or docker_cli()
    context = Path(context)
    answers = answers if answers is not None else load_answers(context)
    try:
        text = naive_dockerfile(answers)
    except (ValueError, KeyError) as err:
        missing = f"no `{err.args[0]}` answer recorded" if isinstance(err, KeyError) else str(err)
        raise InputError(context / _answers.ANSWERS_FILE, missing, hint="rerun `scaffold init`") from None
    with tempfile.TemporaryDirectory(prefix="scaffold-naive-") as tmp:
        dockerfile = Path(tmp) / "Dockerfile"
        dockerfile.write_text(text, encoding="utf-8")
        cmd = [docker, "build", "--file", str(dockerfile), "--tag", tag]
        if no_cache:
            cmd.append("--no-cache")
        cmd.append(str(context))
        env = dict(os.environ, DOCKER_BUILDKIT="1")
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, env=env, check=False, text=True,
                stdout=log if log is not None else subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        except FileNotFoundError:
            raise DockerError(f"Docker CLI '{docker}' not found; install Docker or set DOCKER=/path/to/docker") from None
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        out = proc.stdout or ""
        lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
        errors = [ln for ln in lines if "error" in ln.lower()]
        detail = (errors or lines or ["see the build output above"])[-1]
        raise DockerError(f"naive build of {context} failed: {detail}")
    return seconds


def naive_tag(image: str) -> str:
    """``app:1.0`` -> ``app-naive:1.0``; the naive image sits next to the one it is compared with."""
    name, sep, tag = image.rpartition(":")
    if not sep or "/" in tag:
        name, tag = image, "latest"
    if "@" in name:
        name = name.split("@", 1)[0]
    return f"{name}-naive:{tag}"


def compare_naive(
    image: str,
    context: Path | str = ".",
    *,
    docker: str | None = None,
    top: int = 10,
    files: bool = True,
    log: IO[str] | None = None,
) -> dict[str, Any]:
    """Build the naive image for the project in ``context`` and report both images."""
    docker = docker or docker_cli()
    scaffold = report(image, docker=docker, top=top, files=files)
    tag = naive_tag(image)
    seconds = build_naive(context, tag, docker=docker, log=log)
    naive = report(tag, docker=docker, top=top, files=files)
    return {
        "scaffold": scaffold,
        "naive": naive,
        "naive_build_seconds": round(seconds, 2),
        "ratio": scaffold["size"] / naive["size"] if naive["size"] else None,
    }


# --- text output ---------------------------------------------------------------------------


def human_size(n: float) -> str:
    """Decimal units, like ``docker image ls``: 1 MB = 1,000,000 bytes."""
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            if unit == "B":
                return f"{int(n)} B"
            return f"{n:.1f} {unit}" if abs(n) < 100 else f"{n:.0f} {unit}"
        n /= 1000
    raise AssertionError


def _bar(share: float, width: int, full: str, empty: str) -> str:
    filled = int(round(share * width))
    if share > 0 and filled == 0:
        filled = 1
    return full * filled + empty * (width - filled)


def _unicode_ok(stream: IO[str] | None) -> bool:
    encoding = (getattr(stream or sys.stdout, "encoding", None) or "").lower()
    return encoding.replace("-", "") in ("utf8", "utf16", "utf32")


def format_report(rep: dict[str, Any], *, width: int | None = None, unicode: bool | None = None) -> str:
    if width is None:
        import shutil

        width = max(100, shutil.get_terminal_size((120, 24)).columns)
    if unicode is None:
        unicode = _unicode_ok(None)
    full, empty = ("█", "░") if unicode else ("#", ".")
    size = rep["size"]
    lines = [f"{rep['image']}  {rep['id'][:19]}  {rep['platform']}"]
    summary = f"size {human_size(size)} ({size:,} bytes) in {rep['layer_count']} layers"
    if rep["files_read"]:
        wasted = rep["wasted"]["bytes"]
        pct = f" ({100 * wasted / size:.1f}%)" if size else ""
        summary += f"; {human_size(wasted)}{pct} wasted by files a later layer overwrites or deletes"
    lines += [summary, "", "Layers (oldest first)"]
    bar_w = 20
    head = f"  {'#':>2}  {'size':>8}  {'share':<{bar_w}}  {'wasted':>8}  instruction"
    lines.append(head)
    text_w = max(20, width - len(head) + len("instruction"))
    for layer in rep["layers"]:
        share = layer["size"] / size if size else 0.0
        instr = layer["instruction"]
        if len(instr) > text_w:
            instr = instr[: text_w - 3] + "..."
        wasted = human_size(layer["wasted"]) if layer.get("wasted") else ""
        lines.append(
            f"  {layer['index'] + 1:>2}  {human_size(layer['size']):>8}  {_bar(share, bar_w, full, empty)}  {wasted:>8}  {instr}"
        )
    if rep["files_read"]:
        lines += ["", "Largest files"]
        for f in rep["largest_files"]:
            lines.append(f"  {human_size(f['size']):>8}  {f['path']}  (layer {f['layer'] + 1})")
        if rep["wasted"]["files"]:
            lines += ["", f"Wasted: {rep['wasted']['count']} files overwritten or deleted by a later layer (largest first)"]
            for w in rep["wasted"]["files"]:
                lines.append(
                    f"  {human_size(w['size']):>8}  {w['path']}  (layer {w['layer'] + 1}, {w['how']} by layer {w['by_layer'] + 1})"
                )
    return "\n".join(lines) + "\n"


def format_compare(cmp: dict[str, Any]) -> str:
    s, n = cmp["scaffold"], cmp["naive"]
    rows = [
        ("image", n["image"], s["image"]),
        ("size", human_size(n["size"]), human_size(s["size"])),
        ("bytes", f"{n['size']:,}", f"{s['size']:,}"),
        ("layers", str(n["layer_count"]), str(s["layer_count"])),
    ]
    if s["files_read"] and n["files_read"]:
        rows.append(("files", f"{n['file_count']:,}", f"{s['file_count']:,}"))
        rows.append(("wasted", human_size(n["wasted"]["bytes"]), human_size(s["wasted"]["bytes"])))
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows + [("", "naive", "")])
    lines = [f"{'':<{w0}}  {'naive':<{w1}}  scaffold"]
    lines += [f"{a:<{w0}}  {b:<{w1}}  {c}" for a, b, c in rows]
    ratio = cmp["ratio"]
    if ratio:
        lines.append(f"scaffold's image is {100 * ratio:.1f}% of the naive one ({1 / ratio:.1f}x smaller)")
    return "\n".join(lines) + "\n"
