"""A disorder written with its site after it is read as the site-first term (extract/sites.py)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention
from fhirsvc.terminology import Terminology


def _conditions(terminology: Terminology, sentence: str) -> list[Mention]:
    report = extract("A 60-year-old woman was admitted. " + sentence, "t", terminology)
    return [m for m in report.patients[0].mentions if m.kind.value in ("disorder", "finding")]


@pytest.mark.parametrize(("written", "site_first"), [
    ("adenocarcinoma of the pancreas", "pancreatic adenocarcinoma"),
    ("adenocarcinoma of the lung", "lung adenocarcinoma"),
    ("carcinoma of the left breast", "breast carcinoma"),
    ("an abscess of the liver", "liver abscess"),
    ("an infection of the urinary tract", "urinary tract infection"),
    ("a fracture of the distal right femur", "femur fracture"),
])
def test_a_disorder_with_its_site_after_it_has_the_site_first_terms_codes(
        terminology: Terminology, written: str, site_first: str) -> None:
    expected = terminology.term(site_first)
    assert expected is not None
    found = _conditions(terminology, f"She was diagnosed with {written}.")
    assert [(m.text, m.concepts) for m in found] == [
        (written.removeprefix("an ").removeprefix("a "), expected.concepts)]


def test_a_site_whose_site_first_term_is_unknown_leaves_the_disorder_alone(
        terminology: Terminology) -> None:
    found = _conditions(terminology, "She had tuberculosis of the ankle.")
    assert [m.text for m in found] == ["tuberculosis"]


def test_words_before_of_that_make_no_disorder_with_the_site_give_nothing(
        terminology: Terminology) -> None:
    assert _conditions(terminology, "The history of the lung was reviewed by the team.") == []


def test_a_longer_term_running_through_the_phrase_is_kept(terminology: Terminology) -> None:
    found = _conditions(terminology, "She had squamous cell carcinoma of the esophagus.")
    assert [m.text for m in found] == ["squamous cell carcinoma of the esophagus"]


def test_a_finding_in_a_site_with_side_words_is_the_site_first_term(
        terminology: Terminology) -> None:
    expected = terminology.term("knee pain")
    assert expected is not None
    found = _conditions(terminology, "She had pain in both knees for a year.")
    assert [(m.text, m.concepts) for m in found] == [("pain in both knees", expected.concepts)]


def test_the_side_of_a_site_after_a_finding_keeps_the_sides_term(
        terminology: Terminology) -> None:
    expected = terminology.term("left ventricular dilatation")
    assert expected is not None
    found = _conditions(terminology, "Echocardiography showed dilatation of the left ventricle.")
    assert [(m.text, m.concepts) for m in found] == [
        ("dilatation of the left ventricle", expected.concepts)]
