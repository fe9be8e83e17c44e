"""System-level search over HTTP: ``GET [base]?…`` and ``POST [base]/_search``, across all
types with the parameters every resource has, or across the types ``_type`` lists with
the parameters they share (https://hl7.org/fhir/R4/http.html#search,
https://hl7.org/fhir/R4/search.html#_type)."""

from __future__ import annotations

from fhirclient import client as smart_client
from fhirclient.models.bundle import Bundle
from fhirpy import SyncFHIRClient

from tests.server.test_search import link, store_all
from tests.storage.samples import (
    CASE_TAG,
    LOINC,
    case,
    condition,
    observation,
    patient,
    provenance,
)

OTHER_TAG = {"system": "https://fhirsvc.example/case", "code": "seed-002"}


def tagged(resource: dict, tag: dict = CASE_TAG) -> dict:
    return {**resource, "meta": {"tag": [tag]}}


def found(bundle: dict, mode: str = "match") -> list[str]:
    return [f"{e['resource']['resourceType']}/{e['resource']['id']}"
            for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def outcome(bundle: dict) -> list[str]:
    return [issue["diagnostics"] for e in bundle.get("entry", [])
            if e["search"]["mode"] == "outcome" for issue in e["resource"]["issue"]]


def test_a_common_parameter_finds_resources_of_every_type(server, http):
    store_all(server, tagged(patient("p1")), tagged(condition("c1")),
              tagged(observation("o1"), OTHER_TAG), tagged(observation("o2")))
    bundle = http.get(server.base, params={"_tag": "https://fhirsvc.example/case|seed-001"}
                      ).json()
    assert bundle["type"] == "searchset"
    assert sorted(found(bundle)) == ["Condition/c1", "Observation/o2", "Patient/p1"]
    assert {e["fullUrl"] for e in bundle["entry"]} == {
        server.url("Condition/c1"), server.url("Observation/o2"), server.url("Patient/p1")}
    assert link(bundle, "self").startswith(server.base + "?")
    assert outcome(bundle) == []


def test_id_and_last_updated_work_across_types(server, http):
    store_all(server, patient("same"), condition("same", pid="same"), observation("o1"))
    by_id = http.get(server.base, params={"_id": "same"}).json()
    assert sorted(found(by_id)) == ["Condition/same", "Patient/same"]
    later = http.get(server.base, params={"_lastUpdated": "gt2999-01-01"}).json()
    assert found(later) == []
    earlier = http.get(server.base, params={"_lastUpdated": "le2999-01-01",
                                            "_total": "accurate"}).json()
    assert earlier["total"] == 3


def test_type_limits_the_types_and_admits_the_parameters_they_share(server, http):
    store_all(server, patient("p1"), patient("p2"), condition("c1"), observation("o1"),
              observation("o2", pid="p2"), provenance("v1"))
    only = http.get(server.base, params={"_type": "Patient,Condition"}).json()
    assert sorted(found(only)) == ["Condition/c1", "Patient/p1", "Patient/p2"]
    shared = http.get(server.base, params={"_type": "Condition,Observation",
                                           "patient": "Patient/p1"}).json()
    assert sorted(found(shared)) == ["Condition/c1", "Observation/o1"]
    assert outcome(shared) == []
    coded = http.get(server.base, params={"_type": "Condition,Observation",
                                          "code": f"{LOINC}|777-3"}).json()
    assert sorted(found(coded)) == ["Observation/o1", "Observation/o2"]
    assert "_type=Condition%2CObservation" in link(coded, "self")


def test_a_parameter_not_every_searched_type_has_is_reported_or_refused_when_strict(
        server, http):
    store_all(server, patient("p1"), patient("p2", gender="male"), condition("c1"))
    everywhere = http.get(server.base, params={"gender": "male"}).json()
    assert len(outcome(everywhere)) == 1 and "gender" in outcome(everywhere)[0]
    assert sorted(found(everywhere)) == ["Condition/c1", "Patient/p1", "Patient/p2"]
    partly = http.get(server.base, params={"_type": "Patient,Condition", "gender": "male"}
                      ).json()
    assert any("'gender'" in text and "Condition" in text and "_type" in text
               for text in outcome(partly))
    strict = http.get(server.base, params={"_type": "Patient,Condition", "gender": "male"},
                      headers={"Prefer": "handling=strict"})
    assert strict.status_code == 400
    assert strict.json()["resourceType"] == "OperationOutcome"
    one_type = http.get(server.base, params={"_type": "Patient", "gender": "male"},
                        headers={"Prefer": "handling=strict"}).json()
    assert found(one_type) == ["Patient/p2"]


def test_unknown_types_and_unsupported_parameters(server, http):
    assert http.get(server.base, params={"_type": "Patient,Spaceship"}).status_code == 400
    store_all(server, patient("p1"))
    text = http.get(server.base, params={"_content": "Anna"}).json()
    assert any("_content" in diagnostics for diagnostics in outcome(text))


def test_paging_across_types_is_stable_in_both_directions(server, http):
    store_all(server, *(patient(f"p{i}") for i in range(3)),
              *(condition(f"c{i}") for i in range(3)), *(observation(f"o{i}") for i in range(3)))
    url: str | None = f"{server.base}?_count=4&_type=Patient,Condition,Observation"
    pages, seen = [], []
    while url:
        page = http.get(url).json()
        pages.append(page)
        seen += found(page)
        url = link(page, "next")
    assert len(seen) == len(set(seen)) == 9 and len(pages) == 3
    back = http.get(link(pages[-1], "previous")).json()
    assert found(back) == found(pages[1])
    server.store.update(patient("late"))  # a new resource sorts after the pages already seen
    again = http.get(link(pages[0], "next")).json()
    assert found(again) == found(pages[1])


def test_sort_by_a_common_or_shared_parameter(server, http):
    store_all(server, patient("b"), condition("a"), observation("c"))
    by_id = http.get(server.base, params={"_sort": "-_id"}).json()
    assert found(by_id) == ["Observation/c", "Patient/b", "Condition/a"]
    store_all(server, observation("o9", code="9999-9"))
    by_code = http.get(server.base, params={"_type": "Condition,Observation",
                                            "_sort": "code,_id"}).json()
    # SNOMED 44054006 < LOINC 777-3 < 9999-9, compared as code text
    assert found(by_code) == ["Condition/a", "Observation/c", "Observation/o9"]
    mixed = http.get(server.base, params={"_type": "Patient,Condition", "_sort": "gender"}
                     ).json()
    assert any("sort" in text for text in outcome(mixed))


def test_result_parameters_apply_across_types(server, http):
    store_all(server, patient("p1"), condition("c1"), provenance("v1"))
    counted = http.get(server.base, params={"_summary": "count"}).json()
    assert counted["total"] == 3 and "entry" not in counted
    limited = http.get(server.base, params={"_type": "Patient,Condition", "_elements": "id"}
                       ).json()
    for entry in limited["entry"]:  # mandatory elements (Condition.subject) stay
        assert not {"name", "code", "gender"} & set(entry["resource"])
        assert any(tag["code"] == "SUBSETTED" for tag in entry["resource"]["meta"]["tag"])
    included = http.get(server.base, params={"_type": "Condition",
                                             "_include": "Condition:subject",
                                             "_revinclude": "Provenance:target"}).json()
    assert found(included) == ["Condition/c1"]
    assert sorted(found(included, "include")) == ["Patient/p1", "Provenance/v1"]


def test_post_search_at_the_base_takes_a_form_body(server, http):
    store_all(server, patient("p1"), condition("c1"))
    response = http.post(server.url("_search"), data={"_type": "Condition", "_id": "c1"})
    assert response.status_code == 200
    assert found(response.json()) == ["Condition/c1"]


def test_fhirpy_searches_the_whole_system_and_pages(server):
    """fhirpy's search sets keep only entries of their own type, so the system search
    goes through ``fetch_raw`` and the next pages through ``execute``."""
    for resource in case():
        server.store.update(resource)
    fhir = SyncFHIRClient(server.base)
    page = fhir.resources("").search(_type="Condition,Observation").limit(2).fetch_raw()
    seen = []
    while True:
        seen += [(e["resource"]["resourceType"], e["resource"]["id"]) for e in page["entry"]]
        following = [item["url"] for item in page["link"] if item["relation"] == "next"]
        if not following:
            break
        page = fhir.execute(following[0].removeprefix(server.base), method="get")
    expected = [r for r in case() if r["resourceType"] in ("Condition", "Observation")]
    assert len(expected) > 2
    assert sorted(seen) == sorted((r["resourceType"], r["id"]) for r in expected)


def test_fhirclient_reads_a_system_search_as_an_r4_bundle(server):
    for resource in case():
        server.store.update(resource)
    fhir = smart_client.FHIRClient(settings={"app_id": "fhirsvc-tests",
                                             "api_base": server.base + "/"})
    raw = fhir.server.request_json("?_type=Patient,Condition&_count=1")
    bundle = Bundle(raw)  # fhirclient's R4 models check the structure
    assert bundle.type == "searchset" and len(bundle.entry) == 1
    following = [item.url for item in bundle.link if item.relation == "next"]
    assert following and following[0].startswith(server.base + "?")


def test_capability_statement_declares_system_search_and_its_parameters(server, http):
    rest = http.get(server.url("metadata")).json()["rest"][0]
    assert "search-system" in {i["code"] for i in rest["interaction"]}
    listed = {p["name"]: p["type"] for p in rest["searchParam"]}
    assert listed == {"_type": "token", "_id": "token", "_lastUpdated": "date",
                      "_tag": "token", "_security": "token", "_profile": "uri",
                      "_source": "uri"}


def test_a_criterion_counts_once_per_searched_type_toward_the_limits(server, http):
    """A system search parses each criterion for every type in ``_type``: nine types and
    thirty criteria took PostgreSQL seconds while counted as thirty."""
    from fhirsvc.storage.search.parse import MAX_CRITERIA

    types = ("Patient", "Observation", "Condition")
    criteria = [("_tag", f"http://example.org/t|{i}") for i in range(MAX_CRITERIA // 3 + 1)]
    refused = http.get(server.base, params=[("_type", ",".join(types)), *criteria])
    assert refused.status_code == 400, refused.text
    [issue] = refused.json()["issue"]
    assert issue["code"] == "too-costly" and f"at most {MAX_CRITERIA} " in issue["diagnostics"]
    answered = http.get(server.base, params=[("_type", ",".join(types)), *criteria[1:]])
    assert answered.status_code == 200, answered.text
