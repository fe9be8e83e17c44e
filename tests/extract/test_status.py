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
