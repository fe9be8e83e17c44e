"""Coordinated modifiers sharing one head noun name the condition the first modifier makes."""

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def _conditions(terminology: Terminology, sentence: str) -> list[str]:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    return [m.text for m in report.patients[0].mentions
            if m.kind in (MentionKind.DISORDER, MentionKind.FINDING)]


def test_a_head_shared_by_two_modifiers_names_the_first_modifiers_condition(
        terminology: Terminology) -> None:
    assert "skin and subcutaneous abscesses" in _conditions(
        terminology, "He had skin and subcutaneous abscesses.")


def test_coordinated_words_that_make_no_term_name_nothing(terminology: Terminology) -> None:
    assert _conditions(terminology, "He walked and talked slowly.") == []
