"""``ValueSet/$expand``: list the codes of a value set fhirsvc ships, filtered and paged.

Type level with ``url`` (``ValueSet/$expand?url=…``) or instance level by the value
set's id (``ValueSet/fhirsvc-conditions/$expand``); ``filter`` keeps codes whose code
or display contains the text (case-insensitive), ``offset`` and ``count`` page through
the result. The expansion carries ``total`` and echoes the parameters used.
See https://hl7.org/fhir/R4/valueset-operation-expand.html.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fhirsvc.errors import InvalidRequest, NotFound
from fhirsvc.server.operations import (
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
    register,
)
from fhirsvc.server.operations.params import Inputs, part
from fhirsvc.server.operations.valuesets import (
    ShippedValueSet,
    find_value_set,
    find_value_set_by_id,
)
from fhirsvc.terminology.systems import FHIRSVC_OPERATION_DEFINITION

#: Largest page one request returns (a client pages with offset beyond it).
MAX_COUNT = 1000
_DEFINITION_KEYS = ("url", "version", "name", "title", "status", "experimental",
                    "publisher", "description")


def shipped_value_set(call: OperationCall, inputs: Inputs, services: Services) -> ShippedValueSet:
    """The value set a call names: by instance id, or by the ``url`` parameter."""
    terminology = services.terminology()
    if inputs.all("valueSet"):
        raise InvalidRequest("This server expands the value sets it ships; "
                             "name one by 'url' instead of posting 'valueSet'")
    if call.resource_id is not None:
        found = find_value_set_by_id(call.resource_id, terminology)
        if found is None:
            raise NotFound(f"ValueSet/{call.resource_id} is not known to this server")
        return found
    url = inputs.first("url")
    if not url:
        raise InvalidRequest(f"${call.name} needs the parameter 'url' "
                             f"(or ValueSet/[id]/${call.name})")
    found = find_value_set(url, terminology)
    if found is None:
        raise NotFound(f"ValueSet {url} is not known to this server, or cannot be expanded")
    return found


def expand(call: OperationCall, services: Services) -> OperationResult:
    inputs = Inputs.of(call)
    value_set = shipped_value_set(call, inputs, services)
    text = (inputs.first("filter") or "").strip().lower()
    offset = inputs.integer("offset", 0)
    count = inputs.integer("count", MAX_COUNT, maximum=MAX_COUNT)
    matches = [c for c in value_set.codings
               if not text or text in c.code.lower() or text in c.display.lower()]
    used: list[dict[str, Any] | None] = [
        part("filter", "string", text or None),
        part("offset", "integer", offset),
        part("count", "integer", count),
    ]
    expansion = {
        "identifier": f"urn:uuid:{_expansion_id(value_set, text)}",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "total": len(matches),
        "offset": offset,
        "parameter": [p for p in used if p is not None],
        "contains": [{"system": c.system, "code": c.code, "display": c.display}
                     for c in matches[offset:offset + count]],
    }
    resource = {"resourceType": "ValueSet",
                **({"id": value_set.resource["id"]} if "id" in value_set.resource else {}),
                **{k: value_set.resource[k] for k in _DEFINITION_KEYS if k in value_set.resource},
                "expansion": expansion}
    if not expansion["contains"]:
        del expansion["contains"]
    return OperationResult(resource)


def _expansion_id(value_set: ShippedValueSet, text: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{value_set.url}?filter={text}"))


OPERATION = register(Operation(
    name="expand",
    definition=f"{FHIRSVC_OPERATION_DEFINITION}/ValueSet-expand",
    levels=frozenset({Level.TYPE, Level.INSTANCE}),
    resource_types=frozenset({"ValueSet"}),
    affects_state=False,
    handler=expand,
))
