"""The operations over real HTTP, through the real app, on SQLite and PostgreSQL."""

from __future__ import annotations

from fhirsvc.terminology import systems
from tests.storage import samples

FHIR_JSON = "application/fhir+json"


def test_everything_pages_follow_their_next_links(server, http):
    server.store.load(samples.case("p1"))
    url = server.url("Patient/p1/$everything?_count=3")
    seen = []
    while url:
        response = http.get(url)
        assert response.status_code == 200
        bundle = response.json()
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
        seen += [e["fullUrl"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    assert seen[0] == server.url("Patient/p1")
    assert len(seen) == len(set(seen)) == len(samples.case("p1"))


def test_everything_of_an_unknown_patient_is_404_with_an_outcome(server, http):
    response = http.get(server.url("Patient/nobody/$everything"))
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_validate_answers_200_with_every_issue(server, http):
    broken = samples.observation() | {"status": "sort-of"}
    response = http.post(server.url("Observation/$validate"), json=broken,
                         headers={"Content-Type": FHIR_JSON})
    assert response.status_code == 200
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert any(i["severity"] == "error" for i in outcome["issue"])
    assert http.get(server.url("Observation")).json().get("total", 0) == 0


def test_validate_with_a_parameters_body_in_xml(server, http):
    xml = ('<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="resource"/>'
           '<resource><Patient><gender value="female"/></Patient></resource></parameter>'
           '</Parameters>')
    response = http.post(server.url("Patient/$validate"), data=xml.encode(),
                         headers={"Content-Type": "application/fhir+xml"})
    assert response.status_code == 200
    assert not [i for i in response.json()["issue"] if i["severity"] == "error"]


def test_lookup_and_its_404(server, http):
    response = http.get(server.url("CodeSystem/$lookup"),
                        params={"system": systems.ICD10CM, "code": "E11.9"})
    assert response.status_code == 200
    display = next(p["valueString"] for p in response.json()["parameter"]
                   if p["name"] == "display")
    assert display.startswith("Type 2 diabetes mellitus")
    missing = http.get(server.url("CodeSystem/$lookup"),
                       params={"system": systems.ICD10CM, "code": "E11.999999"})
    assert missing.status_code == 404
    assert missing.json()["resourceType"] == "OperationOutcome"


def test_expand_and_validate_code_in_xml_and_json(server, http):
    url = "http://hl7.org/fhir/ValueSet/administrative-gender"
    expanded = http.get(server.url("ValueSet/$expand"), params={"url": url, "count": "2"})
    assert expanded.status_code == 200
    assert len(expanded.json()["expansion"]["contains"]) == 2
    as_xml = http.get(server.url("ValueSet/$validate-code"),
                      params={"url": url, "system": "http://hl7.org/fhir/administrative-gender",
                              "code": "unicorn", "_format": "xml"})
    assert as_xml.status_code == 200
    assert '<valueBoolean value="false"/>' in as_xml.text


def test_operations_refuse_levels_they_do_not_have(server, http):
    assert http.get(server.url("Observation/$everything")).status_code in (404, 405)
    assert http.get(server.url("$lookup")).status_code in (404, 405)


def test_convert_stores_a_posted_report_and_refuses_get(server, http):
    from pathlib import Path

    seed = sorted((Path(__file__).parents[3] / "seeds").glob("*.txt"))[2]
    response = http.post(server.url("$convert"), data=seed.read_bytes(),
                         headers={"Content-Type": "text/plain; charset=utf-8"})
    assert response.status_code == 200
    bundle = response.json()
    patient = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Patient")
    assert http.get(server.url(f"Patient/{patient['id']}")).status_code == 200
    everything = http.get(server.url(f"Patient/{patient['id']}/$everything")).json()
    assert len(everything["entry"]) > 1
    assert http.get(server.url("$convert")).status_code == 405
