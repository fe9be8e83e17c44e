"""Tumour stage and grade as written: "stage IIA", "T1bN1", "pT3N0M1", "Grade 3".

A stage or grade is a result of the staging of a disease (an Observation: FHIR R4 lists
cancer staging among its uses, https://hl7.org/fhir/R4/observation.html#usage). The
words name it: "stage" or "grade" with the stage or grade written after it as its value;
a TNM classification (AJCC/UICC: T, N and M categories with an optional c/p/y prefix)
is its own name and value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fhirsvc.extract import phrases, scan
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Result, Span

#: A TNM classification: T category, then N, then an optional M ("T4aN1M0", "pT3 N0 M1").
_TNM = re.compile(
    r"(?<![\w-])(?:y?[cpr])?T(?:[0-4]|is|x|X)[a-d]?\s?N(?:[0-3]|x|X)[a-c]?(?:\s?M(?:[01]|x|X)[a-c]?)?(?![\w-])"
)
#: "stage IIA", "stage of IVA", "grade 3" (a murmur's "grade 2/6" is a grade too), and the
#: functional classes of heart failure and anaesthesia risk ("NYHA class III", "ASA class 2").
_STAGE = re.compile(
    r"\b(?P<name>[Ss]tage|[Gg]rade|(?:NYHA|Killip|ASA|WHO|[Ff]unctional)\s+(?:functional\s+)?class)\s+(?:of\s+)?"
    r"(?P<value>(?:IV|I{1,3}|V)[A-C]?\d?|[0-4][A-C]?(?:/[46])?)(?![\w/-])"
)
#: Words every ``_STAGE`` match holds (lower case): most sentences have none.
_STAGE_WORDS = ("stage", "grade", "class")
#: The T and N categories every ``_TNM`` match holds; it begins with a capital T, so the
#: engine skips from one T to the next instead of trying ``_TNM``'s look-behind everywhere.
_TNM_CORE = re.compile(r"T(?:[0-4]|is|x|X)[a-d]?\s?N")


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, value, no concepts) of each stage, grade and TNM classification in
    ``text[start:end]`` that the words before it do not deny."""
    if scan.mentions_any(text, start, end, _STAGE_WORDS):
        for m in _STAGE.finditer(text, start, end):
            if phrases.denied(text, start, m.start()):
                continue  # "no stage IV disease"
            value = Span(m.start("value"), m.end("value"))
            name = Span(m.start("name"), m.end("name"))
            yield name, m.group("name"), Result(m.group("value"), value), ()
    if not _TNM_CORE.search(text, start, end):
        return
    for m in _TNM.finditer(text, start, end):
        if phrases.denied(text, start, m.start()):
            continue
        span = Span(m.start(), m.end())
        yield span, m.group(), Result(m.group(), span), ()
