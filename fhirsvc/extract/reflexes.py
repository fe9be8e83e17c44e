"""Reflexes said to be lost or absent: a finding, not the examination of them.

"Reflexes" alone names the examination ("normal reflexes", "reflexes were brisk"), but
"he lost his ankle reflexes", "reflexes were absent" and "absence of knee reflexes" tell of
a finding, as "absent ankle reflexes" (HPO: Absent Achilles reflex) and "areflexia" do. The
phrase is read as the lexicon's "absent … reflexes" term with its site words, as
"areflexia" when it names no site, and as a finding known by its words alone when the
lexicon knows no term for its site.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fhirsvc.extract.markers import replacing
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import CONDITION_KINDS, MentionKind
from fhirsvc.terminology.lexicon import Hit

#: Words before "reflexes" that name no site: the reflexes lost are all of them ("deep tendon",
#: "all", "his"), or the word opens the clause ("showed that reflexes were absent").
_GENERAL = frozenset({"deep", "tendon", "all", "the", "his", "her", "their", "its", "both", "of",
                      "osteotendinous", "bilateral", "that", "which", "where", "when", "while",
                      "and", "or", "but", "as", "if", "although", "whose"})
_REFLEXES = r"(?:reflexes|reflex|DTRs)"
#: The site words before the reflexes: at most three, none that joins another phrase.
_SITE = r"(?P<site>(?:(?!(?:and|or|but|with|was|were|normal|brisk)\b)[\w-]+\s+){0,3}?)"
_LOST = re.compile(rf"\b(?:lost|loss\s+of|absence\s+of|absent)\s+{_SITE}{_REFLEXES}\b",
                   re.IGNORECASE)
#: Reflexes said to be absent after their name ("reflexes were absent", "DTRs absent").
_ABSENT_AFTER = re.compile(
    rf"\b{_REFLEXES}\s+(?:(?:were|was|are|is|remained|became)\s+)?"
    r"(?:(?:completely|bilaterally|totally)\s+)?(?:absent|lost)\b", re.IGNORECASE)
#: The word right before reflexes said to be absent after their name, a site it may name.
_WORD_BEFORE = re.compile(r"([A-Za-z-]+)\s+$")


def lost_reflexes(text: str, hits: list[Hit], term: Callable[[str], Hit | None]) -> list[Hit]:
    """``hits`` with the examination of reflexes said to be lost or absent replaced by that
    finding (see the module); a condition the lexicon found there already stays."""
    if "reflex" not in text.lower() and "DTR" not in text:
        return hits
    index = SpanIndex(hits)
    found: list[Hit] = []
    for start, end, site in _phrases(text):
        near = list(index.overlapping(start, end))
        exams = [h for h in near if h.kind is MentionKind.DIAGNOSTIC_PROCEDURE]
        if not exams or any(h.kind in CONDITION_KINDS for h in near):
            continue
        start = min(start, *(h.start for h in exams))  # "deep tendon reflexes were absent"
        found.append(Hit(start, end, MentionKind.FINDING, _concepts(site, term)))
    return replacing(hits, found) if found else hits


def _phrases(text: str) -> list[tuple[int, int, str]]:
    """Each phrase of lost reflexes: its start, end and site words. One with "absent" after
    the reflexes takes the word before them as its site ("Ankle reflexes were absent"), which
    may name none (:data:`_GENERAL`: "showed that reflexes were absent")."""
    found = [(m.start(), m.end(), m.group("site")) for m in _LOST.finditer(text)]
    for m in _ABSENT_AFTER.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
        site = before is not None and before.group(1).lower() not in _GENERAL
        found.append((before.start(1) if site and before else m.start(), m.end(),
                      before.group(1) if site and before else ""))
    return found


def _concepts(site: str, term: Callable[[str], Hit | None]) -> tuple[str, ...]:
    """The concepts of reflexes lost at ``site`` (its words as written): the lexicon's absent
    reflex of that site, areflexia when the words name none, else none known."""
    words = [w for w in site.lower().split() if w not in _GENERAL]
    if not words:
        known = term("areflexia")
        return known.concepts if known is not None else ()
    for form in (f"absent {' '.join(words)} reflexes", f"absent {' '.join(words)} reflex"):
        known = term(form)
        if known is not None and known.kind in CONDITION_KINDS:
            return known.concepts
    return ()
