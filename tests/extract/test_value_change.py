"""A value reached by a stated change ("creatinine increased to 362 µmol/L", "ALT and AST were
markedly elevated up to 2726 U/l and 7438 U/l, respectively") keeps the change with it
(``findings.with_change``)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind, Qualitative
from fhirsvc.terminology import Terminology

INTRO = "A 40-year-old man presented with fever. "


def _tests(terminology: Terminology, sentence: str) -> dict[str, Mention]:
    report = extract(INTRO + sentence, "t", terminology)
    return {m.text: m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST}


@pytest.mark.parametrize(("sentence", "test", "word", "direction"), [
    ("His serum creatinine increased to 362 µmol/L by day 5.", "serum creatinine", "increased",
     Qualitative.INCREASED),
    ("Her hemoglobin fell to 6.2 g/dL overnight.", "hemoglobin", "fell", Qualitative.DECREASED),
    ("Platelet count dropped to 10 x 10^3/µL.", "Platelet count", "dropped",
     Qualitative.DECREASED),
    ("ALT and AST were markedly elevated up to 2726 U/l and 7438 U/l, respectively.", "AST",
     "elevated", Qualitative.INCREASED),
    ("He went home with a leukocyte count climbing to 9.1 × 10^9/L.", "leukocyte count",
     "climbing", Qualitative.INCREASED),
    ("Serum sodium, declining to 121 mmol/L, was corrected slowly.", "Serum sodium", "declining",
     Qualitative.DECREASED),
])
def test_the_change_before_a_value_is_kept_with_it(
        terminology: Terminology, sentence: str, test: str, word: str,
        direction: Qualitative) -> None:
    result = _tests(terminology, sentence)[test].result
    assert result is not None and result.quantity is not None
    assert result.change is not None
    assert (result.change.text, result.change.qualitative) == (word, direction)


@pytest.mark.parametrize(("sentence", "test"), [
    ("Hemoglobin was 10.2 g/dL.", "Hemoglobin"),
    ("Serum creatinine was 1.1 mg/dL and increased the next day.", "Serum creatinine"),
    ("Ferritin increased from 300 ng/mL.", "Ferritin"),
])
def test_a_value_without_a_change_reaching_it_has_none(
        terminology: Terminology, sentence: str, test: str) -> None:
    result = _tests(terminology, sentence)[test].result
    assert result is not None and result.change is None


@pytest.mark.parametrize(("sentence", "test", "word"), [
    ("Tests revealed elevated bilirubin (2.2 mg/dL).", "bilirubin", "elevated"),
    ("She had a low hemoglobin of 8.1 g/dL.", "hemoglobin", "low"),
    ("Results showed normal troponin (<0.01 ng/mL).", "troponin", "normal"),
])
def test_a_judgement_before_a_tests_name_stays_with_its_value(
        terminology: Terminology, sentence: str, test: str, word: str) -> None:
    result = _tests(terminology, sentence)[test].result
    assert result is not None and result.quantity is not None
    assert result.judged is not None and result.judged.text == word


def test_a_value_with_no_judgement_before_its_test_has_none(terminology: Terminology) -> None:
    result = _tests(terminology, "Her bilirubin was 2.2 mg/dL.")["bilirubin"].result
    assert result is not None and result.judged is None


@pytest.mark.parametrize(("sentence", "test", "word", "value"), [
    ("Blood lactate was normal (1.3 mmol/L, normal range 0.5-2.2 mmol/L).", "Blood lactate",
     "normal", "1.3 mmol/L"),
    ("The aPTT was prolonged to 53.5 seconds.", "aPTT", "prolonged", "53.5 seconds"),
    ("Ferritin was elevated at 900 ng/mL.", "Ferritin", "elevated", "900 ng/mL"),
])
def test_a_judgement_after_a_tests_name_stays_with_the_value_it_is_followed_by(
        terminology: Terminology, sentence: str, test: str, word: str, value: str) -> None:
    result = _tests(terminology, sentence)[test].result
    assert result is not None and result.quantity is not None and result.text.startswith(value)
    assert result.judged is not None and result.judged.text == word


@pytest.mark.parametrize(("sentence", "test"), [
    ("Her creatinine was normal, 2 days later it rose.", "creatinine"),
    ("Her creatinine was normal on day 3.", "creatinine"),
])
def test_a_judgement_followed_by_no_measured_value_stays_the_result(
        terminology: Terminology, sentence: str, test: str) -> None:
    result = _tests(terminology, sentence)[test].result
    assert result is not None and result.quantity is None and result.text == "normal"


def test_a_judgement_before_a_value_names_no_test(terminology: Terminology) -> None:
    assert "elevated" not in _tests(terminology, "Zonulin was elevated at 9 ng/mL.")


@pytest.mark.parametrize(("sentence", "changes"), [
    ("Her LVEF increased from 20% to 55% over a year.", [("20%", None), ("55%", "increased")]),
    ("His oxygen saturation was 94% and dropped to 92% on exertion.",
     [("94%", None), ("92%", "dropped")]),
    ("The pressure gradient was decreased from 19 mmHg to 8 mmHg.", [("19 mmHg", None),
                                                                    ("8 mmHg", "decreased")]),
    ("Her FEV1 was 1.4 L and 1.9 L a year later.", [("1.4 L", None), ("1.9 L", None)]),
    ("Her creatinine rose from 1.2 to 3.4 mg/dL.", [("1.2", None), ("3.4 mg/dL", "rose")]),
    ("Her bleeding time on the second day had gone down to 6 minutes.",
     [("6 minutes", "gone down")]),
])
def test_each_value_of_a_trend_keeps_the_change_that_reached_it(
        terminology: Terminology, sentence: str, changes: list[tuple[str, str | None]]) -> None:
    """The value a verb of change leads to ("from 20% to 55%") carries the change; the value
    it started from, and values with no such verb, do not."""
    report = extract(INTRO + sentence, "t", terminology)
    assert [(m.result.text, m.result.change.text if m.result.change else None)
            for m in report.patients[0].mentions if m.result] == changes


def test_the_first_value_of_a_trend_keeps_the_unit_written_once_for_both(
        terminology: Terminology) -> None:
    """"From 1.2 to 3.4 mg/dL" is a trend, not a range: 1.2 is a value in mg/dL of its own."""
    first = _tests(terminology, "Her creatinine rose from 1.2 to 3.4 mg/dL.")["creatinine"]
    assert first.result is not None and first.result.range is None
    assert first.result.quantity is not None and first.result.quantity.ucum == "mg/dL"


def test_a_word_of_judgement_before_a_grade_judges_it(terminology: Terminology) -> None:
    report = extract(INTRO + "Her strength had progressively deteriorated to 1/5.", "t",
                     terminology)
    [graded] = [m.result for m in report.patients[0].mentions if m.result]
    assert graded.judged is not None
    assert (graded.judged.text, graded.judged.qualitative) == ("deteriorated", Qualitative.WORSE)


@pytest.mark.parametrize(("sentence", "test", "value"), [
    ("The LVEF improved to 50% after three months.", "LVEF", "50%"),
    ("Creatinine improved to 1.1 mg/dL.", "Creatinine", "1.1 mg/dL"),
    ("Her creatinine recovered to 0.9 mg/dL.", "creatinine", "0.9 mg/dL"),
    ("Hemoglobin gradually improved to 11.2 g/dL.", "Hemoglobin", "11.2 g/dL"),
])
def test_a_course_verb_between_a_test_and_its_value_keeps_the_value_with_the_test(
        terminology: Terminology, sentence: str, test: str, value: str) -> None:
    report = extract(INTRO + sentence, "t", terminology)
    found = _tests(terminology, sentence)[test].result
    assert found is not None and found.text == value
    assert not [m for m in report.patients[0].mentions
                if m.kind is MentionKind.FINDING and m.text in ("improved", "recovered")]


@pytest.mark.parametrize(("sentence", "test", "word"), [
    ("Creatinine improved.", "Creatinine", "improved"),
    ("Her renal function recovered.", "renal function", "recovered"),
])
def test_a_course_with_no_value_is_the_tests_trend_not_a_missing_value(
        terminology: Terminology, sentence: str, test: str, word: str) -> None:
    found = _tests(terminology, sentence)[test].result
    assert found is not None and found.quantity is None
    assert (found.text, found.qualitative) == (word, Qualitative.BETTER)


@pytest.mark.parametrize(("sentence", "test", "low", "high"), [
    ("Heart rate ranged from 60 to 80 bpm.", "Heart rate", "60", "80"),
    ("Blood glucose ranged between 100 and 200 mg/dL.", "Blood glucose", "100", "200"),
    ("Her potassium varied between 3.1 and 3.6 mmol/L.", "potassium", "3.1", "3.6"),
])
def test_a_spread_of_values_is_one_range_not_a_trend(terminology: Terminology, sentence: str,
                                                     test: str, low: str, high: str) -> None:
    report = extract(INTRO + sentence, "t", terminology)
    found = [m for m in report.patients[0].mentions if m.text == test]
    assert len(found) == 1 and found[0].result is not None
    spread = found[0].result.range
    assert spread is not None and spread.low is not None and spread.high is not None
    assert (str(spread.low.value), str(spread.high.value)) == (low, high)
    assert spread.low.ucum == spread.high.ucum is not None


def test_a_change_from_one_value_to_another_stays_a_trend(terminology: Terminology) -> None:
    found = [m.result.text for m in extract(INTRO + "Creatinine increased from 1.2 to 3.4 mg/dL.",
                                            "t", terminology).patients[0].mentions
             if m.text == "Creatinine" and m.result]
    assert found == ["1.2", "3.4 mg/dL"]
