"""Coordinated modifiers that share one head noun: "skin and soft tissue infections".

English writes "A and B N" for "A N and B N". A lexicon matches "B N" at best, and
nothing when only "A N" is a term; the first modifier with the shared head is then
looked up on its own ("skin … infections" as "skin infections"), and a match names
the whole phrase.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator

from fhirsvc.extract.body_sites import site_words
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import CONDITION_KINDS
from fhirsvc.terminology.lexicon import Hit

_COORDINATED = re.compile(
    r"\b(?P<first>[A-Za-z][A-Za-z-]{2,})\s+(?:and|or)\s+"
    r"(?P<rest>[A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){1,2})\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
#: The white space right before the "and" or "or" of every ``_COORDINATED`` match.
_CONJUNCTION = re.compile(r"\s(?=(?:and|or)\s)")
_FIRST_CHARS = frozenset(string.ascii_letters + "-")


def _coordinated(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_COORDINATED.finditer(text, start, end)``, tried only where a match can start.

    The pattern begins with ``\\b`` and a letter, so the engine would try it at every
    position of the text; but its first word runs (letters and hyphens, greedily) up to
    the white space before "and" or "or". So each conjunction is found first and the
    pattern is matched at the starts of the word before it (its start, or just after a
    hyphen in it), leftmost first, as ``finditer`` would.
    """
    pos = start
    for cue in _CONJUNCTION.finditer(text, start, end):
        word_end = cue.start()
        while word_end > pos and text[word_end - 1].isspace():
            word_end -= 1
        first = word_end
        while first > pos and text[first - 1] in _FIRST_CHARS:
            first -= 1
        for at in [first, *(i + 1 for i in range(first, word_end) if text[i] == "-")]:
            m = _COORDINATED.match(text, at, end)
            if m is not None:
                yield m
                pos = m.end()
                break


def shared_heads(text: str, start: int, end: int, hits: Iterable[Hit],
                 term: Callable[[str], Hit | None]) -> list[Hit]:
    """Hits for "A and B N" phrases in ``text[start:end]`` whose "A N" is a condition term
    (``term``: the lexicon hit a whole phrase makes, or None) and whose words no hit
    covers yet."""
    claimed = SpanIndex.over(hits)
    found: list[Hit] = []
    for m in _coordinated(text, start, end):
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


#: A site word and the comma or conjunction after it, perhaps its side before it, right before
#: another site: "shoulder and |hip girdle stiffness", "bilateral knee, |hip …".
_SITE_BEFORE = re.compile(r"(?:\b(?P<side>left|right|bilateral)\s+)?\b(?P<site>[A-Za-z]+)"
                          r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$", re.IGNORECASE)
#: The most sites coordinated before one head.
_MOST_SITES = 3


def coordinated_sites_start(text: str, start: int, first: int, claimed: SpanIndex[Hit]) -> int:
    """Where the sites coordinated with the site that begins a head's modifiers at ``first``
    begin ("bilateral shoulder and |hip girdle stiffness" → at "bilateral"): each shares the
    head, so the name holds them all; ``first`` when the modifiers begin with no site or no
    site is written before them (``site_words``)."""
    if not _starts_with_site(text, first):
        return first
    for _ in range(_MOST_SITES):
        m = _SITE_BEFORE.search(text, max(start, first - 40), first)
        if m is None or m.group("site").lower() not in site_words() \
                or claimed.overlaps(m.start(), m.end("site")):
            break
        first = m.start()
        if m.group("side"):
            break
    return first


def _starts_with_site(text: str, at: int) -> bool:
    word = _WORD.match(text, at)
    return word is not None and word.group().lower() in site_words()
