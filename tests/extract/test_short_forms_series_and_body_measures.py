"""Values with no unit after a short form in capitals ("NIHSS was 4"), one unit shared by a
series of values ("1200, 900 and 300 pg/mL"), measures of the body ("length 47 cm") and a
finding's measure in a clause after it ("hypokalemia, which was 2.8 mmol/L").

Every sentence here is written for these tests, in the style of published case reports.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _values(terminology: Terminology, sentence: str,
            kind: MentionKind = MentionKind.LAB_TEST) -> list[tuple[str, Decimal, str | None]]:
    found: list[Mention] = patient_mentions(terminology, sentence, kind)
    return [(m.text, m.result.quantity.value, m.result.quantity.ucum) for m in found
            if m.result is not None and m.result.quantity is not None]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Her NIHSS was 6 on arrival.", [("NIHSS", Decimal(6), None)]),
    ("The ODI decreased from 42 to 18 after surgery.",
     [("ODI", Decimal(42), None), ("ODI", Decimal(18), None)]),
    ("A repeat gas showed pH: 7.19.", [("pH", Decimal("7.19"), None)]),
])
def test_a_short_form_states_a_value_with_no_unit(
        terminology: Terminology, sentence: str,
        expected: list[tuple[str, Decimal, str | None]]) -> None:
    assert [v for v in _values(terminology, sentence) if v[0] == expected[0][0]] == expected


@pytest.mark.parametrize("sentence", ["The MRI was 2 weeks later.",
                                      "Her ECG was 3 days before admission."])
def test_a_number_a_noun_follows_is_no_short_forms_value(
        terminology: Terminology, sentence: str) -> None:
    assert _values(terminology, sentence) == []


def test_each_value_of_a_series_takes_the_unit_after_the_last(
        terminology: Terminology) -> None:
    found = _values(terminology, "Her prolactin was 850, 610 and 95 ng/mL on three visits.")
    assert found == [("prolactin", Decimal(850), "ng/mL"), ("prolactin", Decimal(610), "ng/mL"),
                     ("prolactin", Decimal(95), "ng/mL")]


def test_a_measure_of_the_body_before_its_value(terminology: Terminology) -> None:
    found = _values(terminology, "At birth her length 49 cm and height of the mother 158 cm.")
    assert ("length", Decimal(49), "cm") in found


def test_a_findings_measure_in_a_clause_after_it(terminology: Terminology) -> None:
    found = _values(terminology, "She had hyponatremia, which was 118 mmol/L.",
                    MentionKind.FINDING)
    assert found == [("hyponatremia", Decimal(118), "mmol/L")]


@pytest.mark.parametrize("sentence", ["On day 2 her INR was raised at 2.9.",
                                      "On day 2 her INR was high (2.9)."])
def test_a_judged_test_keeps_its_bare_value(terminology: Terminology, sentence: str) -> None:
    found = [m for m in patient_mentions(terminology, sentence, MentionKind.LAB_TEST)
             if m.text == "INR"]
    result = found[0].result
    assert result is not None and result.quantity is not None and result.judged is not None
    assert result.quantity.value == Decimal("2.9")


def test_a_number_a_noun_follows_is_no_judged_value(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "Her CRP was raised at 3 weeks.", MentionKind.LAB_TEST)
    assert all(m.result is None or m.result.quantity is None for m in found)


def test_values_at_named_times_go_on_a_series(terminology: Terminology) -> None:
    found = _values(terminology, "The INR was 2.7 at presentation and 1.2 at discharge.")
    assert found == [("INR", Decimal("2.7"), None), ("INR", Decimal("1.2"), None)]


@pytest.mark.parametrize(("sentence", "name"), [
    ("His visual contrast responses were normal.", "visual contrast responses"),
    ("The urine protein-creatinine ratio was elevated.", "urine protein-creatinine ratio"),
])
def test_a_name_with_a_tests_head_noun_takes_its_reading(
        terminology: Terminology, sentence: str, name: str) -> None:
    found = {m.text: m.result for m in
             patient_mentions(terminology, sentence, MentionKind.LAB_TEST)}
    result = found.get(name)
    assert result is not None and result.qualitative is not None


@pytest.mark.parametrize("sentence", [
    "Her lipase (normal 13-60 U/L) was 1840 U/L.",
    "Her lipase (reference range: <60 U/L) rose to 1840 U/L.",
])
def test_a_reference_range_after_the_name_is_no_reading(
        terminology: Terminology, sentence: str) -> None:
    assert _values(terminology, sentence) == [("lipase", Decimal(1840), "U/L")]


def test_a_value_after_then_goes_on_the_series(terminology: Terminology) -> None:
    found = _values(terminology, "Her lipase was 900 U/L, then 310 U/L after fasting.")
    assert found == [("lipase", Decimal(900), "U/L"), ("lipase", Decimal(310), "U/L")]
