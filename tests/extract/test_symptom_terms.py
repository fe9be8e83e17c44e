"""Symptoms and examination findings as case reports write them (mappings/conditions.tsv,
mappings/adjective_suffixes.tsv): lay and British forms, the adjectives an examination
describes the patient with, and verb forms."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology

_CONDITION_KINDS = (MentionKind.FINDING, MentionKind.DISORDER)


def _findings(terminology: Terminology, sentence: str) -> dict[str, Mention]:
    report = extract("A 58-year-old man was seen in clinic. " + sentence, "t", terminology)
    return {m.text: m for m in report.patients[0].mentions if m.kind in _CONDITION_KINDS}


def _codes(terminology: Terminology, mention: Mention) -> set[str]:
    return {c.code for key in mention.concepts for c in terminology.concepts[key].codings}


@pytest.mark.parametrize(("sentence", "words", "hpo"), [
    ("Over two months he noticed urinary frequency and nocturia.", "urinary frequency",
     "HP:0100515"),
    ("She reported hot flushes since the oophorectomy.", "hot flushes", "HP:0031217"),
    ("He passed tea-colored urine for three days.", "tea-colored urine", "HP:0040319"),
    ("He had pale stools and generalized itching.", "pale stools", "HP:0011985"),
    ("Both lungs had scattered wheezes.", "wheezes", "HP:0030828"),
    ("A pericardial rub was audible at the left sternal border.", "pericardial rub",
     "HP:0034788"),
    ("An S3 gallop was heard at the apex.", "S3 gallop", "HP:0031658"),
    ("She described pins and needles in both feet.", "pins and needles", "HP:0003401"),
    ("The child had marked fatigability on climbing stairs.", "fatigability", "HP:0003388"),
    ("He had eye redness and photophobia.", "eye redness", "HP:0025337"),
    ("While queueing at the bank he fainted twice.", "fainted", "HP:0001279"),
])
def test_a_symptom_written_in_its_common_form_is_the_hpo_finding(
        terminology: Terminology, sentence: str, words: str, hpo: str) -> None:
    found = _findings(terminology, sentence)
    assert words in found
    assert hpo in _codes(terminology, found[words])


@pytest.mark.parametrize(("sentence", "adjective", "hpo"), [
    ("On admission he was cachectic and dehydrated.", "cachectic", "HP:0004326"),
    ("The sclerae were icteric.", "icteric", "HP:0000952"),
    ("She had a pruritic papular eruption on both forearms.", "pruritic", "HP:0000989"),
    ("He was aphasic when the ambulance arrived.", "aphasic", "HP:0002381"),
    ("By the evening she was delirious.", "delirious", "R41.0"),
    ("The boy became septic on the fourth day.", "septic", "A41.9"),
    ("She was incontinent of urine.", "incontinent", "N39.42"),
])
def test_the_adjective_of_a_finding_is_that_finding(terminology: Terminology, sentence: str,
                                                    adjective: str, hpo: str) -> None:
    found = _findings(terminology, sentence)
    assert adjective in found and hpo in _codes(terminology, found[adjective])


def test_coughing_written_as_a_verb_is_a_cough(terminology: Terminology) -> None:
    found = _findings(terminology, "He coughed up purulent material twice that night.")
    assert "R05.9" in _codes(terminology, found["coughed up"])


@pytest.mark.parametrize(("sentence", "finding"), [
    ("His extremities were described as cold extremities with mottled skin.", "mottled skin"),
    ("There was delayed capillary refill and cold extremities.", "delayed capillary refill"),
    ("Palpation of the right lower quadrant elicited rebound tenderness.",
     "rebound tenderness"),
    ("The neonate had expiratory grunting and nasal flaring.", "expiratory grunting"),
])
def test_abnormal_examination_findings_are_findings(
        terminology: Terminology, sentence: str, finding: str) -> None:
    found = _findings(terminology, sentence)
    assert finding in found and not found[finding].context.negated


def test_a_denied_normal_state_or_symptom_is_negated(terminology: Terminology) -> None:
    found = _findings(terminology, "He denied urinary frequency, hot flushes or wheezes.")
    assert all(found[w].context.negated for w in ("urinary frequency", "hot flushes", "wheezes"))


@pytest.mark.parametrize(("sentence", "words"), [
    ("She felt nauseated and feverish after the infusion.", "nauseated"),
    ("She felt nauseated and feverish after the infusion.", "feverish"),
    ("He became short of breath while climbing stairs.", "short of breath"),
    ("He was breathless at rest.", "breathless"),
    ("She felt fatigued for weeks.", "fatigued"),
    ("His left thumb was numb.", "numb"),
    ("On the second day she had poor urine output.", "poor urine output"),
    ("He was hemodynamically unstable on arrival.", "hemodynamically unstable"),
    ("After the fall she was unable to move her legs.", "unable to move"),
])
def test_symptoms_written_as_the_patient_felt_them_are_findings(
        terminology: Terminology, sentence: str, words: str) -> None:
    assert words in _findings(terminology, sentence)


def test_an_adjective_that_modifies_another_disorder_is_not_hypertension(
        terminology: Terminology) -> None:
    found = _findings(terminology, "Endoscopy showed portal hypertensive gastropathy.")
    assert "hypertensive" not in found


@pytest.mark.parametrize(("sentence", "words", "hpo"), [
    ("Bubble study showed right-to-left shunting across the septum.", "right-to-left shunting",
     "HP:0001694"),
    ("Doppler showed left-to-right shunting through the defect.", "left-to-right shunting",
     "HP:0012382"),
    ("Both testicles were undescended.", "undescended", "HP:0000028"),
])
def test_examination_and_imaging_forms_of_hpo_findings(
        terminology: Terminology, sentence: str, words: str, hpo: str) -> None:
    found = _findings(terminology, sentence)
    assert words in found and hpo in _codes(terminology, found[words])


def test_stable_alone_names_no_finding(terminology: Terminology) -> None:
    assert _findings(terminology, "Her weight was stable over the year.") == {}


def test_a_gain_of_weight_is_the_abnormal_weight_gain_finding(terminology: Terminology) -> None:
    found = _findings(terminology, "He gained weight over two months.")
    assert _codes(terminology, found["gained weight"]) == {"R63.5"}


def test_unable_to_bear_weight_is_a_finding_not_a_weight_measurement(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man fell. He was unable to bear weight.", "t", terminology)
    assert [(m.text, m.kind) for m in report.patients[0].mentions] == [
        ("unable to bear weight", MentionKind.FINDING)]


def test_healthy_describing_a_noun_names_no_finding(terminology: Terminology) -> None:
    assert _findings(terminology, "She delivered a healthy baby at term.") == {}


def test_a_septic_screen_is_a_test_not_sepsis(terminology: Terminology) -> None:
    report = extract("A 3-week-old boy was admitted. A septic screen was performed.", "t",
                     terminology)
    kinds = {m.text: m.kind for m in report.patients[0].mentions}
    assert kinds.get("septic screen") is MentionKind.DIAGNOSTIC_PROCEDURE
