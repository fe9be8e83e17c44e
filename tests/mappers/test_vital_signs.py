"""Vital signs: R4's vital-signs category, and a blood pressure's paired values as components."""

from __future__ import annotations

from typing import Any

import pytest

from fhirsvc.pipeline import Converter
from fhirsvc.terminology import tables
from tests.mappers.builders import coding_codes


def _observations(converter: Converter, sentence: str) -> dict[str, dict[str, Any]]:
    """The Observations of one sentence by their words in lower case; the Bundle is valid."""
    conversion = converter.convert("A 61-year-old woman was admitted. " + sentence, "t")
    assert conversion.ok, conversion.issues
    return {e["resource"]["code"]["text"].lower(): e["resource"]
            for e in conversion.bundle["entry"] if e["resource"]["resourceType"] == "Observation"}


def _category(resource: dict[str, Any]) -> list[str]:
    return coding_codes(resource["category"][0])


@pytest.mark.parametrize(("sentence", "name", "loinc", "ucum"), [
    ("Her heart rate was 128 beats per minute.", "heart rate", "8867-4", "/min"),
    ("The respiratory rate was 30 breaths/min.", "respiratory rate", "9279-1", "/min"),
    ("Her temperature rose to 39.6 °C overnight.", "temperature", "8310-5", "Cel"),
    ("Oxygen saturation was 86% on room air.", "oxygen saturation", "59408-5", "%"),
    ("Her body weight was 48 kg on admission.", "body weight", "29463-7", "kg"),
    ("Her height was 158 cm.", "height", "8302-2", "cm"),
    ("A body mass index of 17.1 kg/m2 was calculated.", "body mass index", "39156-5", "kg/m2"),
])
def test_a_vital_sign_is_categorised_vital_signs_with_its_loinc_code_and_ucum_unit(
        converter: Converter, sentence: str, name: str, loinc: str, ucum: str) -> None:
    resource = _observations(converter, sentence)[name]
    assert _category(resource) == ["vital-signs"]
    assert resource["category"][0]["coding"][0]["system"] == \
        "http://terminology.hl7.org/CodeSystem/observation-category"
    assert coding_codes(resource["code"]) == [loinc]
    assert resource["valueQuantity"]["code"] == ucum


def test_a_blood_test_beside_a_vital_sign_stays_laboratory(converter: Converter) -> None:
    found = _observations(converter, "Her pulse was 112/min and her potassium 6.1 mmol/L.")
    assert _category(found["pulse"]) == ["vital-signs"]
    assert _category(found["potassium"]) == ["laboratory"]


def test_a_blood_pressure_is_a_systolic_and_a_diastolic_component(converter: Converter) -> None:
    """"148/96 mmHg" is two values: as R4's blood pressure profile shapes them, a component
    each, coded by what it measures, and no value of the panel's own (one value would lose
    the diastolic pressure)."""
    resource = _observations(converter, "On arrival her blood pressure was 148/96 mmHg.")[
        "blood pressure"]
    assert _category(resource) == ["vital-signs"]
    assert not [k for k in resource if k.startswith("value")]
    systolic, diastolic = resource["component"]
    assert coding_codes(systolic["code"]) == ["8480-6"]
    assert coding_codes(diastolic["code"]) == ["8462-4"]
    assert systolic["valueQuantity"]["value"] == 148
    assert diastolic["valueQuantity"]["value"] == 96
    assert {systolic["valueQuantity"]["code"], diastolic["valueQuantity"]["code"]} == {"mm[Hg]"}


def test_a_blood_pressure_judged_by_the_text_keeps_its_judgement_with_its_components(
        converter: Converter) -> None:
    resource = _observations(converter, "Her blood pressure dropped to 70/40 mmHg.")[
        "blood pressure"]
    assert [c["valueQuantity"]["value"] for c in resource["component"]] == [70, 40]
    assert coding_codes(resource["interpretation"][0]) == ["D"]


def test_a_single_blood_pressure_value_stays_the_value(converter: Converter) -> None:
    resource = _observations(converter, "Her blood pressure was 210 mmHg.")["blood pressure"]
    assert resource["valueQuantity"]["value"] == 210
    assert "component" not in resource


def test_every_panel_part_is_a_coded_laboratory_row() -> None:
    labs = {row.key: row for row in tables.load_table("lab_tests.tsv", tables.LabTestRow)}
    for panel in tables.load_table("lab_panels.tsv", tables.PanelRow):
        assert panel.key in labs
        assert all(labs[part].loinc for part in panel.parts)


def test_a_panel_of_one_part_is_a_table_error() -> None:
    with pytest.raises(tables.TableError, match="panel of 1 part"):
        tables.parse_table("lab_panels.tsv", "key\tparts\tsource\nbp\tsbp\tx\n",
                           tables.PanelRow)
