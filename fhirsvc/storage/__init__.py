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

from fhirsvc.storage.protocol import (
    HistoryPage,
    RequestLine,
    ResourceStore,
    StoredResource,
    iter_pages,
)
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
    path = sqlite_path(url)
    if path is None:
        from fhirsvc.storage.postgres import PostgresBackend

        return SqlStore(PostgresBackend(url or ""), registry)
    from fhirsvc.storage.sqlite import SqliteBackend

    return SqlStore(SqliteBackend(path), registry)


def sqlite_path(url: str | None) -> Path | None:
    """The SQLite file ``url`` names (see :func:`open_store`), None for PostgreSQL;
    ValueError for a URL of another kind."""
    if url is None or url == "":
        return default_database_path()
    if url.startswith(("postgresql://", "postgres://")):
        return None
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    if "://" in path:
        raise ValueError(f"unsupported database URL {url!r} (use postgresql:// or sqlite:///)")
    return Path(path)


__all__ = [
    "HistoryPage",
    "RequestLine",
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
    "sqlite_path",
]
