"""Zero, one or several patients per report; nobody lends facts to the index patient."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Sex
from fhirsvc.terminology import Terminology


def _texts(case) -> set[str]:
    return {m.text.lower() for m in case.mentions if m.context.is_patient_fact}


def test_a_second_patient_introduced_in_passing_gets_a_case_of_its_own(
    terminology: Terminology
) -> None:
    text = ("A 64-year-old woman presented with fever and anemia. She was treated with "
            "chemotherapy. Last year the department also treated a 70-year-old man with multiple "
            "myeloma who had relapsed after transplantation.")
    index, other = extract(text, "t", terminology).patients
    assert (index.key, index.sex, index.age and index.age.value) == ("p1", Sex.FEMALE, 64)
    assert "multiple myeloma" not in _texts(index) and "fever" in _texts(index)
    assert (other.key, other.sex, other.age and other.age.value) == ("p2", Sex.MALE, 70)
    assert "multiple myeloma" in _texts(other)


def test_a_sentence_about_the_index_patient_in_indefinite_words_stays_hers(
    terminology: Terminology
) -> None:
    text = ("A 52-year-old woman was admitted with dyspnea. On examination she was a woman with "
            "marked edema of both legs.")
    (patient,) = extract(text, "t", terminology).patients
    assert "edema" in " ".join(_texts(patient))


def test_another_patient_named_with_another_is_never_the_index_patient(
    terminology: Terminology
) -> None:
    text = ("A 30-year-old man presented with headache. Another patient with meningitis was "
            "admitted the same week.")
    index, other = extract(text, "t", terminology).patients
    assert "meningitis" not in _texts(index) and "meningitis" in _texts(other)


def test_a_report_about_a_disease_in_general_has_no_patient(terminology: Terminology) -> None:
    text = ("Sarcoidosis is a multisystem granulomatous disease. It can affect the lungs, the skin "
            "and the eyes, and corticosteroids are the usual first treatment.")
    assert extract(text, "t", terminology).patients == ()


def test_a_narrative_sentence_without_pronouns_is_still_the_patients(
    terminology: Terminology
) -> None:
    text = ("A 9-year-old boy presented with headache. Treatment included resection of the tumor "
            "followed by chemotherapy with vincristine and cisplatin.")
    (patient,) = extract(text, "t", terminology).patients
    assert {"vincristine", "cisplatin"} <= _texts(patient)


def test_an_age_set_off_by_commas_after_a_name_introduces_the_patient(
        terminology: Terminology) -> None:
    report = extract("Little Lan (a pseudonym), 9 years old, began to limp last spring. "
                     "Her knees were swollen and she had fever.", "t", terminology)
    assert len(report.patients) == 1
    patient = report.patients[0]
    assert (patient.age and patient.age.value, patient.sex) == (9, Sex.FEMALE)
    assert "fever" in [m.text for m in patient.mentions]


def test_an_age_in_a_list_between_commas_introduces_nobody(terminology: Terminology) -> None:
    report = extract("The disease peaks in children aged 2, 9 years old, and adults over 60. "
                     "It is treated with steroids.", "t", terminology)
    assert report.patients == ()


def test_a_patient_introduced_by_occupation_or_as_uncle_is_the_index_patient(
        terminology: Terminology) -> None:
    for text in ("The 67-year-old retiree had been coughing for two months.",
                 "Xiao Wang is a third-grade student. Last month he had been coughing.",
                 "Uncle Zhang, who lives alone, had been coughing for a week."):
        report = extract("Hospital news\n" + text, "t", terminology)
        assert [m.text for p in report.patients for m in p.mentions] == ["coughing"], text


def test_a_male_predominance_introduces_no_patient(terminology: Terminology) -> None:
    report = extract("The disease shows a male predominance. It causes fever.", "t", terminology)
    assert report.patients == ()


def test_a_definite_person_a_story_tells_about_introduces_the_patient(
        terminology: Terminology) -> None:
    report = extract("Doctors save girl\nThe little girl had fever for three days.", "t",
                     terminology)
    assert [(p.sex, [m.text for m in p.mentions]) for p in report.patients] == [
        (Sex.FEMALE, ["fever"])]


def test_a_definite_person_of_a_general_statement_introduces_nobody(
        terminology: Terminology) -> None:
    for text in ("If the child has a fever, the parents should see a doctor.",
                 "The child may develop fever and rash."):
        assert extract("Fever in children\n" + text, "t", terminology).patients == (), text


@pytest.mark.parametrize(
    ("text", "value"),
    [("The boy, now 7, had recurrent fever since birth.", 7),
     ("Grandpa Wang, now aged 78, developed a cough.", 78),
     ("Little Tao, now six years old, had wheezing for a year.", 6),
     ("The girl is now 9. She had fever.", 9)],
)
def test_an_age_given_as_the_patients_present_one_introduces_the_patient(
    terminology: Terminology, text: str, value: int
) -> None:
    (patient,) = extract(text, "t", terminology).patients
    assert patient.age is not None and patient.age.value == value


def test_a_name_noted_as_made_up_introduces_the_patient_and_is_read_as_the_name(
    terminology: Terminology,
) -> None:
    text = "Xiao Li (pseudonym) had fever for three days. Xiao Li was given ibuprofen."
    (patient,) = extract(text, "t", terminology).patients
    assert patient.name == "Xiao Li" and "fever" in _texts(patient)


def test_a_lower_case_word_before_a_pseudonym_note_is_no_name(terminology: Terminology) -> None:
    text = "Ming (a pseudonym) had fever (pseudonym) for a day."
    (patient,) = extract(text, "t", terminology).patients
    assert patient.name == "Ming"


def test_the_title_gives_age_and_sex_when_the_body_names_neither(
    terminology: Terminology,
) -> None:
    text = ("Surgeons save 9-year-old girl's leg after rare bone tumor\n\n"
            "The child had pain in the leg for two months. Xiao Li was given ibuprofen.\n")
    (patient,) = extract(text, "t", terminology).patients
    assert (patient.sex, patient.age and patient.age.value) == (Sex.FEMALE, 9)
    assert "pain in the leg" in _texts(patient)


def test_an_age_in_the_body_wins_over_the_titles(terminology: Terminology) -> None:
    text = ("Doctors save 9-year-old girl's leg after rare bone tumor\n\n"
            "The girl, now 10, had pain in the leg for two months.\n")
    (patient,) = extract(text, "t", terminology).patients
    assert (patient.sex, patient.age and patient.age.value) == (Sex.FEMALE, 10)


@pytest.mark.parametrize(
    "text",
    ["Lao Chen, 56, a farmer, had fever since the end of last year.",
     "The 4-year-old was brought to the hospital with chest pain.",
     "Little Yu, 4, had chest pain and fainting."],
)
def test_an_age_without_a_person_noun_still_introduces_the_patient(
    terminology: Terminology, text: str
) -> None:
    (patient,) = extract(text, "t", terminology).patients
    assert patient.age is not None and patient.age.value in (4, 56)


def test_numbers_listed_between_commas_are_no_age(terminology: Terminology) -> None:
    text = "Sodium, 140, potassium, 4.1, chloride 100."
    assert all(p.age is None for p in extract(text, "t", terminology).patients)


def test_the_titles_person_tells_the_sex_and_a_later_pseudonym_the_name(
    terminology: Terminology,
) -> None:
    text = ("Girl, 4, survives rare heart condition\n\n"
            "The 4-year-old was brought to the hospital in May this year with chest pain. "
            "Little Yu (pseudonym) underwent surgery in June.\n")
    (patient,) = extract(text, "t", terminology).patients
    assert (patient.sex, patient.age and patient.age.value) == (Sex.FEMALE, 4)
    assert patient.name == "Little Yu"


def test_sentences_after_another_patient_in_their_paragraph_are_theirs(
        terminology: Terminology) -> None:
    text = ("A 62-year-old man was admitted with chest pain. A second patient, a 40-year-old "
            "woman, presented with a headache. She also had vomiting. The patient was treated "
            "with aspirin.\nHe later developed pneumonia.")
    index, other = extract(text, "t", terminology).patients
    assert {m.text for m in other.mentions} >= {"headache", "vomiting"}
    assert "vomiting" not in {m.text for m in index.mentions}
    assert {"chest pain", "pneumonia"} <= {m.text for m in index.mentions}
