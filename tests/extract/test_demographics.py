"""Age, sex (weighted evidence) and name."""

from decimal import Decimal

import pytest

from fhirsvc.extract import demographics
from fhirsvc.model import Sex, Span


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("a 32-year-old man", 32, "a"),
        ("who is 32 years old", 32, "a"),
        ("a seven-year-old girl", 7, "a"),
        ("an 8-month-old infant", 8, "mo"),
        ("aged 65 years", 65, "a"),
        ("45 years of age", 45, "a"),
        ("a 10-day-old neonate", 10, "d"),
        ("a 3-year-4-month-old toddler", 40, "mo"),
        ("a boy 1 year and 9 months old", 21, "mo"),
        ("The boy, now 7, had", 7, "a"),
        ("Grandpa Wang, now aged 78, developed", 78, "a"),
        ("A 70\u2013year\u2013old female presented", 70, "a"),
    ],
)
def test_ages_are_read_with_their_unit(text: str, value: int, unit: str) -> None:
    age = demographics.find_ages(text, 0, len(text))[0]
    assert (age.value, age.unit) == (Decimal(value), unit)


def test_a_noun_tied_to_the_age_outweighs_contradicting_nouns_and_pronouns() -> None:
    text = ("Sun, an 80-year-old woman, came. The old man was weak and his health poor. "
            "Grandma Sun recovered.")
    ages = demographics.find_ages(text, 0, len(text))
    sex, span = demographics.weigh_sex(text, [Span(0, len(text))], ages[0])
    assert sex is Sex.FEMALE
    assert span is not None and text[span.start : span.end] == "woman"


def test_a_relative_of_the_patient_is_no_evidence_of_the_patients_sex() -> None:
    text = "The boy was admitted. His mother and her sister stayed with him."
    assert demographics.weigh_sex(text, [Span(0, len(text))], None)[0] is Sex.MALE


def test_pronouns_alone_are_weak_but_decide_when_nothing_else_does() -> None:
    text = "She was admitted with fever; her cough improved."
    assert demographics.weigh_sex(text, [Span(0, len(text))], None)[0] is Sex.FEMALE


def test_a_name_is_read_only_when_the_report_gives_one() -> None:
    text = "Mr. Zhang who is 32 years old was found to have splenomegaly."
    assert demographics.find_name(text, [Span(0, len(text))]) == ("Zhang", Span(4, 9))
    plain = "A 32-year-old man was found to have splenomegaly."
    assert demographics.find_name(plain, [Span(0, len(plain))]) is None


def test_the_person_noun_after_several_describing_words_is_tied_to_the_age() -> None:
    text = "A 52-yr-old previously fit West African man presented with fever."
    age = demographics.find_ages(text, 0, len(text))[0]
    assert (age.value, demographics.age_noun(text, age)) == (Decimal(52), "man")


def test_a_number_after_now_is_no_age_when_a_phrase_goes_on_after_it() -> None:
    text = "The rash is now 3 days after onset."
    assert demographics.find_ages(text, 0, len(text)) == []


def test_the_person_noun_after_an_age_written_with_en_dashes_is_tied_to_it() -> None:
    text = "A 70\u2013year\u2013old female presented with chest pain."
    age = demographics.find_ages(text, 0, len(text))[0]
    assert demographics.age_noun(text, age) == "female"


def test_an_age_is_a_person_after_an_article_and_before_a_verb_not_before_a_noun() -> None:
    person = "The 4-year-old was brought in."
    thing = "a 3-month-old fracture of the wrist"
    for text, expected in ((person, True), (thing, False)):
        age = demographics.find_ages(text, 0, len(text))[0]
        assert demographics.stands_for_person(text, age) is expected


def test_a_bare_number_is_an_age_only_in_apposition_to_a_name_or_person() -> None:
    named = "Lao Chen, 56, a farmer, had fever."
    age = demographics.bare_age(named, Span(0, len(named)))
    assert age is not None and age.value == 56 and named[age.span.start : age.span.end] == "56"
    listed = "On day 3, 40 ml were drained."
    assert demographics.bare_age(listed, Span(0, len(listed))) is None


def test_a_relative_described_by_age_is_no_evidence_of_the_patients_sex() -> None:
    text = "A 6-year-old child was carried in by his 35-year-old grandmother."
    age = demographics.find_ages(text, 0, len(text))[0]
    assert demographics.weigh_sex(text, [Span(0, len(text))], age)[0] is Sex.MALE
