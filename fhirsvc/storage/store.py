""":class:`SqlStore`: the :class:`ResourceStore` over a SQLite or PostgreSQL backend.

Every interaction runs in its own database transaction (a write either lands whole or
not at all); ``transaction()`` widens that to a block of interactions, for transaction
Bundles and conditional interactions. Opening a store migrates the database and brings
its search indexes up to date with the search parameter definitions.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any, Protocol

from fhirsvc.storage.bulk import load_resources, refresh_statistics, reindex
from fhirsvc.storage.db import Db, migrate, sync_slots, too_large
from fhirsvc.storage.engine import Session, check_type
from fhirsvc.storage.history import history
from fhirsvc.storage.protocol import HistoryPage, RequestLine, ResourceStore, StoredResource
from fhirsvc.storage.registry import SearchRegistry, default_registry
from fhirsvc.storage.search.execute import run_search
from fhirsvc.storage.search.query import SearchQuery
from fhirsvc.storage.search.result import SearchResult
from fhirsvc.storage.search.sql import ConditionCompiler

log = logging.getLogger(__name__)
#: A bulk load this large refreshes the planner's statistics (PostgreSQL) at its end.
ANALYZE_AFTER = 5000


class Backend(Protocol):
    """Connections and transactions of one database engine."""

    dialect: str
    url: str
    #: The driver's exceptions: a database that fails while in use raises one of them.
    errors: tuple[type[Exception], ...]

    def session(self, write: bool) -> AbstractContextManager[Db]:
        """A connection inside a transaction: committed on success, rolled back on error."""
        ...

    def exclusive(self) -> AbstractContextManager[Db]:
        """Like ``session(write=True)``, holding the database-wide migration lock."""
        ...

    def snapshot(self) -> AbstractContextManager[Db]:
        """A read-only transaction whose every statement sees one moment of the
        database, however long it stays open (for exports)."""
        ...

    def statement(self) -> AbstractContextManager[Db]:
        """A connection for a read of one statement, which sees one moment of the
        database by itself: no transaction around it (a read by id)."""
        ...

    def close(self) -> None: ...


class _Operations:
    """The interactions, each on a :class:`Session` that ``_session`` provides."""

    registry: SearchRegistry

    def _session(self, write: bool) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _snapshot(self) -> AbstractContextManager[Session]:
        """A session whose reads all see one moment (a transaction's own, inside one)."""
        return self._session(False)

    def _statement(self) -> AbstractContextManager[Session]:
        """A session for a read of one statement (a transaction's own, inside one)."""
        return self._session(False)

    def read(self, resource_type: str, resource_id: str) -> StoredResource:
        with self._statement() as session:
            return session.read(resource_type, resource_id)

    def vread(self, resource_type: str, resource_id: str, version: int) -> StoredResource:
        with self._statement() as session:
            return session.vread(resource_type, resource_id, version)

    def create(self, resource: dict[str, Any], *, request: RequestLine | None = None
               ) -> StoredResource:
        with self._session(True) as session:
            return session.create(resource, request)

    def update(self, resource: dict[str, Any], *, expected_version: int | None = None,
               request: RequestLine | None = None) -> StoredResource:
        with self._session(True) as session:
            return session.update(resource, expected_version, request)

    def delete(self, resource_type: str, resource_id: str, *,
               expected_version: int | None = None, request: RequestLine | None = None
               ) -> StoredResource:
        with self._session(True) as session:
            return session.delete(resource_type, resource_id, expected_version, request)

    def history(self, resource_type: str | None = None, resource_id: str | None = None, *,
                since: datetime | None = None, count: int = 50, cursor: str | None = None
                ) -> HistoryPage:
        if resource_type is not None:
            check_type(resource_type)
        with self._session(False) as session:
            return history(session.db, resource_type, resource_id, since, count, cursor)

    def search(self, query: SearchQuery) -> SearchResult:
        with self._session(False) as session:
            return run_search(session.db, ConditionCompiler(session.slots), query)

    def current(self, resource_types: Sequence[str] | None = None, *,
                batch_size: int = 500) -> Generator[StoredResource, None, None]:
        types = None if resource_types is None else sorted(set(resource_types))
        for resource_type in types or ():
            check_type(resource_type)
        if types == []:
            return
        after: tuple[str, str] | None = None
        with self._snapshot() as session:
            while True:
                page = session.current_page(types, after, batch_size)
                yield from page
                if len(page) < batch_size:
                    return
                after = (page[-1].resource_type, page[-1].id)

    def lock(self, key: str) -> None:
        with self._session(True) as session:
            session.lock(key)

    def load(self, resources: Iterable[dict[str, Any]], *, batch_size: int = 1000) -> int:
        loaded = 0
        batch: list[dict[str, Any]] = []
        for resource in resources:
            batch.append(resource)
            if len(batch) >= batch_size:
                loaded += self._load_batch(batch)
                batch = []
        loaded += self._load_batch(batch) if batch else 0
        self._after_load(loaded)
        return loaded

    def _after_load(self, loaded: int) -> None:
        """Hook after a bulk load (statistics are refreshed outside transactions only)."""

    def _load_batch(self, batch: list[dict[str, Any]]) -> int:
        with self._session(True) as session:
            return load_resources(session, batch)


class SqlStore(_Operations):
    """A store on a database; safe to share between threads (connections are per thread
    or pooled) and between processes (the database serialises writers)."""

    def __init__(self, backend: Backend, registry: SearchRegistry | None = None) -> None:
        self.backend = backend
        self.registry = registry or default_registry()
        with backend.exclusive() as db:
            migrate(db)
            self.slots, stale = sync_slots(db, self.registry)
            if stale:
                reindex(Session(db, self.slots, self.registry), stale)

    def __repr__(self) -> str:
        return f"SqlStore({self.backend.url!r})"

    def _after_load(self, loaded: int) -> None:
        if loaded >= ANALYZE_AFTER:
            with self.backend.session(False) as db:
                refresh_statistics(db)

    def _session(self, write: bool) -> AbstractContextManager[Session]:
        return _StoreSession(self, self.backend.session(write))

    def _snapshot(self) -> AbstractContextManager[Session]:
        return _StoreSession(self, self.backend.snapshot())

    def _statement(self) -> AbstractContextManager[Session]:
        return _StoreSession(self, self.backend.statement())

    @contextmanager
    def transaction(self) -> Iterator[ResourceStore]:
        with _StoreSession(self, self.backend.session(True)) as session:
            yield TransactionStore(session)

    def close(self) -> None:
        self.backend.close()


class _StoreSession:
    """A :class:`Session` on the backend's session: a class, not a generator-based
    context manager, which cost several µs per call to the store."""

    __slots__ = ("backend_session", "store")

    def __init__(self, store: SqlStore, backend_session: AbstractContextManager[Db]) -> None:
        self.store = store
        self.backend_session = backend_session

    def __enter__(self) -> Session:
        store = self.store
        return Session(self.backend_session.__enter__(), store.slots, store.registry)

    def __exit__(self, kind: Any, error: BaseException | None, traceback: Any) -> bool | None:
        handled = self.backend_session.__exit__(kind, error, traceback)
        refused = too_large(error)
        if refused is not None:
            raise refused from error
        return handled


class TransactionStore(_Operations):
    """The store as seen inside ``transaction()``: every call on the one open transaction.

    A nested ``transaction()`` joins it (no savepoints: the outer block decides).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.registry = session.registry

    def _session(self, write: bool) -> AbstractContextManager[Session]:
        return nullcontext(self.session)

    def transaction(self) -> AbstractContextManager[ResourceStore]:
        return nullcontext(self)

    def close(self) -> None:
        """Nothing to close: the enclosing ``transaction()`` block ends the transaction."""
