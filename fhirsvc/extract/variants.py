"""A genetic variant is a finding of the patient only with its gene: "a BRCA1 mutation".

"Mutations", "a variant", "no mutation was detected" say that a test looked for or found
some change, in no gene the sentence names: no problem of the patient a Condition could
state (https://www.hl7.org/fhir/R4/condition.html). Named with its gene, before it ("JAK2
V617F mutation", "EGFR exon 19 deletion") or after it ("a pathogenic variant in MLH1"), or
with the chromosome band it lies in ("a deletion at 4q35.1"), the variant is a finding, and
its mention holds the gene's name written before it; a gene's variant is then read as the
result of the gene's test (:mod:`fhirsvc.extract.genes`), a band's stays a finding.
"""

from __future__ import annotations

import re

from fhirsvc.terminology.lexicon import Hit

#: The concept of a variant named by its kind alone (``mappings/conditions.tsv``).
VARIANT = "cond:mutation"
#: A gene's symbol: capitals and digits ("BRCA1", "KRAS", "FLT3-ITD"), not a nucleic acid.
_GENE = r"(?!(?:DNA|RNA|mtDNA)\b)[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]+)?"
#: A chromosome's band ("4q35.1", "chromosome 22q11.2"): where a deletion lies.
_LOCUS = r"(?:chromosome\s+)?(?:\d{1,2}|X|Y)[pq]\d+(?:\.\d+)*"
#: Words between a gene and its variant's kind: the change ("V617F", "p.R132H", "c.35delG"),
#: its place ("exon 19"), or "gene".
_BETWEEN = r"(?:\s+(?:gene|exon\s+\d+|[pc]\.\S+|[A-Z]\d+[A-Z*]|\d+[A-Za-z>_]+\w*))*"
_GENE_BEFORE = re.compile(rf"(?<![\w.-])(?:{_GENE}|{_LOCUS}){_BETWEEN}[\s-]+$")
_GENE_AFTER = re.compile(rf"\s+(?:in|of|at|on|within|affecting)\s+(?:the\s+)?"
                         rf"(?:exon\s+\d+\s+of\s+(?:the\s+)?)?(?:{_GENE}|{_LOCUS})\b")


def named_variants(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` with each variant named by its kind alone left out, and each named with its
    gene reaching over the gene's name before it."""
    out: list[Hit] = []
    for hit in hits:
        if VARIANT not in hit.concepts:
            out.append(hit)
            continue
        before = _GENE_BEFORE.search(text, max(0, hit.start - 60), hit.start)
        if before is not None:
            out.append(Hit(before.start(), hit.end, hit.kind, hit.concepts))
        elif _GENE_AFTER.match(text, hit.end) is not None:
            out.append(hit)
    return out
