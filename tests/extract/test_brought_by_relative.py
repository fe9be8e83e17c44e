"""A relative who brings a child to care is not the patient: the child brought is."""

from decimal import Decimal

from fhirsvc.extract import extract
from fhirsvc.model import Sex
from fhirsvc.terminology import Terminology


def test_the_child_a_relative_in_apposition_brings_is_the_patient(
        terminology: Terminology) -> None:
    text = ("The father, a 38-year-old man, brought his 3-week-old daughter to the clinic "
            "because of vomiting. She was dehydrated.")
    patient = extract(text, "t", terminology).patients[0]
    assert patient.age is not None
    assert (patient.age.value, patient.age.unit, patient.sex) == (Decimal(3), "wk", Sex.FEMALE)


def test_a_patient_brought_by_a_relative_keeps_her_own_age(terminology: Terminology) -> None:
    text = "A 26-year-old woman was brought by her father because of confusion."
    patient = extract(text, "t", terminology).patients[0]
    assert patient.age is not None
    assert (patient.age.value, patient.sex) == (Decimal(26), Sex.FEMALE)
