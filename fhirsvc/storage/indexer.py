"""Resource JSON → search index rows, one table per search parameter type.

Each parameter's compiled expression yields typed nodes; the functions here turn a node
into the rows R4 says the parameter type matches on (https://hl7.org/fhir/R4/search.html):
a CodeableConcept into one token row per coding plus its text, a HumanName into one
string row per name part, a Period into one date range, a Reference into its target,
and so on. Composite parameters write each component's rows with a group number so a
search can require the parts to come from the same component.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from fhirsvc.storage.fhirpath import Node
from fhirsvc.storage.registry import SearchParam
from fhirsvc.storage.ucum import canonical
from fhirsvc.storage.values import MAX_MICROS, MIN_MICROS, date_range, normalize_text, soundex

#: Rows per table, each row starting with (slot, group); the store adds (p, rid).
IndexRows = dict[str, set[tuple[Any, ...]]]
#: The longest normalised string kept in the string index (B-tree entries must stay small).
MAX_INDEXED_STRING = 255
_QUANTITY_TYPES = frozenset({"Quantity", "Age", "Duration", "Distance", "Count",
                             "SimpleQuantity", "MoneyQuantity"})
_NAME_PARTS = ("family", "given", "prefix", "suffix", "text")
UCUM = "http://unitsofmeasure.org"
_ADDRESS_PARTS = ("line", "city", "district", "state", "postalCode", "country", "text")


def index_resource(resource: dict[str, Any], params: Iterable[SearchParam]) -> IndexRows:
    """Every index row for ``resource`` under ``params`` (its type's parameters)."""
    rows: IndexRows = {}
    root: list[Node] = [(resource, resource["resourceType"])]
    for param in params:
        if param.evaluate is None:
            continue
        nodes = param.evaluate(root)
        if not nodes:
            continue
        if param.components:
            _add_composite(rows, param, nodes)
        else:
            _add(rows, param.type, param.code, 0, nodes, param)
    return rows


def _add_composite(rows: IndexRows, param: SearchParam, nodes: list[Node]) -> None:
    for group, node in enumerate(nodes, start=1):
        parts = [component.evaluate([node]) for component in param.components]
        if not all(parts):
            continue  # a composite matches only when every component has a value
        for component, values in zip(param.components, parts, strict=True):
            _add(rows, component.type, component.slot, group, values, param)


class Extra(NamedTuple):
    """A row an extractor sends to another table or slot (``slot`` "" keeps the slot):
    a Reference's identifier for ``:identifier``, an Identifier's type for ``:of-type``."""

    table: str
    slot: str
    values: tuple[Any, ...]


def _add(rows: IndexRows, kind: str, slot: str, group: int, nodes: list[Node],
         param: SearchParam) -> None:
    extract = _EXTRACTORS[kind]
    target = rows.setdefault(kind, set())
    for value, type_name in _unwrap_extensions(nodes):
        for row in extract(value, type_name, param):
            if isinstance(row, Extra):
                rows.setdefault(row.table, set()).add((row.slot or slot, group, *row.values))
            else:
                target.add((slot, group, *row))


def _unwrap_extensions(nodes: list[Node]) -> Iterator[Node]:
    for value, type_name in nodes:
        if type_name == "Extension" and isinstance(value, dict):
            for key, inner in value.items():
                if key.startswith("value") and len(key) > 5:
                    yield inner, key[5].lower() + key[6:]
        else:
            yield value, type_name


# ------------------------------------------------------------------------------ token

def _tokens(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    if type_name == "CodeableConcept":
        for coding in value.get("coding", ()):
            yield from _tokens(coding, "Coding", param)
        if value.get("text"):
            yield None, None, _text(value["text"])
    elif type_name == "Coding":
        if value.get("code") is not None or value.get("display"):
            yield value.get("system"), value.get("code"), _text(value.get("display"))
    elif type_name == "Identifier":
        if value.get("value") is not None:
            yield value.get("system"), value["value"], _text(value.get("type", {}).get("text"))
            if param.of_type:
                for coding in value.get("type", {}).get("coding", ()):
                    yield Extra("token", param.of_type_slot, (
                        coding.get("system"), f"{coding.get('code')}|{value['value']}", None))
    elif type_name == "ContactPoint":
        if value.get("value") is not None:
            yield value.get("system"), value["value"], None
    elif isinstance(value, bool):
        yield None, "true" if value else "false", None
    elif isinstance(value, str | int):
        yield param.implied_system, str(value), None


def _text(text: Any) -> str | None:
    return normalize_text(text)[:MAX_INDEXED_STRING] if isinstance(text, str) and text else None


# ----------------------------------------------------------------------------- string

def _strings(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    for text in _string_parts(value, type_name):
        if not isinstance(text, str) or not text.strip():
            continue
        if param.phonetic:
            yield from ((key, text) for key in map(soundex, text.split()) if key)
        else:
            yield normalize_text(text)[:MAX_INDEXED_STRING], text


def _string_parts(value: Any, type_name: str) -> Iterator[Any]:
    if isinstance(value, str):
        yield value
    elif type_name == "HumanName":
        yield from _parts(value, _NAME_PARTS)
    elif type_name == "Address":
        yield from _parts(value, _ADDRESS_PARTS)
    elif type_name == "CodeableConcept":
        yield value.get("text")
        yield from (coding.get("display") for coding in value.get("coding", ()))
    elif isinstance(value, dict):
        yield from (value.get(key) for key in ("display", "text", "value", "title"))


def _parts(value: dict[str, Any], keys: tuple[str, ...]) -> Iterator[Any]:
    for key in keys:
        part = value.get(key)
        if isinstance(part, list):
            yield from part
        else:
            yield part


# ------------------------------------------------------------------------------- date

def _dates(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    try:
        if isinstance(value, str):
            yield date_range(value)
        elif type_name == "Period":
            yield _period(value)
        elif type_name == "Timing":
            yield from _timing(value)
    except ValueError:
        return  # an unparseable date is the validator's business; it is simply not indexed


def _period(value: dict[str, Any]) -> tuple[int, int]:
    low = date_range(value["start"])[0] if value.get("start") else MIN_MICROS
    high = date_range(value["end"])[1] if value.get("end") else MAX_MICROS
    return low, high


def _timing(value: dict[str, Any]) -> Iterator[tuple[int, int]]:
    events = [date_range(event) for event in value.get("event", ())]
    if events:
        yield min(low for low, _ in events), max(high for _, high in events)
    bounds = value.get("repeat", {}).get("boundsPeriod")
    if bounds:
        yield _period(bounds)


# -------------------------------------------------------------------------- reference

def parse_reference(literal: str) -> tuple[str | None, str | None, str | None]:
    """``Patient/1`` → (Patient, 1, None); ``http://x/fhir/Patient/1`` → (Patient, 1, url).

    Anything else (``urn:uuid:…``, a canonical URL) → (None, None, literal); a contained
    reference ``#x`` → (None, None, None).
    """
    if literal.startswith("#"):
        return None, None, None
    base = literal.split("/_history/", 1)[0]
    absolute = "://" in base or base.startswith("urn:")
    parts = base.split("/")
    if len(parts) >= 2 and parts[-2][:1].isupper() and parts[-2].isalpha() and parts[-1]:
        return parts[-2], parts[-1], base if absolute else None
    return None, None, literal.split("|", 1)[0]


def _references(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):  # canonical or uri
        yield None, None, value.split("|", 1)[0]
        return
    literal = value.get("reference")
    if isinstance(literal, str):
        target_type, target_id, url = parse_reference(literal)
        if target_id or url:
            yield target_type, target_id, url
    identifier = value.get("identifier")
    if isinstance(identifier, dict) and identifier.get("value") is not None:
        yield Extra("token", "", (identifier.get("system"), identifier["value"], None))


# --------------------------------------------------------------- quantity, number, uri

def _decimal(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(Decimal(str(value)))
    except InvalidOperation:
        return None


def _quantities(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    """(system, code, unit, low, high, canonical code, canonical low, canonical high)."""
    if type_name in _QUANTITY_TYPES or type_name == "Money":
        number = _decimal(value.get("value"))
        if number is not None:
            currency = "urn:iso:std:iso:4217" if "currency" in value else None
            system = value.get("system") or currency
            code = value.get("code") or value.get("currency")
            yield (system, code, value.get("unit"), number, number,
                   *_canonical(system, code, number, number))
    elif type_name == "Range":
        low, high = value.get("low", {}), value.get("high", {})
        unit_source = low or high
        low_value, high_value = _decimal(low.get("value")), _decimal(high.get("value"))
        if low_value is not None or high_value is not None:
            bottom = low_value if low_value is not None else float("-inf")
            top = high_value if high_value is not None else float("inf")
            system, code = unit_source.get("system"), unit_source.get("code")
            yield (system, code, unit_source.get("unit"), bottom, top,
                   *_canonical(system, code, bottom, top))


def _canonical(system: str | None, code: str | None, low: float, high: float
               ) -> tuple[str | None, float | None, float | None]:
    """The UCUM base-unit form of a value range, when the unit has one."""
    if system != UCUM or not code:
        return None, None, None
    bottom, top = canonical(low, code), canonical(high, code)
    if bottom is None or top is None:
        return None, None, None
    return bottom[1], bottom[0], top[0]


def _numbers(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    number = _decimal(value)
    if number is not None:
        yield number, number
    elif type_name == "Range" or type_name in _QUANTITY_TYPES:
        for row in _quantities(value, type_name, param):
            yield row[3], row[4]


def _uris(value: Any, type_name: str, param: SearchParam) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield (value,)


_EXTRACTORS: dict[str, Callable[[Any, str, SearchParam], Iterator[tuple[Any, ...]]]] = {
    "token": _tokens, "string": _strings, "date": _dates, "reference": _references,
    "quantity": _quantities, "number": _numbers, "uri": _uris,
}
