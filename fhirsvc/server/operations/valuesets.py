"""The value sets fhirsvc expands and validates codes against.

- Every R4 core ValueSet shipped in :mod:`fhirsvc.spec` whose content fhirsvc can list
  (each ``compose.include`` draws on a shipped CodeSystem, enumerates its concepts, or
  imports such a value set; see :mod:`fhirsvc.validation.valuesets`).
- One ValueSet per curated table in ``mappings/`` (conditions, laboratory tests,
  procedures, medications, units, qualitative results, routes), declared in
  ``conformance/ValueSet-fhirsvc-*.json``. Those declarations name their table with the
  ``valueset-source-table`` extension instead of enumerating codes, so a table and its
  value set cannot drift apart: the expansion is read from the loaded table.

Expansions are ordered (by system, then the code system's own order or the code) so that
``offset``/``count`` paging is stable. See https://hl7.org/fhir/R4/valueset.html.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from fhirsvc.model import Coding
from fhirsvc.server.operations.codesystems import r4_spec
from fhirsvc.terminology import systems
from fhirsvc.terminology.store import Terminology
from fhirsvc.validation.valuesets import ValueSets

JSON = dict[str, Any]


@dataclass(frozen=True)
class ShippedValueSet:
    """A value set's definition and its expansion's codings, in expansion order."""

    resource: JSON
    codings: tuple[Coding, ...]

    @property
    def url(self) -> str:
        return str(self.resource["url"])

    def find(self, system: str | None, code: str) -> Coding | None:
        """The member with ``code`` (in ``system`` when given), or None."""
        for coding in self.codings:
            if coding.code == code and (system is None or coding.system == system):
                return coding
        return None


# ------------------------------------------------------------------ curated tables

def _curated(prefix: str) -> Callable[[Terminology], Iterable[Coding]]:
    def codings(terminology: Terminology) -> Iterable[Coding]:
        for key, concept in terminology.concepts.items():
            if concept.curated and key.startswith(prefix):
                yield from concept.codings
    return codings


def _units(terminology: Terminology) -> Iterable[Coding]:
    return (Coding(systems.UCUM, code, code) for code in terminology.units.values())


#: ``valueset-source-table`` value → the codings of that table, read from the terminology.
TABLE_CODINGS: dict[str, Callable[[Terminology], Iterable[Coding]]] = {
    "conditions.tsv": _curated("cond:"),
    "lab_tests.tsv": _curated("lab:"),
    "procedures.tsv": _curated("proc:"),
    "medications.tsv": _curated("med:"),
    "units.tsv": _units,
    "results.tsv#result": lambda t: t.results.values(),
    "results.tsv#route": lambda t: t.routes.values(),
}


@functools.cache
def curated_definitions() -> tuple[JSON, ...]:
    """fhirsvc's own ValueSet declarations in ``conformance/``."""
    found = []
    for entry in sorted(resources.files("fhirsvc.conformance").iterdir(), key=lambda e: e.name):
        if entry.name.startswith("ValueSet-") and entry.name.endswith(".json"):
            found.append(json.loads(entry.read_text(encoding="utf-8")))
    return tuple(found)


def source_table(definition: JSON) -> str | None:
    for extension in definition.get("extension", []):
        if extension.get("url") == systems.VALUE_SET_SOURCE_TABLE:
            return str(extension.get("valueString"))
    return None


_CURATED_CACHE: dict[tuple[int, str], ShippedValueSet] = {}


def _curated_value_set(definition: JSON, terminology: Terminology) -> ShippedValueSet:
    key = (id(terminology), definition["url"])
    cached = _CURATED_CACHE.get(key)
    if cached is None:
        table = source_table(definition)
        if table not in TABLE_CODINGS:
            raise ValueError(f"ValueSet {definition['url']}: unknown source table {table!r}")
        unique = {(c.system, c.code): c for c in TABLE_CODINGS[table](terminology)}
        ordered = tuple(unique[k] for k in sorted(unique))
        cached = _CURATED_CACHE[key] = ShippedValueSet(definition, ordered)
    return cached


# ------------------------------------------------------------------ R4 core

@functools.cache
def _core_expander() -> ValueSets:
    return ValueSets(r4_spec())


@functools.cache
def _core_value_set(url: str) -> ShippedValueSet | None:
    spec = r4_spec()
    definition = spec.value_sets.get(url)
    members = _core_expander().expansion(url) if definition else None
    if definition is None or members is None:
        return None
    displays = _enumerated_displays(definition)
    ordered: list[tuple[tuple[str, int, str], Coding]] = []
    positions: dict[str, dict[str, int]] = {}
    for system, code in members:
        concepts = _core_expander().complete_system(system) or {}
        order = positions.setdefault(system, {c: i for i, c in enumerate(concepts)})
        display = displays.get((system, code)) or concepts.get(code, {}).get("display") or code
        ordered.append(((system, order.get(code, len(order)), code),
                        Coding(system, code, display)))
    ordered.sort(key=lambda pair: pair[0])
    return ShippedValueSet(definition, tuple(coding for _, coding in ordered))


def _enumerated_displays(definition: JSON) -> dict[tuple[str, str], str]:
    return {(include["system"], concept["code"]): concept["display"]
            for include in definition.get("compose", {}).get("include", [])
            for concept in include.get("concept", [])
            if "system" in include and "display" in concept}


# ------------------------------------------------------------------ lookup

def find_value_set(url: str, terminology: Terminology) -> ShippedValueSet | None:
    """The shipped value set with canonical ``url`` (a ``|version`` suffix is ignored)."""
    url = url.split("|")[0]
    for definition in curated_definitions():
        if definition["url"] == url:
            return _curated_value_set(definition, terminology)
    return _core_value_set(url)


def find_value_set_by_id(value_set_id: str, terminology: Terminology) -> ShippedValueSet | None:
    """The shipped value set whose logical id is ``value_set_id`` (instance-level calls)."""
    for definition in curated_definitions():
        if definition.get("id") == value_set_id:
            return _curated_value_set(definition, terminology)
    url = _core_ids().get(value_set_id)
    return _core_value_set(url) if url else None


@functools.cache
def _core_ids() -> dict[str, str]:
    return {vs["id"]: url for url, vs in r4_spec().value_sets.items() if "id" in vs}
