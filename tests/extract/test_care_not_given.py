"""Care not given, deferred, planned, stopped, or someone else's: never a completed event."""

from __future__ import annotations

from typing import Any

import pytest

from fhirsvc.extract import halts
from fhirsvc.model import Context, Halt, MentionKind, Span
from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions

INTRO = "A 63-year-old man was admitted with jaundice and weight loss.\n"
CARE = ("Procedure", "MedicationAdministration")


def _care(converter: Converter, sentence: str) -> dict[str, dict[str, Any]]:
    """The Procedures and MedicationAdministrations of ``INTRO + sentence``, by their words."""
    bundle = converter.convert(INTRO + sentence + "\n", "t").bundle
    found = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] in CARE]
    return {(r.get("code") or r.get("medicationCodeableConcept"))["text"].lower(): r
            for r in found}


def _reason(resource: dict[str, Any]) -> str | None:
    reason = resource.get("statusReason")
    if isinstance(reason, list):
        reason = reason[0] if reason else None
    return reason["text"] if reason else None


@pytest.mark.parametrize(("sentence", "words", "reason"), [
    ("No liver biopsy was performed because of his coagulopathy.", "biopsy", None),
    ("No bone marrow aspiration was ever undertaken.", "bone marrow aspiration", None),
    ("Endoscopic retrograde cholangiopancreatography was deferred until the sepsis had "
     "settled.", "endoscopic retrograde cholangiopancreatography", "deferred"),
    ("A colonoscopy was postponed at his request.", "colonoscopy", "deferred"),
    ("A magnetic resonance imaging scan could not be obtained because of his pacemaker.",
     "magnetic resonance imaging", "not possible"),
    ("Percutaneous drainage was not feasible given the position of the collection.",
     "percutaneous drainage", "not possible"),
    ("Surgical resection was contraindicated owing to his frailty.", "surgical resection",
     "contraindicated"),
    ("He had a contraindication to anticoagulation after the haemorrhage.", "anticoagulation",
     "contraindicated"),
    ("After a long discussion he declined chemotherapy.", "chemotherapy", "refused"),
    ("His daughters refused mechanical ventilation on his behalf.", "mechanical ventilation",
     "refused"),
    ("Pancreaticoduodenectomy was declined by the patient.", "pancreaticoduodenectomy",
     "refused"),
    ("Radiotherapy was discussed with him but was declined.", "radiotherapy", "refused"),
    ("Liver transplantation was discussed but not pursued.", "liver transplantation", None),
    ("Paracentesis was not attempted because the ascites was minimal.", "paracentesis", None),
    ("The team decided against surgery in view of his comorbidities.", "surgery", None),
    ("She failed a second attempt at weaning from mechanical ventilation.",
     "mechanical ventilation", "not possible"),
    ("After two unsuccessful attempts at endotracheal intubation, a laryngeal mask was used.",
     "endotracheal intubation", "not possible"),
    ("His frailty made it impossible to perform a hepatectomy.", "hepatectomy", "not possible"),
    ("We were unable to administer chemotherapy given his renal failure.", "chemotherapy",
     "not possible"),
    ("No echocardiogram was available from his previous admission.", "echocardiogram", None),
    ("A pancreatectomy was not an option given his frailty.", "pancreatectomy", None),
    ("Her poor condition made it difficult to perform a gastrectomy or to give adjuvant "
     "chemotherapy.", "gastrectomy", "not possible"),
    ("Her poor condition made it difficult to perform a gastrectomy or to give adjuvant "
     "chemotherapy.", "adjuvant chemotherapy", "not possible"),
    ("She was not given enoxaparin because of the bleeding.", "enoxaparin", None),
    ("The children were not administered ribavirin.", "ribavirin", None),
    ("Because of his kidneys I have not started colchicine yet.", "colchicine", None),
])
def test_care_the_text_says_was_not_given_is_not_done(
        converter: Converter, sentence: str, words: str, reason: str | None) -> None:
    resource = _care(converter, sentence)[words]
    assert resource["status"] == "not-done"
    if reason is not None:
        assert _reason(resource) == reason


@pytest.mark.parametrize("sentence", [
    "Laparoscopic cholecystectomy is planned for the following month.",
    "Adjuvant chemotherapy is scheduled to start after discharge.",
    "We plan to repeat the endoscopic ultrasonography in six weeks.",
    "He will undergo a repeat endoscopy in three months.",
    "We intend to repeat the colonoscopy after one year.",
    "His falling oxygen saturation meant he would require a tracheostomy.",
    "He was considered for a liver transplantation.",
    "Radiofrequency ablation was discussed as an alternative.",
    "A patient in a previous report underwent liver transplantation.",
    "Liver transplantation was performed in previously reported patients with this variant.",
    "The donor underwent a laparoscopic nephrectomy.",
    "In a similar case, the patient underwent liver transplantation.",
    "In previously described cases, plasmapheresis was curative.",
    "Her brother, the donor, had undergone leukapheresis the day before.",
    "Plan: repeat colonoscopy in a year and start mesalazine.",
])
def test_planned_care_and_another_persons_care_are_no_resource(
        converter: Converter, sentence: str) -> None:
    assert _care(converter, sentence) == {}


@pytest.mark.parametrize(("sentence", "words"), [
    ("Warfarin was withheld because of the gastrointestinal bleeding.", "warfarin"),
    ("Intravenous heparin was discontinued on day 4.", "heparin"),
    ("We stopped the tacrolimus when his creatinine rose.", "tacrolimus"),
    ("Discontinuation of amiodarone led to a slow recovery of his thyroid function.",
     "amiodarone"),
])
def test_a_drug_given_then_stopped_or_withheld_is_stopped(
        converter: Converter, sentence: str, words: str) -> None:
    found = _care(converter, sentence)
    [key] = [k for k in found if words in k]
    assert found[key]["status"] == "stopped"


@pytest.mark.parametrize(("sentence", "words"), [
    ("A liver biopsy was performed and showed no malignancy.", "biopsy"),
    ("She underwent kidney transplantation from a living donor.", "kidney transplantation"),
    ("The donor underwent apheresis and she then received a stem cell transplantation.",
     "stem cell transplantation"),
    ("Abdominal ultrasonography showed no biliary dilatation.", "ultrasonography"),
    ("He received intravenous heparin for five days.", "heparin"),
    ("A planned cholecystectomy was performed two weeks later.", "cholecystectomy"),
    ("Radiotherapy was planned after the resection of the tumour.", "radiotherapy"),
    ("The anastomosis was difficult to perform because of dense adhesions.", "anastomosis"),
    ("A hepatectomy was difficult to perform, so she was given sorafenib instead.", "sorafenib"),
    ("Radiotherapy could not be given; therefore capecitabine was started.", "capecitabine"),
    ("All his drugs except low-dose bisoprolol were discontinued.", "bisoprolol"),
    ("Enoxaparin was not given because of the bleeding; clopidogrel was continued.",
     "clopidogrel"),
    ("He was not given a diagnosis until a week later, when amiodarone was started.",
     "amiodarone"),
])
def test_care_given_stays_completed(converter: Converter, sentence: str, words: str) -> None:
    found = _care(converter, sentence)
    [key] = [k for k in found if words in k]
    assert found[key]["status"] == "completed"
    assert "statusReason" not in found[key]


def test_no_with_a_finding_after_a_test_does_not_deny_the_test(
        terminology: Terminology) -> None:
    [scan] = patient_mentions(terminology, "No mass was seen on the CT scan.",
                              MentionKind.DIAGNOSTIC_PROCEDURE)
    assert not scan.context.negated


def test_denied_test_needs_a_negation_that_reaches_the_test() -> None:
    text = "A biopsy was performed."
    span = Span(2, 8)
    assert halts.denied_test(text, span, [], Context()) == Context()


def test_reason_is_the_nearest_reason_word_of_the_sentence() -> None:
    text = "He declined surgery, which was later contraindicated anyway."
    at = text.index("surgery")
    found = halts.halt(text, Span(at, at + 7), Span(0, len(text)), Context(negated=True,
                                                                         not_done=True))
    assert found is Halt.REFUSED


def test_no_contraindication_does_not_deny_the_care(terminology: Terminology) -> None:
    [surgery] = patient_mentions(terminology, "There was no contraindication to surgery.",
                                 MentionKind.THERAPEUTIC_PROCEDURE)
    assert not surgery.context.not_done and not surgery.context.negated


@pytest.mark.parametrize(("sentence", "words", "reason"), [
    ("A pancreaticoduodenectomy was offered. The patient declined.", "pancreaticoduodenectomy",
     "refused"),
    ("Chemotherapy and radiotherapy were recommended.\nHowever, he refused.", "radiotherapy",
     "refused"),
    ("A pancreaticoduodenectomy was offered, but he declined.", "pancreaticoduodenectomy",
     "refused"),
    ("Endoscopic drainage was proposed, which the patient refused.", "drainage", "refused"),
    ("Dialysis was considered but not performed.", "dialysis", None),
    ("Surgery was avoided because of his frailty.", "surgery", None),
    ("We avoided a liver biopsy because of the ascites.", "biopsy", None),
])
def test_care_proposed_then_refused_weighed_or_avoided_is_not_done(
        converter: Converter, sentence: str, words: str, reason: str | None) -> None:
    resource = _care(converter, sentence)[words]
    assert resource["status"] == "not-done"
    assert _reason(resource) == reason


def test_a_refusal_with_care_of_its_own_leaves_the_proposal_before_it_alone(
        converter: Converter) -> None:
    found = _care(converter, "Radiotherapy was performed. He then refused chemotherapy.")
    assert found["radiotherapy"]["status"] == "completed"
    assert found["chemotherapy"]["status"] == "not-done"


def test_a_decline_in_health_after_a_proposal_is_no_refusal(converter: Converter) -> None:
    assert _care(converter, "Radiotherapy was proposed. He declined rapidly and died.") == {}


def test_a_risk_is_no_condition_and_the_care_avoided_for_it_is_not_done(
        converter: Converter) -> None:
    bundle = converter.convert(INTRO + "Given the bleeding risk, anticoagulation was avoided.\n"
                               "She was at risk of a stroke.\n", "t").bundle
    kinds = {(r.get("code") or r.get("medicationCodeableConcept") or {}).get("text", "").lower():
             r for r in (e["resource"] for e in bundle["entry"])}
    assert "bleeding" not in kinds
    assert "stroke" not in kinds
    assert kinds["anticoagulation"]["status"] == "not-done"
