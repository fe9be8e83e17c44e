"""ConText triggers taken from the published lexicons (medspaCy's default rules, NegEx as
negspacy ships it, pyConText's knowledge base): each group in its category and direction."""

import pytest

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Span


def _context(sentence: str, target: str, *, test: bool = False,
             condition: bool = False) -> Context:
    start = sentence.index(target)
    found = context.triggers(sentence, Span(0, len(sentence)))
    return context.assess(sentence, Span(start, start + len(target)), found, test=test,
                          condition=condition)


@pytest.mark.parametrize(("sentence", "target"), [
    ("The smear was lacking atypical lymphocytes.", "atypical lymphocytes"),
    ("Endoscopy fails to reveal an ulcer.", "ulcer"),
    ("Her stool antigen test has been negative for giardiasis.", "giardiasis"),
    ("Stool cultures have been negative.", "Stool cultures"),
    ("He had no complaints of headache, nausea, photophobia or neck stiffness.",
     "neck stiffness"),
    ("She recovered without evidence of anaemia, thrombocytopenia, neutropenia or sepsis.",
     "sepsis"),
    ("He never had seizures, syncope, palpitations or chest pain.", "chest pain"),
    ("Chest pain was not associated with dyspnoea.", "dyspnoea"),
    ("A cardiac murmur was not heard.", "cardiac murmur"),
    ("Carotid stenosis was not significant.", "Carotid stenosis"),
    ("Hepatomegaly was not clearly seen.", "Hepatomegaly"),
    ("Fever was not documented during the stay.", "Fever"),
    ("There was a denial of alcohol use.", "alcohol use"),
    ("She was given heparin instead of warfarin.", "warfarin"),
    ("A pulmonary lesion mimicking lymphoma was resected.", "lymphoma"),
    ("He remained seizure-free for a year.", "seizure"),
    ("On examination, Kernig sign negative.", "Kernig sign"),
    ("The resection margins were tumor-negative.", "tumor"),
])
def test_a_published_denial_negates_what_it_governs(sentence: str, target: str) -> None:
    assert _context(sentence, target).negated


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_contracted_negation_negates_with_either_apostrophe(apostrophe: str) -> None:
    sentence = f"She didn{apostrophe}t have any rash."
    assert _context(sentence, "rash").negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("The biopsy could not exclude lymphoma.", "lymphoma"),
    ("Myocarditis has not been ruled out.", "Myocarditis"),
    ("Vasculitis could not be ruled out.", "Vasculitis"),
    ("The nodule may represent a granuloma.", "granuloma"),
    ("A mass concerning for malignancy was seen.", "malignancy"),
    ("Sarcoidosis remained in the differential.", "Sarcoidosis"),
    ("A diagnosis of lupus was doubtful.", "lupus"),
    ("Tuberculosis versus sarcoidosis was debated.", "sarcoidosis"),
    ("Tuberculosis versus sarcoidosis was debated.", "Tuberculosis"),
])
def test_a_hedge_makes_a_diagnosis_uncertain_not_denied(sentence: str, target: str) -> None:
    found = _context(sentence, target, condition=True)
    assert found.uncertain and not found.negated


def test_a_diagnosis_that_could_be_excluded_is_denied() -> None:
    assert _context("Tuberculosis could be excluded.", "Tuberculosis", condition=True).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("Pheochromocytoma had to be excluded.", "Pheochromocytoma"),
    ("He was monitored for hypoglycaemia.", "hypoglycaemia"),
    ("Antibiotics were given in the event of fever.", "fever"),
    ("Surgery is advised unless the cyst shrinks.", "cyst"),
])
def test_what_is_sought_or_may_come_is_hypothetical(sentence: str, target: str) -> None:
    found = _context(sentence, target, condition=True)
    assert found.hypothetical and not found.negated


def test_history_abbreviations_are_historical() -> None:
    assert _context("A man with h/o gout was seen.", "gout").historical
    assert _context("Her past history included tuberculosis.", "tuberculosis").historical


@pytest.mark.parametrize(("sentence", "target"), [
    ("He denied fever; nevertheless, a rash appeared.", "rash"),
    ("A girl with no asthma presents with wheeze.", "wheeze"),
    ("There were no reasons for the anaemia.", "anaemia"),
])
def test_a_terminator_ends_a_denial(sentence: str, target: str) -> None:
    assert not _context(sentence, target).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("There was no doubt that the lesion was a melanoma.", "melanoma"),
    ("Symptoms include, but are not limited to, fatigue.", "fatigue"),
    ("The size of the nodule had not changed.", "nodule"),
    ("Not surprisingly, hepatitis developed.", "hepatitis"),
    ("Follow-up showed no definite change in the effusion.", "effusion"),
])
def test_a_pseudo_trigger_from_the_lexicons_negates_nothing(sentence: str, target: str) -> None:
    assert not _context(sentence, target).negated


def test_what_relatives_deny_of_the_patient_is_the_patients_negated_finding() -> None:
    found = _context("Her parents denied any history of seizures.", "seizures")
    assert found.negated and found.experiencer is Experiencer.PATIENT


def test_a_family_history_that_relatives_deny_is_still_the_familys() -> None:
    found = _context("His mother denied any family history of epilepsy.", "epilepsy")
    assert found.negated and found.experiencer is Experiencer.FAMILY


def test_the_parents_whose_health_follows_are_the_patients() -> None:
    found = _context("The parents were healthy and had no diabetes.", "diabetes")
    assert found.experiencer is Experiencer.FAMILY


def test_graft_versus_host_disease_is_no_hedge() -> None:
    sentence = "A skin rash from graft-versus-host disease developed."
    assert not _context(sentence, "rash", condition=True).uncertain


def test_negative_before_its_noun_is_an_attribute_that_denies_nothing_before_it() -> None:
    sentence = "The wound healed with negative pressure wound therapy."
    assert not _context(sentence, "wound", condition=True).negated



@pytest.mark.parametrize(("sentence", "target", "test"), [
    ("We did not perform a biopsy of the lesion.", "biopsy", True),
    ("The surgeons decided not to perform a laparotomy.", "laparotomy", True),
    ("He was not treated with steroids.", "steroids", False),
])
def test_care_not_performed_was_not_done(sentence: str, target: str,
                                                     test: bool) -> None:
    found = _context(sentence, target, test=test)
    assert found.negated and found.not_done


@pytest.mark.parametrize(("sentence", "target"), [
    ("Her two children had asthma.", "asthma"),
    ("His partner had hepatitis B.", "hepatitis B"),
    ("A grandson had epilepsy.", "epilepsy"),
    ("Her family members had diabetes.", "diabetes"),
])
def test_what_the_relatives_of_medspacys_family_rule_had_is_the_familys(sentence: str,
                                                                        target: str) -> None:
    assert _context(sentence, target).experiencer is Experiencer.FAMILY


def test_a_score_named_after_child_is_no_relative() -> None:
    sentence = "Her Child-Pugh score was 8 and her bilirubin was high."
    assert _context(sentence, "bilirubin").experiencer is Experiencer.PATIENT


def test_a_consequence_opens_a_clause_of_its_own() -> None:
    sentence = "We suspected sepsis and thus drew blood cultures."
    assert not _context(sentence, "blood cultures", test=True).uncertain


@pytest.mark.parametrize("sentence", [
    "The haematologist recommended the continuation of imatinib.",
    "She was advised to continue imatinib at the same dose.",
])
def test_advice_to_go_on_with_care_tells_of_care_given(sentence: str) -> None:
    assert not _context(sentence, "imatinib").hypothetical


def test_tests_named_by_their_kind_then_such_as_are_the_tests_done() -> None:
    sentence = "Tumor markers such as CEA and CA19-9 were within normal limits."
    start = sentence.index("CEA")
    found = context.triggers(sentence, Span(0, len(sentence)))
    ctx = context.assess(sentence, Span(start, start + 3), found, about_patient=False, test=True)
    assert not ctx.hypothetical


@pytest.mark.parametrize("verb", ["reported", "complained of", "experienced", "endorsed"])
def test_a_coordinate_verb_of_telling_ends_a_denial(verb: str) -> None:
    sentence = f"She denied fever and {verb} a dry cough."
    assert _context(sentence, "fever").negated
    assert not _context(sentence, "dry cough").negated
