"""Patient: the person a case report describes, as little as the text says.

https://hl7.org/fhir/R4/patient.html. Case reports state an age ("a 32-year-old
man"), rarely a birth date, and the date the age refers to is often unknown, so a
birthDate estimate would invent precision: ``birthDate`` only when the report states the
date of birth, as precise as its words are (:mod:`fhirsvc.extract.births`). The age is kept
as written in the ``patient-age`` extension
(``conformance/StructureDefinition-patient-age.json``): a valueAge in UCUM years (``a``),
months (``mo``), weeks (``wk``), days (``d``) or hours (``h``, a newborn's hours of life).
"Newborn" or "neonate" alone says only an age under 28 days (the neonatal period): a
range, kept as a valueRange of 0 to 27 (completed) days, not a number it would invent;
the Patient's derivation-reference points at the words that state it. ``gender`` only
when the text states the sex; ``name`` only when the report names the patient (as
written, in ``HumanName.text``: whether it is a given or a family name is unknown).
"""

from __future__ import annotations

from decimal import Decimal

from fhirsvc.mappers.common import JSON, Ref, derivations, number, words
from fhirsvc.model import Age, PatientCase, Sex
from fhirsvc.terminology import systems

#: UCUM units of age and their human-readable names.
AGE_UNITS = {"a": "years", "mo": "months", "wk": "weeks", "d": "days", "h": "hours"}


def age_extension(age: Age) -> JSON:
    """The ``patient-age`` extension: a valueAge, or a valueRange when the words state only a
    range ("a newborn")."""
    if age.high is not None:
        return {"url": systems.PATIENT_AGE, "valueRange": {
            "low": _age_quantity(age.value, age.unit), "high": _age_quantity(age.high, age.unit)}}
    return {"url": systems.PATIENT_AGE, "valueAge": _age_quantity(age.value, age.unit)}


def _age_quantity(value: Decimal, unit: str) -> JSON:
    return {"value": number(value), "unit": AGE_UNITS.get(unit, unit), "system": systems.UCUM,
            "code": unit}


def patient(case: PatientCase, ref: Ref, document: Ref) -> JSON:
    spans = [s for s in (case.age.span if case.age else None, case.sex_span, case.name_span,
                         case.birth_span) if s]
    extensions = derivations(document, sorted(set(spans)))
    if case.age is not None:
        extensions.append(age_extension(case.age))
    resource: JSON = {"resourceType": "Patient", "id": ref.id}
    if extensions:
        resource["extension"] = extensions
    if case.name and words(case.name):
        resource["name"] = [{"text": words(case.name)}]
    if case.sex is not Sex.UNKNOWN:
        resource["gender"] = str(case.sex)
    if case.birth_date is not None:
        resource["birthDate"] = case.birth_date
    return resource
