"""An organism's genus and species are one name, its species no disease; an organism a
culture grew is the culture's result, no disorder of the patient
(fhirsvc/extract/organisms.py, fhirsvc/extract/mentions.py ``_grown``)."""

import pytest

from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions, patient_mentions

_INTRO = "A 41-year-old woman was admitted. "


def _conditions(terminology: Terminology, sentence: str) -> list[Mention]:
    return patient_conditions(terminology, sentence, intro=_INTRO)


@pytest.mark.parametrize("sentence", [
    "Klebsiella pneumoniae was isolated from the urine.",
    "The sputum was positive for H. influenzae.",
    "A urethral swab detected Neisseria gonorrhoeae.",
    "Haemophilus influenzae was found in the sputum.",
])
def test_a_species_after_its_genus_names_no_disease(terminology: Terminology,
                                                   sentence: str) -> None:
    named = {c for m in _conditions(terminology, sentence) for c in m.concepts}
    assert not named & {"cond:pneumonia", "cond:influenza", "cond:gonorrhea"}
    assert not any(m.text.lower() in ("pneumoniae", "influenzae", "gonorrhoeae")
                   for m in _conditions(terminology, sentence))


def test_a_genus_the_lexicon_knows_takes_its_species_into_one_mention(
        terminology: Terminology) -> None:
    found = _conditions(terminology, "She developed Klebsiella pneumoniae bacteremia.")
    assert sorted(m.text for m in found) == ["Klebsiella pneumoniae", "bacteremia"]


@pytest.mark.parametrize(("sentence", "finding"), [
    ("Multiple petechiae were seen on the legs.", "petechiae"),
    ("Numerous petechiae covered the trunk.", "petechiae"),
])
def test_a_latin_plural_after_an_adjective_still_names_its_finding(
        terminology: Terminology, sentence: str, finding: str) -> None:
    assert [m.text for m in _conditions(terminology, sentence)] == [finding]


@pytest.mark.parametrize(("sentence", "organism"), [
    ("Blood cultures grew Streptococcus pneumoniae.", "Streptococcus pneumoniae"),
    ("Blood cultures grew Staphylococcus aureus.", "Staphylococcus aureus"),
    ("Urine culture grew Escherichia coli.", "Escherichia coli"),
    ("Blood cultures were positive for Klebsiella pneumoniae.", "Klebsiella pneumoniae"),
    ("Blood cultures were positive for methicillin-sensitive Staphylococcus aureus.",
     "methicillin-sensitive Staphylococcus aureus"),
    ("Escherichia coli was isolated from two blood cultures.", "Escherichia coli"),
])
def test_an_organism_a_culture_grew_is_its_result_not_a_condition(
        terminology: Terminology, sentence: str, organism: str) -> None:
    cultures = patient_mentions(terminology, sentence, MentionKind.LAB_TEST, intro=_INTRO)
    assert [m.result.text if m.result else None for m in cultures] == [organism]
    assert _conditions(terminology, sentence) == []
    assert patient_mentions(terminology, sentence, MentionKind.MEDICATION, intro=_INTRO) == []


@pytest.mark.parametrize(("sentence", "infection"), [
    ("He had Staphylococcus aureus bacteremia.", "bacteremia"),
    ("She was treated for pneumococcal pneumonia.", "pneumonia"),
])
def test_an_infection_word_stays_a_condition(terminology: Terminology, sentence: str,
                                             infection: str) -> None:
    assert infection in [m.text for m in _conditions(terminology, sentence)]


@pytest.mark.parametrize(("sentence", "name"), [
    ("He had diarrhoea from a rotavirus infection.", "rotavirus infection"),
    ("Cultures grew Klebsiella oxytoca; the Klebsiella oxytoca infection was treated.",
     "Klebsiella oxytoca infection"),
])
def test_an_organism_and_infection_after_it_are_one_infection(
        terminology: Terminology, sentence: str, name: str) -> None:
    texts = [m.text for m in patient_conditions(terminology, sentence)]
    assert name in texts and "infection" not in texts
