"""Forms of laboratory results: titres, grades, values listed with one unit, results judged
before a denied test, and tests named by a ratio or common short form.

Every sentence here is written for these tests, in the style of published case reports.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fhirsvc.extract import extract, values
from fhirsvc.model import Mention, MentionKind, Qualitative
from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology

INTRO = "A 47-year-old man was admitted with malaise. "


def _tests(terminology: Terminology, sentence: str) -> list[Mention]:
    report = extract(INTRO + sentence, "t", terminology)
    return [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]


def _results(terminology: Terminology, sentence: str) -> dict[str, str | None]:
    return {m.text: m.result.text if m.result else None for m in _tests(terminology, sentence)}


def _units(terminology: Terminology, sentence: str) -> dict[str, tuple[Decimal, str | None]]:
    found = {}
    for m in _tests(terminology, sentence):
        assert m.result is not None and m.result.quantity is not None, m
        found[m.text] = (m.result.quantity.value, m.result.quantity.ucum)
    return found


# --- titres -------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "dilution"), [
    ("1:320", 320), ("1:40", 40), ("1 : 1,280", 1280), ("1:64", 64), ("1:100", 100),
    ("1:2", 2), ("1:5", 5),
])
def test_a_titre_is_one_part_in_a_dilution(written: str, dilution: int) -> None:
    found = values.titre(f"titre {written}.", 6, len(written) + 6)
    assert found is not None and found.text == written
    assert [q.value for q in found.components] == [1, dilution]
    assert found.out_of_maximum()  # a ratio, with no unit


@pytest.mark.parametrize("text", ["at 1:30 pm", "at 1:45", "a 1:1 mixture", "11:320", "1:15 h"])
def test_a_clock_time_or_an_even_mixture_is_no_titre(text: str) -> None:
    at = text.index("1")
    assert values.titre(text, at, len(text)) is None


@pytest.mark.parametrize(("sentence", "test", "dilution"), [
    ("The anti-GBM antibody titre was 1:160.", "anti-GBM antibody", 160),
    ("Her ANA titer was 1:1280 with a homogeneous pattern.", "ANA", 1280),
])
def test_a_titre_after_a_test_is_its_ratio(converter: Converter, sentence: str, test: str,
                                           dilution: int) -> None:
    ratio = _observation(converter, sentence, test)["valueRatio"]
    assert ratio == {"numerator": {"value": 1}, "denominator": {"value": dilution}}


@pytest.mark.parametrize("sentence", [
    "Antinuclear antibodies were positive at a titre of 1:320.",
    "Antinuclear antibodies were positive (1:320, speckled pattern).",
    "Antinuclear antibodies were positive, with a titer of 1:320.",
])
def test_a_positive_result_with_its_titre_keeps_both(converter: Converter, sentence: str) -> None:
    """The titre is the value; the positive reading the text gives it is its interpretation."""
    resource = _observation(converter, sentence, "antinuclear antibodies")
    assert resource["valueRatio"]["denominator"] == {"value": 320}
    assert resource["interpretation"][0]["coding"][0]["code"] == "POS"
    assert resource["interpretation"][0]["text"] == "positive"


# --- grades -------------------------------------------------------------------------------

EXACT = {
    "a_grade_after_the_test": ("Urine protein was 2+ on the dipstick.", {"Urine protein": "2+"}),
    "a_grade_before_the_test": ("The dipstick showed trace ketones.", {"ketones": "trace"}),
    "a_plus_grade_of_a_stain": ("Leukocyte esterase was +++.", {"Leukocyte esterase": "+++"}),
    "a_grade_is_not_the_number_two": ("Nitrites were 2+ and the pH was 6.",
                                      {"Nitrites": "2+", "pH": "6"}),
    "cardiac_enzymes_are_a_test": ("Serial cardiac enzymes were unremarkable.",
                                   {"cardiac enzymes": "unremarkable"}),
    "a_tuberculin_skin_test_is_a_test": ("A Mantoux test was negative.",
                                         {"Mantoux test": "negative"}),
    "a_protein_to_creatinine_ratio_is_one_test": (
        "Her urine protein/creatinine ratio was 3.8 g/g.",
        {"urine protein/creatinine ratio": "3.8 g/g"}),
    "transferrin_saturation_is_not_oxygen_saturation": (
        "Transferrin saturation was 7%.", {"Transferrin saturation": "7%"}),
    "an_ions_charge_after_its_symbol_is_no_part_of_the_value": (
        "Laboratory tests showed Na+ 126 mmol/L, K+ 6.3 mmol/L and Cl− 88 mmol/L.",
        {"Na+": "126 mmol/L", "K+": "6.3 mmol/L", "Cl−": "88 mmol/L"}),
    "a_charge_before_the_verb": ("Her HCO3− was 13 mmol/L.", {"HCO3−": "13 mmol/L"}),
    "a_suppressed_test_is_low_and_its_value_follows": (
        "The TSH was suppressed at 0.02 mIU/L.", {"TSH": "0.02 mIU/L"}),
    "a_value_the_test_had_fallen_to": (
        "Her platelet count had fallen to 18 × 10^9/L.", {"platelet count": "18 × 10^9/L"}),
    "an_oxygenation_ratio_is_one_test": ("Her PaO2/FiO2 ratio was 110.",
                                         {"PaO2/FiO2 ratio": "110"}),
    "a_light_chain_ratio_is_one_test": ("The kappa/lambda ratio was 48.",
                                        {"kappa/lambda ratio": "48"}),
    "a_proliferation_index_is_one_test": ("The Ki-67 labeling index was 60%.",
                                          {"Ki-67 labeling index": "60%"}),
    "a_range_phrase_after_a_known_test_is_its_whole_result": (
        "Serum calcium was within the normal range.",
        {"Serum calcium": "within the normal range"}),
    "a_test_judged_by_a_noun_after_its_other_name": (
        # the short form repeats the test: one value, under the first name
        "She had a serum albumin (ALB) deficit (2.1 g/dL).", {"serum albumin": "2.1 g/dL"}),
}


@pytest.mark.parametrize("case", sorted(EXACT))
def test_results(terminology: Terminology, case: str) -> None:
    sentence, expected = EXACT[case]
    assert _results(terminology, sentence) == expected


def test_a_plus_grade_is_a_positive_reading_and_trace_its_word_alone(
        terminology: Terminology) -> None:
    [plus] = _tests(terminology, "Urine protein was 3+.")
    [trace] = _tests(terminology, "Urine ketones were trace.")
    assert plus.result is not None and plus.result.qualitative is Qualitative.POSITIVE
    assert trace.result is not None and trace.result.qualitative is None
    assert plus.result.graded and trace.result.graded


@pytest.mark.parametrize(("sentence", "name", "grade"), [
    ("Urinalysis showed proteinuria (3+) and haematuria (2+).", "proteinuria", "3+"),
    ("She had pitting oedema (2+) to the knees.", "pitting oedema", "2+"),
])
def test_a_sign_graded_in_the_text_is_an_observation_of_its_grade(
        converter: Converter, sentence: str, name: str, grade: str) -> None:
    resource = _observation(converter, sentence, name)
    assert resource["valueCodeableConcept"]["text"] == grade


# --- values listed with one unit ------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Sodium, potassium and chloride were 131, 5.6 and 99 mmol/L, respectively.",
    "Sodium, potassium and chloride were 131, 5.6 and 99 mmol/L.",
    "Serum sodium, potassium and chloride levels were 131, 5.6, and 99 mmol/L on admission.",
])
def test_values_listed_with_one_unit_go_to_the_tests_in_order_each_in_that_unit(
        terminology: Terminology, sentence: str) -> None:
    found = _units(terminology, sentence)
    assert [v for v, _ in found.values()] == [Decimal("131"), Decimal("5.6"), Decimal("99")]
    assert {u for _, u in found.values()} == {"mmol/L"}


def test_as_many_values_as_tests_pair_without_respectively(terminology: Terminology) -> None:
    assert _units(terminology, "Her BUN and creatinine were 72 and 4.1 mg/dL.") == {
        "BUN": (Decimal("72"), "mg/dL"), "creatinine": (Decimal("4.1"), "mg/dL")}


@pytest.mark.parametrize(("sentence", "first"), [
    # more values than tests: a series of some other count, not one value each
    ("Troponin and CK-MB were measured at 2, 6 and 12 hours.", "Troponin"),
    # the values are not measured: counts of something else
    ("Hemoglobin and platelets were checked 3 and 5 times.", "Hemoglobin"),
])
def test_values_that_are_not_one_per_test_are_not_paired(terminology: Terminology,
                                                         sentence: str, first: str) -> None:
    assert _results(terminology, sentence)[first] is None


# --- a denied judgement ------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "There was no history of elevated liver enzymes.",
    "There was no elevated creatinine at any time.",
])
def test_a_denied_judgement_of_a_test_states_no_result(terminology: Terminology,
                                                       sentence: str) -> None:
    assert _tests(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "There was no positive blood culture during the admission.",
    "No positive blood culture was obtained.",
])
def test_a_denied_positive_reading_is_a_negative_one(converter: Converter,
                                                     sentence: str) -> None:
    resource = _observation(converter, sentence, "blood culture")
    assert resource["valueCodeableConcept"]["coding"][0]["code"] == "260385009"  # Negative
    assert resource["interpretation"][0]["coding"][0]["code"] == "NEG"


def test_a_judgement_the_text_negates_after_the_test_is_its_result(
        terminology: Terminology) -> None:
    assert _results(terminology, "Her creatinine was not elevated.") == {
        "creatinine": "not elevated"}


def _observation(converter: Converter, sentence: str, name: str) -> dict[str, Any]:
    bundle = converter.convert(INTRO + sentence, "t").bundle
    [found] = [e["resource"] for e in bundle["entry"]
               if e["resource"]["resourceType"] == "Observation"
               and e["resource"]["code"].get("text", "").lower() == name.lower()]
    return found


def test_a_suppressed_value_keeps_the_judgement_as_low(terminology: Terminology) -> None:
    [tsh] = _tests(terminology, "The TSH was suppressed at 0.02 mIU/L.")
    assert tsh.result is not None and tsh.result.judged is not None
    assert tsh.result.judged.qualitative is Qualitative.LOW


def test_a_positive_test_with_its_value_in_parentheses_keeps_both(
        converter: Converter) -> None:
    """"Positive anti-cardiolipin IgG (86 GPL)": the value, in UCUM's anticardiolipin unit,
    with the positive reading the text gives it as its interpretation."""
    resource = _observation(converter, "Serology showed a positive anti-cardiolipin IgG "
                                       "(86 GPL, normal <20 GPL).", "anti-cardiolipin IgG")
    assert resource["valueQuantity"]["value"] == 86
    assert resource["valueQuantity"]["code"] == "[GPL'U]"
    assert resource["interpretation"][0]["coding"][0]["code"] == "POS"


@pytest.mark.parametrize(("sentence", "test", "written"), [
    ("Her hemoglobin was 6.9 g/dL, down from 10.8 g/dL at her last visit.", "hemoglobin",
     ["6.9 g/dL", "10.8 g/dL"]),
    ("The platelet count was 520 × 10^9/L, up from 140 × 10^9/L.", "platelet count",
     ["520 × 10^9/L", "140 × 10^9/L"]),
])
def test_the_value_a_result_came_down_or_up_from_is_the_tests_too(
        terminology: Terminology, sentence: str, test: str, written: list[str]) -> None:
    found = [m.result.text for m in _tests(terminology, sentence) if m.text == test and m.result]
    assert found == written


@pytest.mark.parametrize(("sentence", "bare", "unit"), [
    ("Her height and weight were 158 and 49 kg.", "height", "kg"),
    ("Temperature and heart rate were 39.1 and 112/min.", "Temperature", "/min"),
    ("Direct bilirubin and ALT were 2.7 and 180 U/L.", "Direct bilirubin", "U/L"),
])
def test_a_unit_written_once_goes_only_to_tests_reported_in_its_kind_of_quantity(
        terminology: Terminology, sentence: str, bare: str, unit: str) -> None:
    found = {m.text: m.result for m in _tests(terminology, sentence)}
    bare_result, last = found[bare], list(found.values())[-1]
    assert bare_result is not None and bare_result.quantity is not None
    assert bare_result.quantity.ucum is None
    assert last is not None and last.quantity is not None and last.quantity.ucum == unit


def test_values_listed_in_hours_time_the_tests_and_give_no_result(
        terminology: Terminology) -> None:
    found = _tests(terminology, "Lactate and troponin were repeated at 4 and 8 hours.")
    assert found and all(m.result is None for m in found)


@pytest.mark.parametrize(("sentence", "name"), [
    ("Deep tendon reflexes were 2+ throughout.", "Deep tendon reflexes"),
    ("Radial pulses were 2+ and equal.", "Radial pulses"),
    ("Her pulses were 1+ in the lower limbs.", "pulses"),
])
def test_an_examination_grade_is_its_text_not_a_positive_reading(
        converter: Converter, sentence: str, name: str) -> None:
    resource = _observation(converter, sentence, name)
    value = resource["valueCodeableConcept"]
    assert "coding" not in value and value["text"][1] == "+"
    assert "interpretation" not in resource
    assert "8867-4" not in str(resource["code"])


def test_a_blood_pressure_pair_without_unit_is_in_mm_hg_with_both_components(
        converter: Converter) -> None:
    resource = _observation(converter, "On arrival her blood pressure was 86/52.",
                            "blood pressure")
    values = [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"],
               c["valueQuantity"]["code"]) for c in resource["component"]]
    assert values == [("8480-6", 86, "mm[Hg]"), ("8462-4", 52, "mm[Hg]")]


def test_a_mean_arterial_pressure_is_its_own_test_not_the_pressure_panel(
        converter: Converter) -> None:
    resource = _observation(converter, "His mean arterial pressure fell to 58 mmHg.",
                            "mean arterial pressure")
    assert [c["code"] for c in resource["code"]["coding"]] == ["8478-0"]
    assert resource["valueQuantity"]["value"] == 58 and "component" not in resource


@pytest.mark.parametrize(("sentence", "test", "graded"), [
    ("Urinalysis revealed 3+ proteinuria and 2+ hematuria.", "Urinalysis",
     {"proteinuria": "3+", "hematuria": "2+"}),
    ("A urine analysis showed 2+ glycosuria.", "urine analysis", {"glycosuria": "2+"}),
    ("Urinalysis revealed +2 proteinuria.", "Urinalysis", {"proteinuria": "+2"}),
])
def test_a_grade_before_a_word_grades_that_word_not_the_test_before_it(
        terminology: Terminology, sentence: str, test: str, graded: dict[str, str]) -> None:
    mentions = extract(INTRO + sentence, "t", terminology).patients[0].mentions
    results = {m.text: m.result.text if m.result else None for m in mentions}
    assert results[test] is None
    assert {name: results[name] for name in graded} == graded


def test_a_number_of_standard_deviations_is_no_grade(terminology: Terminology) -> None:
    mentions = extract(INTRO + "Her height was +2 SD above the mean.", "t",
                       terminology).patients[0].mentions
    assert not any(m.result is not None and m.result.graded for m in mentions)


def test_a_unit_a_prefix_step_from_a_tests_own_is_not_lent_to_it(
        terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(terminology,
                                              "Ferritin and CRP were 2300 and 96 mg/L.")}
    ferritin, crp = found["Ferritin"], found["CRP"]
    assert ferritin is not None and ferritin.quantity is not None
    assert ferritin.quantity.ucum is None
    assert crp is not None and crp.quantity is not None and crp.quantity.ucum == "mg/L"


def test_a_grade_read_after_a_marker_and_its_stain_is_the_markers(
        terminology: Terminology) -> None:
    mentions = extract(INTRO + "Ki-67 immunohistochemistry was 2+ in tumour nuclei.", "t",
                       terminology).patients[0].mentions
    results = {m.text: m.result.text if m.result else None for m in mentions}
    assert results["Ki-67"] == "2+" and results["immunohistochemistry"] is None


def test_an_ions_charge_is_part_of_its_name_and_ca2_plus_is_ionized_calcium(
        terminology: Terminology) -> None:
    sentence = "Ca2+ was 0.94 mmol/L and K+ 6.1 mmol/L."
    found = {m.text: m.concepts for m in _tests(terminology, sentence)}
    assert found == {"Ca2+": ("lab:ionized_calcium",), "K+": ("lab:potassium",)}


def test_a_result_in_a_table_row_drawn_with_bars_is_read(terminology: Terminology) -> None:
    text = ("A 45-year-old man presented with fatigue.\n"
            "| Hemoglobin | 9.2 g/dL | 13.5-17.5 |\n"
            "WBC | 12.3 x 10^9/L | 4.0-10.0\n")
    (case,) = extract(text, "t", terminology).patients
    results = {m.text: m.result.text for m in case.mentions if m.result is not None}
    assert results == {"Hemoglobin": "9.2 g/dL", "WBC": "12.3 x 10^9/L"}


def test_a_value_that_falls_below_a_bound_is_the_tests_with_its_comparator(
        terminology: Terminology) -> None:
    (test,) = _tests(terminology, "Over two days his ammonia fell below 50 umol/L.")
    assert test.text == "ammonia" and test.result is not None
    assert test.result.quantity is not None and test.result.quantity.value == 50
    assert test.result.quantity.comparator is not None
