"""The storage protocol every backend implements, and the records it returns.

One :class:`ResourceStore` holds versioned FHIR resources and their search indexes. Its
methods are the FHIR interactions (https://hl7.org/fhir/R4/http.html) as plain Python:
``read``, ``vread``, ``create``, ``update``, ``delete``, ``history``, ``search``, plus
``transaction()`` for an all-or-nothing unit of work. Failures raise the
:mod:`fhirsvc.errors` family (``NotFound``, ``Gone``, ``PreconditionFailed`` …), so the
server maps them to HTTP in one place; a failed write stores nothing.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from fhirsvc.outcome import Issue
from fhirsvc.storage.values import from_micros

if TYPE_CHECKING:
    from fhirsvc.storage.search.query import SearchQuery
    from fhirsvc.storage.search.result import SearchResult

Operation = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class RequestLine:
    """The HTTP request that wrote a version, as a history's ``entry.request`` states it
    (https://hl7.org/fhir/R4/http.html#history): ``PUT Patient/p1`` for a resource created
    under a client's id, ``PATCH`` for a patch, ``PUT Patient?identifier=…`` for a
    conditional update, so a client replaying the history does what was done. ``url`` is
    relative to the server's base."""

    method: str
    url: str

    @staticmethod
    def inferred(operation: Operation, resource_type: str, resource_id: str) -> RequestLine:
        """What a version written without a recorded request (by schema 10 or earlier)
        most likely came from: POST for a creation, PUT for an update, DELETE."""
        if operation == "create":
            return RequestLine("POST", resource_type)
        return RequestLine("PUT" if operation == "update" else "DELETE",
                           f"{resource_type}/{resource_id}")


@dataclass(frozen=True, eq=False)
class StoredResource:
    """One stored version of a resource.

    ``text`` is the resource's JSON exactly as stored, with ``meta.versionId`` and
    ``meta.lastUpdated`` already set, so a server can send it without re-encoding;
    ``resource`` parses it on first use. A deletion is stored as a version with
    ``deleted`` true and empty ``text``.
    """

    resource_type: str
    id: str
    version: int
    last_updated_micros: int
    operation: Operation
    text: str
    #: The request that wrote this version, when the store recorded it (history only).
    recorded_request: RequestLine | None = None

    def __init__(self, resource_type: str, id: str, version: int,
                 last_updated_micros: int, operation: Operation, text: str,
                 recorded_request: RequestLine | None = None) -> None:
        """The dataclass's own ``__init__``, the fields written to the instance's
        dictionary: a frozen dataclass sets each through ``object.__setattr__``, which
        cost several µs per record, and a search makes one per row of its page."""
        fields = self.__dict__
        fields["resource_type"] = resource_type
        fields["id"] = id
        fields["version"] = version
        fields["last_updated_micros"] = last_updated_micros
        fields["operation"] = operation
        fields["text"] = text
        fields["recorded_request"] = recorded_request

    @property
    def deleted(self) -> bool:
        return self.operation == "delete"

    @property
    def request(self) -> RequestLine:
        """The request that wrote this version: the recorded one, else the one its
        operation implies."""
        return self.recorded_request or RequestLine.inferred(self.operation,
                                                             self.resource_type, self.id)

    @property
    def version_id(self) -> str:
        return str(self.version)

    @property
    def last_updated(self) -> datetime:
        return from_micros(self.last_updated_micros)

    @property
    def etag(self) -> str:
        """The weak ETag R4 prescribes for a version: ``W/"3"``."""
        return f'W/"{self.version}"'

    @property
    def reference(self) -> str:
        return f"{self.resource_type}/{self.id}"

    @cached_property
    def resource(self) -> dict[str, Any]:
        """The parsed resource (a fresh dict per StoredResource; ``{}`` for a deletion)."""
        loaded: dict[str, Any] = json.loads(self.text) if self.text else {}
        return loaded


@dataclass(frozen=True)
class HistoryPage:
    """One page of a history, newest first (https://hl7.org/fhir/R4/http.html#history)."""

    entries: list[StoredResource]
    next_cursor: str | None = None
    #: Number of versions in the whole history when known cheaply (instance level).
    total: int | None = None
    issues: tuple[Issue, ...] = field(default=())


@runtime_checkable
class ResourceStore(Protocol):
    """Versioned FHIR resources with search; implemented for SQLite and PostgreSQL."""

    def read(self, resource_type: str, resource_id: str) -> StoredResource:
        """The current version; ``NotFound`` if never stored, ``Gone`` if deleted."""
        ...

    def vread(self, resource_type: str, resource_id: str, version: int) -> StoredResource:
        """One version; ``NotFound`` if absent, ``Gone`` if that version is a deletion."""
        ...

    def create(self, resource: dict[str, Any], *, request: RequestLine | None = None
               ) -> StoredResource:
        """Store a new resource under a server-assigned id (any ``id`` given is replaced).

        ``request`` (every write takes it) is the HTTP request to record in the history;
        by default the one the method stands for (``POST Patient``, ``PUT Patient/p1``,
        ``DELETE Patient/p1``)."""
        ...

    def update(
        self, resource: dict[str, Any], *, expected_version: int | None = None,
        request: RequestLine | None = None,
    ) -> StoredResource:
        """Store a new version of ``resource["id"]``, creating it if absent.

        ``expected_version`` (from ``If-Match``) must equal the current version, else
        ``PreconditionFailed``. The result's ``operation`` says whether it was created.
        """
        ...

    def delete(
        self, resource_type: str, resource_id: str, *, expected_version: int | None = None,
        request: RequestLine | None = None,
    ) -> StoredResource:
        """Record a deletion version (later reads raise ``Gone``); idempotent.

        ``NotFound`` if the resource never existed.
        """
        ...

    def history(
        self,
        resource_type: str | None = None,
        resource_id: str | None = None,
        *,
        since: datetime | None = None,
        count: int = 50,
        cursor: str | None = None,
    ) -> HistoryPage:
        """Versions newest first: of one resource, of a type, or of the whole system."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a parsed search (see :func:`fhirsvc.storage.parse_search`)."""
        ...

    def current(self, resource_types: Sequence[str] | None = None, *,
                batch_size: int = 500) -> Generator[StoredResource, None, None]:
        """The current version of every stored, not deleted resource (of ``resource_types``
        when given), ordered by type then id, read ``batch_size`` at a time so a store of
        any size streams in bounded memory (for exports).

        Every batch is read in one snapshot, taken at the first batch: writes committed
        while the iteration runs are not seen, so the resources, and the references between
        them, are those of one moment (PostgreSQL: a ``REPEATABLE READ READ ONLY``
        transaction; SQLite: one read transaction, which WAL keeps on its snapshot while
        writers commit). The snapshot ends when the iterator is exhausted or closed.
        """
        ...

    def transaction(self) -> AbstractContextManager[ResourceStore]:
        """A unit of work: every write inside commits together or not at all.

        Use as ``with store.transaction() as tx: tx.create(...)``; reads and searches on
        ``tx`` see its own writes. Leaving the block by an exception rolls back.
        """
        ...

    def lock(self, key: str) -> None:
        """Serialise this transaction with others taking the same key (until it ends).

        Conditional create/update/delete take ``lock("Patient?identifier=…")`` before
        searching, so two concurrent requests cannot both create.
        """
        ...

    def load(self, resources: Iterable[dict[str, Any]], *, batch_size: int = 1000) -> int:
        """Bulk ``update`` of many resources (client ids kept), fast; returns the count."""
        ...

    def close(self) -> None:
        ...


def iter_pages(store: ResourceStore, query: SearchQuery) -> Iterator[SearchResult]:
    """Every page of a search, following next cursors (for exports and tests)."""
    from fhirsvc.storage.search.query import with_cursor

    while True:
        page = store.search(query)
        yield page
        if page.next_cursor is None:
            return
        query = with_cursor(query, page.next_cursor)


__all__: Sequence[str] = ["HistoryPage", "Operation", "RequestLine", "ResourceStore",
                          "StoredResource", "iter_pages"]
