"""The storage contract suite runs every test against each backend.

SQLite always runs. PostgreSQL runs when ``FHIRSVC_TEST_DATABASE_URL`` is set (CI sets
it): the session gets its own schema, dropped at the end, because other test sessions
share the database. One store per backend serves the whole session; every test starts
from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fhirsvc.errors import Conflict
from fhirsvc.storage import SqlStore, open_store
from fhirsvc.storage.schema import INDEX_TABLES

BACKENDS = ("sqlite", "postgresql")
TABLES = ("resource", "resource_version", *(f"idx_{t}" for t in INDEX_TABLES))
#: How long the suite's own statements that need the tables to themselves (emptying them,
#: dropping the schema) wait for a lock: a transaction a test left open holds one, and
#: they would otherwise wait for ever instead of failing.
LOCK_TIMEOUT = "30s"


def postgres_url() -> str | None:
    return os.environ.get("FHIRSVC_TEST_DATABASE_URL") or None


def with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        try:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        except psycopg.errors.LockNotAvailable:
            holders = left_open(url, schema)
            end_left_open(url, schema)  # then drop it all the same: the database is shared
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            pytest.fail(f"dropping the schema {schema} waited {LOCK_TIMEOUT} for a lock "
                        f"{holders}", pytrace=False)


def lock_holders(url: str, schema: str) -> list[tuple[int, str, str]]:
    """The connections holding a lock on a table of ``schema``, each once: backend id,
    state and the start of its last statement. ``schema`` being the test session's own,
    they are this session's, whatever other sessions on the database do."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(
            "SELECT DISTINCT a.pid, a.state, left(a.query, 80) FROM pg_locks l "
            "JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE n.nspname = %s AND a.pid <> pg_backend_pid()", (schema,)).fetchall()


def waiting(url: str, schema: str) -> int:
    """How many connections holding a lock on a table of ``schema`` (this session's) wait
    for another's lock (a row another transaction wrote and has not committed, say)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(DISTINCT l.pid) FROM pg_locks l "
            "JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND cardinality(pg_blocking_pids(l.pid)) > 0",
            (schema,)).fetchone()
    return int(row[0]) if row else 0


def left_open(url: str, schema: str) -> str:
    """Which connections hold a lock on a table of ``schema``, by state and last
    statement, as a test names what a transaction left open (an unclosed
    ``ResourceStore.current()``, say)."""
    return "; ".join(f"held by backend {pid} ({state}: {query})"
                     for pid, state, query in lock_holders(url, schema)
                     ) or "(its holder has gone since)"


def end_left_open(url: str, schema: str) -> None:
    """End the transactions that hold a lock on a table of ``schema`` (this session's
    schema: only this session's connections), so the tests after a failed one run."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l "
            "JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND l.pid <> pg_backend_pid()", (schema,))


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A schema name unique to this test session, dropped (with any ``<name>_…``) after."""
    url = postgres_url()
    if url is None:
        pytest.skip("FHIRSVC_TEST_DATABASE_URL is not set")
    name = f"fhirsvc_test_{uuid.uuid4().hex[:12]}"
    yield name
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        schemas = [row[0] for row in connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (name + "%",))]
    for schema in schemas:
        drop_schema(url, schema)


@pytest.fixture(scope="session")
def session_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SqlStore]]:
    stores: dict[str, SqlStore] = {}
    yield stores
    for store in stores.values():
        store.close()


def wipe(store: SqlStore) -> None:
    """Empty every table; on PostgreSQL fail within :data:`LOCK_TIMEOUT`, naming the
    transaction an earlier test left holding them, rather than wait for it."""
    if store.backend.dialect == "postgresql":
        try:
            with store.backend.session(True) as db:
                db.run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                db.run(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")
        except Conflict:  # the backend's word for a lock not granted in time
            backend = store.backend
            url, schema = backend.conninfo, backend.schema  # type: ignore[attr-defined]
            pytest.fail(f"emptying the tables waited {LOCK_TIMEOUT} for a lock "
                        f"{left_open(url, schema)}", pytrace=False)
        return
    with store.backend.session(True) as db:
        for table in TABLES:
            db.run(f"DELETE FROM {table}")


def _without_autovacuum(store: SqlStore) -> None:
    """Keep autovacuum from analysing the shared schema: its tables are emptied and
    refilled by every test, so autovacuum would take statistics at moments of its own and
    the plans the index tests read would change from one run to the next."""
    with store.backend.session(True) as db:
        for table in TABLES:
            db.run(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")


@pytest.fixture
def sqlite_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sqlite") / "store.sqlite3"


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database URL of the parametrised backend (a fresh SQLite file, or the session's
    PostgreSQL schema)."""
    if request.param == "sqlite":
        return str(tmp_path_factory.mktemp("db") / "store.sqlite3")
    schema = request.getfixturevalue("pg_schema")
    return with_schema(postgres_url() or "", schema)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, session_stores: dict[str, SqlStore],
          tmp_path_factory: pytest.TempPathFactory) -> SqlStore:
    """An empty store on the parametrised backend."""
    kind = request.param
    if kind not in session_stores:
        if kind == "sqlite":
            url = str(tmp_path_factory.mktemp("shared") / "store.sqlite3")
        else:
            url = with_schema(postgres_url() or "", request.getfixturevalue("pg_schema"))
        session_stores[kind] = open_store(url)
        if kind == "postgresql":
            _without_autovacuum(session_stores[kind])
    elif kind == "postgresql":
        request.getfixturevalue("pg_schema")
    current = session_stores[kind]
    wipe(current)
    return current
