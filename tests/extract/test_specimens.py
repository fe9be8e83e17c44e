"""A blood test's name after another specimen's is another test: "urine sodium" carries no
serum sodium code; coded only where a verified code for it exists
(fhirsvc/extract/specimens.py, ``mappings/lab_tests.tsv``)."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _tests(terminology: Terminology, sentence: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, m.concepts)
            for m in patient_mentions(terminology, sentence, MentionKind.LAB_TEST)]


@pytest.mark.parametrize(("sentence", "test"), [
    ("Urine sodium was 20 mmol/L.", "Urine sodium"),
    ("Her CSF lactate was 4.1 mmol/L.", "CSF lactate"),
    ("Pleural fluid LDH was 900 U/L.", "Pleural fluid LDH"),
    ("The glucose in the CSF was low.", "glucose in the CSF"),
])
def test_a_blood_test_named_with_another_specimen_carries_no_blood_code(
        terminology: Terminology, sentence: str, test: str) -> None:
    assert _tests(terminology, sentence) == [(test, ())]


def test_a_blood_test_named_alone_or_with_serum_keeps_its_code(
        terminology: Terminology) -> None:
    found = _tests(terminology, "Serum sodium was 131 mmol/L and sodium later 135 mmol/L.")
    assert found and all(concepts for _, concepts in found)


def test_urine_creatinine_is_the_urine_test(terminology: Terminology) -> None:
    [(text, concepts)] = _tests(terminology, "Urine creatinine was 80 mg/dL.")
    codes = {c.code for key in concepts for c in terminology.concepts[key].codings}
    assert text == "Urine creatinine" and codes == {"2161-8"}
