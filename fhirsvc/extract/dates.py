"""Time expressions: calendar dates (partial ISO) and relative times as written.

"November 2023" → ``2023-11``; "25 November 2023" and "November 25, 2023" →
``2023-11-25``; "in 2016" → ``2016``; "7 years later", "about 3 weeks after the
transplant", "last year", "on day 5", "in January this year" keep their words in ``relative``.
"""

from __future__ import annotations

import re

from fhirsvc.extract.scan import WordPattern
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import Span, When

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for m in names
}
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?P<year>(?:19[5-9]|20[0-4])\d)"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|a few|several|a|an|half a|one and a half"
)
_COUNT_WORDS = rf"(?:{_NUMBER_WORDS})"
_COUNT = rf"(?:\d+(?:\.\d+)?|{_NUMBER_WORDS})"
_UNIT = r"(?:years?|months?|weeks?|days?|hours?|decades?)"
_DATES = [
    WordPattern(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}\b", cased=True),
    WordPattern(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,\s*{_YEAR}\b", cased=True),
    WordPattern(rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", cased=True),
]
#: The first three letters of every month name ``_MONTH`` matches: capitals, rare in a
#: report, so one scan for them tells whether any ``_DATES`` pattern can match.
_MONTH_START = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
#: A year on its own; the look-behind sits after the first digit so that the engine can skip
#: ahead to a 1 or a 2.
_LONE_YEAR = re.compile(
    r"(?P<year>1(?<![\d.,/-]1)9[5-9]\d|2(?<![\d.,/-]2)0[0-4]\d)"
    r"(?![\d%]|\s*(?:mg|g|ml|cases|patients|U)\b)"
)
_MONTH_WORD = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
#: A year named from the year of writing.
_YEAR_FROM_NOW = r"(?:this|last|the previous|the following|next|the same)\s+year\b"
_AGO = (
    rf"[\s-]+{_UNIT}\s+(?:later|after(?:\s+(?:the\s+)?\w+){{0,2}}|ago|before(?:\s+(?:the\s+)?\w+){{0,2}}"
    rf"|earlier|previously|prior)\b"
)
_RELATIVE = WordPattern(
    r"(?:about|approximately|nearly|almost|over|more than|within|after|before|for)"
    rf"\s+{_COUNT}{_AGO}",
    rf"\d\d*(?:\.\d+)?{_AGO}",
    rf"{_COUNT_WORDS}{_AGO}",
    rf"(?:after|within|for|over|in)\s+(?:the\s+(?:next|following|past|last)\s+)?"
    rf"(?:(?:more than|about|nearly|almost|over|approximately)\s+)?{_COUNT}[\s-]+{_UNIT}\b",
    r"(?:on|by)\s+(?:post-?operative\s+|hospital\s+)?day\s+\d+\b",
    r"(?:last|next|the following|the next|the same|the previous)"
    r"\s+(?:year|month|week|day|morning|night)\b",
    r"(?:at|since)\s+birth\b",
    # a month or a part of a year counted from the year of writing, as news reports date
    # ("in January this year", "since March last year", "at the end of last year")
    rf"(?:in|on|since|by|until|from|before|after|during|early|late|mid-?)\s*(?:early\s+|late\s+)?"
    rf"{_MONTH_WORD}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:of\s+)?{_YEAR_FROM_NOW}",
    rf"(?:at\s+|by\s+|in\s+|since\s+)?the\s+(?:beginning|start|end|middle|first half|second half)"
    rf"\s+of\s+{_YEAR_FROM_NOW}",
    rf"(?:earlier|early|later|late)\s+{_YEAR_FROM_NOW}",
    rf"at the age of \d+(?:\s+{_UNIT})?",
)


def _iso(m: re.Match[str]) -> str:
    groups = m.groupdict()
    parts = [groups["year"]]
    if groups.get("month"):
        parts.append(f"{MONTHS[groups['month'].lower().rstrip('.')]:02d}")
        if groups.get("day"):
            parts.append(f"{int(groups['day']):02d}")
    return "-".join(parts)


def find_times(text: str, start: int = 0, end: int | None = None) -> list[When]:
    """Time expressions in ``text[start:end]``, in text order, not overlapping."""
    end = len(text) if end is None else end
    found: list[When] = []
    taken: SpanIndex[Span] = SpanIndex()

    def add(m: re.Match[str], calendar: bool) -> None:
        span = Span(m.start(), m.end())
        if not taken.overlaps(span.start, span.end):
            taken.add(span)
            words = text[span.start : span.end]
            found.append(When(words, span, date=_iso(m)) if calendar else
                         When(words, span, relative=words))

    if _MONTH_START.search(text, start, end):  # most reports write no month: skip three scans
        for pattern in _DATES:
            for m in pattern.finditer(text, start, end):
                add(m, True)
    for m in _LONE_YEAR.finditer(text, start, end):
        add(m, True)
    for m in _RELATIVE.finditer(text, start, end):
        add(m, False)
    return sorted(found, key=lambda w: w.span)
