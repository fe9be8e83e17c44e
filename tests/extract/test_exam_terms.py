"""Tests named by an adjective or adverb of their method, and parts of the physical and
neurological examination (mappings/procedures.tsv), and what an examination observes
(mappings/lab_tests.tsv)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology


def _tests(terminology: Terminology, sentence: str) -> set[str]:
    report = extract("A 47-year-old woman was admitted. " + sentence, "t", terminology)
    return {m.text for m in report.patients[0].mentions
            if m.kind is MentionKind.DIAGNOSTIC_PROCEDURE}


def _mentions(terminology: Terminology, sentence: str) -> list[Mention]:
    return extract("A 47-year-old woman was admitted. " + sentence, "t",
                   terminology).patients[0].mentions


def _kinds(terminology: Terminology, sentence: str) -> dict[str, MentionKind]:
    return {m.text: m.kind for m in _mentions(terminology, sentence)}


def test_a_test_named_by_its_adjective_or_adverb_is_a_diagnostic_procedure(
    terminology: Terminology
) -> None:
    found = _tests(terminology, "The sonographic and electrocardiographic results were normal, "
                                "and the nodule was confirmed histologically.")
    assert {"sonographic", "electrocardiographic", "histologically"} <= found


def test_an_mri_sequence_is_an_mri(terminology: Terminology) -> None:
    found = _tests(terminology, "Cardiac imaging with T2-weighted images and "
                                "diffusion-weighted imaging was done.")
    assert {"T2-weighted images", "diffusion-weighted imaging"} <= found


@pytest.mark.parametrize("sentence", [
    "A cardiac MR study found no delayed gadolinium enhancement in the septum.",
    "Patchy late gadolinium enhancement of the lateral wall was present on MRI.",
])
def test_gadolinium_enhancement_is_a_finding_of_the_mri_not_an_mri(
        terminology: Terminology, sentence: str) -> None:
    """Enhancement is what the images show: a result, never the procedure itself."""
    kinds = _kinds(terminology, sentence)
    enhancement = next(text for text in kinds if "gadolinium enhancement" in text)
    assert kinds[enhancement] is MentionKind.FINDING


def test_absent_gadolinium_enhancement_is_a_refuted_finding(terminology: Terminology) -> None:
    found = _mentions(terminology, "A cardiac MR study found no delayed gadolinium enhancement "
                                   "in the septum.")
    enhancement = next(m for m in found if "gadolinium enhancement" in m.text)
    assert enhancement.context.negated


def test_parts_of_the_examination_are_diagnostic_procedures(terminology: Terminology) -> None:
    found = _tests(terminology, "Pupils were reactive and deep tendon reflexes were brisk.")
    assert {"Pupils", "deep tendon reflexes"} <= found


def test_grossly_as_a_degree_adverb_names_no_examination(terminology: Terminology) -> None:
    assert "grossly" not in {t.lower() for t in
                             _tests(terminology, "Her gait was grossly normal.")}


def test_abnormal_examination_adjectives_name_findings(terminology: Terminology) -> None:
    report = extract("A 47-year-old woman was admitted. Her conjunctivae were congested and a "
                     "tortuous vein was seen on the left calf.", "t", terminology)
    found = {m.text for m in report.patients[0].mentions if m.kind is MentionKind.FINDING}
    assert {"congested", "tortuous vein"} <= found  # the adjective with the site it describes


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


@pytest.mark.parametrize(("sentence", "name"), [
    ("On auscultation of the chest, no breath sounds were audible.", "breath sounds"),
    ("Her abdomen was soft but bowel sounds were not heard.", "bowel sounds"),
])
def test_a_sound_stated_absent_is_an_examination_result_not_a_procedure(
        terminology: Terminology, sentence: str, name: str) -> None:
    """Breath or bowel sounds are examined, so stating them absent is a result of the
    examination, never a disorder."""
    kinds = _kinds(terminology, sentence)
    assert kinds.get(name) is MentionKind.LAB_TEST


def test_st_elevation_naming_a_myocardial_infarction_is_one_disorder(
        terminology: Terminology) -> None:
    texts = [m.text for m in _mentions(terminology, "Troponin rose and an acute ST-segment "
                                                    "elevation myocardial infarction was treated.")
             if m.kind in (MentionKind.DISORDER, MentionKind.FINDING)]
    assert texts == ["ST-segment elevation myocardial infarction"]


def test_st_elevation_on_a_tracing_stays_a_finding(terminology: Terminology) -> None:
    kinds = _kinds(terminology, "Her tracing showed ST elevation in the anterior leads.")
    assert kinds.get("ST elevation") is MentionKind.FINDING


@pytest.mark.parametrize("sentence", [
    "His toenails were long and overdue for clipping.",
    "A bleeding ulcer was managed with endoscopic clipping.",
    "He complained of incomplete evacuation after defecation.",
    "The cord had left a faint ligature impression on the wrist.",
    "The search for a cause was widened to include vasculitis.",
    "The team discussed widening the antibiotic cover.",
])
def test_a_bare_generic_word_names_no_curated_procedure_or_finding(
        terminology: Terminology, sentence: str) -> None:
    """Clipping, evacuation, ligature or widening alone say nothing of what was done or found
    ("nails needed clipping", "bowel evacuation"): only their multi-word forms are curated."""
    texts = {text.lower() for text in _kinds(terminology, sentence)}
    assert not texts & {"clipping", "evacuation", "ligature", "widened", "widening"}


@pytest.mark.parametrize(("sentence", "name"), [
    ("The ruptured aneurysm was secured by surgical clipping.", "surgical clipping"),
    ("An urgent haematoma evacuation was performed.", "haematoma evacuation"),
    ("She underwent variceal band ligation.", "variceal band ligation"),
])
def test_multi_word_forms_of_those_procedures_remain_procedures(
        terminology: Terminology, sentence: str, name: str) -> None:
    kinds = _kinds(terminology, sentence)
    assert kinds.get(name) is MentionKind.THERAPEUTIC_PROCEDURE


def test_widened_mediastinum_stays_a_finding(terminology: Terminology) -> None:
    assert "widened mediastinum" in _kinds(terminology, "The film showed a widened mediastinum.")


@pytest.mark.parametrize(("sentence", "observable", "result"), [
    ("Heart sounds were normal and the rhythm was regular.", "Heart sounds", "normal"),
    ("Heart sounds were normal and the heart rhythm was regular.", "heart rhythm", "regular"),
    ("Proprioception was reduced in both feet.", "Proprioception", "reduced"),
    ("Her gait was normal.", "gait", "normal"),
    ("The intraocular pressure was elevated in the right eye.", "intraocular pressure",
     "elevated"),
    ("Fluid balance was 1200 mL positive.", "Fluid balance", "1200 mL"),
    ("The electrical axis was normal.", "electrical axis", "normal"),
    ("His haemodynamic status was normal on the ward.", "haemodynamic status", "normal"),
    ("Muscle strength was reduced in the left arm.", "Muscle strength", "reduced"),
    ("On the third day her general condition deteriorated.", "general condition",
     "deteriorated"),
])
def test_what_an_examination_observes_carries_the_result_it_is_given(
        terminology: Terminology, sentence: str, observable: str, result: str) -> None:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    found = {m.text: m.result.text if m.result else None for m in report.patients[0].mentions
             if m.kind is MentionKind.LAB_TEST}
    assert found.get(observable) == result


def test_a_sensation_the_patient_feels_is_no_sensory_examination(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. He felt a burning sensation in his feet.",
                     "t", terminology)
    assert [m.text for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST] == []


@pytest.mark.parametrize("sentence", [
    "We reviewed the general state of the literature.",
    "Gait training was started.",
])
def test_ordinary_words_around_an_examination_term_name_no_examination_finding(
        terminology: Terminology, sentence: str) -> None:
    """"The general state of the literature" examines nobody; "gait training" is a treatment
    (physiotherapy), not the examination of the gait."""
    assert MentionKind.LAB_TEST not in set(_kinds(terminology, sentence).values())
