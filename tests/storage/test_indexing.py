"""The FHIRPath subset, the registry built from the R4 definitions, and index rows."""

from __future__ import annotations

from typing import Any

import pytest

from fhirsvc.spec import load_spec
from fhirsvc.storage import default_registry
from fhirsvc.storage.fhirpath import Compiler, FhirPathError, parse
from fhirsvc.storage.indexer import index_resource, parse_reference
from fhirsvc.storage.typemodel import TypeModel
from fhirsvc.storage.ucum import canonical, canonical_unit
from tests.storage.samples import blood_pressure, case, observation, patient


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler(TypeModel(load_spec()))


def evaluate(compiler: Compiler, expression: str, resource: dict[str, Any]) -> list[Any]:
    function, _ = compiler.compile(expression, frozenset({resource["resourceType"]}))
    return [value for value, _ in function([(resource, resource["resourceType"])])]


def test_paths_unions_and_choice_types(compiler: Compiler) -> None:
    bp = blood_pressure()
    assert len(evaluate(compiler, "Observation.code | Observation.component.code", bp)) == 3
    obs = observation()
    assert evaluate(compiler, "Observation.value.as(Quantity).unit", obs) == ["10*3/uL"]
    assert evaluate(compiler, "(Observation.value as CodeableConcept)", obs) == []
    assert evaluate(compiler, "Observation.effective", obs) == ["2016-11-05T10:00:00Z"]


def test_where_resolve_is_and_literals(compiler: Compiler) -> None:
    obs = observation()
    assert evaluate(compiler, "Observation.subject.where(resolve() is Patient)", obs) == [
        {"reference": "Patient/p1"}]
    assert evaluate(compiler, "Observation.subject.where(resolve() is Group)", obs) == []
    person = patient()
    assert evaluate(compiler, "Patient.telecom.where(system='email').value", person) == [
        "anna@example.org"]


def test_boolean_operators_three_valued(compiler: Compiler) -> None:
    expression = "Patient.deceased.exists() and Patient.deceased != false"
    assert evaluate(compiler, expression, patient()) == [False]
    assert evaluate(compiler, expression, patient(deceasedBoolean=True)) == [True]
    assert evaluate(compiler, expression, patient(deceasedDateTime="2020")) == [True]
    assert evaluate(compiler, "Patient.active or Patient.active.empty()", patient()) == [True]


def test_extension_and_indexer_functions(compiler: Compiler) -> None:
    person = patient(extension=[{"url": "http://x/ext", "valueString": "a"},
                                {"url": "http://y", "valueString": "b"}])
    assert evaluate(compiler, "Patient.extension('http://x/ext').value", person) == ["a"]
    assert evaluate(compiler, "Patient.name[0].family", person) == ["Müller"]


def test_outside_the_subset_is_an_error(compiler: Compiler) -> None:
    with pytest.raises(FhirPathError):
        parse("Patient.name.select(given)) +")
    with pytest.raises(FhirPathError):
        compiler.compile("Patient.name.children()", frozenset({"Patient"}))


def test_registry_covers_every_r4_parameter_of_the_served_types() -> None:
    spec = load_spec()
    registry = default_registry()
    served = ("Patient", "Condition", "Procedure", "Observation", "MedicationAdministration",
              "DocumentReference", "Provenance")
    for definition in spec.search_parameters.values():
        if definition.get("experimental") or not definition.get("expression"):
            continue
        for base in set(definition["base"]) & set(served):
            assert registry.get(base, definition["code"]) is not None, (base, definition["code"])
    for resource_type in served:
        for code in ("_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"):
            assert registry.get(resource_type, code) is not None
    assert registry.get("Observation", "patient").expression.startswith("Observation.subject")
    assert "AllergyIntolerance" not in registry.get("Observation", "code").expression


def rows_of(resource: dict[str, Any], table: str, slot: str) -> set[tuple[Any, ...]]:
    params = default_registry().for_type(resource["resourceType"]).values()
    return {row[1:] for row in index_resource(resource, params).get(table, ()) if row[0] == slot}


def test_codeable_concept_gives_a_row_per_coding_and_one_for_its_text() -> None:
    rows = rows_of(case()[1], "token", "code")
    assert {(g, s, c) for g, s, c, _ in rows} == {
        (0, "http://snomed.info/sct", "44054006"),
        (0, "http://hl7.org/fhir/sid/icd-10-cm", "E11.9"),
        (0, None, None)}


def test_human_name_gives_a_string_row_per_part() -> None:
    assert rows_of(patient(), "string", "name") == {(0, "muller", "Müller"), (0, "anna", "Anna")}


def test_period_gives_one_range_and_open_ends_are_unbounded() -> None:
    (row,) = rows_of(case()[5], "date", "effective-time")
    assert row[1] < row[2]
    open_ended = {**case()[5], "effectivePeriod": {"start": "2016-11-05"}}
    ((_, low, high),) = rows_of(open_ended, "date", "effective-time")
    assert high > 10**17 and low < high


def test_composite_rows_share_a_group_per_component() -> None:
    codes = rows_of(blood_pressure(), "token", "component-code-value-quantity$0")
    values = rows_of(blood_pressure(), "quantity", "component-code-value-quantity$1")
    groups = {code: group for group, _, code, _ in codes}
    assert {group for group, *_ in values} == set(groups.values()) == {1, 2}
    by_group = {row[0]: row[4] for row in values}
    assert by_group[groups["8480-6"]] == 142.0


def test_reference_rows_and_reference_parsing() -> None:
    assert rows_of(observation(), "reference", "patient") == {(0, "Patient", "p1", None)}
    assert parse_reference("Patient/1/_history/2") == ("Patient", "1", None)
    assert parse_reference("https://x/fhir/Patient/1") == ("Patient", "1", "https://x/fhir/Patient/1")
    assert parse_reference("urn:uuid:1234") == (None, None, "urn:uuid:1234")
    assert parse_reference("#contained") == (None, None, None)
    assert parse_reference("http://loinc.org/vs|2.7") == (None, None, "http://loinc.org/vs")


def test_quantity_rows_carry_unit_and_code() -> None:
    assert rows_of(observation(), "quantity", "value-quantity") == {
        (0, "http://unitsofmeasure.org", "10*3/uL", "10*3/uL", 150.0, 150.0,
         "m-3", 1.5e14, 1.5e14)}


def test_quantity_without_a_ucum_unit_has_no_canonical_form() -> None:
    odd = {**observation(), "valueQuantity": {"value": 3, "unit": "tablets"}}
    assert rows_of(odd, "quantity", "value-quantity") == {
        (0, None, None, "tablets", 3.0, 3.0, None, None, None)}
    celsius = {**observation(), "valueQuantity": {
        "value": 37, "system": "http://unitsofmeasure.org", "code": "Cel"}}
    assert rows_of(celsius, "quantity", "value-quantity") == {
        (0, "http://unitsofmeasure.org", "Cel", None, 37.0, 37.0, None, None, None)}


@pytest.mark.parametrize(("code", "factor", "base"), [
    ("mg/dL", 10.0, "g.m-3"), ("g/L", 1000.0, "g.m-3"), ("mmol/L", 1.0, "m-3.mol"),
    ("10*9/L", 1e12, "m-3"), ("kg/m2", 1000.0, "g.m-2"), ("/min", 1 / 60, "s-1"),
    ("mm[Hg]", 133322.0, "g.m-1.s-2"), ("%", 0.01, "1"), ("mL/min/{1.73_m2}", 1e-6 / 60, "m3.s-1"),
    ("[lb_av]", 453.59237, "g"), ("U/L", 1000.0, "U.m-3"),
])
def test_ucum_units_reduce_to_base_units(code: str, factor: float, base: str) -> None:
    found = canonical_unit(code)
    assert found is not None and found[1] == base
    assert found[0] == pytest.approx(factor)


@pytest.mark.parametrize("code", ["Cel", "[degF]", "mEq/L", "tablets", "kg m", "(mg)"])
def test_units_outside_ucum_or_with_offsets_have_no_canonical_value(code: str) -> None:
    assert canonical(1.0, code) is None
