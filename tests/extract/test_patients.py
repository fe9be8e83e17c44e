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


_SERIES = (
    "Acute pancreatitis in two siblings\n"
    "We describe two cases of pancreatitis treated at our hospital.\n"
    "Case 1\n"
    "A 34-year-old man presented with epigastric pain and vomiting. He had diabetes mellitus.\n"
    "Case 2\n"
    "His 29-year-old sister presented with jaundice. She had gallstones.\n"
    "Discussion\n"
    "Pancreatitis may cause severe pain.\n"
)


def test_each_numbered_case_of_a_series_is_a_patient_with_only_its_own_facts(
        terminology: Terminology) -> None:
    first, second = extract(_SERIES, "t", terminology).patients
    assert (first.key, first.sex, first.age and first.age.value) == ("p1", Sex.MALE, 34)
    assert (second.key, second.sex, second.age and second.age.value) == ("p2", Sex.FEMALE, 29)
    assert {"vomiting", "diabetes mellitus"} <= _texts(first) and "jaundice" not in _texts(first)
    assert "jaundice" in _texts(second) and "diabetes mellitus" not in _texts(second)
    assert "pain" not in {t.split()[-1] for t in _texts(second)}  # the discussion is no one's


@pytest.mark.parametrize("headings", [("Case 1:", "Case 2:"), ("Patient I.", "Patient II."),
                                      ("Case report 1", "Case report 2")])
def test_case_headings_are_read_in_their_common_forms(
        terminology: Terminology, headings: tuple[str, str]) -> None:
    text = (f"{headings[0]} A 50-year-old woman had a cough.\n"
            f"{headings[1]} A 61-year-old man had a fever.\n")
    cases = extract(text, "t", terminology).patients
    assert [(c.sex, c.age and c.age.value) for c in cases] == [(Sex.FEMALE, 50), (Sex.MALE, 61)]


def test_a_single_case_numbered_one_or_out_of_order_is_no_series(terminology: Terminology) -> None:
    text = ("Case 2\nA 50-year-old woman had a cough.\nCase 1\nShe was given a bronchodilator "
            "and the cough improved.\n")
    (case,) = extract(text, "t", terminology).patients
    assert case.sex is Sex.FEMALE and "cough" in _texts(case)


@pytest.mark.parametrize("sentence", [
    "A 72-year-old retired teacher with hypertension presented with chest pain.",
    "A previously healthy 30-year-old presented with fever and cough.",
    "A 28-year-old G2P1 at 32 weeks of gestation presented with headache.",
])
def test_an_age_with_a_few_words_saying_who_the_person_is_introduces_the_patient(
        terminology: Terminology, sentence: str) -> None:
    (case,) = extract(sentence, "t", terminology).patients
    assert case.age is not None and case.age.unit == "a" and str(case.age.value) in sentence


@pytest.mark.parametrize("sentence", [
    "The 3-year-old scar on the arm was excised without complications.",
    "At the age of 40 years, diabetes mellitus is a common finding.",
])
def test_the_age_of_a_thing_or_an_age_phrase_alone_introduces_nobody(
        terminology: Terminology, sentence: str) -> None:
    assert extract(sentence, "t", terminology).patients == ()


def test_background_before_the_patient_is_introduced_is_nobodys(terminology: Terminology) -> None:
    text = ("Introduction\nSarcoidosis is a multisystem disease. It presents with fever, rash and "
            "lymphadenopathy. Treatment involves prednisone.\n\nCase presentation\nA 45-year-old "
            "man presented with cough. He was treated with azithromycin.\n")
    (case,) = extract(text, "t", terminology).patients
    assert {"cough", "azithromycin"} <= _texts(case)
    assert not {"fever", "rash", "lymphadenopathy", "prednisone"} & _texts(case)


def test_the_discussion_speaks_of_the_disease_except_where_it_refers_to_the_patient(
        terminology: Terminology) -> None:
    text = ("Case presentation\nA 45-year-old man presented with cough.\n\nDiscussion\n"
            "Diagnosis relies on bone marrow biopsy. Our patient had a rash.\n")
    (case,) = extract(text, "t", terminology).patients
    assert {"cough", "rash"} <= _texts(case) and "bone marrow biopsy" not in _texts(case)


def test_a_sentence_starting_with_the_word_discussion_is_no_heading(
        terminology: Terminology) -> None:
    text = ("A 45-year-old man presented with cough.\n"
            "Discussion with the family led to a bone marrow biopsy.\n")
    (case,) = extract(text, "t", terminology).patients
    assert "bone marrow biopsy" in _texts(case)


def test_a_structured_abstracts_conclusions_do_not_silence_the_case_that_follows(
        terminology: Terminology) -> None:
    text = ("Background: Sarcoidosis is rare.\nCase presentation: A 45-year-old man presented "
            "with cough.\nConclusions: Biopsy confirms the diagnosis.\n\nCase presentation\n"
            "A 45-year-old man presented with cough and weight loss. A bronchoscopy "
            "was performed.\n\nDiscussion\nDiagnosis relies on bone marrow biopsy.\n")
    (case,) = extract(text, "t", terminology).patients
    assert {"cough", "weight loss", "bronchoscopy"} <= _texts(case)
    assert "bone marrow biopsy" not in _texts(case)


@pytest.mark.parametrize("sentence", [
    "Treatment usually consists of wide surgical excision.",
    "Complete resection remains the mainstay of treatment.",
    "Radiotherapy is generally reserved for unresectable tumours.",
])
def test_a_general_statement_of_what_treatment_usually_is_lends_nothing_to_the_patient(
    terminology: Terminology, sentence: str
) -> None:
    text = "A 58-year-old man presented with a mass in the thigh. " + sentence
    (patient,) = extract(text, "t", terminology).patients
    assert not {"surgical excision", "wide surgical excision", "resection",
                "complete resection", "radiotherapy"} & _texts(patient)


def test_a_clinical_sentence_with_usually_stays_the_patients(terminology: Terminology) -> None:
    text = ("A 58-year-old man presented with headaches. He usually had the headaches in the "
            "morning and was treated with radiotherapy.")
    (patient,) = extract(text, "t", terminology).patients
    assert "radiotherapy" in _texts(patient)


def test_a_patient_of_the_literature_in_the_discussion_gets_no_case(
        terminology: Terminology) -> None:
    text = ("A 45-year-old man presented with cough.\n\nDiscussion\nSmith et al. described a "
            "50-year-old woman with sarcoidosis who developed uveitis.\n")
    (case,) = extract(text, "t", terminology).patients
    assert "uveitis" not in _texts(case)


def test_the_patient_introduced_again_with_the_same_age_is_the_same_patient(
        terminology: Terminology) -> None:
    text = ("Case presentation: A 34-year-old man on valproate presented with epigastric pain.\n"
            "Case presentation\nA 34-year-old man with epilepsy presented with vomiting.\n")
    (case,) = extract(text, "t", terminology).patients
    assert {"epigastric pain", "epilepsy", "vomiting"} <= _texts(case)


def test_another_patient_of_the_same_age_is_still_another_patient(
        terminology: Terminology) -> None:
    text = ("A 34-year-old man presented with epigastric pain. The team also treated another "
            "34-year-old man with epilepsy who had vomiting.")
    index, other = extract(text, "t", terminology).patients
    assert "epilepsy" in _texts(other) and "epilepsy" not in _texts(index)
def test_sentences_after_another_patient_in_their_paragraph_are_theirs(
        terminology: Terminology) -> None:
    text = ("A 62-year-old man was admitted with chest pain. A second patient, a 40-year-old "
            "woman, presented with a headache. She also had vomiting. The patient was treated "
            "with aspirin.\nHe later developed pneumonia.")
    index, other = extract(text, "t", terminology).patients
    assert {m.text for m in other.mentions} >= {"headache", "vomiting"}
    assert "vomiting" not in {m.text for m in index.mentions}
    assert {"chest pain", "pneumonia"} <= {m.text for m in index.mentions}


def test_a_table_with_a_row_per_patient_is_no_case_series(terminology: Terminology) -> None:
    text = ("A 34-year-old man presented with epigastric pain.\nTable 1\n"
            "Patient 1 | 34 | M | pain\nPatient 2 | 29 | F | jaundice\n")
    (case,) = extract(text, "t", terminology).patients
    assert case.sex is Sex.MALE and "epigastric pain" in _texts(case)


def test_the_newborn_after_a_birth_weight_is_a_patient_of_its_own(
        terminology: Terminology) -> None:
    text = ("A 31-year-old woman at 36 weeks of gestation presented with preeclampsia. She "
            "delivered a boy weighing 2,500 g. The neonate developed jaundice and was treated "
            "with phototherapy.")
    mother, child = extract(text, "t", terminology).patients
    assert "preeclampsia" in _texts(mother) and not {"jaundice", "phototherapy"} & _texts(mother)
    assert {"jaundice", "phototherapy"} <= _texts(child)


def test_advice_for_stable_patients_in_the_discussion_is_nobodys(
        terminology: Terminology) -> None:
    text = ("A 40-year-old woman presented with abdominal pain.\n\nDiscussion\n"
            "Conservative treatment may be tried first in hemodynamically stable patients.\n")
    (case,) = extract(text, "t", terminology).patients
    assert "abdominal pain" in _texts(case)
    assert not {"conservative treatment", "hemodynamically stable"} & _texts(case)


def test_a_sentence_about_patients_in_general_in_the_discussion_is_nobodys(
        terminology: Terminology) -> None:
    text = ("A 25-year-old man presented with a sore throat.\n\nDiscussion\n"
            "Patients often present with night sweats, and the disease may be mistaken for "
            "sarcoidosis.\n")
    (case,) = extract(text, "t", terminology).patients
    assert "sore throat" in _texts(case)
    assert not {"night sweats", "sarcoidosis"} & _texts(case)


def test_the_presenting_complaint_before_the_patients_age_is_theirs(
        terminology: Terminology) -> None:
    text = ("Presenting complaint: palpitations on climbing stairs for a month.\n\n"
            "History: 47 yo female, non-smoker.\n")
    (case,) = extract(text, "t", terminology).patients
    assert "palpitations" in _texts(case)


def test_an_age_written_aged_after_the_person_introduces_them(
        terminology: Terminology) -> None:
    (case,) = extract("A girl aged 20 months had a febrile seizure.", "t", terminology).patients
    assert case.age is not None and (case.age.value, case.age.unit) == (20, "mo")
