"""The few database operations the SQL engine needs, and opening a database for use.

Both backends hand the engine a :class:`Db`: SQL written once with ``?`` placeholders,
run on SQLite (``sqlite3``) or PostgreSQL (psycopg 3). :func:`prepare` applies pending
migrations (:mod:`fhirsvc.storage.schema`) and gives every search parameter slot its
small integer ``p``, rebuilding index rows of the resource types whose parameter
definitions changed since the database was last opened.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from fhirsvc.errors import TooCostly
from fhirsvc.storage.registry import SearchRegistry
from fhirsvc.storage.schema import LATEST, MIGRATIONS

log = logging.getLogger(__name__)
Row = tuple[Any, ...]

#: The words each database refuses a statement with when it is larger than it takes:
#: SQLite's parser and limits (https://www.sqlite.org/limits.html), PostgreSQL's parser
#: ("memory exhausted" of its grammar's stack) and libpq's parameter count (65,535).
_TOO_LARGE_WORDS = ("parser stack overflow", "Expression tree is too large",
                    "too many SQL variables", "too many terms in compound SELECT",
                    "memory exhausted", "number of parameters must be between")
#: PostgreSQL's class 54, "program limit exceeded": statement too complex (the stack
#: depth limit), too many columns, too many arguments
#: (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_TOO_LARGE_STATES = ("54000", "54001", "54011", "54023")


def too_large(error: BaseException | None) -> TooCostly | None:
    """The 400 ``too-costly`` for a statement either database refused as larger than it
    takes, None for any other error: the search limits
    (:mod:`fhirsvc.storage.search.parse`) keep searches below both databases' limits, and
    one that still reaches them is the client's too large a search, not a fault of the
    server. The one place both backends' refusals become that answer."""
    if error is None or isinstance(error, TooCostly):
        return None
    text = str(error)
    if getattr(error, "sqlstate", None) in _TOO_LARGE_STATES or (
            type(error).__module__.partition(".")[0] in ("sqlite3", "psycopg")
            and any(words in text for words in _TOO_LARGE_WORDS)):
        detail = " ".join(text.split())[:200]
        return TooCostly(f"This search is too large for the database ({detail}); make it "
                         "smaller (fewer criteria, values or references followed)")
    return None


class Db(Protocol):
    """One connection, inside the transaction its backend opened."""

    dialect: str

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    def run(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def bulk_insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        """Insert many rows fast (COPY on PostgreSQL)."""
        ...

    def lock(self, key: str) -> None:
        """Hold a lock on ``key`` until the transaction ends."""
        ...

    def allocate_rids(self, count: int) -> list[int]:
        """Reserve ``count`` new resource rids (for bulk inserts)."""
        ...


@dataclass
class Slots:
    """``p`` numbers of the search parameter slots, by (resource type, slot)."""

    by_key: dict[tuple[str, str], int] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    def of_kind(self, resource_type: str, kind: str) -> list[int]:
        """Every plain (non-composite) slot of ``resource_type`` indexed as ``kind``."""
        return [p for (t, slot), p in self.by_key.items()
                if t == resource_type and self.kinds.get(p) == kind and "$" not in slot]

    def p(self, resource_type: str, slot: str) -> int:
        return self.by_key[(resource_type, slot)]

    def get(self, resource_type: str, slot: str) -> int | None:
        return self.by_key.get((resource_type, slot))


def schema_version(db: Db) -> int:
    row = db.one("SELECT max(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(db: Db, target: int = LATEST) -> int:
    """Apply the migrations above the database's version up to ``target``; returns it.

    The caller holds the database's migration lock (see the backends).
    """
    db.run(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = schema_version(db)
    if current > LATEST:
        raise RuntimeError(
            f"the database has schema version {current}, newer than this fhirsvc ({LATEST}); "
            "upgrade fhirsvc"
        )
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            log.info("migrating database to schema version %d: %s",
                     migration.version, migration.description)
            for statement in migration.statements(db.dialect):
                db.run(statement)
            db.run(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description,
                 time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            )
            current = migration.version
    return current


def sync_slots(db: Db, registry: SearchRegistry) -> tuple[Slots, set[str]]:
    """Number every slot the registry indexes; returns the numbers and the resource
    types whose stored index rows are stale (new or changed parameter definitions)."""
    stored = {(t, s): (p, fp) for p, t, s, fp in
              db.all("SELECT p, resource_type, slot, fingerprint FROM search_param")}
    stale: set[str] = set()
    for param in registry.all():
        for slot, kind in param.slots:
            known = stored.get((param.resource_type, slot))
            if known is None:
                db.run("INSERT INTO search_param (resource_type, slot, kind, fingerprint) "
                       "VALUES (?, ?, ?, ?)", (param.resource_type, slot, kind, param.fingerprint))
                stale.add(param.resource_type)
            elif known[1] != param.fingerprint:
                db.run("UPDATE search_param SET fingerprint = ?, kind = ? WHERE p = ?",
                       (param.fingerprint, kind, known[0]))
                stale.add(param.resource_type)
    rows = db.all("SELECT p, resource_type, slot, kind FROM search_param")
    slots = Slots({(t, s): p for p, t, s, _ in rows}, {p: kind for p, _, _, kind in rows})
    return slots, stale
