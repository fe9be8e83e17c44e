"""Markers tested by immunohistochemistry, serology or genetics, found by their shape.

No lexicon lists every antigen or gene ("CD68", "c-kit", "Ki-67", "HER2", "ALK"), but
case reports write them the same way: a short token with capitals and digits next to
a positive/negative result ("CD68 positive", "S-100 (−)", "positive for CD3, CD20 and
CD79a"). Such a token becomes a lab-test mention without codes.
"""

from __future__ import annotations

import re

from fhirsvc.model import MentionKind
from fhirsvc.terminology.lexicon import Hit

_MARKER = r"(?:[A-Za-z]{0,3}[A-Z][A-Za-z]*-?\d+[A-Za-z]?|[A-Z]{2,6}\d?|[a-z]-[A-Za-z]{2,5}|Ki-?67)"
_RESULT = (
    r"\s*(?:\(\s*[+\-−]+\s*\)|[+\-−](?=[\s,.;)])|\s+(?:(?:was|were|is|are)\s+)?"
    r"(?:(?:strongly|weakly|focally|diffusely)\s+)?(?:positive|negative|positivity|negativity))"
)
_AFTER = re.compile(rf"\b({_MARKER}){_RESULT}")
_LIST = re.compile(
    rf"\b(?:positive|negative|positivity|negativity|stained|staining)\s+(?:for|of|with)\s+"
    rf"((?:{_MARKER})(?:\s*(?:,|and|or|/)\s*(?:{_MARKER}))*)"
)
_ITEM = re.compile(_MARKER)


def marker_hits(text: str, start: int, end: int, taken: list[Hit]) -> list[Hit]:
    """Marker tokens with a stated result in ``text[start:end]`` that no lexicon hit covers."""
    found: dict[int, Hit] = {}
    for m in _AFTER.finditer(text, start, end):
        found[m.start(1)] = Hit(m.start(1), m.end(1), MentionKind.LAB_TEST, ())
    for m in _LIST.finditer(text, start, end):
        for item in _ITEM.finditer(text, m.start(1), m.end(1)):
            found.setdefault(item.start(), Hit(item.start(), item.end(), MentionKind.LAB_TEST, ()))
    return [h for h in found.values()
            if h.end - h.start >= 2 and not any(t.start < h.end and h.start < t.end for t in taken)]
