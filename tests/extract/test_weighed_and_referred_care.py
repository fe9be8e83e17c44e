"""Care only weighed is hypothetical, a weighed diagnosis uncertain; care the patient was
referred for is of unknown status unless the text says it was done."""

import pytest

from fhirsvc.model import Context, Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions, patient_mentions


def _care(terminology: Terminology, text: str, words: str) -> Context:
    found = [m for kind in (MentionKind.THERAPEUTIC_PROCEDURE, MentionKind.DIAGNOSTIC_PROCEDURE)
             for m in patient_mentions(terminology, text, kind) if m.text == words]
    assert found, text
    return found[0].context


@pytest.mark.parametrize(("text", "words"), [
    ("A splenectomy was considered.", "splenectomy"),
    ("She was assessed for possible heart transplantation.", "heart transplantation"),
])
def test_care_only_weighed_is_hypothetical(terminology: Terminology, text: str,
                                           words: str) -> None:
    ctx = _care(terminology, text, words)
    assert ctx.hypothetical and not ctx.negated


def test_care_weighed_and_not_done_is_not_done(terminology: Terminology) -> None:
    ctx = _care(terminology, "Plasmapheresis was considered but not performed.", "Plasmapheresis")
    assert ctx.not_done


def test_a_weighed_diagnosis_stays_uncertain(terminology: Terminology) -> None:
    found: list[Mention] = patient_conditions(terminology, "Sarcoidosis was considered.")
    assert found and found[0].context.uncertain and not found[0].context.hypothetical


@pytest.mark.parametrize("text", ["She was referred for bronchoscopy.",
                                  "He was sent home with a referral for bronchoscopy."])
def test_care_referred_for_has_unknown_status(terminology: Terminology, text: str) -> None:
    ctx = _care(terminology, text, "bronchoscopy")
    assert ctx.uncertain and not ctx.hypothetical and not ctx.negated


def test_care_referred_for_and_then_done_is_done(terminology: Terminology) -> None:
    ctx = _care(terminology, "She was referred for bronchoscopy, which she underwent the next day.",
                "bronchoscopy")
    assert not ctx.uncertain and not ctx.hypothetical


def test_a_referral_tells_nothing_of_a_symptom(terminology: Terminology) -> None:
    found = patient_conditions(terminology, "She was referred for haematuria.")
    assert found and not found[0].context.uncertain


def test_care_called_unnecessary_is_not_done(terminology: Terminology) -> None:
    ctx = _care(terminology, "A colectomy was deemed unnecessary.", "colectomy")
    assert ctx.not_done


def test_care_done_and_called_unnecessary_before_it_is_done(terminology: Terminology) -> None:
    ctx = _care(terminology, "He underwent an unnecessary laparotomy.", "laparotomy")
    assert not ctx.not_done and not ctx.negated
