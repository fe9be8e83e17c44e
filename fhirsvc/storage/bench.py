"""Storage benchmark: search latency at 10,000 and 1,000,000 stored resources.

Loads N patients, each with observations (LOINC codes, UCUM values, as the converter
emits them), into a fresh database per backend, and at each size measures the three
requests the server benchmark uses: read by id, ``Observation?patient=`` and
``Observation?code=http://loinc.org|777-3`` (page size 20), parsing included.
Prints p50/p99 per size and the ratio of the largest size's p50 to the smallest's.

    python -m fhirsvc.storage.bench                      # SQLite, 10k and 1M
    python -m fhirsvc.storage.bench --database postgresql://postgres@127.0.0.1/test \\
        --database sqlite --sizes 10000,1000000

``--search`` adds searches of one's own, written as in a URL (``{p}`` stands for a random
patient number), each measured like the three:

    python -m fhirsvc.storage.bench --search 'Observation?subject:Patient.name=Garcia' \\
        --search 'Observation?subject=Patient/bench-p{p}&_sort=-date'

A PostgreSQL run works in a schema of its own, dropped afterwards. Loading a million
resources takes many minutes, so ``--reuse NAME`` keeps one schema per size
(``NAME_10000``…) and on later runs loads only what a schema still lacks:

    python -m fhirsvc.storage.bench --database postgresql://postgres@127.0.0.1/test \\
        --reuse mybench --sizes 10000,1000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from tqdm import tqdm

from fhirsvc.storage import SqlStore, open_store, parse_search

#: (code, display, unit, typical value) — common laboratory LOINC codes.
LAB_CODES = (
    ("777-3", "Platelets [#/volume] in Blood", "10*3/uL", 250),
    ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 13.5),
    ("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 100),
    ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 1.0),
    ("6690-2", "Leukocytes [#/volume] in Blood", "10*3/uL", 7),
    ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 140),
    ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 4.2),
    ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume]", "U/L", 30),
    ("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume]", "U/L", 28),
    ("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "mg/dL", 0.8),
    ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 190),
    ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 6.1),
    ("8867-4", "Heart rate", "/min", 72),
    ("8310-5", "Body temperature", "Cel", 37),
    ("29463-7", "Body weight", "kg", 75),
    ("8302-2", "Body height", "cm", 172),
    ("9279-1", "Respiratory rate", "/min", 16),
    ("2708-6", "Oxygen saturation in Arterial blood", "%", 97),
    ("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", 5),
    ("30341-2", "Erythrocyte sedimentation rate", "mm/h", 12),
)


def patient(index: int, rng: random.Random) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": f"bench-p{index}",
        "identifier": [{"system": "https://fhirsvc.example/case-patient", "value": f"p{index}"}],
        "name": [{"family": rng.choice(("Smith", "Müller", "Garcia", "Chen", "Okafor")),
                  "given": [rng.choice(("Anna", "Jonas", "Maria", "Wei", "Amara"))]}],
        "gender": rng.choice(("female", "male")),
        "birthDate": f"{rng.randint(1930, 2015)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
    }


def observation(patient_index: int, number: int, rng: random.Random) -> dict[str, Any]:
    code, display, unit, typical = LAB_CODES[(patient_index + number) % len(LAB_CODES)]
    return {
        "resourceType": "Observation",
        "id": f"bench-o{patient_index}-{number}",
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}],
                 "text": display},
        "subject": {"reference": f"Patient/bench-p{patient_index}"},
        "effectiveDateTime": f"20{rng.randint(10, 23)}-{rng.randint(1, 12):02}-"
                             f"{rng.randint(1, 28):02}T{rng.randint(0, 23):02}:00:00Z",
        "valueQuantity": {"value": round(typical * rng.uniform(0.6, 1.4), 2), "unit": unit,
                          "system": "http://unitsofmeasure.org", "code": unit},
    }


def resources(first: int, last: int, per_patient: int, seed: int = 7
              ) -> Iterator[dict[str, Any]]:
    """Patients ``first``…``last - 1``, each followed by its observations."""
    for index in range(first, last):
        rng = random.Random(seed * 1_000_003 + index)
        yield patient(index, rng)
        for number in range(per_patient):
            yield observation(index, number, rng)


@dataclass
class Figures:
    p50: float
    p99: float

    @classmethod
    def of(cls, seconds: list[float]) -> Figures:
        ordered = sorted(seconds)
        return cls(statistics.median(ordered) * 1000,
                   ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000)


def probes(store: SqlStore, searches: Sequence[str] = ()) -> dict[str, Callable[[int], object]]:
    """The three requests and ``searches`` (``Type?query``), each on a patient number."""
    found: dict[str, Callable[[int], object]] = {
        "read Patient/id": lambda p: store.read("Patient", f"bench-p{p}"),
        "Observation?patient=": lambda p: store.search(parse_search(
            "Observation", [("patient", f"Patient/bench-p{p}"), ("_count", "20")])),
        "Observation?code=loinc|777-3": lambda p: store.search(parse_search(
            "Observation", [("code", "http://loinc.org|777-3"), ("_count", "20")])),
    }
    return found | {text: _search_probe(store, text) for text in searches}


def _search_probe(store: SqlStore, text: str) -> Callable[[int], object]:
    resource_type, _, query = text.partition("?")
    return lambda p: store.search(parse_search(
        resource_type, parse_qsl(query.replace("{p}", str(p)), keep_blank_values=True)))


def measure(stores: dict[int, tuple[SqlStore, int]], queries: int, rounds: int = 1,
            seed: int = 11, searches: Sequence[str] = ()) -> dict[int, dict[str, Figures]]:
    """p50/p99 per size and request. The sizes take turns, ``rounds`` times per request
    kind, so a machine whose load changes during the run slows every size alike."""
    rng = random.Random(seed)
    kinds = {size: probes(store, searches) for size, (store, _) in stores.items()}
    timings: dict[int, dict[str, list[float]]] = {size: {} for size in stores}
    for name in next(iter(kinds.values())):
        for size, (_, patients) in stores.items():
            for _ in range(min(200, queries)):  # warm caches and prepared statements
                kinds[size][name](rng.randrange(patients))
        for _ in range(rounds):
            for size, (_, patients) in stores.items():
                probe, found = kinds[size][name], timings[size].setdefault(name, [])
                for _ in range(max(1, queries // rounds)):
                    target = rng.randrange(patients)
                    started = time.perf_counter()
                    probe(target)
                    found.append(time.perf_counter() - started)
    return {size: {name: Figures.of(seconds) for name, seconds in by_name.items()}
            for size, by_name in timings.items()}


def fill(store: SqlStore, loaded_patients: int, target: int, per_patient: int) -> None:
    """Load patients ``loaded_patients``…``target - 1`` with their observations."""
    per_case = per_patient + 1
    started = time.perf_counter()
    with tqdm(total=(target - loaded_patients) * per_case, unit="res", file=sys.stderr,
              desc=f"loading to {target * per_case:,}", leave=False) as bar:
        for first in range(loaded_patients, target, 2000):
            chunk = list(resources(first, min(target, first + 2000), per_patient))
            store.load(chunk, batch_size=5000)
            bar.update(len(chunk))
    elapsed = time.perf_counter() - started
    added = max(0, target - loaded_patients) * per_case
    print(f"  loaded {added:,} resources in {elapsed:.0f} s "
          f"({added / max(elapsed, 1e-9):,.0f}/s)", flush=True)


def stored_patients(store: SqlStore) -> int:
    """How many benchmark patients a reused database already holds."""
    page = store.search(parse_search("Patient", [("_summary", "count"),
                                                 ("_total", "accurate")]))
    return page.total or 0


def run_backend(urls: Callable[[int], str], sizes: Sequence[int], per_patient: int,
                queries: int, searches: Sequence[str] = ()) -> dict[int, dict[str, Figures]]:
    """Load and measure at each size; ``urls(size)`` names the database to use, the same
    one for every size (loaded incrementally, measured as it grows) or one per size
    (reused across runs, measured by turns once all are loaded)."""
    figures: dict[int, dict[str, Figures]] = {}
    stores: dict[int, tuple[SqlStore, int]] = {}
    per_url: dict[str, tuple[SqlStore, int]] = {}
    separate = len({urls(size) for size in sizes}) > 1
    try:
        for size in sorted(sizes):
            store, loaded_patients = per_url.get(urls(size)) or (None, 0)
            if store is None:
                store = open_store(urls(size))
                loaded_patients = stored_patients(store)
            target = size // (per_patient + 1)
            fill(store, loaded_patients, target, per_patient)
            per_url[urls(size)] = (store, max(loaded_patients, target))
            stores[size] = (store, target)
            if not separate:
                figures.update(measure({size: stores[size]}, queries, searches=searches))
        if separate:
            figures = measure(stores, queries, rounds=10, searches=searches)
        for size, found in sorted(figures.items()):
            for name, figure in found.items():
                print(f"  {size:>9,}  {name:<30} p50 {figure.p50:7.3f} ms  "
                      f"p99 {figure.p99:7.3f} ms", flush=True)
    finally:
        for store, _ in per_url.values():
            store.close()
    return figures


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def _sized_urls(url: str, workdir: Path, reuse: str | None
                ) -> tuple[Callable[[int], str], Callable[[], None]]:
    """The database URL per size, and how to remove what the run made."""
    if reuse is None:
        fresh, cleanup = _prepare_url(url, workdir)
        return (lambda size: fresh), cleanup
    if url.startswith(("postgresql://", "postgres://")):
        return (lambda size: _with_schema(url, f"{reuse}_{size}")), _nothing
    return (lambda size: f"sqlite:///{workdir / f'{reuse}_{size}.sqlite3'}"), _nothing


def _prepare_url(url: str, workdir: Path) -> tuple[str, Callable[[], None]]:
    if url.startswith(("postgresql://", "postgres://")):
        schema = f"fhirsvc_bench_{uuid.uuid4().hex[:8]}"

        def drop() -> None:
            import psycopg

            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

        return _with_schema(url, schema), drop
    path = workdir / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"

    def remove() -> None:
        for leftover in workdir.glob(path.name + "*"):
            leftover.unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def _nothing() -> None:
    """A reused database is kept."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fhirsvc.storage.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", default=[],
                        help="'sqlite' or a postgresql:// URL; repeatable (default: sqlite)")
    parser.add_argument("--sizes", default="10000,1000000",
                        help="resource counts to measure at, comma-separated")
    parser.add_argument("--observations-per-patient", type=int, default=9)
    parser.add_argument("--queries", type=int, default=1000, help="timed requests per kind")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for SQLite files (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases (their URLs are printed) instead of dropping them")
    parser.add_argument("--reuse", metavar="NAME",
                        help="one database per size, NAME_<size> (a PostgreSQL schema, or a "
                             "SQLite file in --workdir), kept and reused: later runs load "
                             "only what is missing")
    parser.add_argument("--search", action="append", default=[], metavar="TYPE?QUERY",
                        help="another search to measure, as in a URL ({p}: a patient "
                             "number); repeatable")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fhirsvc-bench-"))
    summary: list[tuple[str, int, str, Figures]] = []
    for database in args.database or ["sqlite"]:
        urls, cleanup = _sized_urls("" if database == "sqlite" else database, workdir,
                                    args.reuse)
        backend = "PostgreSQL" if urls(0).startswith("postgres") else "SQLite"
        print(f"{backend}: {', '.join(urls(size) for size in sorted(sizes))}", flush=True)
        try:
            for size, found in run_backend(urls, sizes, args.observations_per_patient,
                                           args.queries, args.search).items():
                summary += [(backend, size, name, figures) for name, figures in found.items()]
        finally:
            if not args.keep:
                cleanup()
    _print_summary(summary, sizes)
    return 0


def _print_summary(rows: list[tuple[str, int, str, Figures]], sizes: list[int]) -> None:
    print("\nbackend     resources  request                         p50 ms    p99 ms")
    for backend, size, name, figures in rows:
        print(f"{backend:<10} {size:>10,}  {name:<30} {figures.p50:8.3f}  {figures.p99:8.3f}")
    small, large = min(sizes), max(sizes)
    if small == large:
        return
    print(f"\np50 at {large:,} / p50 at {small:,} (target: within 2x)")
    by_key = {(b, s, n): f for b, s, n, f in rows}
    for backend, size, name, figures in rows:
        base = by_key.get((backend, small, name))
        if size == large and base is not None:
            print(f"{backend:<10} {name:<30} {figures.p50 / base.p50:5.2f}x")


if __name__ == "__main__":
    raise SystemExit(main())
