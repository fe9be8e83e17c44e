"""Coding: attach codings from every code system a mention's concepts reach.

A mention's concepts come from several sources (a curated row, an ICD-10-CM title,
an HPO term…); the first coding per system wins, curated ones first, and codings
are listed in a fixed system order so the output is deterministic.
"""

from __future__ import annotations

from dataclasses import replace

from fhirsvc.model import (
    CodedPatient,
    CodedReport,
    Coding,
    ExtractedReport,
    Fact,
    Mention,
    MentionKind,
    ObservationCategory,
    PartCode,
    Quantity,
)
from fhirsvc.terminology import systems
from fhirsvc.terminology.concepts import Concept
from fhirsvc.terminology.store import Terminology
from fhirsvc.terminology.units import same_quantity


def _fits_value(concept: Concept, mention: Mention) -> bool:
    """Whether the mention's value can be a result of the concept's test: a test reported
    in mass per volume (2345-7, glucose in mg/dL) does not code a value in mmol/L, nor a
    count per volume (the leukocyte count "TLC") a value in % or litres (total lung
    capacity). The text stays; only the code that would say something false goes."""
    if _palpated(mention, concept):
        return False
    quantity = mention.result.quantity if mention.result else None
    if concept.unit is None or quantity is None or not quantity.ucum:
        return True
    return same_quantity(quantity.ucum, concept.unit)


#: Systems that name a substance, not a test: a drug measured in the patient ("digoxin level
#: 3.2 ng/mL") or tested against a culture becomes a test, whose code must name the test
#: (a LOINC code), so the drug's RxNorm code is not its code; its name stays as the text.
_NOT_A_TEST = frozenset({systems.RXNORM})


def _concept_codings(mention: Mention, terminology: Terminology) -> tuple[Coding, ...]:
    by_system: dict[str, Coding] = {}
    test = mention.kind is MentionKind.LAB_TEST
    for key in mention.concepts:
        concept = terminology.concepts.get(key)
        if concept is None or not _fits_value(concept, mention):
            continue
        for coding in concept.codings:
            if not (test and coding.system in _NOT_A_TEST):
                by_system.setdefault(coding.system, coding)
    return tuple(by_system[s] for s in systems.CONCEPT_SYSTEMS if s in by_system)


def _value_codings(mention: Mention, terminology: Terminology) -> tuple[Coding, ...]:
    found: list[Coding] = []
    result = mention.result
    if result and result.qualitative and result.qualitative in terminology.results:
        found.append(terminology.results[result.qualitative])
    quantity = result.quantity if result else None
    if quantity and quantity.ucum:
        found.append(Coding(systems.UCUM, quantity.ucum, quantity.ucum))
    route = mention.dosage.route if mention.dosage else None
    if route and route.lower() in terminology.routes:
        found.append(terminology.routes[route.lower()])
    return tuple(found)


def _category(mention: Mention, terminology: Terminology) -> ObservationCategory | None:
    """The observation category the first of the mention's concepts that names one gives
    (a vital sign read by touch, "pulses were 2+", is an examination finding)."""
    for key in mention.concepts:
        concept = terminology.concepts.get(key)
        if concept is not None and concept.category is not None:
            return ObservationCategory.EXAM if _palpated(mention, concept) else concept.category
    return None


def _palpated(mention: Mention, concept: Concept) -> bool:
    """Whether a vital sign's value is a grade ("pulses were 2+ bilaterally"): the pulse felt
    on examination, not the rate the vital sign's code measures."""
    result = mention.result
    return concept.category is ObservationCategory.VITAL_SIGNS and result is not None \
        and result.graded and result.quantity is None


def _plain_grade(mention: Mention, terminology: Terminology) -> Mention:
    """``mention`` with a plus grade kept as written, not read as "Positive", unless its test
    reads presence (a laboratory test: "1+" protein on a dipstick, a "3+" stain). "Reflexes
    were 2+" and "pulses were 2+" grade a normal finding on examination."""
    result = mention.result
    if result is None or not result.graded or result.qualitative is None:
        return mention
    concepts = [terminology.concepts.get(key) for key in mention.concepts]
    if mention.kind is MentionKind.LAB_TEST and concepts \
            and all(c is not None and c.category is None for c in concepts):
        return mention
    return replace(mention, result=replace(result, qualitative=None))


def _parts(mention: Mention, terminology: Terminology) -> tuple[PartCode, ...]:
    """What each paired value (or range) of the result measures ("120/80 mmHg" of a blood
    pressure: systolic, diastolic), when the first of the mention's concepts that is a panel has as
    many parts as the result has values, each in a unit; else none."""
    result = mention.result
    lows = tuple(r.low for r in result.ranges if r.low is not None) if result else ()
    values = (result.components or lows) if result else ()
    if not values or any(q.ucum is None for q in values):
        return ()
    for key in mention.concepts:
        concept = terminology.concepts.get(key)
        if concept is not None and concept.parts:
            if len(concept.parts) != len(values):
                return ()
            found = [terminology.concepts.get(part) for part in concept.parts]
            return tuple(PartCode(c.display, c.codings) for c in found if c is not None)
    return ()


def _panel_unit(mention: Mention, terminology: Terminology) -> Mention:
    """``mention`` with the paired values of a panel written without a unit ("blood pressure
    was 120/80") in the unit the panel is reported in, as the convention has it; else as is."""
    result = mention.result
    if result is None or not result.components \
            or any(q.unit_text is not None or q.ucum is not None for q in result.components):
        return mention
    panel = next((c for key in mention.concepts
                  if (c := terminology.concepts.get(key)) is not None and c.parts), None)
    if panel is None or panel.unit is None or len(panel.parts) != len(result.components):
        return mention

    def unit(q: Quantity) -> Quantity:
        return replace(q, unit_text=panel.unit, ucum=panel.unit)
    parts = tuple(unit(q) for q in result.components)
    return replace(mention, result=replace(
        result, components=parts, quantity=unit(result.quantity) if result.quantity else None))


#: Units a vital sign's bare number is read in by convention, whatever the report: a rate per
#: minute, a pressure in millimetres of mercury, a saturation in percent ("pulse 88" is 88
#: beats per minute). Not a temperature (Celsius or Fahrenheit) nor a body measure.
_CONVENTIONAL_UNITS = frozenset({"/min", "mm[Hg]", "%"})


def _vital_sign_unit(mention: Mention, terminology: Terminology) -> Mention:
    """``mention`` with a vital sign's one bare number ("pulse 88") in the unit the sign is
    always reported in (:data:`_CONVENTIONAL_UNITS`); else as is."""
    result = mention.result
    quantity = result.quantity if result else None
    if result is None or quantity is None or result.components or quantity.ucum is not None \
            or quantity.unit_text is not None:
        return mention
    sign = next((c for key in mention.concepts
                 if (c := terminology.concepts.get(key)) is not None and c.unit is not None), None)
    if sign is None or sign.category is not ObservationCategory.VITAL_SIGNS \
            or sign.unit not in _CONVENTIONAL_UNITS:
        return mention
    return replace(mention, result=replace(
        result, quantity=replace(quantity, unit_text=sign.unit, ucum=sign.unit)))


def code_mention(mention: Mention, terminology: Terminology) -> Fact:
    """One mention with its concept codings, the codings of its value or route, the
    observation category its concept names and the parts of a panel's paired values."""
    mention = _vital_sign_unit(_panel_unit(_plain_grade(mention, terminology), terminology),
                               terminology)
    return Fact(mention, _concept_codings(mention, terminology),
                _value_codings(mention, terminology), _category(mention, terminology),
                _parts(mention, terminology))


def code_report(extracted: ExtractedReport, terminology: Terminology) -> CodedReport:
    """Code every mention of every patient (see the module docstring)."""
    patients = tuple(
        CodedPatient(case, tuple(code_mention(m, terminology) for m in case.mentions))
        for case in extracted.patients
    )
    return CodedReport(extracted.report, patients)
