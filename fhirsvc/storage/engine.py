"""The FHIR interactions on one database connection: the SQL shared by every backend.

A :class:`Session` runs inside one database transaction that its backend opened and
will commit or roll back; the store (:mod:`fhirsvc.storage.store`) decides how long it
lives (one interaction, or a whole ``transaction()`` block). Writes keep every version
(https://hl7.org/fhir/R4/http.html#versioning) and rewrite the resource's index rows in
the same transaction, so a search never sees a half-written resource.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from fhirsvc.errors import Gone, InvalidRequest, NotFound, PreconditionFailed
from fhirsvc.storage.db import Db, Row, Slots
from fhirsvc.storage.indexer import index_resource
from fhirsvc.storage.protocol import Operation, RequestLine, StoredResource
from fhirsvc.storage.registry import SearchRegistry
from fhirsvc.storage.schema import INDEX_COLUMNS, INDEX_TABLES
from fhirsvc.storage.values import format_instant

_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_TYPE = re.compile(r"[A-Z][A-Za-z]{1,63}")
VERSION_COLUMNS = "type, id, version, last_updated, operation, content, method, url"


def now_micros() -> int:
    return time.time_ns() // 1000


def check_type(resource_type: str) -> None:
    if not _TYPE.fullmatch(resource_type or ""):
        raise InvalidRequest(f"{resource_type!r} is not a resource type name")


def check_id(resource_id: Any) -> str:
    if not isinstance(resource_id, str) or not _ID.fullmatch(resource_id):
        raise InvalidRequest(
            f"{resource_id!r} is not a valid resource id (1-64 of A-Z a-z 0-9 - .)",
            expression=("id",),
        )
    return resource_id


def stamp(resource: dict[str, Any], resource_id: str, version: int, micros: int) -> str:
    """The JSON to store: ``id`` and ``meta.versionId``/``meta.lastUpdated`` set by us."""
    meta = dict(resource.get("meta") or {})
    meta["versionId"] = str(version)
    meta["lastUpdated"] = format_instant(micros)
    body = {"resourceType": resource["resourceType"], "id": resource_id, "meta": meta}
    body.update((k, v) for k, v in resource.items() if k not in body)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def stored(row: Row) -> StoredResource:
    """A StoredResource from a ``VERSION_COLUMNS`` row."""
    resource_type, resource_id, version, micros, operation, content, method, url = row
    request = RequestLine(method, url) if method else None  # None: written by schema ≤ 10
    return StoredResource(resource_type, resource_id, int(version), int(micros), operation,
                          content or "", request)


class Session:
    """Interactions on one connection inside one transaction."""

    def __init__(self, db: Db, slots: Slots, registry: SearchRegistry) -> None:
        self.db = db
        self.slots = slots
        self.registry = registry

    # ------------------------------------------------------------------------ reads

    def read(self, resource_type: str, resource_id: str) -> StoredResource:
        row = self.db.one(
            "SELECT version, last_updated, deleted, content FROM resource "
            "WHERE type = ? AND id = ?",
            (resource_type, resource_id),
        )
        if row is None:
            raise NotFound(f"{resource_type}/{resource_id} is not known")
        version, micros, deleted, content = row
        if deleted:
            raise Gone(f"{resource_type}/{resource_id} was deleted (version {version})")
        return StoredResource(resource_type, resource_id, int(version), int(micros),
                              "update" if version > 1 else "create", content)

    def vread(self, resource_type: str, resource_id: str, version: int) -> StoredResource:
        row = self.db.one(
            f"SELECT {VERSION_COLUMNS} FROM resource_version "
            "WHERE rid = (SELECT rid FROM resource WHERE type = ? AND id = ?) AND version = ?",
            (resource_type, resource_id, version),
        )
        if row is None:
            raise NotFound(f"{resource_type}/{resource_id} has no version {version}")
        found = stored(row)
        if found.deleted:
            raise Gone(f"version {version} of {resource_type}/{resource_id} is its deletion")
        return found

    def current_page(self, resource_types: Sequence[str] | None, after: tuple[str, str] | None,
                     limit: int) -> list[StoredResource]:
        """Up to ``limit`` current (not deleted) resources after ``(type, id)`` ``after``,
        ordered by type then id (byte order on both backends: SQLite's BINARY collation,
        PostgreSQL's ``COLLATE "C"``), using the ``UNIQUE (type, id)`` index as a keyset."""
        where, params = ["deleted = 0"], []
        if resource_types is not None:
            where.append(f"type IN ({', '.join('?' for _ in resource_types)})")
            params += list(resource_types)
        if after is not None:
            where.append("(type > ? OR (type = ? AND id > ?))")
            params += [after[0], after[0], after[1]]
        rows = self.db.all(
            f"SELECT type, id, version, last_updated, content FROM resource "
            f"WHERE {' AND '.join(where)} ORDER BY type, id LIMIT ?", [*params, limit])
        return [StoredResource(t, i, int(v), int(m), "update" if v > 1 else "create", c)
                for t, i, v, m, c in rows]

    # ----------------------------------------------------------------------- writes

    def create(self, resource: dict[str, Any], request: RequestLine | None = None
               ) -> StoredResource:
        self._check_body(resource)
        request = request or RequestLine("POST", resource["resourceType"])
        return self._write(resource, str(uuid.uuid4()), None, request)

    def update(self, resource: dict[str, Any], expected_version: int | None = None,
               request: RequestLine | None = None) -> StoredResource:
        self._check_body(resource)
        resource_type = resource["resourceType"]
        resource_id = check_id(resource.get("id"))
        current = self._current(resource_type, resource_id)
        self._check_expected(resource_type, resource_id, current, expected_version)
        request = request or RequestLine("PUT", f"{resource_type}/{resource_id}")
        return self._write(resource, resource_id, current, request)

    def delete(self, resource_type: str, resource_id: str,
               expected_version: int | None = None, request: RequestLine | None = None
               ) -> StoredResource:
        check_type(resource_type)
        current = self._current(resource_type, resource_id)
        if current is None:
            raise NotFound(f"{resource_type}/{resource_id} is not known")
        self._check_expected(resource_type, resource_id, current, expected_version)
        rid, version, micros, deleted = current
        if deleted:
            return StoredResource(resource_type, resource_id, version, micros, "delete", "")
        micros = max(now_micros(), micros + 1)
        self.db.run("UPDATE resource SET version = ?, last_updated = ?, deleted = 1, "
                    "content = NULL WHERE rid = ?", (version + 1, micros, rid))
        request = request or RequestLine("DELETE", f"{resource_type}/{resource_id}")
        self._record(rid, resource_type, resource_id, version + 1, micros, "delete", None,
                     request)
        self.clear_index(rid)
        return StoredResource(resource_type, resource_id, version + 1, micros, "delete", "",
                              request)

    def lock(self, key: str) -> None:
        self.db.lock(key)

    def _check_body(self, resource: Any) -> None:
        if not isinstance(resource, dict):
            raise InvalidRequest("a resource must be a JSON object")
        check_type(resource.get("resourceType", ""))

    def _check_expected(self, resource_type: str, resource_id: str,
                        current: tuple[int, int, int, bool] | None,
                        expected_version: int | None) -> None:
        if expected_version is None:
            return
        if current is None:
            raise PreconditionFailed(
                f"{resource_type}/{resource_id} does not exist, so it is not version "
                f"{expected_version}"
            )
        if current[1] != expected_version:
            raise PreconditionFailed(
                f"{resource_type}/{resource_id} is at version {current[1]}, "
                f"not {expected_version}"
            )

    def _current(self, resource_type: str, resource_id: str) -> tuple[int, int, int, bool] | None:
        row = self.db.one(
            "SELECT rid, version, last_updated, deleted FROM resource WHERE type = ? AND id = ?"
            + self.for_update(), (resource_type, resource_id))
        return None if row is None else (int(row[0]), int(row[1]), int(row[2]), bool(row[3]))

    def for_update(self) -> str:
        return " FOR UPDATE" if self.db.dialect == "postgresql" else ""

    def _write(self, resource: dict[str, Any], resource_id: str,
               current: tuple[int, int, int, bool] | None, request: RequestLine
               ) -> StoredResource:
        resource_type = resource["resourceType"]
        if current is None:
            micros = now_micros()
            text = stamp(resource, resource_id, 1, micros)
            rid = self._insert(resource_type, resource_id, micros, text)
            if rid is not None:
                return self._finish(rid, resource, resource_id, 1, micros, "create", text,
                                    request)
            # another transaction created it first (and has committed): a new version
            current = self._current(resource_type, resource_id)
            assert current is not None
        rid, version, previous, deleted = current
        micros = max(now_micros(), previous + 1)
        text = stamp(resource, resource_id, version + 1, micros)
        self.db.run("UPDATE resource SET version = ?, last_updated = ?, deleted = 0, "
                    "content = ? WHERE rid = ?", (version + 1, micros, text, rid))
        self.clear_index(rid)
        operation: Operation = "create" if deleted else "update"
        return self._finish(rid, resource, resource_id, version + 1, micros, operation, text,
                            request)

    def _finish(self, rid: int, resource: dict[str, Any], resource_id: str, version: int,
                micros: int, operation: Operation, text: str, request: RequestLine
                ) -> StoredResource:
        resource_type = resource["resourceType"]
        self._record(rid, resource_type, resource_id, version, micros, operation, text, request)
        self.write_index(rid, resource)
        return StoredResource(resource_type, resource_id, version, micros, operation, text,
                              request)

    def _insert(self, resource_type: str, resource_id: str, micros: int, text: str
                ) -> int | None:
        """The new row's rid, or None when a concurrent transaction created the resource
        (PostgreSQL waits for that transaction to commit before answering)."""
        row = self.db.one(
            "INSERT INTO resource (type, id, version, last_updated, deleted, content) "
            "VALUES (?, ?, 1, ?, 0, ?) ON CONFLICT (type, id) DO NOTHING RETURNING rid",
            (resource_type, resource_id, micros, text),
        )
        return None if row is None else int(row[0])

    def _record(self, rid: int, resource_type: str, resource_id: str, version: int,
                micros: int, operation: str, text: str | None, request: RequestLine) -> None:
        self.db.run(
            "INSERT INTO resource_version (rid, type, id, version, last_updated, operation, "
            "content, method, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rid, resource_type, resource_id, version, micros, operation, text,
             request.method, request.url),
        )

    # ------------------------------------------------------------------------ index

    def clear_index(self, rid: int) -> None:
        for table in INDEX_TABLES:
            self.db.run(f"DELETE FROM idx_{table} WHERE rid = ?", (rid,))

    def write_index(self, rid: int, resource: dict[str, Any]) -> None:
        for table, rows in self.index_rows([(rid, resource)]).items():
            columns = ("p", "rid", "grp", *INDEX_COLUMNS[table])
            self.db.many(
                f"INSERT INTO idx_{table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                rows,
            )

    def index_rows(self, resources: Iterable[tuple[int, dict[str, Any]]]
                   ) -> dict[str, list[Row]]:
        """Index rows, ``p`` and ``rid`` filled in, for many resources at once."""
        out: dict[str, list[Row]] = {}
        for rid, resource in resources:
            resource_type = resource["resourceType"]
            params = self.registry.for_type(resource_type).values()
            for table, rows in index_resource(resource, params).items():
                target = out.setdefault(table, [])
                for slot, *values in rows:
                    p = self.slots.get(resource_type, slot)
                    if p is not None:
                        target.append((p, rid, *values))
        return out
