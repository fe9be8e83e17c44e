"""Coordinated modifiers that share one head noun: "skin and soft tissue infections".

English writes "A and B N" for "A N and B N". A lexicon matches "B N" at best, and
nothing when only "A N" is a term; the first modifier with the shared head is then
looked up on its own ("skin … infections" as "skin infections"), and a match names
the whole phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import CONDITION_KINDS
from fhirsvc.terminology.lexicon import Hit

_COORDINATED = re.compile(
    r"\b(?P<first>[A-Za-z][A-Za-z-]{2,})\s+(?:and|or)\s+"
    r"(?P<rest>[A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){1,2})\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def shared_heads(text: str, start: int, end: int, hits: Iterable[Hit],
                 term: Callable[[str], Hit | None]) -> list[Hit]:
    """Hits for "A and B N" phrases in ``text[start:end]`` whose "A N" is a condition term
    (``term``: the lexicon hit a whole phrase makes, or None) and whose words no hit
    covers yet."""
    claimed = SpanIndex(hits)
    found: list[Hit] = []
    for m in _COORDINATED.finditer(text, start, end):
        for head in list(_WORD.finditer(text, m.start("rest"), m.end("rest")))[1:]:
            if claimed.overlaps(m.start(), head.end()):
                break
            phrase = f"{m.group('first')} {head.group()}"
            match = term(phrase)
            if match is not None and match.kind in CONDITION_KINDS:
                found.append(Hit(m.start(), head.end(), match.kind, match.concepts))
                claimed.add(found[-1])
                break
    return found
