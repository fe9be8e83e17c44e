"""A parsed FHIR search, as typed records the storage backends turn into SQL.

``Observation?patient=Patient/1&code=http://loinc.org|777-3,http://loinc.org|718-7
&date=ge2016-11&_sort=-date&_count=20`` becomes a :class:`SearchQuery` holding one
:class:`Criterion` per parameter occurrence (all must hold), each with its alternatives
(any may hold) already converted to the parameter type's value record.
See https://hl7.org/fhir/R4/search.html.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from fhirsvc.outcome import Issue
from fhirsvc.storage.registry import SearchParam


class Prefix(StrEnum):
    """https://hl7.org/fhir/R4/search.html#prefix"""

    EQ = "eq"
    NE = "ne"
    GT = "gt"
    LT = "lt"
    GE = "ge"
    LE = "le"
    SA = "sa"
    EB = "eb"
    AP = "ap"


@dataclass(frozen=True)
class TokenValue:
    """``[system]|[code]``: ``system`` None means any system, "" means no system."""

    system: str | None
    code: str | None


@dataclass(frozen=True)
class StringValue:
    text: str


@dataclass(frozen=True)
class DateValue:
    prefix: Prefix
    low: int  # microseconds since the epoch, inclusive
    high: int


@dataclass(frozen=True)
class NumberValue:
    prefix: Prefix
    number: Decimal


@dataclass(frozen=True)
class QuantityValue:
    prefix: Prefix
    number: Decimal
    system: str | None  # None: any system
    code: str | None  # matched against code, or unit when no system is given


@dataclass(frozen=True)
class ReferenceValue:
    """A local target (``type``/``id``, ``type`` None for any) or an absolute ``url``."""

    target_type: str | None
    target_id: str | None
    url: str | None = None


@dataclass(frozen=True)
class UriValue:
    uri: str


@dataclass(frozen=True)
class CompositeValue:
    parts: tuple[Value, ...]


Value = (TokenValue | StringValue | DateValue | NumberValue | QuantityValue | ReferenceValue
         | UriValue | CompositeValue)


@dataclass(frozen=True)
class Criterion:
    """One ``name[:modifier]=v1,v2`` occurrence: true when any value matches.

    ``missing`` is set for ``:missing``; ``chain`` for a chained parameter such as
    ``subject:Patient.name=peter``: the reference must point at a resource of one of
    the listed types that the condition given for that type matches.
    """

    param: SearchParam
    modifier: str | None = None
    values: tuple[Value, ...] = ()
    missing: bool | None = None
    chain: tuple[tuple[str, Condition], ...] = ()


@dataclass(frozen=True)
class ReverseChain:
    """``_has:Observation:patient:code=1234``: some Observation whose ``patient``
    points here satisfies ``criterion`` (https://hl7.org/fhir/R4/search.html#has)."""

    source_type: str
    reference: SearchParam
    criterion: Criterion | ReverseChain


Condition = Criterion | ReverseChain


@dataclass(frozen=True)
class Include:
    """``_include=Observation:subject[:Patient]`` or ``_revinclude=Provenance:target``.

    ``param`` None stands for ``*`` (every reference parameter of ``source_type``).
    """

    source_type: str
    param: SearchParam | None
    target_type: str | None = None
    iterate: bool = False
    reverse: bool = False


@dataclass(frozen=True)
class SortKey:
    """``param`` ascending or descending; in a system-level search ``across`` holds the
    same parameter of the other searched types (each type has its own index slot)."""

    param: SearchParam
    descending: bool = False
    across: tuple[SearchParam, ...] = ()


TotalMode = Literal["none", "estimate", "accurate"]


@dataclass(frozen=True)
class SearchQuery:
    """Everything a search asks for. ``params`` keeps the request's own pairs (without
    ``_cursor``) so the server can build self/next/previous links.

    A system-level search (``[base]?_type=…``, https://hl7.org/fhir/R4/search.html#_type)
    has ``resource_type`` "" and one ``(type, conditions)`` pair per searched type in
    ``across``; everything else (paging, sort, includes, totals) is shared.
    """

    resource_type: str
    conditions: tuple[Condition, ...] = ()
    includes: tuple[Include, ...] = ()
    sort: tuple[SortKey, ...] = ()
    count: int = 20
    total: TotalMode | None = None
    summary: str | None = None
    elements: tuple[str, ...] = ()
    cursor: str | None = None
    issues: tuple[Issue, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    across: tuple[tuple[str, tuple[Condition, ...]], ...] = ()

    @property
    def scope(self) -> str:
        """What is searched: the type, or the searched types of a system-level search."""
        return self.resource_type or ",".join(t for t, _ in self.across)

    @property
    def count_only(self) -> bool:
        """``_summary=count``: the total alone, no entries."""
        return self.summary == "count"

    def page_params(self, cursor: str | None = None) -> list[tuple[str, str]]:
        """The query string pairs of this search's page at ``cursor`` (first page: None)."""
        pairs = list(self.params)
        return [*pairs, ("_cursor", cursor)] if cursor else pairs


def with_cursor(query: SearchQuery, cursor: str | None) -> SearchQuery:
    return replace(query, cursor=cursor)
