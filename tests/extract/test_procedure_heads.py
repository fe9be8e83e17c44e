"""Procedures named by a head noun of mappings/procedure_heads.tsv after modifiers no lexicon
knows."""

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def _procedures(terminology: Terminology, sentence: str) -> dict[str, MentionKind]:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    kinds = (MentionKind.THERAPEUTIC_PROCEDURE, MentionKind.DIAGNOSTIC_PROCEDURE)
    return {m.text: m.kind for m in report.patients[0].mentions if m.kind in kinds}


def test_a_head_noun_after_modifiers_names_a_procedure_of_its_kind(
    terminology: Terminology
) -> None:
    found = _procedures(terminology, "He received salvage therapy after a cardiac evaluation.")
    assert found == {"salvage therapy": MentionKind.THERAPEUTIC_PROCEDURE,
                     "cardiac evaluation": MentionKind.DIAGNOSTIC_PROCEDURE}


def test_a_bare_head_noun_names_no_procedure(terminology: Terminology) -> None:
    assert _procedures(terminology, "The treatment was stopped after the evaluation.") == {}


def test_result_words_and_sentence_words_are_not_modifiers(terminology: Terminology) -> None:
    found = _procedures(terminology,
                        "Tests showed normal adrenal function despite initial treatment.")
    assert found == {"adrenal function": MentionKind.DIAGNOSTIC_PROCEDURE}


def test_a_measured_head_noun_names_a_test_that_takes_a_number(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Chitotriosidase activity was 508 nmol/mL and "
                     "the portosystemic pressure gradient was 19 mmHg.", "t", terminology)
    found = {m.text: m.result.text if m.result else None for m in report.patients[0].mentions
             if m.kind is MentionKind.LAB_TEST}
    assert found == {"Chitotriosidase activity": "508 nmol/mL",
                     "portosystemic pressure gradient": "19 mmHg"}


def test_a_result_word_before_a_measured_head_is_no_modifier(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. There was a high level of suspicion.",
                     "t", terminology)
    assert [m.text for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST] == []


def test_antibodies_named_by_their_target_are_tests_and_monoclonal_ones_are_not(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Thyroglobulin antibodies were undetectable. "
                     "He was treated with a monoclonal antibody.", "t", terminology)
    tests = {m.text for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST}
    assert tests == {"Thyroglobulin antibodies"}


def test_electrocardiogram_leads_are_diagnostic_procedures(terminology: Terminology) -> None:
    found = _procedures(terminology, "The ECG showed T wave inversion in leads III, aVF and V1–V3, "
                                     "and in lead II; lead poisoning was excluded.")
    assert {"leads III, aVF and V1–V3", "lead II"} <= set(found)
    assert not [t for t in found if "poisoning" in t]


def test_therapeutic_heads_of_access_bypass_and_extraction(terminology: Terminology) -> None:
    found = _procedures(terminology, "He underwent tooth extraction, then portal vein access and "
                                     "veno-venous bypass were established.")
    assert {found.get(t) for t in ("tooth extraction", "portal vein access",
                                   "veno-venous bypass")} == {MentionKind.THERAPEUTIC_PROCEDURE}


def test_a_result_word_before_a_measured_quantity_is_its_value(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Echocardiography showed normal cardiac "
                     "dimensions, normal wall motion and a prolonged deceleration time (250 ms).",
                     "t", terminology)
    found = {m.text: m.result.text if m.result else None for m in report.patients[0].mentions
             if m.kind is MentionKind.LAB_TEST}
    assert found == {"cardiac dimensions": "normal", "wall motion": "normal",
                     "deceleration time": "250 ms"}


def test_a_verb_of_denial_is_no_modifier_so_what_it_denies_stays_negated(
    terminology: Terminology
) -> None:
    report = extract("A 58-year-old man was admitted. He denied salvage therapy.", "t", terminology)
    found = {m.text: m.context.negated for m in report.patients[0].mentions
             if m.kind is MentionKind.THERAPEUTIC_PROCEDURE}
    assert found == {"salvage therapy": True}


def test_a_verb_before_a_head_noun_is_no_modifier(terminology: Terminology) -> None:
    found = _procedures(terminology, "The team decided to stop treatment, and the reaction came "
                                     "on after commencing salvage therapy.")
    assert found == {"salvage therapy": MentionKind.THERAPEUTIC_PROCEDURE}


def test_a_preposition_before_a_head_noun_is_no_modifier(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. The catheter was held until arterial flow "
                     "returned.", "t", terminology)
    tests = [m.text for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]
    assert tests == ["arterial flow"]


def test_pressures_rates_and_outputs_are_measured_heads(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. The elevated portal venous pressure was "
                     "treated; the atrial rate was 280 beats per minute and the stoma output "
                     "was high.", "t", terminology)
    found = {m.text: m.result.text if m.result else None for m in report.patients[0].mentions
             if m.kind is MentionKind.LAB_TEST}
    assert found == {"portal venous pressure": "elevated", "atrial rate": "280 beats per minute",
                     "stoma output": "high"}


def test_pressure_felt_in_the_chest_is_a_symptom(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted with chest pressure.", "t", terminology)
    kinds = {m.text: m.kind for m in report.patients[0].mentions}
    assert kinds == {"chest pressure": MentionKind.FINDING}
