"""How mentions get their context in a whole report: tests, treatments, list sentences."""

from fhirsvc.extract import extract
from fhirsvc.model import Mention
from fhirsvc.terminology import Terminology

_INTRO = "A 60-year-old man was admitted with fever. "


def _mention(text: str, word: str, terminology: Terminology) -> Mention:
    (patient,) = extract(text, "t", terminology).patients
    return next(m for m in patient.mentions if word in m.text.lower())


def test_a_test_that_found_nothing_was_still_done(terminology: Terminology) -> None:
    text = _INTRO + "He had no focal findings on computed tomography."
    assert not _mention(text, "computed tomography", terminology).context.negated


def test_a_test_not_performed_is_negated(terminology: Terminology) -> None:
    text = _INTRO + "Computed tomography was not performed."
    assert _mention(text, "computed tomography", terminology).context.negated


def test_drugs_listed_in_a_narrative_sentence_without_a_pronoun_are_the_patients(
    terminology: Terminology,
) -> None:
    text = _INTRO + "Intravenous antibiotics including vancomycin and cefepime were continued."
    for drug in ("vancomycin", "cefepime"):
        ctx = _mention(text, drug, terminology).context
        assert ctx.is_patient_fact and not ctx.hypothetical


def test_tests_introduced_by_such_as_with_a_stated_result_are_the_patients(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Serum tumor markers such as carcinoembryonic "
                     "antigen and neuron-specific enolase were all in normal range. Diseases such "
                     "as sarcoidosis can raise these levels.", "t", terminology)
    facts = {m.text: m.context.is_patient_fact for m in report.patients[0].mentions}
    assert facts["carcinoembryonic antigen"] and facts["neuron-specific enolase"]
    assert not facts["sarcoidosis"]
