"""The patient's date of birth, when the report states it (``Patient.birthDate``).

A note may label it ("Date of birth: 1987-05-12", "DOB 25/05/1987") or a sentence about the
patient may tell it ("She was born on 3 March 2015", "a boy born in May 2016"). The date
is kept as precise as the words are, and no more: a date written with the month in words
or in ISO order is read whole; one written in digits as ``12/05/1987`` may be the 12th of
May or the 5th of December, so its day and month are read only when one of them cannot be
a month (``25/05/1987``) or both are the same, and otherwise the year alone, which is
certain. A birth the sentence tells of someone else ("her son was born on…", a mother's
delivery) is not the patient's, so only the sentences about the patient are read, and in a
mother's report only a labelled date (the births it tells are her children's).
"""

from __future__ import annotations

import re
from datetime import date

from fhirsvc.extract.dates import find_times
from fhirsvc.extract.scan import may_mention
from fhirsvc.model import Span

#: The label of a date of birth, or the verb of a birth, right before the date.
_LEAD = re.compile(
    r"\b(?:(?i:date\s+of\s+birth|birth\s*date)|DOB|D\.O\.B\.?)\s*[:\-]?\s*"
    r"|\bborn\s+(?:on\s+|in\s+)?(?:the\s+)?", )
#: Words one of which every match of :data:`_LEAD` holds (lower case).
_LEAD_WORDS = ("birth", "dob", "d.o.b", "born")
#: A date in digits: ISO (year first), or day and month in either order before the year.
_ISO = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>(?:19|20)\d\d)\b")
#: Words before "born" that make the birth a relative's ("her son, born…", "his twin
#: brother was born…"); "the baby was born…" in a report about the baby is the patient's.
_SOMEONE_ELSE = re.compile(
    r"\b(?:her|his|their|whose|\w+['\u2019]s)\s+(?:[\w-]+\s+){0,2}?(?:sons?|daughters?|"
    r"child|children|bab(?:y|ies)|infants?|neonates?|newborns?|twins?|brothers?|sisters?|"
    r"siblings?)\b[^.;]{0,20}\Z", re.IGNORECASE)
#: How far before "born" :data:`_SOMEONE_ELSE` looks.
_REACH = 30


def birth_date(text: str, spans: list[Span], told: bool = True) -> tuple[str, Span] | None:
    """The first date of birth stated in ``spans`` (the sentences about the patient), as a
    partial ISO date, with the words that state it; by a label only ("Date of birth:") when
    not ``told`` (a mother's report: the births it tells are her children's)."""
    if not may_mention(text, 0, len(text), _LEAD_WORDS):
        return None  # most reports state no birth: one look over the whole text
    for span in spans:
        if not may_mention(text, span.start, span.end, _LEAD_WORDS):
            continue  # the pattern would be tried at every letter of the sentence
        for lead in _LEAD.finditer(text, span.start, span.end):
            if lead.group().lower().startswith("born") and (not told or _SOMEONE_ELSE.search(
                    text, max(span.start, lead.start() - _REACH), lead.start())):
                continue
            found = _date_at(text, lead.end(), span.end)
            if found is not None and int(found[0][:4]) <= date.today().year:
                return found[0], Span(lead.start(), found[1])
    return None


def _date_at(text: str, at: int, end: int) -> tuple[str, int] | None:
    """The date written at ``at`` (partial ISO) and where its words end."""
    for pattern, read in ((_ISO, _iso), (_NUMERIC, _numeric)):
        m = pattern.match(text, at, end)
        if m is not None:
            value = read(m)
            return (value, m.end()) if value else None
    day = _DAY_OF.match(text, at, end)  # "the 3rd of March 2015"
    when = _written_at(text, day.end() if day else at, end)
    if when is not None and day is not None:
        year, month, *_ = [*when[0].split("-"), ""]
        value = _checked(int(year), int(month), int(day.group("day"))) if month else None
        return (value, when[1]) if value else None
    if when is not None:
        return when
    lone = _YEAR.match(text, at, end)  # "born in 1938": before the years find_times reads
    return (lone.group(), lone.end()) if lone else None


#: A day written before "of" and the month ("3rd of March 2015").
_DAY_OF = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+of\s+")
#: A year alone, a century back too: a patient's birth may be long before the years of care.
_YEAR = re.compile(r"(?:18[89]\d|19\d\d|20\d\d)\b(?![-/.]\d)")


def _written_at(text: str, at: int, end: int) -> tuple[str, int] | None:
    """A calendar date :func:`find_times` reads right at ``at``, and where it ends."""
    when = next((w for w in find_times(text, at, end) if w.span.start == at), None)
    return (when.date, when.span.end) if when is not None and when.date else None


def _iso(m: re.Match[str]) -> str | None:
    return _checked(int(m.group("year")), int(m.group("month")), int(m.group("day")))


def _numeric(m: re.Match[str]) -> str | None:
    """Day and month when their order is certain, else the year alone."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    if a == b or (a > 12) != (b > 12):
        day, month = (a, b) if a >= b else (b, a)
        return _checked(year, month, day)
    return str(year) if a <= 12 and b <= 12 else None


def _checked(year: int, month: int, day: int) -> str | None:
    """The ISO date, if it is a date of the calendar and not in the future."""
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if found <= date.today() else None
