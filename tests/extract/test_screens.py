"""One reading stated of what a set of tests screened for: each item is a test with it.

Every sentence here is written for these tests, in the style of published case reports.
"""

from __future__ import annotations

from fhirsvc.extract import extract
from fhirsvc.model import CONDITION_KINDS, MentionKind, Qualitative
from fhirsvc.terminology import Terminology

INTRO = "A 38-year-old man was admitted with jaundice. "


def _readings(terminology: Terminology, sentence: str) -> dict[str, Qualitative | None]:
    report = extract(INTRO + sentence, "t", terminology)
    return {m.text: m.result.qualitative if m.result else None
            for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST}


def test_each_item_screened_for_takes_the_lists_reading(terminology: Terminology) -> None:
    found = _readings(terminology, "Serologies for syphilis, HIV, hepatitis A and E were "
                                   "negative.")
    negative = Qualitative.NEGATIVE
    assert found == {"syphilis": negative, "HIV": negative, "hepatitis A": negative,
                     "hepatitis E": negative}


def test_a_screened_disorder_is_no_condition(terminology: Terminology) -> None:
    report = extract(INTRO + "Tests for syphilis and toxoplasmosis were both positive.", "t",
                     terminology)
    mentions = report.patients[0].mentions
    assert not [m for m in mentions if m.kind in CONDITION_KINDS and m.text != "jaundice"]
    assert {m.text for m in mentions if m.kind is MentionKind.LAB_TEST} == {
        "syphilis", "toxoplasmosis"}


def test_a_reading_of_some_items_only_is_not_the_lists(terminology: Terminology) -> None:
    found = _readings(terminology, "Testing for HIV and syphilis was positive for syphilis.")
    assert found.get("HIV") is None  # positive for syphilis only: HIV's reading is not said


def test_a_list_with_a_clause_inside_is_no_screen(terminology: Terminology) -> None:
    found = _readings(terminology,
                      "He was tested for syphilis which had been treated and was negative.")
    assert "syphilis" not in found
