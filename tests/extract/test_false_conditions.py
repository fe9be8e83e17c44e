"""Words that look like a disorder or finding of the patient and are none: what is sought
to tell apart or surveyed, what a growth does, a procedure's misspelt name."""

import pytest

from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO, patient_conditions


def _facts(terminology: Terminology, sentence: str) -> list[str]:
    """The texts of the sentence's disorders and findings stated as the patient's."""
    return [m.text for m in patient_conditions(terminology, sentence)
            if m.span.start >= len(INTRO) and m.context.is_patient_fact
            and not m.context.negated]


@pytest.mark.parametrize("sentence", ["We surveyed hepatitis B and lupus as causes.",
                                      "The team also surveyed hepatitis B and lupus.",
                                      "She was surveyed for hepatitis B and lupus."])
def test_what_is_surveyed_is_sought_not_found(terminology: Terminology, sentence: str) -> None:
    assert _facts(terminology, sentence) == []


def test_what_a_test_must_tell_apart_is_sought_not_found(terminology: Terminology) -> None:
    assert "sarcoma" not in _facts(terminology, "Staining was used to distinguish a "
                                                "sarcoma from a benign schwannoma.")


def test_a_growths_verb_of_spread_is_no_finding(terminology: Terminology) -> None:
    facts = _facts(terminology, "Resection showed a carcinoma infiltrating into the "
                                "subserosa.")
    assert "carcinoma" in facts and "infiltrating" not in facts


def test_a_finding_in_ing_after_no_growth_stays(terminology: Terminology) -> None:
    assert "bleeding" in _facts(terminology, "She had gum bleeding from the upper molars.")


def test_a_misspelt_anastomosis_is_no_finding(terminology: Terminology) -> None:
    assert _facts(terminology, "Two end-to-side anastamoses were made.") == []


def test_a_ward_or_team_named_after_a_disorder_is_no_disorder(
        terminology: Terminology) -> None:
    assert _facts(terminology, "She was moved to the stroke unit, and the infection control "
                               "team was called.") == []


def test_what_a_vaccine_is_against_is_no_disorder_of_the_patient(
        terminology: Terminology) -> None:
    assert "measles" not in _facts(terminology, "He had been vaccinated against measles.")
