"""The storage benchmark measures searches given on its command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from fhirsvc.storage import bench


def test_bench_measures_a_given_search_at_each_size(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    search = "Observation?subject=Patient/bench-p{p}&_sort=-date"
    assert bench.main(["--sizes", "20,40", "--queries", "3", "--workdir", str(tmp_path),
                       "--search", search]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if search in line]
    assert len(lines) == 5  # a line per size as measured, one per size in the summary, a ratio
    assert lines[-1].rstrip().endswith("x")


def test_bench_search_probe_fills_in_the_patient_number(tmp_path: Path) -> None:
    store = bench.open_store(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    store.load(list(bench.resources(0, 3, 2)))
    probe = bench.probes(store, ["Observation?subject=Patient/bench-p{p}"])[
        "Observation?subject=Patient/bench-p{p}"]
    result = probe(2)
    assert sorted(m.id for m in result.matches) == ["bench-o2-0", "bench-o2-1"]
    store.close()
