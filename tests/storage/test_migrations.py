"""Schema migrations: a database made by an older release opens, is migrated once, and
its search indexes are rebuilt for the current definitions."""

from __future__ import annotations

import json
import uuid

import pytest

from fhirsvc.storage import RequestLine, SqlStore, open_store, parse_search
from fhirsvc.storage.db import Db, migrate, schema_version
from fhirsvc.storage.postgres import PostgresBackend
from fhirsvc.storage.schema import LATEST, MIGRATIONS
from fhirsvc.storage.search.sql import ConditionCompiler
from fhirsvc.storage.search.walk import live
from fhirsvc.storage.sqlite import SqliteBackend
from tests.storage.conftest import postgres_url, with_schema
from tests.storage.helpers import plan_of, run_threads
from tests.storage.samples import UCUM, observation

V1_OBSERVATION = {**observation("legacy"), "meta": {"versionId": "1",
                                                    "lastUpdated": "2024-01-01T00:00:00.000000Z"}}


def _fresh_url(backend_url: str) -> str:
    """A database of its own: a new SQLite file, or a new schema beside the session's."""
    if backend_url.startswith("postgres"):
        base, _, schema = backend_url.rpartition("schema=")
        return f"{base}schema={schema}_{uuid.uuid4().hex[:6]}"
    return backend_url.replace(".sqlite3", f"-{uuid.uuid4().hex[:6]}.sqlite3")


def _backend(url: str) -> SqliteBackend | PostgresBackend:
    return PostgresBackend(url) if url.startswith("postgres") else SqliteBackend(url)


def _opened_from_version(backend_url: str, version: int) -> SqlStore:
    """A fresh database made at schema ``version`` (an older release), then opened."""
    url = _fresh_url(backend_url)
    backend = _backend(url)
    with backend.exclusive() as db:
        migrate(db, target=version)
    backend.close()
    return open_store(url)

def _write_as_release_1(db: Db) -> None:
    """What fhirsvc with schema version 1 stored for one Observation."""
    migrate(db, target=1)
    text = json.dumps(V1_OBSERVATION)
    row = db.one("INSERT INTO resource (type, id, version, last_updated, deleted, content) "
                 "VALUES ('Observation', 'legacy', 1, 1704067200000000, 0, ?) RETURNING rid",
                 (text,))
    assert row is not None
    db.run("INSERT INTO resource_version (rid, type, id, version, last_updated, operation, "
           "content) VALUES (?, 'Observation', 'legacy', 1, 1704067200000000, 'create', ?)",
           (row[0], text))
    slot = db.one("INSERT INTO search_param (resource_type, slot, kind, fingerprint) "
                  "VALUES ('Observation', 'value-quantity', 'quantity', 'release-1') RETURNING p")
    assert slot is not None
    db.run("INSERT INTO idx_quantity (p, rid, grp, system, code, unit, low, high) "
           f"VALUES (?, ?, 0, '{UCUM}', '10*3/uL', '10*3/uL', 150, 150)", (slot[0], row[0]))


def test_database_of_schema_version_1_opens_migrated_and_reindexed(backend_url: str) -> None:
    url = _fresh_url(backend_url)
    backend = _backend(url)
    with backend.exclusive() as db:
        _write_as_release_1(db)
        assert schema_version(db) == 1
    backend.close()
    store = open_store(url)
    try:
        with store.backend.session(False) as db:
            assert schema_version(db) == LATEST
            recorded = [row[0] for row in db.all("SELECT version FROM schema_version")]
        assert sorted(recorded) == [m.version for m in MIGRATIONS]
        assert store.read("Observation", "legacy").resource == V1_OBSERVATION
        assert [e.version for e in store.history("Observation", "legacy").entries] == [1]
        # rows rebuilt in the new format: found by base units, and by parameters that
        # release 1 never indexed for this resource
        by_unit = [("value-quantity", f"150|{UCUM}|10*9/L")]
        assert [m.id for m in store.search(parse_search("Observation", by_unit)).matches] == [
            "legacy"]
        by_code = [("code", "777-3"), ("patient", "p1")]
        assert [m.id for m in store.search(parse_search("Observation", by_code)).matches] == [
            "legacy"]
        assert store.update(observation("legacy", value=1)).version == 2
    finally:
        store.close()


def test_versions_written_before_requests_were_recorded_keep_their_inferred_request(
        backend_url: str) -> None:
    """Schema 11 records each version's request; a version an older release wrote has
    none, and its history entry still says what its operation implies (a POST for a
    creation), while a version written after the migration has its own."""
    url = _fresh_url(backend_url)
    backend = _backend(url)
    with backend.exclusive() as db:
        _write_as_release_1(db)
    backend.close()
    store = open_store(url)
    try:
        store.update(observation("legacy", value=1))
        newer, older = store.history("Observation", "legacy").entries
        assert older.recorded_request is None
        assert older.request == RequestLine("POST", "Observation")
        assert newer.recorded_request == RequestLine("PUT", "Observation/legacy")
    finally:
        store.close()


@pytest.mark.parametrize("order", ["rid", "last_updated DESC, w.rid"])
def test_database_of_schema_version_5_lists_live_resources_from_an_index_alone(
        backend_url: str, order: str) -> None:
    """A walk over every live resource of a type, in storage or ``_lastUpdated`` order,
    reads one partial index and no table row, once a database of the release before
    (whose SQLite indexes lacked ``deleted``) is opened."""
    store = _opened_from_version(backend_url, 5)
    try:
        store.load([observation(f"o{i}") for i in range(3)])
        source, where, params = live("w", "Observation")
        with store.backend.session(True) as db:
            key = order.split()[0]
            plan = plan_of(db, f"SELECT w.rid, w.{key} FROM {source} WHERE {where} "
                               f"ORDER BY w.{order} LIMIT 20", params)
        assert "Index Only Scan" in plan or "COVERING INDEX" in plan, plan
    finally:
        store.close()


def test_database_of_schema_version_8_reads_a_quantity_above_a_value_by_its_upper_end(
        backend_url: str) -> None:
    """A database of the release before (schema 8: base-unit quantities ordered by their
    lower end only) opens with the upper-end index added; ``gt`` reads it from the value
    on, and finds what it found before."""
    store = _opened_from_version(backend_url, 8)
    try:
        store.load([observation(f"o{v}", value=v) for v in (100, 250, 400, 900)])
        [condition] = parse_search(
            "Observation", [("value-quantity", f"gt300|{UCUM}|10*3/uL")]).conditions
        found = ConditionCompiler(store.slots).rid_set(condition, "Observation")
        assert found is not None
        with store.backend.session(True) as db:
            assert schema_version(db) == LATEST
            plan = plan_of(db, f"SELECT {found.alias}.rid FROM {found.source} "
                               f"WHERE {found.where}", found.params)
        assert "idx_quantity_canon_high" in plan, plan
        query = parse_search("Observation", [("value-quantity", f"gt300|{UCUM}|10*3/uL")])
        assert sorted(m.id for m in store.search(query).matches) == ["o400", "o900"]
    finally:
        store.close()


def test_database_of_schema_version_7_reads_a_month_by_time_bucket(backend_url: str) -> None:
    """A database of the release before (schema 7, no time-bucket index) opens with the
    index added, and a month's page reads it."""
    url = _fresh_url(backend_url)
    backend = _backend(url)
    with backend.exclusive() as db:
        migrate(db, target=7)
    backend.close()
    store = open_store(url)
    try:
        store.load([observation(f"o{day}", when=f"2016-03-{day:02}") for day in range(1, 29)])
        [condition] = parse_search("Observation", [("date", "2016-03")]).conditions
        found = ConditionCompiler(store.slots).rid_set(condition, "Observation")
        assert found is not None and found.branches
        where, params = next(branch for branch in found.branches if "/" in branch[0])
        with store.backend.session(True) as db:
            assert schema_version(db) == LATEST
            plan = plan_of(db, f"SELECT {found.alias}.rid FROM {found.source} WHERE {where} "
                               f"ORDER BY {found.alias}.rid LIMIT 21", params)
        assert "idx_date_bucket" in plan, plan
        query = parse_search("Observation", [("date", "2016-03"), ("_count", "5")])
        assert [m.id for m in store.search(query).matches] == [f"o{d}" for d in range(1, 6)]
    finally:
        store.close()


def test_database_newer_than_the_code_is_refused(backend_url: str) -> None:
    url = _fresh_url(backend_url)
    backend = _backend(url)
    with backend.exclusive() as db:
        migrate(db)
        db.run("INSERT INTO schema_version (version, description, applied_at) "
               "VALUES (?, 'from the future', '2099-01-01')", (LATEST + 1,))
    backend.close()
    with pytest.raises(RuntimeError, match="newer than this fhirsvc"):
        open_store(url)


def test_concurrent_first_opens_migrate_exactly_once(backend_url: str) -> None:
    url = _fresh_url(backend_url)
    assert run_threads(lambda _: open_store(url).close(), 4) == []
    store = open_store(url)
    try:
        with store.backend.session(False) as db:
            versions = [row[0] for row in db.all("SELECT version FROM schema_version")]
        assert sorted(versions) == list(range(1, LATEST + 1))
    finally:
        store.close()


def test_changed_parameter_definitions_rebuild_the_index_on_open(sqlite_path: object) -> None:
    from fhirsvc.spec import load_spec
    from fhirsvc.storage import SearchRegistry

    url = str(sqlite_path)
    plain = open_store(url)
    plain.load([{**observation("o1"), "valueInteger": 7, "valueQuantity": None}])
    plain.close()
    extra = [{"resourceType": "SearchParameter", "url": "https://fhirsvc.example/sp/vi",
              "code": "value-integer", "base": ["Observation"], "type": "number",
              "expression": "Observation.value.as(integer)"}]
    registry = SearchRegistry.from_spec(load_spec(), extra=extra)
    upgraded = open_store(url, registry=registry)
    try:
        query = parse_search("Observation", [("value-integer", "7")], registry=registry)
        assert [m.id for m in upgraded.search(query).matches] == ["o1"]
    finally:
        upgraded.close()


def test_postgres_url_helper_adds_the_schema() -> None:
    assert with_schema("postgresql://h/db", "s") == "postgresql://h/db?schema=s"
    assert with_schema("postgresql://h/db?sslmode=disable", "s").endswith("&schema=s")
    assert postgres_url() is None or postgres_url().startswith("postgres")  # type: ignore[union-attr]
