"""Reading every current resource (for exports), on every backend."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from fhirsvc.errors import InvalidRequest
from fhirsvc.storage import SqlStore
from tests.storage.conftest import end_left_open, lock_holders
from tests.storage.samples import condition, patient


def _fill(store: SqlStore) -> None:
    for pid in ("p3", "p1", "p2"):
        store.update(patient(pid))
    store.update(condition("c2", "p1"))
    store.update(condition("c1", "p2"))
    store.update(patient("p1", family="Meier"))  # version 2 is current
    store.update(patient("gone"))
    store.delete("Patient", "gone")


def test_current_lists_live_resources_by_type_then_id(store: SqlStore) -> None:
    _fill(store)
    found = [(r.resource_type, r.id, r.version) for r in store.current()]
    assert found == [("Condition", "c1", 1), ("Condition", "c2", 1),
                     ("Patient", "p1", 2), ("Patient", "p2", 1), ("Patient", "p3", 1)]


def test_current_returns_the_current_versions_stored_json(store: SqlStore) -> None:
    _fill(store)
    p1 = next(r for r in store.current(["Patient"]) if r.id == "p1")
    assert p1.text == store.read("Patient", "p1").text
    assert p1.resource["name"][0]["family"] == "Meier"
    assert p1.operation == "update" and not p1.deleted


@pytest.mark.parametrize("batch_size", [1, 2, 3, 1000])
def test_current_streams_in_batches_without_losing_or_repeating(store: SqlStore,
                                                                batch_size: int) -> None:
    _fill(store)
    expected = [r.reference for r in store.current()]
    assert [r.reference for r in store.current(batch_size=batch_size)] == expected
    assert len(expected) == len(set(expected)) == 5


def test_current_keeps_to_the_types_asked_for(store: SqlStore) -> None:
    _fill(store)
    assert [r.id for r in store.current(["Condition"])] == ["c1", "c2"]
    assert [r.reference for r in store.current(["Observation"])] == []
    assert list(store.current([])) == []


def test_current_refuses_a_malformed_type_name(store: SqlStore) -> None:
    with pytest.raises(InvalidRequest):
        list(store.current(["patient; DROP TABLE resource"]))


def test_current_inside_a_transaction_sees_its_own_writes(store: SqlStore) -> None:
    with store.transaction() as tx:
        tx.update(patient("p9"))
        assert [r.id for r in tx.current(["Patient"])] == ["p9"]


def _write_meanwhile(store: SqlStore) -> None:
    """From another thread (its own connection), in one transaction: rename the patient
    the first condition refers to, renumber that condition, create a patient and delete
    one, all sorting after the first resource an export reads."""
    def write() -> None:
        with store.transaction() as tx:
            tx.update(patient("p2", family="Later"))
            tx.update({**condition("c1", "p2"), "note": [{"text": "later"}]})
            tx.update(patient("p4"))
            tx.delete("Patient", "p3")

    writer = threading.Thread(target=write)
    writer.start()
    writer.join()


@pytest.mark.parametrize("batch_size", [1, 500])
def test_current_reads_one_moment_while_a_concurrent_writer_commits(
        store: SqlStore, batch_size: int) -> None:
    """An export is a snapshot: writes committed while it iterates are not seen, so a
    resource and the one it references come from one moment and none is added, lost or
    repeated (https://hl7.org/fhir/uv/bulkdata/export.html)."""
    _fill(store)
    before = [(r.reference, r.text) for r in store.current()]
    iteration = store.current(batch_size=batch_size)
    first = next(iteration)
    _write_meanwhile(store)
    during = [(r.reference, r.text) for r in [first, *iteration]]
    assert during == before
    after = {r.reference: r for r in store.current()}
    assert after["Patient/p2"].resource["name"][0]["family"] == "Later"
    assert "Patient/p4" in after and "Patient/p3" not in after


def _snapshots_held(store: SqlStore) -> int:
    """How many read snapshots the database itself sees held on the store's tables: on
    SQLite, whether a checkpoint cannot reset the WAL past a reader's snapshot
    (https://www.sqlite.org/pragma.html#pragma_wal_checkpoint); on PostgreSQL, how many
    backends sit ``idle in transaction`` holding a lock on a table of the store's schema
    (the test session's own: what other clients of the database do is not counted)."""
    backend = store.backend
    if backend.dialect == "sqlite":
        path = backend.path  # type: ignore[attr-defined]
        with sqlite3.connect(path, timeout=0) as other:
            busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return int(busy)
    holders = lock_holders(backend.conninfo, backend.schema)  # type: ignore[attr-defined]
    return sum(state == "idle in transaction" for _, state, _ in holders)


def test_a_snapshot_left_unfinished_is_ended_by_closing_it(store: SqlStore) -> None:
    """When ``close()`` fails to end the snapshot, the test says so and ends it itself:
    left open, it would hold its tables' locks and the next test's emptying of them (or
    the session's dropping of its schema) would wait on it."""
    _fill(store)
    before = _snapshots_held(store)
    iteration = store.current(batch_size=1)
    try:
        next(iteration)
        _write_meanwhile(store)
        assert _snapshots_held(store) == before + 1  # the check sees the open snapshot
        iteration.close()  # an export stopped midway (an error writing its files)
        assert _snapshots_held(store) == before, "close() left the snapshot open"
    finally:
        _end_left_open(store)
    assert store.read("Patient", "p2").resource["name"][0]["family"] == "Later"


def _end_left_open(store: SqlStore) -> None:
    """End a snapshot a broken ``close()`` left open (on PostgreSQL: its connection)."""
    if store.backend.dialect == "postgresql":
        backend = store.backend
        end_left_open(backend.conninfo, backend.schema)  # type: ignore[attr-defined]
