"""The HTTP benchmark's parts: wrk output parsing, the ceiling app, both load generators."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fhirsvc.bench.http_server import main, probe_paths
from fhirsvc.bench.loadgen import parse_wrk, run_load
from fhirsvc.bench.servers import ServerProcess, ServerSettings
from fhirsvc.server.ceiling import create_ceiling_app

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8080
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.21ms    1.02ms  40.11ms   91.00%
    Req/Sec     1.25k   102.33     1.50k    70.00%
  Latency Distribution
     50%  750.00us
     75%    3.50ms
     90%    4.10ms
     99%    1.20s
  24950 requests in 10.01s, 30.02MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   2492.51
Transfer/sec:      3.00MB
"""


def test_wrk_output_is_read_with_its_units():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == pytest.approx(2492.51)
    assert result.p50_ms == pytest.approx(0.75)
    assert result.p99_ms == pytest.approx(1200.0)
    assert (result.requests, result.errors) == (24950, 3)


def test_probe_paths_name_loaded_patients_and_encode_the_token():
    paths = probe_paths(50)
    assert all(int(p.rsplit("bench-p", 1)[1]) < 50 for p in paths["read"])
    assert paths["by-code"] == ["/fhir/Observation?code=http%3A%2F%2Floinc.org%7C777-3&_count=20"]
    assert all(p.endswith("&_count=20") for p in paths["by-patient"])


def test_ceiling_returns_the_recorded_bodies():
    client = create_ceiling_app({"read": '{"resourceType":"Patient"}',
                                 "by-patient": '{"total":1}', "by-code": '{"total":2}'}
                                ).test_client()
    assert client.get("/fhir/Patient/any").data == b'{"resourceType":"Patient"}'
    assert client.get("/fhir/Observation?patient=Patient/1").data == b'{"total":1}'
    assert client.get("/fhir/Observation?code=x").data == b'{"total":2}'
    assert client.get("/fhir/Patient/x").content_type.startswith("application/fhir+json")


@pytest.mark.parametrize(("tool", "server"), [("python", "gunicorn"), ("wrk", "gunicorn"),
                                            ("wrk", "granian")])
def test_load_generators_drive_a_real_wsgi_server(tool, server, tmp_path: Path):
    if tool == "wrk" and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed")
    payloads = tmp_path / "payloads.json"
    payloads.write_text(json.dumps({"read": "{}", "by-patient": "{}", "by-code": "{}"}))
    settings = ServerSettings(server, workers=1, threads=2)
    with ServerProcess("fhirsvc.server.ceiling:ceiling_app()", settings,
                       {"FHIRSVC_CEILING_PAYLOADS": str(payloads)}) as server:
        server.start("/fhir/Patient/1")
        ok = run_load(server.url, ["/fhir/Patient/1"], connections=2, duration=1, tool=tool)
        missing = run_load(server.url, ["/fhir/Nothing"], connections=2, duration=1, tool=tool)
    assert ok.requests > 0 and ok.errors == 0 and ok.p50_ms <= ok.p99_ms
    assert missing.errors > 0


def test_asking_for_wrk_without_it_says_how_to_install_it(monkeypatch, tmp_path: Path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no wrk on it
    with pytest.raises(SystemExit) as stopped:
        main(["--load-generator", "wrk", "--no-scaling"])
    assert stopped.value.code == 2
    assert "wrk is not installed; install wrk: apt-get install wrk" in capsys.readouterr().err


def test_the_benchmark_dispatcher_lists_the_benchmarks_on_help():
    done = subprocess.run([sys.executable, "-m", "fhirsvc.bench", "--help"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert [line.split()[0] for line in done.stdout.splitlines()[2:5]] == [
        "validate", "convert", "http"]
