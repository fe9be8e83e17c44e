"""Stage, grade, TNM classification and the course after treatment: lab-test findings with
their value as written (``extract/staging.py``, ``extract/course.py``)."""

import pytest

from fhirsvc.extract import extract, staging
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def _stages(terminology: Terminology, sentence: str) -> dict[str, str | None]:
    report = extract("A 61-year-old woman was admitted. " + sentence, "t", terminology)
    return {m.text: m.result.text if m.result else None for m in report.patients[0].mentions
            if m.kind is MentionKind.LAB_TEST}


def test_stage_and_tnm_are_results_as_written(terminology: Terminology) -> None:
    found = _stages(terminology, "She had a stage IIA, T1bN1, left-sided breast cancer.")
    assert found == {"stage": "IIA", "T1bN1": "T1bN1"}


def test_a_stage_in_words_and_its_tnm_in_parentheses_are_both_read(
    terminology: Terminology
) -> None:
    found = _stages(terminology, "Pathology identified this case at a stage of IVA (pT4aN1M0).")
    assert found == {"stage": "IVA", "pT4aN1M0": "pT4aN1M0"}


@pytest.mark.parametrize("text", ["Stage 3", "stage 3b", "grade II", "grade 2/6", "T2 N0 M0",
                                  "ypT0N0"])
def test_each_written_form_is_found(text: str) -> None:
    [(span, _name, result, _concepts)] = list(staging.found(text, 0, len(text)))
    assert result is not None and text.endswith(result.text) and span.start == 0


@pytest.mark.parametrize("text",
                         ["the first stage of labour", "T-cell lymphoma", "CT 2 N", "stages"])
def test_other_uses_of_the_words_are_not_stages(text: str) -> None:
    assert list(staging.found(text, 0, len(text))) == []


def test_a_functional_class_is_read_like_a_stage(terminology: Terminology) -> None:
    assert _stages(terminology, "She was in NYHA functional class III.") == {
        "NYHA functional class": "III"}


@pytest.mark.parametrize(("sentence", "name", "value"), [
    ("Her postoperative course was uneventful.", "postoperative course", "uneventful"),
    ("The postoperative recovery was mainly uneventful.", "postoperative recovery", "uneventful"),
    ("His posttransplant course was unremarkable until day 40.", "posttransplant course",
     "unremarkable"),
])
def test_how_the_course_went_is_a_finding_with_its_word(
        terminology: Terminology, sentence: str, name: str, value: str) -> None:
    assert _stages(terminology, sentence) == {name: value}


def test_a_course_of_treatment_is_no_statement_of_how_it_went(terminology: Terminology) -> None:
    assert _stages(terminology, "A course of steroids was given during the hospital stay.") == {}


@pytest.mark.parametrize("sentence", [
    "There was no stage IV disease.",
    "Without evidence of T3N1 disease, she was observed.",
])
def test_a_denied_stage_is_no_result_and_no_disorder(terminology: Terminology,
                                                     sentence: str) -> None:
    report = extract("A 54-year-old man was admitted. " + sentence, "t", terminology)
    assert [m.text for m in report.patients[0].mentions] == []


def _staged(terminology: Terminology, sentence: str) -> dict[str, tuple[str, str] | None]:
    """Each stage's summary: (the phrase as written, the words of the disorder it stages)."""
    text = "A 61-year-old woman was admitted. " + sentence
    report = extract(text, "t", terminology)
    stages = {span for span, *_ in staging.found(text, 0, len(text))}
    return {m.staging.summary if m.staging else m.text:
            (m.staging.disorder_text if m.staging else None)
            for m in report.patients[0].mentions if m.span in stages}


@pytest.mark.parametrize(("sentence", "summary", "disorder"), [
    ("She had stage IV chronic kidney disease.", "stage IV", "chronic kidney disease"),
    ("She had chronic kidney disease stage 2 and anaemia.", "stage 2", "chronic kidney disease"),
    ("She had breast cancer, stage IIB, on the left.", "stage IIB", "breast cancer"),
    ("A CT scan showed a grade 3 astrocytoma.", "grade 3", "astrocytoma"),
    ("Her CKD (stage 3b) was stable.", "stage 3b", "CKD"),
])
def test_a_stage_beside_a_disorder_stages_it(
        terminology: Terminology, sentence: str, summary: str, disorder: str) -> None:
    assert _staged(terminology, sentence) == {summary: disorder}


def test_a_stage_written_between_two_disorders_stages_the_one_it_precedes(
        terminology: Terminology) -> None:
    found = _staged(terminology, "She had hypertension, stage III chronic kidney disease.")
    assert found == {"stage III": "chronic kidney disease"}


@pytest.mark.parametrize("sentence", [
    "Her chronic kidney disease was followed; at that time the tumour was stage 2.",
    "Stage 2 was reached after 3 months of chronic kidney disease.",
])
def test_a_stage_away_from_a_disorder_stages_nothing(terminology: Terminology,
                                                     sentence: str) -> None:
    found = _staged(terminology, sentence)
    assert found and all(disorder is None for disorder in found.values())


@pytest.mark.parametrize(("sentence", "disorder"), [
    ("She had breast cancer, stage IV (pT3N0M1).", "breast cancer"),
    ("She had stage IIIA (pT2N2M0) colon cancer.", "colon cancer"),
    ("Her colon cancer (pT3N1M0, stage IIIB, grade 2) was resected.", "colon cancer"),
    ("She had breast cancer, pT2N1M0, stage IIB.", "breast cancer"),
])
def test_the_phrases_of_one_staging_written_together_stage_one_disorder(
        terminology: Terminology, sentence: str, disorder: str) -> None:
    found = _staged(terminology, sentence)
    assert len(found) >= 2 and set(found.values()) == {disorder}


@pytest.mark.parametrize(("sentence", "summary", "disorder"), [
    ("She had heart failure, asymptomatic (NYHA class I).", "NYHA class I", "heart failure"),
    ("She had dilated cardiomyopathy with NYHA class III dyspnoea.", "NYHA class III",
     "dilated cardiomyopathy"),
    ("She had a myocardial infarction; Killip class II.", "Killip class II",
     "myocardial infarction"),
])
def test_a_functional_class_stages_the_disease_it_grades_not_a_finding(
        terminology: Terminology, sentence: str, summary: str, disorder: str) -> None:
    assert _staged(terminology, sentence)[summary] == disorder
