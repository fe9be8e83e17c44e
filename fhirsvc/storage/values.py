"""Value conversions shared by indexing and searching: dates as ranges, decimals, strings.

FHIR compares dates and numbers as ranges given by their precision: ``2016`` is the
whole year, ``2016-11-05T10:00`` the whole minute, ``5.4`` the interval [5.35, 5.45).
Index rows and search values both become ``(low, high)`` pairs, dates as microseconds
since 1970-01-01 UTC (inclusive bounds), so every prefix is a comparison of integers.
See https://hl7.org/fhir/R4/search.html#date and https://hl7.org/fhir/R4/search.html#number.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

MIN_MICROS = -62135596800 * 10**6  # 0001-01-01T00:00:00Z
MAX_MICROS = 253402300799 * 10**6 + 999999  # 9999-12-31T23:59:59.999999Z
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)

_DATE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (moment - _EPOCH) // _MICRO


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def format_instant(micros: int) -> str:
    """An R4 ``instant`` (``2024-05-01T10:00:00.123456Z``) for ``meta.lastUpdated``."""
    return from_micros(micros).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def date_range(text: str) -> tuple[int, int]:
    """The inclusive range, in microseconds, that a FHIR date, dateTime or instant covers.

    A value without a time zone is read as UTC (R4 leaves the zone to the server).
    """
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a FHIR date or dateTime")
    parts = match.groupdict()
    year = int(parts["year"])
    month, day = int(parts["month"] or 1), int(parts["day"] or 1)
    hour, minute = int(parts["hour"] or 0), int(parts["minute"] or 0)
    second = int(parts["second"] or 0)
    fraction = parts["fraction"] or ""
    micro = int((fraction + "000000")[:6])
    try:
        start = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date: {error}") from None
    start -= _zone_offset(parts["zone"])
    low = to_micros(start)
    return low, low + _span(parts, year, month) - 1


def _zone_offset(zone: str | None) -> timedelta:
    if not zone or zone == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    return sign * timedelta(hours=hours, minutes=minutes)


def _span(parts: dict[str, str | None], year: int, month: int) -> int:
    """Length in microseconds of the interval the value's precision denotes."""
    if parts["month"] is None:
        return (366 if calendar.isleap(year) else 365) * 86_400 * 10**6
    if parts["day"] is None:
        return calendar.monthrange(year, month)[1] * 86_400 * 10**6
    if parts["hour"] is None:
        return 86_400 * 10**6
    if parts["second"] is None:
        return 60 * 10**6
    fraction = parts["fraction"]
    if not fraction:
        return 10**6
    return int(10 ** max(0, 6 - len(fraction)))


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


def decimal_range(value: Decimal) -> tuple[Decimal, Decimal]:
    """The implicit precision of a decimal: ``100`` → [99.5, 100.5), ``5.4`` → [5.35, 5.45)."""
    exponent = value.as_tuple().exponent
    half = Decimal(5).scaleb(int(exponent) - 1)
    return value - half, value + half


def normalize_text(text: str) -> str:
    """String search form: accents and case dropped, whitespace collapsed.

    R4: string search is "case- and accent-insensitive"
    (https://hl7.org/fhir/R4/search.html#string).
    """
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


_SOUNDEX = {letter: digit for digit, letters in
            {"1": "bfpv", "2": "cgjkqsxz", "3": "dt", "4": "l", "5": "mn", "6": "r"}.items()
            for letter in letters}


def soundex(word: str) -> str:
    """American Soundex of one word (``Müller`` and ``Mueller`` → ``m460``), for the
    ``phonetic`` parameter (https://hl7.org/fhir/R4/patient.html#search)."""
    letters = [c for c in normalize_text(word) if "a" <= c <= "z"]
    if not letters:
        return ""
    code, last = [letters[0]], _SOUNDEX.get(letters[0], "")
    for letter in letters[1:]:
        digit = _SOUNDEX.get(letter, "")
        if digit and digit != last:
            code.append(digit)
        if letter not in "hw":
            last = digit
    return ("".join(code) + "000")[:4]


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``.

    Lets a B-tree index answer starts-with as a range ``prefix <= v < bound``.
    """
    return prefix + "\U0010ffff"
