"""Disorders and findings named by word formation: "-itis", "-algia", "-emia", "-megaly".

Medical English builds the names of disorders and findings from Greek and Latin combining
forms, and case reports use many more of them than any terminology lists as written
("epigastralgia", "hypopotassemia", "polyarthralgias"). A word that ends in one of the
endings of ``mappings/finding_endings.tsv``, that no lexicon hit covers and that
``mappings/not_findings.tsv`` does not list ("diagnosis", "anastomosis") names a disorder
or finding of the ending's kind, without a code. See
https://www.hl7.org/fhir/R4/condition.html (a Condition may carry text only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from fhirsvc.extract import scan
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import MentionKind
from fhirsvc.terminology import tables
from fhirsvc.terminology.lexicon import Hit

#: Letters a word has before its ending, at least: "mitis" (a species) and "coma" are no
#: combining-form words; "myalgia" and "uveitis" are.
MIN_STEM = 3
_KINDS = {"disorder": MentionKind.DISORDER, "finding": MentionKind.FINDING}


@cache
def _endings() -> tuple[re.Pattern[str], dict[str, MentionKind], frozenset[str]]:
    """One pattern of every ending (longest first), each ending's kind, and the words excluded."""
    kinds = {ending: _KINDS[row.kind]
             for row in tables.load_table("finding_endings.tsv", tables.ConditionEndingRow)
             for ending in row.terms}
    alternatives = "|".join(sorted(kinds, key=len, reverse=True))
    pattern = re.compile(rf"(?<![a-z-])[a-z]{{{MIN_STEM},}}?({alternatives})(?![a-z0-9-])")
    excluded = frozenset(r.key for r in tables.load_table("not_findings.tsv",
                                                          tables.ExcludedTermRow))
    return pattern, kinds, excluded


def finding_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Words of ``text[start:end]`` that name a disorder or finding by their ending and that
    no hit in ``taken`` overlaps."""
    pattern, kinds, excluded = _endings()
    claimed = SpanIndex(taken)
    found: list[Hit] = []
    for m in pattern.finditer(scan.lower(text), start, end):
        if m.group() in excluded or claimed.overlaps(m.start(), m.end()):
            continue
        found.append(Hit(m.start(), m.end(), kinds[m.group(1)], ()))
    return found
