"""Tests named by an adjective or adverb of their method, and parts of the physical and
neurological examination (mappings/procedures.tsv)."""

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def _tests(terminology: Terminology, sentence: str) -> set[str]:
    report = extract("A 47-year-old woman was admitted. " + sentence, "t", terminology)
    return {m.text for m in report.patients[0].mentions
            if m.kind is MentionKind.DIAGNOSTIC_PROCEDURE}


def test_a_test_named_by_its_adjective_or_adverb_is_a_diagnostic_procedure(
    terminology: Terminology
) -> None:
    found = _tests(terminology, "The sonographic and electrocardiographic results were normal, "
                                "and the nodule was confirmed histologically.")
    assert {"sonographic", "electrocardiographic", "histologically"} <= found


def test_an_mri_sequence_or_contrast_study_is_an_mri(terminology: Terminology) -> None:
    found = _tests(terminology, "Cardiac imaging with late gadolinium enhancement and "
                                "T2-weighted images was done.")
    assert {"late gadolinium enhancement", "T2-weighted images"} <= found


def test_parts_of_the_examination_are_diagnostic_procedures(terminology: Terminology) -> None:
    found = _tests(terminology, "Pupils were reactive, deep tendon reflexes were brisk and "
                                "bowel sounds were absent.")
    assert {"Pupils", "deep tendon reflexes", "bowel sounds"} <= found


def test_grossly_as_a_degree_adverb_names_no_examination(terminology: Terminology) -> None:
    assert "grossly" not in {t.lower() for t in
                             _tests(terminology, "Her gait was grossly normal.")}


def test_abnormal_examination_adjectives_name_findings(terminology: Terminology) -> None:
    report = extract("A 47-year-old woman was admitted. Her conjunctivae were congested and a "
                     "tortuous vein was seen on the left calf.", "t", terminology)
    found = {m.text for m in report.patients[0].mentions if m.kind is MentionKind.FINDING}
    assert {"congested", "tortuous"} <= found


def test_a_normal_examination_state_is_no_finding(terminology: Terminology) -> None:
    """"anicteric" or "normotensive" states that nothing is wrong: a Condition of it would
    put a normal state on the patient's problem list."""
    report = extract("A 47-year-old woman was admitted. She was anicteric and normotensive, and "
                     "a palpable node was noted.", "t", terminology)
    found = {m.text for m in report.patients[0].mentions if m.kind is MentionKind.FINDING}
    assert not {"anicteric", "normotensive", "palpable"} & found


def test_imaging_and_tracing_findings_name_findings_not_disorders(
    terminology: Terminology
) -> None:
    report = extract("A 47-year-old woman was admitted. The ECG showed ST depression in V4, and "
                     "CT showed ground-glass changes with a perihepatic fluid collection.", "t",
                     terminology)
    kinds = {m.text: m.kind for m in report.patients[0].mentions}
    assert kinds.get("ST depression") is MentionKind.FINDING
    assert "depression" not in kinds
    assert {"ground-glass changes", "fluid collection"} <= set(kinds)


def test_symptoms_written_as_verbs_or_plain_nouns_are_findings(terminology: Terminology) -> None:
    report = extract("A 47-year-old woman was admitted. She lost consciousness at home after "
                     "weeks of chest discomfort, and was unable to walk.", "t", terminology)
    found = {m.text for m in report.patients[0].mentions if m.kind is MentionKind.FINDING}
    assert {"lost consciousness", "unable to walk"} <= found
    assert any("discomfort" in text for text in found)
