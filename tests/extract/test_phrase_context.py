"""Phrase findings (stage, class, course, engraftment) take the context every other mention of
their sentence takes: a sentence about other patients or about patients in general is not
the patient's (``fhirsvc.extract.phrases`` through ``mentions._context``)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Experiencer, Mention, MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 56-year-old man presented with a lung mass. "


def _phrase(terminology: Terminology, sentence: str, words: str) -> Mention:
    report = extract(INTRO + sentence, "t", terminology)
    [found] = [m for m in report.patients[0].mentions
               if m.kind is MentionKind.LAB_TEST and words in m.text]
    return found


@pytest.mark.parametrize(("sentence", "words"), [
    ("Patients with NYHA class III heart failure may benefit from such a device.", "NYHA class"),
    ("Patients with stage IIA disease often relapse within two years.", "stage"),
])
def test_a_phrase_finding_about_other_patients_is_not_the_patients(
        terminology: Terminology, sentence: str, words: str) -> None:
    found = _phrase(terminology, sentence, words)
    assert not found.context.is_patient_fact
    assert found.context.experiencer is Experiencer.OTHER


@pytest.mark.parametrize(("sentence", "words"), [
    ("The biopsy showed stage IIA disease.", "stage"),
    ("He was in NYHA class III at admission.", "NYHA class"),
])
def test_a_phrase_finding_in_a_sentence_about_the_patient_is_his(
        terminology: Terminology, sentence: str, words: str) -> None:
    assert _phrase(terminology, sentence, words).context.is_patient_fact
