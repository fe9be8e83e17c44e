"""Procedure: a therapeutic or diagnostic procedure the patient underwent.

https://hl7.org/fhir/R4/procedure.html. ``status`` is ``completed`` for what the text
reports as done, ``not-done`` when it is negated (with ``statusReason`` words when the text
says why: "refused", "contraindicated", "deferred", "not possible", "not needed"),
``stopped`` when it was given and then stopped, ``unknown`` when it is uncertain.
``performed[x]`` is a date or period when the text pins one, else the time words
(``performedString``). When the text says where a graft or cells came from ("from his
sister", "cord blood", "autologous") the Procedure carries the ``graft-source``
extension (``conformance/StructureDefinition-graft-source.json``): the words, and
the donor's kinship as a v3 RoleCode when one is named. The donor is never the
patient: no resource of the donor's is made.
"""

from __future__ import annotations

from fhirsvc.mappers.common import JSON, Ref, Scope, concept, derivations, timed, words
from fhirsvc.mappers.groups import Group
from fhirsvc.model import Context, Halt, MentionKind, Source
from fhirsvc.terminology import systems

REASON_TYPES = frozenset({"Condition", "Observation", "Procedure"})

#: v3 RoleCode displays (https://terminology.hl7.org/CodeSystem-v3-RoleCode.html) of the
#: kinship codes extraction assigns to donors.
ROLE_DISPLAY = {
    "SIS": "sister", "BRO": "brother", "MTH": "mother", "FTH": "father",
    "SON": "natural son", "DAU": "natural daughter", "SIB": "sibling", "TWIN": "twin",
    "COUSN": "cousin", "UNCLE": "uncle", "AUNT": "aunt", "HUSB": "husband", "WIFE": "wife",
    "PRN": "parent",
}

_CATEGORY = {
    MentionKind.DIAGNOSTIC_PROCEDURE: "Diagnostic procedure",
    MentionKind.THERAPEUTIC_PROCEDURE: "Therapeutic procedure",
}


def event_status(context: Context, done: str = "completed") -> str:
    """The event status (http://hl7.org/fhir/ValueSet/event-status) of what the text reports."""
    return "not-done" if context.negated else "unknown" if context.uncertain else done


def care_status(group: Group) -> tuple[str, str | None]:
    """The status of the care ``group`` states, and the words of its ``statusReason``.

    Not done ("she declined surgery", "no biopsy was performed") is ``not-done``, with why
    when the text says it ("refused", "contraindicated", "deferred", "not possible"); care
    given and then stopped or withheld ("heparin was discontinued") is ``stopped`` (asserted:
    it was given). Planned care never gets here: it is hypothetical, nobody's fact yet, as
    "surgery was advised" is."""
    mention = group.first.mention
    halts = [f.mention.halt for f in group.facts if f.mention.halt]
    status = event_status(mention.context)
    if status == "not-done":
        return status, halts[0].value if halts else None
    if status == "completed" and Halt.STOPPED in halts:
        return "stopped", None
    return status, None


def graft_source(source: Source) -> JSON:
    """The ``graft-source`` extension: the words, and the donor's kinship when named."""
    parts: list[JSON] = [{"url": "text", "valueString": words(source.text)}]
    if source.relation in ROLE_DISPLAY:
        parts.append({"url": "relation", "valueCodeableConcept": {
            "coding": [{"system": systems.V3_ROLE_CODE, "code": source.relation,
                        "display": ROLE_DISPLAY[source.relation]}],
            "text": words(source.text)}})
    return {"url": systems.GRAFT_SOURCE, "extension": parts}


def procedure(group: Group, ref: Ref, scope: Scope) -> JSON:
    first = group.first
    mention = first.mention
    source = next((f.mention.source for f in group.facts if f.mention.source), None)
    spans = dict.fromkeys((*group.spans, source.span)) if source else group.spans
    extensions = derivations(scope.document, spans)
    if source is not None:
        extensions.append(graft_source(source))
    status, why = care_status(group)
    resource: JSON = {"resourceType": "Procedure", "id": ref.id, "extension": extensions,
                      "status": status,
                      "category": {"text": _CATEGORY.get(mention.kind, "Procedure")},
                      **({"statusReason": {"text": why}} if why else {}),
                      "code": concept(first.codings, mention.text),
                      "subject": scope.patient.reference()}
    when = next((f.mention.when for f in group.facts if f.mention.when), None)
    resource |= timed("performed", when, text=True)
    reasons = [r for f in group.facts for r in scope.reason(f.mention.reason, REASON_TYPES)]
    if reasons:
        resource["reasonReference"] = list({r["reference"]: r for r in reasons}.values())
    return resource
