"""Every resource the converter emits for the seeds passes the three public validators
(Medplum, FHIR.js, Google's google-fhir-r4), and so does each whole Bundle."""

from __future__ import annotations

from typing import Any

import pytest

from fhirsvc.pipeline import Converter
from fhirsvc.terminology import load_terminology
from tests.external.conftest import run_all
from tests.mappers.conftest import SEEDS

VALIDATORS = ("medplum", "fhirjs", "google")


def converted_cases() -> dict[str, Any]:
    converter = Converter(validation="structure", terminology=load_terminology())
    cases: dict[str, Any] = {}
    for path in SEEDS:
        for bundle_type in ("transaction", "collection"):
            converter.bundle_type = bundle_type
            bundle = converter.convert(path.read_text(encoding="utf-8"), path.stem).bundle
            cases[f"{path.stem}-{bundle_type}"] = bundle
        for entry in bundle["entry"]:
            resource = entry["resource"]
            cases[f"{path.stem}/{resource['resourceType']}/{resource['id']}"] = resource
    return cases


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, list[str]]]:
    return run_all(converted_cases())


@pytest.mark.slow
def test_every_seed_resource_and_bundle_passes_all_three_public_validators(verdicts) -> None:
    kinds = {name.split("/")[1] for name in verdicts if "/" in name}
    assert {"Patient", "Condition", "Procedure", "Observation", "MedicationAdministration",
            "DocumentReference", "Device", "Provenance"} <= kinds
    rejected = {name: found for name, found in verdicts.items() if any(found.values())}
    assert rejected == {}
    assert all(set(found) == set(VALIDATORS) for found in verdicts.values())
