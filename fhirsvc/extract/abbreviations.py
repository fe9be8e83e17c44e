"""Abbreviations a report defines ("hemophagocytic lymphohistiocytosis (HLH)").

When a lexicon match is followed directly by a parenthesised short form, every
later use of that short form in the report names the same concepts, whether or
not the short form is in the lexicon. (Schwartz & Hearst 2003 find definitions
the same way: long form, then short form in parentheses.)
"""

from __future__ import annotations

import re

from fhirsvc.extract.spans import SpanIndex
from fhirsvc.terminology.lexicon import Hit

_SHORT_FORM = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*[),;]")


def definitions(text: str, hits: list[Hit]) -> dict[str, Hit]:
    """Short form → the hit that defines it."""
    found: dict[str, Hit] = {}
    for hit in hits:
        m = _SHORT_FORM.match(text, hit.end)
        if not m:
            continue
        short = m.group(1)
        upper = sum(ch.isupper() for ch in short)
        if (upper >= 2 and short[0].upper() == text[hit.start].upper()) or (
                upper >= 2 and len(short) <= 6):
            found.setdefault(short, hit)
    return found


def expand(text: str, hits: list[Hit], floor: int = 0) -> list[Hit]:
    """``hits`` plus a hit for each use of a defined short form not already matched
    (the definition's own short form included: it names the concept too)."""
    defined = definitions(text, hits)
    if not defined:
        return hits
    extra: list[Hit] = []
    taken = SpanIndex(hits)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, defined)) + r")s?\b")
    for m in pattern.finditer(text, floor):
        long_form = defined[m.group(1)]
        if taken.overlaps(m.start(), m.start() + 1):  # a hit holds the use's first character
            continue
        extra.append(Hit(m.start(), m.end(), long_form.kind, long_form.concepts))
    return sorted(hits + extra, key=lambda h: h.start)
