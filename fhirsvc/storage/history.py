"""History of a resource, a type or the whole system, newest first, paged by keyset on
the global version sequence (https://hl7.org/fhir/R4/http.html#history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fhirsvc.errors import InvalidRequest, NotFound
from fhirsvc.storage.db import Db
from fhirsvc.storage.engine import VERSION_COLUMNS, stored
from fhirsvc.storage.protocol import HistoryPage
from fhirsvc.storage.search.cursor import Cursor, decode, encode, signature
from fhirsvc.storage.values import to_micros


def history(
    db: Db,
    resource_type: str | None,
    resource_id: str | None,
    since: datetime | None,
    count: int,
    cursor: str | None,
) -> HistoryPage:
    if resource_id is not None and resource_type is None:
        raise InvalidRequest("an instance history needs the resource type")
    if count < 0:
        raise InvalidRequest("_count must not be negative")
    sign = signature("history", resource_type or "", resource_id or "")
    where, params = _scope(db, resource_type, resource_id)
    if since is not None:
        if since.tzinfo is None:
            raise InvalidRequest("_since needs a time zone")
        where.append("last_updated >= ?")
        params.append(to_micros(since))
    if cursor:
        where.append("seq < ?")
        params.append(decode(cursor, sign, 1).key[0])
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    if count == 0:  # the total alone, as _count=0 asks of a search
        row = db.one(f"SELECT count(*) FROM resource_version{clause}", params)
        return HistoryPage([], None, int(row[0]) if row else 0)
    rows = db.all(f"SELECT seq, {VERSION_COLUMNS} FROM resource_version{clause} "
                  "ORDER BY seq DESC LIMIT ?", [*params, count + 1])
    entries = [stored(row[1:]) for row in rows[:count]]
    next_cursor = encode(Cursor(False, (rows[count - 1][0],)), sign) if len(rows) > count else None
    total = None
    if resource_id is not None and since is None:
        row = db.one(f"SELECT count(*) FROM resource_version WHERE {where[0]}", params[:1])
        total = int(row[0]) if row else None
    return HistoryPage(entries, next_cursor, total)


def _scope(db: Db, resource_type: str | None, resource_id: str | None
           ) -> tuple[list[str], list[Any]]:
    if resource_id is not None:
        row = db.one("SELECT rid FROM resource WHERE type = ? AND id = ?",
                     (resource_type, resource_id))
        if row is None:
            raise NotFound(f"{resource_type}/{resource_id} is not known")
        return ["rid = ?"], [row[0]]
    if resource_type is not None:
        return ["type = ?"], [resource_type]
    return [], []
