"""Tumour stage and grade as written: "stage IIA", "T1bN1", "pT3N0M1", "Grade 3".

A stage or grade is a result of the staging of a disease (an Observation: FHIR R4 lists
cancer staging among its uses, https://hl7.org/fhir/R4/observation.html#usage). The
words name it: "stage" or "grade" with the stage or grade written after it as its value;
a TNM classification (AJCC/UICC: T, N and M categories with an optional c/p/y prefix)
is its own name and value.

A stage written right beside a disorder's name, in the same clause ("CKD stage 3",
"stage IIIA non-small cell lung cancer", "colon cancer, stage IV", "grade 2 astrocytoma"),
is that disorder's stage: :func:`link` gives the finding its :class:`Staging`, so the
Condition carries it (``Condition.stage``) and the Observation says what it stages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from fhirsvc.extract import phrases, scan
from fhirsvc.extract.phrases import Phrase
from fhirsvc.model import CONDITION_KINDS, Mention, MentionKind, Result, Span, Staging

#: A TNM classification: T category, then N, then an optional M ("T4aN1M0", "pT3 N0 M1").
_TNM = re.compile(
    r"(?<![\w-])(?:y?[cpr])?T(?:[0-4]|is|x|X)[a-d]?\s?N(?:[0-3]|x|X)[a-c]?(?:\s?M(?:[01]|x|X)[a-c]?)?(?![\w-])"
)
#: "stage IIA", "stage of IVA", "stage 3b", "grade 3" (a murmur's "grade 2/6" is a grade
#: too), and the functional classes of heart failure and anaesthesia risk ("NYHA class III",
#: "ASA class 2").
_STAGE = re.compile(
    r"\b(?P<name>[Ss]tage|[Gg]rade|(?:NYHA|Killip|ASA|WHO|[Ff]unctional)\s+(?:functional\s+)?class)\s+(?:of\s+)?"
    r"(?P<value>(?:IV|I{1,3}|V)[A-Ca-c]?\d?|[0-5][A-Ca-c]?(?:/[46])?)(?![\w/-])"
)
#: Words every ``_STAGE`` match holds (lower case): most sentences have none.
_STAGE_WORDS = ("stage", "grade", "class")
#: The T and N categories every ``_TNM`` match holds; it begins with a capital T, so the
#: engine skips from one T to the next instead of trying ``_TNM``'s look-behind everywhere.
_TNM_CORE = re.compile(r"T(?:[0-4]|is|x|X)[a-d]?\s?N")


def found(text: str, start: int, end: int) -> Iterator[Phrase]:
    """(span, name, value, no concepts) of each stage, grade and TNM classification in
    ``text[start:end]`` that the words before it do not deny."""
    if scan.mentions_any(text, start, end, _STAGE_WORDS):
        for m in _STAGE.finditer(text, start, end):
            if phrases.denied(text, start, m.start()):
                continue  # "no stage IV disease"
            value = Span(m.start("value"), m.end("value"))
            name = Span(m.start("name"), m.end("name"))
            yield name, m.group("name"), Result(m.group("value"), value), ()
    if not _TNM_CORE.search(text, start, end):
        return
    for m in _TNM.finditer(text, start, end):
        if phrases.denied(text, start, m.start()):
            continue
        span = Span(m.start(), m.end())
        yield span, m.group(), Result(m.group(), span), ()


#: What may stand between a disorder's name and the stage written after it: "CKD stage 3",
#: "colon cancer, stage IV", "CKD (stage 3)", "breast cancer - grade 2".
_AFTER_DISORDER = re.compile(r"\s*(?:[,(:]|\s[-\u2013]\s)?\s*\Z")
#: What may stand between a stage and the disorder's name after it: "stage IV colon cancer".
_BEFORE_DISORDER = re.compile(r"\s+\Z")


def _extent(mention: Mention) -> Span:
    """The whole phrase: the name and the value written after it ("stage IV")."""
    result = mention.result
    end = max(mention.span.end, result.span.end) if result is not None else mention.span.end
    return Span(mention.span.start, end)


def _beside(text: str, phrase: Span, disorders: list[Mention]) -> Mention | None:
    """The disorder whose name follows the phrase directly ("stage IV colon cancer"), else the
    one whose name it directly follows ("CKD stage 3", "colon cancer, stage IV")."""
    for d in disorders:
        if d.span.start >= phrase.end and _BEFORE_DISORDER.match(text, phrase.end, d.span.start):
            return d
    for d in disorders:
        if d.span.end <= phrase.start and _AFTER_DISORDER.match(text, d.span.end, phrase.start):
            return d
    return None


#: What may join the phrases of one staging written together: "stage IV (pT3N0M1)",
#: "pT2N1M0, stage IIB", "stage II, grade 3", "T2N0M0/stage I".
_JOINED = re.compile(r"\s*(?:[,;(/]|\s(?:and|with)\s)?\s*")


def _groups(text: str, stages: list[Mention]) -> list[tuple[Span, list[Mention]]]:
    """The stage phrases written together (:data:`_JOINED`), in text order, each run with its
    extent (taking the closing parenthesis of one it opened): the stage, TNM and grade of one
    disorder, so one disorder beside the run is theirs, not only the nearest phrase's."""
    runs: list[tuple[Span, list[Mention]]] = []
    for m in sorted(stages, key=lambda s: s.span.start):
        phrase = _extent(m)
        if runs and runs[-1][0].end <= phrase.start \
                and _JOINED.fullmatch(text, runs[-1][0].end, phrase.start):
            runs[-1] = (Span(runs[-1][0].start, phrase.end), [*runs[-1][1], m])
        else:
            runs.append((phrase, [m]))
    return [(_closed(text, span), members) for span, members in runs]


def _closed(text: str, span: Span) -> Span:
    """``span`` with the parenthesis right after it when the span opened it."""
    words = text[span.start:span.end]
    if words.count("(") > words.count(")") and text.startswith(")", span.end):
        return Span(span.start, span.end + 1)
    return span


#: A functional class ("NYHA class II", "Killip class III", "WHO functional class IV"):
#: it grades the patient's disease (heart failure, a myocardial infarction, pulmonary
#: hypertension), never a finding such as "asymptomatic" or "dyspnoea" that describes
#: what the class means.
_CLASS = re.compile(r"(?:NYHA|Killip|WHO|[Ff]unctional)\s")


def _graded(text: str, phrase: Span, name: str, disorders: list[Mention]) -> Mention | None:
    """The disorder a run of stage phrases stages: for a functional class, the disease (a
    disorder, not a finding) of its sentence nearest before it, else after it; otherwise
    the one beside it (:func:`_beside`)."""
    if _CLASS.match(name):
        diseases = [d for d in disorders if d.kind is MentionKind.DISORDER]
        before = [d for d in diseases if d.span.end <= phrase.start]
        after = [d for d in diseases if d.span.start >= phrase.end]
        if before or after:
            return before[-1] if before else after[0]
    return _beside(text, phrase, disorders)


def link(text: str, mentions: list[Mention], stages: list[Mention]) -> list[Mention]:
    """``mentions`` of one sentence, each of ``stages`` (those :func:`found` read) written
    beside a disorder's name given that disorder as its :class:`Staging` (the phrase's
    words, as written, its summary). Phrases written together ("stage IV (pT3N0M1)") stage
    the same disorder (:func:`_groups`); a functional class stages the disease it grades
    (:func:`_graded`). A
    finding's grade is its grade too ("a grade 2/6 systolic murmur"), and an open terminology
    may call a disease a finding (a phenotype), so both kinds of condition count."""
    disorders = [m for m in mentions if m.kind in CONDITION_KINDS]
    if not disorders or not stages:
        return mentions
    staged: dict[int, Staging] = {}
    for run, members in _groups(text, stages):
        for m in members:
            disorder = _graded(text, run, m.text, disorders)
            if disorder is not None:
                phrase = _extent(m)
                staged[id(m)] = Staging(disorder.span, disorder.text,
                                        text[phrase.start:phrase.end])
    return [replace(m, staging=staged[id(m)]) if id(m) in staged else m for m in mentions]


def stated_in(words: str) -> str | None:
    """The stage a disorder's own name states, as written ("stage 4" of "stage 4 chronic
    kidney disease", a term the lexicon knows whole, so no stage finding stands beside it)."""
    for span, _name, result, _concepts in found(words, 0, len(words)):
        if result is not None:
            return words[span.start:max(span.end, result.span.end)]
    return None
