"""A procedure is often told by its verb ("he was resuscitated", "the bleeding vessel was
cauterized") or by its standard short form ("VATS", "TIPS"): each names the procedure
(``mappings/procedures.tsv``)."""

import pytest

from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions

INTRO = "A 63-year-old man was admitted with chest pain. "


def _procedures(terminology: Terminology, sentence: str) -> list[Mention]:
    return patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE, INTRO)


@pytest.mark.parametrize(("sentence", "words"), [
    ("He collapsed on the ward and was successfully resuscitated.", "resuscitated"),
    ("He was rehydrated and his creatinine improved.", "rehydrated"),
    ("He was transfused with two units of red cells.", "transfused"),
    ("The bleeding point was cauterized endoscopically.", "cauterized"),
    ("The feeding artery was embolized with coils.", "embolized"),
    ("He underwent VATS for a pleural biopsy.", "VATS"),
    ("A TIPS was created to relieve the portal hypertension.", "TIPS"),
    ("He was taken for elective OPCAB the next week.", "OPCAB"),
    ("Resuscitation was started at once.", "Resuscitation"),
    ("He was given adequate intravenous hydration.", "intravenous hydration"),
    ("The subdural collection was evacuated through two burr holes.", "evacuated"),
    ("His oesophageal varices were ligated at endoscopy.", "ligated"),
    ("She had a curettage of the uterine cavity.", "curettage"),
    ("The kidney stone was broken up by lithotripsy.", "lithotripsy"),
    ("The cyst wall was marsupialized.", "marsupialized"),
    ("The perianal collection was incised and drained.", "incised and drained"),
    ("Bystanders began chest compressions.", "chest compressions"),
])
def test_a_procedures_verb_or_short_form_is_a_procedure_of_the_patient(
        terminology: Terminology, sentence: str, words: str) -> None:
    found = [m for m in _procedures(terminology, sentence) if m.text == words]
    assert found and found[0].context.is_patient_fact and not found[0].context.negated


@pytest.mark.parametrize("sentence", [
    "The tips of his fingers were cold.",
    "Tips for the family were given at discharge.",
    "The vats of fluid were emptied.",
])
def test_the_same_letters_in_ordinary_words_name_no_procedure(
        terminology: Terminology, sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


def test_a_procedure_verb_the_text_negates_is_not_done(terminology: Terminology) -> None:
    [found] = _procedures(terminology, "He was not transfused.")
    assert found.context.negated
