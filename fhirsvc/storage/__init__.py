"""Versioned resource storage with search indexes, behind one protocol (SQLite, PostgreSQL).

    store = open_store("postgresql://user@host/db")      # or a SQLite path, or None
    saved = store.create({"resourceType": "Patient", ...})
    query = parse_search("Observation", [("patient", "Patient/1"), ("_count", "20")])
    page = store.search(query)
    with store.transaction() as tx:                      # all or nothing
        tx.update(...); tx.delete("Observation", "x")
"""

from __future__ import annotations

import os
from pathlib import Path

from fhirsvc.storage.protocol import HistoryPage, ResourceStore, StoredResource, iter_pages
from fhirsvc.storage.registry import SearchParam, SearchRegistry, default_registry
from fhirsvc.storage.search import SearchQuery, SearchResult, parse_search, parse_system_search
from fhirsvc.storage.store import SqlStore

DEFAULT_FILE = "fhirsvc.sqlite3"


def default_database_path() -> Path:
    """``$FHIRSVC_DATA/fhirsvc.sqlite3``, or ``./data/fhirsvc.sqlite3``."""
    return Path(os.environ.get("FHIRSVC_DATA") or "data") / DEFAULT_FILE


def open_store(url: str | None = None, *, registry: SearchRegistry | None = None) -> SqlStore:
    """Open (creating or migrating as needed) the store at ``url``.

    ``url`` is ``postgresql://user@host:port/db[?schema=name&pool_size=n]``,
    ``sqlite:///relative/or//absolute/path``, a bare file path, or None for the default
    SQLite file (:func:`default_database_path`).
    """
    if url is None or url == "":
        from fhirsvc.storage.sqlite import SqliteBackend

        return SqlStore(SqliteBackend(default_database_path()), registry)
    if url.startswith(("postgresql://", "postgres://")):
        from fhirsvc.storage.postgres import PostgresBackend

        return SqlStore(PostgresBackend(url), registry)
    from fhirsvc.storage.sqlite import SqliteBackend

    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    if "://" in path:
        raise ValueError(f"unsupported database URL {url!r} (use postgresql:// or sqlite:///)")
    return SqlStore(SqliteBackend(path), registry)


__all__ = [
    "HistoryPage",
    "ResourceStore",
    "SearchParam",
    "SearchQuery",
    "SearchRegistry",
    "SearchResult",
    "SqlStore",
    "StoredResource",
    "default_database_path",
    "default_registry",
    "iter_pages",
    "open_store",
    "parse_search",
    "parse_system_search",
]
