"""Search over HTTP: searchset Bundles, paging links, _include, _summary, _elements,
_total, POST _search, unknown parameters (https://hl7.org/fhir/R4/search.html)."""

from __future__ import annotations

import pytest
import requests

from tests.server.conftest import FHIR_JSON, Server
from tests.storage.samples import condition, observation, patient


def store_all(server: Server, *resources: dict) -> None:
    for resource in resources:
        server.store.update(resource)


def link(bundle: dict, relation: str) -> str | None:
    return next((item["url"] for item in bundle.get("link", [])
                 if item["relation"] == relation), None)


def test_search_answers_a_searchset_with_full_urls_and_match_mode(server, http):
    store_all(server, patient(), observation("o1"), observation("o2", code="718-7"))
    bundle = http.get(server.url("Observation"),
                      params={"patient": "Patient/p1", "code": "http://loinc.org|777-3"}).json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    assert [e["fullUrl"] for e in bundle["entry"]] == [server.url("Observation/o1")]
    assert bundle["entry"][0]["search"] == {"mode": "match"}
    assert link(bundle, "self").startswith(server.url("Observation?"))


def test_paging_follows_next_and_previous_links_without_repeats_or_gaps(server, http):
    store_all(server, patient(), *(observation(f"o{i:02d}") for i in range(7)))
    seen: list[str] = []
    url: str | None = server.url("Observation?_count=3&_sort=_id")
    pages = []
    while url:
        page = http.get(url).json()
        pages.append(page)
        seen += [entry["resource"]["id"] for entry in page["entry"]]
        url = link(page, "next")
    assert seen == [f"o{i:02d}" for i in range(7)]
    assert len(pages) == 3
    back = http.get(link(pages[-1], "previous")).json()
    assert [e["resource"]["id"] for e in back["entry"]] == ["o03", "o04", "o05"]


def test_include_adds_referenced_resources_in_include_mode(server, http):
    store_all(server, patient(), condition())
    bundle = http.get(server.url("Condition"),
                      params={"_include": "Condition:subject"}).json()
    modes = {e["resource"]["resourceType"]: e["search"]["mode"] for e in bundle["entry"]}
    assert modes == {"Condition": "match", "Patient": "include"}
    revinclude = http.get(server.url("Patient"),
                          params={"_revinclude": "Condition:subject"}).json()
    assert {e["resource"]["resourceType"] for e in revinclude["entry"]} == {"Patient",
                                                                            "Condition"}


def test_total_accurate_and_summary_count(server, http):
    store_all(server, patient(), *(observation(f"o{i}") for i in range(4)))
    accurate = http.get(server.url("Observation"),
                        params={"_total": "accurate", "_count": "1"}).json()
    assert accurate["total"] == 4 and len(accurate["entry"]) == 1
    counted = http.get(server.url("Observation"), params={"_summary": "count"}).json()
    assert counted["total"] == 4 and "entry" not in counted  # FHIR JSON has no empty arrays
    nothing = http.get(server.url("Observation"), params={"code": "http://loinc.org|0000-0"}).json()
    assert nothing["type"] == "searchset" and "entry" not in nothing


def test_summary_and_elements_shrink_entries_and_tag_them(server, http):
    store_all(server, patient())
    summary = http.get(server.url("Patient"), params={"_summary": "true"}).json()
    resource = summary["entry"][0]["resource"]
    assert "name" in resource and "text" not in resource
    assert any(tag["code"] == "SUBSETTED" for tag in resource["meta"]["tag"])
    elements = http.get(server.url("Patient"), params={"_elements": "gender"}).json()
    assert set(elements["entry"][0]["resource"]) == {"resourceType", "id", "meta", "gender"}
    data = http.get(server.url("Patient"), params={"_summary": "data"}).json()
    assert "telecom" in data["entry"][0]["resource"]


def test_post_search_takes_a_form_body(server, http):
    store_all(server, patient("p1"), patient("p2", gender="male"))
    response = http.post(server.url("Patient/_search"), data={"gender": "male"})
    assert response.status_code == 200
    assert [e["resource"]["id"] for e in response.json()["entry"]] == ["p2"]
    wrong = http.post(server.url("Patient/_search"), data=b'{"gender": "male"}',
                      headers={"Content-Type": FHIR_JSON})
    assert wrong.status_code == 415


def test_unknown_parameter_is_reported_in_an_outcome_entry_or_refused_when_strict(server,
                                                                                  http):
    store_all(server, patient())
    lenient = http.get(server.url("Patient"), params={"shoe-size": "42"}).json()
    outcome = [e for e in lenient["entry"] if e["search"]["mode"] == "outcome"]
    assert len(outcome) == 1
    assert [issue["diagnostics"] for issue in outcome[0]["resource"]["issue"]] == [
        "Search parameter 'shoe-size' is not known for Patient (ignored)"]
    assert [e["resource"]["id"] for e in lenient["entry"] if e["search"]["mode"] == "match"
            ] == ["p1"]
    strict = http.get(server.url("Patient"), params={"shoe-size": "42"},
                      headers={"Prefer": "handling=strict"})
    assert strict.status_code == 400
    assert strict.json()["resourceType"] == "OperationOutcome"


def test_malformed_search_values_are_refused_with_400(server, http):
    assert http.get(server.url("Observation"), params={"date": "yesterday"}).status_code == 400
    assert http.get(server.url("Observation"), params={"_count": "many"}).status_code == 400


def test_search_on_an_unknown_type_is_404(server, http: requests.Session):
    response = http.get(server.url("Spaceship"))
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"


def searched(server: Server, http: requests.Session, method: str, path: str,
             params: list[tuple[str, str]]) -> requests.Response:
    """A search by GET (query string) or POST (form body)."""
    if method == "GET":
        return http.get(server.url(path), params=params)
    return http.post(server.url(f"{path}/_search"), data=params)


LARGE_SEARCHES = {
    # each parameter a subquery: thousands kept a PostgreSQL backend planning for hours
    "criteria": ("Observation", [("code", f"http://loinc.org|{i}-1") for i in range(31)],
                 [("code", f"http://loinc.org|{i}-1") for i in range(30)]),
    # SQLite refused an OR of a thousand values (an expression tree too deep): a 500
    "values": ("Patient", [("name", ",".join(f"n{i}" for i in range(501)))],
               [("name", ",".join(f"n{i}" for i in range(500)))]),
    # SQLite's parser overflowed from four nested references: a 500
    "chain": ("Observation", [("has-member." * 4 + "code", "x")],
              [("has-member." * 3 + "code", "x")]),
    "reverse chain": ("Observation", [("_has:Observation:has-member:" * 4 + "code", "x")],
                      [("_has:Observation:has-member:" * 3 + "code", "x")]),
}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("kind", sorted(LARGE_SEARCHES))
def test_a_search_larger_than_the_limits_is_a_400_naming_the_limit_and_one_within_them_runs(
        server, http, kind, method):
    from fhirsvc.storage.search.parse import MAX_CRITERIA, MAX_LINKS, MAX_VALUES

    store_all(server, patient(), observation("o1"))
    path, over, within = LARGE_SEARCHES[kind]
    refused = searched(server, http, method, path, over)
    assert refused.status_code == 400, refused.text
    [issue] = refused.json()["issue"]
    limit = {"criteria": MAX_CRITERIA, "values": MAX_VALUES}.get(kind, MAX_LINKS)
    assert f"at most {limit} " in issue["diagnostics"]
    answered = searched(server, http, method, path, within)
    assert answered.status_code == 200, answered.text
    assert answered.json()["type"] == "searchset"
