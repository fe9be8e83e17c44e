"""Common signs, symptoms and disorders of every specialty (``probes/common_conditions.tsv``),
each written in sentences a case report uses for it: the term is stated of the patient in
every frame, and never asserted in a frame that denies it. A term marked ``gap`` is not yet
recognised: expected to fail, and a pass fails too (strict), so a fixed gap leaves the list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import CONDITION_KINDS, Mention, MentionKind
from fhirsvc.terminology import Terminology

TABLE = Path(__file__).resolve().parent / "probes" / "common_conditions.tsv"
INTRO = "A 54-year-old woman was admitted to hospital. "

#: Sentences the term is stated in, by the table's frame.
STATED = {
    "symptom": ("She presented with {}.", "Two weeks later, {} developed.",
                "He complained of {} for a month."),
    "examination": ("Examination revealed {}.", "On examination, she had {}.",
                    "Physical examination was notable for {}."),
    "history": ("He had a history of {}.", "She was diagnosed with {}.",
                "Her past medical history included {} and asthma."),
    "imaging": ("CT showed {}.", "Ultrasound revealed {}.",
                "A chest radiograph demonstrated {}."),
}
#: A sentence that denies the term, by the table's frame.
DENIED = {"symptom": "She denied {}.", "examination": "There was no {}.",
          "history": "There was no history of {}.", "imaging": "CT showed no {}."}
#: What a finding may become: a Condition, or an examination's Observation ("decreased
#: breath sounds": the breath sounds, decreased).
_KINDS = (*CONDITION_KINDS, MentionKind.LAB_TEST)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")


def _rows(*, gaps_fail: bool) -> list[object]:
    """The table's rows; a ``gap`` row expected to fail when ``gaps_fail``."""
    rows: list[object] = []
    for line in TABLE.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("#") or line.startswith("frame\t"):
            continue
        frame, term, *gap = line.split("\t")
        marks = ([pytest.mark.xfail(reason="not yet recognised", raises=AssertionError,
                                    strict=True)]
                 if gap and gaps_fail else [])
        rows.append(pytest.param(frame, term, marks=marks, id=f"{frame}-{term}"))
    return rows


def _sentence(frame: str, term: str) -> str:
    sentence = frame.format(term)
    return sentence[0].upper() + sentence[1:]


def _over(terminology: Terminology, sentence: str, term: str) -> list[Mention]:
    """The index patient's findings, disorders and examination results whose words overlap
    ``term`` (without its article) in ``INTRO + sentence``."""
    text = INTRO + sentence
    words = _ARTICLE.sub("", term)
    start = text.lower().index(words.lower(), len(INTRO))
    end = start + len(words)
    report = extract(text, "t", terminology)
    return [m for m in report.patients[0].mentions
            if m.kind in _KINDS and m.span.start < end and start < m.span.end]


@pytest.mark.parametrize(("frame", "term"), _rows(gaps_fail=True))
def test_a_common_condition_is_stated_of_the_patient(terminology: Terminology, frame: str,
                                                     term: str) -> None:
    for pattern in STATED[frame]:
        sentence = _sentence(pattern, term)
        found = _over(terminology, sentence, term)
        assert any(m.context.is_patient_fact and not m.context.negated for m in found), sentence


@pytest.mark.parametrize(("frame", "term"), _rows(gaps_fail=False))
def test_a_denied_common_condition_is_never_asserted(terminology: Terminology, frame: str,
                                                     term: str) -> None:
    words = term if frame in ("symptom", "history") else _ARTICLE.sub("", term)
    sentence = _sentence(DENIED[frame], words)
    assert not [m.text for m in _over(terminology, sentence, words)
                if m.kind in CONDITION_KINDS and not m.context.negated], sentence


def test_a_finding_denied_by_non_is_not_asserted(terminology: Terminology) -> None:
    sentence = "Examination revealed a soft, non-tender abdomen."
    assert not [m for m in _over(terminology, sentence, "non-tender abdomen")
                if m.kind in CONDITION_KINDS and not m.context.negated]
