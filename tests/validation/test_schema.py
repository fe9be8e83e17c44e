"""The generated R4 JSON Schema agrees with the official fhir.schema.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fhirsvc.spec import R4Spec
from fhirsvc.validation import generate_schema
from fhirsvc.validation.model import TypeModel
from fhirsvc.validation.valuesets import ValueSets

OFFICIAL = Path(__file__).resolve().parents[3] / "shared" / "fhir-r4" / "fhir.schema.json"
OUR_TYPES = ("Patient", "Condition", "Procedure", "Observation", "MedicationAdministration",
             "DocumentReference", "Provenance", "Bundle", "OperationOutcome", "Device")

#: Where the official file departs from R4 4.0.1 itself; each is checked to be exactly so.
KNOWN = {
    ("Procedure", "status"): "omits the enum of the required binding to event-status",
    ("MedicationAdministration", "status"): "omits the enum of the required binding",
    ("DocumentReference", "docStatus"): "omits the enum of the required binding",
    ("Timing_Repeat", "dayOfWeek"): "omits the enum of the required binding to days-of-week",
    ("Timing_Repeat", "modifierExtension"): "allows modifierExtension on an Element (not Backbone)",
    ("Dosage_DoseAndRate", "modifierExtension"): "allows modifierExtension on an Element",
    ("base64Binary", "pattern"): "leaves out the pattern R4 gives base64Binary",
    ("DataRequirement", "type"): "omits the enum of the required binding to all-types",
    ("ParameterDefinition", "type"): "omits the enum of the required binding to all-types",
    ("ParameterDefinition", "use"):
        "omits the enum of the required binding to operation-parameter-use",
    ("DataRequirement_CodeFilter", "modifierExtension"): "allows modifierExtension on an Element",
    ("DataRequirement_DateFilter", "modifierExtension"): "allows modifierExtension on an Element",
    ("DataRequirement_Sort", "modifierExtension"): "allows modifierExtension on an Element",
    ("Expression", "language"): "makes an extensible binding (expression-language) an enum",
}


def normalised(schema: Any) -> Any:
    """Descriptions dropped, enum and required compared as sets."""
    if isinstance(schema, dict):
        out = {k: normalised(v) for k, v in schema.items() if k != "description"}
        for key in ("enum", "required"):
            if key in out:
                out[key] = sorted(out[key])
        return out
    if isinstance(schema, list):
        return [normalised(v) for v in schema]
    return schema


def reachable(definitions: dict[str, Any], roots: tuple[str, ...]) -> set[str]:
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen or name == "ResourceList":
            continue
        seen.add(name)
        text = json.dumps(definitions[name])
        pending.extend(part.split('"')[0] for part in text.split("#/definitions/")[1:])
    return seen


@pytest.fixture(scope="module")
def generated(spec: R4Spec) -> dict[str, Any]:
    return generate_schema(TypeModel.from_spec(spec), ValueSets(spec))


@pytest.mark.skipif(not OFFICIAL.is_file(), reason="needs ../shared/fhir-r4/fhir.schema.json")
def test_generated_schema_equals_the_official_one_for_the_types_fhirsvc_uses(generated) -> None:
    official = json.loads(OFFICIAL.read_text())["definitions"]
    ours = generated["definitions"]
    names = reachable(ours, OUR_TYPES)
    assert len(names) > 40
    differences = set()
    for name in sorted(names):
        mine, theirs = normalised(ours[name]), normalised(official[name])
        for key in set(mine.get("properties", {})) | set(theirs.get("properties", {})):
            if mine.get("properties", {}).get(key) != theirs.get("properties", {}).get(key):
                differences.add((name, key))
        for key in (set(mine) | set(theirs)) - {"properties"}:
            if mine.get(key) != theirs.get(key):
                differences.add((name, key))
    assert differences == set(KNOWN)


def test_generated_schema_rejects_what_r4_rejects(generated) -> None:
    from jsonschema import Draft6Validator
    validator = Draft6Validator({"$ref": "#/definitions/Observation",
                                 "definitions": generated["definitions"]})
    good = {"resourceType": "Observation", "status": "final", "code": {"text": "Hb"}}
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({**good, "status": "done"}))
    assert list(validator.iter_errors({**good, "effectiveDateTime": "2023-13"}))
