"""fhirsvc against three public validators nobody here wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fhirsvc.validation import Validator
from tests.external.conftest import run_all
from tests.validation.conftest import expectations, load, valid_examples

HERE = Path(__file__).resolve().parent
DISAGREEMENTS_DIR = HERE / "disagreements"
VALIDATORS = ("medplum", "fhirjs", "google")

#: Where a public validator departs from R4 4.0.1: (file, validator, its verdict, why).
#: "accepts" = it misses a defect R4 forbids; "rejects" = it refuses what R4 allows.
DISAGREEMENTS = [
    ("observation-extension-value-meta.json", "google", "rejects",
     "R4 lists Meta among Extension.value[x] types; Google's protos follow R4B, which dropped it"),
    ("observation-two-values.json", "medplum", "accepts", "two value[x] types at once"),
    ("observation-two-values.json", "fhirjs", "accepts", "two value[x] types at once"),
    ("observation-two-values.json", "google", "accepts", "two value[x] types: the last one wins"),
    ("condition-empty-category-array.json", "medplum", "accepts",
     "an empty array (R4 JSON: arrays are never empty)"),
    ("patient-gender-not-in-value-set.json", "medplum", "accepts",
     "required bindings are not checked"),
    ("condition-subject-is-a-practitioner.json", "medplum", "accepts",
     "Condition.subject target types are not checked"),
    ("bundle-entry-observation-obs-6.json", "medplum", "accepts",
     "invariants of resources inside Bundle entries are not evaluated"),
    ("patient-birthdate-month-13.json", "fhirjs", "accepts", "date formats are not checked"),
    ("observation-obs-6-value-and-absent-reason.json", "fhirjs", "accepts",
     "FHIRPath invariants are not evaluated"),
    ("observation-obs-6-value-and-absent-reason.json", "google", "accepts",
     "FHIRPath invariants are not evaluated"),
    ("bundle-urn-uuid-does-not-resolve.json", "google", "accepts",
     "references inside a Bundle are not resolved"),
]


def broken_cases() -> dict[str, Any]:
    return {c.file: load(c.path) for c in expectations()}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, list[str]]]:
    cases = {p.name: load(p) for p in valid_examples()}
    cases |= broken_cases()
    cases |= {p.name: load(p) for p in sorted(DISAGREEMENTS_DIR.glob("*.json"))}
    return run_all(cases)


@pytest.mark.parametrize("path", valid_examples(), ids=lambda p: p.name)
def test_every_valid_example_passes_all_three_public_validators(verdicts, path) -> None:
    assert verdicts[path.name] == {name: [] for name in VALIDATORS}


def test_fhirsvc_catches_every_defect_any_public_validator_catches(
        verdicts, validator: Validator) -> None:
    caught_by_others = 0
    for case in expectations():
        flagged = [name for name in VALIDATORS if verdicts[case.file][name]]
        if not flagged:
            continue
        caught_by_others += 1
        issues = validator.validate(load(case.path), fhirsvc_profiles=case.fhirsvc_profiles)
        assert any(i.is_error for i in issues), (
            f"{case.file}: {flagged} reject it, fhirsvc does not")
    assert caught_by_others > 40


@pytest.mark.parametrize("file, name, verdict, reason", DISAGREEMENTS,
                         ids=[f"{d[0]}-{d[1]}" for d in DISAGREEMENTS])
def test_recorded_disagreement_with_r4_still_holds_and_fhirsvc_follows_r4(
        verdicts, validator: Validator, file, name, verdict, reason) -> None:
    rejected = bool(verdicts[file][name])
    assert rejected == (verdict == "rejects"), f"{name} no longer {verdict} {file}: {reason}"
    path = DISAGREEMENTS_DIR / file if (DISAGREEMENTS_DIR / file).is_file() else None
    resource = load(path) if path else broken_cases()[file]
    fhirsvc_rejects = any(i.is_error for i in validator.validate(resource))
    assert fhirsvc_rejects == (verdict == "accepts"), reason
