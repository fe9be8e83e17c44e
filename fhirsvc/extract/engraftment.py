"""Engraftment and chimerism after a transplant: a finding about the patient, read as a result.

After a stem cell, marrow or cord blood transplant, reports state whether the donor's
cells took over: "full donor chimerism", "100% donor chimerism", "mixed chimerism in
the T cells", "engraftment was achieved on day 21", or in plain words "donor cells
completely replaced the recipient's cells". Each is one Observation of the patient
(the donor's cells are in the patient), named by the words the text uses ("donor
chimerism", "engraftment"; plain words name it ``donor cell engraftment``) with the
degree or outcome as written as its value. No code system entry for donor chimerism
could be verified (see ``tests/terminology``), so the Observation carries ``code.text``
only. Chimerism is the proportion of donor cells found by a test
(https://hl7.org/fhir/R4/observation.html: a measured or asserted property of the patient).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fhirsvc.extract import scan, values
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Result, Span

#: How complete the donor's share is, written before the name ("full donor chimerism").
_DEGREE = (r"(?:full|complete|mixed|partial|split|stable|sustained|successful|durable|"
           r"prompt|rapid|delayed|poor|\d+(?:\.\d+)?\s?%)")
#: Cell lines a chimerism or an engraftment is stated of ("T-cell chimerism").
_LINEAGE = (r"(?:T[- ]cell|B[- ]cell|myeloid|lymphoid|neutrophil|platelet|trilineage|"
            r"granulocyte|peripheral blood|bone marrow|whole blood)")
#: The name, after an optional degree, "donor" and cell line. Not a test's name
#: ("chimerism analysis"), a disorder ("engraftment syndrome") or a failure.
_NAMED = re.compile(
    rf"(?:(?P<degree>{_DEGREE})\s+)?(?P<name>(?:(?:donor(?:[- ]derived)?|{_LINEAGE})\s+)*"
    r"(?:chimerism|chimaerism|engraftment))\b"
    r"(?!\s+(?:analysis|analyses|study|studies|test|tests|testing|assay|syndrome|failure|"
    r"failed|was not|did not))",
    re.IGNORECASE,
)
#: An outcome written after the name ("engraftment was achieved", "chimerism of 98%").
_OUTCOME_AFTER = re.compile(
    r"\s*(?:(?:was|were|is|are|had been|has been|have been)\s+)?(?:(?:also|then|later)\s+)?"
    rf"(?P<outcome>(?:of\s+)?\d+(?:\.\d+)?\s?%|{_DEGREE}|achieved|confirmed|documented|"
    r"observed|demonstrated|established|attained|occurred|obtained|maintained|detected)\b",
    re.IGNORECASE,
)
#: Plain words: the donor's cells took the place of the patient's own.
_REPLACED = re.compile(
    r"\bdonor(?:[- ]derived)?\s+(?:(?:stem|hematopoietic|haematopoietic|blood|marrow|bone marrow|"
    r"healthy|normal)\s+)*(?:cells|hematopoiesis|haematopoiesis|marrow)\b"
    r"[^.;]{0,40}?\b(?P<outcome>(?:(?:completely|fully|entirely|totally|partially|largely|"
    r"gradually)\s+)?(?:had\s+|have\s+)?(?:replaced|repopulated|reconstituted|engrafted))\b",
    re.IGNORECASE,
)
PLAIN_NAME = "donor cell engraftment"


def _result(text: str, start: int, end: int) -> Result:
    """The outcome as written: a share in per cent is a quantity, words are kept as words."""
    written = text[start:end]
    number = re.match(r"(?:of\s+)?(\d+(?:\.\d+)?)\s?%$", written, re.IGNORECASE)
    if number:
        at = start + number.start(1)
        found = values.parse_quantity(text, at, {"%": "%"}, end)
        if found is not None:
            return found
    return Result(written, Span(start, end))


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span of the finding, its name, its outcome, no concepts) in ``text[start:end]``."""
    if not scan.mentions_any(text, start, end, ("chim", "engraft", "donor")):
        return  # most sentences: nothing to look for
    for m in _NAMED.finditer(text, start, end):
        if m.group("degree"):
            outcome: Result | None = _result(text, m.start("degree"), m.end("degree"))
        else:
            after = _OUTCOME_AFTER.match(text, m.end(), end)
            outcome = _result(text, after.start("outcome"), after.end("outcome")) if after else None
        yield Span(m.start("name"), m.end("name")), m.group("name"), outcome, ()
    for m in _REPLACED.finditer(text, start, end):
        yield (Span(m.start(), m.end()), PLAIN_NAME,
               _result(text, m.start("outcome"), m.end("outcome")), ())
