"""Values of tests no lexicon names, read by the shape of their names and of their values.

A name ending in a head of measurement ("level", "concentration", "activity", "ratio"), a short
form in capitals, or a name after a specimen's word ("serum", "urine") is a test when a value or
a result word is written with it; the Observation is named by the words as written, with no
code. Every sentence here is written for these tests, in the style of published case reports.
"""

from __future__ import annotations

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind, Qualitative
from fhirsvc.terminology import Terminology

INTRO = "A 47-year-old man was admitted with malaise. "


def _results(terminology: Terminology, sentence: str) -> dict[str, str | None]:
    """The index patient's lab tests in ``sentence``: name as written → result as written."""
    report = extract(INTRO + sentence, "t", terminology)
    return {m.text: (m.result.text if m.result else None)
            for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST}


@pytest.mark.parametrize(("sentence", "name", "result"), [
    ("His selenium level was low.", "selenium", "low"),
    ("The serum osteocalcin concentration was elevated.", "osteocalcin", "elevated"),
    ("Raised amylin levels were found.", "amylin", "Raised"),
])
def test_a_level_no_lexicon_names_is_named_by_the_words_before_its_head(
        terminology: Terminology, sentence: str, name: str, result: str) -> None:
    assert _results(terminology, sentence)[name] == result


@pytest.mark.parametrize("sentence", [
    "The canal was narrowed at the T11 level.",
    "An air-fluid level was seen in the antrum.",
    "She needed the highest level of nursing care.",
])
def test_a_level_without_a_value_is_a_place_not_a_test(
        terminology: Terminology, sentence: str) -> None:
    assert not [n for n in _results(terminology, sentence) if "level" in n]


def _all_results(terminology: Terminology, sentence: str) -> list[tuple[str, str | None]]:
    report = extract(INTRO + sentence, "t", terminology)
    return [(m.text, m.result.text if m.result else None)
            for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]


@pytest.mark.parametrize(("sentence", "name", "value"), [
    ("Serum amylin rose to 40 pmol/L after the meal.", "amylin", "40 pmol/L"),
    ("Serum amylin decreased from 60 to 25 pmol/L.", "amylin", "25 pmol/L"),
    ("Osteocalcin was 12, 18 and 30 ng/mL on three visits.", "Osteocalcin", "30 ng/mL"),
    ("Osteocalcin was elevated at 45 ng/mL.", "Osteocalcin", "45 ng/mL"),
    ("She had an elevated osteocalcin (45 ng/mL).", "osteocalcin", "45 ng/mL"),
    ("Urine oxalate was elevated.", "Urine oxalate", "elevated"),
    ("The HOMA-B was low.", "HOMA-B", "low"),
    ("The MPV was 11.9 fL.", "MPV", "11.9 fL"),
    ("Fecal calprotectin was 800 µg/g.", "Fecal calprotectin", "800 µg/g"),
    ("The peak velocity across the valve was 4.5 m/s.", "peak velocity", "4.5 m/s"),
])
def test_a_test_no_lexicon_names_is_read_from_its_value(
        terminology: Terminology, sentence: str, name: str, value: str) -> None:
    assert (name, value) in _all_results(terminology, sentence)


@pytest.mark.parametrize("sentence", [
    "The patient's amylin was 12 ng/mL.",
    "The patient\u2019s amylin was 12 ng/mL.",
    "The child\u2019s amylin level was 12 ng/mL.",
])
def test_an_owner_before_a_tests_name_is_no_part_of_it(
        terminology: Terminology, sentence: str) -> None:
    assert _all_results(terminology, sentence) == [("amylin", "12 ng/mL")]


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_tests_name_with_a_possessive_is_read_whole_with_either_apostrophe(
        terminology: Terminology, apostrophe: str) -> None:
    found = _all_results(terminology, f"Osteocalcin{apostrophe}s level was 12 ng/mL.")
    assert found == [(f"Osteocalcin{apostrophe}s", "12 ng/mL")]


@pytest.mark.parametrize("sentence", [
    "Serum samples were negative.",
    "His PMH was unremarkable.",
    "ROS was negative.",
    "ROS positive for fatigue, PSH negative.",
    "The ICU stay was uneventful.",
    "Stool was negative for occult blood.",
])
def test_words_that_name_no_test_take_no_result(terminology: Terminology, sentence: str) -> None:
    assert not [r for _, r in _all_results(terminology, sentence) if r is not None]


def test_a_result_word_after_a_name_keeps_its_reading(terminology: Terminology) -> None:
    report = extract(INTRO + "Urinary oxalate was markedly elevated.", "t", terminology)
    tests = [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]
    assert tests and tests[0].result is not None
    assert tests[0].result.qualitative is Qualitative.HIGH


def test_a_name_after_levels_of_is_a_test_with_its_result_word(terminology: Terminology) -> None:
    assert ("amylin", "low") in _all_results(terminology, "Serum levels of amylin were low.")


def test_a_relative_clause_gives_the_value_of_the_test_before_it(
        terminology: Terminology) -> None:
    found = _all_results(terminology, "The ferritin, which was 900 ng/mL at first, fell later.")
    assert found == [("ferritin", "900 ng/mL")]


def test_a_value_after_when_it_was_measured_goes_on_the_trend(terminology: Terminology) -> None:
    found = _all_results(terminology,
                         "Oxygen saturation was 86% on room air, improving to 94% on oxygen.")
    assert found == [("Oxygen saturation", "86%"), ("Oxygen saturation", "94%")]


@pytest.mark.parametrize(("sentence", "name", "value"), [
    ("Serum amylin varied from 20 to 60 pmol/L.", "amylin", "20 to 60 pmol/L"),
    ("Fasting amylin ranged between 20 and 60 pmol/L.", "Fasting amylin",
     "between 20 and 60 pmol/L"),
])
def test_a_spread_of_values_names_the_test_before_it(
        terminology: Terminology, sentence: str, name: str, value: str) -> None:
    assert _all_results(terminology, sentence) == [(name, value)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Ferritin, amylin and leptin were normal.",
     [("Ferritin", "normal"), ("amylin", "normal"), ("leptin", "normal")]),
    ("Serum amylin and leptin were elevated.", [("amylin", "elevated"), ("leptin", "elevated")]),
    ("Osteocalcin and amylin were 45 ng/mL and 40 pmol/L, respectively.",
     [("Osteocalcin", "45 ng/mL"), ("amylin", "40 pmol/L")]),
])
def test_items_no_lexicon_knows_in_a_list_of_tests_are_tests(
        terminology: Terminology, sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _all_results(terminology, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Her mother and sister were positive for the mutation.",
    "The liver, spleen and kidneys were normal.",
    "His parents, brother and sister were healthy.",
])
def test_a_list_with_no_test_in_it_names_none(terminology: Terminology, sentence: str) -> None:
    assert _all_results(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The albumin/globulin ratio was 0.7.", [("albumin/globulin ratio", "0.7")]),
    ("The mitral E/e' ratio was 16.", [("E/e' ratio", "16")]),
])
def test_a_ratio_of_two_tests_is_one_test(
        terminology: Terminology, sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _all_results(terminology, sentence) == expected


def test_how_long_an_operation_took_is_no_test(terminology: Terminology) -> None:
    assert _all_results(terminology, "The operative time was 240 minutes.") == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Tumour markers: ProGRP normal, SCCA elevated.", [("ProGRP", "normal"), ("SCCA", "elevated")]),
    ("She had elevated serum osteocalcin and low urinary citrate.",
     [("osteocalcin", "elevated"), ("citrate", "low")]),
])
def test_a_result_word_next_to_a_name_of_a_tests_shape(
        terminology: Terminology, sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [r for r in _all_results(terminology, sentence) if r[1]] == expected


def test_a_result_word_before_a_specimen_and_a_noun_of_its_own_names_no_test(
        terminology: Terminology) -> None:
    assert _all_results(terminology, "Low serum samples were available.") == []


def test_readings_joined_by_hyphens_in_a_list_name_their_tests(terminology: Terminology) -> None:
    found = _all_results(terminology, "The colonies were urease-negative, hippurate hydrolysis-"
                                      "positive, and oxidase-negative.")
    assert [name for name, _ in found] == ["urease", "hippurate hydrolysis", "oxidase"]


@pytest.mark.parametrize("sentence", ["Gram-negative cocci were seen.",
                                      "She had culture-negative endocarditis."])
def test_a_joined_reading_before_a_noun_describes_it(terminology: Terminology,
                                                      sentence: str) -> None:
    assert _all_results(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "result", "reading"), [
    ("The lipase turned positive.", "positive", Qualitative.POSITIVE),
    ("The lipase was reported as normal.", "normal", Qualitative.NORMAL),
    ("The lipase was slightly above the upper limit of normal.",
     "above the upper limit of normal", Qualitative.HIGH),
    ("The lipase was below normal limits.", "below normal limits", Qualitative.LOW),
    ("The lipase showed a marked elevation.", "marked elevation", Qualitative.HIGH),
    ("The lipase was borderline high.", "borderline high", Qualitative.HIGH),
    ("The lipase was high-normal.", "high-normal", Qualitative.NORMAL),
])
def test_more_ways_of_stating_a_known_tests_reading(
        terminology: Terminology, sentence: str, result: str, reading: Qualitative) -> None:
    report = extract(INTRO + sentence, "t", terminology)
    tests = [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]
    assert tests and tests[0].result is not None
    assert (tests[0].result.text, tests[0].result.qualitative) == (result, reading)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Low serum concentrations of zinc, copper and selenium were noted.",
     [("zinc", "Low"), ("copper", "Low"), ("selenium", "Low")]),
    ("There were high levels of amylin and leptin in the serum.",
     [("amylin", "high"), ("leptin", "high")]),
])
def test_a_result_word_heading_the_amounts_of_a_list_makes_its_items_tests(
        terminology: Terminology, sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _all_results(terminology, sentence) == expected


def test_a_level_with_its_value_after_of_is_named_before_it(terminology: Terminology) -> None:
    assert ("amylin", "40 pmol/L") in _all_results(terminology, "An amylin level of 40 pmol/L.")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Laboratory tests revealed 45 ng/mL of osteocalcin.", ("osteocalcin", "45 ng/mL")),
    ("Tests showed 900 ng/mL of ferritin.", ("ferritin", "900 ng/mL")),
])
def test_a_concentration_of_a_named_test_is_its_value(
        terminology: Terminology, sentence: str, expected: tuple[str, str]) -> None:
    assert expected in _all_results(terminology, sentence)


def test_a_dose_of_a_drug_is_no_test_value(terminology: Terminology) -> None:
    assert _all_results(terminology, "She received 2 g of methylprednisolone.") == []
