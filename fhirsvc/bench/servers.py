"""Start and stop a WSGI app under a production WSGI server, for the HTTP benchmark.

granian (the README's production server: HTTP handled in Rust, the app called from
``threads`` blocking threads) and gunicorn (the ``gthread`` worker, which keeps
connections alive: wrk's 8 connections stay open) run ``workers`` processes with
``threads`` threads each; waitress runs one process with ``threads`` threads. The process
is started from the command line exactly as an operator would, and stopped with SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

SERVERS = ("gunicorn", "granian", "waitress")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ServerSettings:
    kind: str = "granian"
    workers: int = 2
    threads: int = 4

    def describe(self) -> str:
        if self.kind == "gunicorn":
            return f"gunicorn, {self.workers} workers x {self.threads} threads (gthread)"
        if self.kind == "granian":
            return f"granian (WSGI), {self.workers} workers x {self.threads} threads"
        return f"waitress, {self.threads} threads"


@dataclass
class ServerProcess:
    """One WSGI server on loopback serving ``app`` (``module:factory()``)."""

    app: str
    settings: ServerSettings
    env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.settings.kind == "gunicorn":
            return [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
                    "--workers", str(self.settings.workers), "--threads",
                    str(self.settings.threads), "--worker-class", "gthread",
                    "--keep-alive", "30", "--log-level", "warning", self.app]
        module, _, call = self.app.partition(":")
        factory = f"{module}:{call.removesuffix('()')}"
        if self.settings.kind == "granian":
            return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host",
                    "127.0.0.1", "--port", str(self.port), "--workers",
                    str(self.settings.workers), "--blocking-threads",
                    str(self.settings.threads), "--log-level", "warning", "--factory",
                    factory]
        return [sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{self.port}",
                f"--threads={self.settings.threads}", "--call", factory]

    def start(self, ready_path: str, timeout: float = 120.0) -> ServerProcess:
        self.process = subprocess.Popen(self.command(), env={**os.environ, **self.env},
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.settings.kind} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.settings.kind} did not answer {ready_path} in {timeout:.0f} s")

    def get(self, path: str) -> str:
        request = urllib.request.Request(self.url + path,
                                         headers={"Accept": "application/fhir+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(response.read().decode())

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
