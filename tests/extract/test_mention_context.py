"""How mentions get their context in a whole report: tests, treatments, list sentences."""

from typing import Any

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology

_INTRO = "A 60-year-old man was admitted with fever. "


def _mention(text: str, word: str, terminology: Terminology) -> Mention:
    (patient,) = extract(text, "t", terminology).patients
    return next(m for m in patient.mentions if word in m.text.lower())


def test_a_test_that_found_nothing_was_still_done(terminology: Terminology) -> None:
    text = _INTRO + "He had no focal findings on computed tomography."
    assert not _mention(text, "computed tomography", terminology).context.negated


def test_a_test_not_performed_is_negated(terminology: Terminology) -> None:
    text = _INTRO + "Computed tomography was not performed."
    assert _mention(text, "computed tomography", terminology).context.negated


def test_drugs_listed_in_a_narrative_sentence_without_a_pronoun_are_the_patients(
    terminology: Terminology,
) -> None:
    text = _INTRO + "Intravenous antibiotics including vancomycin and cefepime were continued."
    for drug in ("vancomycin", "cefepime"):
        ctx = _mention(text, drug, terminology).context
        assert ctx.is_patient_fact and not ctx.hypothetical


def test_tests_introduced_by_such_as_with_a_stated_result_are_the_patients(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Serum tumor markers such as carcinoembryonic "
                     "antigen and neuron-specific enolase were all in normal range. Diseases such "
                     "as sarcoidosis can raise these levels.", "t", terminology)
    facts = {m.text: m.context.is_patient_fact for m in report.patients[0].mentions}
    assert facts["carcinoembryonic antigen"] and facts["neuron-specific enolase"]
    assert not facts["sarcoidosis"]


def _resources(converter: Converter, sentence: str) -> list[dict[str, Any]]:
    conversion = converter.convert(_INTRO + sentence, "t")
    assert conversion.ok, conversion.outcome()
    return [e["resource"] for e in conversion.bundle["entry"]]


def test_lab_tests_listed_as_not_done_are_cancelled_observations_without_results(
        converter: Converter) -> None:
    sentence = ("Serum ferritin, a peripheral blood smear, an abdominal ultrasound and a bone "
                "marrow biopsy were not carried out.")
    tests = [r for r in _resources(converter, sentence) if r["resourceType"] == "Observation"]
    assert {r["code"]["text"] for r in tests} >= {"Serum ferritin", "peripheral blood smear"}
    for test in tests:
        assert test["status"] == "cancelled" and "valueCodeableConcept" not in test
        assert test["dataAbsentReason"]["coding"][0]["code"] == "not-performed"


def test_lab_tests_listed_as_negative_keep_their_negative_result(converter: Converter) -> None:
    sentence = "HIV antibodies, hepatitis C antibodies and serum cryoglobulins were negative."
    tests = [r for r in _resources(converter, sentence) if r["resourceType"] == "Observation"]
    assert tests and all(r["status"] == "final" for r in tests)
    assert all(r["interpretation"][0]["coding"][0]["code"] == "NEG" for r in tests)


def test_an_advised_procedure_is_no_completed_procedure(converter: Converter) -> None:
    for sentence in ("Endoscopic stone extraction was advised as the next step.",
                     "A below-knee amputation was recommended, but he declined it."):
        assert not [r for r in _resources(converter, sentence)
                    if r["resourceType"] == "Procedure" and r["status"] == "completed"]


def test_care_not_needed_or_cancelled_leaves_the_condition_asserted(
        terminology: Terminology) -> None:
    text = _INTRO + "She had mild anemia and transfusion was not required."
    assert not _mention(text, "anemia", terminology).context.negated
    assert _mention(text, "transfusion", terminology).context.negated
    text = _INTRO + "He developed pneumonia and surgery was cancelled."
    assert not _mention(text, "pneumonia", terminology).context.negated


def test_an_event_while_awaiting_care_is_no_hypothesis(terminology: Terminology) -> None:
    text = _INTRO + "While awaiting surgery he developed a pulmonary embolism."
    assert not _mention(text, "pulmonary embolism", terminology).context.hypothetical
    text = _INTRO + "Empirical antibiotics were started while awaiting blood culture results."
    assert not _mention(text, "blood culture", terminology).context.hypothetical


def _conditions(converter: Converter, sentence: str) -> dict[str, dict[str, Any]]:
    return {r["code"]["text"]: r for r in _resources(converter, sentence)
            if r["resourceType"] == "Condition"}


def test_a_denied_condition_is_refuted_and_the_one_after_and_a_is_confirmed(
        converter: Converter) -> None:
    found = _conditions(converter, "Auscultation revealed no pericardial rub and a loud "
                                   "systolic murmur at the apex.")
    assert found["pericardial rub"]["verificationStatus"]["coding"][0]["code"] == "refuted"
    assert "clinicalStatus" not in found["pericardial rub"]
    assert found["systolic murmur"]["verificationStatus"]["coding"][0]["code"] == "confirmed"


def test_an_exclusion_not_made_is_provisional_and_no_longer_is_resolved(
        converter: Converter) -> None:
    found = _conditions(converter, "Endocarditis was not excluded. She no longer had "
                                   "headaches after the lumbar drain.")
    assert found["Endocarditis"]["verificationStatus"]["coding"][0]["code"] == "provisional"
    headaches = found["headaches"]
    assert headaches["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert headaches["clinicalStatus"]["coding"][0]["code"] == "resolved"


def test_the_words_of_a_denial_are_no_finding(terminology: Terminology) -> None:
    """"no symptoms of" denies what follows; it does not state the finding "no symptoms"."""
    (patient,) = extract(_INTRO + "There were no symptoms of headache or diplopia.", "t",
                         terminology).patients
    texts = {m.text.lower(): m.context.negated for m in patient.mentions}
    assert "no symptoms" not in texts
    assert texts["headache"] and texts["diplopia"]
    (patient,) = extract(_INTRO + "Afterwards he had no symptoms.", "t", terminology).patients
    assert any(m.text == "no symptoms" for m in patient.mentions)  # asymptomatic, said so


def test_unresponsive_to_a_treatment_is_no_state_of_consciousness(
    terminology: Terminology,
) -> None:
    (patient,) = extract(_INTRO + "He developed ventricular tachycardia unresponsive to lidocaine.",
                         "t", terminology).patients
    assert not any(m.text.lower() == "unresponsive" for m in patient.mentions)
    (patient,) = extract(_INTRO + "He was found unresponsive at home.", "t",
                         terminology).patients
    assert any(m.text.lower() == "unresponsive" for m in patient.mentions)


def test_a_delivered_childs_apgar_scores_and_birth_weight_are_not_the_mothers(
    terminology: Terminology,
) -> None:
    text = ("A 31-year-old woman was admitted in labour. She gave birth to a girl with a birth "
            "weight of 2100 g and Apgar scores of 7 and 9.")
    (patient,) = extract(text, "t", terminology).patients
    measures = [m for m in patient.mentions if "apgar" in m.text.lower()
                or "weight" in m.text.lower()]
    assert measures and not any(m.context.is_patient_fact for m in measures)


def test_a_newborn_patients_own_apgar_scores_are_the_patients(terminology: Terminology) -> None:
    text = "A male newborn was admitted at birth. His Apgar scores were 4 and 7."
    assert _mention(text, "apgar", terminology).context.is_patient_fact


@pytest.mark.parametrize(("text", "condition", "drugs"), [
    ("Magnesium sulfate was given for seizure prophylaxis and labetalol was started.", "seizure",
     ["Magnesium sulfate", "labetalol"]),
    ("Enoxaparin was started as prophylaxis against deep vein thrombosis.", "thrombosis",
     ["Enoxaparin"]),
])
def test_a_condition_prophylaxis_prevents_is_hypothetical_and_the_drugs_stay_given(
    terminology: Terminology, text: str, condition: str, drugs: list[str]
) -> None:
    (patient,) = extract(_INTRO + text, "t", terminology).patients
    prevented = [m for m in patient.mentions if condition in m.text.lower()]
    given = [m for m in patient.mentions if m.kind is MentionKind.MEDICATION]
    assert prevented and all(m.context.hypothetical for m in prevented)
    assert given and not any(m.context.hypothetical for m in given)
    assert [m.text for m in given] == drugs
