"""A supplement named by what it supplies gives that substance: "vitamin D supplementation"
is vitamin D given, never a drug called "supplementation" (fhirsvc/extract/drugs.py)."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _drugs(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in patient_mentions(terminology, sentence, MentionKind.MEDICATION)]


@pytest.mark.parametrize(("sentence", "given"), [
    ("She was started on iron supplementation.", ["iron"]),
    ("Vitamin D supplementation and zinc supplements were given.", ["Vitamin D", "zinc"]),
    ("He received folic acid supplementation and calcium supplements.",
     ["folic acid", "calcium"]),
    ("Oral iron supplementation was continued.", ["iron"]),
])
def test_a_supplement_after_a_nutrient_is_the_nutrient_given(
        terminology: Terminology, sentence: str, given: list[str]) -> None:
    assert _drugs(terminology, sentence) == given


def test_a_drug_named_before_supplementation_keeps_its_codes(terminology: Terminology) -> None:
    plain = patient_mentions(terminology, "She received prednisolone.", MentionKind.MEDICATION)
    supplied = patient_mentions(terminology, "She received prednisolone supplementation.",
                                MentionKind.MEDICATION)
    assert [m.text for m in supplied] == ["prednisolone"]
    assert supplied[0].concepts == plain[0].concepts != ()


@pytest.mark.parametrize("sentence", [
    "She took supplements.",
    "He used herbal supplements.",
])
def test_supplements_after_a_verb_or_an_adjective_supply_no_named_substance(
        terminology: Terminology, sentence: str) -> None:
    assert _drugs(terminology, sentence) == ["supplements"]


@pytest.mark.parametrize(("sentence", "given"), [
    ("Oral supplementation of potassium was given.", ["potassium"]),
    ("She required supplementation with vitamin B12.", ["vitamin B12"]),
])
def test_a_supplement_before_its_named_substance_is_that_substance(
        terminology: Terminology, sentence: str, given: list[str]) -> None:
    assert _drugs(terminology, sentence) == given
