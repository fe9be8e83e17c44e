"""Procedures read by grammar: a finding's word written as the act of drawing fluid out, the
imaging that guides another act, the sentence's words that are no kind of a procedure, and
the body's own doing."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions, patient_mentions, procedure_texts

#: The kinds a procedure's or a test's name is read as.
_LOOKS_AND_ACTS = (MentionKind.THERAPEUTIC_PROCEDURE, MentionKind.DIAGNOSTIC_PROCEDURE,
                   MentionKind.LAB_TEST)


def _names(terminology: Terminology, sentence: str) -> list[str]:
    """The texts of the patient's procedures and tests in ``sentence``."""
    return [m.text for kind in _LOOKS_AND_ACTS
            for m in patient_mentions(terminology, sentence, kind)]


@pytest.mark.parametrize(("sentence", "words"), [
    ("Aspiration of the cyst yielded clear fluid.", "Aspiration"),
    ("Needle aspiration of the knee joint was performed.", "aspiration"),
    ("Ultrasound-guided aspiration of the collection was done.", "aspiration"),
    ("Aspiration was repeated two days later.", "Aspiration"),
])
def test_aspiration_written_as_an_act_is_a_procedure(terminology: Terminology, sentence: str,
                                                     words: str) -> None:
    assert words in procedure_texts(terminology, sentence)


@pytest.mark.parametrize("sentence", [
    "Aspiration of gastric contents was suspected.",
    "She had recurrent aspiration while eating.",
    "Aspiration of a foreign body was considered.",
])
def test_aspiration_breathed_in_stays_a_finding(terminology: Terminology, sentence: str) -> None:
    assert procedure_texts(terminology, sentence) == []
    assert any("spiration" in m.text for m in patient_conditions(terminology, sentence))


@pytest.mark.parametrize(("sentence", "act"), [
    ("A CT-guided biopsy of the lung nodule was performed.", "biopsy"),
    ("An ultrasound guided drainage of the collection was done.", "drainage"),
    ("Drainage of the abscess was performed under ultrasound guidance.", "Drainage"),
])
def test_the_imaging_that_guides_an_act_is_no_procedure_of_its_own(
        terminology: Terminology, sentence: str, act: str) -> None:
    assert procedure_texts(terminology, sentence) == [act]


@pytest.mark.parametrize(("sentence", "words"), [
    ("The family requested palliative management.", "palliative management"),
    ("She chose surgical management after a discussion.", "surgical management"),
    ("Whereas serological tests were negative, she had a rash.", "serological tests"),
])
def test_a_verb_or_conjunction_before_a_head_is_no_modifier(terminology: Terminology,
                                                            sentence: str, words: str) -> None:
    found = _names(terminology, sentence)
    assert words in found
    assert not any(w != words and w.endswith(words) for w in found)


def test_a_point_in_time_is_no_kind_of_an_evaluation(terminology: Terminology) -> None:
    assert procedure_texts(terminology, "At the 3-month evaluation she was well.") == []


@pytest.mark.parametrize("sentence", [
    "Spontaneous closure of the septal defect was seen on the next scan.",
    "Animal studies suggest a toxic effect of the drug.",
    "Statistical analysis was performed with standard software.",
])
def test_the_bodys_own_doing_and_research_are_no_procedures(terminology: Terminology,
                                                           sentence: str) -> None:
    assert not any(w.lower().startswith(("spontaneous closure", "closure", "animal",
                                         "statistical"))
                   for w in procedure_texts(terminology, sentence))


def test_a_verb_after_an_acts_object_is_not_part_of_its_name(terminology: Terminology) -> None:
    assert "Repair of the hernia" in procedure_texts(terminology,
                                                     "Repair of the hernia followed.")


@pytest.mark.parametrize(("sentence", "words"), [
    ("Laser lithotripsy of the ureteric stone was performed.", "lithotripsy"),
    ("Leukocytapheresis was started the same day.", "Leukocytapheresis"),
    ("The patient required reoperation for bleeding.", "reoperation"),
    ("She underwent EVAR for the aneurysm.", "EVAR"),
    ("He received SBRT to the lung lesion.", "SBRT"),
    ("A sentinel lymph node biopsy was negative.", "sentinel lymph node biopsy"),
])
def test_procedures_by_suffix_and_common_names(terminology: Terminology, sentence: str,
                                               words: str) -> None:
    assert words in _names(terminology, sentence)


def test_a_time_and_a_comma_end_a_denial(terminology: Terminology) -> None:
    sentence = ("She had meningitis without residual deficits eight years prior, "
                "gastric bypass surgery, and a cholecystectomy.")
    acts = patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE)
    assert "gastric bypass surgery" in [m.text for m in acts]
    assert not any(m.context.negated for m in acts)


@pytest.mark.parametrize(("sentence", "act"), [
    ("Dialysis was never needed during the admission.", "Dialysis"),
    ("A colonoscopy was never performed.", "colonoscopy"),
    ("Biopsy was not obtained because of the bleeding risk.", "Biopsy"),
])
def test_care_never_needed_or_not_obtained_was_not_done(terminology: Terminology,
                                                        sentence: str, act: str) -> None:
    found = {m.text: m.context.not_done for kind in (MentionKind.THERAPEUTIC_PROCEDURE,
                                                     MentionKind.DIAGNOSTIC_PROCEDURE)
             for m in patient_mentions(terminology, sentence, kind)}
    assert found == {act: True}
