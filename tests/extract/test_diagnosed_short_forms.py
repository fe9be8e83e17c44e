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


@pytest.mark.parametrize(("text", "short"), [
    ("A biopsy confirmed the diagnosis of stage IV ovarian carcinoma, and IV fluids were "
     "started.", "IV"),
    ("A biopsy confirmed the diagnosis of stage IIIB ovarian carcinoma.", "IIIB"),
    ("Histology was compatible with grade II meningioma.", "II"),
    ("Her melaena was thought to be secondary to UGI haemorrhage.", "UGI"),
    ("His confusion was suggestive of NICU psychosis.", "NICU"),
    ("The lesion was consistent with a PNS sheath tumour.", "PNS"),
    ("She was diagnosed with LA enlargement on echocardiography.", "LA"),
    ("The biopsy was consistent with PR negative ductal carcinoma.", "PR"),
    ("The tumour was consistent with IARC grade III glioma.", "IARC"),
    ("Her keratitis was secondary to VZV reactivation.", "VZV"),
    ("Her hepatitis was secondary to INH toxicity.", "INH"),
    ("The mass was consistent with the QRZ appearance of a lipoma.", "QRZ"),
    ("Her weight loss was secondary to the QRZ and its side effects.", "QRZ"),
    ("She was diagnosed with stage T2N0, and surgery followed.", "T2N0"),
    ("The tumour was consistent with grade G3 (Fig. 2).", "G3"),
    ("The smear was suggestive of QRZ+ cells.", "QRZ"),
])
def test_a_short_form_that_modifies_a_following_word_or_is_a_stage_is_no_disorder(
        terminology: Terminology, text: str, short: str) -> None:
    """A Roman numeral or a stage after "stage"/"grade" is the stage's value, and a short form
    followed by any lower-case word but a closed-class one ("XY infection", "XY positive",
    "XY grade") modifies a longer name: a disorder of the short form alone would be wrong, and
    wrong again at every other use of it in the report ("IV fluids")."""
    assert short not in [m.text for m in _disorders(terminology, text)]


@pytest.mark.parametrize(("text", "short"), [
    ("She was diagnosed with MVX two years ago.", "MVX"),
    ("The diagnosis of MVX was confirmed by biopsy.", "MVX"),
    ("The findings were consistent with a MVX, and she was treated.", "MVX"),
    ("His seizures were secondary to MVX due to a mutation.", "MVX"),
])
def test_a_short_form_followed_by_a_closed_class_word_stays_a_disorder(
        terminology: Terminology, text: str, short: str) -> None:
    assert short in [m.text for m in _disorders(terminology, text)]
