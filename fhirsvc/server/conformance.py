"""The conformance resources fhirsvc ships in ``conformance/`` (OperationDefinitions,
StructureDefinitions, ValueSets), served read-only
from the files, never from the database: the CapabilityStatement's operation
definitions and the profiles fhirsvc's Bundles claim resolve on the server that
references them (https://hl7.org/fhir/R4/http.html#read,
https://hl7.org/fhir/R4/search.html).

``read`` and ``search-type`` (by ``_id``, ``url``, ``name``, ``status``) are all there is:
a write is 405, as is any other interaction on these types, though the storage registry
knows them (CodeSystem, with no file shipped, stays a stored type); the
CapabilityStatement lists exactly that (:func:`capability_resources`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from fhirsvc.errors import InvalidRequest, MethodNotAllowed, NotFound
from fhirsvc.outcome import Issue, Severity, operation_outcome
from fhirsvc.server.context import FhirRequest, FhirResponse

JSON = dict[str, Any]
#: Parameters a request may carry that say nothing about which resources match.
_FORMAT_PARAMS = ("_format", "_pretty")


def _token(resource: JSON, element: str, modifier: str, values: list[str]) -> bool:
    if modifier:
        raise InvalidRequest(f"The modifier :{modifier} is not supported on {element}")
    return str(resource.get(element)) in values


def _uri(resource: JSON, element: str, modifier: str, values: list[str]) -> bool:
    if modifier:
        raise InvalidRequest(f"The modifier :{modifier} is not supported on {element}")
    # a canonical URL may carry |version (https://hl7.org/fhir/R4/search.html#versions)
    return any(value.partition("|")[0] == resource.get(element)
               and value.partition("|")[2] in ("", resource.get("version")) for value in values)


def _string(resource: JSON, element: str, modifier: str, values: list[str]) -> bool:
    """R4 string matching: case-insensitive prefix, ``:exact``, ``:contains``."""
    text = str(resource.get(element) or "")
    if modifier == "exact":
        return text in values
    if modifier == "contains":
        return any(value.casefold() in text.casefold() for value in values)
    if modifier:
        raise InvalidRequest(f"The modifier :{modifier} is not supported on {element}")
    return any(text.casefold().startswith(value.casefold()) for value in values)


#: Whether a resource's element matches one of the values given, under a modifier.
Matcher = Callable[[JSON, str, str, list[str]], bool]
#: Search parameter → (its R4 type, the element it reads, how it matches).
SEARCH_PARAMS: dict[str, tuple[str, str, Matcher]] = {
    "_id": ("token", "id", _token),
    "url": ("uri", "url", _uri),
    "name": ("string", "name", _string),
    "status": ("token", "status", _token),
}
#: The SearchParameter defining each (https://hl7.org/fhir/R4/searchparameter-registry.html).
DEFINITIONS = {"_id": "http://hl7.org/fhir/SearchParameter/Resource-id"}


@functools.cache
def shipped() -> dict[str, dict[str, JSON]]:
    """Resource type → id → resource, for every JSON file in ``conformance/`` of a type
    the shipped R4 definitions describe: the patient CompartmentDefinition is left out,
    as without its definition it could not be written as XML (and $everything reads it
    as a file of its own)."""
    from fhirsvc.server.operations.codesystems import r4_spec  # loaded once, shared

    known = r4_spec().resource_types
    found: dict[str, dict[str, JSON]] = {}
    for entry in sorted(resources.files("fhirsvc.conformance").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            resource = json.loads(entry.read_text(encoding="utf-8"))
            if resource["resourceType"] in known:
                found.setdefault(resource["resourceType"], {})[resource["id"]] = resource
    return found


def serves(resource_type: str) -> bool:
    """Whether ``resource_type`` is one of the conformance types served from the files."""
    return resource_type in shipped()


def refuse(resource_type: str) -> MethodNotAllowed:
    """The 405 of any interaction but read and search on a conformance type."""
    return MethodNotAllowed(f"{resource_type} resources are this server's own conformance "
                            "resources: they can be read and searched, not written")


def read(req: FhirRequest, resource_type: str, resource_id: str) -> FhirResponse:
    """``GET [base]/[type]/[id]`` of a shipped conformance resource."""
    found = shipped()[resource_type].get(resource_id)
    if found is None:
        raise NotFound(f"{resource_type}/{resource_id} is not known")
    return FhirResponse(200, found)


def search(req: FhirRequest, resource_type: str) -> FhirResponse:
    """``GET [base]/[type]?…`` over the shipped resources of ``resource_type``: every
    parameter must hold (values of one parameter are alternatives, comma-separated)."""
    from fhirsvc.server.interactions import bundle, query_string

    criteria: list[tuple[str, str, list[str]]] = []
    used: list[tuple[str, str]] = []
    issues: list[Issue] = []
    for key, value in req.params:
        code, _, modifier = key.partition(":")
        if key in _FORMAT_PARAMS:
            continue
        if code not in SEARCH_PARAMS:
            message = f"The search parameter {key!r} is not supported on {resource_type}"
            if req.strict:
                raise InvalidRequest(message)
            issues.append(Issue(Severity.WARNING, "not-supported", f"{message}: ignored"))
            continue
        criteria.append((code, modifier, [part for part in value.split(",") if part]))
        used.append((key, value))
    matched = [resource for _, resource in sorted(shipped()[resource_type].items())
               if all(SEARCH_PARAMS[code][2](resource, SEARCH_PARAMS[code][1], modifier, values)
                      for code, modifier, values in criteria)]
    entry: list[JSON] = [{"fullUrl": f"{req.base_url}/{resource_type}/{resource['id']}",
                          "resource": resource, "search": {"mode": "match"}}
                         for resource in matched]
    if issues:
        entry.append({"resource": operation_outcome(issues), "search": {"mode": "outcome"}})
    url = f"{req.base_url}/{resource_type}"
    link = [{"relation": "self", "url": f"{url}?{query_string(used)}" if used else url}]
    return FhirResponse(200, bundle("searchset", total=len(matched), link=link, entry=entry))


def capability_resources() -> list[JSON]:
    """The CapabilityStatement's entry of each conformance type: read and search."""
    return [{
        "type": resource_type,
        "profile": f"http://hl7.org/fhir/StructureDefinition/{resource_type}",
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [_capability_param(resource_type, code) for code in sorted(SEARCH_PARAMS)],
    } for resource_type in sorted(shipped())]


def _capability_param(resource_type: str, code: str) -> JSON:
    """``url``, ``name`` and ``status`` are defined once for every conformance resource
    type in R4 (http://hl7.org/fhir/SearchParameter/conformance-url and the like)."""
    definition = DEFINITIONS.get(code, f"http://hl7.org/fhir/SearchParameter/conformance-{code}")
    return {"name": code, "type": SEARCH_PARAMS[code][0], "definition": definition}


def search_params() -> dict[str, str]:
    """Search parameter → R4 type, what :func:`search` understands."""
    return {code: kind for code, (kind, _, _) in SEARCH_PARAMS.items()}
