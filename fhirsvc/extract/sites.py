"""Disorders written with their site after them: "adenocarcinoma of the lung".

Terminologies name most disorders of a body site with the site first ("lung
adenocarcinoma", "pancreatic adenocarcinoma", "urinary tract infection"); case reports as
often write the site after the disorder ("adenocarcinoma of the pancreas", "a fracture of
the left femur", "pain in both knees"). A word followed by "of" or "in", perhaps "the" (or
"his", "her") and words of side or part
("left", "distal"), then a site of one or two words, is read as the term with the site
first, the site written as itself or as one of the words that stand for it before a
disorder's name (``mappings/body_sites.tsv``: "pancreas" → "pancreatic"). When the lexicon
knows that term as a disorder or finding, one hit covers the whole phrase with that term's
concepts, so the Condition's text is what the report wrote and its codes those of the
site-first term. The word may be a lexicon hit of its own ("abscess") or no term at all
("fracture"); a hit that the phrase would cut through is left as it is.

A finding's adjective describing an organ, before it ("a dilated right ventricle", "an
edematous pancreas") or said of it ("the right ventricle was dilated"), is read the same way:
the organ's own finding ("right ventricular dilatation") when the lexicon knows it, named by
all the words written; else the words without a code, as the bare adjective's finding
("edema", "pain") would be one of the whole body. A finding after a site's noun ("neck
rigidity") is the term with the site's adjective ("nuchal rigidity") when the lexicon knows
it, and an adjective finding right before a finding's noun ("painful swelling") is no
finding of its own.
See https://www.hl7.org/fhir/R4/condition-definitions.html#Condition.code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import cache

from fhirsvc.extract.body_sites import site_terms
from fhirsvc.extract.markers import replacing
from fhirsvc.extract.scan import mentions_any
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import CONDITION_KINDS, Span
from fhirsvc.terminology import tables
from fhirsvc.terminology.lexicon import Hit

#: A word, then "of" or "in" and perhaps "the" or a possessive: where a site may follow. A
#: passive verb of finding may stand before "in" ("a stone was found in the left kidney").
_HEAD_OF = re.compile(
    r"\b([A-Za-z][A-Za-z-]+)\s+(?:of|(?:(?:was|were)\s+(?:found|seen|noted|detected|"
    r"identified|observed|visualized|visualised)\s+)?in)\s+(?:(?:the|his|her|their)\s+)?")
#: Words of side or part between "of the" and the site ("of the left distal femur").
_PART_WORDS = (r"(?:left|right|bilateral|both|upper|lower|distal|proximal|middle|"
               r"anterior|posterior|medial|lateral|inferior|superior|entire|whole)")
_PART = re.compile(rf"(?:{_PART_WORDS}\s+)*", re.IGNORECASE)
#: The site: one or two words.
_SITE = re.compile(r"([A-Za-z]+)(?:\s+([A-Za-z]+))?")


def _site_first(head: str, site: str, term: Callable[[str], Hit | None],
                sides: str = "") -> Hit | None:
    """The disorder or finding the site-first term names, the one naming most concepts
    when the site is written several ways ("stomach cancer", "gastric cancer"), after the
    words of side or part ``sides`` (each followed by a space: "left ventricular dilatation")."""
    found = [hit for form in site_terms().get(site.lower(), (site,))
             if (hit := term(f"{sides}{form} {head}")) is not None
             and hit.kind in CONDITION_KINDS]
    return max(found, key=lambda h: len(h.concepts), default=None)


def _phrase(text: str, head: Span, at: int, stop: int,
            term: Callable[[str], Hit | None]) -> Hit | None:
    """The hit for the words ``text[head]`` + "of the …" from ``at`` (where the side words
    start): the site with its side words ("right upper quadrant pain") tried before the site
    alone, the two-word site before the one-word site."""
    site = _SITE.match(text, _PART.match(text, at, stop).end(), stop)  # type: ignore[union-attr]
    if site is None:
        return None
    words = text[head.start:head.end]
    ends = ([site.end(2)] if site.group(2) else []) + [site.end(1)]
    starts = dict.fromkeys((at, site.start(1)))
    sides = " ".join(text[at:site.start(1)].split()).lower()
    for start, end in ((start, end) for start in starts for end in ends):
        hit = _site_first(words, " ".join(text[site.start(1):end].split()), term,
                          f"{sides} " if sides and start == at else "")
        if hit is not None:
            return Hit(head.start, end, hit.kind, hit.concepts)
    return None


def site_after(text: str, spans: Iterable[Span], hits: list[Hit],
               term: Callable[[str], Hit | None]) -> list[Hit]:
    """``hits`` (in text order) with each disorder written with its site after it read as one
    hit (see the module docstring); the hits inside such a phrase are dropped."""
    ending_at = {h.end: h for h in hits}
    index = SpanIndex(hits)
    found: list[Hit] = []
    for span in spans:
        for m in _HEAD_OF.finditer(text, span.start, span.end):
            own = ending_at.get(m.end(1))
            if own is not None and own.kind not in CONDITION_KINDS:
                continue
            head = Span(own.start, own.end) if own is not None else Span(m.start(1), m.end(1))
            hit = _phrase(text, head, m.end(), span.end, term)
            if hit is not None and _fits(hit, index):
                found.append(hit)
    return replacing(hits, found)


def _fits(phrase: Hit, hits: SpanIndex[Hit]) -> bool:
    """Whether no hit runs into or out of the phrase (a hit wholly inside it is replaced)."""
    return all(phrase.start <= h.start and h.end <= phrase.end
               for h in hits.overlapping(phrase.start, phrase.end))


#: An adjective of a finding ("dilated", "painful", "edematous", "tender", "swollen",
#: "hypertrophic"): the word forms a finding describes an organ with.
_ADJECTIVE = re.compile(r"(?:ed|ful|ous|ic|en|er)$", re.IGNORECASE)
#: Only spaces between two words of one phrase.
_GAP = re.compile(r"[ \t]+")


@cache
def _curated_terms() -> dict[str, tuple[str, ...]]:
    """Each curated disorder's or finding's concept key → its terms (``conditions.tsv``)."""
    return {f"cond:{r.key}": r.terms
            for r in tables.load_table("conditions.tsv", tables.ConditionRow)}


def site_noun(words: str) -> str | None:
    """The site of ``body_sites.tsv`` that ``words`` (lower case, single-spaced) name, singular
    or plural ("lymph nodes", "ventricles")."""
    for noun in (words, words.removesuffix("s")):
        if noun in site_terms():
            return noun
    return None


def _finding_nouns(hit: Hit, words: str, names: Callable[[str], str]) -> list[str]:
    """The words a finding's concepts are named by, the hit's own words first: a curated
    concept's terms ("dilated" → "dilatation", "enlargement"), another's display."""
    found = [words.lower()]
    for key in hit.concepts:
        found += [t.lower() for t in _curated_terms().get(key, ())]
        found.append(names(key).lower())
    return list(dict.fromkeys(w for w in found if w))


def _site_after_adjective(text: str, hit: Hit, stop: int) -> tuple[int, int, str] | None:
    """Where side words and a site noun right after ``hit`` start and end, and the site
    noun as a key of ``body_sites.tsv`` ("dilated| right ventricle", "edematous| pancreas")."""
    gap = _GAP.match(text, hit.end, stop)
    if gap is None:
        return None
    at = gap.end()
    site = _SITE.match(text, _PART.match(text, at, stop).end(), stop)  # type: ignore[union-attr]
    if site is None:
        return None
    for end in ([site.end(2)] if site.group(2) else []) + [site.end(1)]:
        noun = site_noun(" ".join(text[site.start(1):end].lower().split()))
        if noun is not None:
            return at, end, noun
    return None


def _organ_term(hit: Hit, words: str, sides: str, noun: str,
                term: Callable[[str], Hit | None], names: Callable[[str], str]) -> Hit | None:
    """The lexicon's finding of the site ``noun`` (after the words of side or part ``sides``,
    each followed by a space) named by one of the words of ``hit``'s finding, the site first
    ("right ventricular dilatation", "abdominal pain")."""
    for finding in _finding_nouns(hit, words, names):
        for form in site_terms()[noun]:
            for side in dict.fromkeys((sides, "")):
                found = term(f"{side}{form} {finding}")
                if found is not None and found.kind in CONDITION_KINDS:
                    return found
    return None


def _described_organ(text: str, hit: Hit, span: Span, sides: str, noun: str,
                     term: Callable[[str], Hit | None],
                     names: Callable[[str], str]) -> Hit | None:
    """The finding of ``hit``, an adjective describing an organ, over ``span`` (the adjective
    and the organ's words): the organ's own finding when the lexicon knows it
    (:func:`_organ_term`); else, for an adjective, the words without a code (the generic
    finding of the bare adjective, "edema" or "pain" of the whole body, is not what was
    found); None for a noun."""
    words = text[hit.start:hit.end]
    found = _organ_term(hit, words, sides, noun, term, names)
    if found is not None:
        return Hit(span.start, span.end, found.kind, found.concepts)
    if " " in words or not _ADJECTIVE.search(words):
        return None
    return Hit(span.start, span.end, hit.kind, ())


def _organ_finding(text: str, hit: Hit, stop: int, term: Callable[[str], Hit | None],
                   names: Callable[[str], str]) -> Hit | None:
    """The finding of an adjective before the organ it describes ("a dilated right
    ventricle", "an edematous pancreas", "a painful abdomen"), its text the whole phrase
    (:func:`_described_organ`). None when no site follows."""
    place = _site_after_adjective(text, hit, stop)
    if place is None:
        return None
    at, end, noun = place
    sides = " ".join(text[at:end].split())[: -len(noun)].lower()
    return _described_organ(text, hit, Span(hit.start, end), sides, noun, term, names)


#: An organ, then a verb of being and perhaps a word of degree, right before an adjective
#: ("the right ventricle was dilated", "the pancreas appeared diffusely edematous").
_ORGAN_WAS = re.compile(
    rf"(?P<sides>(?:{_PART_WORDS}\s+)*)(?P<site>[A-Za-z]+(?:\s+[A-Za-z]+)?)\s+"
    r"(?:was|were|is|are|appeared|appears|became|looked|seemed)\s+"
    r"(?:(?:mildly|moderately|severely|markedly|slightly|significantly|massively|diffusely|"
    r"also|very|grossly|still)\s+)?$",
    re.IGNORECASE,
)


#: The linking verbs of :data:`_ORGAN_WAS`, as its cheap test finds them (lower case).
_LINKS = (" was ", " were ", " is ", " are ", " appear", " became ", " looked ", " seemed ")


def _organ_was(text: str, hit: Hit, start: int, term: Callable[[str], Hit | None],
               names: Callable[[str], str]) -> Hit | None:
    """The finding of an adjective said of an organ ("the right ventricle was dilated", "the
    pancreas was edematous"), its text from the organ to the adjective
    (:func:`_described_organ`). None when no site is the subject."""
    lo = max(start, hit.start - 80)
    if not mentions_any(text, max(lo, hit.start - 30), hit.start, _LINKS):
        return None  # the cheap test first: most findings follow no linking verb
    m = _ORGAN_WAS.search(text, lo, hit.start)
    if m is None:
        return None
    site = " ".join(m.group("site").lower().split())
    sides = " ".join(m.group("sides").lower().split())
    noun = site_noun(site)  # "the lymph nodes were enlarged", "the left atrium was dilated"
    if noun is not None:
        return _described_organ(text, hit, Span(m.start(), hit.end),
                                f"{sides} " if sides else "", noun, term, names)
    last = site.rsplit(" ", 1)[-1]  # "the pancreas was edematous"
    noun = site_noun(last) if " " in site else None
    if noun is None:
        return None
    return _described_organ(text, hit, Span(m.end("site") - len(last), hit.end), "", noun,
                            term, names)


#: The last word or two before a hit, one whitespace character before the hit: where a site
#: noun before a finding stands ("neck rigidity", "lymph node enlargement"), longest first.
_NOUNS_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)(?:\s([A-Za-z]+))?\s$")


def _site_finding(text: str, hit: Hit, start: int,
                  term: Callable[[str], Hit | None]) -> Hit | None:
    """A finding written after a site noun ("neck rigidity") read as the term with the site's
    adjective ("nuchal rigidity") when the lexicon knows that term and not the words as
    written."""
    sites = site_terms()
    m = _NOUNS_BEFORE.search(text, max(start, hit.start - 40), hit.start)
    nouns = [] if m is None else [(m.start(1), m.group(1).lower())] if m.group(2) is None else [
        (m.start(1), f"{m.group(1)} {m.group(2)}".lower()), (m.start(2), m.group(2).lower())]
    for first, noun in nouns:
        forms = sites.get(noun)
        if forms is None:
            continue
        for form in forms:
            found = term(f"{form} {text[hit.start:hit.end]}")
            if found is not None and found.kind in CONDITION_KINDS:
                return Hit(first, hit.end, found.kind, found.concepts)
    return None


def organ_findings(text: str, spans: Iterable[Span], hits: list[Hit],
                   term: Callable[[str], Hit | None],
                   names: Callable[[str], str]) -> list[Hit]:
    """``hits`` (in text order) with each finding that describes an organ read with the organ:
    an adjective before it (:func:`_organ_finding`), a noun after it (:func:`_site_finding`),
    and an adjective finding right before a finding's noun ("painful swelling", "an enlarged
    goiter") read as that finding, its text both words: the adjective tells what the finding
    is like, and is no second finding. The hits inside such a phrase are dropped."""
    index = SpanIndex(hits)
    taken: SpanIndex[Hit] = SpanIndex()
    found: list[Hit] = []
    starts = [h.start for h in hits]
    for span in spans:
        inside = [h for h in hits[bisect_left(starts, span.start):bisect_left(starts, span.end)]
                  if h.end <= span.end]
        for n, hit in enumerate(inside):
            if hit.kind not in CONDITION_KINDS:
                continue
            phrase = (_organ_finding(text, hit, span.end, term, names)
                      or _organ_was(text, hit, span.start, term, names)
                      or _site_finding(text, hit, span.start, term)
                      or _before_finding(text, hit, inside[n + 1:]))
            if phrase is not None and _fits(phrase, index) and _fits(phrase, taken):
                found.append(phrase)
                taken.add(phrase)
    return replacing(hits, found)


def _before_finding(text: str, hit: Hit, after: list[Hit]) -> Hit | None:
    """An adjective finding ("painful") right before a finding's hit ("swelling"), as one hit
    with the second's concepts."""
    words = text[hit.start:hit.end]
    if not after or " " in words or not _ADJECTIVE.search(words):
        return None
    head = after[0]
    gap = _GAP.match(text, hit.end, head.start)
    if gap is None or gap.end() != head.start or head.kind not in CONDITION_KINDS:
        return None
    return Hit(hit.start, head.end, head.kind, head.concepts)
