"""A test of blood named with another specimen is another test: "urine creatinine".

LOINC codes a test by what it measures and in what specimen: creatinine in serum (2160-0)
and creatinine in urine (2161-8) are different tests, as are glucose in plasma and in
cerebrospinal fluid. A report names the other specimen before the test ("urine sodium",
"CSF glucose", "pleural fluid LDH") or after it ("protein in the CSF"): where the lexicon
knows no name for the whole (``mappings/lab_tests.tsv``), the test is the words as written,
without the blood test's code (https://www.hl7.org/fhir/R4/observation.html: code.text only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fhirsvc.model import MentionKind
from fhirsvc.terminology.concepts import Concept
from fhirsvc.terminology.lexicon import Hit

#: The body fluids a test's name most often begins with ("serum copper", "urinary citrate"):
#: no part of the name.
FLUIDS = r"serum|plasma|blood|urine|urinary"
#: A specimen that is no blood, serum or plasma.
_SPECIMEN = (r"(?:urine|urinary|CSF|cerebrospinal\s+fluid|spinal\s+fluid|(?:pleural|ascitic|"
             r"peritoneal|synovial|pericardial|joint|cyst)\s+fluid|stool|fecal|faecal|sweat|"
             r"saliva|sputum)")
_BEFORE = re.compile(rf"(?<![\w-]){_SPECIMEN}\s+$", re.IGNORECASE)
_AFTER = re.compile(rf"\s+(?:in|of)\s+(?:the\s+)?{_SPECIMEN}\b", re.IGNORECASE)
#: A test's specimen, as its LOINC display names it, when it is blood, serum or plasma.
_BLOOD = re.compile(r"\bin (?:Serum|Plasma|Blood|Arterial blood|Venous blood|"
                    r"Platelet poor plasma)\b")


def _of_blood(hit: Hit, concepts: Mapping[str, Concept]) -> bool:
    return any(key in concepts and _BLOOD.search(concepts[key].display) is not None
               for key in hit.concepts)


def other_specimens(text: str, hits: list[Hit], concepts: Mapping[str, Concept]) -> list[Hit]:
    """``hits`` with each test of blood that another specimen's name is written beside
    ("urine sodium", "glucose in the CSF") made a test of its own words, uncoded."""
    out: list[Hit] = []
    for hit in hits:
        if out and hit.end <= out[-1].end and not out[-1].concepts \
                and out[-1].kind is MentionKind.LAB_TEST:
            continue  # the specimen's own hit, inside the test's words now
        if hit.kind is MentionKind.LAB_TEST and _of_blood(hit, concepts):
            before = _BEFORE.search(text, max(0, hit.start - 30), hit.start)
            after = _AFTER.match(text, hit.end)
            if before is not None or after is not None:
                hit = Hit(before.start() if before else hit.start,
                          after.end() if after else hit.end, hit.kind, ())
                while out and out[-1].start >= hit.start:
                    out.pop()  # "urine" before "urine sodium" named by itself
        out.append(hit)
    return out
