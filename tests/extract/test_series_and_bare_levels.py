"""Values of tests named as a slash series, of a substance with a bare number, of a test
judged with an adverb, and of a test named with brackets inside its name."""

from decimal import Decimal

import pytest

from fhirsvc.model import MentionKind, Qualitative
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _values(terminology: Terminology, text: str) -> dict[str, tuple[Decimal | None, str | None]]:
    return {m.text: (m.result.quantity.value, m.result.quantity.ucum)
            if m.result and m.result.quantity else (None, None)
            for m in patient_mentions(terminology, text, MentionKind.LAB_TEST)}


def test_a_slash_series_of_three_pairs_names_and_numbers_in_order(
        terminology: Terminology) -> None:
    got = _values(terminology, "On day 2 Hb/WBC/Plt were 9.1/15.2/88.")
    assert got == {"Hb": (Decimal("9.1"), None), "WBC": (Decimal("15.2"), None),
                   "Plt": (Decimal("88"), None)}


def test_a_slash_series_shares_a_unit_every_test_is_reported_in(
        terminology: Terminology) -> None:
    got = _values(terminology, "Na/K/Cl were 128/3.2/95 mmol/L.")
    assert got == {"Na": (Decimal("128"), "mmol/L"), "K": (Decimal("3.2"), "mmol/L"),
                   "Cl": (Decimal("95"), "mmol/L")}


def test_a_slash_pair_still_reads_as_a_pair(terminology: Terminology) -> None:
    got = _values(terminology, "AST/ALT were 65/80 U/L.")
    assert got == {"AST": (Decimal("65"), "U/L"), "ALT": (Decimal("80"), "U/L")}


@pytest.mark.parametrize(("text", "name", "value"), [
    ("Her vitamin B12 was 95.", "vitamin B12", Decimal("95")),
    ("His serum folate level was 2.", "serum folate", Decimal("2")),
])
def test_a_substance_with_a_bare_number_is_measured(terminology: Terminology, text: str,
                                                     name: str, value: Decimal) -> None:
    assert _values(terminology, text).get(name, (None,))[0] == value


def test_a_drug_with_its_dose_is_no_level(terminology: Terminology) -> None:
    assert not _values(terminology, "Prednisone was 40 mg daily.")


def test_a_judgement_after_an_adverb_is_the_result(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "Her PTH was inappropriately normal.",
                             MentionKind.LAB_TEST)
    assert found[0].result is not None and found[0].result.qualitative is Qualitative.NORMAL


def test_a_name_with_brackets_inside_is_matched(terminology: Terminology) -> None:
    assert _values(terminology, "Serum 25(OH)D was 9 ng/mL.").get("25(OH)D") \
        == (Decimal("9"), "ng/mL")


@pytest.mark.parametrize(("text", "shown"), [
    ("Her albuminuria was 3.2 g/day.", "3.2 g/day"),
    ("Fever was 39.4 °C on the ward.", "39.4 °C"),
    ("Proteinuria was 2+.", "2+"),
])
def test_a_finding_with_its_verb_and_measure_is_measured(terminology: Terminology, text: str,
                                                         shown: str) -> None:
    found = [m for kind in (MentionKind.FINDING, MentionKind.DISORDER)
             for m in patient_mentions(terminology, text, kind) if m.text != "fatigue"]
    assert found and found[0].result is not None and found[0].result.text == shown


def test_a_finding_with_a_time_after_its_verb_is_not_measured(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "Her cough was 3 weeks old.", MentionKind.FINDING)
    assert found and found[-1].text == "cough" and found[-1].result is None


@pytest.mark.parametrize(("text", "name", "value"), [
    ("Arterial gas: base excess -11 mmol/L.", "base excess", Decimal("-11")),
    ("Arterial gas: BE -6 mmol/L.", "BE", Decimal("-6")),
    ("Her Hb -9.4 g/dL was low.", "Hb", Decimal("9.4")),  # a hyphen joins a value never below 0
])
def test_a_minus_glued_to_a_signed_tests_number_is_its_sign(
        terminology: Terminology, text: str, name: str, value: Decimal) -> None:
    assert _values(terminology, text).get(name, (None,))[0] == value
