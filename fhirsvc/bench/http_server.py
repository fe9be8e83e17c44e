"""HTTP benchmark: the real server on SQLite and PostgreSQL against a no-database ceiling.

    python -m fhirsvc.bench http [--database sqlite] [--database postgresql://…]
                                 [--patients 1000] [--duration 10] [--large]

For each database it loads N patients with observations (``store.load``, the bulk path),
starts the server as the README's production command does (granian's WSGI interface,
``fhirsvc.server:create_app``, ``FHIRSVC_DATABASE``; 2 workers x 4 threads by default;
``--server gunicorn`` runs gunicorn's gthread workers instead, see also ``--workers``,
``--threads``), and drives it over loopback with 8 keep-alive connections
(wrk when installed: apt-get or brew install wrk; else a Python generator) with three
requests: read ``Patient/[id]``, ``Observation?patient=…`` and ``Observation?code=http://loinc.org|777-3``
(``_count=20``). It prints req/s, p50 and p99 for each, beside Medplum's figures on the
same machine kind and beside the ceiling: a Flask app without a database, served the
same way, returning the bodies the real server returned (:mod:`fhirsvc.server.ceiling`).
It then grows the database (to 1,000,000 resources with ``--large``, 100,000 without)
and prints the two searches' p50 at both sizes. ``--database`` defaults to SQLite plus
``FHIRSVC_TEST_DATABASE_URL`` when set; a PostgreSQL run uses a schema of its own,
dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tqdm import tqdm

from fhirsvc.bench.loadgen import WRK_INSTALL, LoadResult, run_load
from fhirsvc.bench.servers import SERVERS, ServerProcess, ServerSettings
from fhirsvc.server.config import DATABASE_ENV
from fhirsvc.storage import open_store
from fhirsvc.storage.bench import _prepare_url, resources

BASE = "/fhir"
#: The production entry point the README documents, configured by the environment.
FHIR_APP = "fhirsvc.server:create_app()"
#: Medplum 5.0.2 (Node, PostgreSQL, Redis) on this machine kind, 8 connections: req/s.
MEDPLUM = {"read": (1150, 1150), "by-patient": (590, 700), "by-code": (300, 350)}
TARGET_VS_MEDPLUM = 2.0
TARGET_READ_VS_CEILING = 0.6
LABELS = {"read": "read Patient/[id]", "by-patient": "Observation?patient=",
          "by-code": "Observation?code=…|777-3"}
PER_PATIENT = 9  # observations per patient: ten resources a patient


def probe_paths(patients: int, sample: int = 1000, seed: int = 5) -> dict[str, list[str]]:
    """The request paths of each probe, for patients drawn from the first ``patients``."""
    rng = random.Random(seed)
    chosen = [rng.randrange(patients) for _ in range(sample)]
    code = quote("http://loinc.org|777-3", safe="")
    return {
        "read": [f"{BASE}/Patient/bench-p{i}" for i in chosen],
        "by-patient": [f"{BASE}/Observation?patient=Patient/bench-p{i}&_count=20"
                       for i in chosen],
        "by-code": [f"{BASE}/Observation?code={code}&_count=20"],
    }


@dataclass
class Options:
    settings: ServerSettings
    duration: float
    warmup: float
    connections: int
    wrk_threads: int
    tool: str | None
    #: Measurements per request kind; the median (by req/s) is reported, since other
    #: work on a shared machine can slow any single run.
    rounds: int = 3


def measure(server: ServerProcess, paths: dict[str, list[str]], options: Options,
            kinds: Sequence[str] = tuple(LABELS)) -> dict[str, LoadResult]:
    found = {}
    for kind in kinds:
        if options.warmup > 0:
            run_load(server.url, paths[kind], connections=options.connections,
                     duration=options.warmup, threads=options.wrk_threads, tool=options.tool)
        runs = sorted((run_load(server.url, paths[kind], connections=options.connections,
                                duration=options.duration, threads=options.wrk_threads,
                                tool=options.tool) for _ in range(max(1, options.rounds))),
                      key=lambda r: r.requests_per_second)
        result = found[kind] = runs[len(runs) // 2]
        print(f"    {LABELS[kind]:<28} {result.requests_per_second:9,.0f} req/s  "
              f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms"
              + (f"  ({result.errors} errors)" if result.errors else ""), flush=True)
    return found


def load(url: str, first: int, last: int) -> None:
    """Bulk-load patients ``first``…``last - 1`` with their observations."""
    store = open_store(url)
    try:
        total = (last - first) * (PER_PATIENT + 1)
        started = time.perf_counter()
        with tqdm(total=total, unit="res", file=sys.stderr, leave=False,
                  desc=f"loading {total:,} resources") as bar:
            for chunk_first in range(first, last, 2000):
                chunk = list(resources(chunk_first, min(last, chunk_first + 2000), PER_PATIENT))
                store.load(chunk, batch_size=5000)
                bar.update(len(chunk))
        elapsed = time.perf_counter() - started
        print(f"    loaded {total:,} resources in {elapsed:.0f} s ({total / elapsed:,.0f}/s)",
              flush=True)
    finally:
        store.close()


@dataclass
class BackendRun:
    name: str
    results: dict[str, LoadResult]
    #: stored resources → search kind → p50 ms
    scaling: dict[int, dict[str, float]]


def run_backend(name: str, url: str, patients: int, large_patients: int | None,
                options: Options, record: Callable[[ServerProcess, dict[str, list[str]]], None]
                ) -> BackendRun:
    print(f"{name}:", flush=True)
    load(url, 0, patients)
    paths = probe_paths(patients)
    env = {DATABASE_ENV: url}
    with ServerProcess(FHIR_APP, options.settings, env) as server:
        server.start(paths["read"][0])
        record(server, paths)
        results = measure(server, paths, options)
    scaling = {patients * (PER_PATIENT + 1): {k: results[k].p50_ms
                                              for k in ("by-patient", "by-code")}}
    if large_patients:
        load(url, patients, large_patients)
        with ServerProcess(FHIR_APP, options.settings, env) as server:
            server.start(paths["read"][0])
            grown = measure(server, probe_paths(large_patients), options,
                            ("by-patient", "by-code"))
        scaling[large_patients * (PER_PATIENT + 1)] = {k: r.p50_ms for k, r in grown.items()}
    return BackendRun(name, results, scaling)


def run_ceiling(payload_file: Path, paths: dict[str, list[str]], options: Options
                ) -> dict[str, LoadResult]:
    print("ceiling (Flask, no database, same bodies):", flush=True)
    env = {"FHIRSVC_CEILING_PAYLOADS": str(payload_file)}
    with ServerProcess("fhirsvc.server.ceiling:ceiling_app()", options.settings,
                       env) as server:
        server.start(paths["read"][0])
        return measure(server, paths, options)


def print_table(runs: list[BackendRun], ceiling: dict[str, LoadResult],
                options: Options, tool: str) -> None:
    print(f"\nHTTP benchmark: {options.settings.describe()}, {options.connections} "
          f"keep-alive connections, {tool}, median of {options.rounds} runs of "
          f"{options.duration:.0f} s per request kind")
    header = (f"{'server':<12} {'request':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'x Medplum':>10} {'x ceiling':>10}")
    print(header)
    print("-" * len(header))
    for run in [*runs, BackendRun("ceiling", ceiling, {})]:
        for kind, result in run.results.items():
            low, high = MEDPLUM[kind]
            medplum = (f"{result.requests_per_second / high:.1f}-"
                       f"{result.requests_per_second / low:.1f}" if low != high
                       else f"{result.requests_per_second / low:.1f}")
            ratio = result.requests_per_second / ceiling[kind].requests_per_second
            print(f"{run.name:<12} {LABELS[kind]:<28} {result.requests_per_second:8,.0f} "
                  f"{result.p50_ms:8.2f} {result.p99_ms:8.2f} {medplum:>10} {ratio:10.2f}")
    print(f"\nMedplum 5.0.2 (same machine kind, 8 connections): read 1,150 req/s, by patient "
          f"590-700, by code 300-350. Targets: >= {TARGET_VS_MEDPLUM:.0f}x Medplum on "
          f"PostgreSQL; read >= {TARGET_READ_VS_CEILING}x the ceiling.")
    scaled = [run for run in runs if len(run.scaling) > 1]
    if scaled:
        print("\nsearch p50 by stored resources (target: the larger within 2x of the smaller)")
        for run in scaled:
            small, large = min(run.scaling), max(run.scaling)
            for kind in ("by-patient", "by-code"):
                a, b = run.scaling[small][kind], run.scaling[large][kind]
                print(f"{run.name:<12} {LABELS[kind]:<28} {small:>10,}: {a:7.2f} ms   "
                      f"{large:>10,}: {b:7.2f} ms   {b / a:5.2f}x")


def default_databases() -> list[str]:
    found = ["sqlite"]
    if os.environ.get("FHIRSVC_TEST_DATABASE_URL"):
        found.append(os.environ["FHIRSVC_TEST_DATABASE_URL"])
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fhirsvc.bench http", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", default=[],
                        help="'sqlite' or a postgresql:// URL; repeatable (default: sqlite, "
                             "and FHIRSVC_TEST_DATABASE_URL when set)")
    parser.add_argument("--patients", type=int, default=1000,
                        help="patients to load, ten resources each (default 1000: 10,000)")
    parser.add_argument("--large", action="store_true",
                        help="grow to 1,000,000 resources for the scaling figures "
                             "(default: 100,000)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling figures")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="measurements per request kind; the median is reported")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up before each")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--load-generator", choices=("wrk", "python"), default=None,
                        help=f"default: wrk when installed, else python ({WRK_INSTALL})")
    parser.add_argument("--server", choices=SERVERS, default=ServerSettings.kind,
                        help="the WSGI server, for the ceiling too (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=ServerSettings.workers,
                        help="worker processes")
    parser.add_argument("--threads", type=int, default=ServerSettings.threads,
                        help="threads per worker")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        if args.load_generator == "wrk":
            parser.error(f"wrk is not installed; {WRK_INSTALL}")
        if args.load_generator is None:
            print(f"wrk not found: the Python load generator measures instead (its figures are "
                  f"a lower bound); {WRK_INSTALL}", file=sys.stderr)
    options = Options(ServerSettings(args.server, args.workers, args.threads), args.duration,
                      args.warmup, args.connections, args.wrk_threads, args.load_generator,
                      args.rounds)
    try:
        import fhirsvc.server.app  # noqa: F401  the real server must exist to be measured
    except ImportError as error:
        print(f"fhirsvc's server app cannot be imported ({error})", file=sys.stderr)
        return 1
    large = None if args.no_scaling else (1_000_000 if args.large else 100_000) \
        // (PER_PATIENT + 1)
    workdir = Path(tempfile.mkdtemp(prefix="fhirsvc-http-bench-"))
    payload_file = workdir / "ceiling-payloads.json"
    paths = probe_paths(args.patients)

    def record(server: ServerProcess, paths: dict[str, list[str]]) -> None:
        if not payload_file.exists():
            bodies = {kind: server.get(found[0]) for kind, found in paths.items()}
            payload_file.write_text(json.dumps(bodies), encoding="utf-8")

    runs = []
    for database in args.database or default_databases():
        url, cleanup = _prepare_url("" if database == "sqlite" else database, workdir)
        name = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        try:
            runs.append(run_backend(name, url, args.patients, large, options, record))
        finally:
            cleanup()
    ceiling = run_ceiling(payload_file, paths, options)
    tool = next(iter(ceiling.values())).tool
    print_table(runs, ceiling, options, tool)
    return 0
