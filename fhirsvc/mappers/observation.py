"""Observation: a test and its result, as the text states it.

https://hl7.org/fhir/R4/observation.html. A number becomes ``valueQuantity`` in UCUM
with its comparator ("> 150 × 10^9/L"), a range ``valueRange``, a score out of its
maximum ("4/5") ``valueRatio``, a qualitative result
("positive", "normal") ``valueCodeableConcept`` with its SNOMED CT qualifier and the
v3 interpretation; a negated test is a negative result (see :func:`negative_finding`).
A result kept as words only ("full" of "full donor chimerism") is
``valueCodeableConcept.text``. A test named without a result states that the result is
unknown (``dataAbsentReason``); a test the text says was not done is ``cancelled``, its
value absent as ``not-performed``. A panel's paired values ("blood pressure 120/80 mmHg")
are its components, each coded by what it measures (systolic, diastolic). Category: the one
the test's concept names (exam for an examination finding such as breath sounds; vital-signs
for the body measurements R4 groups so), else laboratory for lab tests and for any value
per volume of a body fluid ("a base deficit of 12 mmol/L"); imaging or exam for a diagnostic
procedure or finding that reports another result.
"""

from __future__ import annotations

import re

from fhirsvc.mappers.common import (
    JSON,
    Ref,
    Scope,
    concept,
    date_time,
    derivations,
    hl7_concept,
    period,
    quantity,
    words,
)
from fhirsvc.mappers.groups import Group
from fhirsvc.model import Coding, Fact, MentionKind, ObservationCategory, Qualitative, Range, Result
from fhirsvc.terminology import systems

#: v3 ObservationInterpretation codes and displays of qualitative results.
INTERPRETATION = {
    Qualitative.POSITIVE: ("POS", "Positive"),
    Qualitative.NEGATIVE: ("NEG", "Negative"),
    # v3 NEG is "an absence finding of the specified component / analyte, organism or
    # clinical sign": what "absent" states
    Qualitative.ABSENT: ("NEG", "Negative"),
    Qualitative.NORMAL: ("N", "Normal"),
    Qualitative.ABNORMAL: ("A", "Abnormal"),
    Qualitative.HIGH: ("H", "High"),
    Qualitative.INCREASED: ("H", "High"),
    Qualitative.LOW: ("L", "Low"),
    Qualitative.DECREASED: ("L", "Low"),
    Qualitative.SUSCEPTIBLE: ("S", "Susceptible"),
    Qualitative.RESISTANT: ("R", "Resistant"),
    Qualitative.BETTER: ("B", "Better"),
    Qualitative.WORSE: ("W", "Worse"),
}
_IMAGING = re.compile(
    r"ultraso|sonograph|echocardio|tomograph|\bct\b|\bmri\b|magnetic resonance|x-?ray|"
    r"radiograph|angiograph|scintigra|\bpet\b|imaging|mammogra|fluoroscop|doppler",
    re.IGNORECASE)


#: Words of a diagnostic procedure done on a specimen in a laboratory.
_LABORATORY = re.compile(r"cultur|smear|gram stain|cytolog|serolog|\bpcr\b|polymerase chain",
                         re.IGNORECASE)

#: A UCUM unit per volume ("mmol/L", "mg/dL", "10*9/L", "U/L"): what a laboratory measures in
#: a specimen, never what an examination at the bedside gives.
_PER_VOLUME = re.compile(r"/[dcmun]?L$")


def _per_volume(result: Result | None) -> bool:
    q = result.quantity if result is not None else None
    return q is not None and q.ucum is not None and _PER_VOLUME.search(q.ucum) is not None


#: SNOMED CT 260385009 |Negative| (the qualifier ``mappings/results.tsv`` gives "negative").
NEGATIVE = Coding(systems.SNOMED_CT, "260385009", "Negative")


def not_done(fact: Fact) -> bool:
    """A test the text says was not done ("a stool culture was not done") and gives no
    result of: ``cancelled``, with no value
    (https://hl7.org/fhir/R4/valueset-observation-status.html). A stated result says the
    test was done, whatever the not-done words near it."""
    return fact.mention.context.not_done and fact.mention.result is None


def negative_finding(fact: Fact) -> bool:
    """A test the text negates without a result of its own ("no other hormones (GH, TSH)
    were expressed", "negative for CD3 and CD5") reports a negative result: case reports
    say so far more often than that a test was not done."""
    return fact.mention.context.negated and fact.mention.result is None and not not_done(fact)


#: Displays of the observation-category codes
#: (https://terminology.hl7.org/CodeSystem-observation-category.html).
_CATEGORY_DISPLAYS = {
    ObservationCategory.LABORATORY: "Laboratory",
    ObservationCategory.IMAGING: "Imaging",
    ObservationCategory.EXAM: "Exam",
    ObservationCategory.SURVEY: "Survey",
    ObservationCategory.VITAL_SIGNS: "Vital Signs",
}


def category(fact: Fact) -> JSON:
    """The category the test's concept names (breath sounds and muscle strength are
    examined, not measured in a laboratory), else: laboratory for a lab test, a procedure
    done on a specimen (a culture, a smear) or a value per volume ("hyperkalaemia of 6.2
    mmol/L"), imaging or exam for another diagnostic procedure or a finding by its words."""
    if fact.category is not None:
        found = fact.category
    elif fact.mention.kind is MentionKind.LAB_TEST or _LABORATORY.search(fact.mention.text) \
            or _per_volume(fact.mention.result):
        found = ObservationCategory.LABORATORY
    elif _IMAGING.search(" ".join([fact.mention.text, *(c.display for c in fact.codings)])):
        found = ObservationCategory.IMAGING
    else:
        found = ObservationCategory.EXAM
    return hl7_concept(systems.OBSERVATION_CATEGORY, found.value, _CATEGORY_DISPLAYS[found])


def value(fact: Fact) -> JSON:
    """value[x] for the result, or a dataAbsentReason when the text gives none; nothing for
    a panel's paired values, which are its components (:func:`components`)."""
    result: Result | None = fact.mention.result
    if fact.parts:
        return {}
    if not_done(fact):
        return {"dataAbsentReason": hl7_concept(systems.DATA_ABSENT_REASON_CODES,
                                                "not-performed", "Not Performed")}
    if negative_finding(fact):
        return {"valueCodeableConcept": concept([NEGATIVE])}
    if result is None or not (result.quantity or result.range or result.qualitative
                              or words(result.text)):
        return {"dataAbsentReason": hl7_concept(systems.DATA_ABSENT_REASON_CODES, "unknown",
                                                "Unknown")}
    if result.out_of_maximum():  # "3/5", a Ratio: https://hl7.org/fhir/R4/datatypes.html#Ratio
        numerator, denominator = result.components
        return {"valueRatio": {"numerator": quantity(numerator, simple=True),
                               "denominator": quantity(denominator, simple=True)}}
    if result.quantity is not None:
        return {"valueQuantity": quantity(result.quantity)}
    if result.range is not None:
        return _range(result.range)
    codings = [c for c in fact.value_codings if c.system == systems.SNOMED_CT]
    return {"valueCodeableConcept": concept(codings, result.text)}


#: A value's change as the text states it ("increased to 362 µmol/L"): the v3 codes of a
#: significant change up or down (https://terminology.hl7.org/CodeSystem-v3-ObservationInterpretation.html).
CHANGE = {
    Qualitative.INCREASED: ("U", "Significant change up"),
    Qualitative.DECREASED: ("D", "Significant change down"),
}


def interpretation(fact: Fact) -> JSON:
    result = fact.mention.result
    if not_done(fact):
        return {}
    qualitative = Qualitative.NEGATIVE if negative_finding(fact) else \
        result.qualitative if result else None
    if qualitative is None and result is not None:  # a value's change, or the text's judgement
        for stated, table in ((result.change, CHANGE), (result.judged, INTERPRETATION)):
            if stated is not None and stated.qualitative in table:
                code, display = table[stated.qualitative]
                return {"interpretation": [hl7_concept(systems.OBSERVATION_INTERPRETATION, code,
                                                       display) | {"text": stated.text}]}
    if qualitative is None:
        return {}
    code, display = INTERPRETATION[qualitative]
    return {"interpretation": [hl7_concept(systems.OBSERVATION_INTERPRETATION, code, display)]}


def _range(found: Range) -> JSON:
    """valueRange of a range as written (SimpleQuantity ends), its lower end as ``low``:
    "300 to 150" spans the same values as "150 to 300", and rng-2 wants low ≤ high
    (https://hl7.org/fhir/R4/datatypes.html#Range)."""
    low, high = found.low, found.high
    if low is not None and high is not None and high.value < low.value:
        low, high = high, low
    ends = {"low": low, "high": high}
    return {"valueRange": {k: quantity(q, simple=True) for k, q in ends.items() if q}}


def components(fact: Fact) -> JSON:
    """A panel's paired values (or paired ranges, "110-130/70-80 mmHg") as components, each
    coded by what it measures ("120/80 mmHg" of a blood pressure: systolic 8480-6 and
    diastolic 8462-4, as R4's blood pressure profile shapes them,
    https://hl7.org/fhir/R4/bp.html)."""
    result = fact.mention.result
    if not fact.parts or result is None:
        return {}
    values = [{"valueQuantity": quantity(q)} for q in result.components] or \
        [_range(r) for r in result.ranges]
    return {"component": [{"code": concept(part.codings, None if part.codings else part.text)}
                          | v for part, v in zip(fact.parts, values, strict=True)]}


def _effective(fact: Fact) -> JSON:
    span = period(fact.mention.when)
    if span:
        return {"effectivePeriod": span}
    date = date_time(fact.mention.when)
    return {"effectiveDateTime": date} if date else {}


def _name(fact: Fact) -> str:
    """What the test is called: a stage written beside a disorder names what it stages
    ("chronic kidney disease stage", "colon cancer TNM classification"); else its words."""
    staging, result = fact.mention.staging, fact.mention.result
    if staging is None:
        return fact.mention.text
    name = fact.mention.text
    if result is not None and result.text == name:  # a TNM classification names itself
        name = "TNM classification"
    elif name[1:].islower():
        name = name.lower()
    return f"{words(staging.disorder_text)} {name}"


def _focus(ref: Ref, scope: Scope) -> JSON:
    """Observation.focus: the Condition a stage or grade is of
    (https://hl7.org/fhir/R4/observation-definitions.html#Observation.focus); the subject
    stays the patient."""
    staged = scope.focus.get(ref.id)
    return {"focus": [staged.reference()]} if staged is not None else {}


def observation(group: Group, ref: Ref, scope: Scope) -> JSON:
    first = group.first
    resource: JSON = {"resourceType": "Observation", "id": ref.id,
                      "extension": derivations(scope.document, group.spans),
                      "status": "cancelled" if not_done(first) else "final",
                      "category": [category(first)],
                      "code": concept(first.codings, _name(first)),
                      "subject": scope.patient.reference()}
    resource |= _focus(ref, scope)
    resource |= _effective(first)
    resource |= value(first)
    resource |= interpretation(first)
    resource |= components(first)
    return resource
