"""What a microscopic examination says of cells and their parts: "hyperchromatic nuclei",
"scant cytoplasm", "the nuclei were vesicular", "pleomorphic tumour cells".

A pathology report describes a specimen feature by feature; each description is a result of
the examination (an Observation named by the feature, valued by the words that describe it,
https://hl7.org/fhir/R4/observation.html). The features are the parts of a cell a
pathologist judges (nucleus, nucleoli, cytoplasm, chromatin) and the cells themselves; the
descriptions are the standard terms of cytomorphology. A feature named with no such
description ("the nuclei") is no result, and neither is a denied one ("no atypical cells",
"without pleomorphic nuclei"): the text says the cells were not so, not that they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fhirsvc.extract import phrases, scan
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Result, Span

#: Terms that describe a nucleus, its nucleoli or chromatin, or a cell's cytoplasm.
_PART_TERMS = (
    "hyperchromatic|hypochromatic|pleomorphic|atypical|vesicular|irregular|enlarged|"
    "prominent|inconspicuous|eccentric|bizarre|giant|convoluted|cleaved|indented|"
    "scant|scanty|abundant|eosinophilic|basophilic|amphophilic|clear|granular|vacuolated|"
    "foamy|coarse|fine|dispersed|clumped"
)
#: Terms that describe the cells as a whole (not a cell type: "spindle", "round").
_CELL_TERMS = "pleomorphic|atypical|bizarre|anaplastic|dysplastic|non-organized|disorganized"
_PARTS = r"nuclei|nucleus|nucleoli|nucleolus|cytoplasm|chromatin"


def _described(terms: str) -> str:
    """A run of ``terms`` joined by commas, "and" or spaces, as the group ``value``."""
    return rf"\b(?P<value>(?:(?:{terms})(?:\s*,\s*|\s+and\s+|\s+))+?)"


#: Descriptions joined before a feature: "hyperchromatic, pleomorphic nuclei".
_BEFORE = re.compile(rf"{_described(_PART_TERMS)}(?P<name>{_PARTS})\b", re.IGNORECASE)
_CELLS_BEFORE = re.compile(
    rf"{_described(_CELL_TERMS)}(?:(?:tumou?r|neoplastic|epithelial|malignant)\s+)?"
    r"(?P<name>cells)\b", re.IGNORECASE)
#: A feature, then what it was: "the nuclei were vesicular".
_AFTER = re.compile(
    rf"\b(?P<name>{_PARTS})\s+(?:was|were|is|are|appeared)\s+(?:(?:markedly|mildly|slightly|"
    rf"very)\s+)?(?P<value>(?:{_PART_TERMS})(?:(?:\s*,\s*|\s+and\s+)(?:{_PART_TERMS}))*)\b",
    re.IGNORECASE)
_TERM = re.compile(rf"\b(?:{_PART_TERMS}|{_CELL_TERMS})\b", re.IGNORECASE)
#: Words every match holds (lower case): most sentences have none.
_CUES = ("nucle", "cytoplasm", "chromatin", "cells")


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, feature, description, no concepts) of each described feature in
    ``text[start:end]``: one result per description, the first at the feature's words, the
    others at their own (as a test's later values are)."""
    if not scan.mentions_any(text, start, end, _CUES):
        return
    for pattern in (_BEFORE, _CELLS_BEFORE, _AFTER):
        for m in pattern.finditer(text, start, end):
            if phrases.denied(text, start, m.start()):
                continue
            name = Span(m.start("name"), m.end("name"))
            terms = list(_TERM.finditer(text, m.start("value"), m.end("value")))
            for k, term in enumerate(terms):
                value = Span(term.start(), term.end())
                yield (name if k == 0 else value), m.group("name"), \
                    Result(term.group(), value), ()
