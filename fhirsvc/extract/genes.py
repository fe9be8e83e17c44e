"""A gene named with an alteration: a genetic test's finding, not a disease of its own.

Case reports write what a genetic test found as a gene and its alteration: the gene first
("EGFR exon 19 deletion", "BRAF V600E mutation", "ALK rearrangement") or after the
alteration ("a heterozygous missense variant in the VWF gene"). The alteration's word
("deletion", "variant") names no disorder of the patient; the gene is what was tested and
the alteration is its result (https://hl7.org/fhir/R4/observation.html: the gene in
``code.text``, the alteration as the value's text). :func:`alteration_tests` makes one
uncoded lab-test hit of the gene in place of every hit inside the words;
:func:`alteration` gives the result a test named so states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from fhirsvc.extract.scan import mentions_any
from fhirsvc.model import MentionKind, Result, Span
from fhirsvc.terminology.lexicon import Hit

#: A gene's symbol: capitals and digits, maybe with a lower-case prefix or a joined part
#: ("TP53", "JAK2", "c-KIT", "BCR-ABL1"); not the names of methods written the same way,
#: nor a spine's levels ("L4-L5 fusion" is a surgery).
_GENE = (r"(?!(?:DNA|RNA|PCR|CT|MRI|NGS|FISH|HLA|HIV|HPV)\b|[CTLS]\d{1,2}(?:\b|-))"
         r"(?:[a-z]-)?[A-Z][A-Z0-9]{1,7}(?:-[A-Z][A-Z0-9]{1,5})?")
#: What a test finds a gene altered by.
_ALTERATION = (r"(?:deletions?|insertions?|duplications?|mutations?|variants?|rearrangements?|"
               r"fusions?|amplifications?|translocations?|alterations?|substitutions?)")
#: Words that say which alteration it is: where in the gene, which change, of what kind.
_DETAIL = (r"(?:(?:exon|codon|intron)\s+\d+|[A-Z]\d+[A-Z*]|p\.\S+|c\.\S+|heterozygous|"
           r"homozygous|hemizygous|missense|nonsense|frameshift|splice(?:-site)?|point|"
           r"pathogenic|likely\s+pathogenic|germline|somatic|de\s+novo|novel|activating|"
           r"compound|internal\s+tandem|truncating)")
#: The gene, then the alteration: "EGFR exon 19 deletion", "BRAF V600E mutation".
_GENE_FIRST = re.compile(
    rf"\b(?P<gene>{_GENE})(?:\s+gene)?\s+(?P<change>(?:{_DETAIL}\s+){{0,3}}{_ALTERATION})\b")
#: The alteration, then the gene: "a heterozygous missense variant in the VWF gene", "a
#: mutation in exon 4 of the NPM1 gene"; a bare symbol needs "gene" after it or a digit in it.
_GENE_AFTER = re.compile(
    rf"(?P<change>(?:{_DETAIL}\s+){{0,4}}{_ALTERATION})\s+(?:in|of|within|affecting)\s+"
    rf"(?:exon\s+\d+\s+of\s+)?(?:the\s+)?"
    rf"(?P<gene>{_GENE}(?=\s+genes?\b)|(?=[A-Za-z-]*\d){_GENE})(?:\s+genes?\b)?",
    re.IGNORECASE)
#: The flags of the gene pattern must not let case go: symbols are written in capitals.
_CASED = re.compile(_GENE)


class _Written(NamedTuple):
    gene: Span
    change: Span
    end: int


#: What every alteration word holds: the cheap test before the patterns (most text has none).
_ALTERATION_STEMS = ("deletion", "insertion", "duplication", "mutation", "variant", "rearrangement",
                     "fusion", "amplification", "translocation", "alteration", "substitution")


def _written(text: str, start: int, end: int) -> Iterable[_Written]:
    if not mentions_any(text, start, end, _ALTERATION_STEMS):
        return
    for m in _GENE_FIRST.finditer(text, start, end):
        yield _Written(Span(*m.span("gene")), Span(*m.span("change")), m.end())
    for m in _GENE_AFTER.finditer(text, start, end):
        if _CASED.fullmatch(m.group("gene")):
            yield _Written(Span(*m.span("gene")), Span(*m.span("change")), m.end())


def alteration_tests(text: str, spans: Iterable[Span], hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) with each gene named with an alteration in ``spans`` made one
    uncoded lab-test hit over the gene's symbol, and every hit inside the words dropped."""
    found = [w for span in spans for w in _written(text, span.start, span.end)]
    if not found:
        return hits
    covered = [(min(w.gene.start, w.change.start), w.end) for w in found]
    kept = [h for h in hits if not any(lo < h.end and h.start < hi for lo, hi in covered)]
    tests = {(w.gene.start, w.gene.end) for w in found}
    genes = [Hit(lo, hi, MentionKind.LAB_TEST, ()) for lo, hi in tests]
    return sorted([*kept, *genes], key=lambda h: (h.start, h.end))


def alteration(text: str, start: int, end: int, floor: int,
               limit: int) -> tuple[Result, int] | None:
    """The alteration a gene named at ``text[start:end]`` is written with (its result), and
    where the words end, between ``floor`` and ``limit``; None for any other test."""
    if not mentions_any(text, max(floor, start - 120), limit, _ALTERATION_STEMS):
        return None
    m = _GENE_FIRST.match(text, start, limit)
    if m is not None and m.end("gene") == end:
        return Result(m.group("change"), Span(*m.span("change"))), m.end()
    for m in _GENE_AFTER.finditer(text, max(floor, start - 120), min(limit, end + 8)):
        if m.span("gene") == (start, end):
            return Result(m.group("change"), Span(*m.span("change"))), m.end()
    return None
