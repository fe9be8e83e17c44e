"""A finding named as a test's result ("elevated jugular venous pressure") is that test with
its result, as annotators and clinicians read it (``markers.result_findings``)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 56-year-old man presented with chest pain. "


def _mentions(terminology: Terminology, sentence: str) -> list[Mention]:
    return list(extract(INTRO + sentence, "t", terminology).patients[0].mentions)


@pytest.mark.parametrize(("sentence", "test", "result"), [
    ("On examination he had an elevated jugular venous pressure.", "jugular venous pressure",
     "elevated"),
    ("Laboratory data showed elevated C-reactive protein.", "C-reactive protein", "elevated"),
    ("She was noted to have increased jugular venous pressure.", "jugular venous pressure",
     "increased"),
    ("The ECG showed a prolonged PR interval.", "PR interval", "prolonged"),
    ("Spirometry showed decreased vital capacity.", "vital capacity", "decreased"),
])
def test_a_result_word_before_a_tests_name_is_the_tests_result(
        terminology: Terminology, sentence: str, test: str, result: str) -> None:
    found = {m.text: m for m in _mentions(terminology, sentence)}
    assert found[test].kind is MentionKind.LAB_TEST
    assert found[test].result is not None and found[test].result.text == result
    assert not any(m.kind is MentionKind.FINDING and test in m.text for m in found.values())


@pytest.mark.parametrize(("sentence", "words", "kind"), [
    ("He had high blood pressure for years.", "high blood pressure", MentionKind.DISORDER),
    ("He reported poor appetite.", "poor appetite", MentionKind.FINDING),
    ("She had decreased urine output.", "decreased urine output", MentionKind.FINDING),
])
def test_a_finding_whose_rest_is_no_lab_test_or_a_disorder_is_kept(
        terminology: Terminology, sentence: str, words: str, kind: MentionKind) -> None:
    found = {m.text: m.kind for m in _mentions(terminology, sentence)}
    assert found.get(words) is kind
