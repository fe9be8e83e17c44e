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


_SURGICAL = re.compile(
    r"\b(?:(?:total|partial|subtotal|radical|bilateral|left|right|median|laparoscopic|open|"
    r"emergency|distal|proximal|segmental)\s+)?[A-Za-z-]{3,}?(?:ectomy|ectomies|otomy|otomies|ostomy|"
    r"ostomies|plasty|plasties|pexy|rrhaphy|centesis|desis)\b",
    re.IGNORECASE,
)
_DIAGNOSTIC = re.compile(r"\b[A-Za-z-]{3,}?(?:scopy|scopies|graphy|graphies|gram|grams)\b", re.IGNORECASE)
_NOT_PROCEDURES = re.compile(
    r"(?:program|diagram|kilogram|milligram|microgram|nanogram|histogram|telegram|instagram|"
    r"demography|geography|photography|biography|bibliography|choreography|programs|diagrams|"
    r"kilograms|milligrams|micrograms)$",
    re.IGNORECASE,
)


_WORD = re.compile(r"[A-Za-z][A-Za-z-]{4,}")
_SUFFIXES = ("tomy", "tomies", "plasty", "plasties", "pexy", "rrhaphy", "centesis", "desis",
             "scopy", "scopies", "graphy", "graphies", "gram", "grams")


def procedure_hits(text: str, start: int, end: int, taken: list[Hit]) -> list[Hit]:
    """Procedures by word form ("-ectomy", "-otomy", "-plasty", "-scopy", "-graphy")."""
    found: list[Hit] = []
    for word in _WORD.finditer(text, start, end):
        if not word.group().lower().endswith(_SUFFIXES):
            continue
        lo = max(start, word.start() - 14)
        for pattern, kind in ((_SURGICAL, MentionKind.THERAPEUTIC_PROCEDURE),
                              (_DIAGNOSTIC, MentionKind.DIAGNOSTIC_PROCEDURE)):
            m = next((x for x in pattern.finditer(text, lo, word.end()) if x.end() == word.end()),
                     None)
            if m is None:
                continue
            if _NOT_PROCEDURES.search(m.group()):
                break
            if not any(t.start < m.end() and m.start() < t.end for t in taken + found):
                found.append(Hit(m.start(), m.end(), kind, ()))
            break
    return found


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
