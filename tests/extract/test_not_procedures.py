"""Procedure words that name no procedure: a place or service they modify ("the transplant
clinic"), and "drainage" told of the fluid or flow that drains rather than of a procedure."""

import pytest

from fhirsvc.terminology import Terminology
from tests.extract.helpers import procedure_texts as _procedures


@pytest.mark.parametrize("sentence", [
    "She was referred to the transplant clinic in March.",
    "He was moved to the dialysis unit for the night.",
    "She was seen by the surgery department the next day.",
    "He was taken to the endoscopy suite.",
    "She was referred to the department of surgery.",
    "He was transferred to the Department of General Surgery the next morning.",
    "The case was reviewed by a professor of radiology.",
])
def test_a_procedure_word_that_names_a_place_or_service_is_no_procedure(
        terminology: Terminology, sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "Purulent drainage from the wound was noted on day three.",
    "The drainage was serous and decreased over time.",
    "Imaging showed anomalous venous drainage into the left atrium.",
    "There was drainage of the left hepatic vein into the right atrium.",
])
def test_drainage_told_of_the_fluid_or_flow_is_no_procedure(terminology: Terminology,
                                                            sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "words"), [
    ("Percutaneous drainage of the collection was performed.", "Percutaneous drainage"),
    ("She underwent dialysis three times a week.", "dialysis"),
])
def test_the_same_words_naming_the_procedure_are_kept(terminology: Terminology, sentence: str,
                                                      words: str) -> None:
    assert words in _procedures(terminology, sentence)


def test_the_site_of_a_procedure_is_no_procedure(terminology: Terminology) -> None:
    assert _procedures(terminology, "A haematoma formed at the biopsy site.") == []


@pytest.mark.parametrize("sentence", [
    "The emergency department management included fluids and oxygen.",
    "This finding provided histological support for the clinical diagnosis.",
])
def test_a_service_or_a_finding_is_no_modifier_of_a_treatment_head(
        terminology: Terminology, sentence: str) -> None:
    assert not any(words.startswith(("department", "finding", "provided"))
                   for words in _procedures(terminology, sentence))


def test_a_treatment_head_after_real_modifiers_is_still_found(terminology: Terminology) -> None:
    assert "nutritional support" in _procedures(terminology,
                                                "She received nutritional support for a month.")


@pytest.mark.parametrize(("sentence", "words"), [
    ("On day two she underwent repair of the torn tendon.", "repair of the torn tendon"),
    ("Replacement of the mitral valve was then carried out.", "Replacement of the mitral valve"),
    ("He had decompression of the cervical cord at two levels.",
     "decompression of the cervical cord"),
    ("An IVC filter was placed before the operation.", "IVC filter"),
    ("He was bridged with a left ventricular assist device.", "left ventricular assist device"),
    ("Her achalasia was treated by a Heller myotomy.", "Heller myotomy"),
    ("The bleeding vessel was secured by endoscopic clipping.", "endoscopic clipping"),
    ("His hyponatraemia was managed with fluid restriction.", "fluid restriction"),
    ("She was started on CVVH for the acidosis.", "CVVH"),
])
def test_a_bare_surgical_act_and_common_supportive_and_surgical_care_are_procedures(
        terminology: Terminology, sentence: str, words: str) -> None:
    assert words in _procedures(terminology, sentence)


@pytest.mark.parametrize("sentence", [
    "Treatment of the pneumonia was continued.",
    "Management of her diabetes was reviewed.",
    "The scan showed dilatation of the common bile duct.",
    "Placement of a nasogastric tube was uneventful.",
])
def test_care_in_general_a_bodily_change_or_a_device_before_of_is_no_bare_act(
        terminology: Terminology, sentence: str) -> None:
    assert not any(words.lower() in {"treatment", "management", "dilatation", "placement"}
                   for words in _procedures(terminology, sentence))



@pytest.mark.parametrize("sentence", [
    "She described retrosternal pain without radiation.",
    "He reported epigastric discomfort with radiation to the back.",
    "The pain was dull, with no radiation.",
    "There was left shoulder pain and radiation to the elbow.",
])
def test_radiation_told_of_a_pain_is_no_radiotherapy(terminology: Terminology,
                                                      sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "Her bone pain was palliated with radiation.",
    "The pain began after radiation to the pelvis.",
    "The pain was dull, and radiation to the spine was started.",
])
def test_radiation_given_for_or_before_a_pain_stays_a_procedure(terminology: Terminology,
                                                                sentence: str) -> None:
    assert _procedures(terminology, sentence) == ["radiation"]


@pytest.mark.parametrize("sentence", [
    "She underwent a full evaluation.",
    "He needs a comprehensive assessment before discharge.",
    "She was referred for a complete work-up.",
    "He was admitted for further evaluation.",
])
def test_an_evaluation_with_only_a_word_of_extent_is_no_procedure(terminology: Terminology,
                                                                  sentence: str) -> None:
    assert _procedures(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "words"), [
    ("A thorough work-up was performed and was negative.", "thorough work-up"),
    ("An initial assessment revealed a low platelet count.", "initial assessment"),
    ("Workup showed no source of the bleeding.", "Workup"),
    ("A careful cardiac evaluation was performed.", "cardiac evaluation"),
])
def test_an_evaluation_told_as_done_or_of_a_named_kind_is_a_procedure(
        terminology: Terminology, sentence: str, words: str) -> None:
    assert words in _procedures(terminology, sentence)


def test_an_evaluation_that_is_the_purpose_of_a_test_names_only_the_test(
        terminology: Terminology) -> None:
    assert _procedures(terminology, "An MRI for the preoperative evaluation showed a cyst.") \
        == ["MRI"]
