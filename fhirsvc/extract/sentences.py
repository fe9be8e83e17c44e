"""Rule-based sentence splitting inside body spans.

A sentence ends at ``.``, ``!`` or ``?`` followed by white space and a capital, a
digit or an opening quote, unless the full stop belongs to an abbreviation ("Mr.",
"Dr.", "e.g.", "Fig.", "approx.") or an initial. Line breaks always end a sentence
(case reports and news stories put paragraphs, MACCROBAT sentences, on lines).
"""

from __future__ import annotations

import re

from fhirsvc.model import Span

#: ``[.!?]`` then ``[.!?]*`` rather than ``[.!?]+``: a pattern that begins with a character
#: set lets the engine skip to the next full stop instead of trying every position.
_BOUNDARY = re.compile(
    r"[.!?][.!?]*[\"'\u201d\u2019)]*\s+(?=[A-Z0-9\"'\u201c\u2018(\[]|[a-z]{1,3}[A-Z])"
)
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "fig", "figs", "no", "nos", "approx",
     "e.g", "i.e", "al", "ca", "cf", "dept", "univ", "vol", "pp", "jan", "feb", "mar", "apr", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "u.s", "b.i.d", "t.i.d",
     "q.d", "p.o", "i.v", "i.m", "s.c"]
)


_LAST_WORD = re.compile(r"(?:^|[\s(])([A-Za-z.]+)\.$")


#: A lower-case word of three letters or more, then a space, right before a single letter:
#: the letter names a kind ("hepatitis B.", "vitamin D.", "type A."), no initial of a name.
_KIND_WORD = re.compile(r"(?<![\w-])([a-z]{3,}) $")
#: A number, and a space or none, right before a single letter: a unit ("2,500 g", "5 L").
_NUMBER_BEFORE = re.compile(r"\d ?$")
#: Lower-case words that introduce a person's name, whose initial may follow ("by A. Smith").
_NAME_LEADS = frozenset({"and", "from", "with", "dear", "doctor", "professor", "nurse"})


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``stop`` ends an abbreviation or an initial. A single letter
    after a lower-case word ("hepatitis B.", :data:`_KIND_WORD`) ends the sentence: a name's
    initial follows a capitalised word, a short word or a word that leads to a name. Nor
    does a single letter after a number: a unit ("weighing 2,500 g.")."""
    m = _LAST_WORD.search(text[max(0, stop - 12) : stop + 1])
    if not m:
        return False
    word = m.group(1).lower()
    if len(word) == 1 and word.isalpha():
        letter_at = stop - 1
        if _NUMBER_BEFORE.search(text, max(0, letter_at - 2), letter_at):
            return False  # a unit after a number ("weighing 2,500 g."), no initial
        kind = _KIND_WORD.search(text, max(0, letter_at - 20), letter_at)
        return kind is None or kind.group(1) in _NAME_LEADS
    return word in _ABBREVIATIONS


def split(text: str, body: tuple[Span, ...]) -> tuple[Span, ...]:
    """Sentence spans covering ``body`` (leading/trailing white space excluded)."""
    found: list[Span] = []
    for part in body:
        start = part.start
        for m in _BOUNDARY.finditer(text, part.start, part.end):
            if text[m.start()] == "." and _is_abbreviation(text, m.start()):
                continue
            end = m.end() - len(m.group()) + len(m.group().rstrip())
            found.append(Span(start, end))
            start = m.end()
        if start < part.end:
            found.append(Span(start, part.end))
    return tuple(s for s in found if s.length)
