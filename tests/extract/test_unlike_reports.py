"""Sentences of kinds the reports the rules were tuned on rarely show, written for specialties
beyond them: a place's or a population's diseases, a blood test's target, an event that did
not happen, an organ a drug dictionary lists."""

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO, patient_conditions, patient_mentions


def _facts(terminology: Terminology, sentence: str) -> list[str]:
    """The lower-cased texts of the sentence's disorders and findings stated as present in
    the patient."""
    return [m.text.lower() for m in patient_conditions(terminology, sentence)
            if m.span.start >= len(INTRO) and m.context.is_patient_fact
            and not m.context.negated]


def test_how_common_a_disease_is_where_the_patient_was_is_no_disorder(
        terminology: Terminology) -> None:
    assert _facts(terminology, "She had lived for ten years in an area with a high "
                               "prevalence of hepatitis B.") == []
    assert _facts(terminology, "She came back from a trip to a region where malaria "
                               "is endemic.") == []
    assert _facts(terminology, "The village she came from has a high incidence of "
                               "leprosy.") == []


def test_a_serology_names_what_it_looks_for(terminology: Terminology) -> None:
    assert _facts(terminology, "Serology for brucellosis was sent to the reference "
                               "laboratory.") == []
    assert _facts(terminology, "A workup for vasculitis was started.") == []


def test_an_event_that_did_not_occur_is_denied(terminology: Terminology) -> None:
    conditions = patient_conditions(terminology, "Seizures did not occur after the "
                                                 "dose was lowered.")
    assert [m.context.negated for m in conditions if m.text.lower() == "seizures"] == [True]



def test_an_organ_a_drug_dictionary_lists_is_no_drug(terminology: Terminology) -> None:
    assert patient_mentions(terminology, "On ultrasound the thyroid gland was small.",
                            MentionKind.MEDICATION) == []


def test_a_newborns_weight_after_the_operation_is_no_dose(terminology: Terminology) -> None:
    sections = [m for m in patient_mentions(terminology, "A caesarean section was done at 37 "
                                            "weeks, and a 3100 g boy was born.",
                                            MentionKind.THERAPEUTIC_PROCEDURE)
                if "section" in m.text]
    assert sections and all(m.dosage is None or m.dosage.dose is None for m in sections)


def test_a_service_or_act_named_after_a_disorder_is_no_disorder(
        terminology: Terminology) -> None:
    for sentence in ("The asthma nurse taught her to use the inhaler.",
                     "A sepsis work-up was sent from the emergency room.",
                     "A rheumatology consultation was requested.",
                     "He had received influenza vaccination in the autumn.",
                     "She was enrolled in a diabetes prevention programme."):
        assert _facts(terminology, sentence) == [], sentence



def test_a_hedged_diagnosis_without_a_pronoun_is_the_patients(
        terminology: Terminology) -> None:
    found = [m for m in patient_conditions(terminology, "Sarcoidosis could not be excluded.")
             if m.text.lower() == "sarcoidosis"]
    assert found and all(m.context.uncertain and m.context.is_patient_fact for m in found)


def test_a_kind_spoken_of_in_the_present_tense_is_no_finding(
        terminology: Terminology) -> None:
    assert _facts(terminology, "Such cysts can grow slowly over many years.") == []
    assert _facts(terminology, "Such polyps have a high risk of bleeding.") == []


def test_vertigo_keeps_a_code_of_its_own(terminology: Terminology) -> None:
    found = [m for m in patient_conditions(terminology, "She reported vertigo on standing.")
             if m.text == "vertigo"]
    assert found and "cond:dizziness" not in found[0].concepts


def test_a_longer_disorder_name_is_not_cut_to_a_shorter_one(terminology: Terminology) -> None:
    found = [m for m in patient_conditions(terminology, "He was treated for major depressive "
                                                        "disorder for ten years.")
             if "depressive" in m.text]
    assert [m.text for m in found] == ["major depressive disorder"]


def test_a_clause_before_but_is_no_item_of_a_list_of_tests(terminology: Terminology) -> None:
    tests = patient_mentions(terminology, "Myasthenia was suspected, but acetylcholine receptor "
                                          "antibodies were negative.", MentionKind.LAB_TEST)
    assert "suspected" not in [m.text for m in tests]


def test_a_relapse_is_of_the_disease_diagnosed_not_of_one_considered(
        terminology: Terminology) -> None:
    found = patient_conditions(terminology, "Behcet disease was considered. A diagnosis of "
                                            "Crohn disease was made. A year later she had a "
                                            "relapse.")
    relapse = [m for m in found if m.text == "relapse"]
    crohn = [m for m in found if m.text == "Crohn disease"]
    assert relapse and crohn and relapse[0].concepts == crohn[0].concepts


def _hedged(terminology: Terminology, sentence: str, name: str) -> list[bool]:
    """Whether each mention of ``name`` in the sentence is hedged."""
    return [m.context.uncertain for m in patient_conditions(terminology, sentence)
            if m.text.lower() == name]


def test_a_possible_cause_named_after_the_disorder_is_hedged(terminology: Terminology) -> None:
    assert _hedged(terminology, "Pancreatitis was a possible cause of the pain.",
                   "pancreatitis") == [True]
    assert _hedged(terminology, "Endocarditis was the most likely source.",
                   "endocarditis") == [True]


def test_an_adverb_inside_the_verb_ends_no_clause(terminology: Terminology) -> None:
    assert _hedged(terminology, "Vasculitis was therefore considered unlikely.",
                   "vasculitis") == [True]


def test_a_protocol_or_screen_named_after_a_disorder_is_no_disorder(
        terminology: Terminology) -> None:
    assert _facts(terminology, "The marrow was sent for leukemia protocol.") == []
    assert _facts(terminology, "A vasculitis screen was unremarkable.") == []


def test_a_disorder_said_to_remain_a_possibility_is_hedged(terminology: Terminology) -> None:
    assert _hedged(terminology, "Sarcoidosis remains a possibility.", "sarcoidosis") == [True]


def test_what_the_patient_is_taught_about_is_no_finding(terminology: Terminology) -> None:
    assert _facts(terminology, "She was educated about the warning signs of stroke.") == []
    assert _facts(terminology, "He was counselled about hypoglycemia.") == []
