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


@pytest.mark.parametrize("param", ["_include", "_revinclude"])
def test_an_include_naming_a_target_type_not_served_is_refused_not_ignored(
        server, http, param):
    """Each part of ``Type:parameter:targetType`` that names nothing is a 400: an unknown
    target type included nothing without a word, as if the client had not asked."""
    store_all(server, patient(), condition())
    refused = http.get(server.url("Condition"), params={param: "Condition:subject:Spaceship"})
    assert refused.status_code == 400, refused.text
    assert "Spaceship" in refused.json()["issue"][0]["diagnostics"]
    impossible = http.get(server.url("Condition"),
                          params={param: "Condition:subject:MedicationAdministration"})
    assert impossible.status_code == 400, impossible.text  # subject never refers to one
    typed = http.get(server.url("Condition"), params={"_include": "Condition:subject:Patient"})
    assert {e["search"]["mode"] for e in typed.json()["entry"]} == {"match", "include"}


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


def test_summary_true_keeps_summary_choice_elements(server, http):
    """Observation.value[x] and effective[x] are summary elements: a summary without the
    measured value would hide the one thing a client listing results wants."""
    store_all(server, patient(), observation())
    summary = http.get(server.url("Observation"), params={"_summary": "true"}).json()
    resource = summary["entry"][0]["resource"]
    assert resource["valueQuantity"]["value"] == 150
    assert "effectiveDateTime" in resource


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
    assert issue["code"] == "too-costly"
    limit = {"criteria": MAX_CRITERIA, "values": MAX_VALUES}.get(kind, MAX_LINKS)
    assert f"at most {limit} " in issue["diagnostics"]
    answered = searched(server, http, method, path, within)
    assert answered.status_code == 200, answered.text
    assert answered.json()["type"] == "searchset"


def _values(prefix: str, count: int) -> str:
    return ",".join(f"{prefix}{i}" for i in range(count))


#: Searches within the limits (or just past one) that SQLite's parser refused with a 500:
#: each answers 200 or a 400 ``too-costly`` naming the limit, on both backends.
COSTLY_SEARCHES = {
    "three links and a criterion": ("Observation", [("focus.focus.focus.code", "a"),
                                                    ("status", "final")]),
    "two typed chains": ("Observation", [
        ("subject:Patient.link:Patient.link:Patient.name", "a"),
        ("subject:Patient.link:Patient.link:Patient.family", "b")]),
    "values along a link": ("Observation", [("subject:Patient.name", _values("n", 350))]),
    "values under _has": ("Patient", [("_has:Observation:subject:code", _values("c", 350))]),
    "values along a chain": ("Observation", [
        ("subject:Patient.link:Patient.link:Patient.name", _values("n", 150))]),
    "negated values": ("Observation", [("code:not", _values("c", 500))]),
    "many small ORs": ("Observation", [("code", _values("c", 16)) for _ in range(30)]),
}


@pytest.mark.parametrize("kind", sorted(COSTLY_SEARCHES))
def test_a_costly_search_is_answered_or_refused_as_too_costly_never_a_500(server, http, kind):
    store_all(server, patient(), observation("o1"))
    path, params = COSTLY_SEARCHES[kind]
    response = http.get(server.url(path), params=params)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        [issue] = response.json()["issue"]
        assert issue["code"] == "too-costly"
        assert "at most" in issue["diagnostics"]


def test_only_criteria_searched_on_count_toward_the_limit(server, http):
    """A parameter the server ignores (with a warning) is no criterion: thirty criteria
    and an unknown parameter, or an unknown name with many dots, are answered."""
    store_all(server, patient(), observation("o1"))
    criteria = [("code", f"http://loinc.org|{i}-1") for i in range(30)]
    for ignored in ("colour", "colour.shade.tone.hue.tint"):
        response = http.get(server.url("Observation"), params=[*criteria, (ignored, "red")])
        assert response.status_code == 200, response.text
        warnings = [e["resource"] for e in response.json()["entry"]
                    if e["search"]["mode"] == "outcome"]
        assert ignored.partition(".")[0] in str(warnings)


def test_a_chain_counts_every_type_it_reaches_toward_the_values_limit(server, http):
    """``focus.code`` searches the codes of every type with a code that a focus may be:
    200 values on it are more than 500 in the SQL, while on ``subject:Patient.name``
    (one type) they fit."""
    store_all(server, patient(), observation("o1"))
    names = _values("n", 200)
    refused = http.get(server.url("Observation"), params={"focus.code": names})
    assert refused.status_code == 400, refused.text
    assert refused.json()["issue"][0]["code"] == "too-costly"
    answered = http.get(server.url("Observation"), params={"subject:Patient.name": names})
    assert answered.status_code == 200, answered.text
