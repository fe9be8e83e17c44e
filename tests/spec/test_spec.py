"""The shipped R4 definitions are the official ones, and load."""

import json
from pathlib import Path

import pytest

from fhirsvc.spec import load_spec

SHARED = Path(__file__).resolve().parents[3] / "shared" / "fhir-r4"


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def test_spec_has_the_resources_fhirsvc_serves(spec) -> None:
    for name in ("Patient", "Condition", "Procedure", "Observation", "MedicationAdministration",
                 "DocumentReference", "Provenance", "Bundle", "OperationOutcome"):
        sd = spec.structure_definition(name)
        assert sd["fhirVersion"] == "4.0.1"
        assert sd["snapshot"]["element"][0]["path"] == name


def test_required_value_sets_are_shipped_with_their_code_systems(spec) -> None:
    gender = spec.value_sets["http://hl7.org/fhir/ValueSet/administrative-gender"]
    system = gender["compose"]["include"][0]["system"]
    codes = {c["code"] for c in spec.code_systems[system]["concept"]}
    assert codes == {"male", "female", "other", "unknown"}


def test_search_parameters_cover_patient_of_observation(spec) -> None:
    sp = spec.search_parameters["http://hl7.org/fhir/SearchParameter/clinical-patient"]
    assert "Observation" in sp["base"] and sp["type"] == "reference"


@pytest.mark.skipif(not SHARED.is_dir(), reason="cross-check needs ../shared/fhir-r4")
def test_shipped_definitions_equal_the_reference_copies_ignoring_narrative(spec) -> None:
    compared = 0
    for path in sorted((SHARED / "package-subset").glob("*.json")):
        reference = json.loads(path.read_text())
        reference.pop("text", None)
        table = {
            "StructureDefinition": spec.structure_definitions,
            "ValueSet": spec.value_sets,
            "CodeSystem": spec.code_systems,
        }[reference["resourceType"]]
        if reference["url"] in table:
            assert table[reference["url"]] == reference, path.name
            compared += 1
    assert compared > 200
