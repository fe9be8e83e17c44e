"""Each registered operation is described by a valid OperationDefinition in conformance/."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from fhirsvc.server.operations import OPERATIONS, Level


def shipped_definitions() -> dict[str, dict]:
    found = {}
    for entry in resources.files("fhirsvc.conformance").iterdir():
        if entry.name.startswith("OperationDefinition-"):
            definition = json.loads(entry.read_text(encoding="utf-8"))
            found[definition["url"]] = definition
    return found


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation_matches_its_definition(name, shared_validator):
    operation = OPERATIONS[name]
    definition = shipped_definitions().get(operation.definition)
    assert definition is not None, f"no OperationDefinition {operation.definition}"
    assert definition["code"] == operation.name
    assert definition["affectsState"] == operation.affects_state
    declared = {level for level in Level if definition[level.value]}
    assert declared == set(operation.levels)
    if "Resource" not in definition.get("resource", []):
        assert set(definition.get("resource", [])) == set(operation.resource_types)
    errors = [i for i in shared_validator.validate(definition) if i.is_error]
    assert errors == []


def test_every_shipped_definition_is_registered():
    registered = {operation.definition for operation in OPERATIONS.values()}
    assert set(shipped_definitions()) <= registered
