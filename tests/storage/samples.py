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
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
            "code": "active"}]},
        "verificationStatus": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
            "code": "confirmed"}]},
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-category",
            "code": "problem-list-item"}]}],
        "code": {"coding": [
            {"system": SNOMED, "code": snomed, "display": text},
            {"system": ICD10CM, "code": icd, "display": text},
        ], "text": text},
        "subject": {"reference": f"Patient/{pid}"},
        "onsetDateTime": onset,
        "recordedDate": recorded,
    }


def observation(oid: str = "o1", pid: str = "p1", code: str = "777-3",
                display: str = "Platelets [#/volume] in Blood by Automated count",
                value: float | int = 150, unit: str = "10*3/uL",
                when: str = "2016-11-05T10:00:00Z", **extra: Any) -> JSON:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}],
                 "text": display},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
        **extra,
    }


def blood_pressure(oid: str = "bp1", pid: str = "p1", systolic: int = 142,
                   diastolic: int = 91) -> JSON:
    def component(code: str, display: str, value: int) -> JSON:
        return {"code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                "valueQuantity": {"value": value, "unit": "mm[Hg]", "system": UCUM,
                                  "code": "mm[Hg]"}}

    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "85354-9", "display": "Blood pressure"}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": "2016-11-05",
        "component": [component("8480-6", "Systolic blood pressure", systolic),
                      component("8462-4", "Diastolic blood pressure", diastolic)],
    }


def procedure(prid: str = "pr1", pid: str = "p1", snomed: str = "80146002",
              text: str = "Appendectomy", performed: str = "2016-11-06") -> JSON:
    return {
        "resourceType": "Procedure",
        "id": prid,
        "status": "completed",
        "code": {"coding": [{"system": SNOMED, "code": snomed, "display": text}], "text": text},
        "subject": {"reference": f"Patient/{pid}"},
        "performedDateTime": performed,
        "reasonReference": [{"reference": "Condition/c1"}],
    }


def medication_administration(mid: str = "m1", pid: str = "p1", rxnorm: str = "860975",
                              text: str = "metformin 500 MG Oral Tablet") -> JSON:
    return {
        "resourceType": "MedicationAdministration",
        "id": mid,
        "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": rxnorm,
                                                  "display": text}], "text": text},
        "subject": {"reference": f"Patient/{pid}"},
        "effectivePeriod": {"start": "2016-11-05T08:00:00Z", "end": "2016-11-12T08:00:00Z"},
        "reasonReference": [{"reference": "Condition/c1"}],
    }


def document_reference(did: str = "d1", pid: str = "p1") -> JSON:
    return {
        "resourceType": "DocumentReference",
        "id": did,
        "status": "current",
        "type": {"coding": [{"system": LOINC, "code": "11526-1", "display": "Pathology study"}]},
        "subject": {"reference": f"Patient/{pid}"},
        "date": "2019-04-02T09:30:00+02:00",
        "description": "Published case report: metformin-associated lactic acidosis",
        "content": [{"attachment": {"contentType": "text/plain", "language": "en",
                                    "url": "https://journal.example/case/1234"}}],
    }


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
