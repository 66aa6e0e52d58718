"""Starts ../minihttpd on a free port and checks its answer."""
import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_answers() -> None:
    port = free_port()
    server = subprocess.Popen(["../minihttpd", "--port", str(port)])
    try:
        time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as resp:
            assert resp.read() == b"minihttpd: hello\n"
    finally:
        server.terminate()


if __name__ == "__main__":
    check_answers()
