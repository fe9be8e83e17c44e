"""Expansion of the shipped R4 ValueSets from the shipped CodeSystems, done once.

A ValueSet is expandable when every ``compose.include`` names a code system fhirsvc
ships in full (or lists its concepts) or another expandable ValueSet; ``is-a`` and
``descendent-of`` filters follow the code system's hierarchy. Value sets drawing on
external terminologies (SNOMED CT, LOINC, UCUM …) are not expandable here and their
bindings are left to :class:`~fhirsvc.validation.bindings.CodeLookup`.
See https://hl7.org/fhir/R4/valueset.html#compositions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fhirsvc.spec import R4Spec

JSON = dict[str, Any]
Codes = frozenset[tuple[str, str]]  # (system, code)


class ValueSets:
    """Expanded value sets by canonical URL (None when not expandable)."""

    def __init__(self, spec: R4Spec) -> None:
        self._spec = spec
        self._systems = {url: _concepts(cs) for url, cs in spec.code_systems.items()
                         if cs.get("content") == "complete"}
        self._expanded: dict[str, Codes | None] = {}
        for url in spec.value_sets:
            self.expansion(url)

    def expansion(self, url: str) -> Codes | None:
        if url not in self._expanded:
            self._expanded[url] = None  # guards against include cycles
            value_set = self._spec.value_sets.get(url)
            self._expanded[url] = self._expand(value_set) if value_set else None
        return self._expanded[url]

    def complete_system(self, system: str) -> Mapping[str, JSON] | None:
        """All concepts of a code system shipped in full, by code."""
        return self._systems.get(system)

    def _expand(self, value_set: JSON) -> Codes | None:
        compose = value_set.get("compose", {})
        included: set[tuple[str, str]] = set()
        for include in compose.get("include", []):
            codes = self._part(include)
            if codes is None:
                return None
            included |= codes
        for exclude in compose.get("exclude", []):
            codes = self._part(exclude)
            if codes is None:
                return None
            included -= codes
        return frozenset(included)

    def _part(self, part: JSON) -> set[tuple[str, str]] | None:
        result: set[tuple[str, str]] | None = None
        system = part.get("system")
        if system is not None:
            result = self._from_system(system, part)
            if result is None:
                return None
        for url in part.get("valueSet", []):
            nested = self.expansion(url.split("|")[0])
            if nested is None:
                return None
            result = set(nested) if result is None else result & nested
        return result if result is not None else set()

    def _from_system(self, system: str, part: JSON) -> set[tuple[str, str]] | None:
        if "concept" in part:
            return {(system, c["code"]) for c in part["concept"]}
        concepts = self._systems.get(system)
        if concepts is None:
            return None
        codes = set(concepts)
        for rule in part.get("filter", []):
            selected = _filter(self._spec.code_systems[system], rule)
            if selected is None:
                return None
            codes &= selected
        return {(system, code) for code in codes}


def _concepts(code_system: JSON) -> dict[str, JSON]:
    return {c["code"]: c for c in _walk(code_system.get("concept", []))}


def _walk(concepts: list[JSON]) -> Iterator[JSON]:
    for concept in concepts:
        yield concept
        yield from _walk(concept.get("concept", []))


def _filter(code_system: JSON, rule: JSON) -> set[str] | None:
    if rule.get("property") != "concept" or rule.get("op") not in ("is-a", "descendent-of"):
        return None
    for concept in _walk(code_system.get("concept", [])):
        if concept["code"] == rule["value"]:
            below = {c["code"] for c in _walk(concept.get("concept", []))}
            return below | {concept["code"]} if rule["op"] == "is-a" else below
    return set()
