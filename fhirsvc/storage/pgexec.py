"""Statements run on libpq directly: one round trip, little Python.

psycopg's ``Connection.execute`` spends about 70 µs of CPU per statement in Python
(cursor, query conversion, the prepared-statement bookkeeping, the wait loop) before
and after the ~30 µs libpq needs; on a read by id that is most of the database's share
of a request. Here a statement a connection has run before is sent with
``PQexecPrepared`` (the GIL is released while it waits), parameters as text, and the
rows come back through psycopg's own loaders, so the values are those
``Connection.execute`` would give. A statement's first run is unnamed (planned for its
values, as psycopg does below its ``prepare_threshold``); from the second run on it is
prepared under a name of ours, at most :data:`MAX_PREPARED` per connection (the least
recently used is deallocated). Parameters of other types than ``str``, ``int``,
``float``, ``bool`` and None go through psycopg. The connection must not let psycopg
prepare statements (``prepare_threshold=None``): psycopg ends a rollback with
``DEALLOCATE ALL`` when it has prepared any, which would drop ours too. Prepared
statements outlive a rolled-back transaction in PostgreSQL, so ours stay valid.
See https://www.postgresql.org/docs/current/libpq-exec.html.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from psycopg import errors
from psycopg.adapt import Transformer
from psycopg.pq import ExecStatus

#: Prepared statements kept per connection (psycopg's own default ``prepared_max``).
MAX_PREPARED = 100
_TEXT_OIDS = {str: 0, int: 20, float: 701, bool: 16, type(None): 0}
_NAMES = itertools.count(1)
_QMARK = re.compile(r"\?")
_DONE = (ExecStatus.TUPLES_OK, ExecStatus.COMMAND_OK)


@functools.lru_cache(maxsize=4096)
def numbered(sql: str) -> bytes:
    """``?`` placeholders as ``$1, $2…`` (the engine's SQL has no ``?`` elsewhere)."""
    counter = itertools.count(1)
    return _QMARK.sub(lambda _: f"${next(counter)}", sql).encode()


def _text(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, float):
        return repr(value).encode()
    return str(value).encode()


class Statements:
    """The statements one connection has seen: run counts, and prepared names (LRU)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.loader = Transformer(connection)
        self.seen: set[tuple[str, tuple[int, ...]]] = set()
        self.prepared: OrderedDict[tuple[str, tuple[int, ...]], bytes] = OrderedDict()

    def rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]] | None:
        """The rows of ``sql`` (``?`` placeholders), or None when a parameter's type is
        not one sent here (the caller then uses psycopg)."""
        if all(type(value) is str for value in params):  # most statements: one pass
            types: tuple[int, ...] = (0,) * len(params)
            values = [value.encode() for value in params]
        else:
            try:
                types = tuple([_TEXT_OIDS[type(value)] for value in params])
            except KeyError:
                return None
            values = [_text(value) for value in params]
        key = (sql, types)
        pgconn = self.connection.pgconn
        name = self.prepared.get(key)
        if name is not None:
            self.prepared.move_to_end(key)
            result = pgconn.exec_prepared(name, values)
        elif key in self.seen:
            name = self._prepare(key)
            result = pgconn.exec_prepared(name, values)
        else:
            if len(self.seen) >= 16 * MAX_PREPARED:
                self.seen.clear()
            self.seen.add(key)
            result = pgconn.exec_params(numbered(sql), values, list(types))
        return self._load(result)

    def _prepare(self, key: tuple[str, tuple[int, ...]]) -> bytes:
        pgconn = self.connection.pgconn
        if len(self.prepared) >= MAX_PREPARED:
            _, old = self.prepared.popitem(last=False)
            self._check(pgconn.exec_(b"DEALLOCATE " + old))
        name = f"fhirsvc_{next(_NAMES)}".encode()
        self._check(pgconn.prepare(name, numbered(key[0]), list(key[1])))
        self.prepared[key] = name
        return name

    def _check(self, result: Any) -> None:
        if result.status not in _DONE:
            raise errors.error_from_result(result, encoding=self.connection.info.encoding)

    def _load(self, result: Any) -> list[tuple[Any, ...]]:
        self._check(result)
        self.loader.set_pgresult(result)
        rows: list[tuple[Any, ...]] = self.loader.load_rows(0, result.ntuples, tuple)
        return rows


def statements(connection: Any) -> Statements:
    """The connection's :class:`Statements`, made on first use."""
    found: Statements | None = getattr(connection, "_fhirsvc_statements", None)
    if found is None:
        found = Statements(connection)
        connection._fhirsvc_statements = found
    return found
