"""The loopback Go module proxy of the Docker tests (tests/goproxy.py) speaks the GOPROXY
protocol, guards private modules, and computes the go.sum hashes the go command computes."""

from __future__ import annotations

import base64
import io
import json
import ssl
import urllib.error
import urllib.request
import zipfile

import pytest

from tests.goproxy import GoProxy, escape_path
from tests.images import loopback_ca

# Written by `go mod tidy` (go1.25.5) against this proxy serving tests/goproxy at v1.0.0.
GO_SUM_BY_GO = """\
example.test/color v1.0.0 h1:mhj9oJvYiE2TYuZDzpeDbOM3Wp7XlMY0xENzW8diuuQ=
example.test/color v1.0.0/go.mod h1:uChekAX4hbuKl6Rd4OBi8oPaiNfQviJux0n/44eyOlA=
example.test/greet v1.0.0 h1:wlrNdomH+GlNp5N8J8u9i4yWKV4WbDBOvZd6X8p3/8I=
example.test/greet v1.0.0/go.mod h1:1PjAOM8m74SW8b1YGnl+E8f9ctC17gq2S373boSXhaM=
"""


def _get(url: str, *, auth: tuple[str, str] | None = None, context: ssl.SSLContext | None = None):
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_go_sum_hashes_are_the_go_commands():
    assert GoProxy(version="v1.0.0").go_sum(["example.test/color", "example.test/greet"]) == GO_SUM_BY_GO


def test_module_path_escaping():
    assert escape_path("github.com/BurntSushi/toml") == "github.com/!burnt!sushi/toml"


def test_protocol_files_over_http():
    with GoProxy(version="v1.2.3", tls=False) as proxy:
        base = f"{proxy.url}/example.test/greet/@v/"
        assert _get(base + "list") == (200, b"v1.2.3\n")
        status, info = _get(base + "v1.2.3.info")
        assert status == 200 and json.loads(info)["Version"] == "v1.2.3"
        status, mod = _get(base + "v1.2.3.mod")
        # Requirements between served modules follow the served version.
        assert status == 200 and b"require example.test/color v1.2.3" in mod
        status, data = _get(base + "v1.2.3.zip")
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert status == 200 and sorted(names) == ["example.test/greet@v1.2.3/go.mod", "example.test/greet@v1.2.3/greet.go"]
        assert _get(base + "v9.9.9.zip")[0] == 404
        assert _get(f"{proxy.url}/example.test/absent/@v/list")[0] == 404
        assert proxy.fetched(".zip") == ["example.test/greet"]


def test_private_modules_need_the_credentials_over_tls():
    credentials = ("ci", "s3cret")
    context = ssl.create_default_context(cafile=str(loopback_ca()[0]))
    with GoProxy(private={"private.example.test": credentials}) as proxy:
        assert proxy.url.startswith("https://127.0.0.1:")
        url = f"{proxy.url}/private.example.test/vault/@v/list"
        assert _get(url, context=context)[0] == 401
        assert _get(url, auth=("ci", "wrong"), context=context)[0] == 401
        assert _get(url, auth=credentials, context=context) == (200, f"{proxy.version}\n".encode())
        assert _get(f"{proxy.url}/example.test/color/@v/list", context=context)[0] == 200
        host = proxy.url.split("://")[1]
        assert proxy.netrc() == f"machine {host} login ci password s3cret\n"


def test_adapt_points_a_project_at_the_served_version(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.25\n\nrequire (\n\texample.test/greet v1.0.0\n"
                                     "\texample.test/color v1.0.0 // indirect\n\tgolang.org/x/text v0.3.0\n)\n")
    (tmp_path / "go.sum").write_text("golang.org/x/text v0.3.0 h1:keep=\nexample.test/greet v1.0.0 h1:stale=\n")
    proxy = GoProxy(version="v1.0.42")
    assert proxy.adapt(tmp_path) == ["example.test/color", "example.test/greet"]
    gomod = (tmp_path / "go.mod").read_text()
    assert "\texample.test/greet v1.0.42\n" in gomod and "\texample.test/color v1.0.42 // indirect\n" in gomod
    assert "golang.org/x/text v0.3.0" in gomod
    gosum = (tmp_path / "go.sum").read_text().splitlines()
    assert gosum[0] == "golang.org/x/text v0.3.0 h1:keep=" and "h1:stale=" not in "\n".join(gosum)
    assert sum(line.startswith("example.test/") for line in gosum) == 4


@pytest.mark.parametrize("tls", [False, True])
def test_stops_cleanly(tls):
    proxy = GoProxy(tls=tls).start()
    proxy.stop()
    proxy.stop()
