"""Mappers: pure functions from a coded report to FHIR R4 resources and a Bundle.

    map_report(coded) -> [DocumentReference, Patient, Condition…, Device, Provenance]
    to_bundle(coded, "transaction") -> Bundle

One module per resource type; :mod:`~fhirsvc.mappers.groups` decides which facts
become which resource, :mod:`~fhirsvc.mappers.ids` gives every resource a
deterministic id. Resources are plain JSON dicts, keys in R4's element order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from fhirsvc.mappers.bundle import BUNDLE_TYPES, BundleType, bundle
from fhirsvc.mappers.common import JSON, Ref, Scope, Stage
from fhirsvc.mappers.condition import condition
from fhirsvc.mappers.document import document_reference
from fhirsvc.mappers.groups import (
    CONDITION,
    MEDICATION_ADMINISTRATION,
    OBSERVATION,
    PROCEDURE,
    Group,
    group,
)
from fhirsvc.mappers.ids import Ids, device_id
from fhirsvc.mappers.medication import gives_dose, medication_administration
from fhirsvc.mappers.observation import observation
from fhirsvc.mappers.patient import patient
from fhirsvc.mappers.procedure import procedure
from fhirsvc.mappers.provenance import device, provenance
from fhirsvc.model import CodedPatient, CodedReport

__all__ = ["BUNDLE_TYPES", "DEFAULT_RECORDED", "BundleType", "map_report", "to_bundle"]

#: Provenance.recorded unless the caller gives the real time: fixed, so output is reproducible.
DEFAULT_RECORDED = "2026-01-01T00:00:00Z"

_MAPPERS: dict[str, Callable[[Group, Ref, Scope], JSON]] = {
    CONDITION: condition,
    PROCEDURE: procedure,
    OBSERVATION: observation,
    MEDICATION_ADMINISTRATION: medication_administration,
}


def _patient_resources(coded: CodedPatient, subject: Ref, document: Ref, ids: Ids) -> list[JSON]:
    key = coded.case.key
    groups = group(coded.facts)
    refs = [Ref(g.type, ids.of_span(g.type, key, g.first.mention.span)) for g in groups]
    scope = Scope(document, subject,
                  {f.mention.span: ref
                   for g, ref in zip(groups, refs, strict=True) for f in g.facts})
    stages, focus = _stages(groups, refs, scope)
    scope = replace(scope, stages=stages, focus=focus)
    resources = [patient(coded.case, subject, document)]
    for g, ref in zip(groups, refs, strict=True):
        resources.append(_MAPPERS[g.type](g, ref, scope))
        if g.type == PROCEDURE and any(gives_dose(f) for f in g.facts):
            given = Ref(MEDICATION_ADMINISTRATION,
                        ids.of_span(MEDICATION_ADMINISTRATION, key, g.first.mention.span))
            resources.append(medication_administration(g, given, scope, part_of=ref))
    return resources


def _stages(groups: list[Group], refs: list[Ref],
            scope: Scope) -> tuple[dict[str, tuple[Stage, ...]], dict[str, Ref]]:
    """Each Condition's stages, by its id: the stage Observations whose phrase was written
    beside one of the Condition's mentions (:class:`~fhirsvc.model.Staging`); and the
    Condition each of those Observations is of (its ``focus``), by the Observation's id."""
    found: dict[str, list[Stage]] = {}
    focus: dict[str, Ref] = {}
    for g, ref in zip(groups, refs, strict=True):
        staging, result = g.first.mention.staging, g.first.mention.result
        staged = scope.resource_at(staging.disorder) if staging is not None else None
        if staging is None or staged is None or staged.type != CONDITION:
            continue
        focus[ref.id] = staged
        if result is not None:
            found.setdefault(staged.id, []).append(Stage(staging.summary, result.text, ref))
    return {key: tuple(stages) for key, stages in found.items()}, focus


def map_report(coded: CodedReport, recorded: str = DEFAULT_RECORDED) -> list[JSON]:
    """Every resource of the report: the source, each patient's resources, the Provenance."""
    ids = Ids(coded.report)
    document = Ref("DocumentReference", ids.of("DocumentReference"))
    subjects = [Ref("Patient", ids.of("Patient", p.case.key)) for p in coded.patients]
    resources = [document_reference(coded.report, document,
                                    subjects[0] if len(subjects) == 1 else None)]
    for coded_patient, subject in zip(coded.patients, subjects, strict=True):
        resources += _patient_resources(coded_patient, subject, document, ids)
    agent = Ref("Device", device_id())
    targets = [Ref(r["resourceType"], r["id"]) for r in resources]
    return [*resources, device(agent),
            provenance(Ref("Provenance", ids.of("Provenance")), targets, document, agent, recorded)]


def to_bundle(coded: CodedReport, bundle_type: BundleType = "transaction",
              recorded: str = DEFAULT_RECORDED) -> JSON:
    """The report's resources as one Bundle (see :mod:`fhirsvc.mappers.bundle`)."""
    return bundle(Ids(coded.report).of("Bundle", bundle_type), map_report(coded, recorded),
                  bundle_type)
