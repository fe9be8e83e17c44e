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
See https://www.hl7.org/fhir/R4/condition-definitions.html#Condition.code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from fhirsvc.model import CONDITION_KINDS, Span
from fhirsvc.terminology import tables
from fhirsvc.terminology.lexicon import Hit

#: A word, then "of" or "in" and perhaps "the" or a possessive: where a site may follow.
_HEAD_OF = re.compile(r"\b([A-Za-z][A-Za-z-]+)\s+(?:of|in)\s+(?:(?:the|his|her|their)\s+)?")
#: Words of side or part between "of the" and the site ("of the left distal femur").
_PART = re.compile(r"(?:(?:left|right|bilateral|both|upper|lower|distal|proximal|middle|"
                   r"anterior|posterior|medial|lateral|inferior|superior|entire|whole)\s+)*",
                   re.IGNORECASE)
#: The site: one or two words.
_SITE = re.compile(r"([A-Za-z]+)(?:\s+([A-Za-z]+))?")


@cache
def _site_words() -> dict[str, tuple[str, ...]]:
    """Site as written → the words that stand for it before a disorder's name."""
    return {r.key: r.terms for r in tables.load_table("body_sites.tsv", tables.BodySiteRow)}


def _site_first(head: str, site: str, term: Callable[[str], Hit | None]) -> Hit | None:
    """The disorder or finding the site-first term names, the one naming most concepts
    when the site is written several ways ("stomach cancer", "gastric cancer")."""
    found = [hit for form in _site_words().get(site.lower(), (site,))
             if (hit := term(f"{form} {head}")) is not None and hit.kind in CONDITION_KINDS]
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
    for start, end in ((start, end) for start in starts for end in ends):
        hit = _site_first(words, " ".join(text[start:end].split()), term)
        if hit is not None:
            return Hit(head.start, end, hit.kind, hit.concepts)
    return None


def site_after(text: str, spans: Iterable[Span], hits: list[Hit],
               term: Callable[[str], Hit | None]) -> list[Hit]:
    """``hits`` (in text order) with each disorder written with its site after it read as one
    hit (see the module docstring); the hits inside such a phrase are dropped."""
    ending_at = {h.end: h for h in hits}
    found: list[Hit] = []
    for span in spans:
        for m in _HEAD_OF.finditer(text, span.start, span.end):
            own = ending_at.get(m.end(1))
            if own is not None and own.kind not in CONDITION_KINDS:
                continue
            head = Span(own.start, own.end) if own is not None else Span(m.start(1), m.end(1))
            hit = _phrase(text, head, m.end(), span.end, term)
            if hit is not None and _fits(hit, hits):
                found.append(hit)
    if not found:
        return hits
    return sorted([h for h in hits if not any(f.start <= h.start and h.end <= f.end
                                              for f in found)] + found,
                  key=lambda h: h.start)


def _fits(phrase: Hit, hits: list[Hit]) -> bool:
    """Whether no hit runs into or out of the phrase (a hit wholly inside it is replaced)."""
    return all(h.end <= phrase.start or h.start >= phrase.end
               or (phrase.start <= h.start and h.end <= phrase.end) for h in hits)
