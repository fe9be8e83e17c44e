"""``Patient/[id]/$everything``: the patient's record, as paged searchset Bundles; and
``Patient/$everything``: every patient's record in turn, with the same inputs.

What belongs to a patient is R4's Patient compartment
(``conformance/CompartmentDefinition-patient.json``, the standard definition): for each
resource type fhirsvc stores, the search parameters that put a resource in the
compartment (Condition.patient, Observation.subject and .performer, …). After the
compartment come, as ``include`` entries, the record's evidence: the Provenance resources
that target its resources and the DocumentReferences they or the record refer to (the
source document of a converted case report), those outside the compartment, ordered by
reference. The pages of one call list every resource once: evidence shared by many
facts is not repeated on each of their pages.

Inputs: ``_count`` (page size), ``_since`` (changed at or after), ``_type`` (only these
types), ``start``/``end`` (care dates, through each type's clinical date parameter; a
resource without one is left out when a range is asked for). The ``next`` link repeats
the call with a ``_cursor`` that continues type by type through the store's own keyset
cursors, then through the evidence by reference, so pages neither repeat nor skip
resources while the record changes; at type
level the cursor also holds the patient being walked and the Patient search cursor after
it, so no patient is walked twice and patients stored meanwhile are reached, even while
the walk is in what was the last patient's record.
See https://hl7.org/fhir/R4/patient-operation-everything.html.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fhirsvc.errors import FhirError, Gone, InvalidRequest, NotFound
from fhirsvc.server.interactions import bundle
from fhirsvc.server.operations import (
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
    register,
)
from fhirsvc.server.operations.params import Inputs
from fhirsvc.storage import (
    ResourceStore,
    SearchRegistry,
    StoredResource,
    default_registry,
    iter_pages,
    parse_search,
)
from fhirsvc.storage.search import parse_types
from fhirsvc.storage.search.cursor import pack, unpack
from fhirsvc.storage.search.result import SearchResult
from fhirsvc.terminology.systems import FHIRSVC_OPERATION_DEFINITION

DEFAULT_COUNT = 100
MAX_COUNT = 1000
#: References per ``Provenance?target=`` search when gathering a record's evidence.
TARGETS_PER_SEARCH = 100
#: The clinical ("care") date parameter of each type, for ``start``/``end``.
CARE_DATES = {
    "Condition": "onset-date",
    "Procedure": "date",
    "Observation": "date",
    "MedicationAdministration": "effective-time",
    "DocumentReference": "period",
    "Encounter": "date",
}


@functools.cache
def _compartment_definition() -> dict[str, Any]:
    text = resources.files("fhirsvc.conformance").joinpath(
        "CompartmentDefinition-patient.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def compartment(registry: SearchRegistry) -> dict[str, tuple[str, ...]]:
    """Resource type → the parameters placing it in a patient's compartment, for the
    types ``registry`` indexes (in the definition's order)."""
    found: dict[str, tuple[str, ...]] = {}
    for entry in _compartment_definition()["resource"]:
        params = tuple(p for p in entry.get("param", []) if registry.get(entry["code"], p))
        if params:
            found[entry["code"]] = params
    return found


@dataclass(frozen=True)
class Stream:
    """One search of the record: resources of ``type`` whose ``param`` is the patient."""

    type: str
    param: str


def streams(registry: SearchRegistry, types: frozenset[str] | None) -> list[Stream]:
    """The patient first, then each compartment (type, parameter), in a fixed order."""
    found = [Stream("Patient", "_id")]
    for resource_type, params in compartment(registry).items():
        found += [Stream(resource_type, param) for param in params]
    return [s for s in found if types is None or s.type in types]


def _unpack(text: str, length: int) -> list[Any]:
    """The ``length`` values :func:`pack` wrote, or a 400 for any other text."""
    values = unpack(text)
    if len(values) != length:
        raise InvalidRequest(f"_cursor {text!r} is not a cursor this server issued")
    return values


@dataclass(frozen=True)
class Position:
    """Where a page starts: the stream and the store's cursor inside it; past the last
    stream, in the evidence, after the reference ``inner``."""

    stream: int = 0
    inner: str | None = None

    def encode(self, patient_id: str) -> str:
        return pack([patient_id, self.stream, self.inner])

    @classmethod
    def decode(cls, text: str | None, patient_id: str) -> Position:
        if not text:
            return cls()
        found_id, stream, inner = _unpack(text, 3)
        if found_id != patient_id or not isinstance(stream, int) or stream < 0:
            raise InvalidRequest("_cursor belongs to another $everything call")
        return cls(stream, inner if isinstance(inner, str) else None)


@dataclass(frozen=True)
class Filters:
    since: str | None
    start: str | None
    end: str | None

    def pairs(self, resource_type: str) -> list[tuple[str, str]]:
        found = [("_lastUpdated", f"ge{self.since}")] if self.since else []
        care = CARE_DATES.get(resource_type)
        if care and self.start:
            found.append((care, f"ge{self.start}"))
        if care and self.end:
            found.append((care, f"le{self.end}"))
        return found


@dataclass(frozen=True)
class Scope:
    """What a call's records have in common: the store, the inputs, the streams to walk."""

    store: ResourceStore
    registry: SearchRegistry
    filters: Filters
    types: frozenset[str] | None
    streams: list[Stream]

    @classmethod
    def of(cls, services: Services, inputs: Inputs) -> Scope:
        """Refuses an unknown ``_type`` (400) before any record is read."""
        registry: SearchRegistry = getattr(services.store, "registry", None) \
            or default_registry()
        types = _types(inputs.first("_type"), registry)
        return cls(services.store, registry,
                   Filters(inputs.first("_since"), inputs.first("start"), inputs.first("end")),
                   types, streams(registry, types))


class Record:
    """One patient's $everything, page by page."""

    def __init__(self, scope: Scope, patient_id: str) -> None:
        self.scope = scope
        self.patient_id = patient_id
        self.reference = f"Patient/{patient_id}"

    def search(self, resource_type: str, pairs: list[tuple[str, str]]) -> SearchResult:
        return self.scope.store.search(parse_search(
            resource_type, pairs, registry=self.scope.registry, max_count=MAX_COUNT))

    def page(self, position: Position, count: int) -> tuple[list[StoredResource],
                                                             list[StoredResource],
                                                             Position | None]:
        """Up to ``count`` resources from ``position``: compartment resources, then
        evidence (:meth:`evidence`); and the next position.

        An unknown or deleted patient is a 404 or 410 before anything is found. When the
        page starts with the patient's own stream, a match there proves the patient is
        stored, so the patient is read only when that search finds nothing or the page
        starts later in the record."""
        found, following = self._compartment_page(position, count)
        if following is None or following.stream < len(self.scope.streams):
            return found, [], following
        evidence = [e for e in self.evidence()
                    if following.inner is None or e.reference > following.inner]
        room = count - len(found)
        if len(evidence) <= room:
            return found, evidence, None
        return found, evidence[:room], Position(following.stream, evidence[room - 1].reference
                                                if room else following.inner)

    def _compartment_page(self, position: Position, count: int
                          ) -> tuple[list[StoredResource], Position | None]:
        """Up to ``count`` compartment resources from ``position``, and the next position
        (past the last stream once the compartment is done)."""
        found: list[StoredResource] = []
        index, inner = position.stream, position.inner
        if not self._starts_with_patient(index, inner):
            self.scope.store.read("Patient", self.patient_id)
        while index < len(self.scope.streams) and len(found) < count:
            stream = self.scope.streams[index]
            value = self.patient_id if stream.param == "_id" else self.reference
            pairs = [(stream.param, value), *self.scope.filters.pairs(stream.type),
                     ("_count", str(count - len(found)))]
            result = self.search(stream.type, pairs + ([("_cursor", inner)] if inner else []))
            if stream.param == "_id" and not result.matches:
                # absent, or only filtered out
                self.scope.store.read("Patient", self.patient_id)
            found += self._not_seen_earlier(index, result.matches)
            if result.next_cursor:
                return found, Position(index, result.next_cursor)
            index, inner = index + 1, None
        # ``inner`` is None unless no stream was read: then it is the evidence cursor
        return found, Position(index, inner) if index <= len(self.scope.streams) else None

    def _starts_with_patient(self, index: int, inner: str | None) -> bool:
        return inner is None and index < len(self.scope.streams) \
            and self.scope.streams[index].param == "_id"

    def _not_seen_earlier(self, index: int, matches: list[StoredResource]) -> list[StoredResource]:
        """Drop resources an earlier stream of the same type already returned (a resource
        whose subject and performer are both the patient is listed once)."""
        stream = self.scope.streams[index]
        earlier = [s.param for s in self.scope.streams[:index] if s.type == stream.type]
        if not earlier or not matches:
            return matches
        ids = ",".join(m.id for m in matches)
        seen: set[str] = set()
        for param in earlier:
            pairs = [("_id", ids), (param, self.reference),
                     *self.scope.filters.pairs(stream.type),
                     ("_count", str(len(matches)))]
            seen |= {m.id for m in self.search(stream.type, pairs).matches}
        return [m for m in matches if m.id not in seen]

    def whole(self) -> dict[str, StoredResource]:
        """Every compartment resource the call selects, by reference."""
        found: dict[str, StoredResource] = {}
        for stream in self.scope.streams:
            value = self.patient_id if stream.param == "_id" else self.reference
            found.update((m.reference, m) for m in self._every(
                stream.type, [(stream.param, value), *self.scope.filters.pairs(stream.type)]))
        return found

    def _every(self, resource_type: str, pairs: list[tuple[str, str]]
               ) -> Iterator[StoredResource]:
        query = parse_search(resource_type, [*pairs, ("_count", str(MAX_COUNT))],
                             registry=self.scope.registry, max_count=MAX_COUNT)
        for page in iter_pages(self.scope.store, query):
            yield from page.matches

    def evidence(self) -> list[StoredResource]:
        """Provenance targeting the record's resources and DocumentReferences the record
        or that Provenance cite, those not in the record themselves, ordered by reference:
        the tail of the walk, so each is listed once however many facts it backs. Read
        whole on each page that reaches it (a case report's record is small)."""
        record = self.whole()
        included: dict[str, StoredResource] = {}
        targets = sorted(ref for ref, m in record.items() if m.resource_type != "Provenance")
        if self._wanted("Provenance"):
            for start in range(0, len(targets), TARGETS_PER_SEARCH):
                chunk = ",".join(targets[start:start + TARGETS_PER_SEARCH])
                included.update((p.reference, p) for p in self._every(
                    "Provenance", [("target", chunk)]) if p.reference not in record)
        if self._wanted("DocumentReference"):
            cited = {ref for m in [*record.values(), *included.values()]
                     for ref in _references(m.resource) if ref.startswith("DocumentReference/")}
            for ref in sorted(cited - set(record) - set(included)):
                document = self._read(ref)
                if document is not None:
                    included[ref] = document
        return [included[ref] for ref in sorted(included)]

    def _wanted(self, resource_type: str) -> bool:
        return self.scope.types is None or resource_type in self.scope.types

    def _read(self, reference: str) -> StoredResource | None:
        resource_type, _, resource_id = reference.partition("/")
        try:
            return self.scope.store.read(resource_type, resource_id)
        except FhirError:
            return None  # a dangling reference is the referrer's problem, not this page's


def _types(text: str | None, registry: SearchRegistry) -> frozenset[str] | None:
    return frozenset(parse_types([text], registry)) if text else None


def _references(value: Any) -> Iterator[str]:
    """Every literal relative reference (``Type/id``) inside a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str) and item.count("/") == 1:
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


@dataclass(frozen=True)
class RosterPosition:
    """Where a page of the type-level call starts: the patient being walked, the
    Patient search cursor after it, and the position in its record."""

    patient: str | None = None
    after: str | None = None
    inner: Position = Position()

    def encode(self) -> str:
        return pack([self.patient, self.after, self.inner.stream, self.inner.inner])

    @classmethod
    def decode(cls, text: str | None) -> RosterPosition:
        if not text:
            return cls()
        patient, after, stream, inner = _unpack(text, 4)
        if not isinstance(patient, str) or not isinstance(stream, int) or stream < 0:
            raise InvalidRequest("_cursor belongs to another $everything call")
        return cls(patient, after if isinstance(after, str) else None,
                   Position(stream, inner if isinstance(inner, str) else None))


class Roster:
    """``Patient/$everything``: every patient's record in turn, patients in the store's
    order, each record walked as the instance-level call walks it."""

    def __init__(self, services: Services, inputs: Inputs) -> None:
        self.scope = Scope.of(services, inputs)

    def _patient_after(self, cursor: str | None) -> tuple[str | None, str | None]:
        """The next patient (None when there is none) and the cursor after it."""
        pairs = [("_count", "1"), *([("_cursor", cursor)] if cursor else [])]
        result = self.scope.store.search(parse_search("Patient", pairs,
                                                      registry=self.scope.registry))
        if not result.matches:
            return None, None
        return result.matches[0].id, result.end_cursor

    def page(self, position: RosterPosition, count: int
             ) -> tuple[list[StoredResource], list[StoredResource], RosterPosition | None]:
        """Up to ``count`` resources from ``position`` (compartment resources and
        evidence), and where the next page starts (None after the last patient)."""
        patient, after, inner = position.patient, position.after, position.inner
        if patient is None:
            patient, after = self._patient_after(None)
        found: dict[str, StoredResource] = {}
        evidence: dict[str, StoredResource] = {}
        while patient is not None and len(found) + len(evidence) < count:
            record = Record(self.scope, patient)
            try:
                page, included, following = record.page(
                    inner, count - len(found) - len(evidence))
            except (NotFound, Gone):  # deleted since the previous page: nothing left of it
                page, included, following = [], [], None
            found.update((m.reference, m) for m in page if m.reference not in found)
            evidence.update((m.reference, m) for m in included if m.reference not in found)
            if following is not None:
                return (list(found.values()), list(evidence.values()),
                        RosterPosition(patient, after, following))
            # no ``after``: a cursor an earlier release issued on its last patient
            patient, after = self._patient_after(after) if after else (None, None)
            inner = Position()
        return list(found.values()), list(evidence.values()), (
            RosterPosition(patient, after) if patient is not None else None)


def everything(call: OperationCall, services: Services) -> OperationResult:
    """``Patient/[id]/$everything`` and, at type level, ``Patient/$everything``."""
    inputs = Inputs.of(call)
    count = inputs.integer("_count", DEFAULT_COUNT, minimum=1, maximum=MAX_COUNT)
    cursor = inputs.first("_cursor")
    following: str | None
    if call.resource_id is not None:
        record = Record(Scope.of(services, inputs), call.resource_id)
        page, included, position = record.page(Position.decode(cursor, call.resource_id),
                                               count)
        following = position.encode(call.resource_id) if position is not None else None
        url = f"{call.base_url}/Patient/{call.resource_id}/$everything"
    else:
        roster = Roster(services, inputs)
        page, included, after = roster.page(RosterPosition.decode(cursor), count)
        following = after.encode() if after is not None else None
        url = f"{call.base_url}/Patient/$everything"
    kept = [(name, value) for name, value in call.params if name != "_cursor"]
    links = [{"relation": "self", "url": _link(url, call.params)}]
    if following is not None:
        links.append({"relation": "next", "url": _link(url, [*kept, ("_cursor", following)])})
    entries = ([_entry(call.base_url, m, "match") for m in page]
               + [_entry(call.base_url, m, "include") for m in included])
    return OperationResult(bundle("searchset", link=links, entry=entries))


def _link(url: str, pairs: Mapping[str, str] | list[tuple[str, str]] | tuple[tuple[str, str],
                                                                                ...]) -> str:
    query = urlencode(list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs))
    return f"{url}?{query}" if query else url


def _entry(base_url: str, stored: StoredResource, mode: str) -> dict[str, Any]:
    return {"fullUrl": f"{base_url}/{stored.reference}", "resource": stored.resource,
            "search": {"mode": mode}}


OPERATION = register(Operation(
    name="everything",
    definition=f"{FHIRSVC_OPERATION_DEFINITION}/Patient-everything",
    levels=frozenset({Level.INSTANCE, Level.TYPE}),
    resource_types=frozenset({"Patient"}),
    affects_state=False,
    handler=everything,
))
