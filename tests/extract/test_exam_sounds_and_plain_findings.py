"""Heart sounds listed after a denial are each a denied finding; findings in plain words."""

from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions


def test_each_heart_sound_of_a_denied_list_is_a_denied_finding(
        terminology: Terminology) -> None:
    found = patient_conditions(terminology, "Auscultation found no gallops, rubs or murmurs.")
    assert {m.text for m in found if m.context.negated} >= {"gallops", "rubs", "murmurs"}


def test_a_heard_rub_is_a_finding(terminology: Terminology) -> None:
    found = patient_conditions(terminology, "A friction rub was heard at the left sternal border.")
    assert "friction rub" in [m.text for m in found if not m.context.negated]


def test_blood_in_the_patients_urine_is_hematuria(terminology: Terminology) -> None:
    found = patient_conditions(terminology, "Two days later she passed blood in her urine.")
    blood = [m for m in found if m.text == "blood in her urine"]
    assert blood and terminology.concept(blood[0].concepts[0]).codings


def test_rubbing_something_is_no_rub(terminology: Terminology) -> None:
    found = patient_conditions(terminology, "She was asked not to rub the wound.")
    assert all("rub" not in m.text for m in found)
