"""Tests no lexicon names, found by the result word written with their names.

A result word ("positive", "elevated", "within normal limits") after a name of a test's shape
is the test's reading: a short form in capitals ("TRAb was positive", "ProGRP normal,"), a name
measured in a specimen ("urine oxalate was elevated", "elevated serum osteocalcin") or after
"levels of"; a reading joined by a hyphen ("oxidase-positive"). Each is a lab-test hit without
codes. Lists of tests given one result are :mod:`listed`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fhirsvc.extract import scan, values
from fhirsvc.extract.headings import NOTE_SECTIONS
from fhirsvc.extract.measured import NOT_NAMES, name_before, name_begins
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.extract.specimens import FLUIDS
from fhirsvc.model import MentionKind, Qualitative
from fhirsvc.terminology.lexicon import Hit

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
READINGS = frozenset({Qualitative.POSITIVE, Qualitative.NEGATIVE, Qualitative.NORMAL,
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
_NOT_TESTS = frozenset({"sample", "samples", "specimen", "specimens"}) | NOTE_SECTIONS
#: Head nouns of what a test measures or records ("auditory brain responses were normal",
#: "evoked potentials were normal", "the albumin-creatinine ratio was elevated").
_TEST_HEADS = frozenset({"responses", "potentials", "ratio", "index", "count",
                         "counts", "titer", "titre", "activity", "saturation", "clearance"})
#: "for" after a reading: the reading is of what follows ("negative for malignancy").
_FOR_AFTER = re.compile(r"\s+for\b", re.IGNORECASE)


#: An amount measured of what is named after it ("serum levels of amylin", "the titre of").
_AMOUNT_OF = re.compile(r"\b(?i:levels?|concentrations?|titers?|titres?|activity|values?)\s+"
                        r"(?i:of)\s+(?:(?i:the|" + FLUIDS + r")\s+)?$")


def named_like_a_test(text: str, start: int, hit: Hit) -> bool:
    """Whether a name no lexicon knows is a test's by its own shape: a short form in capitals,
    a name measured in a specimen (:data:`_SPECIMEN`, first in it or right before it), or one
    whose amount is named before it (:data:`_AMOUNT_OF`)."""
    last = text[hit.start : hit.end].rsplit(" ", 1)[-1]
    if last in _NOT_TESTS or last.lower() in _NOT_TESTS:
        return False
    if _CAPITALS.fullmatch(last) or last.lower() in _TEST_HEADS:
        return True
    lo = max(start, hit.start - 24)
    return _SPECIMEN.match(text, hit.start, hit.end) is not None or any(
        m.end() == hit.start for m in _SPECIMEN.finditer(text, lo, hit.start)) \
        or _AMOUNT_OF.search(text, max(start, hit.start - 40), hit.start) is not None


#: Where a result word that states a reading may start (:data:`READINGS`).
_READING_STARTS = values.ResultStarts(READINGS)
#: Characters no link (:data:`_LINKED_RESULT`) holds (some of them: each costs a search): a
#: link found after one is one the scan from the sentence's start finds too.
_NOT_IN_LINKS = ",.;("


def _links_to_readings(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The links (:data:`_LINKED_RESULT`, found left to right without overlap as
    ``finditer`` finds them) that end where a result word stating a reading may start.

    Nearly every space is a link (the bare one), and a reading follows few: the scan starts
    again only shortly before each place a reading may start, after the last character no link
    holds, and so finds there the links the scan from ``start`` finds."""
    starts = _READING_STARTS(text, start, end)
    if starts is None:
        yield from _LINKED_RESULT.finditer(text, start, end)
        return
    resume, last = start, None  # where the links found so far end, and the last one found
    for at in starts:
        if last is None or last.end() < at:
            last = None
            lo = max(resume, *(text.rfind(c, resume, at) + 1 for c in _NOT_IN_LINKS))
            for last in _LINKED_RESULT.finditer(text, lo, end):
                if last.end() >= at:
                    break
            else:
                return  # no link at or after ``at``, nor further on
            resume = last.end()
        if last.end() == at:
            yield last


def _judged_hits(text: str, start: int, end: int, claimed: SpanIndex[Hit],
                 earlier: SpanIndex[Hit]) -> list[Hit]:
    """Tests no lexicon knows, named by a short form in capitals or in a specimen, with a
    result word after them ("TRAb was positive", "urine oxalate was elevated"), or right after
    them as an item of a list of results ("NSE elevated, ProGRP normal")."""
    found: list[Hit] = []
    for link in _links_to_readings(text, start, end):
        result = values.parse_qualitative(text, link.end(), end)
        if result is None or result.qualitative not in READINGS \
                or _FOR_AFTER.match(text, result.span.end, end) \
                or (link.group("bare") and not _ITEM_END.match(text, result.span.end, end)):
            continue
        hit = name_before(text, start, link.start(), claimed, earlier, joined=False)
        if hit is not None and hit.end == link.start() and named_like_a_test(text, start, hit):
            found.append(hit)
            claimed.add(hit)
    return found


#: A result word, then a specimen and the name of what was measured in it ("elevated serum
#: osteocalcin", "low urinary citrate and …"): the name ends before punctuation, a linking word
#: or a head of measurement.
_JUDGED_IN_SPECIMEN = re.compile(
    rf"\b(?i:{values.LEVEL_WORDS}|positive|negative|undetectable)\s+(?i:serum|plasma|urine|urinary|fecal|faecal|stool|CSF)\s+"
    r"(?P<name>[A-Za-z][\w'-]*(?: (?!(?i:and|or|was|were|in|with|of)\b)[A-Za-z0-9][\w'-]*)?)"
    r"(?=\s*(?:[,.;:()]|$)|\s+(?i:and|or|was|were|is|are|in|on|at|with|of|to|which|that|during|"
    r"after|levels?|concentrations?)\b)")
#: Words one of which every match of :data:`_JUDGED_IN_SPECIMEN` holds (a cheap test first).
_SPECIMEN_WORDS = ("serum", "plasma", "urin", "fecal", "faecal", "stool", "csf")


def _judged_in_specimen(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """Tests no lexicon knows named after a result word and a specimen ("elevated serum
    osteocalcin"): the words after the specimen, when no hit covers them."""
    found: list[Hit] = []
    if not scan.may_mention(text, start, end, _SPECIMEN_WORDS):
        return found  # the pattern would be tried at every letter of the sentence
    for m in _JUDGED_IN_SPECIMEN.finditer(text, start, end):
        words = m.group("name").lower().split()
        if any(w in NOT_NAMES or w in _NOT_TESTS for w in words) \
                or claimed.overlaps(m.start("name"), m.end("name")):
            continue
        found.append(Hit(m.start("name"), m.end("name"), MentionKind.LAB_TEST, ()))
        claimed.add(found[-1])
    return found


#: A reading joined to the name of what was tested by a hyphen, said of it as an item of a
#: list ("the isolate was catalase-negative, bile esculin-negative, and oxidase-positive"): not
#: before a noun, where the joined words describe it ("Gram-negative bacilli", "culture-negative
#: endocarditis").
_JOINED = re.compile(
    r"(?<![\w-])(?P<name>[A-Za-z][A-Za-z0-9]*(?: [A-Za-z][A-Za-z0-9]*){0,2})[-–\u2010]"
    r"(?i:positive|negative)(?=\s*(?:[,;.)]|$|and\b))")
#: Words one of which every match of :data:`_JOINED` holds.
_JOINED_READINGS = ("positive", "negative")


def _joined_hits(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """Tests no lexicon knows, named before a reading joined to them by a hyphen in a list of
    readings (:data:`_JOINED`): the words after the last linking word."""
    found: list[Hit] = []
    if not scan.may_mention(text, start, end, _JOINED_READINGS):
        return found
    for m in _JOINED.finditer(text, start, end):
        words = m.group("name").split()
        begin = name_begins(words)
        if begin == len(words):
            continue
        name_end = m.end("name")
        name_start = name_end - len(" ".join(words[begin:]))
        if not claimed.overlaps(name_start, name_end):
            found.append(Hit(name_start, name_end, MentionKind.LAB_TEST, ()))
            claimed.add(found[-1])
    return found


def judged_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Test names no lexicon knows, by the result word written with them (in ``text[start:end]``,
    none that a hit of ``taken`` covers)."""
    earlier = SpanIndex.over(taken)
    claimed = SpanIndex.over(taken)
    found = _judged_hits(text, start, end, claimed, earlier)
    found += _judged_in_specimen(text, start, end, claimed)
    return found + _joined_hits(text, start, end, claimed)
