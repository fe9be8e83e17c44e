"""Bulk writes: loading many resources at once, and rebuilding search indexes.

``load`` is ``update`` for a batch (client ids kept) done with a handful of bulk inserts
(COPY on PostgreSQL) instead of a dozen statements per resource, for ``serve --load``
and the benchmark. Loading a resource whose content is unchanged adds no version, so
loading the same data twice is harmless.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fhirsvc.storage.db import Db, Row
from fhirsvc.storage.engine import Session, check_id, check_type, now_micros, stamp
from fhirsvc.storage.schema import INDEX_COLUMNS, INDEX_TABLES

log = logging.getLogger(__name__)
REINDEX_BATCH = 1000


def _same_content(stored_text: str | None, resource: dict[str, Any]) -> bool:
    if stored_text is None:
        return False
    return _comparable(json.loads(stored_text)) == _comparable(resource)


def _comparable(resource: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in (resource.get("meta") or {}).items()
            if k not in ("versionId", "lastUpdated")}
    body = {k: v for k, v in resource.items() if k != "meta"}
    return {**body, "meta": meta} if meta else body


def load_resources(session: Session, batch: list[dict[str, Any]]) -> int:
    """Store every resource of ``batch`` as an update; returns how many were written."""
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    repeated: list[dict[str, Any]] = []
    for resource in batch:
        check_type(resource.get("resourceType", "") if isinstance(resource, dict) else "")
        key = (resource["resourceType"], check_id(resource.get("id")))
        if key in keys:
            repeated.append(resource)  # a second version within the batch: written in order
        else:
            keys[key] = resource
    existing = _existing(session, list(keys))
    fresh = [resource for key, resource in keys.items() if key not in existing]
    written = _insert_new(session, fresh)
    for key, resource in keys.items():
        if key in existing and not _same_content(existing[key], resource):
            session.update(resource)
            written += 1
    for resource in repeated:
        session.update(resource)
        written += 1
    log.debug("loaded %d resources (%d new)", written, len(fresh))
    return written


def _existing(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    found: dict[tuple[str, str], str | None] = {}
    by_type: dict[str, list[str]] = {}
    for resource_type, resource_id in keys:
        by_type.setdefault(resource_type, []).append(resource_id)
    for resource_type, ids in by_type.items():
        marks = ", ".join("?" for _ in ids)
        for resource_id, content in session.db.all(
            f"SELECT id, content FROM resource WHERE type = ? AND id IN ({marks})",
            [resource_type, *ids],
        ):
            found[(resource_type, resource_id)] = content
    return found


def _insert_new(session: Session, fresh: list[dict[str, Any]]) -> int:
    if not fresh:
        return 0
    db = session.db
    rids = db.allocate_rids(len(fresh))
    micros = now_micros()
    resources: list[Row] = []
    versions: list[Row] = []
    indexed: list[tuple[int, dict[str, Any]]] = []
    for rid, resource in zip(rids, fresh, strict=True):
        text = stamp(resource, resource["id"], 1, micros)
        resources.append((rid, resource["resourceType"], resource["id"], 1, micros, 0, text))
        versions.append((rid, resource["resourceType"], resource["id"], 1, micros, "create", text,
                         "PUT", f"{resource['resourceType']}/{resource['id']}"))
        indexed.append((rid, resource))  # meta.versionId/lastUpdated are not indexed
    db.bulk_insert("resource", ("rid", "type", "id", "version", "last_updated", "deleted",
                                "content"), resources)
    db.bulk_insert("resource_version", ("rid", "type", "id", "version", "last_updated",
                                        "operation", "content", "method", "url"), versions)
    _insert_index(session, indexed)
    return len(fresh)


def _insert_index(session: Session, resources: list[tuple[int, dict[str, Any]]]) -> None:
    for table, rows in session.index_rows(resources).items():
        session.db.bulk_insert(f"idx_{table}", ("p", "rid", "grp", *INDEX_COLUMNS[table]), rows)


def refresh_statistics(db: Db) -> None:
    """After a bulk load on PostgreSQL (outside a transaction): ``VACUUM ANALYZE``, so the
    planner sees the new row counts and index-only scans need no heap visits. SQLite's
    defaults suit the schema, which is built so its first-choice index is the right one."""
    if db.dialect == "postgresql":
        tables = ["resource", "resource_version", *(f"idx_{t}" for t in INDEX_TABLES)]
        db.run(f"VACUUM (ANALYZE) {', '.join(tables)}")


def reindex(session: Session, resource_types: set[str]) -> int:
    """Rebuild the index rows of every current resource of ``resource_types``."""
    done = 0
    for resource_type in sorted(resource_types):
        last = -1
        while True:
            rows = session.db.all(
                "SELECT rid, content FROM resource WHERE type = ? AND deleted = 0 AND rid > ? "
                "ORDER BY rid LIMIT ?", (resource_type, last, REINDEX_BATCH))
            if not rows:
                break
            rids = [int(rid) for rid, _ in rows]
            marks = ", ".join("?" for _ in rids)
            for table in INDEX_TABLES:
                session.db.run(f"DELETE FROM idx_{table} WHERE rid IN ({marks})", rids)
            _insert_index(session, [(int(rid), json.loads(content)) for rid, content in rows])
            done += len(rows)
            last = rids[-1]
        if done:
            log.info("rebuilt search indexes of %d %s resources", done, resource_type)
    return done
