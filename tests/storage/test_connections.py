"""Connections outlive what happens on them: a rolled-back transaction, a lost session.

On PostgreSQL, statements a connection has run before are prepared on it
(:mod:`fhirsvc.storage.pgexec`) and connections are pooled per process; neither may
leave a connection that fails the next request.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from fhirsvc.errors import Conflict
from fhirsvc.storage import SqlStore, open_store
from tests.storage.conftest import postgres_url, with_schema
from tests.storage.samples import patient


class _Abort(Exception):
    pass


def test_reads_work_after_a_rolled_back_transaction(store: SqlStore) -> None:
    saved = store.create(patient())
    for _ in range(3):  # run often enough to be a prepared statement
        assert store.read("Patient", saved.id).version == 1
    with pytest.raises(_Abort), store.transaction() as tx:
        tx.update({**saved.resource, "gender": "other"})
        assert tx.read("Patient", saved.id).version == 2
        raise _Abort
    for _ in range(3):
        assert store.read("Patient", saved.id).version == 1
    assert store.update({**saved.resource, "gender": "other"}).version == 2


def test_a_connection_whose_session_ended_is_replaced(pg_schema: str) -> None:
    url = with_schema(postgres_url() or "", pg_schema) + "&pool_size=1"
    store = open_store(url)
    try:
        saved = store.create(patient())
        with store.backend.session(False) as db:
            pid = db.one("SELECT pg_backend_pid()")
        assert pid is not None
        with psycopg.connect(postgres_url() or "", autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid[0],))
        with pytest.raises(psycopg.Error):  # this request fails, the next one is served
            store.read("Patient", saved.id)
        assert store.read("Patient", saved.id).version == 1
    finally:
        store.close()


def test_statements_with_parameters_psycopg_adapts_run_fetch_one_and_write(
        pg_schema: str) -> None:
    """A Decimal or a date is not sent to libpq directly: psycopg runs the statement, and a
    write through ``run`` must not ask it for rows it does not return."""
    store = open_store(with_schema(postgres_url() or "", pg_schema))
    try:
        with store.backend.session(True) as db:
            db.run("CREATE TEMPORARY TABLE amounts (value numeric, day date)")
            db.run("INSERT INTO amounts VALUES (?, ?)", (Decimal("1.50"), date(2016, 11, 2)))
            assert db.one("SELECT value, day FROM amounts WHERE value = ?",
                          (Decimal("1.50"),)) == (Decimal("1.50"), date(2016, 11, 2))
            assert db.all("SELECT day FROM amounts WHERE day > ?", (date(2020, 1, 1),)) == []
    finally:
        store.close()


def test_a_connection_returned_twice_is_refused_and_frees_one_slot(pg_schema: str) -> None:
    store = open_store(with_schema(postgres_url() or "", pg_schema) + "&pool_size=1")
    try:
        pool = store.backend.pool()
        connection = pool.getconn()
        pool.putconn(connection)
        with pytest.raises(ValueError, match="twice"):
            pool.putconn(connection)
        pool.timeout = 0.1
        again = pool.getconn()
        with pytest.raises(Conflict):  # one slot, taken: the second return freed none
            pool.getconn()
        pool.putconn(again)
    finally:
        store.close()


def _traced_sqlite(tmp_path: Path) -> tuple[SqlStore, list[str]]:
    store = open_store(f"sqlite:///{tmp_path / 'fhir.sqlite3'}")
    statements: list[str] = []
    with store.backend.session(False):  # opens this thread's connection
        pass
    for connection in store.backend._all:  # type: ignore[attr-defined]
        connection.set_trace_callback(statements.append)
    return store, statements


def test_a_read_by_id_on_sqlite_is_one_statement_outside_a_transaction(tmp_path: Path
                                                                        ) -> None:
    store, statements = _traced_sqlite(tmp_path)
    try:
        saved = store.create(patient())
        statements.clear()
        assert store.read("Patient", saved.id).version == 1
        assert store.vread("Patient", saved.id, 1).version == 1
        assert len(statements) == 2
        assert all(sql.startswith("SELECT") for sql in statements), statements
        statements.clear()
        with store.transaction() as tx:  # inside a transaction: its own
            assert tx.read("Patient", saved.id).version == 1
        assert [sql.split()[0] for sql in statements] == ["BEGIN", "SELECT", "COMMIT"]
    finally:
        store.close()


def test_a_busy_sqlite_read_is_a_conflict_and_other_errors_pass_unchanged(tmp_path: Path
                                                                          ) -> None:
    store, _ = _traced_sqlite(tmp_path)
    try:
        saved = store.create(patient())
        with pytest.raises(Conflict), store.backend.statement():  # type: ignore[attr-defined]
            raise sqlite3.OperationalError("database is locked")
        with pytest.raises(sqlite3.OperationalError, match="no such table"), \
                store.backend.statement() as db:  # type: ignore[attr-defined]
            db.one("SELECT 1 FROM nowhere")
        assert store.read("Patient", saved.id).version == 1  # the connection came back
        assert len(store.backend._all) == 1  # type: ignore[attr-defined]
    finally:
        store.close()
