"""Condition: a disorder, sign or symptom the patient has, had, or was found not to have.

https://hl7.org/fhir/R4/condition.html. ``verificationStatus`` carries the
assertion (refuted when negated, provisional when uncertain, confirmed otherwise);
``clinicalStatus`` the course the text states (no clinical status for a refuted
condition: there is no condition to have a course). ``category`` is
``encounter-diagnosis``: a case report states what was found during its episode of
care, not a maintained problem list. A stage written beside the disorder ("CKD stage 3")
is its ``stage``: the words as the summary, the stage Observation as the assessment; the
code is the disorder's code at that stage where the code system has one
(``mappings/staged_codes.tsv``: chronic kidney disease stage 3 is N18.30, not N18.9).
A name that states its stage itself ("stage 4 chronic kidney disease", one ICD-10-CM
term) gives the stage's summary alone: no Observation states it apart.
"""

from __future__ import annotations

from fhirsvc.extract import staging
from fhirsvc.mappers.common import (
    JSON,
    Ref,
    Scope,
    Stage,
    concept,
    derivations,
    hl7_concept,
    words,
)
from fhirsvc.mappers.groups import Group
from fhirsvc.model import ClinicalStatus, Context, Fact
from fhirsvc.terminology import systems
from fhirsvc.terminology.stages import staged_codings

_CLINICAL_DISPLAY = {
    ClinicalStatus.ACTIVE: "Active",
    ClinicalStatus.RECURRENCE: "Recurrence",
    ClinicalStatus.RELAPSE: "Relapse",
    ClinicalStatus.INACTIVE: "Inactive",
    ClinicalStatus.REMISSION: "Remission",
    ClinicalStatus.RESOLVED: "Resolved",
}
_ABATED = frozenset({ClinicalStatus.INACTIVE, ClinicalStatus.REMISSION, ClinicalStatus.RESOLVED})


def verification(context: Context) -> JSON:
    code, display = (("refuted", "Refuted") if context.negated
                     else ("provisional", "Provisional") if context.uncertain
                     else ("confirmed", "Confirmed"))
    return hl7_concept(systems.CONDITION_VER_STATUS, code, display)


def current_status(facts: tuple[Fact, ...]) -> ClinicalStatus:
    """The status now: a status pinned to a date is history, so the last undated one
    wins, else the one with the latest date; ``active`` when the text states none."""
    stated = [f.mention for f in facts if f.mention.status is not None]
    undated = [m for m in stated if not (m.when and m.when.date)]
    if undated:
        return undated[-1].status  # type: ignore[return-value]
    dated = sorted(stated, key=lambda m: m.when.date if m.when and m.when.date else "")
    return dated[-1].status if dated else ClinicalStatus.ACTIVE  # type: ignore[return-value]


def _onset(facts: tuple[Fact, ...]) -> JSON:
    dates = sorted(f.mention.when.date for f in facts if f.mention.when and f.mention.when.date)
    if dates:
        return {"onsetDateTime": dates[0]}
    said = next((words(f.mention.when.relative) for f in facts
                 if f.mention.when and f.mention.when.relative), "")
    return {"onsetString": said} if said else {}


def _abatement(facts: tuple[Fact, ...], status: ClinicalStatus) -> JSON:
    ends = sorted(f.mention.when.end_date for f in facts
                  if f.mention.when and f.mention.when.end_date)
    return {"abatementDateTime": ends[-1]} if ends and status in _ABATED else {}


def condition(group: Group, ref: Ref, scope: Scope) -> JSON:
    first = group.first
    context = first.mention.context
    resource: JSON = {"resourceType": "Condition", "id": ref.id,
                      "extension": derivations(scope.document, group.spans)}
    status = current_status(group.facts)
    if not context.negated:
        resource["clinicalStatus"] = hl7_concept(systems.CONDITION_CLINICAL, str(status),
                                                 _CLINICAL_DISPLAY[status])
    resource["verificationStatus"] = verification(context)
    resource["category"] = [hl7_concept(systems.CONDITION_CATEGORY, "encounter-diagnosis",
                                        "Encounter Diagnosis")]
    stages = () if context.negated else scope.stages.get(ref.id, ())
    codings = staged_codings(first.codings, stages[-1].value) if stages else first.codings
    resource["code"] = concept(codings, first.mention.text)
    resource["subject"] = scope.patient.reference()
    resource |= _onset(group.facts)
    if not context.negated:
        resource |= _abatement(group.facts, status)
    if stages:
        resource["stage"] = [_stage(s) for s in stages]
    elif not context.negated and (named := staging.stated_in(first.mention.text)):
        resource["stage"] = [{"summary": concept(text=named)}]
    return resource


def _stage(stage: Stage) -> JSON:
    """One Condition.stage: the stage as written and the Observation stating it. The last
    stage the text gives codes the Condition (the stage it reached)."""
    return {"summary": concept(text=stage.summary),
            "assessment": [stage.assessment.reference()]}
