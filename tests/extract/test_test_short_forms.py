"""Short forms a report defines for a test the lexicon knows by its long name only, or
finds by its head noun: the definition and each later use are mentions of the test."""

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO, patient_mentions

_TESTS = (MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.LAB_TEST)


def _test_words(terminology: Terminology, text: str) -> list[str]:
    """The words of the index patient's tests, as written (span text), in text order."""
    whole = INTRO + text
    report = extract(whole, "t", terminology)
    return [whole[m.span.start : m.span.end] for m in report.patients[0].mentions
            if m.kind in _TESTS]


def test_a_short_form_defined_after_a_test_found_by_its_head_is_the_test_where_used(
        terminology: Terminology) -> None:
    words = _test_words(terminology, "She had renal perfusion imaging (RPI) in May. "
                                     "A second RPI in June showed no defect.")
    assert words.count("RPI") == 2
    assert "renal perfusion imaging" in words


def test_a_short_form_of_one_capital_defines_a_lexicon_test(terminology: Terminology) -> None:
    words = _test_words(terminology, "Her creatinine (Cre) rose to 3.2 mg/dL.")
    assert "Cre" in words


def test_parentheses_that_do_not_spell_the_test_define_nothing(
        terminology: Terminology) -> None:
    words = _test_words(terminology, "Renal perfusion imaging (Table 1) was normal, and so "
                                     "was a second imaging (Fig 2).")
    assert "Table" not in " ".join(words) and "Fig" not in " ".join(words)


def test_a_two_letter_short_form_stands_where_it_is_defined(terminology: Terminology) -> None:
    words = _test_words(terminology, "The ejection fraction (EF) on the scan was reduced.")
    assert "EF" in words


def test_a_later_value_of_an_uncoded_test_goes_under_its_long_name(
        terminology: Terminology) -> None:
    found = patient_mentions(terminology, "The hepatic venous gradient (HVG) fell from 21 mmHg "
                                          "to 9 mmHg.", MentionKind.LAB_TEST)
    nine = [m for m in found if m.result is not None and m.result.text == "9 mmHg"]
    assert [m.text for m in nine] == ["hepatic venous gradient"]
