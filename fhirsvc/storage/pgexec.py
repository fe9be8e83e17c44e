"""Statements run on libpq directly: one round trip, little Python.

psycopg's ``Connection.execute`` spends about 70 µs of CPU per statement in Python
(cursor, query conversion, the prepared-statement bookkeeping, the wait loop) before and
after the ~30 µs libpq needs; on a read by id that is most of the database's share of a
request. Here a statement a connection has run before is sent with ``PQexecPrepared``
(the GIL is released while it waits), parameters as text, and the rows come back through
psycopg's own loaders, so the values are those ``Connection.execute`` would give (a
prepared statement has its own, which look up its columns' loaders on its first
successful run only). A statement's first run is unnamed (planned for its values, as
psycopg does below its ``prepare_threshold``); from the second run on it is prepared
under a name of ours, at most :data:`MAX_PREPARED` per connection (the least recently
used is deallocated). Parameters of other types than ``str``, ``int``, ``float``,
``bool`` and None go through psycopg. The connection must not let psycopg prepare
statements (``prepare_threshold=None``): psycopg ends a rollback with ``DEALLOCATE ALL``
when it has prepared any, which would drop ours too. Prepared statements outlive a
rolled-back transaction in PostgreSQL, so ours stay valid.
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
#: The type OIDs of parameters by their Python types (the types of a statement's
#: parameters are few: remembered instead of looked up one by one per statement).
_TYPES: dict[tuple[type, ...], tuple[int, ...]] = {}
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
        #: Each prepared statement's name, its own row loader (a :class:`Transformer`)
        #: and whether that has its columns' loaders yet; least recently used first.
        self.prepared: OrderedDict[tuple[str, tuple[int, ...]], list[Any]] = OrderedDict()

    def rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]] | None:
        """The rows of ``sql`` (``?`` placeholders), or None when a parameter's type is
        not one sent here (the caller then uses psycopg)."""
        kinds = tuple(map(type, params))
        types = _TYPES.get(kinds)
        if types is None:
            try:
                types = tuple([_TEXT_OIDS[kind] for kind in kinds])
            except KeyError:
                return None
            if len(_TYPES) >= 4096:  # mixed types of long parameter lists: kept bounded
                _TYPES.clear()
            _TYPES[kinds] = types
        if kinds.count(str) == len(kinds):  # most statements: text only
            values: list[bytes | None] = list(map(str.encode, params))
        else:
            values = [_text(value) for value in params]
        key = (sql, types)
        pgconn = self.connection.pgconn
        entry = self.prepared.get(key)
        if entry is not None:
            self.prepared.move_to_end(key)
        elif key in self.seen:
            entry = self._prepare(key)
        else:
            if len(self.seen) >= 16 * MAX_PREPARED:
                self.seen.clear()
            self.seen.add(key)
            result = self._checked(pgconn.exec_params(numbered(sql), values, list(types)))
            self.loader.set_pgresult(result)
            return self._rows(self.loader, result)
        name, loader, ready = entry
        result = self._checked(pgconn.exec_prepared(name, values))
        # the loaders of a prepared statement's columns are looked up on its first run
        # that succeeds only: PostgreSQL refuses to run a prepared statement whose result
        # types changed ("cached plan must not change result type")
        loader.set_pgresult(result, set_loaders=not ready)
        entry[2] = True
        rows = self._rows(loader, result)
        loader.set_pgresult(None, set_loaders=False)  # the rows' memory is not kept
        return rows

    def _prepare(self, key: tuple[str, tuple[int, ...]]) -> list[Any]:
        pgconn = self.connection.pgconn
        if len(self.prepared) >= MAX_PREPARED:
            _, (old, _, _) = self.prepared.popitem(last=False)
            self._checked(pgconn.exec_(b"DEALLOCATE " + old))
        name = f"fhirsvc_{next(_NAMES)}".encode()
        self._checked(pgconn.prepare(name, numbered(key[0]), list(key[1])))
        entry = self.prepared[key] = [name, Transformer(self.connection), False]
        return entry

    def _checked(self, result: Any) -> Any:
        if result.status not in _DONE:
            raise errors.error_from_result(result, encoding=self.connection.info.encoding)
        return result

    @staticmethod
    def _rows(loader: Any, result: Any) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = loader.load_rows(0, result.ntuples, tuple)
        return rows


def statements(connection: Any) -> Statements:
    """The connection's :class:`Statements`, made on first use."""
    found: Statements | None = getattr(connection, "_fhirsvc_statements", None)
    if found is None:
        found = Statements(connection)
        connection._fhirsvc_statements = found
    return found
