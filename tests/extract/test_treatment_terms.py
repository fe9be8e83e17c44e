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
    ("The heart was arrested with cardioplegic arrest before bypass.", "cardioplegic arrest"),
    ("A dietary restriction of salt was recommended.", "dietary restriction"),
    ("He was treated with urinary alkalinization.", "urinary alkalinization"),
    ("The graft failed and a re-transplantation was planned.", "re-transplantation"),
    ("Her angina was controlled by medical treatment alone.", "medical treatment"),
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
    found = _mentions(terminology, "Her angina was controlled by medical treatment alone.")
    assert [m for m in found if m.kind is MentionKind.MEDICATION] == []


@pytest.mark.parametrize("sentence, treatment", [
    ("She was kept on bowel rest for five days.", "bowel rest"),
    ("Daily wound care with dressing changes was continued.", "wound care"),
    ("He received hyperbaric oxygen for the gas gangrene.", "hyperbaric oxygen"),
    ("An arterial line was placed before induction.", "arterial line"),
    ("A Foley catheter was inserted.", "Foley catheter"),
    ("She was given two units of packed red cells.", "packed red cells"),
    ("A laparoscopic fundoplication was performed for reflux.", "fundoplication"),
    ("He underwent surgical exploration of the neck.", "surgical exploration"),
    ("Compression stockings were prescribed for the edema.", "Compression stockings"),
    ("Continuous positive airway pressure was applied overnight.",
     "Continuous positive airway pressure"),
    ("After the arrest, targeted temperature management was started.",
     "targeted temperature management"),
    ("She conceived after in vitro fertilization.", "in vitro fertilization"),
    ("He had laser photocoagulation of the left retina.", "laser photocoagulation"),
    ("An external ventricular drain was inserted.", "external ventricular drain"),
    ("He was treated with leukapheresis for hyperleukocytosis.", "leukapheresis"),
    ("The wound was closed primarily.", "closed primarily"),
])
def test_supportive_and_bedside_care_is_a_therapeutic_procedure(
        terminology: Terminology, sentence: str, treatment: str) -> None:
    assert any(treatment in found for found in _treatments(terminology, sentence))


@pytest.mark.parametrize("sentence, test", [
    ("ERCP showed a stone in the common bile duct.", "ERCP"),
    ("Magnetic resonance cholangiopancreatography was normal.",
     "Magnetic resonance cholangiopancreatography"),
    ("A barium swallow showed a narrowing.", "barium swallow"),
    ("Visual evoked potentials were delayed on the left.", "Visual evoked potentials"),
    ("Western blot confirmed the antibodies.", "Western blot"),
    ("Bone densitometry showed osteoporosis.", "Bone densitometry"),
    ("Venous duplex of the left leg showed a thrombus.", "Venous duplex"),
    ("A skeletal survey showed lytic lesions.", "skeletal survey"),
    ("Intravascular ultrasound showed a ruptured plaque.", "Intravascular ultrasound"),
    ("Dobutamine stress echocardiography showed no ischaemia.",
     "Dobutamine stress echocardiography"),
    ("Ambulatory blood pressure monitoring confirmed the diagnosis.",
     "Ambulatory blood pressure monitoring"),
    ("A sestamibi scan localised the adenoma.", "sestamibi scan"),
    ("Transient elastography showed advanced fibrosis.", "Transient elastography"),
    ("Haemoglobin electrophoresis showed no variant.", "Haemoglobin electrophoresis"),
])
def test_imaging_endoscopy_and_laboratory_methods_are_diagnostic_procedures(
        terminology: Terminology, sentence: str, test: str) -> None:
    found = [m.text for m in _mentions(terminology, sentence)
             if m.kind in (MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.LAB_TEST)]
    assert test in found


@pytest.mark.parametrize("sentence", [
    "She received two units of platelets before the biopsy.",
    "Platelets were transfused before the procedure.",
    "He was given a blood transfusion and platelets.",
])
def test_a_blood_component_the_patient_is_given_is_a_transfusion(terminology: Terminology,
                                                                  sentence: str) -> None:
    given = [m for m in _mentions(terminology, sentence) if m.text.lower() == "platelets"]
    assert given and all(m.kind is MentionKind.THERAPEUTIC_PROCEDURE and not m.concepts
                         for m in given)


@pytest.mark.parametrize("sentence", [
    "Platelets were 45,000/uL on admission.",
    "He received chemotherapy and platelets fell to 20,000/uL.",
])
def test_a_blood_component_with_a_value_is_the_count(terminology: Terminology,
                                                     sentence: str) -> None:
    kinds = {m.kind for m in _mentions(terminology, sentence) if m.text.lower() == "platelets"}
    assert kinds == {MentionKind.LAB_TEST}


@pytest.mark.parametrize("sentence, wrong", [
    ("She was admitted with Ebola virus disease (EVD).", "proc:ventricular_drain"),
    ("The family received genetic counseling.", "proc:psychotherapy"),
    ("He underwent CO2 laser therapy for a port-wine stain.", "proc:photocoagulation"),
])
def test_a_generic_term_or_bare_short_form_names_no_specific_procedure(
        terminology: Terminology, sentence: str, wrong: str) -> None:
    assert wrong not in {c for m in _mentions(terminology, sentence) for c in m.concepts}


def _experiencers(terminology: Terminology, sentence: str) -> dict[str, str]:
    return {m.text: m.context.experiencer.value for m in _mentions(terminology, sentence)
            if m.kind is MentionKind.THERAPEUTIC_PROCEDURE}


@pytest.mark.parametrize("sentence, expected", [
    ("She was born by spontaneous vaginal delivery at 39 weeks after induction of labor.",
     {"spontaneous vaginal delivery": "family", "induction of labor": "family"}),
    ("The infant was conceived by IVF.", {"IVF": "family"}),
    ("He was born by emergency cesarean section and received phototherapy.",
     {"cesarean section": "family", "phototherapy": "patient"}),
    ("Her baby was born by cesarean section.", {"cesarean section": "patient"}),
    ("She underwent induction of labor at 41 weeks.", {"induction of labor": "patient"}),
])
def test_a_procedure_someone_was_born_or_conceived_by_is_their_mothers(
        terminology: Terminology, sentence: str, expected: dict[str, str]) -> None:
    """Born or conceived by a procedure: it was done to the mother; the patient's own only
    when the one born is the patient's child."""
    assert _experiencers(terminology, sentence) == expected
