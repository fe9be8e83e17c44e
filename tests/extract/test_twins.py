"""A mother's twins are a patient each: what is told of one is that twin's, what is told
of both is each twin's, and none of it is the mother's."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Sex
from fhirsvc.terminology import Terminology
from tests.extract.helpers import fact_texts as _texts

_MOTHER = "A 30-year-old woman was admitted at 34 weeks of gestation with preeclampsia. "


@pytest.mark.parametrize("told", [
    "She delivered twins; twin A weighed 2,100 g and twin B had respiratory distress.",
    "She delivered twins. Twin 1 weighed 2,100 g, and twin 2 had respiratory distress.",
    "She delivered twins. The first twin weighed 2,100 g. The second twin had respiratory "
    "distress.",
])
def test_what_is_told_of_each_twin_is_that_twins(terminology: Terminology, told: str) -> None:
    mother, first, second = extract(_MOTHER + told, "t", terminology).patients
    assert "weighed" in _texts(first) and "respiratory distress" not in _texts(first)
    assert "respiratory distress" in _texts(second) and "weighed" not in _texts(second)
    assert not {"weighed", "respiratory distress"} & _texts(mother)
    assert "preeclampsia" in _texts(mother)


def test_a_twins_next_sentence_by_pronoun_is_that_twins(terminology: Terminology) -> None:
    text = _MOTHER + ("She delivered twins. Twin B had respiratory distress. He was intubated. "
                      "She was discharged with nifedipine.")
    mother, twin = extract(text, "t", terminology).patients
    assert {"respiratory distress", "intubated"} <= _texts(twin)
    assert "nifedipine" in _texts(mother) and "intubated" not in _texts(mother)


def test_what_is_told_of_both_twins_is_each_twins_and_the_birth_hers(
        terminology: Terminology) -> None:
    text = _MOTHER + "The twins were delivered by caesarean section and developed jaundice."
    mother, first, second = extract(text, "t", terminology).patients
    assert "jaundice" in _texts(first) and "jaundice" in _texts(second)
    assert "jaundice" not in _texts(mother)
    assert [m.text for m in mother.mentions].count("caesarean section") == 1
    assert "caesarean section" not in _texts(first) | _texts(second)


def test_a_twins_sex_is_read_from_its_own_words(terminology: Terminology) -> None:
    text = _MOTHER + ("The first twin, a girl, had a cleft lip. The second twin, a boy, "
                      "developed sepsis.")
    _, first, second = extract(text, "t", terminology).patients
    assert (first.sex, second.sex) == (Sex.FEMALE, Sex.MALE)


@pytest.mark.parametrize("text", [
    "A 31-year-old primipara with a twin pregnancy was admitted with hypertension. A caesarean "
    "section was performed because of the presentation of twins.",
    "A 28-year-old woman with twin-twin transfusion syndrome was admitted at 24 weeks.",
])
def test_a_twin_pregnancy_alone_makes_no_twin_patients(terminology: Terminology,
                                                       text: str) -> None:
    assert len(extract(text, "t", terminology).patients) == 1


def test_the_twins_as_subject_before_each_twins_words_are_told_of_both(
        terminology: Terminology) -> None:
    text = _MOTHER + ("The twins were admitted to the neonatal unit; twin A had jaundice and "
                      "twin B had hypoglycaemia. Both babies were treated with antibiotics.")
    mother, first, second = extract(text, "t", terminology).patients
    assert {"jaundice", "antibiotics"} <= _texts(first) and "hypoglycaemia" not in _texts(first)
    assert {"hypoglycaemia", "antibiotics"} <= _texts(second) and "jaundice" not in _texts(second)
    assert not {"jaundice", "hypoglycaemia", "antibiotics"} & _texts(mother)


def test_a_twins_day_of_life_is_its_age(terminology: Terminology) -> None:
    text = _MOTHER + "She delivered twins. Twin B developed sepsis on day 3 of life."
    _, twin = extract(text, "t", terminology).patients
    assert twin.age is not None and (twin.age.value, twin.age.unit) == (3, "d")


def test_a_number_of_a_time_after_twin_names_no_twin(terminology: Terminology) -> None:
    text = _MOTHER + ("She delivered twins. The surviving twin 2 weeks later developed sepsis. "
                      "Twin B had jaundice.")
    patients = extract(text, "t", terminology).patients
    assert len(patients) == 2  # the mother and twin B, not a twin "2"
