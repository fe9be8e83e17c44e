"""The SQLite backend: one database file in WAL mode, shared by threads and processes.

WAL lets readers run while one writer writes; every write transaction starts with
``BEGIN IMMEDIATE`` so writers queue on the database lock (``busy_timeout``) instead of
failing midway, which makes it safe for several gunicorn workers on one file.
``synchronous=FULL`` keeps every acknowledged write across a power loss.
See https://www.sqlite.org/wal.html and https://www.sqlite.org/lang_transaction.html.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fhirsvc.errors import Conflict
from fhirsvc.storage.db import Row

BUSY_TIMEOUT_SECONDS = 60.0
_PRAGMAS = (
    "PRAGMA synchronous = FULL",
    "PRAGMA cache_size = -65536",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA mmap_size = 2147418112",
)


class SqliteDb:
    """:class:`fhirsvc.storage.db.Db` on a ``sqlite3`` connection."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.connection.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.connection.execute(sql, params).fetchone()
        return row

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(sql, params)

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    def bulk_insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )

    def lock(self, key: str) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already serialises every writer."""

    def allocate_rids(self, count: int) -> list[int]:
        row = self.one("SELECT coalesce(max(rid), 0) FROM resource")
        start = int(row[0]) + 1 if row else 1
        return list(range(start, start + count))


@contextmanager
def _busy_as_conflict() -> Iterator[None]:
    """A writer that waited ``busy_timeout`` in vain gets a 409 to retry, not a 500."""
    try:
        yield
    except sqlite3.OperationalError as error:
        conflict = _busy(error)
        if conflict is not None:
            raise conflict from error
        raise


def _busy(error: BaseException | None) -> Conflict | None:
    """The 409 for a database that stayed busy, None for any other error (a statement
    too large is the store's to answer: :func:`fhirsvc.storage.db.too_large`)."""
    if not isinstance(error, sqlite3.OperationalError):
        return None
    if "locked" in str(error) or "busy" in str(error):
        return Conflict(f"the database stayed busy for {BUSY_TIMEOUT_SECONDS:.0f} s; retry")
    return None


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL (https://sqlite.org/wal.html). Processes opening a new file at
    once (several server workers) can deadlock on the switch's locks, and SQLite answers
    that at once with "database is locked" instead of waiting ``busy_timeout``; the loser
    tries again until the winner has switched."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _make_folder(folder: Path) -> None:
    """Make the database's folder, or OSError saying in words why it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        why = ("a file is in the way" if isinstance(error, FileExistsError | NotADirectoryError)
               else error.strerror or str(error))
        raise OSError(f"cannot make its folder {folder}: {why}") from None


def _unopenable(path: Path, error: sqlite3.OperationalError) -> Exception:
    """SQLite's "unable to open database file" in words a user can act on."""
    if "unable to open" not in str(error):
        return error
    if path.is_dir():
        return OSError(f"{path} is a folder, not a database file")
    verb = "open" if path.exists() else "create"
    return OSError(f"cannot {verb} {path} (no permission to write in {path.parent}, or a "
                   "read-only file system?)")


class _StatementSession:
    """:meth:`SqliteBackend.statement`: a class, not generator-based context managers,
    which cost several µs each."""

    __slots__ = ("backend", "connection", "idle")

    def __init__(self, idle: list[sqlite3.Connection], backend: SqliteBackend) -> None:
        self.idle = idle
        self.backend = backend

    def __enter__(self) -> SqliteDb:
        idle = self.idle
        self.connection = idle.pop() if idle else self.backend._open()
        return SqliteDb(self.connection)

    def __exit__(self, kind: Any, error: BaseException | None, traceback: Any) -> None:
        self.idle.append(self.connection)
        if error is not None:
            conflict = _busy(error)
            if conflict is not None:
                raise conflict from error


class SqliteBackend:
    """Connections to one database file: idle ones kept per thread, reopened after fork."""

    dialect = "sqlite"
    #: What a failing database raises (a damaged file, a disk error), for callers to name.
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        _make_folder(self.path.parent)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        try:
            with self._connection() as connection:
                _use_wal(connection)
        except sqlite3.OperationalError as error:
            raise _unopenable(self.path, error) from None

    def _idle(self) -> list[sqlite3.Connection]:
        if getattr(self._local, "pid", None) != os.getpid():
            self._local.pid = os.getpid()
            self._local.idle = []
        idle: list[sqlite3.Connection] = self._local.idle
        return idle

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS,
                                     isolation_level=None, check_same_thread=False)
        for pragma in _PRAGMAS:
            connection.execute(pragma)
        with self._guard:
            self._all.append(connection)
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        idle = self._idle()
        connection = idle.pop() if idle else self._open()
        try:
            yield connection
        finally:
            idle.append(connection)

    @contextmanager
    def session(self, write: bool) -> Iterator[SqliteDb]:
        with self._connection() as connection, _busy_as_conflict():
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield SqliteDb(connection)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def statement(self) -> _StatementSession:
        """A pooled connection without ``BEGIN``/``COMMIT``: SQLite runs a statement
        outside a transaction in one of its own, on one snapshot
        (https://www.sqlite.org/lang_transaction.html), so a read by id is one statement
        instead of three."""
        return _StatementSession(self._idle(), self)

    def exclusive(self) -> Any:
        return self.session(write=True)

    def snapshot(self) -> Any:
        """A read transaction: in WAL mode it reads the database as of its first
        statement until it ends, whatever writers commit meanwhile
        (https://www.sqlite.org/isolation.html)."""
        return self.session(write=False)

    def close(self) -> None:
        with self._guard:
            connections, self._all = self._all, []
        for connection in connections:
            connection.close()
        self._local = threading.local()
