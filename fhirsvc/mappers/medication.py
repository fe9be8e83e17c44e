"""MedicationAdministration: a drug or cell product given to the patient.

https://hl7.org/fhir/R4/medicationadministration.html. R4 requires ``effective[x]``
(1..1) but a case report often says only "then" or "after the transplant": the
resource then carries ``effectivePeriod`` holding only the data-absent-reason
extension (``unknown``), which every R4 validator accepts, and its
derivation-reference points at the words. R4's ``dosage`` must state a dose or a
rate (mad-1), and has no timing: dose and route go in ``dosage``, and the frequency,
count and duration stay in ``dosage.text`` as written. When no dose is stated, the
dosage words go to ``note``.

A therapeutic procedure given with a stated dose (a cell therapy: "ucMSCs were
injected 8 times ... 5.65 × 10^7/L") is also an administration, ``partOf`` its Procedure.
Its status is a Procedure's (:func:`fhirsvc.mappers.procedure.care_status`): ``not-done``
with ``statusReason`` words, ``stopped`` for a drug discontinued or withheld.
"""

from __future__ import annotations

from fhirsvc.mappers.common import (
    JSON,
    Ref,
    Scope,
    concept,
    data_absent,
    derivations,
    quantity,
    timed,
    words,
)
from fhirsvc.mappers.groups import Group
from fhirsvc.mappers.procedure import care_status
from fhirsvc.model import Dosage, Fact
from fhirsvc.terminology import systems

REASON_TYPES = frozenset({"Condition", "Observation"})


def gives_dose(fact: Fact) -> bool:
    """A therapeutic procedure stating a dose is an administration too."""
    return fact.mention.dosage is not None and fact.mention.dosage.dose is not None


def _dosage(dosage: Dosage, fact: Fact) -> JSON:
    out: JSON = {"text": words(dosage.text)} if words(dosage.text) else {}
    if dosage.route:
        routes = [c for c in fact.value_codings if c.system == systems.SNOMED_CT]
        out["route"] = concept(routes, dosage.route)
    out["dose"] = quantity(dosage.dose, simple=True)  # type: ignore[arg-type]
    return out


def _effective(group: Group) -> JSON:
    when = next((f.mention.when for f in group.facts if f.mention.when and f.mention.when.date),
                None)
    return timed("effective", when, text=False) or {
        "effectivePeriod": {"extension": [data_absent("unknown")]}}


def medication_administration(group: Group, ref: Ref, scope: Scope,
                              part_of: Ref | None = None) -> JSON:
    """The administration ``group`` states; with ``part_of``, the product given during that
    Procedure (named by the words only: the Procedure's codes name a procedure, not a product)."""
    first = group.first
    mention = first.mention
    resource: JSON = {"resourceType": "MedicationAdministration", "id": ref.id,
                      "extension": derivations(scope.document, group.spans)}
    if part_of is not None:
        resource["partOf"] = [part_of.reference()]
    resource["status"], why = care_status(group)
    if why:
        resource["statusReason"] = [{"text": why}]
    codings = () if part_of is not None else first.codings
    resource["medicationCodeableConcept"] = concept(codings, mention.text)
    resource["subject"] = scope.patient.reference()
    resource |= _effective(group)
    reasons = [r for f in group.facts for r in scope.reason(f.mention.reason, REASON_TYPES)]
    if reasons:
        resource["reasonReference"] = list({r["reference"]: r for r in reasons}.values())
    dosages = [f.mention.dosage for f in group.facts if f.mention.dosage]
    dosage = next((d for d in dosages if d.dose), dosages[0] if dosages else None)
    if dosage is not None and dosage.dose is not None:
        resource["dosage"] = _dosage(dosage, first)
    elif dosage is not None and words(dosage.text):
        resource["note"] = [{"text": words(dosage.text)}]
    return resource
