"""Write tests/validation/broken/: one defect per file, and EXPECTED.tsv naming it.

Each case copies a valid example from tests/validation/examples/, breaks exactly one
thing, and records the layer that must catch it, the issue's severity and code, its
FHIRPath location, and a word of the message. Run: ``python tools/make_broken_corpus.py``
(deterministic; rewrites the folder).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "validation" / "examples"
OUT = ROOT / "tests" / "validation" / "broken"
DRV = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
UCUM = "http://unitsofmeasure.org"
HEADER = ("file", "layer", "fhirsvc_profiles", "severity", "code", "expression", "text")
JSON = dict[str, Any]
# Entry order of bundle-transaction.json
DOC, PAT, CON, FEV, PROC, OBS, MED, DEV, PROV = range(9)

CASES: list[tuple[str, str, Callable[[JSON], None], str, str, str, str, str]] = []


def case(name: str, source: str, layer: str, code: str, expression: str, text: str,
         severity: str = "error") -> Callable[[Callable[[JSON], None]], Callable[[JSON], None]]:
    def register(mutate: Callable[[JSON], None]) -> Callable[[JSON], None]:
        CASES.append((name, source, mutate, layer, severity, code, expression, text))
        return mutate
    return register


def entry(bundle: JSON, index: int) -> JSON:
    resource: JSON = bundle["entry"][index]["resource"]
    return resource


B = "bundle-transaction"
E = "Bundle.entry"

# ---------------------------------------------------------------- 1 structure
case("patient-unknown-element", "patient", "structure", "structure", "Patient.nickname",
     "Unknown element")(lambda r: r.update(nickname="Bob"))
case("patient-gender-not-a-string", "patient", "structure", "value", "Patient.gender",
     "JSON string")(lambda r: r.update(gender=1))
case("patient-birthdate-month-13", "patient", "structure", "value", "Patient.birthDate",
     "not a valid date")(lambda r: r.update(birthDate="2016-13-01", _birthDate=None) or r.pop("_birthDate"))
case("patient-name-not-an-array", "patient", "structure", "structure", "Patient.name",
     "JSON array")(lambda r: r.update(name={"family": "Doe"}))
case("patient-empty-name", "patient", "structure", "invariant", "Patient.name[0]",
     "ele-1")(lambda r: r.update(name=[{}]))
case("patient-null-gender", "patient", "structure", "structure", "Patient.gender",
     "null")(lambda r: r.update(gender=None))
case("patient-deceased-two-types", "patient", "structure", "structure", "Patient.deceased",
     "one type only")(lambda r: r.update(deceasedBoolean=False, deceasedDateTime="2020"))
case("condition-missing-subject", "condition", "structure", "required", "Condition.subject",
     "minimum cardinality")(lambda r: r.pop("subject"))
case("condition-onset-february-30", "condition", "structure", "value",
     "Condition.onset.ofType(dateTime)", "no such calendar day")(
    lambda r: r.update(onsetDateTime="2023-02-30"))
case("condition-empty-category-array", "condition", "structure", "structure", "Condition.category",
     "must not be empty")(lambda r: r.update(category=[]))
case("procedure-missing-status", "procedure", "structure", "required", "Procedure.status",
     "minimum cardinality")(lambda r: r.pop("status"))
case("procedure-performed-not-a-date", "procedure", "structure", "value",
     "Procedure.performed.ofType(dateTime)", "not a valid dateTime")(
    lambda r: (r.pop("performedPeriod"), r.update(performedDateTime="November 2023")))
case("observation-missing-status", "observation", "structure", "required", "Observation.status",
     "minimum cardinality")(lambda r: r.pop("status"))
case("observation-two-values", "observation", "structure", "structure", "Observation.value",
     "one type only")(lambda r: r.update(valueString="8.1 g/dL"))
case("observation-value-as-string", "observation", "structure", "value",
     "Observation.value.ofType(Quantity).value", "JSON number")(
    lambda r: r["valueQuantity"].update(value="8.1"))
case("medication-administration-missing-effective", "medication-administration", "structure",
     "required", "MedicationAdministration.effective", "minimum cardinality")(
    lambda r: r.pop("effectiveDateTime"))
case("medication-administration-dosage-as-array", "medication-administration", "structure",
     "structure", "MedicationAdministration.dosage", "not a list")(
    lambda r: r.update(dosage=[r["dosage"]]))
case("document-reference-missing-content", "document-reference", "structure", "required",
     "DocumentReference.content", "minimum cardinality")(lambda r: r.pop("content"))
case("document-reference-bad-base64", "document-reference", "structure", "value",
     "DocumentReference.content[0].attachment.data", "not a valid base64Binary")(
    lambda r: r["content"][0]["attachment"].update(data="not base64!"))
case("provenance-missing-recorded", "provenance", "structure", "required", "Provenance.recorded",
     "minimum cardinality")(lambda r: r.pop("recorded"))
case("provenance-recorded-without-timezone", "provenance", "structure", "value",
     "Provenance.recorded", "not a valid instant")(lambda r: r.update(recorded="2024-01-15T10:30:00"))
case("bundle-missing-type", B, "structure", "required", "Bundle.type",
     "minimum cardinality")(lambda r: r.pop("type"))
case("bundle-entry-unknown-element", B, "structure", "structure",
     f"{E}[{CON}].resource.severityText", "Unknown element")(
    lambda r: entry(r, CON).update(severityText="severe"))
case("bundle-entry-observation-bad-date", B, "structure", "value",
     f"{E}[{OBS}].resource.effective.ofType(dateTime)", "not a valid dateTime")(
    lambda r: entry(r, OBS).update(effectiveDateTime="2023-11-31"))
case("bundle-entry-unknown-resource-type", B, "structure", "structure", f"{E}[{DEV}].resource",
     "Unknown resource type")(lambda r: entry(r, DEV).update(resourceType="Gadget"))

# ---------------------------------------------------------------- 2 schema
case("schema-patient-unknown-element", "patient", "schema", "structure", "Patient.nickname",
     "additionalProperties")(lambda r: r.update(nickname="Bob"))
case("schema-observation-status-not-in-enum", "observation", "schema", "value",
     "Observation.status", "enum")(lambda r: r.update(status="done"))
case("schema-condition-missing-subject", "condition", "schema", "required", "Condition.subject",
     "required")(lambda r: r.pop("subject"))
case("schema-bundle-entry-bad-date", B, "schema", "value",
     f"{E}[{OBS}].resource.effective.ofType(dateTime)", "pattern")(
    lambda r: entry(r, OBS).update(effectiveDateTime="23-11-2023"))

# ---------------------------------------------------------------- 3 terminology
case("patient-gender-not-in-value-set", "patient", "terminology", "code-invalid",
     "Patient.gender", "required value set")(lambda r: r.update(gender="boy"))
case("condition-clinical-status-unknown-code", "condition", "terminology", "code-invalid",
     "Condition.clinicalStatus", "required value set")(
    lambda r: r["clinicalStatus"]["coding"][0].update(code="relapsed"))
case("condition-icd10cm-code-does-not-exist", "condition", "terminology", "code-invalid",
     "Condition.code.coding[1].code", "Unknown code")(
    lambda r: r["code"]["coding"][1].update(code="C91.09"))
case("procedure-status-not-in-value-set", "procedure", "terminology", "code-invalid",
     "Procedure.status", "required value set")(lambda r: r.update(status="done"))
case("observation-unit-not-ucum", "observation", "terminology", "code-invalid",
     "Observation.value.ofType(Quantity).code", "UCUM")(
    lambda r: r["valueQuantity"].update(code="g/dLL"))
case("observation-category-code-does-not-exist", "observation", "terminology", "code-invalid",
     "Observation.category[0].coding[0].code", "Unknown code")(
    lambda r: r["category"][0]["coding"][0].update(code="lab"))
case("medication-administration-status-not-in-value-set", "medication-administration",
     "terminology", "code-invalid", "MedicationAdministration.status", "required value set")(
    lambda r: r.update(status="given"))
case("medication-administration-dose-unit-not-ucum", "medication-administration", "terminology",
     "code-invalid", "MedicationAdministration.dosage.dose.code", "UCUM")(
    lambda r: r["dosage"]["dose"].update(code="mg per kg"))
case("document-reference-status-not-in-value-set", "document-reference", "terminology",
     "code-invalid", "DocumentReference.status", "required value set")(
    lambda r: r.update(status="final"))
case("provenance-entity-role-not-in-value-set", "provenance", "terminology", "code-invalid",
     "Provenance.entity[0].role", "required value set")(
    lambda r: r["entity"][0].update(role="origin"))
case("bundle-type-not-in-value-set", B, "terminology", "code-invalid", "Bundle.type",
     "required value set")(lambda r: r.update(type="transactions"))
case("bundle-entry-request-method-not-in-value-set", B, "terminology", "code-invalid",
     f"{E}[{PAT}].request.method", "required value set")(
    lambda r: r["entry"][PAT]["request"].update(method="UPSERT"))
case("bundle-entry-condition-verification-status-unknown", B, "terminology", "code-invalid",
     f"{E}[{CON}].resource.verificationStatus", "required value set")(
    lambda r: entry(r, CON)["verificationStatus"]["coding"][0].update(code="certain"))

# ---------------------------------------------------------------- 4 references
case("condition-subject-is-a-practitioner", "condition", "references", "structure",
     "Condition.subject.reference", "may refer to Patient | Group")(
    lambda r: r["subject"].update(reference="Practitioner/1"))
case("observation-subject-is-an-organization", "observation", "references", "structure",
     "Observation.subject.reference", "may refer to Patient | Group | Device | Location")(
    lambda r: r["subject"].update(reference="Organization/lab-1"))
case("procedure-reason-is-a-patient", "procedure", "references", "structure",
     "Procedure.reasonReference[0].reference", "may refer to")(
    lambda r: r["reasonReference"][0].update(reference="Patient/1"))
case("medication-administration-subject-is-a-device", "medication-administration", "references",
     "structure", "MedicationAdministration.subject.reference", "may refer to")(
    lambda r: r["subject"].update(reference="Device/pump-1"))
case("document-reference-subject-is-a-condition", "document-reference", "references",
     "structure", "DocumentReference.subject.reference", "may refer to")(
    lambda r: r["subject"].update(reference="Condition/1"))
case("provenance-agent-who-is-a-condition", "provenance", "references", "structure",
     "Provenance.agent[0].who.reference", "may refer to")(
    lambda r: r["agent"][0]["who"].update(reference="Condition/1"))
case("patient-reference-type-not-a-resource", "patient", "references", "invalid",
     "Patient.generalPractitioner[0].reference", "not an R4 resource type")(
    lambda r: r.update(generalPractitioner=[{"reference": "Doctor/1"}]))
case("condition-contained-reference-missing", "condition", "references", "not-found",
     "Condition.asserter.reference", "contained")(
    lambda r: r.update(asserter={"reference": "#author"}))
case("bundle-urn-uuid-does-not-resolve", B, "references", "not-found",
     f"{E}[{OBS}].resource.subject.reference", "does not resolve")(
    lambda r: entry(r, OBS)["subject"].update(reference="urn:uuid:00000000-0000-5000-8000-000000000000"))
case("bundle-relative-reference-does-not-resolve", B, "references", "not-found",
     f"{E}[{PROC}].resource.reasonReference[0].reference", "does not resolve")(
    lambda r: entry(r, PROC)["reasonReference"][0].update(reference="Condition/missing"))
case("bundle-entry-subject-wrong-type", B, "references", "structure",
     f"{E}[{CON}].resource.subject.reference", "may refer to Patient | Group")(
    lambda r: entry(r, CON)["subject"].update(reference=r["entry"][DOC]["fullUrl"]))

# ---------------------------------------------------------------- 5 invariants
case("observation-obs-6-value-and-absent-reason", "observation", "invariants", "invariant",
     "Observation", "obs-6")(lambda r: r.update(dataAbsentReason={"text": "not measured"}))
case("observation-obs-7-component-repeats-code", "observation", "invariants", "invariant",
     "Observation", "obs-7")(lambda r: r.update(component=[{"code": r["code"], "valueString": "low"}]))
case("observation-qty-3-code-without-system", "observation", "invariants", "invariant",
     "Observation.value.ofType(Quantity)", "qty-3")(lambda r: r["valueQuantity"].pop("system"))
case("condition-con-4-abated-but-active", "condition", "invariants", "invariant", "Condition",
     "con-4")(lambda r: (r["clinicalStatus"]["coding"][0].update(code="active"),
                         r.update(abatementDateTime="2024")))
case("condition-con-5-entered-in-error-with-status", "condition", "invariants", "invariant",
     "Condition", "con-5")(lambda r: r["verificationStatus"]["coding"][0].update(code="entered-in-error"))
case("condition-dom-3-contained-not-referenced", "condition", "invariants", "invariant",
     "Condition", "dom-3")(lambda r: r.update(contained=[{"resourceType": "Patient", "id": "p"}]))
case("procedure-per-1-period-ends-before-start", "procedure", "invariants", "invariant",
     "Procedure.performed.ofType(Period)", "per-1")(
    lambda r: r.update(performedPeriod={"start": "2023-11-20", "end": "2023-11-02"}))
case("medication-administration-mad-1-dosage-without-dose", "medication-administration",
     "invariants", "invariant", "MedicationAdministration.dosage", "mad-1")(
    lambda r: r.update(dosage={"route": r["dosage"]["route"]}))
case("patient-pat-1-contact-without-details", "patient", "invariants", "invariant",
     "Patient.contact[0]", "pat-1")(
    lambda r: r.update(contact=[{"gender": "female"}]))
case("patient-ext-1-extension-value-and-children", "patient", "invariants", "invariant",
     "Patient.extension[0]", "ext-1")(
    lambda r: r["extension"][0].update(valueString="both"))
case("document-reference-att-1-data-without-content-type", "document-reference", "invariants",
     "invariant", "DocumentReference.content[0].attachment", "att-1")(
    lambda r: r["content"][0]["attachment"].pop("contentType"))
case("provenance-dom-2-nested-contained", "provenance", "invariants", "invariant", "Provenance",
     "dom-2")(lambda r: r.update(contained=[{"resourceType": "Device", "id": "d", "contained": [
         {"resourceType": "Device", "id": "e"}]}], target=[{"reference": "#d"}]))
case("bundle-bdl-7-duplicate-full-url", B, "invariants", "invariant", "Bundle", "bdl-7")(
    lambda r: r["entry"][FEV].update(fullUrl=r["entry"][CON]["fullUrl"]))
case("bundle-bdl-3-transaction-entry-without-request", B, "invariants", "invariant", "Bundle",
     "bdl-3")(lambda r: r["entry"][PAT].pop("request"))
case("bundle-entry-observation-obs-6", B, "invariants", "invariant", f"{E}[{OBS}].resource",
     "obs-6")(lambda r: entry(r, OBS).update(dataAbsentReason={"text": "not measured"}))

# ---------------------------------------------------------------- 6 fhirsvc profiles
def drop_derivation(resource: JSON) -> None:
    resource["extension"] = [e for e in resource["extension"] if e["url"] != DRV]
    if not resource["extension"]:
        resource.pop("extension")


case("condition-without-derivation-reference", "condition", "profiles", "invariant", "Condition",
     "fhirsvc-drv-1")(drop_derivation)
case("procedure-without-derivation-reference", "procedure", "profiles", "invariant", "Procedure",
     "fhirsvc-drv-1")(drop_derivation)
case("observation-without-derivation-reference", "observation", "profiles", "invariant",
     "Observation", "fhirsvc-drv-1")(drop_derivation)
case("medication-administration-without-derivation-reference", "medication-administration",
     "profiles", "invariant", "MedicationAdministration", "fhirsvc-drv-1")(drop_derivation)
case("condition-derivation-reference-without-length", "condition", "profiles", "invariant",
     "Condition", "fhirsvc-drv-2")(lambda r: r["extension"][0]["extension"].pop(2))
case("observation-derivation-reference-negative-offset", "observation", "profiles", "invariant",
     "Observation.extension[0]", "drv-1")(
    lambda r: r["extension"][0]["extension"][1].update(valueInteger=-4))
case("observation-without-value-or-reason", "observation", "profiles", "invariant",
     "Observation", "fhirsvc-obs-1")(lambda r: r.pop("valueQuantity"))
case("condition-without-snomed-or-icd10cm", "condition", "profiles", "invariant", "Condition",
     "fhirsvc-con-1", "warning")(lambda r: r["code"].pop("coding"))
case("condition-claims-profile-without-derivation", "condition", "profiles", "invariant",
     "Condition", "fhirsvc-drv-1")(lambda r: (
         drop_derivation(r),
         r.update(meta={"profile": ["http://fhirsvc.org/fhir/StructureDefinition/fhirsvc-condition"]})))
case("bundle-without-document-reference", B, "profiles", "invariant", "Bundle", "fhirsvc-bdl-1")(
    lambda r: (r["entry"].pop(DOC), [drop_link(e["resource"]) for e in r["entry"]]))
case("bundle-without-provenance", B, "profiles", "invariant", "Bundle", "fhirsvc-bdl-2")(
    lambda r: r["entry"].pop(PROV))
case("bundle-transaction-entry-posted", B, "profiles", "invariant", "Bundle", "fhirsvc-bdl-4")(
    lambda r: r["entry"][OBS]["request"].update(method="POST", url="Observation"))
case("bundle-entry-condition-without-derivation", B, "profiles", "invariant",
     f"{E}[{CON}].resource", "fhirsvc-drv-1")(lambda r: drop_derivation(entry(r, CON)))


def drop_link(resource: JSON) -> None:
    """Without the DocumentReference, nothing may point at it (one defect per file)."""
    for ext in resource.get("extension", []):
        ext.get("extension", [{}])[0].pop("valueReference", None)
        if ext.get("extension") and "valueReference" not in ext["extension"][0] \
                and ext["extension"][0].get("url") == "reference":
            ext["extension"].pop(0)
    for entity in resource.get("entity", []):
        entity["what"] = {"display": "the case report"}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    rows = ["\t".join(HEADER)]
    for name, source, mutate, layer, severity, code, expression, text in CASES:
        resource = copy.deepcopy(json.loads((EXAMPLES / f"{source}.json").read_text()))
        mutate(resource)
        (OUT / f"{name}.json").write_text(json.dumps(resource, indent=2) + "\n")
        # a profile claimed in meta.profile is checked without asking for fhirsvc's own
        profiles = "yes" if layer == "profiles" and "claims-profile" not in name else "no"
        rows.append("\t".join((f"{name}.json", layer, profiles, severity, code, expression, text)))
    (OUT / "EXPECTED.tsv").write_text("\n".join(rows) + "\n")
    print(f"{len(CASES)} broken resources written to {OUT}")


if __name__ == "__main__":
    main()
