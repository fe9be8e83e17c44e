"""Shapes of laboratory values: thousands separated by full stops, "mg%", multiples of a
reference limit written with "×" or in words, counts per microscope field written around the
cell's name, and values a change reached ("peaking at", "from a baseline of … to …").

Every sentence here is written for these tests, in the style of published case reports.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from fhirsvc.extract import extract, values
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 52-year-old woman was admitted with weakness. "


def _tests(terminology: Terminology, sentence: str) -> list[Mention]:
    report = extract(INTRO + sentence, "t", terminology)
    return [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]


def test_one_full_stop_is_a_decimal_point(terminology: Terminology) -> None:
    result = values.parse_quantity("1.250 mg/dL", 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.value == Decimal("1.250")


@pytest.mark.parametrize("text", ["seven times a week", "twice daily", "three patients"])
def test_a_number_word_without_a_reference_limit_is_no_value(
        terminology: Terminology, text: str) -> None:
    assert values.parse_quantity(text, 0, terminology.units) is None


def test_a_test_valued_by_a_multiple_in_words(terminology: Terminology) -> None:
    found = {m.text: m.result for m in
             _tests(terminology, "Her lipase was eight times the upper limit of normal.")}
    result = found["lipase"]
    assert result is not None and result.quantity is not None
    assert result.quantity.value == Decimal(8)


def test_counts_per_field_are_the_cells_before_the_field(terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(
        terminology, "Urinalysis showed 20-30 white blood cells per high-power field and "
                     "4 RBC/hpf.")}
    wbc, rbc = found["white blood cells"], found["RBC"]
    assert wbc is not None and wbc.range is not None and wbc.range.low is not None
    assert (wbc.range.low.value, wbc.range.low.ucum) == (Decimal(20), "/[HPF]")
    assert rbc is not None and rbc.quantity is not None
    assert (rbc.quantity.value, rbc.quantity.ucum) == (Decimal(4), "/[HPF]")
    assert found["Urinalysis"] is None  # the count is the cells', not the urinalysis's


def test_a_count_with_no_field_after_the_name_is_not_per_field(
        terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(terminology, "There were 4 RBC casts seen.")}
    assert all(r is None or r.quantity is None or r.quantity.ucum != "/[HPF]"
               for r in found.values())


def test_the_peak_a_change_reached_is_the_tests_value(terminology: Terminology) -> None:
    tests = _tests(terminology, "Creatine kinase increased, peaking at 4,100 U/L.")
    assert [m.text for m in tests] == ["Creatine kinase"]  # "peaking" names no test
    result = tests[0].result
    assert result is not None and result.quantity is not None and result.judged is not None
    assert (result.quantity.value, result.quantity.ucum) == (Decimal(4100), "U/L")


def test_a_rise_from_a_baseline_is_a_trend_not_a_range(terminology: Terminology) -> None:
    tests = _tests(terminology, "Creatinine rose from a baseline of 0.8 to 2.9 mg/dL.")
    got = [(m.result.quantity.value if m.result and m.result.quantity else None,
            m.result.range if m.result else None) for m in tests]
    assert got == [(Decimal("0.8"), None), (Decimal("2.9"), None)]


def test_a_count_per_volume_written_after_the_cells_name(terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(
        terminology, "Spinal fluid analysis showed 320 white cells/mm3 and 12 red blood cells per "
                     "cubic millimeter.")}
    white, red = found["white cells"], found["red blood cells"]
    assert white is not None and white.quantity is not None
    assert (white.quantity.value, white.quantity.ucum) == (Decimal(320), "/mm3")
    assert red is not None and red.quantity is not None
    assert (red.quantity.value, red.quantity.ucum) == (Decimal(12), "/mm3")


def test_a_share_before_the_next_test_is_not_the_test_before(terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(
        terminology, "A peripheral smear showed 35% blasts.")}
    blasts = found["blasts"]
    assert blasts is not None and blasts.quantity is not None
    assert blasts.quantity.value == Decimal(35)
    assert all(r is None for name, r in found.items() if name != "blasts")


def test_a_course_verb_after_a_tests_value_gives_its_next_value(
        terminology: Terminology) -> None:
    report = extract(INTRO + "Oxygen saturation was 81%, which improved to 96% on oxygen.", "t",
                     terminology)
    mentions = report.patients[0].mentions
    values_of = [m.result.quantity.value for m in mentions
                 if m.kind is MentionKind.LAB_TEST and m.result and m.result.quantity]
    assert values_of == [Decimal(81), Decimal(96)]
    assert not [m for m in mentions if m.text == "improved"]  # the verb names no finding


def test_a_course_verb_of_another_subject_stays_a_finding(terminology: Terminology) -> None:
    report = extract(INTRO + "Creatinine was 2.4 mg/dL and her symptoms improved.", "t",
                     terminology)
    assert [m.text for m in report.patients[0].mentions if m.text == "improved"] == ["improved"]


def test_a_judged_test_takes_the_multiple_after_its_judgement(terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(
        terminology, "Amylase was elevated at six times the upper limit of normal.")}
    result = found["Amylase"]
    assert result is not None and result.quantity is not None and result.judged is not None
    assert result.quantity.value == Decimal(6) and result.judged.text == "elevated"


def test_a_value_after_the_time_it_was_measured_is_the_tests(terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(
        terminology, "The serum ferritin level at 6 months after the end of radiotherapy was "
                     "85 ng/mL.")}
    result = found["serum ferritin"]
    assert result is not None and result.quantity is not None
    assert (result.quantity.value, result.quantity.ucum) == (Decimal(85), "ng/mL")


def test_a_timed_value_after_another_test_is_not_the_first_tests(
        terminology: Terminology) -> None:
    found = {m.text: m.result for m in _tests(
        terminology, "The CRP at admission and the ESR were 52 mm/h.")}
    assert found["CRP"] is None
