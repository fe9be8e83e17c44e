"""A dosage's text is the dose, route, frequency and period as written, ending at the last of
them: the reason or anything else after them is not how the drug was given
(fhirsvc/extract/findings.py ``dosage``)."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


@pytest.mark.parametrize(("sentence", "drug", "given"), [
    ("She received cefazolin 2 g IV every 8 hours for wound infection.",
     "cefazolin", "2 g IV every 8 hours"),
    ("He was given prednisolone 40 mg daily for 2 weeks because of the rash.",
     "prednisolone", "40 mg daily for 2 weeks"),
    ("Vancomycin 1 g intravenously was started for suspected endocarditis.",
     "Vancomycin", "1 g intravenously"),
])
def test_dosage_text_ends_at_its_last_dose_word(terminology: Terminology, sentence: str,
                                                drug: str, given: str) -> None:
    found = [m for m in patient_mentions(terminology, sentence, MentionKind.MEDICATION)
             if m.text == drug]
    assert [m.dosage.text if m.dosage else None for m in found] == [given]
