"""ConText: triggers, scopes, terminators, pseudo-triggers and experiencers."""

import pytest

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Span


def _context(sentence: str, target: str, *, about_patient: bool = True,
             test: bool = False) -> Context:
    start = sentence.index(target)
    found = context.triggers(sentence, Span(0, len(sentence)))
    return context.assess(sentence, Span(start, start + len(target)), found,
                          about_patient=about_patient, test=test)


def test_negation_reaches_forward_through_a_list() -> None:
    sentence = "He denied fever, cough or chest pain."
    assert all(_context(sentence, t).negated for t in ("fever", "cough", "chest pain"))


def test_a_terminator_ends_the_scope() -> None:
    assert not _context("No fever but a severe cough.", "cough").negated
    assert _context("No fever but a severe cough.", "fever").negated


def test_backward_triggers_negate_what_precedes_them() -> None:
    assert _context("Blood cultures were negative.", "Blood cultures").negated
    assert _context("Tuberculosis was ruled out.", "Tuberculosis").negated


def test_a_pseudo_trigger_negates_nothing() -> None:
    assert not _context("There was no change in the rash.", "rash").negated


def test_uncertain_historical_and_family_mentions() -> None:
    assert _context("Suspected pneumonia was treated.", "pneumonia").uncertain
    assert _context("She had a history of asthma.", "asthma").historical
    assert _context("His mother had diabetes.", "diabetes").experiencer is Experiencer.FAMILY


def test_generic_triggers_apply_only_where_the_patient_is_not_referred_to() -> None:
    sentence = "Transplantation can treat viral diseases, such as AIDS."
    assert _context(sentence, "AIDS", about_patient=False).hypothetical
    assert not _context("He had infections such as otitis.", "otitis").hypothetical


def test_a_negative_result_does_not_negate_the_test_that_found_it() -> None:
    assert not _context("No focal findings on neurologic examination.", "neurologic examination",
                        test=True).negated
    assert not _context("PCR of CSF was negative for enterovirus.", "PCR", test=True).negated
    assert not _context("On a PET scan, metastases were not found.", "PET scan", test=True).negated
    assert _context("On a PET scan, metastases were not found.", "metastases").negated


def test_a_test_or_treatment_not_carried_out_is_negated() -> None:
    assert _context("A biopsy was not performed.", "biopsy", test=True).negated
    assert _context("She refused surgery.", "surgery").negated
    assert _context("The patient declined chemotherapy.", "chemotherapy").negated
    assert _context("He did not receive antibiotics.", "antibiotics").negated


def test_absence_stated_after_a_list_negates_the_whole_list() -> None:
    sentence = "Steatosis, necrosis, or portal fibrosis were not observed."
    assert all(_context(sentence, t).negated for t in ("Steatosis", "necrosis", "fibrosis"))
    assert _context("Troponin was normal, thereby ruling out infarction.", "infarction").negated
    assert _context("The scan failed to identify a source of bleeding.", "bleeding").negated


def test_a_diagnosis_that_cannot_be_excluded_is_uncertain_not_negated() -> None:
    for sentence in ("Sepsis cannot be excluded.", "Sepsis could not be ruled out."):
        ctx = _context(sentence, "Sepsis")
        assert ctx.uncertain and not ctx.negated


def test_negation_stops_at_other_than_and_at_a_new_subject() -> None:
    assert not _context("She denied trauma other than a fall.", "fall").negated
    assert not _context("He left without complication and his anemia improved.", "anemia").negated
    assert not _context("Weight rose without changing the dose of insulin.", "insulin").negated


def test_no_further_negates_what_follows() -> None:
    assert _context("No further bleeding was noted.", "bleeding").negated


def test_a_new_clause_after_a_comma_ends_the_scope() -> None:
    sentence = "Because she declined surgery, she will continue with medical management."
    assert _context(sentence, "surgery").negated
    assert not _context(sentence, "medical management").negated


def test_no_symptoms_of_reaches_through_a_long_list() -> None:
    sentence = "There were no symptoms of nausea, vomiting, fever, or shaking chills."
    assert _context(sentence, "chills").negated


def test_non_negates_the_word_it_is_joined_to_and_nothing_after() -> None:
    sentence = "The abdomen was soft and non-distended, with non-tender hepatomegaly."
    assert _context(sentence, "distended").negated
    assert not _context(sentence, "hepatomegaly").negated


def test_a_term_that_begins_with_non_is_not_negated_by_it() -> None:
    assert not _context("She had non-Hodgkin lymphoma.", "non-Hodgkin lymphoma").negated


def test_a_coordinate_clause_with_its_own_verb_or_subject_ends_the_scope() -> None:
    for sentence in ("She denied dyspnea and was discharged on aspirin.",
                     "There was no fever and he had a productive cough."):
        assert _context(sentence, sentence.split()[-1].rstrip(".")).negated is False
    assert _context("There was no fever and no cough.", "cough").negated


@pytest.mark.parametrize("sentence, target", [
    ("His father had colon cancer and was later diagnosed with gastric cancer.", "gastric cancer"),
    ("Her sister had psoriasis and was treated with methotrexate.", "methotrexate"),
])
def test_a_coordinate_clause_that_keeps_its_subject_keeps_the_family_experiencer(
        sentence: str, target: str) -> None:
    assert _context(sentence, target).experiencer is Experiencer.FAMILY


def test_a_coordinate_clause_that_keeps_its_subject_keeps_the_history() -> None:
    assert _context("She had a history of gout and underwent a knee replacement.",
                    "knee replacement").historical


def test_a_coordinate_clause_still_ends_negation_and_a_new_subject_ends_the_family() -> None:
    sentence = "He denied abdominal pain and was admitted with a high fever."
    assert _context(sentence, "abdominal pain").negated
    assert not _context(sentence, "high fever").negated
    sentence = "Her aunt had epilepsy and the patient had migraines."
    assert _context(sentence, "migraines").experiencer is Experiencer.PATIENT


def test_a_trigger_after_a_long_list_reaches_its_first_item() -> None:
    sentence = ("Stool culture, a urine antigen test (for legionella), serum galactomannan "
                "or a sweat chloride test were not performed.")
    assert all(_context(sentence, t, test=True).negated
               for t in ("Stool culture", "urine antigen test", "sweat chloride test"))


def test_a_trigger_after_a_clause_does_not_reach_back_into_it() -> None:
    sentence = ("The scan showed a hepatic cyst, then ascites, pleural effusion or enlarged "
                "nodes were not seen.")
    assert not _context(sentence, "hepatic cyst").negated
