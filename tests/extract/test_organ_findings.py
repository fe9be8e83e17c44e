"""A finding's adjective describing an organ, a site's noun before a finding, an adjective
before a finding's noun (extract/sites.py), and who recovers (extract/course.py)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions

SEEN = "A 50-year-old man was seen. "


def _conditions(terminology: Terminology, sentence: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, m.concepts) for m in patient_conditions(terminology, sentence, SEEN)]


def _codes(terminology: Terminology, found: list[Mention]) -> set[str]:
    return {c.code for m in found for key in m.concepts
            for c in terminology.concept(key).codings}


@pytest.mark.parametrize(("sentence", "written", "organ_term"), [
    ("Echocardiography showed a dilated right ventricle.", "dilated right ventricle",
     "right ventricular dilatation"),
    ("Echocardiography showed a mildly dilated left atrium.", "dilated left atrium",
     "left atrial enlargement"),
    ("On examination he had a painful abdomen.", "painful abdomen", "abdominal pain"),
    ("The right ventricle was mildly dilated.", "right ventricle was mildly dilated",
     "right ventricular dilatation"),
    ("The lymph nodes were enlarged.", "lymph nodes were enlarged", "lymph node enlargement"),
    ("Her abdomen was tender.", "abdomen was tender", "abdominal pain"),
])
def test_an_adjective_describing_an_organ_is_the_organs_finding_named_by_all_its_words(
        terminology: Terminology, sentence: str, written: str, organ_term: str) -> None:
    expected = terminology.term(organ_term)
    assert expected is not None
    assert _conditions(terminology, sentence) == [(written, expected.concepts)]


@pytest.mark.parametrize(("sentence", "written"), [
    ("CT showed an edematous pancreas.", "edematous pancreas"),
    ("On CT the pancreas was edematous.", "pancreas was edematous"),
])
def test_an_adjective_of_an_organ_the_lexicon_has_no_finding_for_carries_no_generic_code(
        terminology: Terminology, sentence: str, written: str) -> None:
    assert _conditions(terminology, sentence) == [(written, ())]


def test_an_adjective_said_of_the_patient_keeps_its_own_finding(
        terminology: Terminology) -> None:
    edema = terminology.term("edematous")
    assert edema is not None
    assert _conditions(terminology, "The patient was edematous.") == [
        ("edematous", edema.concepts)]


def test_a_site_noun_before_a_finding_is_read_with_the_sites_adjective(
        terminology: Terminology) -> None:
    expected = terminology.term("nuchal rigidity")
    assert expected is not None
    found = patient_conditions(terminology, "Examination showed neck rigidity.", SEEN)
    assert [(m.text, m.concepts) for m in found] == [("neck rigidity", expected.concepts)]
    assert "HP:0002063" not in _codes(terminology, found)  # not rigidity of the muscles


def test_an_adjective_finding_before_a_findings_noun_is_that_finding_not_a_second_one(
        terminology: Terminology) -> None:
    swelling = terminology.term("swelling")
    assert swelling is not None
    found = _conditions(terminology, "She had painful swelling on the left side of her neck.")
    assert found == [("painful swelling", swelling.concepts)]


def test_an_adjective_alone_after_the_verb_keeps_its_own_finding(
        terminology: Terminology) -> None:
    assert [text for text, _ in _conditions(terminology, "The patient was hypothermic.")] == [
        "hypothermic"]


def _course(terminology: Terminology, sentence: str) -> list[tuple[str, str]]:
    """The observations of how the patient's course went: a name and how it went."""
    report = extract(SEEN + sentence, "t", terminology)
    return [(m.text, m.result.text) for m in report.patients[0].mentions
            if m.text in ("recovered", "condition") and m.result is not None]


def test_a_function_that_recovered_is_no_observation_of_the_patients_course(
        terminology: Terminology) -> None:
    assert _course(terminology, "His vision recovered fully.") == []


@pytest.mark.parametrize("sentence", [
    "He recovered fully.", "The patient then recovered fully.", "The man recovered fully."])
def test_the_patient_who_recovered_gives_the_courses_observation(
        terminology: Terminology, sentence: str) -> None:
    assert _course(terminology, sentence) == [("recovered", "fully")]


def test_the_patients_condition_improving_stays_an_assessment_as_annotators_mark_it(
        terminology: Terminology) -> None:
    assert _course(terminology, "Her condition improved and she was discharged.") == [
        ("condition", "improved")]
