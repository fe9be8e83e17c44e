"""The patient's age told after them or by a newborn's day of life, a stated date of birth,
and the labels of a note's lists, which are no facts."""

from decimal import Decimal

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind, Sex
from fhirsvc.terminology import Terminology


@pytest.mark.parametrize(("text", "value", "unit", "sex"), [
    ("A mother brought her son, who was 2 months old, to the clinic with fever.", 2, "mo",
     Sex.MALE),
    ("The parents brought their daughter, aged 3 weeks, to the emergency department.", 3, "wk",
     Sex.FEMALE),
    ("Her son, aged 2 months, was brought to hospital with a cough.", 2, "mo", Sex.MALE),
    ("A woman brought her son, who is 4 years old, to our clinic because of a rash.", 4, "a",
     Sex.MALE),
])
def test_an_age_in_a_clause_after_the_person_is_theirs_and_so_is_the_sex(
        terminology: Terminology, text: str, value: int, unit: str, sex: Sex) -> None:
    (patient,) = extract(text, "t", terminology).patients
    assert patient.age is not None and (patient.age.value, patient.age.unit) == (
        Decimal(value), unit)
    assert patient.sex is sex


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("A newborn boy was admitted on day 3 of life with jaundice.", 3, "d"),
    ("A male neonate presented on the second day of life with vomiting.", 2, "d"),
    ("A term newborn girl developed seizures at 5 days of life.", 5, "d"),
    ("A preterm infant was transferred at 36 hours of life for apnoea.", 36, "h"),
    ("A neonate was noted at birth to have a cleft lip.", 0, "d"),
])
def test_a_newborns_day_of_life_is_its_age(terminology: Terminology, text: str, value: int,
                                           unit: str) -> None:
    (patient,) = extract(text, "t", terminology).patients
    assert patient.age is not None and (patient.age.value, patient.age.unit) == (
        Decimal(value), unit)


@pytest.mark.parametrize("text", [
    "A newborn girl was admitted with jaundice.",
    "A neonate developed respiratory distress after delivery.",
])
def test_newborn_alone_states_the_neonatal_period_as_a_range(terminology: Terminology,
                                                             text: str) -> None:
    (patient,) = extract(text, "t", terminology).patients
    assert patient.age is not None
    assert (patient.age.value, patient.age.high, patient.age.unit) == (0, 27, "d")


def test_an_infant_states_no_age(terminology: Terminology) -> None:
    (patient,) = extract("A term male infant was admitted with fever.", "t",
                         terminology).patients
    assert patient.age is None


def test_a_day_of_life_of_a_womans_child_is_not_her_age(terminology: Terminology) -> None:
    text = "A woman delivered a boy who developed jaundice on day 3 of life."
    assert all(p.age is None for p in extract(text, "t", terminology).patients)


@pytest.mark.parametrize(("text", "born"), [
    ("A 7-year-old boy, born on 3 March 2015, was admitted with fever.", "2015-03-03"),
    ("A woman was admitted with fever. Date of birth: 1987-05-12.", "1987-05-12"),
    ("A man was admitted with chest pain.\nDOB: 25/05/1987", "1987-05-25"),
    ("A man was admitted with chest pain.\nDOB 05/25/1987", "1987-05-25"),
    ("A man was admitted with chest pain.\nDOB 12/05/1987", "1987"),  # day or month? the year
    ("A girl born in May 2016 was admitted with a cough.", "2016-05"),
])
def test_a_stated_date_of_birth_is_kept_as_precise_as_written(
        terminology: Terminology, text: str, born: str) -> None:
    assert extract(text, "t", terminology).patients[0].birth_date == born


@pytest.mark.parametrize("text", [
    "A 40-year-old woman was admitted with fever. Her son, born on 3 March 2015, was well.",
    "A 30-year-old woman at 39 weeks of gestation delivered a boy. The baby was born on "
    "3 March 2015 by caesarean section.",
    "A man was admitted with chest pain.\nDOB 31/02/1987",
])
def test_a_relatives_birth_or_an_impossible_date_is_no_birth_date(
        terminology: Terminology, text: str) -> None:
    assert extract(text, "t", terminology).patients[0].birth_date is None


@pytest.mark.parametrize("label", [
    "Medications on admission:", "Medications:", "Current medications:", "Drugs:",
    "Drugs at discharge:", "Home medication list:", "Medicines:", "MEDICATIONS:", "Medications -",
])
def test_a_lists_label_is_no_medication(terminology: Terminology, label: str) -> None:
    text = f"A 50-year-old man was admitted with chest pain.\n{label} aspirin and metoprolol."
    (patient,) = extract(text, "t", terminology).patients
    assert [m.text for m in patient.mentions if m.kind is MentionKind.MEDICATION] == [
        "aspirin", "metoprolol"]


@pytest.mark.parametrize("label", ["Diagnosis:", "Diagnoses:", "Allergies:", "Allergy:"])
def test_a_lists_label_is_no_finding(terminology: Terminology, label: str) -> None:
    text = f"A 50-year-old man was admitted with chest pain.\n{label} myocardial infarction."
    (patient,) = extract(text, "t", terminology).patients
    assert not [m for m in patient.mentions if m.text.lower().startswith(label[:5].lower())
                and ":" not in m.text]


def test_medications_in_a_sentence_are_still_read(terminology: Terminology) -> None:
    text = "A 50-year-old man was admitted with chest pain. He took his medications irregularly."
    (patient,) = extract(text, "t", terminology).patients
    assert [m.text for m in patient.mentions if m.kind is MentionKind.MEDICATION] == [
        "medications"]


def test_a_mothers_labelled_date_of_birth_is_hers(terminology: Terminology) -> None:
    text = ("A 30-year-old woman, date of birth: 1987-05-12, was admitted at 34 weeks of "
            "gestation with preeclampsia. The baby was born on 3 March 2015.")
    assert extract(text, "t", terminology).patients[0].birth_date == "1987-05-12"


@pytest.mark.parametrize(("text", "sex"), [
    ("A 28-year-old woman delivered a boy at 39 weeks.", Sex.FEMALE),
    ("A 34-year-old man whose daughter had a fever was admitted with a cough.", Sex.MALE),
    ("A 30-year-old mother of a boy was admitted with a headache.", Sex.FEMALE),
])
def test_the_noun_the_age_describes_outweighs_a_childs_after_it(
        terminology: Terminology, text: str, sex: Sex) -> None:
    assert extract(text, "t", terminology).patients[0].sex is sex


@pytest.mark.parametrize(("text", "born"), [
    ("A woman born on the 3rd of March 1952 was admitted with fever.", "1952-03-03"),
    ("A man born in 1938 was admitted with a cough.", "1938"),
    ("A man (DOB: May 12, 1987) was admitted with chest pain.", "1987-05-12"),
    # "May" the month: the verb would make the sentence a general statement
    ("A woman was admitted with fever. Date of birth: 12 May 1987.", "1987-05-12"),
    ("A woman was admitted with fever. She was born on May 3, 1990.", "1990-05-03"),
])
def test_more_written_forms_of_a_date_of_birth(terminology: Terminology, text: str,
                                               born: str) -> None:
    assert extract(text, "t", terminology).patients[0].birth_date == born


def test_a_birth_year_to_come_is_no_birth_date(terminology: Terminology) -> None:
    text = "A man was admitted with chest pain.\nDOB: 2049"
    assert extract(text, "t", terminology).patients[0].birth_date is None


def test_may_the_verb_still_makes_a_general_statement(terminology: Terminology) -> None:
    text = ("A 45-year-old man was admitted with fever in May 2015. "
            "This disease may cause shock.")
    found = {m.text: m.context.hypothetical for m in extract(text, "t", terminology).patients[0]
             .mentions}
    assert found == {"fever": False, "shock": True}
