"""Care not given, or stopped: why a procedure or drug the text names did not happen.

ConText (``context.py``) decides *whether* a procedure or treatment was not done; this
module says *why* ("refused", "contraindicated", "deferred"…), for ``statusReason``, and
finds two things ConText's fixed phrases cannot:

* a test denied by "no" with a verb of doing after it ("No biopsy was performed"): "no"
  alone never negates a test ("no mass on CT" tells of a CT done), but "no X was
  performed" says X was not done;
* care a sentence proposes and the next one refuses ("Surgery was offered. The patient
  declined."): not done, refused;
* a drug or treatment that was given and then stopped or withheld ("heparin was
  discontinued", "discontinuation of tacrolimus"): asserted, but no longer going on
  (https://hl7.org/fhir/R4/valueset-medication-admin-status.html ``stopped``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Halt, Mention, MentionKind, Span

#: "(of the lesion) was performed": a verb of doing after a test, up to four words between.
_DONE_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,4}?\s+(?:was|were|has been|have been|had been|is|are)\s+(?:ever\s+)?"
    r"(?:performed|done|obtained|carried out|undertaken|attempted|conducted|taken|sent|"
    r"required|needed|necessary|indicated|repeated|available)\b",
    re.IGNORECASE,
)
#: Words that say why care was not given, most specific first; searched near the mention.
_REASONS = (
    (Halt.REFUSED, re.compile(
        r"\b(?:refus\w*|declin\w*|decided against|opted against|chose not|elected not)\b",
        re.IGNORECASE)),
    (Halt.CONTRAINDICATED, re.compile(r"\bcontra-?indicat\w*", re.IGNORECASE)),
    (Halt.DEFERRED, re.compile(r"\b(?:deferred|postponed)\b", re.IGNORECASE)),
    (Halt.NOT_POSSIBLE, re.compile(
        r"\b(?:could not be|not feasible|not possible|impossible|unable to|difficult to|"
        r"(?:failed|unsuccessful) (?:\w+ ){0,2}attempts?)\b", re.IGNORECASE)),
    (Halt.NOT_NEEDED, re.compile(
        r"\b(?:not (?:necessary|needed|required|indicated)|unnecessary|no need)\b", re.IGNORECASE)),
    (Halt.STOPPED, re.compile(r"\b(?:discontinu\w*|stopped|withheld|withdrawn)\b",
                              re.IGNORECASE)),
)
#: How far from the mention a reason word may stand, in characters.
_REASON_REACH = 60
_STOP_VERBS = r"(?:discontinued|stopped|withheld|withdrawn|held|ceased|suspended|interrupted)"
#: "X (therapy) was (then) discontinued": the words right after a stopped treatment.
_STOPPED_AFTER = re.compile(
    r"(?:\s+(?:therapy|treatment|infusion|administration))?\s+(?:was|were|had been|has been|is)"
    rf"\s+(?:then\s+|subsequently\s+|therefore\s+|immediately\s+|temporarily\s+)?{_STOP_VERBS}\b",
    re.IGNORECASE)
#: "discontinued (the) X", "discontinuation of X": the words right before a stopped treatment.
_STOPPED_BEFORE = re.compile(
    r"\b(?:discontinu\w+|stopped|withheld|withdrew|withdrawal|cessation|ceased|suspended|"
    r"interrupted|held)(?:\s+of)?(?:\s+(?:the|his|her|their|all))?\s+\Z",
    re.IGNORECASE)

#: An exception right before a drug: what is said of the rest is not said of it.
_EXCEPTED = re.compile(
    r"\b(?:except(?:\s+for)?|other than|apart from|besides|but)(?:\s+[\w-]+){0,3}\s+\Z",
    re.IGNORECASE)


def denied_test(text: str, span: Span, found: list[context.Trigger], ctx: Context) -> Context:
    """The context of a test that a negation trigger reaches and a verb of doing follows
    ("No biopsy was performed", "no cultures of the fluid were obtained"): not done. Any
    other test keeps ``ctx`` (a negation trigger alone denies a finding, not the test)."""
    if ctx.negated or not _DONE_AFTER.match(text, span.end):
        return ctx
    if not context.assess(text, span, found).negated:
        return ctx
    return replace(ctx, negated=True, not_done=True)


def halt(text: str, span: Span, sentence: Span, ctx: Context) -> Halt | None:
    """Why the care at ``span`` was not given (for a mention ConText says was not done: the
    reason word nearest it in its sentence), or :data:`Halt.STOPPED` for care given and then
    stopped; None when the text says neither."""
    if ctx.not_done:
        return _reason(text, span, sentence)
    before = max(sentence.start, span.start - 40)
    if _EXCEPTED.search(text, before, span.start):
        return None  # "all drugs except metoprolol were discontinued"
    if _STOPPED_AFTER.match(text, span.end) or _STOPPED_BEFORE.search(text, before, span.start):
        return Halt.STOPPED
    return None


def _reason(text: str, span: Span, sentence: Span) -> Halt | None:
    start = max(sentence.start, span.start - _REASON_REACH)
    end = min(sentence.end, span.end + _REASON_REACH)
    best: tuple[int, Halt] | None = None
    for reason, pattern in _REASONS:
        for match in pattern.finditer(text, start, end):
            distance = span.start - match.end() if match.end() <= span.start \
                else max(0, match.start() - span.end)
            if best is None or distance < best[0]:
                best = (distance, reason)
    return best[1] if best else None


#: A refusal: a subject, then a verb of refusing, then the clause's end or what is refused
#: ("The patient declined", "However, her family refused this option"); not a course ("she
#: declined rapidly").
_REFUSAL = re.compile(
    r"\W*(?:(?:however|but|unfortunately|ultimately|eventually|finally),?\s+)?"
    r"(?:the\s+patient|he|she|they|(?:the|his|her|their)\s+(?:family|parents|relatives))"
    r"(?:\s+(?:and\s+(?:his|her|their)\s+(?:family|parents|wife|husband)|\w+ly))?"
    r"\s+(?:declined|refused|decided\s+against|opted\s+against|chose\s+not\s+to)\b"
    r"(?=\s*(?:[.,;!]|\Z|(?:it|this|that|them|these|those|the|any|all|further|to|consent)\b))",
    re.IGNORECASE)
#: The most words a refusal of what the sentence before proposed has.
_REFUSAL_WORDS = 12
_CARE = (MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.THERAPEUTIC_PROCEDURE,
         MentionKind.MEDICATION)


def refuses_proposal(text: str, sentence: Span, found: Sequence[Mention]) -> bool:
    """Whether a sentence refuses what the sentence before it proposed ("Surgery was offered.
    The patient declined."): it opens with a subject and a verb of refusing, is short, and
    names no care of its own (what it names, "she refused chemotherapy", is what it refuses)."""
    return (bool(_REFUSAL.match(text, sentence.start, sentence.end))
            and not any(m.kind in _CARE for m in found)
            and len(text[sentence.start : sentence.end].split()) <= _REFUSAL_WORDS)


def refused(mention: Mention) -> Mention:
    """A mention of care the sentence before a refusal proposed (:func:`refuses_proposal`):
    the patient's, hypothetical (offered, advised, planned), now not done, refused; any other
    mention is returned as it is."""
    ctx = mention.context
    if (mention.kind not in _CARE or not ctx.hypothetical
            or ctx.experiencer is not Experiencer.PATIENT):
        return mention
    return replace(mention, halt=Halt.REFUSED, context=replace(
        ctx, hypothetical=False, uncertain=False, negated=True, not_done=True))
