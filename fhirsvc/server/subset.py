"""``_summary`` and ``_elements``: returning part of a resource
(https://hl7.org/fhir/R4/search.html#summary, https://hl7.org/fhir/R4/search.html#elements).

A subset is marked with the ``SUBSETTED`` tag so that no client mistakes it for the whole
resource and writes it back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fhirsvc.errors import InvalidRequest

SUBSETTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
             "code": "SUBSETTED", "display": "Resource encoded in summary mode"}
_ALWAYS = frozenset({"resourceType", "id", "meta"})


@functools.cache
def _top_level(resource_type: str) -> tuple[frozenset[str], frozenset[str]]:
    """(summary element names, mandatory element names) of a resource type; a choice
    element is listed by its base name (``value`` for ``value[x]``)."""
    from fhirsvc.server.xml import type_model

    model = type_model()
    if resource_type not in model.types:
        return frozenset(), frozenset()
    summary: set[str] = set()
    mandatory: set[str] = set()
    definition = _definitions().get(resource_type, {})
    for name, element in model[resource_type].elements.items():
        # the flags are keyed by base path: the model's paths keep "[x]" on choices
        if definition.get(element.path.replace("[x]", ""), False):
            summary.add(name)
        if element.min > 0:
            mandatory.add(name)
    return frozenset(summary), frozenset(mandatory)


@functools.cache
def _definitions() -> dict[str, dict[str, bool]]:
    """isSummary of each top-level element path, by resource type."""
    from fhirsvc.spec import load_spec

    flags: dict[str, dict[str, bool]] = {}
    for sd in load_spec().structure_definitions.values():
        if sd.get("kind") != "resource" or sd.get("derivation") == "constraint":
            continue
        for element in sd.get("snapshot", {}).get("element", []):
            if element["path"].count(".") == 1:
                flags.setdefault(sd["type"], {})[element["path"].replace("[x]", "")] = bool(
                    element.get("isSummary"))
    return flags


def _base(key: str, names: frozenset[str]) -> str:
    """The element a JSON key belongs to: ``valueQuantity`` → ``value``, ``_gender`` →
    ``gender``."""
    key = key.lstrip("_")
    if key in names:
        return key
    for position in range(len(key) - 1, 0, -1):
        if key[position].isupper() and key[:position] in names:
            return key[:position]
    return key


def subset(resource: dict[str, Any], summary: str | None, elements: tuple[str, ...]
           ) -> dict[str, Any]:
    """``resource`` reduced as ``_summary`` / ``_elements`` ask (itself when they don't)."""
    if summary in (None, "false") and not elements:
        return resource
    resource_type = resource.get("resourceType", "")
    summary_names, mandatory = _top_level(resource_type)
    keep = _keeper(summary, elements, resource_type, summary_names, mandatory)
    names = summary_names | mandatory | {name for name in elements if "." not in name}
    reduced = {key: value for key, value in resource.items() if keep(_base(key, names))}
    meta = dict(reduced.get("meta") or {})
    meta["tag"] = [*meta.get("tag", []), SUBSETTED]
    reduced["meta"] = meta
    return {"resourceType": resource_type, **reduced}


def _keeper(summary: str | None, elements: tuple[str, ...], resource_type: str,
            summary_names: frozenset[str], mandatory: frozenset[str]) -> Callable[[str], bool]:
    if summary == "true":
        return lambda name: name in _ALWAYS or name in summary_names
    if summary == "text":
        return lambda name: name in _ALWAYS or name == "text" or name in mandatory
    if summary == "data":
        return lambda name: name != "text"
    if summary not in (None, "false"):
        raise InvalidRequest(f"_summary={summary} cannot be applied to a resource")
    wanted = {name.removeprefix(f"{resource_type}.") for name in elements}
    return lambda name: name in _ALWAYS or name in wanted or name in mandatory
