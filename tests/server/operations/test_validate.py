"""$validate: every issue in an OperationOutcome with status 200; nothing stored."""

from __future__ import annotations

import pytest

from fhirsvc.errors import InvalidRequest, UnsupportedMediaType
from fhirsvc.storage import parse_search
from tests.storage import samples


def issues(result, severity=("error", "fatal")):
    return [i for i in result.resource["issue"] if i["severity"] in severity]


def test_a_valid_resource_gives_an_outcome_without_errors(invoke):
    result = invoke("validate", "Observation", body=samples.observation())
    assert result.status == 200
    assert result.resource["resourceType"] == "OperationOutcome"
    assert issues(result) == []


def test_an_invalid_resource_gives_every_issue_with_status_200(invoke, services):
    broken = samples.observation() | {"status": "sort-of", "valueQuantity": {"value": "many"}}
    del broken["code"]
    result = invoke("validate", "Observation", body=broken)
    assert result.status == 200
    found = issues(result)
    expressions = {e for issue in found for e in issue.get("expression", [])}
    assert any("status" in e for e in expressions)
    assert any("code" in e or "code" in issue["diagnostics"] for issue in found
               for e in issue.get("expression", [""]))
    assert len(found) >= 3
    assert services.store.search(parse_search("Observation", [])).matches == []


def test_a_parameters_body_carries_resource_and_mode(invoke):
    resource = samples.condition()
    del resource["id"]
    result = invoke("validate", "Condition", "c1", body={
        "resourceType": "Parameters",
        "parameter": [{"name": "resource", "resource": resource},
                      {"name": "mode", "valueCode": "update"}]})
    assert any("id" in issue["diagnostics"] for issue in issues(result))


def test_update_mode_needs_the_id_of_the_url(invoke):
    result = invoke("validate", "Condition", "other", params=[("mode", "update")],
                    body=samples.condition("c1"))
    assert any("'other'" in issue["diagnostics"] for issue in issues(result))


def test_a_resource_of_another_type_than_the_url_is_an_issue(invoke):
    result = invoke("validate", "Patient", body=samples.observation())
    assert any("Observation" in issue["diagnostics"] for issue in issues(result))


def test_a_named_profile_is_checked(invoke):
    from fhirsvc.terminology.systems import FHIRSVC_STRUCTURE_DEFINITION

    bare = samples.observation()
    profile = f"{FHIRSVC_STRUCTURE_DEFINITION}/fhirsvc-observation"
    plain = issues(invoke("validate", "Observation", body=bare))
    held = issues(invoke("validate", "Observation", body=bare, params=[("profile", profile)]))
    assert plain == [] and held, "fhirsvc's profile asks more than base R4"
    unknown = issues(invoke("validate", "Observation", body=bare,
                            params=[("profile", "http://example.org/none")]))
    assert any("not known" in issue["diagnostics"] for issue in unknown)


def test_delete_mode_checks_the_resource_exists(invoke, services):
    services.store.load([samples.patient("p1")])
    assert issues(invoke("validate", "Patient", "p1", params=[("mode", "delete")])) == []
    missing = issues(invoke("validate", "Patient", "p9", params=[("mode", "delete")]))
    assert missing and missing[0]["code"] == "not-found"


def test_unreadable_bodies_are_bad_requests(invoke):
    with pytest.raises(InvalidRequest, match="JSON"):
        invoke("validate", "Patient", raw=b"{not json")
    with pytest.raises(InvalidRequest, match="needs a resource"):
        invoke("validate", "Patient")
    with pytest.raises(UnsupportedMediaType):
        invoke("validate", "Patient", raw=b"a,b", content_type="text/csv")
    with pytest.raises(InvalidRequest, match="mode"):
        invoke("validate", "Patient", params=[("mode", "sideways")], body=samples.patient())


def test_an_xml_resource_is_validated_like_its_json(invoke):
    xml = (b'<Patient xmlns="http://hl7.org/fhir"><gender value="female"/>'
           b'<birthDate value="1970-13-45"/></Patient>')
    found = issues(invoke("validate", "Patient", raw=xml, content_type="application/fhir+xml"))
    assert any("birthDate" in e for issue in found for e in issue.get("expression", []))
