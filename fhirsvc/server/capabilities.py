"""``capabilities``: the CapabilityStatement, generated from what the server really does
(https://hl7.org/fhir/R4/capabilitystatement.html, https://hl7.org/fhir/R4/http.html#capabilities).

Interactions come from the route table, search parameters from the storage registry
that indexes them, operations from the operations registry, and the read-only
conformance types from :mod:`fhirsvc.server.conformance`; nothing is written by hand.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from fhirsvc import __version__
from fhirsvc.server import conformance
from fhirsvc.server.context import Context, FhirRequest, FhirResponse
from fhirsvc.server.operations import OPERATIONS, Level, Operation
from fhirsvc.storage import SearchParam, SearchRegistry

FHIR_VERSION = "4.0.1"
#: Result parameters every search takes (https://hl7.org/fhir/R4/search.html#return).
RESULT_PARAMS = ("_count", "_sort", "_include", "_revinclude", "_summary", "_elements",
                 "_total", "_has")


def capabilities(ctx: Context, req: FhirRequest) -> FhirResponse:
    """``GET [base]/metadata``."""
    statement = dict(_statement(ctx.registry, _operations_key()))
    statement["implementation"] = {"description": "fhirsvc FHIR R4 server", "url": req.base_url}
    return FhirResponse(200, statement)


def _operations_key() -> tuple[str, ...]:
    """Rebuild the statement when operations are registered after the first request."""
    return tuple(sorted(OPERATIONS))


@functools.lru_cache(maxsize=4)
def _statement(registry: SearchRegistry, operations: tuple[str, ...]) -> dict[str, Any]:
    from fhirsvc.server.routes import interactions

    type_interactions = interactions("type")
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": datetime.now(UTC).date().isoformat(),
        "publisher": "fhirsvc",
        "kind": "instance",
        "software": {"name": "fhirsvc", "version": __version__},
        "fhirVersion": FHIR_VERSION,
        "format": ["json", "xml", "application/fhir+json", "application/fhir+xml"],
        "patchFormat": ["application/json-patch+json"],
        "rest": [_without_empty({
            "mode": "server",
            "resource": sorted([*(_resource(registry, resource_type, type_interactions)
                                  for resource_type in registry.resource_types
                                  if not conformance.serves(resource_type)),
                                *(_with_operations(resource)
                                  for resource in conformance.capability_resources())],
                               key=lambda resource: str(resource["type"])),
            "interaction": [{"code": code} for code in interactions("system")
                            if code != "capabilities"],
            "searchParam": _system_params(registry),
            "operation": [_operation(OPERATIONS[name]) for name in operations
                          if Level.SYSTEM in OPERATIONS[name].levels],
        })],
    }


def _resource(registry: SearchRegistry, resource_type: str, codes: list[str]
              ) -> dict[str, Any]:
    params = registry.for_type(resource_type)
    references = sorted(code for code, p in params.items() if p.type == "reference")
    incoming = sorted(
        f"{p.resource_type}:{p.code}" for p in registry.all()
        if p.type == "reference" and (not p.targets or resource_type in p.targets)
    )
    resource: dict[str, Any] = {
        "type": resource_type,
        "profile": f"http://hl7.org/fhir/StructureDefinition/{resource_type}",
        "interaction": [{"code": code} for code in codes],
        "versioning": "versioned-update",
        "readHistory": True,
        "updateCreate": True,
        "conditionalCreate": True,
        "conditionalRead": "full-support",
        "conditionalUpdate": True,
        "conditionalDelete": "single",
        "searchInclude": ["*", *(f"{resource_type}:{code}" for code in references)],
        "searchRevInclude": incoming,
        "searchParam": [_search_param(code, param) for code, param in sorted(params.items())],
    }
    return _with_operations(resource)


def _with_operations(resource: dict[str, Any]) -> dict[str, Any]:
    """``resource`` with the type and instance level operations defined on its type."""
    resource["operation"] = [_operation(op) for op in _sorted_operations()
                             if resource["type"] in op.resource_types
                             and op.levels - {Level.SYSTEM}]
    return _without_empty(resource)


def _system_params(registry: SearchRegistry) -> list[dict[str, Any]]:
    """What a system-level search takes: ``_type``, and the parameters every type has
    (more apply when ``_type`` lists types sharing them; https://hl7.org/fhir/R4/search.html#_type)."""
    types = sorted(registry.resource_types)
    common = {code: p for code, p in registry.for_type(types[0]).items()
              if all(registry.get(t, code) is not None for t in types)}
    return [_param("_type", "token"),
            *(_search_param(code, p) for code, p in sorted(common.items()))]


def _without_empty(element: dict[str, Any]) -> dict[str, Any]:
    """R4 forbids empty arrays (ele-1): a list with nothing to say is left out."""
    return {key: value for key, value in element.items() if value != []}


def _sorted_operations() -> list[Operation]:
    return [OPERATIONS[name] for name in sorted(OPERATIONS)]


def _param(code: str, param_type: str) -> dict[str, Any]:
    return {"name": code, "type": param_type}


def _search_param(code: str, param: SearchParam) -> dict[str, Any]:
    """A search parameter with the SearchParameter it is defined by."""
    return {**_param(code, param.type), "definition": param.url}


def _operation(op: Operation) -> dict[str, Any]:
    return {"name": op.name, "definition": op.definition}
