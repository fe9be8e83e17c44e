"""Patient, DocumentReference, Provenance and Device: what the report says about itself."""

from __future__ import annotations

import base64
from decimal import Decimal

from fhirsvc import __version__
from fhirsvc.mappers.common import Ref
from fhirsvc.mappers.document import document_reference
from fhirsvc.mappers.patient import patient
from fhirsvc.mappers.provenance import device, provenance
from fhirsvc.model import Age, PatientCase, Report, ReportMetadata, Sex, Span
from fhirsvc.terminology import systems
from tests.mappers.builders import DOCUMENT, PATIENT, spans_of


def test_patient_age_is_kept_as_stated_in_ucum_years() -> None:
    case = PatientCase("p1", Sex.MALE, Span(20, 23), Age(Decimal("32"), "a", Span(2, 13)))
    resource = patient(case, PATIENT, DOCUMENT)
    [age] = [e for e in resource["extension"] if e["url"] == systems.PATIENT_AGE]
    assert age["valueAge"] == {"value": 32, "unit": "years", "system": systems.UCUM, "code": "a"}
    assert resource["gender"] == "male"
    assert spans_of(resource) == [(2, 11), (20, 3)]
    assert "name" not in resource and "birthDate" not in resource


def test_infant_age_in_months() -> None:
    case = PatientCase("p1", age=Age(Decimal("4"), "mo", Span(2, 12)))
    [age] = [e for e in patient(case, PATIENT, DOCUMENT)["extension"]
             if e["url"] == systems.PATIENT_AGE]
    assert age["valueAge"]["code"] == "mo" and age["valueAge"]["unit"] == "months"


def test_name_only_when_the_report_names_the_patient_and_no_gender_when_unstated() -> None:
    named = patient(PatientCase("p1", name="Zhang", name_span=Span(0, 5)), PATIENT, DOCUMENT)
    assert named["name"] == [{"text": "Zhang"}]
    assert "gender" not in named
    assert patient(PatientCase("p1"), PATIENT, DOCUMENT) == {"resourceType": "Patient",
                                                               "id": PATIENT.id}


def test_birth_date_only_when_stated_with_the_words_as_its_derivation() -> None:
    case = PatientCase("p1", birth_date="1987-05", birth_span=Span(10, 30))
    resource = patient(case, PATIENT, DOCUMENT)
    assert resource["birthDate"] == "1987-05"
    assert len(resource["extension"]) == 1  # the derivation-reference to the words
    assert "birthDate" not in patient(PatientCase("p1"), PATIENT, DOCUMENT)


def test_a_newborns_hours_of_life_are_an_age_in_hours() -> None:
    case = PatientCase("p1", age=Age(Decimal(36), "h", Span(0, 19)))
    [age] = [e for e in patient(case, PATIENT, DOCUMENT)["extension"] if "valueAge" in e]
    assert age["valueAge"]["code"] == "h" and age["valueAge"]["unit"] == "hours"


def test_a_newborns_age_range_is_a_value_range_of_days() -> None:
    case = PatientCase("p1", age=Age(Decimal(0), "d", Span(2, 9), high=Decimal(27)))
    [age] = [e for e in patient(case, PATIENT, DOCUMENT)["extension"]
             if e["url"] == systems.PATIENT_AGE]
    assert age["valueRange"]["low"]["value"] == 0 and age["valueRange"]["high"]["value"] == 27
    assert age["valueRange"]["high"]["code"] == "d" and "valueAge" not in age


def test_document_reference_keeps_the_text_doi_authors_and_date() -> None:
    text = "Title line\nA 12-year-old boy…\n"
    report = Report(text, "case-1", title="Title line", metadata=ReportMetadata(
        doi="10.1097/md.0000000000013287", authors=("Kai Mu", "Jing Zhang"), journal="Medicine",
        date="2018"))
    resource = document_reference(report, DOCUMENT, PATIENT)
    assert resource["identifier"] == [{"system": "urn:ietf:rfc:3986",
                                       "value": "https://doi.org/10.1097/md.0000000000013287"}]
    assert resource["author"] == [{"display": "Kai Mu"}, {"display": "Jing Zhang"}]
    assert resource["subject"] == PATIENT.reference()
    attachment = resource["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]).decode("utf-8") == text
    assert attachment["title"] == "Title line"
    assert attachment["creation"] == "2018"
    assert resource["description"] == "Title line (Medicine)"


def test_document_without_title_is_titled_by_its_name_and_has_no_subject_without_patient() -> None:
    resource = document_reference(Report("text", "report-9"), DOCUMENT, None)
    assert resource["content"][0]["attachment"]["title"] == "report-9"
    assert "subject" not in resource and "identifier" not in resource


def test_provenance_names_fhirsvc_and_its_version_as_the_agent() -> None:
    agent = Ref("Device", "d1")
    targets = [PATIENT, Ref("Condition", "c1")]
    resource = provenance(Ref("Provenance", "v1"), targets, DOCUMENT, agent, "2026-01-01T00:00:00Z")
    assert resource["target"] == [t.reference() for t in targets]
    assert resource["agent"][0]["who"] == {"reference": "urn:uuid:d1",
                                           "display": f"fhirsvc {__version__}"}
    assert resource["entity"] == [{"role": "source", "what": DOCUMENT.reference()}]
    assert resource["policy"] == [systems.FHIRSVC_METHOD]
    assert device(agent)["version"] == [{"value": __version__}]
