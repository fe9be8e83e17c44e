"""Clinical status stated of "the disease", dated by the narrative it is told in."""

from fhirsvc.extract import extract, findings
from fhirsvc.model import ClinicalStatus, Span
from fhirsvc.terminology import Terminology

REPORT = ("A 61-year-old man with multiple myeloma was seen.\n"
          "In 2009 he was diagnosed with multiple myeloma. His disease was controlled, but it has "
          "now relapsed.\n"
          "Today his disease is in remission.\n")


def _statuses(terminology: Terminology) -> list[tuple[ClinicalStatus | None, str | None]]:
    report = extract(REPORT, "t", terminology)
    return [(m.status, m.when.date if m.when else None) for m in report.patients[0].mentions
            if m.status is not None]


def test_an_undated_status_takes_the_date_its_paragraph_narrates(terminology: Terminology) -> None:
    assert (ClinicalStatus.RELAPSE, "2009") in _statuses(terminology)


def test_a_status_in_a_new_paragraph_without_a_date_stays_undated(terminology: Terminology) -> None:
    assert _statuses(terminology)[-1] == (ClinicalStatus.REMISSION, None)


def test_an_event_denied_with_a_hyphenated_word_between_is_remission() -> None:
    sentence = "She remains alive without loco-regional recurrence two years later."
    at = sentence.index("recurrence")
    found = findings.status(sentence, Span(at, at + len("recurrence")), Span(0, len(sentence)))
    assert found is ClinicalStatus.REMISSION


def test_a_finding_no_longer_present_is_resolved_not_refuted(terminology: Terminology) -> None:
    text = ("A 33-year-old woman presented with diplopia.\n"
            "After the third plasma exchange she no longer had diplopia.\n")
    report = extract(text, "t", terminology)
    later = [m for m in report.patients[0].mentions
             if m.text == "diplopia" and m.span.start > text.index("exchange")]
    assert later and not later[0].context.negated
    assert later[0].status is ClinicalStatus.RESOLVED


def _conditions(terminology: Terminology, text: str) -> dict[str, ClinicalStatus | None]:
    report = extract(text, "t", terminology)
    return {m.text.lower(): m.status for m in report.patients[0].mentions}


def test_a_symptom_called_recurrent_repeats_and_is_no_recurrence(
        terminology: Terminology) -> None:
    found = _conditions(terminology, "A 40-year-old woman had recurrent vomiting and recurring "
                                     "headaches for a year.\n")
    assert found["vomiting"] is not ClinicalStatus.RECURRENCE
    assert found["headaches"] is not ClinicalStatus.RECURRENCE


def test_a_recurrence_told_by_its_noun_or_of_a_growth_stays_recurrence(
        terminology: Terminology) -> None:
    found = _conditions(terminology, "A 40-year-old woman had a recurrence of the tumour.\n"
                                     "She had recurrent breast cancer.\n"
                                     "Her headache recurred after a week.\n")
    assert found["tumour"] is ClinicalStatus.RECURRENCE
    assert found["breast cancer"] is ClinicalStatus.RECURRENCE
    assert found["headache"] is ClinicalStatus.RECURRENCE


def test_a_recurrent_symptom_is_no_recurrence_of_the_primary_disease(
        terminology: Terminology) -> None:
    text = ("A 40-year-old woman was diagnosed with acute myeloid leukaemia.\n"
            "She later had recurrent vomiting.\n")
    assert "recurrent" not in _conditions(terminology, text)


def test_no_condition_is_named_by_recurrence_alone_for_an_uncoded_disease(
        terminology: Terminology) -> None:
    text = ("A 52-year-old man was found to have a carcinoma of the parotid gland.\n"
            "He is alive without recurrence three years after the operation.\n")
    assert "recurrence" not in _conditions(terminology, text)


def test_a_status_said_of_another_disorder_after_of_leaves_this_one_alone(
        terminology: Terminology) -> None:
    report = extract("A 52-year-old woman was admitted. She was switched to tocilizumab for her "
                     "arthritis and has had no recurrence of pneumonitis.", "t", terminology)
    (arthritis,) = [m for m in report.patients[0].mentions if m.text == "arthritis"]
    assert arthritis.status is None
