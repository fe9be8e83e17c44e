"""What a search returns: one page of matches, included resources, total and cursors."""

from __future__ import annotations

from dataclasses import dataclass, field

from fhirsvc.outcome import Issue
from fhirsvc.storage.protocol import StoredResource
from fhirsvc.storage.search.query import SearchQuery


@dataclass(frozen=True)
class SearchResult:
    """A searchset page (https://hl7.org/fhir/R4/bundle.html#searchset).

    ``matches`` are the page's resources (entry.search.mode ``match``), in order;
    ``included`` the ``_include``/``_revinclude`` resources (mode ``include``), each once
    and none that is also a match. ``total`` is None when not computed (``_total=none``,
    or not cheaply known and not asked for). ``next_cursor``/``previous_cursor`` go into
    the ``_cursor`` parameter of the next/previous links (:meth:`SearchQuery.page_params`).
    ``end_cursor`` continues after the page's last match even on the last page, for a walk
    that comes back later for rows stored since (None on an empty or backward page).
    ``issues`` are warnings for the OperationOutcome entry (e.g. unknown parameters).
    """

    query: SearchQuery
    matches: list[StoredResource] = field(default_factory=list)
    included: list[StoredResource] = field(default_factory=list)
    total: int | None = None
    next_cursor: str | None = None
    previous_cursor: str | None = None
    end_cursor: str | None = None
    issues: tuple[Issue, ...] = ()

    def next_params(self) -> list[tuple[str, str]] | None:
        """Query pairs of the next page's link, or None on the last page."""
        return self.query.page_params(self.next_cursor) if self.next_cursor else None

    def previous_params(self) -> list[tuple[str, str]] | None:
        return self.query.page_params(self.previous_cursor) if self.previous_cursor else None
