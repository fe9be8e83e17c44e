"""How the patient's course went: after an operation or a transplant ("the postoperative
course was uneventful", "an uneventful postoperative recovery", "she recovered
uneventfully"), and the patient's condition as a whole ("her general condition
deteriorated", "his neurological status stabilized").

Case reports close most treatments and most turns of an illness with such a sentence. It
is an assessment of the patient (an Observation, https://hl7.org/fhir/R4/observation.html:
"clinical assessment tools"), named by the words for the course or the condition and
valued by the word for how it went, as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fhirsvc.extract import scan
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import Result, Span

#: What names a course when a word says which one ("postoperative course").
_KIND = (r"(?:post-?operative|post-?transplant(?:ation)?|post-?procedur(?:e|al)|"
         r"post-?partum|hospital|clinical|subsequent)")
_COURSE_NAME = rf"{_KIND}\s+(?:course|recovery|period|stay)"
#: The words for how a course went, after it ("was uneventful") or before it ("an
#: uneventful course"; there also how fast or how far: "a slow recovery", "a full recovery").
_COURSE_VALUE = (r"uneventful|uncomplicated|unremarkable|inconspicuous|smooth|favou?rable|"
                 r"satisfactory|good|excellent|complicated|eventful|prolonged|difficult|stormy")
_COURSE_VALUE_BEFORE = rf"{_COURSE_VALUE}|slow|rapid|quick|full|complete|gradual|prompt"
_POSSESSIVE = r"(?:the|his|her|their|its|(?:the\s+)?patient[\u2019']s)"

_COURSE = re.compile(
    rf"(?:\b(?P<name>{_COURSE_NAME})|\b{_POSSESSIVE}\s+(?P<bare>course|recovery))\s+"
    r"(?:(?:was|were|has been|had been|remained|is)\s+)(?:(?:mainly|mostly|largely|initially|"
    r"completely|entirely|otherwise|relatively|fairly)\s+)?"
    rf"(?P<value>{_COURSE_VALUE})\b",
    re.IGNORECASE,
)
#: "an uneventful postoperative course", "a slow and uneventful recovery": the words before
#: the course judge it (both words, as written, are its value). Not "a full recovery of renal
#: function": that judges the function.
_COURSE_AFTER = re.compile(
    rf"\b(?P<value>{_COURSE_VALUE_BEFORE})(?:\s*(?:,|and)\s*(?P<second>{_COURSE_VALUE_BEFORE}))?"
    rf"\s+(?P<name>(?:{_KIND}\s+)?(?:course|recovery))\b(?!\s+(?:of|in)\b)",
    re.IGNORECASE,
)
#: Who recovers when the patient's course is told: the patient ("she", "the patient", "the
#: man"), not a function or an organ ("his vision recovered fully" tells how the vision went).
_PERSON = (r"(?:he|she|they|patient|(?:wo)?man|boy|girl|child|infant|baby|neonate|"
           r"mother|gentleman|lady)")
#: "She recovered uneventfully", "he recovered well", "the patient then recovered fully".
_RECOVERED = re.compile(
    rf"\b{_PERSON}\s+(?:(?:has|had|then|later|eventually|subsequently)\s+)*"
    r"(?P<name>recovered)\s+(?P<value>uneventfully|well|fully|completely|smoothly|quickly|"
    r"rapidly|slowly|gradually|promptly)\b",
    re.IGNORECASE,
)
#: The patient's condition as a whole changing or judged: "her general condition
#: deteriorated", "the patient's clinical status gradually improved", "his condition was
#: stable". Owned by a possessive: "this condition" is a disorder, not the patient's state.
_CONDITION = re.compile(
    rf"\b{_POSSESSIVE}\s+(?P<name>(?:(?:general|clinical|overall|neurological|neurologic|"
    r"respiratory|mental|hemodynamic|haemodynamic|cardiac|cardiovascular|cardiopulmonary|"
    r"renal|medical|physical|functional|nutritional)\s+)?(?:condition|status|state))\s+"
    r"(?:(?:was|had|has|have|gradually|rapidly|progressively|quickly|slowly|steadily|markedly|"
    r"significantly|further|dramatically|subsequently|then|eventually|immediately|remained|"
    r"became|continued\s+to|began\s+to|started\s+to)\s+){0,2}"
    r"(?P<value>improved|improving|improve|worsened|worsening|worsen|deteriorated|deteriorating|"
    r"deteriorate|stabili[sz]ed|stable|unstable|good|poor|fair|critical|satisfactory|"
    r"unchanged)\b",
    re.IGNORECASE,
)
_FRAGMENTS = ("course", "recover", "period", "stay", "condition", "status", "state")


def _phrase(m: re.Match[str], name: str, last: str = "value", whole: bool = False) -> Phrase:
    """The finding of one match: its ``name`` group names it, its value runs from the
    ``value`` group to the end of the ``last`` one. Its span is the name's, or the ``whole``
    match's when the value is written before the name (a lexicon may know the two words
    together, "uneventful recovery", and that mention gives way to this finding)."""
    value = Span(m.start("value"), m.end(last))
    return (Span(m.start() if whole else m.start(name), m.end(name)), m.group(name),
            Result(m.string[value.start : value.end], value), ())


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, value, no concepts) of each statement of a course or of the patient's
    condition in ``text[start:end]``."""
    if not scan.mentions_any(text, start, end, _FRAGMENTS):
        return
    for m in _COURSE.finditer(text, start, end):
        yield _phrase(m, "name" if m.group("name") else "bare")
    for m in _COURSE_AFTER.finditer(text, start, end):
        yield _phrase(m, "name", "second" if m.group("second") else "value", whole=True)
    for pattern in (_RECOVERED, _CONDITION):
        for m in pattern.finditer(text, start, end):
            yield _phrase(m, "name")
