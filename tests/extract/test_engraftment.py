"""Engraftment and chimerism after a transplant: one lab-test finding of the patient, its
degree or outcome as written (``fhirsvc.extract.engraftment``)."""

import pytest

from fhirsvc.extract import engraftment, extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 6-year-old girl received an umbilical cord blood transplant. "


def _findings(terminology: Terminology, sentence: str) -> list[Mention]:
    report = extract(INTRO + sentence, "t", terminology)
    return [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST
            and ("chim" in m.text.lower() or "engraft" in m.text.lower())]


@pytest.mark.parametrize(("sentence", "name", "outcome"), [
    ("Chimerism analysis on day 28 showed full donor chimerism.", "donor chimerism", "full"),
    ("Complete donor chimerism was documented in the bone marrow.", "donor chimerism", "Complete"),
    ("She had mixed chimerism in the T cells.", "chimerism", "mixed"),
    ("Engraftment was achieved on day 21.", "Engraftment", "achieved"),
    ("Neutrophil engraftment occurred on day 14.", "Neutrophil engraftment", "occurred"),
    ("By day 30 the donor cells had completely replaced the recipient's marrow.",
     engraftment.PLAIN_NAME, "completely replaced"),
    ("Three weeks later healthy donor cells fully replaced her own defective cells.",
     engraftment.PLAIN_NAME, "fully replaced"),
])
def test_each_wording_is_one_finding_of_the_patient_with_its_outcome(
        terminology: Terminology, sentence: str, name: str, outcome: str) -> None:
    [found] = _findings(terminology, sentence)
    assert (found.text, found.result.text if found.result else None) == (name, outcome)
    assert found.context.is_patient_fact and not found.context.negated


def test_a_donor_share_in_per_cent_is_a_quantity(terminology: Terminology) -> None:
    [found] = _findings(terminology, "Peripheral blood showed 100% donor chimerism.")
    assert found.result is not None and found.result.quantity is not None
    assert (found.result.quantity.value, found.result.quantity.ucum) == (100, "%")


@pytest.mark.parametrize("sentence", [
    "She developed engraftment syndrome with fever and rash.",
    "Chimerism analysis was performed on day 28.",
    "The donor was her HLA-identical sister.",
])
def test_a_disorder_a_test_or_the_donor_alone_is_no_engraftment_finding(
        terminology: Terminology, sentence: str) -> None:
    assert [m for m in _findings(terminology, sentence) if m.result is not None] == []


def test_engraftment_the_text_negates_is_negated(terminology: Terminology) -> None:
    [found] = _findings(terminology, "There was no evidence of engraftment.")
    assert found.context.negated
