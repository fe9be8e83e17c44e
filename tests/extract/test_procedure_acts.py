"""A procedure is an act: a procedure word with what it is done to, or done by a verb.

Words that look like a procedure's name but tell of something else name none: a head noun
used as a verb, a treatment's role, a study's design, the route or time of care alone, a
participle describing a thing, a state or a disease, a short form the report defines as
something else. Sentences written for these tests in the style of case reports.
"""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO, patient_mentions
from tests.extract.helpers import procedure_texts as _procedures


@pytest.mark.parametrize("sentence", [
    "These imaging findings support the diagnosis of sarcoidosis.",
    "The clinical features support a diagnosis of lymphoma.",
    "His transplanted kidney functions normally.",
    "He continued apatinib as maintenance therapy.",
    "Rituximab was given as first-line treatment.",
    "Written consent was obtained for publication of this case study.",
    "A retrospective study of similar patients found the same.",
    "She was discharged on oral therapy.",
    "Empiric therapy was begun on admission.",
    "After the pleural drainage subsided, he was discharged.",
    "The resected specimen measured 5 cm.",
    "He had an implanted defibrillator.",
    "She had a history of radiation exposure at work.",
    "Poor hydration status was noted.",
    "There was no underlying cardiac pathology.",
    "Vertebral artery dissection was diagnosed on the second day.",
    "Prednisone therapy was tapered over two weeks.",
    "Urgent intervention was discussed with the family.",
    "Nursing home placement was arranged before discharge.",
    "He had undergone a similar operation in childhood.",
    "She was referred to the radiation oncologist.",
    "The echo technician noted nothing unusual.",
    "She was thought transplant-eligible at that time.",
    "She remained surgery-free for ten years.",
    "Radiation-induced fibrosis of the left lung was seen on imaging.",
    "Dialysis-related amyloidosis of the wrist was diagnosed.",
    "She developed transfusion-associated circulatory overload.",
    "Based on the above-mentioned examinations, the diagnosis was made.",
    "All these clinical and laboratory findings pointed to lead poisoning.",
    "Two major criteria were met, providing diagnostic support for sarcoidosis.",
])
def test_words_that_tell_of_no_act_name_no_procedure(terminology: Terminology,
                                                     sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "procedure"), [
    ("The patient needed enzyme replacement therapy.", "enzyme replacement therapy"),
    ("She had gastric bypass surgery in 2010.", "gastric bypass surgery"),
    ("Despite optimal heart failure therapy, his dyspnoea worsened.", "heart failure therapy"),
    ("He underwent inguinal hernia repair.", "inguinal hernia repair"),
    ("Vasopressor support was required for two days.", "Vasopressor support"),
    ("She received postoperative adjuvant therapy.", "adjuvant therapy"),
    ("Several options, such as salvage therapy, were discussed.", "salvage therapy"),
    ("The tumour was resected en bloc.", "resected"),
    ("The pathology of the resected colon showed adenocarcinoma.", "pathology"),
    ("She underwent lumpectomy and axillary node dissection.", "dissection"),
    ("He received donor lymphocyte infusion for the relapse.", "donor lymphocyte infusion"),
    ("Aortic cross-clamping lasted 52 minutes.", "Aortic cross-clamping"),
    ("Because intubation failed, he required a surgical airway.", "surgical airway"),
    ("Enteral feeding was begun on the third day.", "Enteral feeding"),
    ("A careful anamnesis revealed earlier episodes.", "anamnesis"),
    # a back reference points to its own noun, not to a procedure after a verb
    ("These results prompted an upper endoscopy.", "upper endoscopy"),
    ("The above findings led to a lumbar puncture.", "lumbar puncture"),
    ("She had an above knee amputation in 2015.", "amputation"),
    # therapeutic procedures named by their own words
    ("The psoas collection was drained percutaneously.", "drained percutaneously"),
    ("Bleeding from the ulcer stopped after endoscopic hemostasis.", "endoscopic hemostasis"),
    ("Two hemostatic clips were placed on the visible vessel.", "hemostatic clips"),
    ("Prone positioning improved his oxygenation.", "Prone positioning"),
    ("She was treated with haemoperfusion for the paraquat poisoning.", "haemoperfusion"),
])
def test_the_act_is_named_whole(terminology: Terminology, sentence: str,
                                procedure: str) -> None:
    assert procedure in _procedures(terminology, sentence)


def test_a_disorder_before_a_treatment_head_stays_a_disorder(terminology: Terminology) -> None:
    sentence = "He underwent inguinal hernia repair."
    assert [m.text for m in patient_mentions(terminology, sentence, MentionKind.DISORDER)] \
        == ["inguinal hernia"]


def test_one_drug_before_a_treatment_head_is_the_medication(terminology: Terminology) -> None:
    sentence = "Prednisone therapy was tapered over two weeks."
    assert [m.text for m in patient_mentions(terminology, sentence, MentionKind.MEDICATION)] \
        == ["Prednisone"]


def test_a_short_form_the_report_defines_as_a_finding_is_no_procedure(
        terminology: Terminology) -> None:
    assert _procedures(terminology, "Extrapyramidal symptoms (EPS) developed after haloperidol, "
                                    "and EPS resolved when it was stopped.") == []


def test_a_short_form_defined_as_a_procedure_stays_one_named_by_its_long_form(
        terminology: Terminology) -> None:
    sentence = "An electrophysiological study (EPS) was performed. A second EPS was normal."
    found = patient_mentions(terminology, sentence, MentionKind.DIAGNOSTIC_PROCEDURE)
    assert [m.text for m in found] == ["electrophysiological study"] * 3
    assert [sentence[m.span.start - len(INTRO) : m.span.end - len(INTRO)] for m in found] \
        == ["electrophysiological study", "EPS", "EPS"]


@pytest.mark.parametrize("sentence", [
    "Viral polymerase chain reaction (PCR) testing of the fluid was negative.",
    "PCR testing of the biopsy was done.",
])
def test_a_head_after_a_tests_name_is_part_of_it(terminology: Terminology,
                                                 sentence: str) -> None:
    assert "testing" not in _procedures(terminology, sentence)
    assert _procedures(terminology, sentence)


@pytest.mark.parametrize("sentence", [
    "He was taken to the catheterization laboratory.",
    "He was placed on the transplant waiting list.",
])
def test_a_place_of_care_or_a_waiting_list_is_no_procedure(terminology: Terminology,
                                                           sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "He was considered a candidate for surgery.",
    "She was listed for liver transplantation in May.",
    "He was eligible for bone marrow transplantation.",
])
def test_care_a_patient_is_a_candidate_for_is_not_yet_done(terminology: Terminology,
                                                          sentence: str) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE)
    assert found and all(m.context.hypothetical for m in found)


@pytest.mark.parametrize(("sentence", "criteria"), [
    ("She fulfilled the modified Duke criteria for endocarditis.", "modified Duke criteria"),
    ("The 2012 Sapporo criteria were met.", "2012 Sapporo criteria"),
    ("Light's criteria pointed to an exudate.", "Light's criteria"),
    ("Her symptoms met the Rome IV criteria.", "Rome IV criteria"),
])
def test_named_criteria_are_diagnostic_procedures(terminology: Terminology, sentence: str,
                                                  criteria: str) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.DIAGNOSTIC_PROCEDURE)
    assert criteria in [m.text for m in found]


@pytest.mark.parametrize("sentence", [
    "Major criteria were met on the second day.",
    "He met two minor criteria for the diagnosis.",
])
def test_criteria_without_a_name_are_no_procedure(terminology: Terminology,
                                                  sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "procedure"), [
    ("He underwent replacement of the aortic valve with a bioprosthesis.",
     "replacement of the aortic valve"),
    ("She underwent closure of the atrial septal defect.", "closure of the atrial septal defect"),
    ("Surgical resection of the tumour was performed in May.", "Surgical resection of the tumour"),
    ("Excision of the lesion of the scalp was uneventful.", "Excision of the lesion"),
    ("He had repair of the ruptured aneurysm, and recovered.", "repair of the ruptured aneurysm"),
    ("She underwent removal of an enlarged lymph node.", "removal of an enlarged lymph node"),
])
def test_an_act_is_named_with_what_it_is_done_to(terminology: Terminology, sentence: str,
                                                 procedure: str) -> None:
    assert procedure in _procedures(terminology, sentence)


@pytest.mark.parametrize(("sentence", "procedure"), [
    # the object's words stop at a number, an adverb or a clause
    ("He underwent resection of a 5 cm mass.", "resection"),
    ("She had reconstruction of the sinus using a pericardial patch.",
     "reconstruction of the sinus"),
    # an adjective before a list: its noun comes after the list
    ("Resection of the oesophageal and pulmonary lesions was planned.", "Resection"),
    ("Grafting of the obtuse marginal, diagonal and posterior descending branches followed.",
     "Grafting"),
])
def test_an_acts_object_stops_where_its_name_does(terminology: Terminology, sentence: str,
                                                  procedure: str) -> None:
    assert procedure in _procedures(terminology, sentence)


def test_a_head_right_after_a_tests_name_joins_it_and_its_finding_keeps_the_result(
        terminology: Terminology) -> None:
    sentence = "An echocardiographic examination revealed normal cardiac dimensions."
    found = patient_mentions(terminology, sentence, MentionKind.DIAGNOSTIC_PROCEDURE)
    assert [m.text for m in found] == ["echocardiographic examination"]
    measured = patient_mentions(terminology, sentence, MentionKind.LAB_TEST)
    assert [(m.text, m.result and m.result.text) for m in measured] == [
        ("cardiac dimensions", "normal")]
