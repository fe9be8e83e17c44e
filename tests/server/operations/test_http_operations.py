"""The operations over real HTTP, through the real app, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime

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


def walk(http, url: str) -> tuple[list[str], list[dict]]:
    """Every match entry's ``Type/id`` over all pages, and the pages."""
    seen: list[str] = []
    pages: list[dict] = []
    next_url: str | None = url
    while next_url:
        response = http.get(next_url)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        seen += [f"{e['resource']['resourceType']}/{e['resource']['id']}"
                 for e in pages[-1].get("entry", []) if e["search"]["mode"] == "match"]
        next_url = next((link["url"] for link in pages[-1]["link"]
                         if link["relation"] == "next"), None)
    return seen, pages


def two_records() -> tuple[list[dict], list[dict]]:
    first = samples.case("p1")
    second = [samples.patient("p2"), samples.condition("c-p2", "p2"),
              samples.observation("o-p2", "p2")]
    return first, second


def test_type_level_everything_walks_every_patient_record_in_pages(server, http):
    first, second = two_records()
    server.store.load([*first, *second, samples.observation("o-nobody", "ghost")])
    for count in (2, 5, 100):
        seen, pages = walk(http, server.url(f"Patient/$everything?_count={count}"))
        assert len(seen) == len(set(seen)), count
        assert sorted(seen) == sorted(f"{r['resourceType']}/{r['id']}"
                                      for r in [*first, *second]), count
        assert seen.index("Patient/p2") == len(first)  # one record after the other
        assert all(len([e for e in page.get("entry", []) if e["search"]["mode"] == "match"])
                   <= count for page in pages)
        assert pages[0]["link"][0]["url"].startswith(server.url("Patient/$everything"))


def test_type_level_everything_takes_type_and_since(server, http):
    first, second = two_records()
    server.store.load([*first, *second])
    seen, _ = walk(http, server.url("Patient/$everything?_type=Patient,Condition&_count=2"))
    assert sorted(seen) == sorted(f"{r['resourceType']}/{r['id']}" for r in [*first, *second]
                                  if r["resourceType"] in ("Patient", "Condition"))
    time.sleep(0.01)
    mark = datetime.now(UTC).isoformat()
    changed = server.store.update(samples.observation("o-p2", "p2", value=99))
    since = http.get(server.url("Patient/$everything"), params={"_since": mark})
    assert since.status_code == 200
    assert [f"{e['resource']['resourceType']}/{e['resource']['id']}"
            for e in since.json()["entry"] if e["search"]["mode"] == "match"
            ] == [changed.reference]
    assert http.get(server.url("Patient/$everything"),
                    params={"_type": "Spaceship"}).status_code == 400


def test_type_level_everything_reaches_patients_added_while_paging(server, http):
    first, second = two_records()
    server.store.load([*first, *second])
    response = http.get(server.url("Patient/$everything?_count=2")).json()
    third = [samples.patient("p3"), samples.condition("c-p3", "p3")]
    server.store.load(third)
    url = next(link["url"] for link in response["link"] if link["relation"] == "next")
    seen, _ = walk(http, url)
    earlier = [f"{e['resource']['resourceType']}/{e['resource']['id']}"
               for e in response["entry"] if e["search"]["mode"] == "match"]
    assert sorted(earlier + seen) == sorted(f"{r['resourceType']}/{r['id']}"
                                            for r in [*first, *second, *third])


def test_type_level_everything_reaches_patients_added_while_in_the_last_record(server, http):
    first, second = two_records()
    server.store.load([*first, *second])
    response = http.get(server.url(f"Patient/$everything?_count={len(first) + 1}")).json()
    earlier = [f"{e['resource']['resourceType']}/{e['resource']['id']}"
               for e in response["entry"] if e["search"]["mode"] == "match"]
    assert earlier[-1] == "Patient/p2"  # the page ends inside the last patient's record
    third = [samples.patient("p3"), samples.condition("c-p3", "p3")]
    server.store.load(third)
    url = next(link["url"] for link in response["link"] if link["relation"] == "next")
    seen, pages = walk(http, url)
    assert sorted(earlier + seen) == sorted(f"{r['resourceType']}/{r['id']}"
                                            for r in [*first, *second, *third])
    assert "entry" in pages[-1]  # the walk ends on its last records, not on an empty page


def test_type_level_everything_of_an_empty_store_is_an_empty_searchset(server, http):
    bundle = http.get(server.url("Patient/$everything")).json()
    assert bundle["type"] == "searchset" and "entry" not in bundle
    assert [link["relation"] for link in bundle["link"]] == ["self"]


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
