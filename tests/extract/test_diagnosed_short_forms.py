"""A case presentation uses short forms its article defined before the case (in the abstract
or introduction). An upper-case short form named as the patient's diagnosis is a disorder,
there and at its other uses in the report; one that begins a longer name is not."""

import pytest

from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _disorders(terminology: Terminology, text: str) -> list[Mention]:
    return patient_mentions(terminology, text, MentionKind.DISORDER)


@pytest.mark.parametrize(("text", "short"), [
    ("Her clinical picture led to the diagnosis of QRZ.", "QRZ"),
    ("She was diagnosed with idiopathic QRZ in 2010.", "QRZ"),
    ("The skin biopsy was consistent with QRZ (Fig. 2).", "QRZ"),
    ("Her anaemia was thought to be secondary to QRZ.", "QRZ"),
    ("A diagnosis of advanced QRZ2 was made.", "QRZ2"),
])
def test_an_undefined_short_form_named_as_the_diagnosis_is_a_disorder(
        terminology: Terminology, text: str, short: str) -> None:
    assert short in [m.text for m in _disorders(terminology, text)]


def test_every_later_use_of_a_diagnosed_short_form_is_the_same_disorder(
        terminology: Terminology) -> None:
    text = "She was diagnosed with QRZ. Her QRZ relapsed a year later."
    assert [m.text for m in _disorders(terminology, text)] == ["QRZ", "QRZ"]


@pytest.mark.parametrize("text", [
    "The picture was consistent with QRZ findings on imaging.",
    "Her test results were consistent with QRZ criteria.",
    "She was diagnosed with Qrz at a private clinic.",
])
def test_a_short_form_that_begins_a_longer_name_or_is_not_upper_case_is_no_disorder(
        terminology: Terminology, text: str) -> None:
    assert "QRZ" not in [m.text.upper() for m in _disorders(terminology, text)]
