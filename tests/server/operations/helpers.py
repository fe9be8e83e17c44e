"""Reading operation results in tests."""

from __future__ import annotations

from typing import Any

from fhirsvc.server.operations import OperationResult

BASE = "http://fhir.test/fhir"


def values(result: OperationResult) -> dict[str, Any]:
    """A Parameters result as {name: value} (the first value of each name)."""
    found: dict[str, Any] = {}
    for parameter in result.resource["parameter"]:
        value = next((v for k, v in parameter.items() if k.startswith("value")),
                     parameter.get("part"))
        found.setdefault(parameter["name"], value)
    return found
