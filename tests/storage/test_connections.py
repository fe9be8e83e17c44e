"""Connections outlive what happens on them: a rolled-back transaction, a lost session.

On PostgreSQL, statements a connection has run before are prepared on it
(:mod:`fhirsvc.storage.pgexec`) and connections are pooled per process; neither may
leave a connection that fails the next request.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from psycopg import pq

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


def _protocol_trace(store: SqlStore, interaction: Callable[[], object]) -> list[list[str]]:
    """The messages ``interaction`` exchanged with PostgreSQL on the store's one pooled
    connection (libpq's protocol trace): each a list of the trace line's fields,
    direction (``F`` sent, ``B`` received), length, message type, contents."""
    pool = store.backend.pool()  # type: ignore[attr-defined]
    connection = pool.getconn()
    pool.putconn(connection)
    with tempfile.TemporaryFile("w+") as trace:
        connection.pgconn.trace(trace.fileno())
        connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            interaction()
        finally:
            connection.pgconn.untrace()
        trace.seek(0)
        return [line.rstrip("\n").split("\t") for line in trace]


def test_a_read_by_id_on_postgresql_is_one_prepared_statement_outside_a_transaction(
        pg_schema: str) -> None:
    """One round trip per read: a prepared statement bound and run (no Parse, no simple
    Query such as BEGIN, COMMIT, SET or a pool's health check), ending idle."""
    store = open_store(with_schema(postgres_url() or "", pg_schema) + "&pool_size=1")
    try:
        saved = store.create(patient())
        store.delete("Patient", store.create(patient()).id)
        for _ in range(2):  # the second run prepares the statement
            store.read("Patient", saved.id)
        messages = _protocol_trace(store, lambda: store.read("Patient", saved.id))
        sent = [fields[2] for fields in messages if fields[0] == "F"]
        assert sent == ["Bind", "Describe", "Execute", "Sync"]
        received = [fields for fields in messages if fields[0] == "B"]
        assert [fields[2] for fields in received].count("DataRow") == 1
        assert received[-1][2:] == ["ReadyForQuery", " I"]  # idle: no transaction open
    finally:
        store.close()


def test_prepared_statements_load_their_own_column_types_on_every_run(pg_schema: str
                                                                       ) -> None:
    """Each prepared statement keeps the loaders of its own columns: statements of other
    column types run in between on the same connection do not change how its rows load."""
    store = open_store(with_schema(postgres_url() or "", pg_schema) + "&pool_size=1")
    try:
        with store.backend.session(False) as db:
            for run in range(4):  # unnamed on the first run, prepared from the second
                assert db.one("SELECT ?::bigint + 1, ?", (str(run), "text")) == (run + 1, "text")
                assert db.one("SELECT ?, ?::boolean", ("x", "true")) == ("x", True)
                assert db.all("SELECT ?::float8 WHERE ?", (0.5, run % 2 == 0)) == (
                    [(0.5,)] if run % 2 == 0 else [])
    finally:
        store.close()


def test_a_prepared_statement_whose_first_prepared_run_failed_loads_its_rows(
        pg_schema: str) -> None:
    store = open_store(with_schema(postgres_url() or "", pg_schema) + "&pool_size=1")
    try:
        with store.backend.session(False) as db:
            sql = "SELECT 10 / ?::int, ?"
            assert db.one(sql, ("5", "a")) == (2, "a")  # unnamed
            with pytest.raises(psycopg.errors.DivisionByZero):  # its first prepared run
                db.one(sql, ("0", "b"))
            assert db.one(sql, ("2", "c")) == (5, "c")
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
