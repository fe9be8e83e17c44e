"""Disorders and findings named by word formation: "-itis", "-algia", "-emia", "-megaly".

Medical English builds the names of disorders and findings from Greek and Latin combining
forms, and case reports use many more of them than any terminology lists as written
("epigastralgia", "hypopotassemia", "polyarthralgias"). A word that ends in one of the
endings of ``mappings/finding_endings.tsv``, that no lexicon hit covers and that
``mappings/not_findings.tsv`` does not list ("diagnosis", "anastomosis"), nor end in a listed
word ("misdiagnosis"), singular or plural ("dialyses"), names a disorder or finding of the
ending's kind, without a code. A word of a normal state ("normokalemia", "euvolemia") names
none, nor does a capitalised word within a sentence (a place, or a genus: "Schistosoma
mansoni"), unless the word before it is capitalised too, as in a Title-Case heading ("Acute
Pancreatitis"). See
https://www.hl7.org/fhir/R4/condition.html (a Condition may carry text only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import ahocorasick

from fhirsvc.extract import scan
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import MentionKind
from fhirsvc.terminology import tables
from fhirsvc.terminology.lexicon import Hit

#: Letters a word has before its ending, at least: "mitis" (a species), "coma", "myalgia",
#: "anemia" and "anuria" are no combining-form words here ("arthralgia" and "uveitis" are);
#: the short ones a terminology names as written.
MIN_STEM = 3
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_WORD_BEFORE = _LETTERS | {"-"}
_WORD_AFTER = _LETTERS | frozenset("0123456789-")
#: Prefixes of a normal state: "normocalcemia", "normokinesis", "euvolemia", "eupnea".
_NORMAL = ("normo", "eu")
#: What ends a sentence or a heading, so that a capitalised word after it may be a common noun.
_SENTENCE_END = frozenset(".!?:;\n")
#: Opening quotes and brackets: a word after them at a sentence start still starts it.
_OPENING = frozenset("([{\"'\u201c\u2018")  # and the curly opening quotes


@cache
def _endings() -> tuple[ahocorasick.Automaton, frozenset[str]]:
    """An automaton finding every ending (its value: the ending and its kind), and the words
    excluded."""
    automaton = ahocorasick.Automaton()
    for row in tables.load_table("finding_endings.tsv", tables.ConditionEndingRow):
        for ending in row.terms:
            automaton.add_word(ending, (ending, tables.condition_kind(row.kind)))
    automaton.make_automaton()
    excluded = frozenset(r.key for r in tables.load_table("not_findings.tsv",
                                                          tables.ExcludedTermRow))
    return automaton, excluded


def _ending_words(low: str, start: int, end: int) -> Iterator[tuple[int, int, MentionKind]]:
    """Whole words of lower-case letters in ``low[start:end]`` (no hyphen on either side, no
    digit after) that end in an ending after at least :data:`MIN_STEM` letters, with the kind
    of their longest such ending. The endings are found first, then each word's start, so
    only the few candidate words are looked at."""
    automaton, _ = _endings()
    best: dict[int, tuple[int, int, MentionKind]] = {}  # word end -> start, ending length, kind
    for last, (ending, kind) in scan.iter_in(automaton, low, start, end):
        stop = last + 1
        if (stop < end and low[stop] in _WORD_AFTER) or (
                stop in best and best[stop][1] >= len(ending)):
            continue
        first = stop - len(ending)
        while first > start and low[first - 1] in _LETTERS:
            first -= 1
        if (first == 0 or low[first - 1] not in _WORD_BEFORE) and (
                stop - first - len(ending) >= MIN_STEM):
            best[stop] = (first, len(ending), kind)
    for stop in sorted(best):
        yield best[stop][0], stop, best[stop][2]


def _excluded(word: str, excluded: frozenset[str]) -> bool:
    """Whether ``word``, or its singular, is or ends in a word ``excluded`` lists
    ("misdiagnosis", "hemodialyses", "diplomas")."""
    forms = [word]
    if word.endswith("ses"):
        forms.append(word[:-3] + "sis")
    elif word.endswith("s"):
        forms.append(word[:-1])
    return any(form[i:] in excluded for form in forms for i in range(len(form)))


def _before(text: str, first: int, start: int) -> int:
    """Where the last character before the word at ``first`` is, past spaces and opening
    quotes or brackets (``start - 1``: none in ``text[start:first]``)."""
    at = first - 1
    while at >= start and (text[at].isspace() or text[at] in _OPENING):
        at -= 1
    return at


def _proper_noun(text: str, first: int, stop: int, start: int) -> bool:
    """Whether a capitalised word is a name (a place, a genus): it has a word of its sentence
    before it, and that word is not capitalised too, as the words of a Title-Case heading
    are ("Acute Pancreatitis", "Findings: Marked Hepatomegaly")."""
    word = text[first:stop]
    if not (word[0].isupper() and word[1:].islower()):
        return False
    at = _before(text, first, start)
    if at < start or text[at] in _SENTENCE_END:
        return False
    lead = at
    while lead > start and (text[lead - 1].isalpha() or text[lead - 1] in "-'\u2019"):
        lead -= 1
    return not (text[at].isalpha() and text[lead].isupper())


def _names_no_finding(text: str, first: int, stop: int, start: int) -> bool:
    return (text[first:stop].lower().startswith(_NORMAL)
            or _proper_noun(text, first, stop, start))


def finding_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Words of ``text[start:end]`` that name a disorder or finding by their ending and that
    no hit in ``taken`` overlaps."""
    _, excluded = _endings()
    low = scan.lower(text)
    claimed = SpanIndex.over(taken)
    return [Hit(first, stop, kind, ()) for first, stop, kind in _ending_words(low, start, end)
            if not _excluded(low[first:stop], excluded)
            and not _names_no_finding(text, first, stop, start)
            and not claimed.overlaps(first, stop)]
