"""Treatments case reports name without a drug or an operation's name: the care after an
operation, cardioplegia, diet therapy, urinary alkalinization."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology


def _mentions(terminology: Terminology, sentence: str) -> list[Mention]:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    return list(report.patients[0].mentions)


def _treatments(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in _mentions(terminology, sentence)
            if m.kind is MentionKind.THERAPEUTIC_PROCEDURE]


@pytest.mark.parametrize("sentence, treatment", [
    ("He was transferred to the ward for the postoperative period.", "postoperative period"),
    ("Cold blood cardioplegia was given.", "cardioplegia"),
    ("She was advised dietary modifications.", "dietary modifications"),
    ("He was treated with urinary alkalinization.", "urinary alkalinization"),
    ("She underwent retransplantation.", "retransplantation"),
    ("She was discharged on medical therapy.", "medical therapy"),
    ("The fracture was managed conservatively.", "managed conservatively"),
])
def test_a_treatment_named_by_its_usual_words_is_a_therapeutic_procedure(
        terminology: Terminology, sentence: str, treatment: str) -> None:
    assert any(treatment in found for found in _treatments(terminology, sentence))


def test_a_judged_postoperative_course_is_both_the_care_and_its_assessment(
        terminology: Terminology) -> None:
    found = _mentions(terminology, "The postoperative course was uneventful.")
    kinds = {(m.kind, m.result.text if m.result else None) for m in found
             if m.text == "postoperative course"}
    assert (MentionKind.LAB_TEST, "uneventful") in kinds
    assert any(kind is MentionKind.THERAPEUTIC_PROCEDURE for kind, _ in kinds)


def test_medical_therapy_names_no_drug_given(terminology: Terminology) -> None:
    found = _mentions(terminology, "She was discharged on medical therapy.")
    assert [m for m in found if m.kind is MentionKind.MEDICATION] == []
