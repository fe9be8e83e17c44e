"""A mother's child is a patient of its own; a newborn who is the index patient keeps its facts."""

from fhirsvc.extract import extract
from fhirsvc.model import Sex
from fhirsvc.terminology import Terminology
from tests.extract.helpers import fact_texts as _texts

_MOTHER = ("A 31-year-old primigravida was admitted at 35 weeks of gestation with eclampsia. "
           "She underwent an emergency caesarean section. ")


def test_what_the_newborn_had_is_the_newborns_not_the_mothers(terminology: Terminology) -> None:
    text = _MOTHER + ("The neonate developed jaundice and was treated with phototherapy. "
                      "The infant was intubated for apnoea.")
    mother, child = extract(text, "t", terminology).patients
    assert {"jaundice", "phototherapy", "intubated"} <= _texts(child)
    assert not {"jaundice", "phototherapy", "intubated"} & _texts(mother)
    assert {"eclampsia", "caesarean section"} <= _texts(mother)
    assert mother.sex is Sex.FEMALE


def test_the_sentences_about_the_baby_make_one_person(terminology: Terminology) -> None:
    text = _MOTHER + ("On day 2, the baby had hypoglycaemia. Intravenous glucose was started. "
                      "He later developed sepsis. She was discharged home with nifedipine.")
    mother, child = extract(text, "t", terminology).patients
    assert {"hypoglycaemia", "sepsis"} <= _texts(child)
    assert "nifedipine" in _texts(mother) and "sepsis" not in _texts(mother)


def test_what_the_fetus_showed_is_not_the_mothers(terminology: Terminology) -> None:
    text = ("A 27-year-old pregnant woman presented at 22 weeks with abdominal pain. "
            "Ultrasound of the fetus showed ascites.")
    mother, fetus = extract(text, "t", terminology).patients
    assert "ascites" in _texts(fetus) and "ascites" not in _texts(mother)


def test_the_mother_named_so_in_her_own_report_is_the_patient(terminology: Terminology) -> None:
    text = _MOTHER + "The neonate had jaundice. The mother developed a fever on day 3."
    mother, _ = extract(text, "t", terminology).patients
    assert "fever" in _texts(mother)


def test_a_newborn_who_is_the_index_patient_keeps_its_facts(terminology: Terminology) -> None:
    text = ("A 2-day-old girl born by caesarean section at 38 weeks' gestation was admitted "
            "with jaundice. The neonate was treated with phototherapy. The infant was "
            "intubated for apnoea.")
    (child,) = extract(text, "t", terminology).patients
    assert {"jaundice", "phototherapy", "intubated"} <= _texts(child)


def test_the_child_named_as_hers_is_the_patient_of_its_own_case(terminology: Terminology) -> None:
    text = _MOTHER + ("Her newborn son developed jaundice and was treated with phototherapy. "
                      "The infant's father had diabetes.")
    mother, child = extract(text, "t", terminology).patients
    assert {"jaundice", "phototherapy"} <= _texts(child)
    assert "diabetes" not in _texts(child) | _texts(mother)


def test_the_procedure_she_delivered_her_child_by_is_hers(terminology: Terminology) -> None:
    text = ("A 33-year-old woman at 38 weeks of gestation was admitted with pre-eclampsia. "
            "She delivered a healthy male infant by emergency caesarean section.")
    (mother,) = extract(text, "t", terminology).patients
    assert "caesarean section" in _texts(mother)


def test_what_a_test_of_the_fetus_showed_is_the_fetuses(terminology: Terminology) -> None:
    text = ("A 30-year-old woman at 28 weeks of gestation was referred for polyhydramnios. "
            "Fetal echocardiography showed a ventricular septal defect.")
    mother, fetus = extract(text, "t", terminology).patients
    assert "ventricular septal defect" in _texts(fetus)
    assert "ventricular septal defect" not in _texts(mother) and "polyhydramnios" in _texts(mother)


def test_what_the_mother_had_is_not_the_newborns_but_what_the_fetus_had_is(
        terminology: Terminology) -> None:
    text = ("A 3-day-old boy was admitted with jaundice. His mother, a 34-year-old teacher, had "
            "been admitted a week earlier because of reduced fetal movements, "
            "oligohydramnios and fever.")
    (child,) = extract(text, "t", terminology).patients
    assert "reduced fetal movements" in _texts(child)
    assert not {"oligohydramnios", "fever"} & _texts(child)


def test_the_delivery_is_the_mothers_and_what_followed_it_the_childs(
        terminology: Terminology) -> None:
    text = ("A 26-year-old woman at 33 weeks of gestation presented with placental abruption. "
            "The infant was delivered by emergency caesarean section and was intubated for "
            "respiratory distress.")
    mother, child = extract(text, "t", terminology).patients
    assert "caesarean section" in _texts(mother) and "caesarean section" not in _texts(child)
    assert {"intubated", "respiratory distress"} <= _texts(child)
    assert not {"intubated", "respiratory distress"} & _texts(mother)


def test_what_is_the_mothers_in_her_own_report_is_the_patients_but_not_her_relatives(
        terminology: Terminology) -> None:
    text = ("A 31-year-old woman was admitted with pre-eclampsia. She delivered a boy. "
            "The mother\u2019s serum creatinine was 1.4 mg/dL. The mother's sister had lupus.")
    found = {m.text: m.context.experiencer.value
             for m in extract(text, "t", terminology).patients[0].mentions}
    assert found["serum creatinine"] == "patient"
    assert found["lupus"] == "family"
