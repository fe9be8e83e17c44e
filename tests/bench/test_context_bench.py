"""The context benchmark reads a NegEx kit, finds each concept and scores each class."""

from __future__ import annotations

from pathlib import Path

from fhirsvc.bench.context import errors, fhirsvc_assess, locate, read_kit, score
from fhirsvc.model import Span

HEADER = "line number\tCondition\tsentence\tnegation\ttemporality\texperiencer\n"
ROWS = [
    "1\tcough\tShe reports no COUGH today.\tNegated\tRecent\tPatient",
    "2\tasthma\tHe has a history of ASTHMA.\tAffirmed\tHistorical\tPatient",
    "3\tstroke\tHis father had a STROKE at sixty.\tAffirmed\tHistorical\tOther",
    "4\trash\tCall us for any new RASH.\tAffirmed\tNot particular\tPatient",
    "5\tknee pain\tThe hip is fine.\tAffirmed\tRecent\tPatient",
]


def _kit(tmp_path: Path) -> Path:
    path = tmp_path / "kit.txt"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def test_the_kit_is_read_with_its_labels_and_rows_without_their_concept_left_out(
        tmp_path: Path) -> None:
    cases, unlocated = read_kit(_kit(tmp_path))
    assert unlocated == 1 and [c.number for c in cases] == [1, 2, 3, 4]
    assert cases[0].sentence[cases[0].span.start : cases[0].span.end] == "COUGH"
    assert cases[0].gold == {"negated": True, "historical": False, "hypothetical": False,
                             "other": False}
    assert cases[2].gold["other"] and cases[3].gold["hypothetical"]


def test_the_older_layout_annotates_negation_alone(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text('Report No.\tConcept\tSentence\tNegation\n'
                    '7\tfever\t"She denies FEVER, or chills."\tNegated\n', encoding="utf-8")
    cases, _ = read_kit(path)
    assert cases[0].sentence == "She denies FEVER, or chills."
    assert cases[0].gold["negated"] and cases[0].gold["historical"] is None


def test_the_capitalised_occurrence_of_a_concept_is_the_annotated_one() -> None:
    sentence = "The pain is worse than her chest   PAIN today."
    span = locate("pain", sentence)
    assert span == Span(35, 39)
    assert locate("chest pain", sentence) == Span(27, 39)
    assert locate("fever", sentence) is None


def test_scores_count_each_class_over_the_cases_that_annotate_it(tmp_path: Path) -> None:
    cases, _ = read_kit(_kit(tmp_path))
    labels = [fhirsvc_assess(c) for c in cases]
    negated = score(cases, labels, "negated")
    assert negated is not None and (negated.tp, negated.fp, negated.fn, negated.tn) == (1, 0, 0, 3)
    assert negated.f1 == 1.0 and negated.accuracy == 1.0
    historical = score(cases, labels, "historical")
    assert historical is not None and historical.tp + historical.fn == 2
    everything = [dict.fromkeys(labels[0], True) for _ in cases]
    wrong = errors(cases, everything, "negated")
    assert len(wrong) == 3 and wrong[0].startswith("2\t-\tasthma")
