"""Stage, grade and TNM classification: lab-test findings with the stage as written."""

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


def test_a_stage_in_words_and_its_tnm_in_parentheses_are_both_read(terminology: Terminology) -> None:
    found = _stages(terminology, "Pathology identified this case at a stage of IVA (pT4aN1M0).")
    assert found == {"stage": "IVA", "pT4aN1M0": "pT4aN1M0"}


@pytest.mark.parametrize("text", ["Stage 3", "grade II", "grade 2/6", "T2 N0 M0", "ypT0N0"])
def test_each_written_form_is_found(text: str) -> None:
    [(span, _name, result)] = list(staging.found(text, 0, len(text)))
    assert result is not None and text.endswith(result.text) and span.start == 0


@pytest.mark.parametrize("text", ["the first stage of labour", "T-cell lymphoma", "CT 2 N", "stages"])
def test_other_uses_of_the_words_are_not_stages(text: str) -> None:
    assert list(staging.found(text, 0, len(text))) == []
