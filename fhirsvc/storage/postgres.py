"""The PostgreSQL backend (psycopg 3, a small connection pool per process), for several
processes or hosts sharing one database.

Reads run in autocommit (one statement, one snapshot), a read of many statements (an
export) in a ``REPEATABLE READ READ ONLY`` transaction; writes in a READ COMMITTED
transaction that locks the resource row (``SELECT … FOR UPDATE``) before writing its
next version, and ``lock(key)`` takes a transaction-scoped advisory lock for conditional
interactions. Statements a connection runs repeatedly are prepared. A ``schema``
query parameter in the URL puts fhirsvc's tables in that schema (created if missing).
Queries that return rows go to libpq directly (:mod:`fhirsvc.storage.pgexec`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.pq import ConnStatus, TransactionStatus

from fhirsvc.errors import Conflict
from fhirsvc.storage.db import Row
from fhirsvc.storage.pgexec import statements

POOL_SIZE = 10
#: Looked up once: an enum member read from its class costs more than the comparison.
_BAD, _IDLE = ConnStatus.BAD, TransactionStatus.IDLE


@functools.lru_cache(maxsize=4096)
def _placeholders(sql: str) -> str:
    return sql.replace("?", "%s")


#: Seconds a type's estimated size stays remembered per connection: it only decides
#: whether a search walks (:mod:`fhirsvc.storage.search.walk`), never what it finds.
SIZE_SECONDS = 10.0
_sizes: weakref.WeakKeyDictionary[Any, dict[str, tuple[float, int]]] = (
    weakref.WeakKeyDictionary())


class PostgresDb:
    """:class:`fhirsvc.storage.db.Db` on a psycopg connection."""

    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        rows = statements(self.connection).rows(sql, params)
        if rows is None:  # parameters libpq is not sent directly: psycopg adapts them
            rows = self.connection.execute(_placeholders(sql), params).fetchall()
        return rows

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = statements(self.connection).rows(sql, params)
        if rows is None:
            row: Row | None = self.connection.execute(_placeholders(sql), params).fetchone()
            return row
        return rows[0] if rows else None

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        if statements(self.connection).rows(sql, params) is None:
            self.connection.execute(_placeholders(sql), params)

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(_placeholders(sql), rows)

    def bulk_insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        with self.connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)

    def lock(self, key: str) -> None:
        self.run("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))

    def allocate_rids(self, count: int) -> list[int]:
        rows = self.all("SELECT nextval(pg_get_serial_sequence('resource', 'rid')) "
                        "FROM generate_series(1, ?)", (count,))
        return [int(row[0]) for row in rows]

    def estimate_rows(self, sql: str, params: Sequence[Any]) -> int:
        """The planner's row estimate for ``sql`` (``_total=estimate``, sizing a walk).
        Prepared like any statement: each run still plans ``sql`` for its parameters."""
        row = self.one(f"EXPLAIN (FORMAT JSON) {sql}", params)
        return int(row[0][0]["Plan"]["Plan Rows"]) if row else 0

    def estimate_stored(self, resource_type: str, rows: tuple[str, Sequence[Any]]) -> int:
        """:meth:`estimate_rows` of ``rows``, every stored resource of ``resource_type``,
        asked once per :data:`SIZE_SECONDS` on this connection (a search's second
        EXPLAIN round trip saved; the size of a type moves slowly)."""
        known = _sizes.setdefault(self.connection, {})
        now = time.monotonic()
        seen = known.get(resource_type)
        if seen is None or now - seen[0] >= SIZE_SECONDS:
            seen = known[resource_type] = (now, self.estimate_rows(*rows))
        return seen[1]


def split_schema(url: str) -> tuple[str, str | None, int]:
    """Take fhirsvc's own ``schema`` and ``pool_size`` parameters out of a URL."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    schema = query.pop("schema", None)
    pool_size = int(query.pop("pool_size", POOL_SIZE))
    return urlunsplit(parts._replace(query=urlencode(query))), schema, pool_size


class PostgresBackend:
    """A :class:`ConnectionPool` of connections to one database (one per process)."""

    dialect = "postgresql"
    #: What a failing database raises (the server gone, a table dropped), for callers to name.
    errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, url: str) -> None:
        self.url = url
        self.conninfo, self.schema, self.pool_size = split_schema(url)
        self._pool: ConnectionPool | None = None
        self._pid = 0
        if self.schema:
            self._create_schema()

    def _create_schema(self) -> None:
        # a concurrent opener may create it between the check and the creation
        with self._raw() as connection, contextlib.suppress(psycopg.errors.UniqueViolation):
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {_identifier(self.schema or '')}")

    @contextmanager
    def _raw(self) -> Iterator[Any]:
        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            yield connection

    def _configure(self, connection: Any) -> None:
        """Per connection: the schema, and no bitmap scans.

        Searches run as prepared statements, whose generic plans cannot see a value's
        frequency; a bitmap scan then looks cheap but must sort every match before
        cutting the page. Without it the planner reads the (p, value, rid) B-tree in rid
        order and stops after one page, at any table size.

        Generic plans always (``plan_cache_mode``): left to choose, PostgreSQL keeps
        re-planning a statement whose custom plans look cheaper than the generic one, as
        ``code=`` of a frequent code does at a million resources (planning then cost
        several times the execution, and search p50 grew 4-6x from 10,000 resources).

        No JIT compilation: a generic plan's cost estimates (a page's LIMIT taken as a
        tenth of the table) can pass ``jit_above_cost`` for a query that reads a few
        dozen rows, and compiling then takes longer than the query.

        No parallel workers, for the same reason: a generic plan of ``date=ge…`` that
        reads 1,700 index entries at a million resources planned two workers for 55,000
        estimated rows, and starting them took 25 of its 30 ms (0.3 ms without).
        """
        if self.schema:
            connection.execute(f"SET search_path TO {_identifier(self.schema)}")
        connection.execute("SET enable_bitmapscan = off")
        connection.execute("SET plan_cache_mode = force_generic_plan")
        connection.execute("SET jit = off")
        connection.execute("SET max_parallel_workers_per_gather = 0")

    def pool(self) -> ConnectionPool:
        if self._pool is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._pool = ConnectionPool(self._connect, self.pool_size)
        return self._pool

    def _connect(self) -> Any:
        # no statements prepared by psycopg: it deallocates every prepared statement of
        # the connection on a rollback, ours included (pgexec prepares instead)
        connection = psycopg.connect(self.conninfo, autocommit=True, prepare_threshold=None)
        self._configure(connection)
        return connection

    def session(self, write: bool) -> AbstractContextManager[PostgresDb]:
        """A pooled connection: a read in autocommit, a write in a transaction block."""
        return self._write_session() if write else _ReadSession(self.pool())

    def statement(self) -> AbstractContextManager[PostgresDb]:
        """A read's session: reads run in autocommit already."""
        return _ReadSession(self.pool())

    @contextmanager
    def _write_session(self) -> Iterator[PostgresDb]:
        pool = self.pool()
        connection = pool.getconn()
        try:
            with _contention_as_conflict(), connection.transaction():
                yield PostgresDb(connection)
        finally:
            pool.putconn(connection)

    @contextmanager
    def snapshot(self) -> Iterator[PostgresDb]:
        """A ``REPEATABLE READ READ ONLY`` transaction: every statement sees the snapshot
        its first one took (https://www.postgresql.org/docs/current/transaction-iso.html)."""
        pool = self.pool()
        connection = pool.getconn()
        try:
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield PostgresDb(connection)
            connection.execute("COMMIT")
        finally:
            pool.putconn(connection)  # rolls back a transaction an error left open

    @contextmanager
    def exclusive(self) -> Iterator[PostgresDb]:
        with self.session(write=True) as db:
            db.lock(f"fhirsvc schema migration {self.schema or 'public'}")
            yield db

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.close()
        self._pool = None


class _ReadSession:
    """A read's pooled connection in autocommit: a class, not a generator-based context
    manager, which cost several µs on every read."""

    __slots__ = ("connection", "pool")

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def __enter__(self) -> PostgresDb:
        self.connection = self.pool.getconn()
        return PostgresDb(self.connection)

    def __exit__(self, kind: Any, error: BaseException | None, traceback: Any) -> None:
        self.pool.putconn(self.connection)
        if isinstance(error, _CONTENTION):
            raise _conflict(error) from error


#: Deadlocks and serialisation failures between concurrent writers are the client's to
#: retry (409), not server errors; the transaction has been rolled back.
_CONTENTION = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure,
               psycopg.errors.LockNotAvailable)


def _conflict(error: psycopg.Error) -> Conflict:
    return Conflict(f"concurrent writes collided ({error.sqlstate}); retry")


@contextmanager
def _contention_as_conflict() -> Iterator[None]:
    try:
        yield
    except _CONTENTION as error:
        raise _conflict(error) from error


class ConnectionPool:
    """At most ``size`` connections of one process, idle ones reused (last in, first out).

    A few lines instead of ``psycopg_pool``, whose checkout and return cost about 25 µs
    of Python per request, as much as the query itself: connections are opened on
    demand, a broken one is dropped on return, one returned inside a transaction (an
    error mid-request) is rolled back first. A caller waits up to ``timeout`` seconds
    for a free connection when ``size`` are in use. The free slots are tokens in a
    ``queue.SimpleQueue`` (C), not a ``threading.BoundedSemaphore``, whose acquire and
    release are Python around a condition variable and cost several µs per request.
    """

    def __init__(self, connect: Callable[[], Any], size: int, timeout: float = 30.0) -> None:
        self._connect = connect
        self._slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(size):
            self._slots.put(None)
        self._idle: list[Any] = []
        self._out: set[int] = set()  # ids of the connections handed out
        self._all: weakref.WeakSet[Any] = weakref.WeakSet()
        self.timeout = timeout
        # a pool dropped without close() (a store never closed) closes its idle
        # connections; not in a forked child, whose sockets are the parent's
        weakref.finalize(self, _close_idle, self._idle, os.getpid())

    def getconn(self) -> Any:
        try:
            self._slots.get(False)  # a free slot, without the clock a timed wait reads
        except queue.Empty:
            try:
                self._slots.get(timeout=self.timeout)
            except queue.Empty:
                raise Conflict(f"no database connection came free in {self.timeout:g} s; "
                               "retry") from None
        try:
            connection = self._idle.pop()
        except IndexError:
            try:
                connection = self._connect()
            except BaseException:
                self._slots.put(None)
                raise
            self._all.add(connection)
        self._out.add(id(connection))
        return connection

    def putconn(self, connection: Any) -> None:
        """Take back a connection :meth:`getconn` gave; a second return of it is refused
        (it would free a slot twice and hand one connection to two callers)."""
        try:
            self._out.remove(id(connection))
        except KeyError:
            raise ValueError("connection returned to the pool twice, or not the pool's") from None
        try:
            pgconn = connection.pgconn
            if pgconn.status == _BAD:  # closed, or broken: psycopg's ``closed``
                return
            if pgconn.transaction_status != _IDLE:
                connection.rollback()
            self._idle.append(connection)
        except Exception:  # a connection that cannot roll back is dropped
            connection.close()
        finally:
            self._slots.put(None)

    def close(self) -> None:
        for connection in list(self._all):
            connection.close()
        self._idle.clear()


def _close_idle(idle: list[Any], pid: int) -> None:
    if os.getpid() == pid:
        for connection in idle:
            connection.close()
    idle.clear()


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"schema name {name!r} must be letters, digits and underscores")
    return f'"{name}"'
