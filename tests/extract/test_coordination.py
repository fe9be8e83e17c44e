"""Coordinated modifiers sharing one head noun name the condition the first modifier makes."""

from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.extract import coordination, extract
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


_PIECES = st.sampled_from(["skin", "soft-tissue", "and", "or", "x-ray", "-", "tissue", "é", "3",
                           "_a", "ab", "hand", "for", "infections", " ", "  ", "\n", ","])


@given(st.lists(_PIECES, max_size=30).map("".join), st.integers(0, 300), st.integers(0, 300))
def test_phrases_found_from_their_conjunction_are_those_the_pattern_finds_anywhere(
        text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    plain = coordination._COORDINATED.finditer(text, start, end)
    assert [m.span() for m in coordination._coordinated(text, start, end)] == \
        [m.span() for m in plain]


def test_sites_coordinated_before_a_findings_head_all_belong_to_it(
        terminology: Terminology) -> None:
    found = _conditions(terminology, "He had bilateral shoulder and pelvic girdle stiffness.")
    assert "bilateral shoulder and pelvic girdle stiffness" in found
    found = _conditions(terminology, "She reported neck, shoulder and pelvic girdle stiffness.")
    assert "neck, shoulder and pelvic girdle stiffness" in found
    found = _conditions(terminology, "There was lung and liver parenchymal destruction.")
    assert "lung and liver parenchymal destruction" in found


def test_a_word_before_the_conjunction_that_is_no_site_is_not_taken(
        terminology: Terminology) -> None:
    found = _conditions(terminology, "He had fever and pelvic girdle stiffness.")
    assert "pelvic girdle stiffness" in found
    assert not any("and pelvic" in text for text in found)


def test_a_disease_named_by_its_adjective_and_head_wins_over_the_head(
        terminology: Terminology) -> None:
    assert _conditions(terminology, "His psoriatic arthropathy flared in winter.") \
        == ["psoriatic arthropathy"]
    assert _conditions(terminology, "She had alcoholic hepatitis two years ago.") \
        == ["alcoholic hepatitis"]
