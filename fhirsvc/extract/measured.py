"""Tests no lexicon names, found by the value written after their names.

A value in a unit of concentration, count or pressure ("haptoglobin, <6.56 mg/dL", "paO2 was
7.76 kPa"), the first of a series of them ("gastrin was 1200, 900 and 300 pg/mL"), or a value a
change reached ("leptin rose to 40 ng/mL") is a test's result. The one to four words before the
value, after a list separator, name the test: a lab-test hit without codes (the Observation
keeps the words as written). Result words after such names are :mod:`judged`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fhirsvc.extract import findings, scan, values
from fhirsvc.extract.markers import in_dosage
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import MentionKind, Result
from fhirsvc.terminology.lexicon import Hit

#: A number, or a comparator or a minus sign then a number, not inside a word or another
#: number; a sign right after a number and a space ("150 -400") is a range's dash, not a
#: minus. Written ``(?<![\w.,/])(?:[<>≤≥]\s*|(?<!\d\s)[-−–](?=\d))?\d`` it begins with a
#: look-behind, and the engine tries every position; here its first character comes first, so
#: the engine skips to the next candidate.
_NUMBER_START = re.compile(
    r"[<>≤≥\d\-−–](?<![\w.,/][<>≤≥\d\-−–])"
    r"(?:(?<=\d)|(?<=[<>≤≥])\s*\d|(?<=[\-−–])(?<!\d\s[\-−–])\d)")
#: Verbs of a value's change, then where it went ("rose to", "had decreased from 12 to",
#: "was raised at"): the name of what changed is before them.
_CHANGE_GAP = (
    r"\s+(?:(?:was|were|had|has|have)\s+)?(?:[a-z]+ly\s+)?"
    r"(?:increased|decreased|rose|risen|fell|fallen|dropped|declined|reduced|climbed|peaked|"
    r"improved|normali[sz]ed|returned|elevated|raised)"
    r"(?:\s+from\s+[^;()]{1,30}?)?\s+(?:up\s+|down\s+|back\s+)?(?:to|at)\s+")
#: A judgement of the value, then the value ("was elevated at", "were low (", "was normal,").
_JUDGED_GAP = (
    r"\s+(?:was|were|is|are)\s+(?:[a-z]+ly\s+)?"
    rf"(?:{values.LEVEL_WORDS}|prolonged)"
    r"\s*(?:\(\s*|,\s*|\s(?:at|to|with|of)\s+)")
#: A spread of values ("was between", "ranged between", "varied from"): its name is before.
_BETWEEN_GAP = (r"\s+(?:(?:was|were|is|are)\s+)?between\s+|\s+(?:ranged|ranging|varied|varying|"
                r"fluctuated|fluctuating)\s+(?:between|from)\s+")
_NAME_BEFORE = re.compile(
    r"(?:^|[,;:(]|[.!?]\s|\b(?i:and|of|with|a|an|the|his|her|its|serum|plasma|blood|showed|revealed|"
    r"demonstrated|including|included)\b)\s*"
    r"(?P<name>[A-Za-z][\w'\u2019-]*(?:[ ](?:[A-Za-z0-9][\w'\u2019-]*|\([\w-]{1,12}\))){0,3}?)"
    rf"(?:\s*[,:=(]\s*|\s+(?:was|were|is|of|at|levels? of|measured|reached)\s+|(?i:{_CHANGE_GAP})|"
    rf"(?i:{_JUDGED_GAP})|(?i:{_BETWEEN_GAP})|\s+)$"
)
NOT_NAMES = frozenset(
    ["and", "or", "of", "at", "in", "on", "to", "was", "were", "is", "are", "the", "a", "an", "his",
     "her", "with", "from", "for", "by", "than", "after", "before", "about", "approximately",
     "nearly", "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours",
     "time", "times", "dose", "doses", "total", "range", "normal", "up", "reached", "measured",
     "level", "levels", "concentration", "concentrations", "value", "values", "showed",
     "revealed", "demonstrated", "including", "then", "later",
     "included", "serum", "plasma", "blood", "its", "she", "he", "it", "they", "we", "had", "has",
     "have", "been", "being", "received", "receiving", "given", "administered", "infused",
     "required", "needed", "started", "continued", "increased", "decreased", "reduced",
     # verbs of a value's course ("CK increased, peaking at 2,300 U/L"): the test is before
     *findings.COURSE_VERBS,
     # a bound the value is compared with ("fell below 10 mmol/L"): the test is before
     "below", "above", "under", "beyond", "between",
     # a relative pronoun opens a clause about what is named before it ("CRP, which was 150")
     "which", "that", "who", "whose",
     # times, not tests ("at the time of admission was 1200 ng/mL")
     "admission", "presentation", "discharge", "diagnosis", "baseline", "follow-up"]
)


#: A preposition of time or place right before words: they say when or where a value was
#: measured ("at admission", "on day 3", "after surgery", "across the valve", "in the CSF"),
#: they name no test.
_WHEN_BEFORE = re.compile(r"\b(?i:(?:at|on|upon|after|before|during|following|since|until|by)\s+|"
                          r"(?:across|in|into|through|within)\s+(?:the|a|an|his|her|this)\s+)$")
#: Words after a test's name that name no test ("bilirubin level", "ferritin values").
_NAME_TAILS = frozenset({"level", "levels", "value", "values", "concentration", "concentrations"})
#: A possessive ending, with either apostrophe: an owner before the name ("the patient's
#: amylin", with a typographic apostrophe too) is no part of it.
_POSSESSIVE = re.compile(r"['\u2019]s$")
#: A score or scale right before a number: the number is its result, with no unit
#: ("severity score of 14", "Rankin scale 3").
_SCORE_BEFORE = re.compile(r"\b(?:score|scores|scale|index)(?:\s+(?:was|were|is|of))?\s*[:=]?\s*$")


#: Written forms of measured units without a slash ("bpm", "kPa", "mmHg", "cmH2O", "nM", "fL").
_UNITS_WITHOUT_SLASH = ("bpm", "kpa", "hg", "h2o", "nm", "fl", "pg", "%")
#: UCUM units without a slash that measure: a pressure, a share, a cell's volume or mass.
_MEASURED_UNITS = frozenset({"kPa", "mm[Hg]", "cm[H2O]", "mm[H2O]", "%", "fL", "pg"})


def _measured(ucum: str | None) -> bool:
    """A unit of a measured concentration, count, pressure or rate (not a dose or a schedule)."""
    if not ucum:
        return False
    if ucum in _MEASURED_UNITS:
        return True
    return "/" in ucum and not ucum.endswith(("/kg", "/d", "/h", "/m2", "/kg/d", "/wk"))


def _unit_near(low: str, at: int) -> bool:
    """Whether the 40 characters from ``at`` may hold a measured unit (a slash, a ratio
    spelled out with "per", or a unit written without one): the cheap test made of every number."""
    near = low[at : at + 40]
    return "/" in near or " per " in near or any(unit in near for unit in _UNITS_WITHOUT_SLASH)


def _scored(low: str, start: int, at: int) -> bool:
    """Whether a score or scale is named right before the number at ``at``."""
    return _SCORE_BEFORE.search(low, max(start, at - 24), at) is not None


#: The next number of a series written with one unit after its last ("1200, 900 and 300 pg/mL").
_SERIES_NEXT = re.compile(rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?={values.NUMBER})")


def _series_unit(text: str, result: Result, end: int,
                 units: dict[str, str]) -> str | None:
    """The UCUM unit written after the last number of the series a bare number begins
    ("was 1200, 900 and 300 pg/mL": pg/mL), or None when no series with a unit follows."""
    at, last = result.span.end, result
    for _ in range(8):
        gap = _SERIES_NEXT.match(text, at, end)
        nxt = values.parse_quantity(text, gap.end(), units, end) if gap else None
        if nxt is None or nxt.quantity is None:
            break
        at, last = nxt.span.end, nxt
        if nxt.quantity.unit_text is not None:
            break
    return last.quantity.ucum if last is not result and last.quantity else None


#: A short form in capitals (two of them at least, or "p" and one: "LCI", "NIHSS", "FEV1",
#: "pH") joined to a number by a verb, a change or a colon ("NIHSS was 4", "LCI decreased from
#: 14.5 to 8.3", "pH: 7.21"): such a name states a test or score, whose value needs no unit.
_SHORT_FORM_BEFORE = re.compile(
    r"(?<![\w'\u2019-])(?=[A-Za-z0-9]{2,8}\b)(?:[A-Z][A-Za-z0-9]*[A-Z]|p[A-Z])[A-Za-z0-9]*"
    rf"(?:\s+(?:was|were|is|of|reached)\s+|\s*[:=]\s*|(?i:{_CHANGE_GAP}))"
    r"(?:(?:about|approximately|only)\s+)?(?:from\s+)?$")
#: What may follow a bare number a short form states: punctuation, the end, "and", "to" or a
#: preposition of time; a noun after it is what the number counts ("CT was 3 days later").
_BARE_ENDS = re.compile(r"\s*(?:[.,;:)(]|$|(?:and|or|to|after|at|on|in|by|with|"
                        r"respectively)\b)")
#: A measure of the body before its value ("length 47 cm", "birth weight of 2.1 kg", "height:
#: 150 cm"): the value in a unit of length or mass is the measure's.
_BODY_MEASURE_BEFORE = re.compile(
    r"\b(?i:length|height|weight|birthweight|circumference|girth)"
    r"(?:\s+(?:was|of|is)\s+|\s*[:=]?\s*)$")
_BODY_UNITS = frozenset({"cm", "mm", "m", "kg", "g", "[lb_av]", "[in_i]"})


def _named_before(text: str, start: int, at: int) -> str | None:
    """"short" when a short form is joined to the number at ``at`` (:data:`_SHORT_FORM_BEFORE`),
    "body" when a measure of the body is (:data:`_BODY_MEASURE_BEFORE`), else None."""
    if _SHORT_FORM_BEFORE.search(text, max(start, at - 60), at):
        return "short"
    return "body" if _BODY_MEASURE_BEFORE.search(text, max(start, at - 30), at) else None


def _bare_or_body(text: str, result: Result, named: str) -> bool:
    """Whether ``result`` is the value of what is ``named`` before it: a bare number a short
    form states, ending its clause (:data:`_BARE_ENDS`), or a body's measure in a unit of
    length or mass."""
    q = result.quantity
    if q is None:
        return False
    if named == "body":
        return q.ucum in _BODY_UNITS
    return q.unit_text is None and _BARE_ENDS.match(text, result.span.end) is not None


def _value_measured(text: str, low: str, start: int, end: int, at: int,
                    units: dict[str, str]) -> Result | None:
    """The number at ``at`` when it is a test's value: in a measured unit, itself or as the
    first of a series (:func:`_series_unit`), or a score's (None when it is not)."""
    unit_near = _unit_near(low, at)
    scored = _scored(low, start, at)
    named = _named_before(text, start, at)
    if not unit_near and not scored and not named:
        return None  # cheap tests first: no unit of the kind can follow, and no name precedes
    result = values.parse_quantity(text, at, units, end)
    if result is None:
        return None
    if named and _bare_or_body(text, result, named):
        return result
    if not unit_near and not scored:
        return None
    quantity = result.quantity or (result.range.low if result.range else None)  # or a range's
    if quantity is None:
        return None
    if _measured(quantity.ucum) or scored or not unit_near:
        return result
    series = result.quantity is not None and quantity.unit_text is None \
        and _measured(_series_unit(text, result, end, units))
    return result if series else None


#: "of" and the name of what a concentration before it measures ("900 ng/mL of osteocalcin"):
#: one or two words, ending the clause or before a linking word.
_OF_NAME = re.compile(
    r"\s+of\s+(?:(?i:serum|plasma|blood)\s+)?(?P<name>[A-Za-z][\w'-]*(?: [A-Za-z0-9][\w'-]*)?)"
    r"(?=\s*(?:[,.;:)]|$)|\s+(?i:and|or|in|was|were|on|at|with|which|after|before)\b)")
#: A concentration per volume of a body fluid, the one amount "of" a name makes a test's value.
_PER_VOLUME = re.compile(r"[a-z]*(?:g|mol|\[IU\])/(?:d|m)?L")


def _name_after(text: str, result: Result, end: int, claimed: SpanIndex[Hit]) -> Hit | None:
    """The test named after a concentration and "of" (:data:`_OF_NAME`), or None."""
    quantity = result.quantity
    m = _OF_NAME.match(text, result.span.end, end) if quantity and quantity.ucum \
        and _PER_VOLUME.fullmatch(quantity.ucum) else None
    if m is None or any(w.lower() in NOT_NAMES for w in m.group("name").split()) \
            or claimed.overlaps(m.start("name"), m.end("name")):
        return None
    return Hit(m.start("name"), m.end("name"), MentionKind.LAB_TEST, ())


def names_nothing(word: str) -> bool:
    """Whether ``word`` is a linking word or a result word (:data:`NOT_NAMES`,
    ``values.QUALITATIVE_WORDS``): no part of a test's name."""
    low = word.lower()
    return low in NOT_NAMES or low in values.QUALITATIVE_WORDS


def name_begins(words: list[str]) -> int:
    """Where a test's name begins in ``words``: after the last word that names nothing
    ("levels of ALP", "an elevated gastrin"); ``len(words)`` when the last one does."""
    return max((k + 1 for k, w in enumerate(words) if names_nothing(w)), default=0)


def name_before(text: str, start: int, at: int, claimed: SpanIndex[Hit],
                 earlier: SpanIndex[Hit], *, joined: bool = True) -> Hit | None:
    """The test named by the one to four words before a value at ``at`` (None when they name
    no test: a judgement, a time, a dose, words a hit already covers); ``joined``: what joins
    the name to the value is before ``at`` (else the name ends there)."""
    lo = max(start, at - 60)
    m = _NAME_BEFORE.search(text[lo:at] if joined else text[lo:at] + " ")
    if m is None or m.end("name") == 0 or (
            lo > start and m.start() == 0 and text[lo - 1].isalnum()):
        return None
    words = m.group("name").split()
    tested = len(words) > 1 and words[-1].lower() in _NAME_TAILS
    while len(words) > 1 and words[-1].lower() in _NAME_TAILS:
        words.pop()  # "total bilirubin level": the test is "total bilirubin"
    name_end = lo + m.start("name") + len(" ".join(words))
    last = words[-1].lower() if words else ""
    if not last or last in NOT_NAMES or last in values.QUALITATIVE_WORDS:
        return None  # "ferritin was elevated at 900 ng/mL": a judgement names no test
    # the name begins after the last linking word, result word or owner ("an elevated gastrin
    # (", "the patient's amylin")
    owner = max((k + 1 for k, w in enumerate(words[:-1]) if _POSSESSIVE.search(w)), default=0)
    words = words[max(name_begins(words), owner) :]
    name_start = name_end - len(" ".join(words))
    if text[name_start:name_end] != " ".join(words):
        return None
    if not words[0][0].isalpha() or \
            _WHEN_BEFORE.search(text, max(start, name_start - 12), name_start):
        return None  # "count at admission was 92", "on day 3 was": a time, not the test
    if claimed.overlaps(name_start, name_end):
        return None
    if not tested and in_dosage(text, name_start, earlier):
        return None  # "cells were infused, with a median cell count of 5.6 × 10^7/L": a dose
        # ("after surgery, the serum thyroglobulin level was 17.2 ng/mL" is a level)
    return Hit(name_start, name_end, MentionKind.LAB_TEST, ())


def measured_hits(text: str, start: int, end: int, taken: Iterable[Hit],
                  units: dict[str, str]) -> list[Hit]:
    """Test names no lexicon knows, by the shape of the value that follows them."""
    found: list[Hit] = []
    low = scan.lower(text)
    earlier = SpanIndex.over(taken)
    claimed = SpanIndex.over(taken)
    for number in _NUMBER_START.finditer(text, start, end):
        result = _value_measured(text, low, start, end, number.start(), units)
        if result is None:
            continue
        hit = name_before(text, start, number.start(), claimed, earlier) \
            or _name_after(text, result, end, claimed)
        if hit is not None:
            found.append(hit)
            claimed.add(hit)
    return found
