"""Round trip: what ``fhirsvc export`` writes, ``fhirsvc serve --load`` loads into a fresh
database as the same resources (on each backend as the source)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fhirsvc.export import write_bundle, write_ndjson
from fhirsvc.server import ServerConfig
from fhirsvc.server.context import build_context
from fhirsvc.server.load import find_files, load_files
from fhirsvc.storage import SqlStore, open_store
from tests.storage.samples import patient

SEED = sorted(Path("seeds").glob("*.txt"))[0]


def contents(store: SqlStore) -> dict[str, Any]:
    """Every current resource by reference, without the version stamps a load renews."""
    found = {}
    for stored in store.current():
        body = stored.resource
        meta = {k: v for k, v in body.pop("meta", {}).items()
                if k not in ("versionId", "lastUpdated")}
        found[stored.reference] = {**body, **({"meta": meta} if meta else {})}
    return found


@pytest.mark.parametrize("form", ["ndjson", "bundle"])
def test_exported_files_load_into_a_fresh_database_as_the_same_resources(
        server, tmp_path: Path, form: str) -> None:
    source = build_context(server.store, ServerConfig())
    assert load_files(source, [SEED]).errors == []
    server.store.update(patient("extra", family="Meier"))
    server.store.update(patient("extra", family="Meier-Huber"))  # version 2 exported
    out = tmp_path / "out"
    out.mkdir()
    writer = write_bundle if form == "bundle" else write_ndjson
    tally = writer(server.store.current(), out)
    assert tally.total == len(contents(server.store)) > 10

    fresh = open_store(str(tmp_path / "fresh.sqlite3"))
    try:
        files, missing = find_files([str(out)])
        report = load_files(build_context(fresh, ServerConfig()), files)
        assert (report.errors, missing, report.written) == ([], [], tally.total)
        assert contents(fresh) == contents(server.store)
        assert fresh.read("Patient", "extra").resource["name"][0]["family"] == "Meier-Huber"
    finally:
        fresh.close()
