"""Urine dipstick readings: a grade written before or after what the strip tests for
("3+ protein", "trace blood", "protein 2+", "blood (1+)", "2+ glucose").

A test strip grades protein, blood, glucose and ketones in pluses ("1+" to "4+", "+" to
"++++") or as a trace. The word for what it grades names the strip's test only beside its
grade: alone, "protein" or "blood" names no test a lexicon could know (C-reactive protein,
CSF protein, blood cultures), so these readings are found by their shape. Each is a test
result of its own (an Observation of the strip's test; ``mappings/lab_tests.tsv`` rows
``urine_protein_strip``, ``urine_blood_strip``, ``urine_glucose_strip`` and
``urine_ketones``), valued by its grade as written: blood glucose is measured, never
graded in pluses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fhirsvc.extract import scan, values
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Span

#: What a strip grades, and the curated test of each (``mappings/lab_tests.tsv``).
_TESTS = {"protein": "lab:urine_protein_strip", "albumin": "lab:urine_protein_strip",
          "blood": "lab:urine_blood_strip", "hemoglobin": "lab:urine_blood_strip",
          "haemoglobin": "lab:urine_blood_strip", "glucose": "lab:urine_glucose_strip",
          "ketones": "lab:urine_ketones"}
_ANALYTE = r"(?P<name>protein|albumin|blood|ha?emoglobin|glucose|ketones)"
#: A strip's grade: pluses after or before a digit, pluses alone, or a trace.
_READING = r"(?P<value>[1-4]\+|\+[1-4]|\+{1,4}|trace)"
#: Only when the word ends its phrase: not when it heads another name ("protein/creatinine
#: ratio", "blood-stained", "2+ blood vessels").
_BEFORE = re.compile(rf"(?<![\w+]){_READING}\s+(?:of\s+)?{_ANALYTE}"
                     r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|or|on|in|with|was|were|by|but|at)\b)",
                     re.IGNORECASE)
_AFTER = re.compile(rf"\b{_ANALYTE}\s*(?::|\(|was|of)?\s*{_READING}(?![\w+])", re.IGNORECASE)


def grades_analyte(text: str, at: int, end: int) -> bool:
    """Whether the grade at ``at`` is a strip's reading of the word after it ("urinalysis
    revealed 2+ blood": the 2+ is the blood's, not the urinalysis's)."""
    return _BEFORE.match(text, at, end) is not None


def reads(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is what a strip reading grades ("2+ glucose",
    "glucose 2+"): the strip's test, not the blood test of the same name."""
    window = (max(0, start - 12), min(len(text), end + 40))
    return any(m.span("name") == (start, end)
               for pattern in (_BEFORE, _AFTER) for m in pattern.finditer(text, *window))


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, grade, the strip's test) of each dipstick reading in
    ``text[start:end]``."""
    if "+" not in text[start:end] and not scan.mentions_any(text, start, end, ("trace",)):
        return  # most sentences: no grade
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(text, start, end):
            result = values.grade(text, m.start("value"), m.end("value"))
            if result is not None:
                yield (Span(m.start("name"), m.end("name")), m.group("name"), result,
                       (_TESTS[m.group("name").lower()],))
