"""Sentence splitting keeps abbreviations, initials and decimals inside sentences."""

from fhirsvc.extract.sentences import split
from fhirsvc.model import Span


def _split(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split(text, (Span(0, len(text)),))]


def test_sentences_end_at_full_stops_before_capitals() -> None:
    assert _split("He had fever. CRP was 12.5 mg/L. She improved!") == [
        "He had fever.", "CRP was 12.5 mg/L.", "She improved!"]


def test_titles_and_abbreviations_do_not_end_a_sentence() -> None:
    assert _split("Mr. Zhang saw Dr. Li (Fig. 2). He left.") == [
        "Mr. Zhang saw Dr. Li (Fig. 2).", "He left."]


def test_a_letter_naming_a_kind_ends_its_sentence() -> None:
    assert _split("Serology confirmed hepatitis E. Ribavirin was started.") == [
        "Serology confirmed hepatitis E.", "Ribavirin was started."]
    assert _split("Her level of vitamin D. was low") == ["Her level of vitamin D. was low"]


def test_an_initial_after_a_word_leading_to_a_name_stays_inside() -> None:
    assert _split("The biopsy was read by J. Brown and colleagues.") == [
        "The biopsy was read by J. Brown and colleagues."]
    assert _split("She was referred with K. Lee's letter.") == [
        "She was referred with K. Lee's letter."]


def test_a_one_letter_unit_after_a_number_ends_the_sentence() -> None:
    text = ("She delivered a boy weighing 2,500 g. The neonate had jaundice. He drank 2 L. "
            "Then he slept.")
    spans = split(text, (Span(0, len(text)),))
    assert [text[s.start : s.end] for s in spans] == [
        "She delivered a boy weighing 2,500 g.", "The neonate had jaundice.", "He drank 2 L.",
        "Then he slept."]


def test_an_initial_after_a_name_still_does_not_end_the_sentence() -> None:
    text = "She was seen by John A. Smith in clinic."
    assert len(split(text, (Span(0, len(text)),))) == 1
