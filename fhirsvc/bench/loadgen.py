"""Load generation over loopback: wrk when installed, else a Python generator.

Both keep ``connections`` HTTP/1.1 keep-alive connections busy for ``duration`` seconds,
each request a GET of a path drawn at random from a list, and report requests per
second with the 50th and 99th latency percentiles. wrk (Debian package ``wrk``) is
preferred: it is written in C and costs the server's machine far less CPU than the
Python generator, whose own figures are therefore a lower bound.
"""

from __future__ import annotations

import http.client
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ACCEPT = "application/fhir+json"
#: How to get wrk, said wherever the benchmark finds it missing.
WRK_INSTALL = "install wrk: apt-get install wrk (Debian, Ubuntu) or brew install wrk (macOS)"


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    tool: str


def run_load(base_url: str, paths: Sequence[str], *, connections: int = 8,
             duration: float = 10.0, threads: int = 2, tool: str | None = None) -> LoadResult:
    """Drive ``base_url`` (``http://host:port``) with GETs of ``paths`` for ``duration`` s."""
    tool = tool or ("wrk" if shutil.which("wrk") else "python")
    if tool == "wrk":
        return _wrk(base_url, paths, connections, duration, threads)
    return _python(base_url, paths, connections, duration)


# ------------------------------------------------------------------ wrk

_LUA = """
local paths = {%s}
local count = #paths
wrk.headers["Accept"] = "%s"
request = function()
  return wrk.format("GET", paths[math.random(count)])
end
"""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk(base_url: str, paths: Sequence[str], connections: int, duration: float,
         threads: int) -> LoadResult:
    quoted = ",".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % (quoted, ACCEPT))
    try:
        completed = subprocess.run(
            ["wrk", "--latency", f"-t{min(threads, connections)}", f"-c{connections}",
             f"-d{max(1, round(duration))}s", "-s", script.name, base_url],
            capture_output=True, text=True, check=True)
    finally:
        Path(script.name).unlink(missing_ok=True)
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> LoadResult:
    """Read req/s, the 50% and 99% latencies and the error counts from ``wrk --latency``."""
    def latency(percent: str) -> float:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if found is None:
            raise ValueError(f"wrk printed no {percent}% latency:\n{output}")
        return float(found.group(1)) * _UNITS[found.group(2)]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    if rate is None or total is None:
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadResult(float(rate.group(1)), latency("50"), latency("99"), int(total.group(1)),
                      errors, "wrk")


# ------------------------------------------------------------------ Python

def _python(base_url: str, paths: Sequence[str], connections: int,
            duration: float) -> LoadResult:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    deadline = time.perf_counter() + duration

    def worker(slot: int) -> None:
        rng = random.Random(slot)
        connection = http.client.HTTPConnection(host, port, timeout=30)
        own = latencies[slot]
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", rng.choice(paths), headers={"Accept": ACCEPT})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[slot] += 1
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            own.append(time.perf_counter() - started)
        connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    merged = sorted(t for own in latencies for t in own)
    if not merged:
        return LoadResult(0.0, float("nan"), float("nan"), 0, sum(errors), "python")
    p99 = merged[min(len(merged) - 1, int(len(merged) * 0.99))]
    return LoadResult(len(merged) / elapsed, statistics.median(merged) * 1000, p99 * 1000,
                      len(merged), sum(errors), "python")
