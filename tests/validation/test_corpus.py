"""The broken corpus: each file's one defect is caught at its location; examples pass."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from fhirsvc.outcome import Issue
from fhirsvc.validation import Layer, Validator

from .conftest import Expected, expectations, load, valid_examples

CASES = expectations()
LAYER_RUNS = {
    "schema": lambda v, walk: v.schema.check(walk),
    "terminology": lambda v, walk: v.terminology.check(walk),
    "references": lambda v, walk: v.references.check(walk),
    "invariants": lambda v, walk: v.invariants.check(walk),
}


def matches(issues: Iterable[Issue], expected: Expected, *, exactly: bool = True) -> bool:
    """An issue of the expected severity at the expected location; ``exactly``: also
    with the expected code and words (what the layer that owns the defect reports)."""
    return any(
        issue.severity == expected.severity and expected.expression in issue.expression
        and (not exactly or (issue.code == expected.code and expected.text in issue.diagnostics))
        for issue in issues
    )


def describe(issues: Iterable[Issue]) -> str:
    return "\n".join(f"  {i.severity} {i.code} {i.expression} {i.diagnostics}" for i in issues)


@pytest.mark.parametrize("expected", CASES, ids=[c.file for c in CASES])
def test_broken_resource_is_caught_at_its_location(
    validator: Validator, expected: Expected
) -> None:
    issues = validator.validate(load(expected.path), fhirsvc_profiles=expected.fhirsvc_profiles)
    assert matches(issues, expected, exactly=False), f"{expected}\nfound:\n{describe(issues)}"


@pytest.mark.parametrize("expected", CASES, ids=[c.file for c in CASES])
def test_broken_resource_is_caught_by_its_own_layer(
    validator: Validator, expected: Expected
) -> None:
    walk = validator.structure.walk(load(expected.path))
    if expected.layer == "structure":
        issues = walk.issues
    elif expected.layer == "profiles":
        issues = validator.profiles.check(walk, expected.fhirsvc_profiles)
    else:
        issues = LAYER_RUNS[expected.layer](validator, walk)
    assert matches(issues, expected), f"{expected}\nfound:\n{describe(issues)}"


OUR_TYPES = frozenset({"Patient", "Condition", "Procedure", "Observation",
                       "MedicationAdministration", "DocumentReference", "Provenance"})
PROFILED = frozenset({"Condition", "Procedure", "Observation", "MedicationAdministration"})


def defective_resource(expected: Expected) -> tuple[str, bool]:
    """The type of the resource that carries the defect, and whether it sits in a Bundle entry."""
    resource = load(expected.path)
    match = re.match(r"Bundle\.entry\[(\d+)\]\.resource", expected.expression)
    if resource.get("resourceType") == "Bundle" and match:
        return resource["entry"][int(match.group(1))]["resource"]["resourceType"], True
    return resource["resourceType"], False


def test_corpus_covers_every_layer_and_resource_type_inside_and_outside_bundles() -> None:
    standalone: dict[str, set[str]] = {layer.value: set() for layer in Layer}
    in_bundles: dict[str, set[str]] = {layer.value: set() for layer in Layer}
    for case in CASES:
        type_name, inside = defective_resource(case)
        (in_bundles if inside else standalone)[case.layer].add(type_name)
    for layer in Layer:
        wanted = PROFILED if layer is Layer.PROFILES else OUR_TYPES
        assert wanted <= standalone[layer.value], f"{layer}: no standalone case for " \
            f"{sorted(wanted - standalone[layer.value])}"
        assert in_bundles[layer.value], f"{layer}: no case inside a Bundle"
        assert "Bundle" in standalone[layer.value] or layer is Layer.REFERENCES, \
            f"{layer}: no case on a Bundle itself"
    missing = OUR_TYPES - set().union(*in_bundles.values())
    assert not missing, f"no case inside a Bundle for {sorted(missing)}"


@pytest.mark.parametrize("path", valid_examples(), ids=lambda p: p.name)
def test_valid_example_has_no_error_with_every_layer_and_fhirsvc_profiles(
        validator: Validator, path) -> None:
    issues = validator.validate(load(path), fhirsvc_profiles=True)
    assert not [i for i in issues if i.is_error], describe(issues)


def test_matcher_rejects_an_expectation_the_issues_do_not_meet(validator: Validator) -> None:
    """The case that must fail: a valid resource does not meet a broken file's expectation,
    so the corpus runner cannot pass by matching anything."""
    valid = load(valid_examples()[0])
    for expected in CASES:
        assert not matches(validator.validate(valid, fhirsvc_profiles=True), expected,
                           exactly=False)
