"""Observation: quantities with UCUM and comparators, ranges, qualitative results."""

from __future__ import annotations

from typing import Any

import pytest

from fhirsvc.mappers.common import Ref
from fhirsvc.mappers.groups import OBSERVATION, PROCEDURE, target
from fhirsvc.mappers.observation import NEGATIVE, observation
from fhirsvc.model import (
    Coding,
    Comparator,
    Context,
    MentionKind,
    Qualitative,
    Range,
    Result,
    Span,
    When,
)
from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology, systems
from tests.mappers.builders import (
    PLATELETS,
    coding_codes,
    fact,
    negated,
    one_group,
    quantity,
    scope,
    spans_of,
)

REF = Ref("Observation", "o1")
POSITIVE = Coding(systems.SNOMED_CT, "10828004", "Positive")


def test_platelets_above_150_is_a_ucum_quantity_with_its_comparator() -> None:
    result = Result("> 150 × 10^9/L", Span(20, 34),
                    quantity=quantity("150", "10^9/L", "10*9/L", comparator=Comparator.GT))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "platelet count", 0,
                                          codings=(PLATELETS,), result=result)), REF, scope())
    assert resource["valueQuantity"] == {"value": 150, "comparator": ">", "unit": "10^9/L",
                                         "system": systems.UCUM, "code": "10*9/L"}
    assert coding_codes(resource["code"]) == ["777-3"]
    assert coding_codes(resource["category"][0]) == ["laboratory"]
    assert resource["status"] == "final"
    assert spans_of(resource) == [(0, 14), (20, 14)]
    assert "interpretation" not in resource


def test_decimal_values_stay_numbers_and_unknown_units_have_no_ucum_code() -> None:
    result = Result("8.1 foo", Span(12, 19), quantity=quantity("8.1", "foo"))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "hemoglobin", result=result)),
                           REF, scope())
    assert resource["valueQuantity"] == {"value": 8.1, "unit": "foo"}


def test_range_has_low_and_high_without_comparators() -> None:
    result = Result("5.48 to 5.98", Span(10, 22), range=Range(
        quantity("5.48", "g/L", "g/L"), quantity("5.98", "g/L", "g/L")))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "albumin", result=result)),
                           REF, scope())
    assert resource["valueRange"] == {
        "low": {"value": 5.48, "unit": "g/L", "system": systems.UCUM, "code": "g/L"},
        "high": {"value": 5.98, "unit": "g/L", "system": systems.UCUM, "code": "g/L"}}


def test_a_range_written_downwards_has_its_lower_end_as_low() -> None:
    result = Result("300 to 150", Span(10, 20), range=Range(
        quantity("300", "10^9/L", "10*9/L"), quantity("150", "10^9/L", "10*9/L")))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "platelets", result=result)),
                           REF, scope())
    assert (resource["valueRange"]["low"]["value"], resource["valueRange"]["high"]["value"]) == (
        150, 300)


def test_qualitative_result_is_a_coded_value_and_an_interpretation() -> None:
    result = Result("positive", Span(14, 22), qualitative=Qualitative.POSITIVE)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "EBV DNA", result=result,
                                          value_codings=(POSITIVE,))), REF, scope())
    assert resource["valueCodeableConcept"] == {
        "coding": [{"system": systems.SNOMED_CT, "code": "10828004", "display": "Positive"}],
        "text": "positive"}
    assert coding_codes(resource["interpretation"][0]) == ["POS"]


def test_negative_result_is_a_final_result_not_a_cancelled_test() -> None:
    result = Result("negative", Span(14, 22), qualitative=Qualitative.NEGATIVE)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "EBV DNA", result=result,
                                          context=negated())), REF, scope())
    assert resource["status"] == "final"
    assert coding_codes(resource["interpretation"][0]) == ["NEG"]


def test_negated_test_without_result_is_a_negative_result() -> None:
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "CD3", context=negated())),
                           REF, scope())
    assert coding_codes(resource["valueCodeableConcept"]) == [NEGATIVE.code]
    assert coding_codes(resource["interpretation"][0]) == ["NEG"]


def test_negative_coding_is_the_one_the_terminology_tables_give(terminology: Terminology) -> None:
    assert terminology.results[Qualitative.NEGATIVE] == NEGATIVE


def test_test_without_result_says_the_value_is_unknown() -> None:
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "blood routine")), REF, scope())
    assert coding_codes(resource["dataAbsentReason"]) == ["unknown"]


def test_a_result_in_words_only_is_a_text_value_without_interpretation() -> None:
    result = Result("full", Span(0, 4))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "donor chimerism", result=result)),
                           REF, scope())
    assert resource["valueCodeableConcept"] == {"text": "full"}
    assert "dataAbsentReason" not in resource and "interpretation" not in resource


def test_dated_result_has_effective_date_time() -> None:
    result = Result("normal", Span(30, 36), qualitative=Qualitative.NORMAL)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "ALT", result=result,
                                          when=When("May 2019", Span(0, 8), date="2019-05"))),
                           REF, scope())
    assert resource["effectiveDateTime"] == "2019-05"


def test_imaging_with_a_result_is_an_imaging_observation_and_without_one_a_procedure() -> None:
    result = Result("normal", Span(20, 26), qualitative=Qualitative.NORMAL)
    with_result = fact(MentionKind.DIAGNOSTIC_PROCEDURE, "Abdominal ultrasonography",
                       result=result)
    assert target(with_result) == OBSERVATION
    assert target(fact(MentionKind.DIAGNOSTIC_PROCEDURE, "ultrasonography")) == PROCEDURE
    resource = observation(one_group(with_result), REF, scope())
    assert coding_codes(resource["category"][0]) == ["imaging"]
    exam = fact(MentionKind.DIAGNOSTIC_PROCEDURE, "physical examination", result=result)
    assert coding_codes(observation(one_group(exam), REF, scope())["category"][0]) == ["exam"]


def test_two_results_of_one_test_stay_two_observations() -> None:
    from fhirsvc.mappers.groups import group
    first = fact(MentionKind.LAB_TEST, "EBV DNA", 0,
                 result=Result("positive", Span(8, 16), qualitative=Qualitative.POSITIVE))
    later = fact(MentionKind.LAB_TEST, "EBV DNA", 50,
                 result=Result("negative", Span(58, 66), qualitative=Qualitative.NEGATIVE))
    assert len(group([first, later])) == 2


def test_a_susceptibility_result_keeps_its_words_and_the_susceptibility_interpretation() -> None:
    result = Result("resistant", Span(0, 9), qualitative=Qualitative.RESISTANT)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "oxacillin", 23, result=result)),
                           REF, scope())
    assert resource["valueCodeableConcept"] == {"text": "resistant"}
    assert coding_codes(resource["interpretation"][0]) == ["R"]


def test_a_value_reached_by_a_stated_change_has_the_change_as_its_interpretation() -> None:
    rose = Result("increased", Span(16, 25), qualitative=Qualitative.INCREASED)
    result = Result("362 µmol/L", Span(29, 39), quantity=quantity("362", "µmol/L", "umol/L"),
                    change=rose)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "creatinine", result=result)),
                           REF, scope())
    assert resource["valueQuantity"]["value"] == 362
    [meaning] = resource["interpretation"]
    assert coding_codes(meaning) == ["U"] and meaning["text"] == "increased"


def test_a_fall_is_a_significant_change_down() -> None:
    fell = Result("dropped", Span(16, 23), qualitative=Qualitative.DECREASED)
    result = Result("92%", Span(27, 30), quantity=quantity("92", "%", "%"), change=fell)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "oxygen saturation",
                                          result=result)), REF, scope())
    assert coding_codes(resource["interpretation"][0]) == ["D"]


def test_a_value_the_text_judges_before_the_tests_name_has_that_interpretation() -> None:
    high = Result("mildly elevated", Span(0, 15), qualitative=Qualitative.INCREASED)
    result = Result("2.2 mg/dL", Span(27, 36), quantity=quantity("2.2", "mg/dL", "mg/dL"),
                    judged=high)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "bilirubin", 16,
                                          result=result)), REF, scope())
    [meaning] = resource["interpretation"]
    assert coding_codes(meaning) == ["H"] and meaning["text"] == "mildly elevated"
    assert resource["valueQuantity"]["value"] == 2.2


def test_a_test_the_text_says_was_not_done_is_cancelled_without_a_value() -> None:
    context = Context(negated=True, not_done=True)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "serum ferritin",
                                          context=context)), REF, scope())
    assert resource["status"] == "cancelled"
    assert coding_codes(resource["dataAbsentReason"]) == ["not-performed"]
    assert "valueCodeableConcept" not in resource and "interpretation" not in resource


def test_a_stated_result_near_not_done_words_is_still_a_final_result() -> None:
    result = Result("negative", Span(14, 22), qualitative=Qualitative.NEGATIVE)
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "HBsAg", result=result,
                                          context=Context(negated=True, not_done=True))),
                           REF, scope())
    assert resource["status"] == "final"
    assert coding_codes(resource["interpretation"][0]) == ["NEG"]


def test_a_score_out_of_its_maximum_is_a_ratio_not_its_first_number() -> None:
    result = Result("4/5", Span(16, 19), quantity=quantity("4"),
                    components=(quantity("4"), quantity("5")))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "motor power", result=result)),
                           REF, scope())
    assert resource["valueRatio"] == {"numerator": {"value": 4}, "denominator": {"value": 5}}
    assert "valueQuantity" not in resource


@pytest.mark.parametrize(("written", "unit"), [("135/85 mmHg", "mmHg"), ("135/85", None)])
def test_paired_values_with_a_unit_or_falling_keep_the_first_as_the_quantity(
        written: str, unit: str | None) -> None:
    """A blood pressure, with or without its unit, is no score out of a maximum."""
    first = quantity("135", unit)
    result = Result(written, Span(16, 16 + len(written)), quantity=first,
                    components=(first, quantity("85", unit)))
    resource = observation(one_group(fact(MentionKind.LAB_TEST, "blood pressure",
                                          result=result)), REF, scope())
    assert resource["valueQuantity"]["value"] == 135


def _exam(converter: Converter, sentence: str, name: str) -> dict[str, Any]:
    """The one Observation or Procedure named ``name`` (in any case)."""
    bundle = converter.convert("A 52-year-old man was seen in clinic. " + sentence, "t").bundle
    [found] = [e["resource"] for e in bundle["entry"]
               if e["resource"]["resourceType"] in ("Observation", "Procedure")
               and e["resource"]["code"]["text"].lower() == name]
    return found


@pytest.mark.parametrize(("sentence", "name", "written"), [
    ("On examination, the bowel sounds were absent.", "bowel sounds", "absent"),
    ("Lung sounds were absent over the right base.", "lung sounds", "absent"),
    ("His breath sounds were diminished on the left.", "breath sounds", "diminished"),
    ("Bowel sounds were normal on auscultation.", "bowel sounds", "normal"),
])
def test_an_examined_sound_and_its_result_is_one_observation_carrying_the_result(
        converter: Converter, sentence: str, name: str, written: str) -> None:
    """Breath and bowel sounds are what the examination finds: whatever the result, it is
    an Observation's value, never a completed Procedure that loses it."""
    resource = _exam(converter, sentence, name)
    assert resource["resourceType"] == "Observation"
    assert resource["valueCodeableConcept"]["text"] == written


def test_a_strength_grade_is_an_observation_carrying_the_grade(converter: Converter) -> None:
    resource = _exam(converter, "Motor strength was 2/5 in the right arm.", "motor strength")
    assert resource["resourceType"] == "Observation"
    assert resource["valueRatio"] == {"numerator": {"value": 2}, "denominator": {"value": 5}}


def _category(resource: dict[str, Any]) -> list[str]:
    return coding_codes(resource["category"][0])


def test_an_examination_finding_is_categorised_exam_and_a_blood_test_laboratory(
        converter: Converter) -> None:
    """Bowel sounds are examined at the bedside, haemoglobin measured in a laboratory: the
    category the test's concept names wins over the lab-test default."""
    sentence = "Bowel sounds were absent and the hemoglobin was 9.1 g/dL."
    assert _category(_exam(converter, sentence, "bowel sounds")) == ["exam"]
    assert _category(_exam(converter, sentence, "hemoglobin")) == ["laboratory"]


def test_an_assessment_scale_is_categorised_survey(converter: Converter) -> None:
    resource = _exam(converter, "Her Glasgow coma scale was 13 on arrival.", "glasgow coma scale")
    assert _category(resource) == ["survey"]


def test_absent_is_the_absent_qualifier_with_a_negative_interpretation(
        converter: Converter) -> None:
    """"Absent" states that what was looked for is not there: SNOMED CT 2667000 |Absent|,
    and the v3 interpretation NEG, "an absence finding of the ... clinical sign"."""
    resource = _exam(converter, "Her bowel sounds were absent.", "bowel sounds")
    assert coding_codes(resource["valueCodeableConcept"]) == ["2667000"]
    assert coding_codes(resource["interpretation"][0]) == ["NEG"]


def test_each_strength_grade_is_an_exam_observation_valued_by_a_ratio(
        converter: Converter) -> None:
    bundle = converter.convert("A 52-year-old man was seen in clinic. He had 2/5 strength in "
                               "the right arm and 4/5 in the left arm.", "t").bundle
    graded = [e["resource"] for e in bundle["entry"] if "valueRatio" in e["resource"]]
    assert [(r["code"]["text"], r["valueRatio"]["numerator"]["value"], _category(r))
            for r in graded] == [("strength", 2, ["exam"]), ("strength", 4, ["exam"])]


def test_a_culture_and_the_organism_it_grew_is_a_laboratory_observation(
        converter: Converter) -> None:
    resource = _exam(converter, "A sputum culture grew Klebsiella pneumoniae.", "sputum culture")
    assert resource["valueCodeableConcept"] == {"text": "Klebsiella pneumoniae"}
    assert _category(resource) == ["laboratory"]


@pytest.mark.parametrize(("sentence", "name", "expected"), [
    ("Arterial blood gas showed a base deficit of 12 mmol/L.", "base deficit", ["laboratory"]),
    ("He had hyperkalemia of 6.2 mmol/L.", "hyperkalemia", ["laboratory"]),
    ("She had a fever of 39 °C.", "fever", ["exam"]),
])
def test_a_findings_value_per_volume_is_measured_in_a_laboratory(
        converter: Converter, sentence: str, name: str, expected: list[str]) -> None:
    """A value in a unit per volume of a body fluid is measured in a specimen, whatever word
    heads it; a temperature is taken at the bedside."""
    resource = _exam(converter, sentence, name)
    assert resource["valueQuantity"]["unit"] in ("mmol/L", "°C")
    assert _category(resource) == expected


@pytest.mark.parametrize(("sentence", "name", "loinc"), [
    ("Her serum digoxin level was 3.4 ng/mL on admission.", "serum digoxin level", ["10535-3"]),
    ("Toxicity was suspected and digoxin was 2.8 ng/mL.", "digoxin", []),
    ("The lithium level was 2.3 mmol/L after the overdose.", "lithium", []),
])
def test_a_drug_measured_in_the_patient_is_a_test_never_coded_as_the_drug(
        converter: Converter, sentence: str, name: str, loinc: list[str]) -> None:
    """A drug level is an Observation of a test: coded by the test's LOINC code where one is
    curated, else by its words alone, never by the drug's RxNorm code."""
    resource = _exam(converter, sentence, name)
    codings = resource["code"].get("coding", [])
    assert not [c for c in codings if c["system"] == systems.RXNORM]
    assert [c["code"] for c in codings if c["system"] == systems.LOINC] == loinc
    assert resource["valueQuantity"]["unit"] in ("ng/mL", "mmol/L")


@pytest.mark.parametrize(("sentence", "name", "loinc"), [
    ("Free T4 was 2.6 ng/dL and TSH was suppressed.", "free t4", ["3024-7"]),
    ("Free T4 was 41 pmol/L and TSH was suppressed.", "free t4", []),
    ("Serum chloride was 91 mEq/L with a metabolic alkalosis.", "serum chloride", ["2075-0"]),
    ("Troponin I peaked at 4.2 ng/mL on the second day.", "troponin i", ["10839-9"]),
    ("Troponin I peaked at 4.2 mmol/L on the second day.", "troponin i", []),
])
def test_a_lab_code_is_claimed_only_for_a_value_in_a_unit_of_its_property(
        converter: Converter, sentence: str, name: str, loinc: list[str]) -> None:
    """3024-7 is free T4 and 10839-9 troponin I in mass per volume: a value in an amount of
    substance per volume keeps its words and loses the code that would say something false."""
    resource = _exam(converter, sentence, name)
    codings = resource["code"].get("coding", [])
    assert [c["code"] for c in codings if c["system"] == systems.LOINC] == loinc
