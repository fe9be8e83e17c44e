"""Units of work: all or nothing, own writes visible, and safe under concurrency."""

from __future__ import annotations

import threading

import pytest

from fhirsvc.errors import Conflict, NotFound, PreconditionFailed
from fhirsvc.storage import SqlStore, StoredResource, open_store, parse_search
from tests.storage.conftest import waiting
from tests.storage.helpers import HANG, run_threads, until
from tests.storage.samples import case, condition, observation, patient


def test_transaction_commits_every_write_together(store: SqlStore) -> None:
    with store.transaction() as tx:
        for resource in case():
            tx.update(resource)
    assert store.read("Provenance", "v1").version == 1
    assert len(store.history().entries) == len(case())


def test_failure_inside_a_transaction_rolls_everything_back(store: SqlStore) -> None:
    store.update(patient("p1"))
    with pytest.raises(PreconditionFailed), store.transaction() as tx:
        tx.update(condition("c1"))
        tx.delete("Patient", "p1")
        tx.update(observation("o1"), expected_version=7)
    with pytest.raises(NotFound):
        store.read("Condition", "c1")
    assert store.read("Patient", "p1").version == 1
    assert store.search(parse_search("Condition", [])).matches == []


def test_reads_and_searches_inside_a_transaction_see_its_own_writes(store: SqlStore) -> None:
    with store.transaction() as tx:
        tx.update(patient("p1"))
        tx.update(observation("o1"))
        assert tx.read("Patient", "p1").version == 1
        found = tx.search(parse_search("Observation", [("patient", "p1")]))
        assert [m.id for m in found.matches] == ["o1"]
        with tx.transaction() as nested:  # joins the outer unit of work
            nested.update(observation("o2"))
    assert store.read("Observation", "o2").version == 1


def test_conditional_create_under_lock_creates_once(store: SqlStore) -> None:
    """Conditional create (If-None-Exist) as the server does it, from 6 threads at once."""
    query = parse_search("Patient", [("identifier", "https://fhirsvc.example/case-patient|case-x")])

    def conditional_create(_: int) -> None:
        with store.transaction() as tx:
            tx.lock("Patient?identifier=https://fhirsvc.example/case-patient|case-x")
            if not tx.search(query).matches:
                tx.create(patient("ignored", identifier=[{
                    "system": "https://fhirsvc.example/case-patient", "value": "case-x"}]))

    assert run_threads(conditional_create, 6) == []
    assert len(store.search(query).matches) == 1


def test_concurrent_updates_of_one_resource_get_distinct_versions(store: SqlStore) -> None:
    store.update(patient("p1"))
    versions: list[int] = []
    lock = threading.Lock()

    def bump(index: int) -> None:
        saved = store.update(patient("p1", family=f"F{index}"))
        with lock:
            versions.append(saved.version)

    assert run_threads(bump, 8) == []
    assert sorted(versions) == list(range(2, 10))
    assert store.history("Patient", "p1").total == 9


def test_two_stores_on_one_database_see_each_others_writes(backend_url: str) -> None:
    first, second = open_store(backend_url), open_store(backend_url)
    try:
        first.update(patient("shared"))
        assert second.read("Patient", "shared").version == 1
        second.update(patient("shared", family="Meier"))
        assert first.read("Patient", "shared").version == 2
        with pytest.raises(PreconditionFailed):
            first.update(patient("shared"), expected_version=1)
    finally:
        first.close()
        second.close()


def test_concurrent_creation_of_one_new_id_becomes_two_versions(store: SqlStore) -> None:
    """A second transaction creating the same new id waits for the first, then writes
    version 2. The first commits only once the database shows the second waiting on
    it, so the race happens however slowly either thread runs."""
    if store.backend.dialect == "sqlite":
        pytest.skip("SQLite serialises writers, so the race cannot happen")
    backend = store.backend
    url, schema = backend.conninfo, backend.schema  # type: ignore[attr-defined]
    entered, release = threading.Event(), threading.Event()
    outcome: list[object] = []

    def first_writer() -> None:
        with store.transaction() as tx:
            tx.update(patient("race"))
            entered.set()
            assert release.wait(HANG), "the first writer was never released"

    def second_writer() -> None:
        try:
            outcome.append(store.update(patient("race", family="Second")))
        except BaseException as error:  # asserted on below
            outcome.append(error)

    first = threading.Thread(target=first_writer)
    first.start()
    try:
        assert entered.wait(HANG), "the first writer did not write"
        second = threading.Thread(target=second_writer)
        second.start()
        assert until(lambda: waiting(url, schema) == 1 or bool(outcome)), \
            "the second writer never waited for the first"
        assert outcome == [], f"the second writer did not wait: {outcome}"
    finally:
        release.set()
        first.join()
    second.join()
    [saved] = outcome
    assert isinstance(saved, StoredResource), saved
    assert (saved.version, saved.operation) == (2, "update")
    assert store.read("Patient", "race").resource["name"][0]["family"] == "Second"
    assert store.history("Patient", "race").total == 2


def _worker(url: str, worker: int, rounds: int) -> None:
    store = open_store(url)
    try:
        for n in range(rounds):
            store.update(observation(f"w{worker}-{n}", "p1"))
            store.update(patient("shared", family=f"W{worker}-{n}"))
    finally:
        store.close()


def test_several_processes_write_one_database_without_losing_anything(backend_url: str) -> None:
    """Like gunicorn workers sharing the database: every write lands, versions stay dense."""
    import multiprocessing

    open_store(backend_url).close()  # create the schema before the workers race
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(backend_url, w, 10)) for w in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
    assert [process.exitcode for process in workers] == [0, 0, 0]
    store = open_store(backend_url)
    try:
        found = store.search(parse_search("Observation", [("patient", "p1"), ("_count", "100")]))
        assert len(found.matches) == 30
        history = store.history("Patient", "shared", count=100)
        assert [e.version for e in history.entries] == list(range(30, 0, -1))
    finally:
        store.close()


def test_deadlocked_transactions_end_in_a_conflict_for_one_of_them(store: SqlStore) -> None:
    if store.backend.dialect == "sqlite":
        pytest.skip("SQLite takes the write lock at BEGIN, so writers cannot deadlock")
    store.load([patient("a"), patient("b")])
    both_hold_one = threading.Barrier(2)

    def cross_update(index: int) -> None:
        first, second = ("a", "b") if index == 0 else ("b", "a")
        with store.transaction() as tx:
            tx.update(patient(first, family=f"T{index}"))
            both_hold_one.wait(HANG)
            tx.update(patient(second, family=f"T{index}"))

    errors = run_threads(cross_update, 2)
    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    winner = store.read("Patient", "a").resource["name"][0]["family"]
    assert store.read("Patient", "b").resource["name"][0]["family"] == winner
