"""Building blocks every mapper shares: codeable concepts, quantities, references, spans.

The mappers write plain ``dict`` JSON, keys in the order R4 lists the elements
(https://hl7.org/fhir/R4/json.html), so the same facts always serialise to the same
bytes. Numbers are JSON numbers: a :class:`~decimal.Decimal` becomes an ``int`` when
it is whole and a ``float`` otherwise (trailing zeros are not kept).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple

from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import Coding, Quantity, Span, When
from fhirsvc.terminology import systems

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Ref:
    """A resource this Bundle holds: its type and id (``urn:uuid:<id>`` is its fullUrl)."""

    type: str
    id: str

    @property
    def full_url(self) -> str:
        return f"urn:uuid:{self.id}"

    def reference(self, display: str | None = None) -> JSON:
        """A Reference resolving inside the Bundle; a server rewrites it to ``Type/id``
        when it processes the transaction (https://hl7.org/fhir/R4/bundle.html#references)."""
        out: JSON = {"reference": f"urn:uuid:{self.id}"}
        if display:
            out["display"] = display
        return out


_SPACES = re.compile(r"\s+")


def words(text: str) -> str:
    """Words from the report as an R4 string: the characters as written, except that
    runs of whitespace and invisible or control characters (R4 strings should hold no
    control characters, https://hl7.org/fhir/R4/datatypes.html#string) read as one space."""
    if text.isascii() and text.isprintable():
        return text.strip()
    visible = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return _SPACES.sub(" ", visible).strip()


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def coding(c: Coding) -> JSON:
    """A Coding with its display (left out when fhirsvc has no verified display for it)."""
    out: JSON = {"system": c.system, "code": c.code}
    if c.display:
        out["display"] = c.display
    return out


def concept(codings: Iterable[Coding] = (), text: str | None = None) -> JSON:
    """A CodeableConcept: codings with their displays, and ``text`` as written."""
    out: JSON = {}
    listed = [coding(c) for c in codings]
    if listed:
        out["coding"] = listed
    said = words(text) if text else ""
    if said:
        out["text"] = said
    return out


def hl7_concept(system: str, code: str, display: str) -> JSON:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def quantity(q: Quantity, *, simple: bool = False) -> JSON:
    """A Quantity in UCUM when the unit is known in UCUM; ``simple`` drops the comparator
    (SimpleQuantity, https://hl7.org/fhir/R4/datatypes.html#SimpleQuantity)."""
    out: JSON = {"value": number(q.value)}
    if q.comparator and not simple:
        out["comparator"] = str(q.comparator)
    unit = words(q.unit_text or "") or q.ucum
    if unit:
        out["unit"] = unit
    if q.ucum:
        out["system"] = systems.UCUM
        out["code"] = q.ucum
    return out


def derivation(document: Ref, span: Span) -> JSON:
    """http://hl7.org/fhir/StructureDefinition/derivation-reference: where the words are."""
    return _derivation(f"urn:uuid:{document.id}", span.start, span.end)


def derivations(document: Ref, spans: Iterable[Span]) -> list[JSON]:
    """One derivation-reference per span, for ``spans`` that are distinct (a
    :attr:`~fhirsvc.mappers.groups.Group.spans` is); the document's reference is
    formatted once, not once per span."""
    url = f"urn:uuid:{document.id}"
    return [_derivation(url, span.start, span.end) for span in spans]


def _derivation(url: str, start: int, end: int) -> JSON:
    return {
        "url": systems.DERIVATION_REFERENCE,
        "extension": [
            {"url": "reference", "valueReference": {"reference": url}},
            {"url": "offset", "valueInteger": start},
            {"url": "length", "valueInteger": end - start},
        ],
    }


def data_absent(reason: str = "unknown") -> JSON:
    """The data-absent-reason extension (https://hl7.org/fhir/R4/extension-data-absent-reason.html)."""
    return {"url": systems.DATA_ABSENT_REASON, "valueCode": reason}


def date_time(when: When | None) -> str | None:
    """The FHIR partial date the text pins, if any (a valid R4 dateTime)."""
    return when.date if when and when.date else None


def period(when: When | None) -> JSON | None:
    """A Period when the text gives both ends of a time span."""
    if when and when.date and when.end_date:
        return {"start": when.date, "end": when.end_date}
    return None


def timed(prefix: str, when: When | None, *, text: bool) -> JSON:
    """``prefix``Period, ``prefix``DateTime, or (``text``) ``prefix``String for the
    time the text gives; empty when it gives none."""
    span = period(when)
    if span:
        return {f"{prefix}Period": span}
    date = date_time(when)
    if date:
        return {f"{prefix}DateTime": date}
    if text and when and when.relative and words(when.relative):
        return {f"{prefix}String": words(when.relative)}
    return {}


class _Placed(NamedTuple):
    """A mention's words and the resource it became; ``order``: its place in ``by_span``."""

    start: int
    end: int
    order: int
    ref: Ref


@dataclass(frozen=True, slots=True)
class Stage:
    """A stage a Condition carries (https://hl7.org/fhir/R4/condition-definitions.html#Condition.stage):
    the phrase as written ("stage 3"), its value ("3", for a stage-specific code) and the
    Observation that states it (the stage's ``assessment``)."""

    summary: str
    value: str
    assessment: Ref


@dataclass(frozen=True, slots=True)
class Scope:
    """What a mapper needs besides its facts: the source document, the patient, the
    resource each mention became (to resolve reasonReference), the stages of each
    Condition, by its id, and the Condition each stage Observation is of."""

    document: Ref
    patient: Ref
    by_span: dict[Span, Ref]
    stages: dict[str, tuple[Stage, ...]] = field(default_factory=dict)
    #: The Condition each stage Observation is of (``Observation.focus``), by its id.
    focus: dict[str, Ref] = field(default_factory=dict)
    #: ``by_span`` indexed by place: a long report has thousands of mentions, and a scan of
    #: them all for every reason looked up was quadratic in its length
    _placed: SpanIndex[_Placed] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_placed", SpanIndex(
            _Placed(s.start, s.end, n, r) for n, (s, r) in enumerate(self.by_span.items())))

    def reason(self, span: Span | None, allowed: frozenset[str]) -> list[JSON]:
        """A reasonReference list to the resource stating the words at ``span`` (the first
        in ``by_span`` whose words overlap them, when no mention has exactly those words)."""
        ref = self.resource_at(span)
        return [ref.reference()] if ref is not None and ref.type in allowed else []

    def resource_at(self, span: Span | None) -> Ref | None:
        """The resource stating the words at ``span`` (the first in ``by_span`` whose words
        overlap them, when no mention has exactly those words)."""
        if span is None:
            return None
        ref = self.by_span.get(span)
        if ref is None:
            first = min(self._placed.overlapping(span.start, span.end),
                        key=attrgetter("order"), default=None)
            ref = first.ref if first is not None else None
        return ref
