"""How the patient's course went after an operation or a transplant: "the postoperative
course was uneventful", "postoperative recovery was mainly uneventful".

Case reports close most treatments with such a sentence. It is an assessment of the
patient after the event (an Observation, https://hl7.org/fhir/R4/observation.html: "clinical
assessment tools"), named by the words for the course and valued by the word for how it
went, as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fhirsvc.extract import scan
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Result, Span

_COURSE = re.compile(
    r"\b(?P<name>(?:post-?operative|post-?transplant(?:ation)?|post-?procedur(?:e|al)|"
    r"post-?partum|hospital|clinical|subsequent)\s+(?:course|recovery|period|stay))\s+"
    r"(?:(?:was|were|has been|had been|remained|is)\s+)(?:(?:mainly|mostly|largely|initially|"
    r"completely|entirely|otherwise|relatively|fairly)\s+)?"
    r"(?P<value>uneventful|uncomplicated|unremarkable|inconspicuous|smooth|favou?rable|"
    r"satisfactory|good|excellent|complicated|eventful|prolonged|difficult|stormy)\b",
    re.IGNORECASE,
)


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, value, no concepts) of each statement of a course in ``text[start:end]``."""
    if not scan.mentions_any(text, start, end, ("course", "recovery", "period", "stay")):
        return
    for m in _COURSE.finditer(text, start, end):
        value = Span(m.start("value"), m.end("value"))
        name = Span(m.start("name"), m.end("name"))
        yield name, m.group("name"), Result(m.group("value"), value), ()
