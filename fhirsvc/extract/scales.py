"""Scores out of a scale's maximum written before or around the words they rate: "2/5
strength in the right leg, 3/5 in the left", "strength had deteriorated to 1/5", "9/9 on
the Beighton hypermobility scale".

Muscle strength is graded from 0 to 5 (the Medical Research Council scale); a report gives
the grade as "N/5" and often names "strength" or "power" once for several limbs. Each
grade is an examination result of its own (an Observation valued by a Ratio,
https://hl7.org/fhir/R4/datatypes.html#Ratio). A score "on the ... scale" names its scale
after it; the scale's name is the test's. The lymph nodes a tumour involved out of those
examined ("3 of 12 lymph nodes") are a count out of its maximum too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from fhirsvc.extract import scan, values
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Quantity, Result, Span

#: The concept of muscle strength (``mappings/lab_tests.tsv``).
MUSCLE_STRENGTH = "lab:muscle_strength"

#: A grade of muscle strength: 0 to 5 out of 5, with an optional + or - ("4+/5").
_GRADE = r"[0-5][+-]?/5(?![\d/])"
#: A grade right before the words it rates ("2/5 strength", "4/5 motor power").
_GRADE_BEFORE = re.compile(
    rf"(?<![\w./])(?P<value>{_GRADE})\s+(?P<name>(?:(?:motor|muscle)\s+)?(?:strength|power))\b",
    re.IGNORECASE)
#: The words rated, then the grade: right after them ("strength 4/5", "power: 3/5"), or after
#: at most six words and a verb or preposition that gives a value ("strength had progressively
#: deteriorated to 1/5", "power in the left arm was 3/5"; "… on 2/5" is a date).
_GRADE_AFTER = re.compile(
    rf"\b(?P<name>(?:(?:motor|muscle)\s+)?(?:strength|power))\b"
    rf"(?:(?:[\s,]+[\w-]+){{0,6}}?\s+(?:was|were|is|of|to|at))?\s*:?\s*(?P<value>{_GRADE})",
    re.IGNORECASE)
#: Another grade later in the sentence ("…, 3/5 in her left lower extremity").
_ANOTHER_GRADE = re.compile(rf"(?<![\w./])(?P<value>{_GRADE})")
#: The end of the clause the grades are in: a semicolon, or a comma and a conjunction not
#: right before another grade ("…, and 3/5 in the left" goes on; "…, and blood cultures were
#: positive in 2/5" does not).
_CLAUSE_END = re.compile(rf";|,\s*(?:and|but|while|whereas)\b(?!\s*{_GRADE})", re.IGNORECASE)
#: What a number out of five counts, rather than grades ("2/5 bottles", "1/5 blood culture
#: sets"): up to two words, then a counted noun.
_COUNTED = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:bottles?|samples?|sets?|specimens?|nodes?|cultures?|biops(?:y|ies)"
    r"|cores?|vials?|tubes?|slides?|sites?|fragments?|sections?|patients?|cases?|doses?"
    r"|cycles?|sessions?|attempts?|occasions?|times|days|weeks|months|years)\b",
    re.IGNORECASE)
#: A score out of its maximum, then the scale it is on ("9/9 on the Beighton hypermobility
#: scale"): the scale's name is up to five words ending in "scale", "score" or "index".
_ON_SCALE = re.compile(
    r"(?<![\w./])(?P<value>\d{1,3}/\d{1,3})(?![\d/])\s+(?:points?\s+)?on\s+(?:the\s+|a\s+)?"
    r"(?P<name>(?:[\w'-]+\s+){0,4}?(?:scale|score|index))\b",
    re.IGNORECASE)


def _score(text: str, span: Span) -> Result | None:
    """The score written at ``span`` ("3/5", "4+/5"), a Result of two unitless numbers,
    the first at most the second; None when the first is the greater."""
    written = text[span.start : span.end]
    first, _, second = written.partition("/")
    return _out_of(written, span, _number(first), _number(second))


def _out_of(written: str, span: Span, first: Decimal, second: Decimal) -> Result | None:
    """``first`` out of ``second`` as a Result of two unitless numbers; None when the first
    is the greater."""
    low, high = Quantity(first, None, None), Quantity(second, None, None)
    result = Result(written, span, quantity=low, components=(low, high))
    return result if result.out_of_maximum() else None


_WORD = re.compile(r"[A-Za-z]+")


def _judged(text: str, start: int, stop: int, result: Result | None) -> Result | None:
    """``result`` with the judgement a word between the name and the grade states ("strength
    had deteriorated to 1/5": worse)."""
    if result is None:
        return None
    for word in _WORD.finditer(text, start, stop):
        judgement = values.parse_qualitative(text, word.start(), stop)
        if judgement is not None:
            return replace(result, judged=judgement)
    return result


def _number(written: str) -> Decimal:
    return Decimal(written.rstrip("+-"))


#: Lymph nodes involved out of those examined ("3 of 12 lymph nodes", "2/15 resected lymph
#: nodes"): the pathology count, a Ratio of nodes.
_NODES = re.compile(
    r"(?<![\w./])(?P<value>(?P<count>\d{1,3})\s*(?:/|of|out of)\s*(?P<total>\d{1,3}))(?![\d/])"
    r"\s+(?:(?:the|resected|dissected|examined|retrieved|harvested|regional|removed)\s+)*"
    r"(?P<name>lymph nodes)\b", re.IGNORECASE)


def _nodes(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, count out of those examined, no concepts) of each lymph node count."""
    for m in _NODES.finditer(text, start, end):
        value = Span(m.start("value"), m.end("value"))
        result = _out_of(m.group("value"), value, Decimal(m.group("count")),
                         Decimal(m.group("total")))
        if result is not None:
            yield Span(m.start("name"), m.end("name")), m.group("name"), result, ()


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, grade, concepts) of each score in ``text[start:end]``: a lymph node count,
    a grade of muscle strength (the name where the text gives one, else the grade's own span)
    or a score on a named scale."""
    if scan.mentions_any(text, start, end, ("lymph node",)):
        yield from _nodes(text, start, end)
    if text.find("/", start, end) < 0:
        return  # most sentences: no score out of a maximum
    named = [m for pattern in (_GRADE_BEFORE, _GRADE_AFTER)
             for m in pattern.finditer(text, start, end)]
    graded: set[int] = set()
    names: set[Span] = set()  # a name rating two grades is the first one's; the second its own
    name = ""
    for m in sorted(named, key=lambda m: m.start("value")):
        value = Span(m.start("value"), m.end("value"))
        result = _judged(text, m.end("name"), value.start, _score(text, value))
        if result is not None and value.start not in graded:
            graded.add(value.start)
            name = m.group("name")
            span = Span(m.start("name"), m.end("name"))
            yield (value if span in names else span), name, result, (MUSCLE_STRENGTH,)
            names.add(span)
    if graded:  # the grades after the first rate the same, limb by limb, each at its span
        last = min(graded)
        for m in _ANOTHER_GRADE.finditer(text, last, end):
            clause_end = _CLAUSE_END.search(text, last, end)
            if clause_end is not None and clause_end.start() < m.start():
                break
            last = m.end()
            if _COUNTED.match(text, m.end()):
                continue
            value = Span(m.start("value"), m.end("value"))
            result = _score(text, value)
            if result is not None and value.start not in graded:
                graded.add(value.start)
                yield value, name, result, (MUSCLE_STRENGTH,)
    if not scan.mentions_any(text, start, end, (" on ",)):
        return
    for m in _ON_SCALE.finditer(text, start, end):
        result = _score(text, Span(m.start("value"), m.end("value")))
        if result is not None:
            yield Span(m.start("name"), m.end("name")), m.group("name"), result, ()
