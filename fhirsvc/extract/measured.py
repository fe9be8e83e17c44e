"""Tests no lexicon names, found by the value written after their names.

A value in a unit of concentration, count or pressure ("haptoglobin, <6.56 mg/dL", "paO2 was
7.76 kPa"), the first of a series of them ("gastrin was 1200, 900 and 300 pg/mL"), or a value a
change reached ("leptin rose to 40 ng/mL") is a test's result; so is a result word ("TRAb was
positive", "urine oxalate was elevated") after a short form in capitals or a name measured in a
specimen. The one to four words before the value, after a list separator, name the test: a
lab-test hit without codes (the Observation keeps the words as written).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fhirsvc.extract import scan, values
from fhirsvc.extract.markers import in_dosage
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import MentionKind, Qualitative, Result
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
    r"(?:elevated|raised|high|low|increased|decreased|reduced|normal|abnormal|prolonged)"
    r"\s*(?:\(\s*|,\s*|\s(?:at|to|with|of)\s+)")
#: A spread of values ("was between", "ranged between", "varied from"): its name is before.
_BETWEEN_GAP = (r"\s+(?:(?:was|were|is|are)\s+)?between\s+|\s+(?:ranged|ranging|varied|varying|"
                r"fluctuated|fluctuating)\s+(?:between|from)\s+")
_NAME_BEFORE = re.compile(
    r"(?:^|[,;:(]|[.!?]\s|\b(?i:and|of|with|a|an|the|his|her|its|serum|plasma|blood|showed|revealed|"
    r"demonstrated|including|included)\b)\s*"
    r"(?P<name>[A-Za-z][\w'-]*(?:[ ](?:[A-Za-z0-9][\w'-]*|\([\w-]{1,12}\))){0,3}?)"
    rf"(?:\s*[,:=(]\s*|\s+(?:was|were|is|of|at|levels? of|measured|reached)\s+|(?i:{_CHANGE_GAP})|"
    rf"(?i:{_JUDGED_GAP})|(?i:{_BETWEEN_GAP})|\s+)$"
)
_NOT_NAMES = frozenset(
    ["and", "or", "of", "at", "in", "on", "to", "was", "were", "is", "are", "the", "a", "an", "his",
     "her", "with", "from", "for", "by", "than", "after", "before", "about", "approximately",
     "nearly", "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours",
     "time", "times", "dose", "doses", "total", "range", "normal", "up", "reached", "measured",
     "level", "levels", "value", "values", "showed", "revealed", "demonstrated", "including",
     "included", "serum", "plasma", "blood", "its", "she", "he", "it", "they", "we", "had", "has",
     "have", "been", "being", "received", "receiving", "given", "administered", "infused",
     "required", "needed", "started", "continued", "increased", "decreased", "reduced",
     # verbs of a value's course ("CK increased, peaking at 2,300 U/L"): the test is before
     "peaking", "peaked", "reaching", "rising", "rose", "falling", "fell", "dropping",
     "dropped", "declining", "declined", "climbing", "climbed",
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


def _value_measured(text: str, low: str, start: int, end: int, at: int,
                    units: dict[str, str]) -> bool:
    """Whether the number at ``at`` is a test's value: in a measured unit, itself or as the
    first of a series (:func:`_series_unit`), or a score's."""
    unit_near = _unit_near(low, at)
    scored = _scored(low, start, at)
    if not unit_near and not scored:
        return False  # cheap tests first: no unit of the kind can follow, and no score precedes
    result = values.parse_quantity(text, at, units, end)
    if result is None:
        return False
    quantity = result.quantity or (result.range.low if result.range else None)  # or a range's
    if quantity is None:
        return False
    if _measured(quantity.ucum) or scored or not unit_near:
        return True
    return result.quantity is not None and quantity.unit_text is None \
        and _measured(_series_unit(text, result, end, units))


def _name_before(text: str, start: int, at: int, claimed: SpanIndex[Hit],
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
    if not last or last in _NOT_NAMES or last in values.QUALITATIVE_WORDS:
        return None  # "ferritin was elevated at 900 ng/mL": a judgement names no test
    # the name begins after the last linking word or result word ("an elevated gastrin (")
    cut = max((k for k, w in enumerate(words)
               if w.lower() in _NOT_NAMES or w.lower() in values.QUALITATIVE_WORDS), default=-1)
    words = words[cut + 1 :]
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


#: What joins a test's name to its result word: a colon, an equals sign or a linking verb,
#: and an adverb of degree ("TRAb was positive", "urine oxalate: elevated", "were markedly
#: raised").
_LINKED_RESULT = re.compile(
    r"(?:\s*[:=]\s*|\s+(?:was|were|is|are|remained|became|returned|came\s+back)\s+"
    r"(?:(?:all|both|also|still|again)\s+)?(?:[a-z]+ly\s+)?|(?P<bare>[ ]))(?=[a-z(])",
    re.IGNORECASE)
#: What ends an item of a list of results, after a result written right after its name
#: ("NSE elevated, ProGRP normal."): punctuation, the end, or "and".
_ITEM_END = re.compile(r"\s*(?:[,;.)]|$|and\b)")
#: The readings a result word after such a name may state: a level or a test's reading, not a
#: course ("improved") or a susceptibility.
_READINGS = frozenset({Qualitative.POSITIVE, Qualitative.NEGATIVE, Qualitative.NORMAL,
                       Qualitative.ABNORMAL, Qualitative.HIGH, Qualitative.LOW,
                       Qualitative.INCREASED, Qualitative.DECREASED})
#: A short form in capitals ("TRAb", "HOMA-IR", "sIL-2R"): two capitals at least.
_CAPITALS = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z][A-Za-z0-9-]*")
#: The specimen a test is measured in, first in its name or right before it ("urine oxalate",
#: "serum amylin"): the words after it name what was measured.
_SPECIMEN = re.compile(r"(?i:serum|plasma|blood|urine|urinary|fecal|faecal|stool|sweat|CSF|"
                       r"cerebrospinal fluid|salivary)\s+")


#: Words that name what a test was done on or a part of the notes, not a test: "serum samples
#: were negative", "his PMH was unremarkable", "ROS was negative".
_NOT_TESTS = frozenset({"sample", "samples", "specimen", "specimens", "PMH", "PSH", "FH", "SH",
                        "ROS", "HPI"})
#: "for" after a reading: the reading is of what follows ("negative for malignancy").
_FOR_AFTER = re.compile(r"\s+for\b", re.IGNORECASE)


#: An amount measured of what is named after it ("serum levels of amylin", "the titre of").
_AMOUNT_OF = re.compile(r"\b(?i:levels?|concentrations?|titers?|titres?|activity|values?)\s+"
                        r"(?i:of)\s+(?:(?i:the|serum|plasma|blood|urine|urinary)\s+)?$")


def _test_like(text: str, start: int, hit: Hit) -> bool:
    """Whether a name no lexicon knows is a test's by its own shape: a short form in capitals,
    a name measured in a specimen (:data:`_SPECIMEN`, first in it or right before it), or one
    whose amount is named before it (:data:`_AMOUNT_OF`)."""
    last = text[hit.start : hit.end].rsplit(" ", 1)[-1]
    if last in _NOT_TESTS or last.lower() in _NOT_TESTS:
        return False
    if _CAPITALS.fullmatch(last):
        return True
    lo = max(start, hit.start - 24)
    return _SPECIMEN.match(text, hit.start, hit.end) is not None or any(
        m.end() == hit.start for m in _SPECIMEN.finditer(text, lo, hit.start)) \
        or _AMOUNT_OF.search(text, max(start, hit.start - 40), hit.start) is not None


def _judged_hits(text: str, start: int, end: int, claimed: SpanIndex[Hit],
                 earlier: SpanIndex[Hit]) -> list[Hit]:
    """Tests no lexicon knows, named by a short form in capitals or in a specimen, with a
    result word after them ("TRAb was positive", "urine oxalate was elevated"), or right after
    them as an item of a list of results ("NSE elevated, ProGRP normal")."""
    found: list[Hit] = []
    for link in _LINKED_RESULT.finditer(text, start, end):
        result = values.parse_qualitative(text, link.end(), end)
        if result is None or result.qualitative not in _READINGS \
                or _FOR_AFTER.match(text, result.span.end, end) \
                or (link.group("bare") and not _ITEM_END.match(text, result.span.end, end)):
            continue
        hit = _name_before(text, start, link.start(), claimed, earlier, joined=False)
        if hit is not None and hit.end == link.start() and _test_like(text, start, hit):
            found.append(hit)
            claimed.add(hit)
    return found


#: A result word, then a specimen and the name of what was measured in it ("elevated serum
#: osteocalcin", "low urinary citrate and …"): the name ends before punctuation, a linking word
#: or a head of measurement.
_JUDGED_IN_SPECIMEN = re.compile(
    r"\b(?i:elevated|raised|high|low|increased|decreased|reduced|normal|abnormal|positive|"
    r"negative|undetectable)\s+(?i:serum|plasma|urine|urinary|fecal|faecal|stool|CSF)\s+"
    r"(?P<name>[A-Za-z][\w'-]*(?: (?!(?i:and|or|was|were|in|with|of)\b)[A-Za-z0-9][\w'-]*)?)"
    r"(?=\s*(?:[,.;:()]|$)|\s+(?i:and|or|was|were|is|are|in|on|at|with|of|to|which|that|during|"
    r"after|levels?|concentrations?)\b)")


def _judged_in_specimen(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """Tests no lexicon knows named after a result word and a specimen ("elevated serum
    osteocalcin"): the words after the specimen, when no hit covers them."""
    found: list[Hit] = []
    for m in _JUDGED_IN_SPECIMEN.finditer(text, start, end):
        words = m.group("name").lower().split()
        if any(w in _NOT_NAMES or w in _NOT_TESTS for w in words) \
                or claimed.overlaps(m.start("name"), m.end("name")):
            continue
        found.append(Hit(m.start("name"), m.end("name"), MentionKind.LAB_TEST, ()))
        claimed.add(found[-1])
    return found


#: The verb after a list of tests that gives its one result or its values ("…, amylin and leptin
#: were normal", "… levels were elevated", "… were 45 ng/mL and 40 pmol/L, respectively").
_LIST_VERB = re.compile(
    r"(?:\s+(?:levels|concentrations|values|titers|titres))?\s+(?:were|are)\s+"
    r"(?:(?:all|both|also)\s+)?(?:[a-z]+ly\s+)?(?=[<>≤≥]?\d|[a-z])", re.IGNORECASE)
#: The items of a list of up to five, ending where its verb begins: one to three words each,
#: joined by commas, "and" or "or".
_WORDS = r"[A-Za-z0-9][\w'/-]*(?: [A-Za-z0-9][\w'/-]*){0,2}"
_LIST_ITEMS = re.compile(
    rf"(?:{_WORDS}(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)){{1,4}}{_WORDS}$")
#: One item of such a list and the separator after it.
_LIST_ITEM = re.compile(
    r"(?P<item>[A-Za-z0-9][\w'/-]*(?: (?!(?:and|or)\b)[A-Za-z0-9][\w'/-]*){0,2})"
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|$)")


def _list_items(text: str, start: int, verb: int) -> list[tuple[int, int]]:
    """The items of the list that ends at ``verb`` (each a span; none when the words before
    the verb are no list, or an item holds a word that names no test)."""
    lo = max(start, verb - 120)
    window = text[lo:verb]
    m = _LIST_ITEMS.search(window)
    if m is None:
        return []
    items: list[tuple[int, int]] = []
    for item in _LIST_ITEM.finditer(window, m.start(), m.end()):
        if not item.group("item"):
            break
        words = item.group("item").split()
        cut = max((k for k, w in enumerate(words) if w.lower() in _NOT_NAMES
                   or w.lower() in values.QUALITATIVE_WORDS), default=-1)
        if cut == len(words) - 1:
            return []
        if cut >= 0:  # "levels of ALP": the list begins after the linking word
            items = []
            words = words[cut + 1 :]
        item_end = lo + item.end("item")
        items.append((item_end - len(" ".join(words)), item_end))
    return items if len(items) > 1 else []


def _listed_hits(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """Items no lexicon knows in a list of tests given one result or a value each ("ferritin,
    amylin and leptin were normal"; "serum amylin and leptin were elevated"): each a test, when
    another item is a test (a lab test's hit, or a name of a test's shape,
    :func:`_test_like`) and no item is anything else (a finding, a drug)."""
    found: list[Hit] = []
    for verb in _LIST_VERB.finditer(text, start, end):
        result = values.parse_qualitative(text, verb.end(), end)
        if (result is None or result.qualitative not in _READINGS) \
                and not text[verb.end()].isdigit() and text[verb.end()] not in "<>≤≥":
            continue
        items = _list_items(text, start, verb.start())
        new = [Hit(a, b, MentionKind.LAB_TEST, ()) for a, b in items if not claimed.overlaps(a, b)]
        known = [h for a, b in items for h in claimed.overlapping(a, b)]
        if not new or any(h.kind is not MentionKind.LAB_TEST for h in known) or not (
                known or any(_test_like(text, start, h) for h in new)):
            continue
        found.extend(new)
        for hit in new:
            claimed.add(hit)
    return found


def measured_hits(text: str, start: int, end: int, taken: Iterable[Hit],
                  units: dict[str, str]) -> list[Hit]:
    """Test names no lexicon knows, by the shape of the value that follows them."""
    found: list[Hit] = []
    low = scan.lower(text)
    earlier = SpanIndex.over(taken)
    claimed = SpanIndex.over(taken)
    for number in _NUMBER_START.finditer(text, start, end):
        if not _value_measured(text, low, start, end, number.start(), units):
            continue
        hit = _name_before(text, start, number.start(), claimed, earlier)
        if hit is not None:
            found.append(hit)
            claimed.add(hit)
    found += _judged_hits(text, start, end, claimed, earlier)
    found += _judged_in_specimen(text, start, end, claimed)
    return found + _listed_hits(text, start, end, claimed)
