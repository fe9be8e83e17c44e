"""Test results as written: quantities with units and comparators, ranges, qualitative values.

Numbers keep their written precision (``Decimal``); thousands separators go
("301,000"); powers of ten in any of the ways text carries them ("× 10^9/L",
"×10⁹/l", and "× 10 9 /L" or "× 109/L" where a superscript was lost) become UCUM
``10*9/L``. Units are looked up in ``mappings/units.tsv``; an unknown unit keeps
its text with no UCUM code. A full stop after a unit ends the sentence ("of 2.7 L."): it is
no part of the unit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from fhirsvc.extract import scan
from fhirsvc.extract.specimens import FLUIDS
from fhirsvc.model import Comparator, Qualitative, Quantity, Range, Result, Span
from fhirsvc.terminology import tables

#: A result joined to a test's name by a hyphen or a dash ("HER2-negative", "ER–positive"),
#: one pattern for every finder of such results. Not when a cell population follows
#: ("CD4-positive T-cell count", "CD34-positive cells"): the joined words then name what
#: is counted, and the value after them is the count's.
JOINED_RESULT = (
    r"[-–\u2010](?=(?i:positive|negative)\b"
    r"(?!\s+(?i:[a-z]{1,2}[-\u2010 ])?(?i:cells?|lymphocytes?|blasts?|counts?)\b))"
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
#: Thousands are separated by commas ("301,000"), by full stops when there are two groups or
#: more ("1.200.000/mm3": one full stop is a decimal point, "1.200"), or by spaces before a
#: count's volume ("14 000/mm3", "250 000/µL"; only there: "day 5 200 mg" is a day and a dose).
NUMBER = (r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\.\d{3}){2,}(?!\.?\d)|"
          r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?=\s?/)|\d+,\d{1,2}(?![\d,])|\d+)(?:\.\d+)?")
NUMBER_RE = re.compile(NUMBER)
_COMPARATOR = (
    r"(?P<cmp>[<>≤≥]=?|less than|greater than|more than|above|below|over|under|up to|"
    r"exceeding|at least|at most)"
)
_POWER = r"(?:\s*[×xX*]\s*10\s*(?:\^|\*|E|e)?\s*(?P<exp>[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}))"
#: A unit spelled out as a ratio ("ng per milliliter", "cells per cubic millimeter").
_SPELLED_RATIO = r"[a-zA-Zµμ]+\s+per\s+(?:cubic\s+)?[a-zA-Z]+\b"
_UNIT = (
    rf"(?P<unit>%|‰|℃|°\s?[CF]|º\s?C|mm\s?Hg|cm\s?H2O|m?g\s?%|{_SPELLED_RATIO}|"
    r"(?:/\s?)?(?:[µμ]\s(?=[gGlLmM]))?[a-zA-Zµμ][a-zA-Zµμ0-9²³]*(?:\.(?!\s|$))?(?:\s?/\s?(?:\d+(?:\.\d+)?\s?)?[a-zA-Zµμ0-9²³]+)*)"
)
_QUANTITY = re.compile(
    rf"(?:{_COMPARATOR}\s*)?(?:(?P<between>(?i:between))\s+)?"
    rf"(?:(?<![\w.,/])(?<!\d\s)(?P<sign>[-−–])(?=\d))?(?P<num>{NUMBER})"
    rf"(?:(?:\s*(?:-|–|to)\s*|(?(between)\s+and\s+|(?!)))(?P<high>{NUMBER}))?"
    rf"(?:\s*/\s*(?P<second>{NUMBER})(?(high)(?:(?:-|–|\s+to\s+)(?P<second_high>{NUMBER}))?))?"
    rf"{_POWER}?(?:\s*{_UNIT})?",
)
_COMPARATORS = {
    "<": Comparator.LT, "less than": Comparator.LT, "below": Comparator.LT, "under": Comparator.LT,
    ">": Comparator.GT, "greater than": Comparator.GT, "more than": Comparator.GT,
    "above": Comparator.GT, "over": Comparator.GT, "exceeding": Comparator.GT,
    "≤": Comparator.LE, "<=": Comparator.LE, "up to": Comparator.LE, "at most": Comparator.LE,
    "≥": Comparator.GE, ">=": Comparator.GE, "at least": Comparator.GE,
}


def parse_result_words(text: str, name: str = "result_words.tsv") -> dict[str, Qualitative]:
    """Result words read by the one strict table loader (a known result, each word once;
    :class:`~fhirsvc.terminology.tables.TableError` otherwise)."""
    return {row.key: Qualitative(row.result)
            for row in tables.parse_table(name, text, tables.ResultWordRow)}


def _result_words() -> dict[str, Qualitative]:
    return parse_result_words(
        resources.files("fhirsvc.extract").joinpath("result_words.tsv").read_text("utf-8"))


QUALITATIVE_WORDS: dict[str, Qualitative] = _result_words()
#: The words that judge a measured level, as the patterns of unknown tests write them before
#: or after a test's name ("elevated serum osteocalcin", "ferritin was low at 9 ng/mL").
LEVEL_WORDS = r"elevated|raised|high|low|increased|decreased|reduced|normal|abnormal"
#: Words that grade a positive or negative result ("focally positive", "strong positive"):
#: the graded phrase is the result as written.
_GRADES = ("focally", "strongly", "weakly", "diffusely", "strong", "weak", "focal", "diffuse",
           "partially")
for _word in ("positive", "negative", "positivity"):
    for _grade in _GRADES:
        QUALITATIVE_WORDS[f"{_grade} {_word}"] = QUALITATIVE_WORDS[_word]
#: Words that grade a change stated as a noun ("a marked elevation", "a mild decrease"): the
#: graded phrase is the result as written.
_CHANGE_GRADES = ("marked", "mild", "slight", "significant", "moderate", "severe", "progressive",
                  "gradual", "substantial", "dramatic")
for _word in ("elevation", "increase", "decrease", "reduction", "rise", "drop", "decline"):
    for _grade in _CHANGE_GRADES:
        QUALITATIVE_WORDS[f"{_grade} {_word}"] = QUALITATIVE_WORDS[_word]
for _word in ("expression", "staining", "reaction"):
    QUALITATIVE_WORDS[f"positive {_word}"] = Qualitative.POSITIVE
    QUALITATIVE_WORDS[f"negative {_word}"] = Qualitative.NEGATIVE
_QUALITATIVE_RE = re.compile(
    r"(?:(?<=\W)|^)("
    + "|".join(re.escape(w) for w in sorted(QUALITATIVE_WORDS, key=len, reverse=True))
    + r")(?=\W|$)",
    re.IGNORECASE,
)


_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_THOUSANDS = re.compile(r"[, \u00a0\u2009\u202f]")
_SPACES = re.compile(r"\s+")


def _decimal(text: str) -> Decimal | None:
    """A number as written: "301,000", "1.200.000" or "14 000" (thousands) or "74,2"
    (decimal comma)."""
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    elif _DOTTED_THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    try:
        return Decimal(_THOUSANDS.sub("", text))
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def unit_key(unit: str, exponent: str | None) -> str:
    """The lookup key of a unit: lower case, no spaces, micro as u, ``10*N`` prefix
    (remembered: the words after numbers repeat, report after report)."""
    key = _SPACES.sub("", unit).lower().replace("µ", "u").replace("μ", "u").rstrip(".")
    key = key.replace("²", "2").replace("³", "3").replace("º", "°")
    if exponent:  # "× 10^3 cells/µL" is 10*3/uL; "× 10^6 IU/mL" keeps its unit
        key = re.sub(r"^cells?(?=/)", "", key)
        key = f"10*{exponent.translate(_SUPERSCRIPTS)}" + (key if "/" in key else "")
    return key


_PER = re.compile(r"\s+per\s+(cubic\s+)?", re.IGNORECASE)
#: The word for what a count counts, before the volume it is counted in ("platelets/µL").
_COUNTED = re.compile(r"[A-Za-z]+\s?(?=/)")


def unit_ucum(unit: str, exponent: str | None, units: dict[str, str]) -> str | None:
    """The UCUM code of a unit as written; a ratio spelled out ("grams per deciliter",
    "x 10^3 platelets per cubic millimeter") is composed from the codes of its two words."""
    ratio = _PER.split(unit)
    if len(ratio) != 3:
        found = units.get(unit_key(unit, exponent))
        counted = _COUNTED.match(unit) if found is None and exponent else None
        if counted:  # "× 10^3 platelets/µL": the counted thing is no unit
            return units.get(unit_key(unit[counted.end() :], exponent))
        return found
    top, cubic, bottom = ratio
    over = units.get(unit_key(bottom, None))
    if over is None or "/" in over or (cubic and over not in ("mm", "cm")):
        return None
    over += "3" if cubic else ""
    if exponent:  # the counted thing ("platelets") is no unit
        return f"10*{exponent.translate(_SUPERSCRIPTS)}/{over}"
    above = units.get(unit_key(top, None))
    if above is None:  # a count ("cells per microliter") as the table writes it
        return units.get(unit_key(f"{top}/{over}", None))
    return f"{above}/{over}" if "/" not in above else None


#: A titre: one part in a dilution ("1:320", "1 : 1,280").
_TITRE = re.compile(r"1\s?:\s?(?P<dilution>\d{1,3}(?:,\d{3})+|\d+)(?![\d:]|[.,]\d)")


def _dilution(value: int) -> bool:
    """Whether ``value`` is a dilution a titre series reaches: 2, 4, 8… (doubling from 1),
    5, 10, 20, 40… or 25, 50, 100, 200… (doubling from 5 or 25), 1,000. Not 15, 30 or 45,
    which a clock time ("1:30") also has after its colon."""
    if value < 2:
        return False
    while value % 2 == 0:
        value //= 2
    return value in (1, 5, 25, 125)


def titre(text: str, start: int, end: int) -> Result | None:
    """A titre written at ``start`` ("1:320"): one and the dilution as paired values with
    no unit, a ratio (:meth:`~fhirsvc.model.Result.out_of_maximum`); None if none."""
    if start and (text[start - 1].isalnum() or text[start - 1] in ":.,/"):
        return None
    m = _TITRE.match(text, start, end)
    dilution = _decimal(m.group("dilution")) if m else None
    if m is None or dilution is None or not _dilution(int(dilution)):
        return None
    parts = (Quantity(Decimal(1)), Quantity(dilution))
    return Result(m.group(), Span(m.start(), m.end()), quantity=parts[0], components=parts)


def parse_quantity(
    text: str, start: int, units: dict[str, str], end: int | None = None
) -> Result | None:
    """A quantity, a range, paired values or a titre starting exactly at ``start`` (None if
    none)."""
    found = titre(text, start, len(text) if end is None else end)
    if found is not None:
        return found
    if grade(text, start, len(text) if end is None else end) is not None:
        return None  # "2+": a grade (:func:`grade`), not the number two
    m = _QUANTITY.match(text, start, len(text) if end is None else end)
    if not m:
        return word_multiple(text, start, len(text) if end is None else end)
    unit_text = (m.group("unit") or "").strip()
    exponent = m.group("exp")
    ucum = unit_ucum(unit_text, exponent, units) if unit_text or exponent else None
    if exponent:
        power = exponent.translate(_SUPERSCRIPTS)
        shown: str | None = f"10^{power}{unit_text}"
        value_end = m.end()
    elif unit_text and ucum:
        shown, value_end = unit_text, m.end()
    else:  # a word after a number that is no known unit is not part of the value
        shown = None
        value_end = max(m.end(g) for g in ("num", "high", "second", "second_high") if m.group(g))
        multiple = _MULTIPLE.match(text, value_end, len(text) if end is None else end)
        if multiple:  # "3 times the upper limit of normal": a multiple of a reference limit
            shown, value_end = multiple.group("unit"), multiple.end()
    return _result(text, m, Span(m.start(), value_end), shown, ucum)


#: A temperature scale written as its bare letter after a value ("37.9 C", "101.3 F"), with
#: the body temperatures a value in it may be. A bare letter is no unit elsewhere ("grade 3
#: C", "1 F"), so it is read only after a temperature's value (:func:`temperature_letter`).
_SCALE_LETTERS = {"C": ("Cel", Decimal(30), Decimal(45)),
                  "F": ("[degF]", Decimal(86), Decimal(113))}
_SCALE_LETTER = re.compile(r"\s?(?P<letter>[CF])(?![\w°'\u2019-])")


def temperature_letter(text: str, result: Result, end: int) -> Result:
    """A temperature's ``result`` with the scale its bare letter after the value names, when the
    value is a body temperature in that scale; else as is."""
    quantity = result.quantity
    if quantity is None or quantity.unit_text is not None or result.components:
        return result
    m = _SCALE_LETTER.match(text, result.span.end, end)
    if m is None:
        return result
    ucum, low, high = _SCALE_LETTERS[m.group("letter")]
    if not low <= quantity.value <= high:
        return result
    return replace(result, text=text[result.span.start : m.end()],
                   span=Span(result.span.start, m.end()),
                   quantity=replace(quantity, unit_text=m.group("letter"), ucum=ucum))


#: A reference limit a multiple is stated of ("the upper limit of normal", "ULN").
_LIMIT = (r"(?:(?i:upper|lower)\s+(?i:limits?|levels?)\s+(?i:of\s+)?(?:(?i:the)\s+)?"
          r"(?i:normal|reference)(?:\s+(?i:range|values?|limits?))?|ULN|LLN)")
#: A multiple of a reference limit after a number ("3 times the upper limit of normal",
#: "5-fold the ULN", "3 × ULN", "10 times normal."; not "3 times the normal dose"): kept as
#: the value's unit in words, with no UCUM code.
_MULTIPLE = re.compile(
    r"\s*-?(?P<unit>(?i:times|fold)\s+(?:(?i:the|its)\s+)?"
    rf"(?:{_LIMIT}|"
    r"(?i:normal)(?:\s+(?i:range|values?|limits?)\b|(?=\s*(?:[.,;:)]|$)|"
    r"\s(?i:on|at|in|and|with|after|before|during|by)\b)))|"
    rf"[×xX]\s*(?:(?i:the)\s+)?{_LIMIT})\b")
#: Numbers written as words, as counts and multiples are ("five times the upper limit").
WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100}
#: Words that are a multiple by themselves ("twice the ULN"): no "times" follows them.
_TIMES_WORDS = {"twice": 2, "double": 2, "triple": 3}
_WORD_MULTIPLE = re.compile(
    r"(?P<num>(?i:" + "|".join([*_TIMES_WORDS, *WORD_NUMBERS]) + r"))(?=[\s-])")
#: The limit right after a word that is a multiple by itself ("twice the upper limit").
_LIMIT_AFTER = re.compile(rf"\s+(?:(?i:the|its)\s+)?{_LIMIT}\b")


def word_multiple(text: str, start: int, end: int) -> Result | None:
    """A multiple of a reference limit written in words at ``start`` ("five times the upper
    limit of normal", "twice the ULN", "ten-fold the upper limit of normal"), or None."""
    m = _WORD_MULTIPLE.match(text, start, end)
    if m is None or (start and text[start - 1].isalnum()):
        return None
    word = m.group("num").lower()
    value = _TIMES_WORDS.get(word)
    multiple = (_MULTIPLE if value is None else _LIMIT_AFTER).match(text, m.end(), end)
    if multiple is None:
        return None
    unit = text[m.end() : multiple.end()].strip(" -")
    if value is not None:  # "twice the ULN": two times it
        unit = f"times {unit}"
    else:
        value = WORD_NUMBERS[word]
    return Result(text[start : multiple.end()], Span(start, multiple.end()),
                  quantity=Quantity(Decimal(value), unit))


def share_unit(series: list[Result]) -> list[Result]:
    """A series of one test's values written with one unit after its last ("1200, 900 and
    300 pg/mL", "rose from 9 to 14 g/dL"): each bare number before the first value with a
    unit takes that unit, for the writer meant it of them all."""
    unit = next((r.quantity for r in series if r.quantity and r.quantity.unit_text), None)
    if unit is None or unit.ucum is None:
        return series
    out: list[Result] = []
    for result in series:
        q = result.quantity
        if q is None or q.unit_text is not None or result.components:
            return out + series[len(out) :]
        out.append(replace(result, quantity=replace(q, unit_text=unit.unit_text, ucum=unit.ucum)))
    return out


def limit_multiple(quantity: Quantity) -> bool:
    """Whether ``quantity`` is a multiple of a reference limit ("3 times the ULN"), the one
    value with no UCUM code that still states a level."""
    return quantity.ucum is None and quantity.unit_text is not None \
        and _MULTIPLE.fullmatch(quantity.unit_text) is not None


def _second_range(m: re.Match[str], unit: str | None, ucum: str | None) -> Range | None:
    """The second of two ranges written as one pair ("110-130/70-80 mmHg"), or None."""
    low = _decimal(m.group("second")) if m.group("second") else None
    high = _decimal(m.group("second_high")) if m.group("second_high") else None
    if low is None:
        return None
    return Range(Quantity(low, unit, ucum), Quantity(high, unit, ucum) if high is not None
                 else Quantity(low, unit, ucum))


def _result(text: str, m: re.Match[str], span: Span, unit: str | None,
            ucum: str | None) -> Result | None:
    value = _decimal(m.group("num"))
    if value is None:
        return None
    if m.group("sign"):  # "T-score: −3.4", "(–70 dB)": a minus sign, not a hyphen or a dash
        value = -value
    comparator = _COMPARATORS.get((m.group("cmp") or "").lower())
    written = text[span.start : span.end]
    if m.group("high"):
        high = _decimal(m.group("high"))
        if high is not None and high < value and \
                text[m.end("num") : m.start("high")].strip() in ("-", "–"):
            return None  # "CA 19-9", "CYFRA 21-1": a name's numbers ("from 60 to 25" is a fall)
        low_q = Quantity(value, unit, ucum)
        high_q = Quantity(high, unit, ucum) if high is not None else None
        first = Range(low_q, high_q)
        paired = _second_range(m, unit, ucum)
        return Result(written, span, range=first, ranges=(first, paired) if paired else ())
    if m.group("second"):
        second = _decimal(m.group("second"))
        first_q = Quantity(value, unit, ucum)
        parts = (first_q, Quantity(second, unit, ucum)) if second is not None else (first_q,)
        return Result(written, span, quantity=first_q, components=parts)
    return Result(written, span, quantity=Quantity(value, unit, ucum, comparator))


#: The first words of the result words ("within" of "within normal limits"), in lower case,
#: and the first characters of those that begin with no word ("(+)"): a word at a position
#: that is none of these begins no result word, so :func:`parse_qualitative` skips the long
#: case-insensitive alternation there (the finders ask it after most words of a sentence).
_FIRST_WORD = re.compile(r"\w*")


def _first_word(text: str, start: int = 0, end: int | None = None) -> str:
    m = _FIRST_WORD.match(text, start, len(text) if end is None else end)
    return m.group() if m else ""


_FIRST_WORDS = frozenset(w for w in map(_first_word, QUALITATIVE_WORDS) if w)
_FIRST_MARKS = frozenset(k[0] for k in QUALITATIVE_WORDS if not _first_word(k))


def _may_start_result(text: str, start: int, end: int) -> bool:
    """Whether a result word of :data:`QUALITATIVE_WORDS` may start at ``start``: its first
    word is one of theirs (a word in other than ASCII letters is left to the pattern, whose
    case-insensitive matching knows more than ``str.lower``)."""
    word = _first_word(text, start, end)
    if not word:
        return start < end and text[start] in _FIRST_MARKS
    return not word.isascii() or word.lower() in _FIRST_WORDS


class ResultStarts:
    """Where result words of :data:`QUALITATIVE_WORDS` that state one of some readings start
    (the words as a whole, or the first character of a mark such as "(+)"), found in one pass:
    for a finder that would ask :func:`parse_qualitative` after every word of a sentence. No
    grade ("2+", "trace") is counted."""

    __slots__ = ("_marks", "_words")

    def __init__(self, readings: frozenset[Qualitative] | None = None) -> None:
        keys = [key for key, reading in QUALITATIVE_WORDS.items()
                if readings is None or reading in readings]
        self._words = scan.WordList(key for key in keys if _first_word(key))
        self._marks = frozenset(key[0] for key in keys if not _first_word(key))

    def __call__(self, text: str, start: int, end: int) -> list[int] | None:
        """The places in ``text[start:end]``, in text order; None when the words can not be
        told apart so (:func:`scan.folds_to_ascii`)."""
        if scan.folds_to_ascii(text, start, end):
            return None
        found = {first for first, _ in self._words.spans(text, start, end)}
        for mark in self._marks:
            at = text.find(mark, start, end)
            while at >= 0:
                found.add(at)
                at = text.find(mark, at + 1, end)
        return sorted(found)


def parse_qualitative(text: str, start: int, end: int) -> Result | None:
    """A qualitative result word starting at ``start`` (after optional white space), or a
    grade (:func:`grade`)."""
    m = _QUALITATIVE_RE.match(text, start, end) if _may_start_result(text, start, end) else None
    if not m:
        return grade(text, start, end)
    word = m.group(1)
    return Result(word, Span(m.start(1), m.end(1)),
                  qualitative=QUALITATIVE_WORDS[scan.as_ascii_lower(word)])


#: A semi-quantitative reading, as a dipstick or a stain is graded: "1+" to "4+" (or "+1" to
#: "+4", not a number of standard deviations: "+2 SD"), "+" to "++++" (group ``plus``), or
#: "trace".
_SPACE = re.compile(r"\s*")
_GRADE = re.compile(r"(?:(?P<plus>[1-4]\+|\+[1-4](?![\d.,])(?!\s*(?i:SD|S\.D|standard|z)\b)"
                    r"|\+{1,4})|(?i:trace))(?![\w+])")


def grade(text: str, start: int, end: int) -> Result | None:
    """A grade starting at ``start`` (after optional white space): "2+" and "+++" are a
    positive reading graded as written; "trace" is kept as its word alone, for a trace is
    neither a plain positive nor a negative."""
    if start < end and text[start].isalpha() and text[start] not in "tT":
        return None  # no space to skip, and no grade begins with this letter: asked often
    space = _SPACE.match(text, start, end)  # as str.lstrip, without copying the rest
    at = space.end() if space else start
    if at and (text[at - 1].isalnum() or text[at - 1] == "+"):
        return None
    m = _GRADE.match(text, at, end)
    if m is None:
        return None
    return Result(m.group(), Span(m.start(), m.end()),
                  qualitative=Qualitative.POSITIVE if m.group("plus") else None, graded=True)


#: A grade right before a word, as it is written before the finding it grades ("3+ proteinuria").
_GRADE_BEFORE = re.compile(r"(?<![\w+])(?:[1-4]\+|\+[1-4]|\+{1,4})\s+$")


def grade_before(text: str, start: int, floor: int) -> Result | None:
    """The plus grade written right before ``start`` ("2+ hematuria"): the word after a grade is
    what it grades; None when none is."""
    lo = max(floor, start - 8)
    m = _GRADE_BEFORE.search(text, lo, start)
    return grade(text, m.start(), start) if m else None


def grades_next_word(text: str, result: Result, limit: int) -> bool:
    """Whether a grade read after a test is written before the next mention instead
    ("urinalysis revealed 3+ proteinuria"), which it grades; ``limit`` is where that starts.
    So is a result word ("tests showed elevated transaminases, raised inflammatory markers",
    "a rise in troponin"): it judges the mention it is written before."""
    if limit >= len(text) or not text[limit].isalpha():
        return False
    if result.graded:
        return not text[result.span.end : limit].strip()
    return result.qualitative is not None and result.quantity is None \
        and result.range is None \
        and _BEFORE_NEXT.fullmatch(text, result.span.end, limit) is not None


#: Between a result word and the mention it judges: "elevated CRP", "a rise in troponin".
_BEFORE_NEXT = re.compile(r"\s+(?:(?i:of|in)\s+(?:(?i:the|his|her|serum|plasma|blood)\s+)?)?")


_POSITIVE_FOR = re.compile(
    r"\b((?:(?:strongly|weakly|focally|diffusely|strong|weak|focal|diffuse)\s+)?"
    r"(?:positive|negative|positivity|negativity)(?:\s+(?:staining|expression))?)"
    r"\s+(?:for|of)\s+(?:[\w-]+(?:\s*(?:,|and|or|/))+\s*){0,8}$", re.IGNORECASE
)


#: The one or two words before a test's name (one when "of" or "in" follows it:
#: "improvement in X" is "improvement", not "improvement in"; a possessive or an article may
#: follow "of" or "in": "deterioration of her respiratory status"). The leftmost match starts
#: where a word starts (one starting inside a word has a match at the word's start too), so
#: ``(?<!\S)`` changes no match, and spares the engine trying every letter of the window.
_WORDS_BEFORE = re.compile(r"(?<!\S)(\S+(?:\s\S+)??)\s+(?:(?:of|in|(?:(?:serum|plasma)\s+)?"
                           r"(?:levels?|concentrations?) of)\s+"
                           r"(?:(?:his|her|their|its|the)\s+)?)?"
                           rf"(?:(?:{FLUIDS}|serum levels? of)\s+)?$")
#: Words that join clauses or phrases, not modifiers of a test's name: a result word before
#: one of them judges something else ("negative and ferritin was measured", "improved after
#: potassium was repleted"), so only a word that can modify a name ("abnormal baseline
#: radiograph") lets the result word before it reach the test. "By" is not among them: "negative
#: by immunostaining for X" gives the result of the test after it.
_FUNCTION_WORDS = frozenset({
    "and", "or", "but", "nor", "while", "whereas", "whilst", "after", "before", "when", "as",
    "since", "until", "till", "then", "than", "so", "because", "although", "though", "if",
    "once", "with", "without", "of", "in", "on", "at", "for", "from", "to", "into",
    "over", "under", "during", "despite", "through", "between", "was", "were", "is", "are",
    "be", "been", "being", "had", "has", "have", "did", "does", "not", "no", "the", "a", "an",
    "this", "that", "these", "those", "his", "her", "their", "its", "which", "who", "whereby",
    "also", "again", "still", "yet"})
#: A word that may modify a test's name: letters (and hyphens) only, no closing punctuation.
_MODIFIER = re.compile(r"[A-Za-z][A-Za-z-]*")


def _result_word_candidates(words: str) -> tuple[str, ...]:
    """The words before a test that may be its result: both words, the last one, or the
    first one when the second modifies the test ("abnormal baseline X"). A word ending in a
    comma ends a phrase before the test ("positive, albumin was"): no candidate."""
    split = words.split()
    found = [words, split[-1]]
    if len(split) == 2 and _MODIFIER.fullmatch(split[1]) \
            and split[1].lower() not in _FUNCTION_WORDS:
        found.append(split[0])
    return tuple(w for w in dict.fromkeys(found) if not w.endswith(","))


def qualitative_before(text: str, start: int, floor: int) -> Result | None:
    """A qualitative word right before a test name ("elevated CRP", "positive ANA"), or
    heading the list the test is in ("positive for CD3, CD20 and CD79a")."""
    listed = _POSITIVE_FOR.search(text, max(floor, start - 120), start)
    if listed:
        word = listed.group(1)
        return Result(word, Span(listed.start(1), listed.end(1)),
                      qualitative=Qualitative.POSITIVE if "positiv" in word.lower()
                      else Qualitative.NEGATIVE)
    window = text[max(floor, start - 40) : start]
    m = _WORDS_BEFORE.search(window)
    if not m:
        return None
    for candidate in _result_word_candidates(m.group(1)):
        word = candidate.lstrip("(")
        offset = start - len(window) + m.start(1) + m.group(1).rfind(word)
        q = QUALITATIVE_WORDS.get(word.lower())
        if q:
            return Result(word, Span(offset, offset + len(word)), qualitative=q)
        if _GRADE.fullmatch(word):  # "1+ protein", "trace ketones"
            return grade(text, offset, offset + len(word))
    return None
