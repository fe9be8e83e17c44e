"""A culture that grew nothing states a negative result, not a missing one: "blood cultures
were sterile", "showed no growth" (fhirsvc/extract/result_words.tsv)."""

import pytest

from fhirsvc.model import MentionKind, Qualitative
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


@pytest.mark.parametrize(("sentence", "written"), [
    ("Blood cultures were sterile.", "sterile"),
    ("Repeat cultures remained sterile.", "sterile"),
    ("Blood cultures showed no growth.", "no growth"),
    ("The urine culture had no bacterial growth.", "no bacterial growth"),
    ("Blood cultures grew no organisms.", "no organisms"),
])
def test_a_culture_that_grew_nothing_is_negative(terminology: Terminology, sentence: str,
                                                 written: str) -> None:
    [culture] = [m for kind in (MentionKind.LAB_TEST, MentionKind.DIAGNOSTIC_PROCEDURE)
                 for m in patient_mentions(terminology, sentence, kind)]
    assert culture.result is not None
    assert (culture.result.text, culture.result.qualitative) == (written, Qualitative.NEGATIVE)
    assert not culture.context.negated
