"""Tests named without a value: serum and coagulation tests, immunostains listed with no
result word, and the examination words of mappings/procedures.tsv."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _texts(terminology: Terminology, sentence: str, kind: MentionKind) -> set[str]:
    return {m.text for m in patient_mentions(terminology, sentence, kind)}


@pytest.mark.parametrize(("sentence", "tests"), [
    ("We sent a soluble IL-2 receptor and a serum myoglobin.",
     {"soluble IL-2 receptor", "serum myoglobin"}),
    ("Antithrombin III, protein C activity and lupus anticoagulant were requested.",
     {"Antithrombin III", "protein C activity", "lupus anticoagulant"}),
    ("Galactomannan and beta-D-glucan were sent for suspected aspergillosis.",
     {"Galactomannan", "beta-D-glucan"}),
    ("Plasma metanephrines and urinary 5-HIAA were collected twice.",
     {"Plasma metanephrines", "urinary 5-HIAA"}),
    ("An HIV antibody test, an RPR test and a faecal occult blood test were ordered.",
     {"HIV antibody", "RPR test", "faecal occult blood test"}),
])
def test_a_laboratory_test_named_without_a_value_is_a_test(
        terminology: Terminology, sentence: str, tests: set[str]) -> None:
    assert tests <= _texts(terminology, sentence, MentionKind.LAB_TEST)


def test_immunostains_listed_without_a_result_word_are_tests(terminology: Terminology) -> None:
    found = _texts(terminology, "The panel included cyclin D1, SOX10 and pancytokeratin.",
                   MentionKind.LAB_TEST)
    assert {"cyclin D1", "SOX10", "pancytokeratin"} <= found


def test_a_general_survey_is_an_examination(terminology: Terminology) -> None:
    found = _texts(terminology, "On general survey she looked pale.",
                   MentionKind.DIAGNOSTIC_PROCEDURE)
    assert "general survey" in found


@pytest.mark.parametrize(("sentence", "test", "value"), [
    ("Factor IX levels were low at 2%.", "Factor IX levels", 2),
    ("FVIII activity was 38%.", "FVIII activity", 38),
    ("Coagulation factor XIII activity was 45%.", "Coagulation factor XIII activity", 45),
])
def test_a_coagulation_factors_activity_is_a_test_with_its_percentage(
        terminology: Terminology, sentence: str, test: str, value: float) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.LAB_TEST)
    assert [(m.text, m.result and m.result.quantity and m.result.quantity.value)
            for m in found] == [(test, value)]


def test_occult_blood_named_as_a_finding_is_no_test(terminology: Terminology) -> None:
    found = _texts(terminology, "Bleeding was suspected from occult blood in the stool.",
                   MentionKind.LAB_TEST)
    assert not found
