"""Realistic resources in the shape fhirsvc's converter emits, for the storage tests."""

from __future__ import annotations

from typing import Any

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CASE_TAG = {"system": "https://fhirsvc.example/case", "code": "seed-001"}

JSON = dict[str, Any]


def coded(system: str, code: str, display: str | None = None, text: str | None = None) -> JSON:
    """A CodeableConcept with one coding."""
    coding = {"system": system, "code": code, **({"display": display} if display else {})}
    return {"coding": [coding], **({"text": text} if text else {})}


def clinical(resource_type: str, rid: str, pid: str, status: str, **body: Any) -> JSON:
    """A resource about patient ``pid``: type, id, status and subject, then ``body``."""
    return {"resourceType": resource_type, "id": rid, "status": status,
            "subject": {"reference": f"Patient/{pid}"}, **body}


def patient(pid: str = "p1", family: str = "Müller", given: str = "Anna",
            gender: str = "female", birth: str = "1970-03-02", **extra: Any) -> JSON:
    return {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"tag": [CASE_TAG],
                 "profile": ["http://hl7.org/fhir/StructureDefinition/Patient"]},
        "identifier": [{"system": "https://fhirsvc.example/case-patient", "value": f"case-{pid}"}],
        "name": [{"use": "official", "family": family, "given": [given]}],
        "gender": gender,
        "birthDate": birth,
        "telecom": [{"system": "email", "value": f"{given.lower()}@example.org"}],
        "address": [{"city": "Zürich", "country": "CH", "postalCode": "8001"}],
        **extra,
    }


def condition(cid: str = "c1", pid: str = "p1", snomed: str = "44054006",
              icd: str = "E11.9", text: str = "Type 2 diabetes mellitus",
              onset: str = "2015-06", recorded: str = "2016-11-05") -> JSON:
    terminology = "http://terminology.hl7.org/CodeSystem"
    body = clinical(
        "Condition", cid, pid, "",
        clinicalStatus=coded(f"{terminology}/condition-clinical", "active"),
        verificationStatus=coded(f"{terminology}/condition-ver-status", "confirmed"),
        category=[coded(f"{terminology}/condition-category", "problem-list-item")],
        code={"coding": [{"system": SNOMED, "code": snomed, "display": text},
                         {"system": ICD10CM, "code": icd, "display": text}], "text": text},
        onsetDateTime=onset,
        recordedDate=recorded,
    )
    del body["status"]  # Condition has clinicalStatus instead
    return body


def observation(oid: str = "o1", pid: str = "p1", code: str = "777-3",
                display: str = "Platelets [#/volume] in Blood by Automated count",
                value: float | int = 150, unit: str = "10*3/uL",
                when: str = "2016-11-05T10:00:00Z", **extra: Any) -> JSON:
    return clinical(
        "Observation", oid, pid, "final",
        category=[coded("http://terminology.hl7.org/CodeSystem/observation-category",
                        "laboratory")],
        code=coded(LOINC, code, display, display),
        effectiveDateTime=when,
        valueQuantity={"value": value, "unit": unit, "system": UCUM, "code": unit},
        **extra,
    )


def blood_pressure(oid: str = "bp1", pid: str = "p1", systolic: int = 142,
                   diastolic: int = 91) -> JSON:
    def component(code: str, display: str, value: int) -> JSON:
        return {"code": coded(LOINC, code, display),
                "valueQuantity": {"value": value, "unit": "mm[Hg]", "system": UCUM,
                                  "code": "mm[Hg]"}}

    return clinical(
        "Observation", oid, pid, "final",
        code=coded(LOINC, "85354-9", "Blood pressure"),
        effectiveDateTime="2016-11-05",
        component=[component("8480-6", "Systolic blood pressure", systolic),
                   component("8462-4", "Diastolic blood pressure", diastolic)],
    )


def procedure(prid: str = "pr1", pid: str = "p1", snomed: str = "80146002",
              text: str = "Appendectomy", performed: str = "2016-11-06") -> JSON:
    return clinical("Procedure", prid, pid, "completed", code=coded(SNOMED, snomed, text, text),
                    performedDateTime=performed, reasonReference=[{"reference": "Condition/c1"}])


def medication_administration(mid: str = "m1", pid: str = "p1", rxnorm: str = "860975",
                              text: str = "metformin 500 MG Oral Tablet") -> JSON:
    return clinical(
        "MedicationAdministration", mid, pid, "completed",
        medicationCodeableConcept=coded(RXNORM, rxnorm, text, text),
        effectivePeriod={"start": "2016-11-05T08:00:00Z", "end": "2016-11-12T08:00:00Z"},
        reasonReference=[{"reference": "Condition/c1"}],
    )


def document_reference(did: str = "d1", pid: str = "p1") -> JSON:
    return clinical(
        "DocumentReference", did, pid, "current",
        type=coded(LOINC, "11526-1", "Pathology study"),
        date="2019-04-02T09:30:00+02:00",
        description="Published case report: metformin-associated lactic acidosis",
        content=[{"attachment": {"contentType": "text/plain", "language": "en",
                                 "url": "https://journal.example/case/1234"}}],
    )


def provenance(vid: str = "v1", targets: tuple[str, ...] = ("Condition/c1",),
               pid: str = "p1") -> JSON:
    return {
        "resourceType": "Provenance",
        "id": vid,
        "target": [{"reference": t} for t in (*targets, f"Patient/{pid}")],
        "recorded": "2024-05-01T10:00:00Z",
        "agent": [{"type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
            "code": "assembler"}]}, "who": {"display": "fhirsvc"}}],
        "entity": [{"role": "source", "what": {"reference": "DocumentReference/d1"}}],
    }


def case(pid: str = "p1") -> list[JSON]:
    """One converted case report: every resource type fhirsvc emits."""
    return [
        patient(pid),
        condition("c1", pid),
        observation("o1", pid),
        blood_pressure("bp1", pid),
        procedure("pr1", pid),
        medication_administration("m1", pid),
        document_reference("d1", pid),
        provenance("v1", ("Condition/c1", "Observation/o1"), pid),
    ]
