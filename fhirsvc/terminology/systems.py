"""Every code-system, value-set and extension URI fhirsvc writes, in one place.

External code systems use the URIs registered in HL7 terminology
(https://terminology.hl7.org/external_terminologies.html); FHIR's own code systems
use their R4 canonical URLs.
"""

from typing import Final

# External terminologies
SNOMED_CT: Final = "http://snomed.info/sct"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC: Final = "http://loinc.org"
RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
ORPHANET: Final = "http://www.orpha.net"
HPO: Final = "http://human-phenotype-ontology.org"
UCUM: Final = "http://unitsofmeasure.org"
DOI: Final = "urn:ietf:rfc:3986"
#: The terminologies a concept is coded in, in the order a resource lists their codings.
CONCEPT_SYSTEMS: Final = (SNOMED_CT, ICD10CM, LOINC, RXNORM, ORPHANET, HPO)

# FHIR R4 / HL7 terminology code systems
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VER_STATUS: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
OBSERVATION_INTERPRETATION: Final = (
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
)
PROVENANCE_PARTICIPANT_TYPE: Final = (
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
)
DATA_OPERATION: Final = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
DOCUMENT_REFERENCE_TYPE_LOINC: Final = LOINC

# Standard extensions (http://hl7.org/fhir/R4/extensibility-registry.html)
DERIVATION_REFERENCE: Final = "http://hl7.org/fhir/StructureDefinition/derivation-reference"

# fhirsvc's own canonical base, for profiles, extensions and operations in conformance/
FHIRSVC_BASE: Final = "http://fhirsvc.org/fhir"
FHIRSVC_STRUCTURE_DEFINITION: Final = f"{FHIRSVC_BASE}/StructureDefinition"
FHIRSVC_VALUE_SET: Final = f"{FHIRSVC_BASE}/ValueSet"
FHIRSVC_OPERATION_DEFINITION: Final = f"{FHIRSVC_BASE}/OperationDefinition"
#: Extension on fhirsvc's ValueSets naming the curated table whose codes they contain.
VALUE_SET_SOURCE_TABLE: Final = f"{FHIRSVC_STRUCTURE_DEFINITION}/valueset-source-table"

# Added for the mappers (fhirsvc/mappers/)
DATA_ABSENT_REASON: Final = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
DATA_ABSENT_REASON_CODES: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
V3_ROLE_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
PATIENT_AGE: Final = f"{FHIRSVC_STRUCTURE_DEFINITION}/patient-age"
GRAFT_SOURCE: Final = f"{FHIRSVC_STRUCTURE_DEFINITION}/graft-source"
FHIRSVC_METHOD: Final = f"{FHIRSVC_BASE}/method/case-report-conversion"
