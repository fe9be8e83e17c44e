"""CodeSystem/$lookup, ValueSet/$expand and $validate-code on the code systems and value
sets fhirsvc ships."""

from __future__ import annotations

import pytest

from fhirsvc.errors import InvalidRequest, NotFound
from fhirsvc.terminology import systems
from fhirsvc.terminology.tables import LabTestRow, load_table
from tests.server.operations.helpers import values

GENDER_VS = "http://hl7.org/fhir/ValueSet/administrative-gender"
GENDER_CS = "http://hl7.org/fhir/administrative-gender"
LAB_VS = "http://fhirsvc.org/fhir/ValueSet/fhirsvc-lab-tests"


def properties(result, code):
    return [next(v for k, v in p.items() if k.startswith("value"))
            for prop in result.resource["parameter"] if prop["name"] == "property"
            for p in prop["part"] if p["name"] == "value"
            and any(q["name"] == "code" and q["valueCode"] == code for q in prop["part"])]


def test_lookup_gives_the_display_and_parent_of_an_icd10cm_code(invoke):
    result = invoke("lookup", "CodeSystem",
                    params=[("system", systems.ICD10CM), ("code", "J18.9")])
    found = values(result)
    assert found["display"] == "Pneumonia, unspecified organism"
    assert found["name"] == "ICD-10-CM"
    assert properties(result, "parent") == ["J18"]


def test_lookup_of_an_icd10cm_category_lists_its_children(invoke):
    result = invoke("lookup", "CodeSystem", params=[("system", systems.ICD10CM),
                                                    ("code", "J18"), ("property", "child")])
    assert "J18.9" in properties(result, "child")
    assert properties(result, "parent") == []  # only the asked-for property


def test_lookup_of_an_hpo_term_gives_synonyms_as_designations_and_is_a_parents(invoke):
    result = invoke("lookup", "CodeSystem", body={
        "resourceType": "Parameters",
        "parameter": [{"name": "coding", "valueCoding": {"system": systems.HPO,
                                                         "code": "HP:0001250"}}]})
    found = values(result)
    assert found["display"] == "Seizure"
    designations = [p for p in result.resource["parameter"] if p["name"] == "designation"]
    assert designations, "HPO's exact synonyms are designations"
    assert properties(result, "parent")  # Seizure has an is_a parent
    assert all(code.startswith("HP:") for code in properties(result, "parent"))


def test_lookup_in_an_r4_code_system_reads_the_shipped_definition(invoke):
    found = values(invoke("lookup", "CodeSystem",
                          params=[("system", GENDER_CS), ("code", "female")]))
    assert found["display"] == "Female"
    assert found["version"] == "4.0.1"


def test_lookup_of_a_ucum_unit_accepts_any_valid_expression(invoke):
    found = values(invoke("lookup", "CodeSystem",
                          params=[("system", systems.UCUM), ("code", "mmol/L")]))
    assert found["display"] == "mmol/L"
    with pytest.raises(NotFound):
        invoke("lookup", "CodeSystem", params=[("system", systems.UCUM), ("code", "mmol//")])


def test_lookup_of_a_curated_loinc_code_gives_the_table_display(invoke):
    row = load_table("lab_tests.tsv", LabTestRow)[0]
    found = values(invoke("lookup", "CodeSystem",
                          params=[("system", systems.LOINC), ("code", row.loinc)]))
    assert found["display"] == row.display


def test_lookup_of_an_unknown_code_or_system_is_not_found(invoke):
    with pytest.raises(NotFound, match="not in ICD-10-CM"):
        invoke("lookup", "CodeSystem", params=[("system", systems.ICD10CM), ("code", "Q99.99")])
    with pytest.raises(NotFound, match="fragment"):
        invoke("lookup", "CodeSystem", params=[("system", systems.LOINC), ("code", "0000-0")])
    with pytest.raises(NotFound, match="not known"):
        invoke("lookup", "CodeSystem", params=[("system", "http://example.org/x"),
                                               ("code", "a")])


def test_lookup_without_a_code_is_a_bad_request(invoke):
    with pytest.raises(InvalidRequest, match="code"):
        invoke("lookup", "CodeSystem", params=[("system", systems.ICD10CM)])


def test_expand_lists_an_r4_value_set_with_displays_and_total(invoke):
    expansion = invoke("expand", "ValueSet", params=[("url", GENDER_VS)]).resource["expansion"]
    codes = [c["code"] for c in expansion["contains"]]
    assert codes == ["male", "female", "other", "unknown"]  # the code system's order
    assert expansion["total"] == 4
    assert {c["display"] for c in expansion["contains"]} >= {"Male", "Female"}


def test_expand_filters_and_pages_stably(invoke):
    full = invoke("expand", "ValueSet", params=[("url", LAB_VS)]).resource["expansion"]
    assert full["total"] == len(full["contains"]) > 5
    pages = [invoke("expand", "ValueSet", params=[("url", LAB_VS), ("offset", str(o)),
                                                  ("count", "3")]).resource["expansion"]
             for o in range(0, full["total"], 3)]
    assert [c for p in pages for c in p["contains"]] == full["contains"]
    word = full["contains"][0]["display"].split()[0].lower()
    filtered = invoke("expand", "ValueSet", params=[("url", LAB_VS), ("filter", word)])
    listed = filtered.resource["expansion"]["contains"]
    assert listed and all(word in (c["display"] + c["code"]).lower() for c in listed)
    assert filtered.resource["expansion"]["total"] < full["total"]


def test_every_curated_value_set_expands_from_its_table(invoke):
    from fhirsvc.server.operations.valuesets import curated_definitions

    for definition in curated_definitions():
        result = invoke("expand", "ValueSet", definition["id"]).resource
        assert result["url"] == definition["url"]
        assert result["expansion"]["total"] > 0, definition["id"]


def test_curated_lab_value_set_holds_every_loinc_code_of_the_table(invoke):
    expansion = invoke("expand", "ValueSet", params=[("url", LAB_VS)]).resource["expansion"]
    listed = {(c["system"], c["code"]) for c in expansion["contains"]}
    table = {(systems.LOINC, row.loinc) for row in load_table("lab_tests.tsv", LabTestRow)
             if row.loinc}
    assert listed == table


def test_expand_of_an_unknown_value_set_is_not_found(invoke):
    with pytest.raises(NotFound):
        invoke("expand", "ValueSet", params=[("url", "http://example.org/ValueSet/none")])
    with pytest.raises(NotFound):
        invoke("expand", "ValueSet", "no-such-id")
    with pytest.raises(InvalidRequest):
        invoke("expand", "ValueSet")


def test_validate_code_in_a_value_set(invoke):
    good = values(invoke("validate-code", "ValueSet", params=[
        ("url", GENDER_VS), ("system", GENDER_CS), ("code", "female")]))
    assert good == {"result": True, "display": "Female"}
    bad = values(invoke("validate-code", "ValueSet", params=[
        ("url", GENDER_VS), ("system", GENDER_CS), ("code", "woman")]))
    assert bad["result"] is False and "woman" in bad["message"]


def test_validate_code_rejects_a_wrong_display_and_names_the_right_one(invoke):
    found = values(invoke("validate-code", "ValueSet", params=[
        ("url", GENDER_VS), ("system", GENDER_CS), ("code", "female"), ("display", "Male")]))
    assert found["result"] is False
    assert found["display"] == "Female" and "Male" in found["message"]
    assert values(invoke("validate-code", "ValueSet", params=[
        ("url", GENDER_VS), ("system", GENDER_CS), ("code", "female"),
        ("display", "FEMALE")]))["result"] is True


def test_validate_code_accepts_a_codeable_concept_when_any_coding_is_valid(invoke):
    concept = {"coding": [{"system": "http://example.org/x", "code": "y"},
                          {"system": GENDER_CS, "code": "other"}]}
    found = values(invoke("validate-code", "ValueSet", body={
        "resourceType": "Parameters",
        "parameter": [{"name": "url", "valueUri": GENDER_VS},
                      {"name": "codeableConcept", "valueCodeableConcept": concept}]}))
    assert found["result"] is True


def test_code_system_validate_code(invoke):
    assert values(invoke("validate-code", "CodeSystem", params=[
        ("url", systems.ICD10CM), ("code", "E11.9")]))["result"] is True
    unknown = values(invoke("validate-code", "CodeSystem", params=[
        ("url", systems.ICD10CM), ("code", "E11.99999")]))
    assert unknown["result"] is False and "E11.99999" in unknown["message"]
    by_id = values(invoke("validate-code", "CodeSystem", "administrative-gender",
                          params=[("code", "male")]))
    assert by_id["result"] is True
    with pytest.raises(NotFound):
        invoke("validate-code", "CodeSystem", params=[("url", "http://example.org/cs"),
                                                      ("code", "x")])
