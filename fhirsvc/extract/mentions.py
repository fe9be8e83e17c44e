"""Mentions of one sentence: lexicon hits turned into :class:`Mention` s with all they carry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from fhirsvc.extract import (
    abbreviations,
    context,
    course,
    dipstick,
    drugs,
    engraftment,
    findings,
    genes,
    halts,
    markers,
    microscopy,
    phrases,
    scales,
    scan,
    screens,
    staging,
    values,
)
from fhirsvc.extract.patients import About
from fhirsvc.model import (
    CONDITION_KINDS,
    ClinicalStatus,
    Context,
    Dosage,
    Experiencer,
    Mention,
    MentionKind,
    Qualitative,
    Result,
    Span,
    When,
)
from fhirsvc.terminology import Terminology
from fhirsvc.terminology.lexicon import Hit
from fhirsvc.terminology.units import quantity_kind, same_quantity, same_unit

_GRAFT = re.compile(r"transplant|graft|stem cell|marrow|cell|infusion|MSC|CAR", re.IGNORECASE)
_TESTS = (MentionKind.LAB_TEST, MentionKind.DIAGNOSTIC_PROCEDURE)
_TREATMENTS = (MentionKind.THERAPEUTIC_PROCEDURE, MentionKind.MEDICATION)
_PROCEDURES = (MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.THERAPEUTIC_PROCEDURE)
#: What a Procedure or MedicationAdministration states: care that may be withheld or stopped.
_CARE = (*_PROCEDURES, MentionKind.MEDICATION)
#: The phrase finders (:mod:`phrases`), in the order they claim words: those before the
#: stages, then the stages (:mod:`staging`), then those after.
_FINDERS_BEFORE_STAGES = (engraftment.found,)
_FINDERS_AFTER_STAGES = (course.found, scales.found, microscopy.found, dipstick.found)
#: Qualitative words that judge a value the text also gives ("elevated bilirubin (2.2 mg/dL)").
_JUDGEMENTS = frozenset({Qualitative.HIGH, Qualitative.LOW, Qualitative.INCREASED,
                         Qualitative.DECREASED, Qualitative.NORMAL, Qualitative.ABNORMAL})


@dataclass(frozen=True, slots=True)
class SentenceInput:
    """A sentence, who it is about, its lexicon hits and time expressions."""

    span: Span
    about: About
    hits: tuple[Hit, ...]
    times: tuple[When, ...]
    #: ConText triggers of the sentence, when already found (None: find them).
    triggers: tuple[context.Trigger, ...] | None = None


def _nearest_time(times: tuple[When, ...], span: Span) -> When | None:
    if not times:  # most sentences: no need to build the distance function
        return None

    def distance(w: When) -> int:
        return w.span.start - span.end if w.span.start >= span.end else span.start - w.span.end

    return min(times, key=distance, default=None)


def _result(text: str, hit: Hit, limit: int, floor: int, terminology: Terminology) -> Result | None:
    numeric = hit.kind is MentionKind.LAB_TEST
    if numeric and dipstick.reads(text, hit.start, hit.end):
        return None  # "2+ glucose": the strip's reading (:mod:`dipstick`), not this test's
    altered = genes.alteration(text, hit.start, hit.end, floor, limit) if numeric else None
    if altered is not None:  # "BRAF V600E mutation", unless the words deny it ("... was negative")
        stated = findings.result_after(text, altered[1], limit, terminology.units, False)
        denied = stated is not None and stated.qualitative is Qualitative.NEGATIVE
        return stated if denied else altered[0]
    if numeric:
        before = findings.share_before(text, hit.start, floor, terminology.units) or \
            findings.count_per_field(text, hit.start, hit.end, floor, terminology.units) or \
            findings.amount_before(text, hit.start, floor, terminology.units)
        if before is not None:
            return before
    end = findings.skip_charge(text, hit.start, hit.end, limit) if numeric else hit.end
    found = findings.result_after(text, end, limit, terminology.units, numeric)
    if found is not None and _counts_next(text, found, hit.end, limit, terminology.units):
        found = None  # "urinalysis showed 10-15 white blood cells per hpf": the cells' count
    if found is not None and (values.grades_next_word(text, found, limit)
                              or dipstick.grades_analyte(text, found.span.start, len(text))):
        # "urinalysis revealed 3+ proteinuria": the grade is the proteinuria's; "elevated
        # transaminases, raised markers": the test's own result is the word before it
        return values.qualitative_before(text, hit.start, floor)
    if found is None and numeric:  # "albumin deficit (2.38 g/dL)"
        found = _judged_by_noun(text, hit.end, limit, terminology)
    if found is None:  # "elevated CRP", "an abnormal chest radiograph"
        return values.qualitative_before(text, hit.start, floor)
    if found.quantity is not None:
        before = values.qualitative_before(text, hit.start, floor)
        if before is not None and (before.qualitative in _JUDGEMENTS
                                   or before.qualitative is Qualitative.POSITIVE):
            return replace(found, judged=before)  # "elevated bilirubin (2.2 mg/dL)"
    if numeric and found.qualitative in _JUDGEMENTS:
        return _value_after_judgement(text, found, limit, terminology) or found
    if found.qualitative is Qualitative.POSITIVE:
        return _titre_after(text, found, limit) or \
            _measured_reading(text, found, limit, terminology) or found
    return found


#: An opening parenthesis after a reading: what it holds may measure the reading.
_OPENS = re.compile(r"\s*\(\s*")


def _measured_reading(text: str, reading: Result, limit: int,
                      terminology: Terminology) -> Result | None:
    """The amount a positive reading gives in parentheses right after it, in a unit ("MPO-ANCA
    was positive (120 U/mL)"), keeping the reading as its judgement; None otherwise."""
    opens = _OPENS.match(text, reading.span.end, limit)
    found = values.parse_quantity(text, opens.end(), terminology.units, limit) if opens else None
    if found is None or found.quantity is None or not found.quantity.ucum:
        return None
    return replace(found, judged=reading)


def _counts_next(text: str, found: Result, end: int, limit: int, units: dict[str, str]) -> bool:
    """Whether the value after a test (whose words end at ``end``) is written right before
    the next mention, which it counts: a bare number ("urinalysis showed 10-15 white blood
    cells"), or a count or share the next mention takes as its own ("a smear showed 20%
    blasts", :func:`findings.share_before`)."""
    if limit >= len(text) or found.span.end >= limit or text[found.span.end : limit].strip():
        return False
    bare = (found.quantity is not None and found.quantity.unit_text is None) or (
        found.range is not None and found.range.low is not None
        and found.range.low.unit_text is None)
    if bare:
        return True
    shared = findings.share_before(text, limit, end, units)
    return shared is not None and shared.span == found.span


#: Between a positive result and its titre: "positive at a titre of 1:320", "positive (1:640",
#: "positive, with a titer of 1:80", "positive at 1:160".
_TITRE_GAP = re.compile(r"\s*[(,]?\s*(?:(?:at|with|in)\s+)?(?:(?:an?|the)\s+)?"
                        r"(?:(?:high|low)\s+)?(?:(?:titers?|titres?|dilutions?)\s+)?"
                        r"(?:of\s+)?", re.IGNORECASE)


def _titre_after(text: str, positive: Result, limit: int) -> Result | None:
    """The titre a positive result is followed by ("ANA was positive at a titre of 1:320"),
    keeping the positive result as the text's judgement; None when no titre follows."""
    gap = _TITRE_GAP.match(text, positive.span.end, limit)
    found = values.titre(text, gap.end() if gap else positive.span.end, limit)
    return replace(found, judged=positive) if found else None


#: A noun naming a low or high state after a test's name, then its value in parentheses
#: ("albumin deficit (2.38 g/dL)", "ejection fraction depression (40–45%)"): group ``low`` or
#: ``high``. Nouns of change ("drop", "rise", "decrease") are left out: the number after them
#: is the size of the change ("a hemoglobin drop (3 g/dL)"), not the level.
_JUDGING_NOUN = re.compile(
    r"\)?\s+(?:(?P<low>deficit|deficiency|depression)|(?P<high>elevation))\s*\(\s*",
    re.IGNORECASE)


def _judged_by_noun(text: str, end: int, limit: int, terminology: Terminology) -> Result | None:
    """The value in parentheses after a test's name and a noun that judges it, keeping the
    noun as the judgement (``LOW`` or ``HIGH``); None when no value in a known unit follows."""
    # the noun may be a mention of its own ("LVEF depression (40–45%)"), so past ``limit``
    reach = min(len(text), limit + 60)
    noun = _JUDGING_NOUN.match(text, findings.skip_alias(text, end, limit), reach)
    if noun is None:
        return None
    found = values.parse_quantity(text, noun.end(), terminology.units, reach)
    if found is None or not ((found.quantity and found.quantity.ucum)
                             or (found.range and found.range.low and found.range.low.ucum)):
        return None
    group = "low" if noun.group("low") else "high"
    judgement = Result(noun.group(group), Span(noun.start(group), noun.end(group)),
                       qualitative=Qualitative.LOW if group == "low" else Qualitative.HIGH)
    return replace(found, judged=judgement)


#: Results that state a change ("increased", "a rise"), not a level.
_CHANGES = frozenset({Qualitative.INCREASED, Qualitative.DECREASED})
#: Between a judgement and the value it judges: "normal (1.3 mmol/L", "prolonged to 53.5 s",
#: "increased, peaking at 2,300 U/L" (the highest value the change reached).
_JUDGED_GAP = re.compile(
    rf"\s*(?:\(|,)?\s*(?:(?:{findings.COURSE})\s+)?(?:(?:to|at|with|of)\s)?\s*")


#: What ends a bare number that is a judged test's value: the clause ("INR was elevated at
#: 3.2.", "high (3.2)"); a noun after it says what it counts ("elevated at 3 weeks").
_BARE_JUDGED_END = re.compile(r"\s*(?:[.;)]|,(?!\s*\d)|$)")


def _bare_judged(text: str, found: Result, gap: int) -> bool:
    """Whether a number with no unit, after a judgement and a gap of ``gap`` characters, is
    the judged test's value ("INR was elevated at 3.2", "high (3.2)"): a gap is written, and
    the number ends its clause."""
    q = found.quantity
    return q is not None and q.unit_text is None and gap > 0 and not found.components \
        and _BARE_JUDGED_END.match(text, found.span.end) is not None \
        and not 1900 <= q.value <= 2100


def _value_after_judgement(text: str, judgement: Result, limit: int,
                           terminology: Terminology) -> Result | None:
    """The value a judgement word is followed by ("lactate was normal (1.3 mmol/L)", "APTT
    was prolonged to 53.5 seconds"), keeping the judgement; None when no unit follows, or
    when the word is a noun of change: the value after "a hemoglobin drop (3 g/dL)" or "a
    creatinine rise (0.5 mg/dL)" is how much it changed, not its level."""
    if judgement.qualitative in _CHANGES and not judgement.text.lower().endswith("ed"):
        return None
    gap = _JUDGED_GAP.match(text, judgement.span.end, limit)
    at = gap.end() if gap else judgement.span.end
    found = values.parse_quantity(text, at, terminology.units, limit)
    if found is None or found.quantity is None or not (
            found.quantity.ucum or values.limit_multiple(found.quantity)
            or _bare_judged(text, found, at - judgement.span.end)):
        return None
    if found.quantity.comparator and "(" not in text[judgement.span.end : at]:
        return None  # "elevated up to 2726 U/l": a reach, which the change rules read
    return replace(found, judged=judgement)


def _drug_judged(text: str, hit: Hit, limit: int, floor: int,
                 terminology: Terminology) -> Result | None:
    """A substance's level judged (:func:`findings.drug_judged`), with the value the
    judgement is followed by ("insulin was elevated (45 µIU/mL)")."""
    judged = findings.drug_judged(text, hit.start, hit.end, limit, floor)
    if judged is None or judged.span.start < hit.end:
        return judged
    return _value_after_judgement(text, judged, limit, terminology) or judged


def _triggers(text: str, sentence: SentenceInput) -> list[context.Trigger]:
    if sentence.triggers is None:
        return context.triggers(text, sentence.span)
    return list(sentence.triggers)


def _context(text: str, span: Span, sentence: SentenceInput, triggers: list[context.Trigger],
             *, test: bool = False, treatment: bool = False, condition: bool = False,
             about: About | None = None) -> Context:
    """The context of the words at ``span``: the sentence's triggers, then who the sentence
    is about (a generic sentence makes it hypothetical, another person's their experience).
    Every mention of a sentence, lexicon hit or phrase finding, is assessed here; ``about``
    overrides whom the sentence is about (a stated result is the patient's)."""
    about = sentence.about if about is None else about
    ctx = context.assess(text, span, triggers, about_patient=about is About.PATIENT, test=test,
                         treatment=treatment, condition=condition)
    if about is About.GENERIC:
        ctx = replace(ctx, hypothetical=True)
    elif about is About.OTHER:
        ctx = replace(ctx, experiencer=Experiencer.OTHER)
    return ctx


def sentence_mentions(text: str, sentence: SentenceInput,
                      terminology: Terminology) -> list[Mention]:
    """Every mention of one sentence, with context, result, dosage, status, time, source."""
    triggers = _triggers(text, sentence)
    hits = _without_courses(text, sentence.hits)
    found: list[Mention] = []
    judging: set[Span] = set()  # nouns that judge a test's value ("LVEF depression (40%)")
    for i, hit in enumerate(hits):
        if hit.kind in CONDITION_KINDS and (Span(hit.start, hit.end) in judging
                                            or _no_finding(text, hit, triggers)):
            continue
        nxt = _next_start(text, hits, i, sentence.span.end)
        limit = min(nxt, sentence.span.end, hit.end + 80)
        floor = _floor(text, hits, i, sentence.span.start)
        span = Span(hit.start, _charged_end(text, hit, limit))
        ctx = _context(text, span, sentence, triggers,
                       test=hit.kind is MentionKind.DIAGNOSTIC_PROCEDURE,
                       treatment=hit.kind is MentionKind.THERAPEUTIC_PROCEDURE,
                       condition=hit.kind in CONDITION_KINDS)
        if hit.kind in _TESTS:
            ctx = halts.denied_test(text, span, triggers, ctx)  # "No biopsy was performed"
        details = _enrich(text, hit, span, ctx, sentence, (limit, nxt), floor, terminology)
        if details is None:
            continue
        if details.get("kind", hit.kind) in _CARE:
            details["halt"] = halts.halt(text, span, sentence.span, details["context"])
        found.append(Mention(
            kind=details.pop("kind", hit.kind), span=span,
            text=text[span.start : markers.act_phrase_end(text, span.start, span.end,
                                                            sentence.span.end)]
            if hit.kind in _PROCEDURES else text[span.start : span.end],
            concepts=details.pop("concepts", hit.concepts),
            when=_nearest_time(sentence.times, span), **details,
        ))
        judged = found[-1].result.judged if found[-1].result else None
        if judged is not None and judged.span.start >= hit.end:
            judging.add(judged.span)
        found[-1:] = _with_shared_unit([found[-1], *_later_values(
            text, found[-1], _trend_end(text, hits, i, sentence.span), terminology)])
    found = _respectively(text, _grown(text, found, sentence.span), sentence.span, terminology)
    found = _timed_values(text, found, sentence.span, terminology)
    found = screens.screened(text, found, sentence.span,
                             lambda span: _context(text, span, sentence, triggers))
    found = _list_result(text, _shared_results(text, _slashed_pair(
        text, _slashed_series(text, found, terminology), terminology)),
                         sentence.span)
    found = _panel_values(text, _one_per_value(text, _methods(text, found)))
    found = _stated_results(text, _with_reasons(text, found, sentence.span), sentence, triggers)
    found = [_denied_reading(m) for m in found]
    def assess(span: Span) -> Context:
        return _context(text, span, sentence, triggers)

    found = phrases.merge(text, sentence.span, found, _FINDERS_BEFORE_STAGES, assess)
    staged = phrases.merge(text, sentence.span, found, (staging.found,), assess)
    before = {id(m) for m in found}
    stages = [m for m in staged if id(m) not in before]  # the stage phrases merge kept
    found = phrases.merge(text, sentence.span, staged, _FINDERS_AFTER_STAGES, assess)
    return staging.link(text, found, stages)


#: A verb of a test's course, right after the test: "creatinine improved (to 1.1 mg/dL)",
#: "LVEF recovered to 50%".
_COURSE_VERB = re.compile(
    r"(?:improved|recovered|worsened|deteriorated|normali[sz]ed)(?!\S)", re.IGNORECASE)
_COURSE_GAP = re.compile(r"\s+(?:(?:levels?|values?|counts?)\s+)?(?:(?:has|have|had)\s+)?"
                         r"(?:(?:gradually|slowly|rapidly|further|markedly|significantly)\s+)?")


#: A test's value, then the clause its course verb begins ("saturation was 78%, which
#: improved to 95%").
_AFTER_VALUE = re.compile(r"[^;\d]{0,30}\d[^;]{0,20}?,?\s+(?:which|and|but|then|that)\s+"
                          r"(?:(?:then|later|subsequently|gradually|rapidly|quickly)\s+)?",
                          re.IGNORECASE)


def _without_courses(text: str, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """``hits`` without a verb of a test's course right after the test ("creatinine improved
    to 1.1 mg/dL") or after its value ("78%, which improved to 95%"): the verb tells how the
    test's value went, it names no finding of its own, and the value after it is the test's
    (:data:`findings.FILLER`, ``_later_values``). With no value, the verb is the test's
    result as a trend ("creatinine improved": better, not a value missing)."""
    if len(hits) < 2:
        return hits
    out = [hits[0]]
    for hit in hits[1:]:
        before = out[-1]
        if before.kind in _TESTS and hit.kind in CONDITION_KINDS \
                and _COURSE_VERB.fullmatch(text, hit.start, hit.end) \
                and (_COURSE_GAP.fullmatch(text, before.end, hit.start)
                     or _AFTER_VALUE.fullmatch(text, before.end, hit.start)):
            continue
        out.append(hit)
    return tuple(out)


#: Words of a state of consciousness that, followed by "to", tell of a response to a
#: treatment instead ("atrial fibrillation unresponsive to amiodarone": refractory).
_UNRESPONSIVE = frozenset({"unresponsive", "nonresponsive", "non-responsive"})
_TO_AFTER = re.compile(r"\s+to\b", re.IGNORECASE)


def _no_finding(text: str, hit: Hit, triggers: list[context.Trigger]) -> bool:
    """Whether a disorder or finding hit is words that state none: the words of a denial
    ("no symptoms of nausea" denies the nausea, it is not the finding "no symptoms"), or
    "unresponsive to" a treatment (refractory, not unconscious)."""
    if context.part_of_denial(hit.start, hit.end, triggers):
        return True
    return (text[hit.start : hit.end].lower() in _UNRESPONSIVE
            and _TO_AFTER.match(text, hit.end) is not None)


def _charged_end(text: str, hit: Hit, limit: int) -> int:
    """Where a test's name ends: an ion's charge written on its symbol is part of it ("Ca2+",
    "K+"), so the name as written keeps it."""
    return findings.skip_charge(text, hit.start, hit.end, limit) \
        if hit.kind is MentionKind.LAB_TEST else hit.end


def _methods(text: str, found: list[Mention]) -> list[Mention]:
    """A procedure named right after a test and graded ("HER2 immunohistochemistry was 3+") is
    how the test was done: the grade is the test's (a stain's intensity is its marker's), and
    the procedure keeps none. Other results stay: in "cerebrospinal fluid cultures tested
    negative" the cultures are what is negative."""
    out = list(found)
    for k in range(len(out) - 1):
        test, method = out[k], out[k + 1]
        if test.kind is MentionKind.LAB_TEST and method.kind is MentionKind.DIAGNOSTIC_PROCEDURE \
                and method.result is not None and method.result.graded \
                and test.result in (None, method.result) \
                and not text[test.span.end : method.span.start].strip():
            out[k] = replace(test, result=method.result)
            out[k + 1] = replace(method, result=None)
    return out


def _floor(text: str, hits: tuple[Hit, ...], i: int, start: int) -> int:
    """Where the words before hit ``i`` that may hold its result begin: after the hit
    before it, or at it when that hit is itself a result word ("improvement in renal
    function": a lexicon may know "improvement" as a finding)."""
    if not i:
        return start
    before = hits[i - 1]
    words = text[before.start : before.end].lower()
    return before.start if words in values.QUALITATIVE_WORDS else before.end


def _trend_end(text: str, hits: tuple[Hit, ...], i: int, sentence: Span) -> int:
    """Where the values of a trend of hit ``i`` end: at the next hit, but past a drug named
    as the time of treatment ("decreased from 115 mmol/L before ivacaftor to 40 mmol/L")."""
    for hit in hits[i + 1 :]:
        if hit.kind is not MentionKind.MEDICATION \
                or not findings.given_before(text, hit.start, sentence.start):
            return min(hit.start, sentence.end)
    return sentence.end


#: A test's next value in a trend: "94% and dropped to 92%", "45,000, then 20,000", "from
#: 1.2 L to 1.6 L", "85% on room air, improving to 93%" (when or how the first was measured
#: between), the value before ("7.2 g/dL, down from 11.5 g/dL"); after
#: the time the value was taken, only one in the same unit ("40 mmol/l after 6 weeks and 52
#: mmol/l after 41 weeks", "3.2 on admission and 1.1 at discharge").
_THEN = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?"
                   r"(?:\s+(?:on|at|in|under|with|without)\s+(?:[^\s.;,()0-9]+\s+){0,2}?"
                   r"[^\s.;,()0-9]+(?=\s*,))?,?\s*"
                   r"(?:(?:and\s+)?(?:[^\s.;,()0-9]+\s+){0,3}?to|(?:and|then|and\s+then)(?=\s+[<>≤≥]?\d))\s+"
                   r"|(?P<listed>,\s*(?:and\s+)?)(?=[<>≤≥]?\d)"
                   r"|,?\s*(?:down|up)\s+from\s+(?=[<>≤≥]?\d)"
                   r"|(?P<timed>\s+(?:after|at|by|within|in|on)\s+(?:[a-z]+\s+){0,2}?"
                   r"(?:\d+\s*(?:hours?|days?|weeks?|months?|years?)|(?:day|week|month)\s+\d+|"
                   r"admission|presentation|arrival|discharge|baseline|diagnosis|follow-up)"
                   r"\s*,?\s*(?:and\s+)?)(?=[<>≤≥]?\d)")


#: The same value in another unit, in parentheses right after the first ("99.7°F (37.6°C)").
_SAME_VALUE = re.compile(r"\s*\(\s*(?=[<>≤≥]?\s*\d)")


#: What may follow a bare number that goes on a series of a test's values ("scores of 7 and
#: 9.", "3, 5, and 8 on three mornings", "4 and 6, respectively"): punctuation, the end, "and"
#: or "or" and a number, "respectively", or a preposition. A noun after it is what the number
#: counts ("5 and 2 blood cultures were negative", "40 and 2 days later"): no test's value.
_SERIES_GOES_ON = re.compile(
    r"[ \t]*(?:[.,;:)\]\n]|$|(?:and|or)\s+[<>≤≥]?\d|"
    r"(?:respectively|on|at|in|during|after|before|over|by|from|within)\b)", re.IGNORECASE)


def _next_value(text: str, result: Result, found: Result, *, listed: bool,
                timed: bool = False) -> bool:
    """Whether ``found`` is the next value of the test ``result`` is a value of: a value in a
    known unit, or a bare number after a bare number ("Apgar scores of 7 and 9") when what
    follows it goes on the series (:data:`_SERIES_GOES_ON`); after a mere comma only one in
    the same unit ("3.1 L, 2.9 L", "scores were 5, 7, and 8"), for a comma also ends a list
    of different tests' values ("12 × 10^9/L, 80% neutrophils"). After the time the first
    value was taken, a bare number is the same test's in the same unit ("2.9 mmol/L on
    admission and 4.1 at discharge")."""
    if found.quantity is None or result.quantity is None or (
            found.quantity.unit_text is None and not _SERIES_GOES_ON.match(text, found.span.end)):
        return False
    if timed and found.quantity.unit_text is None:
        return True
    same = found.quantity.ucum == result.quantity.ucum and \
        (found.quantity.ucum is not None or found.quantity.unit_text is None)
    return same if listed else (found.quantity.ucum is not None or same)


def _with_shared_unit(series: list[Mention]) -> list[Mention]:
    """A test and its later values, the bare numbers before the first unit given that unit
    (:func:`values.share_unit`)."""
    results = [m.result for m in series]
    if len(series) < 2 or any(r is None for r in results):
        return series
    shared = values.share_unit([r for r in results if r is not None])
    return [m if r is m.result else replace(m, result=r)
            for m, r in zip(series, shared, strict=True)]


def _later_values(text: str, test: Mention, limit: int, terminology: Terminology) -> list[Mention]:
    """The further values a test reaches in the words after its first one, each a result
    of its own (read from the value, so each has its own span), up to three; and the first
    value in another unit, when the text gives it in parentheses."""
    result = test.result
    if test.kind is not MentionKind.LAB_TEST or result is None or result.quantity is None:
        return []
    later: list[Mention] = []
    same = _SAME_VALUE.match(text, result.span.end, limit)
    other = values.parse_quantity(text, same.end(), terminology.units, limit) if same else None
    if other is not None and other.quantity is not None and other.quantity.ucum and \
            other.quantity.ucum != result.quantity.ucum and text.startswith(")", other.span.end):
        later.append(replace(test, span=other.span, result=other))  # "99.7°F (37.6°C)"
    while len(later) < 3:
        gap = _THEN.match(text, result.span.end, limit)
        found = values.parse_quantity(text, gap.end(), terminology.units, limit) if gap else None
        listed = bool(gap and (gap["listed"] or gap["timed"]))
        if found is None or not _next_value(text, result, found, listed=listed,
                                           timed=bool(gap and gap["timed"])):
            break
        found = findings.with_change(text, test.span.end, found.span.start, found)
        later.append(replace(test, span=found.span, result=found))
        result = found
    return later


#: When a test was measured, between its name and its value, naming care by the way ("the
#: thyroglobulin level at 4 weeks after the completion of radiotherapy was 12 ng/mL"): a
#: preposition of time, words with no comma or clause break, then "was" or "were".
_TIMED_GAP = re.compile(
    r"(?:\s+(?:levels?|concentrations?|values?))?\s+(?:at|after|on|during|following|before|"
    r"upon|within)\s+[^,;:()]{1,100}?\s(?:was|were)\s+(?:(?:about|approximately|only)\s+)?"
    r"(?=[<>≤≥]?\d)", re.IGNORECASE)


def _timed_values(text: str, found: list[Mention], sentence: Span,
                  terminology: Terminology) -> list[Mention]:
    """A test with no result takes the value stated after the time it was measured, when
    care named in that time ends the test's own words (:data:`_TIMED_GAP`), and no other
    test is named before the value."""
    out = list(found)
    for k, m in enumerate(out):
        if m.kind is not MentionKind.LAB_TEST or m.result is not None:
            continue
        gap = _TIMED_GAP.match(text, m.span.end, sentence.end)
        if gap is None or any(o.kind in _TESTS and m.span.end <= o.span.start < gap.end()
                              for o in out):
            continue
        value = values.parse_quantity(text, gap.end(), terminology.units, sentence.end)
        if value is not None and value.quantity is not None and value.quantity.ucum:
            out[k] = replace(m, result=value)
    return out


#: The verb that gives what a culture grew ("sputum cultures grew …", "the isolate yielded …").
_GREW = re.compile(r"(?:\s*\([^()]{0,30}\))?\s+(?:(?:also|later|subsequently|repeatedly|again)\s+)?"
                   r"(?:grew|yielded|isolated|cultured|grew out)\s+(?:(?:an?|the)\s+)?")
#: An organism by its scientific name ("Haemophilus influenzae", "S. aureus") or its genus and
#: "spp." ("Candida spp."), with a resistance written before it ("methicillin-resistant").
_ORGANISM = re.compile(
    r"(?:[a-z]+-(?:resistant|susceptible|sensitive)\s+)?"
    rf"(?:[A-Z][a-z]{{2,}}\s(?:spp?\.|species\b)|{markers.SCIENTIFIC_NAME})")
#: Between two organisms a culture grew.
_ORGANISM_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)")
#: Words a sentence telling what a culture grew holds.
_GROWTH_WORDS = ("grew", "yielded", "isolated", "cultured", "positive", "grown", "recovered",
                 "identified")


#: A culture positive for its organism ("blood cultures were positive for E. coli").
_POSITIVE_FOR = re.compile(r"\s+for\s+(?:(?:an?|the)\s+)?")
#: An organism isolated from the culture named after it ("Escherichia coli was isolated from
#: blood cultures").
_ISOLATED_FROM = re.compile(
    rf"(?P<organism>{_ORGANISM.pattern})\s+(?:was|were)\s+(?:(?:also|later|again)\s+)?"
    r"(?:isolated|grown|cultured|recovered|identified)\s+(?:from|in)\s+"
    r"(?:(?:the|both|all|two|three|multiple|repeat|repeated|his|her)\s+)*$")
#: Mentions an organism's name may hold that are no fact of the patient when the organism is
#: a culture's result: a disorder ("Klebsiella"), a drug of its resistance ("methicillin").
_IN_ORGANISM = (*CONDITION_KINDS, MentionKind.MEDICATION)


def _organisms(text: str, at: int, end: int) -> list[Result]:
    """The organisms listed from ``at`` ("Haemophilus influenzae and Staphylococcus aureus"),
    each a result at its own span."""
    grown: list[Result] = []
    while (organism := _ORGANISM.match(text, at, end)) is not None:
        grown.append(Result(organism.group(), Span(organism.start(), organism.end())))
        gap = _ORGANISM_GAP.match(text, organism.end(), end)
        if gap is None:
            break
        at = gap.end()
    return grown


def _culture_grew(text: str, m: Mention, sentence: Span) -> list[Result]:
    """What the culture ``m`` grew as the sentence says it: after a verb of growth ("grew"),
    after its positive result ("positive for"), or before it ("… was isolated from")."""
    if m.kind not in _TESTS:
        return []
    cultured = "cultur" in m.text.lower()
    if m.result is None:
        verb = _GREW.match(text, m.span.end, sentence.end)
        if verb is not None and (cultured or "cultured" in verb.group()):
            return _organisms(text, verb.end(), sentence.end)
        before = _ISOLATED_FROM.search(text, max(sentence.start, m.span.start - 160),
                                       m.span.start) if cultured else None
        return [] if before is None else [
            Result(before.group("organism"), Span(*before.span("organism")))]
    if cultured and m.result.qualitative is Qualitative.POSITIVE:
        positive_for = _POSITIVE_FOR.match(text, m.result.span.end, sentence.end)
        if positive_for is not None:  # the reading stays the organism's judgement
            return [replace(r, judged=m.result)
                    for r in _organisms(text, positive_for.end(), sentence.end)]
    return []


def _grown(text: str, found: list[Mention], sentence: Span) -> list[Mention]:
    """What a culture grew is its result ("sputum cultures grew Haemophilus influenzae and
    Staphylococcus aureus"): each organism a result of its own, at its own span, the first
    on the culture's mention (a culture states its organism, https://hl7.org/fhir/R4/
    observation.html: valueCodeableConcept). A culture with a result of its own keeps it,
    unless that result is "positive for" the organism. An organism grown is the culture's
    result, no disorder of the patient: a disorder or a drug named by its words goes."""
    if not scan.mentions_any(text, sentence.start, sentence.end, _GROWTH_WORDS):
        return found  # most sentences: no culture's growth
    out: list[Mention] = []
    grown_spans: list[Span] = []
    for m in found:
        grown = _culture_grew(text, m, sentence)
        if not grown:
            out.append(m)
            continue
        out.append(replace(m, result=grown[0]))
        out += [replace(m, span=r.span, result=r) for r in grown[1:]]
        grown_spans += [r.span for r in grown]
    return [m for m in out if m.kind not in _IN_ORGANISM
            or not any(g.start <= m.span.start and m.span.end <= g.end for g in grown_spans)]


def _one_per_value(text: str, found: list[Mention]) -> list[Mention]:
    """A test named twice, its short form in parentheses beside its long form ("forced vital
    capacity (FVC) of 2.7 L"), states each value once: a mention that gives a value the
    test's other name already gave becomes a repeat of the first (its words and codes, its
    own span), so that one resource states the value and points at both names; the first
    takes the other's codes when it has none, unless the other is its short form: letters
    defined in the text mean what they stand beside there, whatever else the lexicon
    reads them as ("total lung capacity (TLC)" is no leukocyte count). A later value of the
    other name only repeats one the first gave, and goes; one the first did not reach is
    stated under the first name ("… (PPG) fell from 19 to 8 mmHg"). Only another name folds
    (:func:`_other_name`): the members of a panel in parentheses are tests of their own
    (:func:`_panel_values`)."""
    tests = [m for m in found if m.kind in _TESTS and m.result is not None]
    if len(tests) < 2:
        return found  # most sentences: nothing to fold
    name_of: dict[str, str] = {}  # the words of a short form -> the words it stands beside
    for m in tests:
        name_of.update((n.text, name_of.get(m.text, m.text))
                       for n in _named_inside(text, m, tests) if _other_name(m, n))
    if not name_of:
        return found
    out: list[Mention] = []
    given: dict[tuple[str, Span], int] = {}
    for m in found:
        key = (name_of.get(m.text, m.text), m.result.span) if m.kind in _TESTS and m.result \
            else None
        first = given.get(key) if key else None
        if first is None:
            if key:
                given[key] = len(out)
                if m.result is not None and m.span == m.result.span and key[0] != m.text:
                    m = replace(m, text=key[0])  # a later value goes under the first name
            out.append(m)
            continue
        if not out[first].concepts and not abbreviations.abbreviates(m.text, out[first].text):
            out[first] = replace(out[first], concepts=m.concepts)
        if m.result is not None and m.span != m.result.span:  # a name, not a later value
            out.append(replace(m, text=out[first].text, concepts=out[first].concepts))
    return out


def _named_inside(text: str, test: Mention, tests: list[Mention]) -> list[Mention]:
    """The ``tests`` named in parentheses right after ``test``."""
    alias = findings.ALIAS.match(text, test.span.end)
    return [] if alias is None else [n for n in tests if alias.start("alias") <= n.span.start
                                     and n.span.end <= alias.end("alias")]


def _panel_values(text: str, found: list[Mention]) -> list[Mention]:
    """A panel named with its members in parentheses ("renal function tests (urea and
    creatinine) were 9 and 1.4 mg/dL, respectively"; none of them another name of the
    panel's) gives its values to the members: the panel's name keeps no value a member
    carries, and its later values a member carries go (each would be a second resource
    stating a member's value under the panel's name)."""
    tests = [m for m in found if m.kind in _TESTS and m.result is not None]
    carried: dict[str, set[Span]] = {}  # a panel's words -> the spans of its members' values
    for m in tests:
        inside = _named_inside(text, m, tests)
        if inside and not any(_other_name(m, n) for n in inside):  # "PET/CT (FDG-PET/CT)"
            carried.setdefault(m.text, set()).update(n.result.span for n in inside if n.result)
    if not carried:
        return found  # most sentences: no panel
    out: list[Mention] = []
    for m in found:
        if m.kind in _TESTS and m.result is not None and m.result.span in carried.get(m.text, ()):
            if m.span == m.result.span:
                continue  # a later value a member carries
            m = replace(m, result=None)
        out.append(m)
    return out


def _other_name(test: Mention, inside: Mention) -> bool:
    """Whether the test named in parentheses after ``test`` is another name of it, not a
    member of a panel ``test`` names ("liver function tests (ALT and AST)"): one abbreviates
    the other ("total lung capacity (TLC)", "ALT (alanine transaminase)"), or both have the
    same codes."""
    return abbreviations.abbreviates(inside.text, test.text) or \
        abbreviations.abbreviates(test.text, inside.text) or \
        (bool(test.concepts) and set(test.concepts) == set(inside.concepts))


def _gap(connectives: str, times: str) -> re.Pattern[str]:
    """What stands between two items of a list of tests: separators, ``connectives`` (at
    most once with ``times`` "?", any number of times with "*"), and "serum" or an article."""
    return re.compile(rf"[\s,/()]*(?:(?:{connectives})\s+){times}(?:serum\s+|the\s+|an?\s+)?")


_LIST_GAP = _gap("and|or|as well as", "?")


def _next_start(text: str, hits: tuple[Hit, ...], i: int, end: int) -> int:
    """Where the next mention starts; a test's other name in parentheses right after it
    ("hemoglobin (Hb): 10.9 g/dL") does not end the test's words: its value follows."""
    j = i + 1
    if j < len(hits) and hits[i].kind in _TESTS and hits[j].kind in _TESTS:
        alias = findings.ALIAS.match(text, hits[i].end, end)
        while alias and j < len(hits) and alias.start("alias") <= hits[j].start \
                and hits[j].end <= alias.end("alias"):
            j += 1
    return hits[j].start if j < len(hits) else end


#: Between two listed values: a comma or "and", and a remark in parentheses ("2.7 L (69% of
#: predicted) and 3.2 L").
_VALUE_GAP = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:,|;)?\s*(?:and\s+)?")
#: "respectively" as a whole word in any case. Written ``\brespectively\b`` with
#: ``re.IGNORECASE`` the engine tries it at every position of every sentence; here its first
#: letter comes first, case-sensitively, so the engine skips from one "r" to the next (the
#: look-behind after it stands for the leading ``\b``; "r" has no other case variants).
_RESPECTIVELY = re.compile(r"[rR](?<!\w.)(?i:espectively)\b")
#: Words between a list of tests and its values that say how they changed ("were markedly
#: elevated up to 2726 U/L and 7438 U/L, respectively"): at most four, no clause break.
_VALUE_LEAD = re.compile(r"(?:[A-Za-z][\w-]*\s+){1,4}?(?=[<>≤≥]?\s*\d)")


def _slots(text: str, tests: list[Mention]) -> list[list[int]]:
    """The places of a list of tests, each test with its other name in parentheses
    ("ALT (alanine transaminase) and AST (aspartate transaminase)": two places)."""
    slots: list[list[int]] = []
    for k, m in enumerate(tests):
        alias = findings.ALIAS.match(text, tests[k - 1].span.end) if k else None
        if (slots and alias
                and alias.start("alias") <= m.span.start and m.span.end <= alias.end("alias")):
            slots[-1].append(k)
        else:
            slots.append([k])
    return slots


def _respectively(text: str, found: list[Mention], sentence: Span,
                  terminology: Terminology) -> list[Mention]:
    """"A, B and C were 1, 2 and 3, respectively": the n-th value is the n-th test's result.
    Without "respectively" too when the values are measured, as many as the tests and no
    more, the last in a unit ("sodium and potassium were 128 and 5.9 mmol/L"). A unit written
    once after the last value is every bare value's; the further values the last test was
    read to reach in the list are its neighbours', and go."""
    stated = _RESPECTIVELY.search(text, sentence.start, sentence.end) is not None
    out = list(found)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and _named_in_list(text, out[j], out[j + 1]):
            j += 1
        if j > i and out[i].kind in _TESTS:
            slots = _slots(text, out[i : j + 1])
            results = _value_list(text, out[j].span.end, sentence.end, len(slots), terminology) \
                if len(slots) > 1 else []
            tests = [out[i + slot[0]] for slot in slots]
            if _times_listed(results):
                out[i:] = _without_times(out[i:], j - i, {r.span for r in results})
                results = []
            elif not stated and not _whole_value_list(text, results, tests, sentence.end,
                                                    terminology):
                results = []
            results = _unit_shared(results, tests, terminology)
            alias = findings.ALIAS.match(text, out[j].span.end) if results else None
            for k in range(j + 1, len(out)):  # the last test's other name shares its value
                if alias and alias.start("alias") <= out[k].span.start <= alias.end("alias"):
                    slots[-1].append(k - i)
            for slot, result in zip(slots, results, strict=False):
                for k in slot:
                    out[i + k] = replace(out[i + k], result=result)
            listed = {r.span for r in results}
            out[j + 1 :] = [m for m in out[j + 1 :] if not _value_of_list(m, out[j], listed)]
        i = j + 1
    return out


def _value_of_list(mention: Mention, last: Mention, listed: set[Span]) -> bool:
    """Whether ``mention`` is a further value the list's last test was read to reach that is
    one of the list's values (its span is the value's, :func:`_later_values`)."""
    return mention.text == last.text and mention.result is not None \
        and mention.span == mention.result.span and mention.span in listed


def _whole_value_list(text: str, results: list[Result], tests: list[Mention], end: int,
                      terminology: Terminology) -> bool:
    """Whether values listed after tests without "respectively" are theirs one by one: all
    measured (the last in a known unit some test of the list is reported in) and no further
    value after them, which would make the list a series of some other count. "Troponin and
    CK were measured at 2 and 6 hours" lists times, not results."""
    if not results or any(r.quantity is None and r.range is None for r in results):
        return False
    last = results[-1].quantity or (results[-1].range.low if results[-1].range else None)
    if last is None or last.ucum is None \
            or not any(_fits_test(last.ucum, test, terminology, same_quantity)
                       for test in tests):
        return False
    gap = _VALUE_GAP.match(text, results[-1].span.end, end)
    return values.parse_quantity(text, gap.end() if gap else results[-1].span.end,
                                 terminology.units, end) is None


def _unit_shared(results: list[Result], tests: list[Mention],
                 terminology: Terminology) -> list[Result]:
    """Values listed with their unit written once, after the last ("128, 5.9 and 96 mmol/L"):
    each bare number takes that unit when its test is reported in one of its kind and near its
    size (see :func:`units.same_unit`). In "height and weight were 170 and 70 kg" the
    kilograms are the weight's alone, and in "ferritin and CRP were 1500 and 120 mg/L" the
    milligrams per litre the CRP's (ferritin is reported in ng/mL): the other test keeps its
    bare number rather than a unit that says something false."""
    last = results[-1].quantity if results else None
    if last is None or last.ucum is None:
        return results
    return [replace(r, quantity=replace(r.quantity, unit_text=last.unit_text, ucum=last.ucum))
            if r.quantity is not None and r.quantity.unit_text is None and not r.components
            and _fits_test(last.ucum, test, terminology, same_unit)
            else r for r, test in zip(results, tests, strict=False)]


def _fits_test(ucum: str, test: Mention, terminology: Terminology,
               fits: Callable[[str, str], bool]) -> bool:
    """Whether a value in ``ucum`` can be ``test``'s result: ``fits`` it to the unit of every
    concept of the test that has one on record (a test with none is not judged)."""
    for key in test.concepts:
        concept = terminology.concepts.get(key)
        if concept is not None and concept.unit is not None and not fits(ucum, concept.unit):
            return False
    return True


def _times_listed(results: list[Result]) -> bool:
    """Whether values listed after tests end in a span of time of a minute or more
    ("Troponin and CK were measured at 2 and 6 hours"): the list times the tests, it gives no
    result. Seconds stay: clotting times are results in them ("PT and aPTT were 14 and 35 s")."""
    last = results[-1].quantity if results else None
    return last is not None and last.ucum is not None \
        and quantity_kind(last.ucum) == (("time",),) and last.ucum not in ("s", "ms")


def _without_times(found: list[Mention], last: int, times: set[Span]) -> list[Mention]:
    """``found`` (a list of tests up to index ``last``, then the rest of the sentence) with no
    listed time read as a test's result: the tests keep no value, the further values the last
    test was read to reach go."""
    def timed(m: Mention) -> bool:
        return m.result is not None and any(
            m.result.span.start < t.end and t.start < m.result.span.end for t in times)
    tests = [replace(m, result=None) if timed(m) else m for m in found[: last + 1]]
    rest = [m for m in found[last + 1 :]
            if not (m.text == found[last].text and m.span == (m.result.span if m.result else None)
                    and timed(m))]
    return tests + rest


def _named_in_list(text: str, test: Mention, nxt: Mention) -> bool:
    """Whether ``test`` and the mention after it are names in one list of tests: both tests,
    only list separators (and the first one's other name in parentheses) between them, and
    the first has no value of its own before the next ("80% neutrophils and 18% lymphocytes,
    and glucose and protein were 3 and 40 mg/dL, respectively": the list is the last two)."""
    if test.kind not in _TESTS or nxt.kind not in _TESTS or (
            test.result is not None and test.result.span.start < nxt.span.end):
        return False
    after = findings.skip_alias(text, test.span.end, nxt.span.start)
    return any(_LIST_GAP.fullmatch(text, at, nxt.span.start) for at in {test.span.end, after})


def _value_list(text: str, start: int, end: int, count: int,
                terminology: Terminology) -> list[Result]:
    """Exactly ``count`` values listed from ``start`` (after "was", "were"…), or none; the
    numbers after a few words of change ("markedly elevated up to") before the words alone."""
    start = findings.skip_alias(text, start, end)  # "… and FVC (forced vital capacity) were"
    filler = findings.FILLER.match(text, start, end)
    pos = filler.end() if filler else start
    lead = _VALUE_LEAD.match(text, pos, end)
    found = (_values_at(text, lead.end(), end, count, terminology) if lead else []) or \
        _values_at(text, pos, end, count, terminology)
    change = findings.stated_change(text, start, found[0].span.start) if found else None
    if change is None:
        return found
    return [replace(r, change=change) if r.quantity is not None else r for r in found]


def _values_at(text: str, pos: int, end: int, count: int, terminology: Terminology) -> list[Result]:
    results: list[Result] = []
    while len(results) < count:
        result = values.parse_quantity(text, pos, terminology.units, end) or \
            values.parse_qualitative(text, pos, end)
        if result is None:
            return []
        results.append(result)
        gap = _VALUE_GAP.match(text, result.span.end, end)
        pos = gap.end() if gap else result.span.end
    return results


#: Two tests named as a pair ("AST/ALT", "AST / ALT").
_PAIR_SLASH = re.compile(r"\s*/\s*")
#: A name, then a slash and a second name: the first of a pair of tests ("BP/pulse").
_NAMES_PAIR = re.compile(r"\s*/\s*[A-Za-z]")


def _slashed_series(text: str, found: list[Mention], terminology: Terminology) -> list[Mention]:
    """Three or more tests named joined by slashes and valued by as many numbers joined by
    slashes, in the same order ("WBC/Hb/Plt were 12/8/90", "Na/K/Cl 135/4.1/100 mmol/L"):
    the k-th number is the k-th test's. The series' value is read after the last name, so
    the others have none. A unit after the last number is every test's when each is
    reported in it, else the last one's only. Two tests are a pair (:func:`_slashed_pair`)."""
    out = list(found)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and out[j].kind is MentionKind.LAB_TEST \
                and out[j].result is None and out[j + 1].kind is MentionKind.LAB_TEST \
                and _PAIR_SLASH.fullmatch(text, out[j].span.end, out[j + 1].span.start):
            j += 1
        tests = out[i : j + 1]
        numbers = _series_numbers(text, tests[-1].result, len(tests)) if j - i >= 2 else None
        if numbers is None:
            i = j + 1 if j > i else i + 1
            continue
        out[i : j + 1] = _valued_series(text, tests, numbers, terminology)
        i = j + 1
    return out


def _series_numbers(text: str, result: Result | None, count: int) -> list[re.Match[str]] | None:
    """The ``count`` numbers joined by slashes where ``result`` starts, or None."""
    if result is None:
        return None
    numbers = []
    pos = result.span.start
    for k in range(count):
        if k:
            gap = _PAIR_SLASH.match(text, pos)
            if gap is None:
                return None
            pos = gap.end()
        number = values.NUMBER_RE.match(text, pos)
        if number is None:
            return None
        numbers.append(number)
        pos = number.end()
    after = _PAIR_SLASH.match(text, pos)
    return None if after and values.NUMBER_RE.match(text, after.end()) else numbers


def _valued_series(text: str, tests: list[Mention], numbers: list[re.Match[str]],
                   terminology: Terminology) -> list[Mention]:
    """``tests`` each with its number of ``numbers``, and the unit after the last (see
    :func:`_slashed_series`)."""
    last = values.parse_quantity(text, numbers[-1].start(), terminology.units)
    ucum = last.quantity.ucum if last and last.quantity else None
    shared = ucum is not None and all(
        _fits_test(ucum, t, terminology, same_unit) and _unit_of(t, terminology) for t in tests)
    out = []
    for k, (test, number) in enumerate(zip(tests, numbers, strict=True)):
        value = values.parse_quantity(text, number.start(), terminology.units, number.end())
        if value is None or value.quantity is None:
            return tests
        quantity = value.quantity
        span = Span(number.start(), number.end())
        if last is not None and last.quantity is not None and (shared or k == len(tests) - 1):
            quantity = replace(last.quantity, value=quantity.value)
            if k == len(tests) - 1:
                span = Span(number.start(), last.span.end)
        out.append(replace(test, result=Result(text[span.start : span.end], span,
                                               quantity=quantity)))
    return out


def _slashed_pair(text: str, found: list[Mention], terminology: Terminology) -> list[Mention]:
    """Two tests named as a pair and valued as a pair in the same order ("AST/ALT 120/98 U/L",
    "AST/ALT were 45/60 IU/L"): the first value is the first test's, the second the second's.
    The pair's value is read after the second name, so the first has none. Only when both
    tests are reported in the pair's unit (or, with none written, in one and the same unit):
    "blood pressure/pulse 130/85 mmHg" is a blood pressure."""
    out = list(found)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        paired = second.result
        if first.kind is not MentionKind.LAB_TEST or second.kind is not MentionKind.LAB_TEST \
                or first.result is not None or paired is None or len(paired.components) != 2 \
                or not _PAIR_SLASH.fullmatch(text, first.span.end, second.span.start):
            continue
        if _panel_of_pair(paired, first, terminology):
            out[i : i + 2] = _panel_then_value(text, first, second, terminology)
            continue
        if not _same_kind_pair(paired.components[0].ucum, first, second, terminology):
            continue
        numbers = list(values.NUMBER_RE.finditer(text, paired.span.start, paired.span.end))
        if len(numbers) < 2:
            continue
        one, two = Span(numbers[0].start(), numbers[0].end()), \
            Span(numbers[1].start(), paired.span.end)
        out[i] = replace(first, result=Result(text[one.start : one.end], one,
                                              quantity=paired.components[0]))
        out[i + 1] = replace(second, result=Result(text[two.start : two.end], two,
                                                   quantity=paired.components[1]))
    return out


def _panel_of_pair(paired: Result, first: Mention, terminology: Terminology) -> bool:
    """Whether a pair of values is the paired result of ``first``, a panel of two parts in the
    pair's unit ("BP/pulse 130/85 mmHg": the blood pressure's)."""
    ucum = paired.components[0].ucum
    return any(c is not None and len(c.parts) == 2 and (ucum is None or c.unit == ucum)
               for c in (terminology.concepts.get(key) for key in first.concepts))


def _panel_then_value(text: str, first: Mention, second: Mention,
                      terminology: Terminology) -> list[Mention]:
    """A panel and a test named as a pair ("BP/pulse 130/85 mmHg / 88"): the pair of values is
    the panel's; a value after a further slash is the test's ("88"), else it has none."""
    paired = second.result
    if paired is None:
        return [first, second]
    gap = _PAIR_SLASH.match(text, paired.span.end)
    value = values.parse_quantity(text, gap.end(), terminology.units) if gap else None
    if value is not None and (value.quantity is None or value.components):
        value = None
    return [replace(first, result=paired), replace(second, result=value)]


def _same_kind_pair(ucum: str | None, first: Mention, second: Mention,
                    terminology: Terminology) -> bool:
    """Whether a pair of values in ``ucum`` (None: no unit written) can be the results of
    ``first`` and ``second``: both are reported in that unit, or, with none, in one known unit."""
    if ucum is not None:
        return all(_fits_test(ucum, test, terminology, same_unit) and _unit_of(test, terminology)
                   for test in (first, second))
    one, two = _unit_of(first, terminology), _unit_of(second, terminology)
    return one is not None and one == two


def _unit_of(test: Mention, terminology: Terminology) -> str | None:
    """The unit the test's first concept with one on record is reported in."""
    for key in test.concepts:
        concept = terminology.concepts.get(key)
        if concept is not None and concept.unit is not None:
            return concept.unit
    return None


def _shared_results(text: str, found: list[Mention]) -> list[Mention]:
    """In "CRP, ESR and LDH were elevated" (or "positive for CD3, CD5 and CD20") the one
    result belongs to every test of the list."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        m, nxt = out[i], out[i + 1]
        if m.kind in _TESTS and m.result is None and nxt.kind in _TESTS and nxt.result \
                and nxt.result.qualitative:
            gap = _LIST_GAP.fullmatch(text, m.span.end, nxt.span.start)
            if gap:
                out[i] = replace(m, result=nxt.result)
    for i in range(1, len(out)):  # "positive for CD3, CD5 and CD20": the result heads the list
        m, prev = out[i], out[i - 1]
        if m.kind in _TESTS and m.result is None and prev.kind in _TESTS and prev.result \
                and prev.result.qualitative and prev.result.span.end <= prev.span.start \
                and _LIST_GAP.fullmatch(text, prev.span.end, m.span.start):
            out[i] = replace(m, result=prev.result)
        elif m.result is not None and (judged := _heading_judgement(text, prev, m)) is not None:
            out[i] = replace(m, result=replace(m.result, judged=judged))  # "normal X (4) and Y (2)"
    return out


def _heading_judgement(text: str, prev: Mention, test: Mention) -> Result | None:
    """The judgement written before ``prev`` ("normal levels of troponin (<0.01 ng/mL) and
    CK-MB (4.6 ng/mL)") when it heads a list ``test`` is the next item of: both have values
    beside their names, ``test`` no judgement of its own; else None."""
    judged = prev.result.judged if prev.result else None
    heads = judged is not None and judged.span.end <= prev.span.start \
        and test.kind in _TESTS and _bracketed_value(text, prev) \
        and _bracketed_value(text, test) and test.result is not None \
        and test.result.judged is None \
        and _LIST_GAP.fullmatch(text, _item_end(text, prev), test.span.start) is not None
    return judged if heads else None


#: The verb that states one result of a whole list ("…, electrolytes and cardiac biomarkers
#: were within normal limits").
_LIST_VERB = scan.WordPattern(r"(?:was|were|are|is|remained)\s+(?:(?:all|both|also)\s+)?")
#: Between the last test found and that verb: the list's last item, a few words no lexicon
#: knew ("and cardiac biomarkers"), or a word such as "levels".
_LIST_TAIL = re.compile(r"[\s)]*(?:\([^()]{0,30}\))?[\s,]*(?:(?:and|or)\s+)?"
                        r"(?:[A-Za-z0-9][\w-]*\s+){0,3}"
                        r"(?:\([^()]{0,30}\)\s*)?")
#: Words that end a list's subject: a clause of its own comes before the verb.
_CLAUSE_WORDS = frozenset(["was", "were", "is", "are", "had", "has", "have", "but", "while",
                           "whereas", "although", "which", "that", "who", "showed", "revealed",
                           "with", "without", "after", "before", "when", "since"])
#: Between two items of such a list: separators, or an introduced sub-list ("such as").
_ITEM_GAP = _gap("and|or|as well as|such as|including|like", "*")

#: Items no lexicon knew between two tests of such a list, each of one or two words and
#: ended by a comma ("CEA, DUPAN-2, and CA 19-9 were normal"): they stay in the list.
_UNKNOWN_ITEMS = re.compile(r"[\s,/()]*(?:[A-Za-z0-9][\w-]*(?:\s[A-Za-z0-9][\w-]*)?"
                            r"\s*(?:\([^()]{0,30}\))?\s*,\s*)+")


def _items_between(text: str, start: int, end: int) -> bool:
    """Whether only separators, connectives and unknown items stand between two tests of a list
    that one result is stated of."""
    if _ITEM_GAP.fullmatch(text, start, end):
        return True
    items = _UNKNOWN_ITEMS.match(text, start, end)
    return items is not None and _ITEM_GAP.fullmatch(text, items.end(), end) is not None \
        and not _CLAUSE_WORDS & set(text[start : items.end()].lower().split())


def _has_test(found: list[Mention]) -> bool:
    return any(m.kind in _TESTS for m in found)


#: The last item of a list of tests that no lexicon knew ("…, electrolytes and cardiac
#: biomarkers were normal"): one to three words after "and", up to the list's verb.
_LAST_ITEM = re.compile(r"[\s,]*(?:and|or)\s+(?:(?:the|serum|plasma|all)\s+)?"
                        r"(?P<item>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)"
                        r"(?:\s+(?:levels?|values?|results?|tests?))?\s*")


def _unnamed_last_item(text: str, test: Mention, verb: int, result: Result) -> Mention | None:
    """The unknown last item of a list whose last known item is ``test``, as a test with the
    list's ``result`` and the known item's context; None when the words are not such an item."""
    m = _LAST_ITEM.fullmatch(text, test.span.end, verb)
    if m is None:
        return None
    words = m.group("item").lower().split()
    if _CLAUSE_WORDS & set(words) or any(w in values.QUALITATIVE_WORDS for w in words):
        return None
    span = Span(m.start("item"), m.end("item"))
    return replace(test, kind=MentionKind.LAB_TEST, text=m.group("item"), span=span,
                   concepts=(), result=result)


def _list_result(text: str, found: list[Mention], sentence: Span) -> list[Mention]:
    """One result stated of a list of tests ("CEA, CA 19-9 and CA 125 were all in normal
    range") belongs to each test of the list that has no result of its own."""
    if not _has_test(found):
        return found  # most sentences: no list of tests to give a result to
    out = list(found)
    for verb in _LIST_VERB.finditer(text, sentence.start, sentence.end):
        result = values.parse_qualitative(text, verb.end(), sentence.end)
        if result is None:
            continue
        before = [k for k, m in enumerate(out) if m.span.end <= verb.start()]
        if not before or out[before[-1]].kind not in _TESTS:
            continue
        last = before[-1]
        tail = _LIST_TAIL.fullmatch(text, out[last].span.end, verb.start())
        if tail is None or _CLAUSE_WORDS & set(text[tail.start() : tail.end()].lower().split()):
            continue
        unnamed = _unnamed_last_item(text, out[last], verb.start(), result)
        if unnamed is not None:
            out.insert(last + 1, unnamed)
        k = last
        while k >= 0 and out[k].kind in _TESTS:
            current = out[k].result
            if current is None or current == result:
                out[k] = replace(out[k], result=result)
            elif _bracketed_value(text, out[k]) and current.judged is None \
                    and result.qualitative in _JUDGEMENTS:
                out[k] = replace(out[k], result=replace(current, judged=result))
            else:
                break
            if k == 0 or not _items_between(text, _item_end(text, out[k - 1]),
                                            out[k].span.start):
                break
            k -= 1
    return out


#: What joins a test's name to a value that is part of the item in a list ("haemoglobin
#: (168 g/L)", "calcium: 2.34 mmol/L"): no verb of its own.
_BRACKETED = re.compile(r"\s*[(:]?\s*")
#: What may close such a value: a reference range, a parenthesis.
_VALUE_END = re.compile(r"(?:\s*[\[(][^\[\]()]{0,40}[\])])*\s*\)?")


def _bracketed_value(text: str, test: Mention) -> bool:
    """Whether the test's value is written beside its name, as part of a list's item, so a
    judgement of the whole list ("… and calcium (2.34 mmol/L) levels were normal") judges
    it; a value with its own verb ("hemoglobin was 9 g/dL, and …") is no item's."""
    result = test.result
    return result is not None and (result.quantity is not None or result.range is not None) \
        and result.span.start >= test.span.end \
        and _BRACKETED.fullmatch(text, test.span.end, result.span.start) is not None


def _item_end(text: str, test: Mention) -> int:
    """Where an item of a list of tests ends: after its name, or after its bracketed value
    and the reference range that closes it."""
    if not _bracketed_value(text, test) or test.result is None:
        return test.span.end
    closing = _VALUE_END.match(text, test.result.span.end)
    return closing.end() if closing else test.result.span.end


def _stated_results(text: str, found: list[Mention], sentence: SentenceInput,
                    triggers: list[context.Trigger]) -> list[Mention]:
    """A test whose result the sentence states is the patient's even where the sentence
    never names the patient: "such as" or "including" there introduce the tests done
    ("tumour markers such as CEA and CA 125 were in normal range"), not tests in general."""
    if sentence.about is not About.NEUTRAL:
        return found
    out: list[Mention] = []
    for m in found:
        if m.kind in _TESTS and m.result is not None and m.context.hypothetical:
            ctx = _context(text, m.span, sentence, triggers, about=About.PATIENT,
                           test=m.kind is MentionKind.DIAGNOSTIC_PROCEDURE)
            if not ctx.hypothetical:
                m = replace(m, context=ctx)
        out.append(m)
    return out


def _defining(text: str, hit: Hit) -> bool:
    """Whether a hit is a short form in parentheses right after a name ("ejection fraction
    (EF)"): the report says there what it stands for."""
    return text[hit.start - 1 : hit.start] == "(" and text[hit.end : hit.end + 1] == ")" \
        and text[hit.start - 2 : hit.start - 1] == " "


def _measures_temperature(hit: Hit, terminology: Terminology) -> bool:
    """Whether ``hit`` names a test reported in a unit of temperature (a body temperature)."""
    return hit.kind is MentionKind.LAB_TEST and any(
        (c := terminology.concepts.get(key)) is not None and c.unit is not None
        and quantity_kind(c.unit) == (("temperature",),) for key in hit.concepts)


def _enrich(text: str, hit: Hit, span: Span, ctx: Context, sentence: SentenceInput,
            limits: tuple[int, int], floor: int, terminology: Terminology) -> dict[str, Any] | None:
    """The context and what the words around a hit (at ``span``) say about it (None: not a
    mention)."""
    limit, next_hit = limits
    if hit.kind in _PROCEDURES and markers.names_no_procedure(text, hit.start, hit.end,
                                                              sentence.span.end):
        return None  # "the transplant clinic", "purulent drainage"
    if hit.kind in _TESTS:
        if findings.newborn_measure(text, hit.start, hit.concepts, sentence.span.start):
            ctx = replace(ctx, experiencer=Experiencer.FAMILY)  # the delivered child's
        result = _result(text, hit, limit, floor, terminology)
        if result is not None and _measures_temperature(hit, terminology):
            result = values.temperature_letter(text, result, limit)
        if result is None and hit.kind is MentionKind.LAB_TEST and \
                drugs.blood_component_given(text, hit.start, hit.end, sentence.span):
            given = Hit(hit.start, hit.end, MentionKind.THERAPEUTIC_PROCEDURE, ())
            details = _enrich(text, given, span, ctx, sentence, limits, floor, terminology)
            return None if details is None else {**details, "kind": given.kind, "concepts": ()}
        if hit.kind is MentionKind.LAB_TEST and result is None and hit.end - hit.start <= 2 \
                and not _defining(text, hit) and not _NAMES_PAIR.match(text, hit.end):
            return None  # a bare two-letter abbreviation ("K", "Ca") is too ambiguous alone
        if ctx.negated and _written_before(result, hit):
            if result is not None and result.qualitative is Qualitative.POSITIVE:
                result = None  # "no positive blood culture": a negative reading
            elif result is not None and result.qualitative in _JUDGEMENTS:
                return None  # "no elevated creatinine": the state is denied, no result stated
        return {"context": ctx, "result": result}
    if hit.kind is MentionKind.MEDICATION:
        tested = findings.susceptibility(text, hit.start, sentence.span)
        if tested is not None:
            return {"context": ctx, "result": tested, "kind": MentionKind.LAB_TEST}
        level = findings.drug_level(text, hit.start, hit.end, limit, terminology.units,
                                    sentence.span.start) or \
            _drug_judged(text, hit, limit, sentence.span.start, terminology)
        if level is not None:
            return {"context": ctx, "result": level, "kind": MentionKind.LAB_TEST}
    if hit.kind in _TREATMENTS:
        words = text[hit.start : hit.end]
        dose_end = min(sentence.span.end, next_hit, hit.end + 120)
        dosage = findings.dosage(text, hit.end, dose_end, terminology.units, terminology.routes)
        source = findings.source(text, sentence.span) if _GRAFT.search(words) else None
        donor = ctx.experiencer is Experiencer.DONOR
        if donor and findings.donor_underwent(text, hit.start, sentence.span.start):
            pass  # "the donor underwent a nephrectomy": the donor's own care stays theirs
        elif donor or (source and ctx.experiencer is Experiencer.FAMILY):
            ctx = replace(ctx, experiencer=Experiencer.PATIENT)  # "cells from his sister"
        elif findings.born_by(text, hit.start, sentence.span.start):
            ctx = replace(ctx, experiencer=Experiencer.FAMILY)  # the mother's procedure
        elif ctx.experiencer is Experiencer.FAMILY and \
                findings.delivered_by(text, hit.start, sentence.span.start):
            ctx = replace(ctx, experiencer=Experiencer.PATIENT)  # her own delivery's
        count = findings.count_before(text, hit.start, sentence.span.start)
        if count and dosage is None:
            dosage = Dosage(words, span, count=count)
        elif count and dosage is not None and dosage.count is None:
            dosage = replace(dosage, count=count)
        return {"context": ctx, "dosage": dosage, "source": source}
    status = findings.status(text, span, sentence.span, symptom=hit.kind is MentionKind.FINDING
                             and findings.repeating(text, span))
    measured = findings.measured_finding(text, hit.end, limit, terminology.units) or \
        findings.measure_before(text, hit.start, floor, terminology.units) or \
        values.grade_before(text, hit.start, floor)
    return {"context": ctx, "status": status, "result": measured}


def _denied_reading(mention: Mention) -> Mention:
    """A denied test whose result is a positive word, wherever the word is written ("no
    thyroid antibodies were detected"), has a negative reading: no result (the mapper's
    reading of a denied test)."""
    result = mention.result
    if (mention.kind in _TESTS and mention.context.negated and result is not None
            and result.quantity is None and result.qualitative is Qualitative.POSITIVE):
        return replace(mention, result=None)
    return mention


def _written_before(result: Result | None, hit: Hit) -> bool:
    """Whether a test's result is a word written before its name ("no elevated liver
    enzymes", "no positive blood culture"): a negation of the test denies that word. A denied
    judgement gives neither the judgement nor a negative reading; a denied positive reading is
    a negative one."""
    return result is not None and result.quantity is None and result.span.end <= hit.start


def _with_reasons(text: str, mentions: list[Mention], sentence: Span) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if m.kind in _TREATMENTS:
            target = next(
                (c for c in mentions if c.kind is MentionKind.DISORDER and c.span.start > m.span.end
                 and findings.reason_before(text, c.span.start, m.span.end)),
                None,
            )
            if target is not None:
                m = replace(m, reason=target.span)
        out.append(m)
    return out


_ANAPHOR = re.compile(r"\b(?:(?:the|her|his|their|this|\w+'s)\s+)"
                      r"(?:disease|condition|illness|leukemia|cancer|tumou?r|health)\b")
#: A word of a disease's course with no disease named: not the adjective of what repeats
#: ("recurrent vomiting" tells of a symptom), unless a word for the disease follows it.
_EVENT = re.compile(r"\b(?:relaps\w*|recur(?!rent\b|ring\b)\w*|remission|recurr(?:ent|ing)\s+"
                    r"(?:disease|condition|illness|leukemia|cancer|tumou?r))\b", re.IGNORECASE)
#: Every ``_ANAPHOR`` or ``_EVENT`` match holds one of these (lower case): most sentences none.
_ANCHOR_WORDS = ("disease", "condition", "illness", "leukemia", "cancer", "tumo", "health",
                 "relaps", "recur", "remission")


def status_anaphora(text: str, sentence: SentenceInput, primary: Mention | None,
                    narrative: When | None = None, *, coded: bool = True) -> list[Mention]:
    """A status stated of "the disease" (or with no disease named) refers to the primary disorder.
    Where an event is denied ("without recurrence", remission) with no disease named and no
    code for the primary disorder (``coded`` False), none is made: the Condition's only words
    would be those of the event that did not happen.

    With no time of its own, the statement is dated by its paragraph's narrative (the last
    date an earlier sentence of the paragraph gave): "In 2013 she was diagnosed… it has now
    recurred" tells of 2013, not of the report's present."""
    if primary is None or sentence.about is not About.PATIENT:
        return []
    if any(h.kind is MentionKind.DISORDER for h in sentence.hits):
        return []
    s, e = sentence.span.start, sentence.span.end
    if not scan.mentions_any(text, s, e, _ANCHOR_WORDS):
        return []
    anchor = _ANAPHOR.search(text, s, e) or _EVENT.search(text, s, e)
    status = (findings.status(text, Span(anchor.start(), anchor.end()), sentence.span)
              if anchor else None)
    if anchor is None or status is None or (
            not coded and anchor.re is _EVENT and status is ClinicalStatus.REMISSION):
        return []  # "without recurrence": no Condition named by the denied event alone
    span = Span(anchor.start(), anchor.end())
    ctx = _context(text, span, sentence, _triggers(text, sentence))
    return [Mention(kind=primary.kind, text=anchor.group(), span=span,
                    context=replace(ctx, negated=False), concepts=primary.concepts,
                    status=status, when=_nearest_time(sentence.times, span) or narrative)]


#: A short form in parentheses right after a name ("polymerase chain reaction (PCR)").
_SHORT_AFTER = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)")


def short_forms_named_whole(text: str, found: list[Mention]) -> list[Mention]:
    """``found`` with a procedure's short form that the report defines after the procedure's
    name ("polymerase chain reaction (PCR)", and "PCR" wherever else it is used) named by
    that name, where the short form has the name's concepts or none: one procedure under
    both names, not one under each."""
    long_forms: dict[str, Mention] = {}
    for mention in found:
        m = _SHORT_AFTER.match(text, mention.span.end)
        if mention.kind in _PROCEDURES and m is not None \
                and abbreviations.abbreviates(m.group(1), mention.text):
            long_forms.setdefault(m.group(1), mention)
    if not long_forms:
        return found
    return [replace(m, text=long_forms[m.text].text) if _defined_as(m, long_forms.get(m.text))
            else m for m in found]


def _defined_as(mention: Mention, long_form: Mention | None) -> bool:
    return long_form is not None and mention.kind in _PROCEDURES \
        and mention.concepts in ((), long_form.concepts)
