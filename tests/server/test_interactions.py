"""Instance and type interactions over real HTTP: read, vread, create, update, patch,
delete, history, and their conditional forms (https://hl7.org/fhir/R4/http.html)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests

from fhirsvc.server.interactions import http_date, micros_http_date, query_string
from fhirsvc.storage.values import from_micros
from tests.server.conftest import FHIR_JSON, Server
from tests.storage.samples import condition, patient

PATCH_JSON = "application/json-patch+json"


def put(http: requests.Session, server: Server, resource: dict, **headers: str
        ) -> requests.Response:
    return http.put(server.url(f"{resource['resourceType']}/{resource['id']}"),
                    json=resource, headers={"Content-Type": FHIR_JSON, **headers})


def test_create_answers_201_with_location_etag_and_the_stored_resource(server, http):
    response = http.post(server.url("Patient"), json=patient(),
                         headers={"Content-Type": FHIR_JSON})
    assert response.status_code == 201
    body = response.json()
    assert body["id"] != "p1"  # the server assigns ids on create
    assert response.headers["Location"] == server.url(f"Patient/{body['id']}/_history/1")
    assert response.headers["ETag"] == 'W/"1"'
    assert response.headers["Last-Modified"].endswith("GMT")
    assert http.get(server.url(f"Patient/{body['id']}")).json()["name"][0]["family"] == "Müller"


def test_update_creates_under_the_client_id_then_versions_it(server, http):
    first = put(http, server, patient())
    assert first.status_code == 201
    second = put(http, server, patient(family="Meier"))
    assert second.status_code == 200
    assert second.headers["ETag"] == 'W/"2"'
    read = http.get(server.url("Patient/p1"))
    assert read.json()["meta"]["versionId"] == "2"
    assert read.json()["name"][0]["family"] == "Meier"
    old = http.get(server.url("Patient/p1/_history/1"))
    assert old.status_code == 200 and old.json()["name"][0]["family"] == "Müller"


def test_history_requests_say_put_for_a_client_id_and_patch_for_a_patch(server, http):
    """Each history entry's request is the one that wrote the version
    (https://hl7.org/fhir/R4/http.html#history): replaying ``PUT Patient/p1`` recreates
    the client's id, where a ``POST Patient`` would mint another."""
    put(http, server, patient())
    patched = http.patch(server.url("Patient/p1"), headers={"Content-Type": PATCH_JSON},
                         data=json.dumps([{"op": "replace", "path": "/gender",
                                           "value": "other"}]))
    assert patched.status_code == 200
    by_identifier = {"identifier": "https://fhirsvc.example/case-patient|case-p1"}
    http.put(server.url("Patient"), params=by_identifier, json=patient(family="Kunz"),
             headers={"Content-Type": FHIR_JSON})
    criteria = "identifier=https%3A%2F%2Ffhirsvc.example%2Fcase-patient%7Ccase-p1"
    expected = [("PUT", f"Patient?{criteria}"), ("PATCH", "Patient/p1"), ("PUT", "Patient/p1")]
    for path in ("Patient/p1/_history", "Patient/_history", "_history"):
        entries = http.get(server.url(path)).json()["entry"]
        assert [(e["request"]["method"], e["request"]["url"]) for e in entries] == expected


def test_read_answers_304_when_the_client_has_the_current_version(server, http):
    put(http, server, patient())
    assert http.get(server.url("Patient/p1"), headers={"If-None-Match": 'W/"1"'}
                    ).status_code == 304
    assert http.get(server.url("Patient/p1"), headers={"If-None-Match": 'W/"0"'}
                    ).status_code == 200
    modified = http.get(server.url("Patient/p1")).headers["Last-Modified"]
    assert http.get(server.url("Patient/p1"), headers={"If-Modified-Since": modified}
                    ).status_code == 304
    assert http.get(server.url("Patient/p1"), headers={
        "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200


def test_update_with_a_stale_if_match_is_refused_with_412_and_stores_nothing(server, http):
    put(http, server, patient())
    put(http, server, patient(family="Meier"))
    stale = put(http, server, patient(family="Stale"), **{"If-Match": 'W/"1"'})
    assert stale.status_code == 412
    assert stale.json()["resourceType"] == "OperationOutcome"
    assert http.get(server.url("Patient/p1")).json()["name"][0]["family"] == "Meier"
    fresh = put(http, server, patient(family="Fresh"), **{"If-Match": 'W/"2"'})
    assert fresh.status_code == 200


def test_update_whose_body_id_differs_from_the_url_is_refused_with_400(server, http):
    response = http.put(server.url("Patient/other"), json=patient(),
                        headers={"Content-Type": FHIR_JSON})
    assert response.status_code == 400
    assert http.get(server.url("Patient/other")).status_code == 404
    assert http.get(server.url("Patient/p1")).status_code == 404


def test_invalid_resource_is_refused_with_422_listing_every_issue(server, http):
    bad = patient(gender="robot", birthDate="yesterday")
    response = put(http, server, bad)
    assert response.status_code == 422
    issues = response.json()["issue"]
    located = {e for issue in issues if issue["severity"] == "error"
               for e in issue.get("expression", [])}
    assert {"Patient.gender", "Patient.birthDate"} <= located
    assert http.get(server.url("Patient/p1")).status_code == 404


def test_delete_makes_later_reads_answer_410_and_history_keeps_the_versions(server, http):
    put(http, server, patient())
    deleted = http.delete(server.url("Patient/p1"))
    assert deleted.status_code == 200
    assert http.get(server.url("Patient/p1")).status_code == 410
    history = http.get(server.url("Patient/p1/_history")).json()
    assert history["type"] == "history" and history["total"] == 2
    methods = [entry["request"]["method"] for entry in history["entry"]]
    assert methods == ["DELETE", "PUT"]  # created by PUT under the client's id
    assert "resource" not in history["entry"][0]
    assert http.delete(server.url("Patient/never")).status_code == 404


def test_history_pages_with_count_and_filters_with_since(server, http):
    for family in ("A", "B", "C"):
        put(http, server, patient(family=family))
    first = http.get(server.url("Patient/p1/_history"), params={"_count": "2"}).json()
    assert [e["resource"]["name"][0]["family"] for e in first["entry"]] == ["C", "B"]
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    rest = http.get(following).json()
    assert [e["resource"]["name"][0]["family"] for e in rest["entry"]] == ["A"]
    since = first["entry"][0]["resource"]["meta"]["lastUpdated"]
    recent = http.get(server.url("_history"), params={"_since": since}).json()
    assert [e["resource"]["name"][0]["family"] for e in recent["entry"]] == ["C"]
    # typed unencoded, the offset's '+' reaches the server as a space
    unencoded = http.get(server.url(f"_history?_since={since.replace('Z', '+00:00')}"))
    assert unencoded.status_code == 200, unencoded.text
    assert [e["resource"]["name"][0]["family"] for e in unencoded.json()["entry"]] == ["C"]
    typed = http.get(server.url("Patient/_history")).json()
    assert len(typed["entry"]) == 3
    assert http.get(server.url("_history"), params={"_since": "yesterday"}).status_code == 400


def test_count_zero_reads_the_same_on_a_history_as_on_a_search(server, http):
    """``_count=0`` is the total without entries on a search and on a history alike, and
    a count that is no whole number is refused by both in the same words."""
    for family in ("A", "B"):
        put(http, server, patient(family=family))
    for path in ("Patient", "Patient/_history", "Patient/p1/_history", "_history"):
        answer = http.get(server.url(path), params={"_count": "0"})
        assert answer.status_code == 200, (path, answer.text)
        body = answer.json()
        assert "entry" not in body and body["total"] == (1 if path == "Patient" else 2), path
        assert [link["relation"] for link in body["link"]] == ["self"], path
        refused = http.get(server.url(path), params={"_count": "-1"})
        assert refused.status_code == 400, path
        [issue] = refused.json()["issue"]
        assert issue["diagnostics"] == "_count must be a whole number, not '-1'", path


def test_conditional_create_returns_the_existing_match_instead_of_a_copy(server, http):
    headers = {"Content-Type": FHIR_JSON,
               "If-None-Exist": "identifier=https://fhirsvc.example/case-patient|case-p1"}
    first = http.post(server.url("Patient"), json=patient(), headers=headers)
    again = http.post(server.url("Patient"), json=patient(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert http.get(server.url("Patient")).json()["total"] == 1


def test_conditional_update_updates_the_single_match_or_creates(server, http):
    criteria = "identifier=https://fhirsvc.example/case-patient|case-p1"
    created = http.put(server.url(f"Patient?{criteria}"),
                       json={k: v for k, v in patient().items() if k != "id"},
                       headers={"Content-Type": FHIR_JSON})
    assert created.status_code == 201
    updated = http.put(server.url(f"Patient?{criteria}"),
                       json={k: v for k, v in patient(family="Meier").items() if k != "id"},
                       headers={"Content-Type": FHIR_JSON})
    assert updated.status_code == 200
    assert updated.json()["id"] == created.json()["id"]
    assert updated.json()["meta"]["versionId"] == "2"


def test_conditional_delete_deletes_the_match_and_refuses_several(server, http):
    put(http, server, patient("p1"))
    put(http, server, patient("p2"))
    assert http.delete(server.url("Patient?gender=female")).status_code == 412
    assert http.delete(server.url("Patient?_id=p2")).status_code == 200
    assert http.get(server.url("Patient/p2")).status_code == 410
    assert http.get(server.url("Patient/p1")).status_code == 200


def test_json_patch_changes_the_resource_and_checks_the_version(server, http):
    put(http, server, patient())
    operations = [{"op": "replace", "path": "/gender", "value": "male"}]
    patched = http.patch(server.url("Patient/p1"), data=json.dumps(operations),
                         headers={"Content-Type": PATCH_JSON, "If-Match": 'W/"1"'})
    assert patched.status_code == 200
    assert patched.json()["gender"] == "male"
    assert patched.headers["ETag"] == 'W/"2"'
    stale = http.patch(server.url("Patient/p1"), data=json.dumps(operations),
                       headers={"Content-Type": PATCH_JSON, "If-Match": 'W/"1"'})
    assert stale.status_code == 412
    invalid = http.patch(server.url("Patient/p1"), data=json.dumps(
        [{"op": "replace", "path": "/gender", "value": "robot"}]),
        headers={"Content-Type": PATCH_JSON})
    assert invalid.status_code == 422
    broken = http.patch(server.url("Patient/p1"), data=json.dumps(
        [{"op": "remove", "path": "/nothing/here"}]), headers={"Content-Type": PATCH_JSON})
    assert broken.status_code == 422
    assert http.get(server.url("Patient/p1")).json()["meta"]["versionId"] == "2"


def test_prefer_return_chooses_the_body_of_a_write(server, http):
    minimal = put(http, server, patient(), Prefer="return=minimal")
    assert minimal.status_code == 201 and minimal.content == b""
    assert minimal.headers["ETag"] == 'W/"1"'
    outcome = put(http, server, patient(), Prefer="return=OperationOutcome")
    assert outcome.json()["resourceType"] == "OperationOutcome"
    full = put(http, server, patient(), Prefer="return=representation")
    assert full.json()["meta"]["versionId"] == "3"


def test_prefer_return_chooses_the_answer_of_a_delete(server, http):
    for pid in ("p1", "p2", "p3", "p4"):
        put(http, server, patient(pid))
    minimal = http.delete(server.url("Patient/p1"), headers={"Prefer": "return=minimal"})
    assert minimal.status_code == 204 and minimal.content == b""
    assert minimal.headers["ETag"] == 'W/"2"'
    outcome = http.delete(server.url("Patient/p2"),
                          headers={"Prefer": "return=OperationOutcome"})
    assert outcome.status_code == 200
    assert outcome.json()["resourceType"] == "OperationOutcome"
    assert "Patient/p2" in outcome.json()["issue"][0]["diagnostics"]
    default = http.delete(server.url("Patient/p3"))
    assert default.status_code == 200 and default.json()["resourceType"] == "OperationOutcome"
    conditional = http.delete(server.url("Patient?_id=p4"), headers={"Prefer": "return=minimal"})
    assert conditional.status_code == 204 and conditional.content == b""
    nothing = http.delete(server.url("Patient?_id=p4"), headers={"Prefer": "return=minimal"})
    assert nothing.status_code == 204
    for pid in ("p1", "p2", "p3", "p4"):
        assert http.get(server.url(f"Patient/{pid}")).status_code == 410


def test_read_with_summary_and_elements_marks_the_subset(server, http):
    put(http, server, condition())
    put(http, server, patient())
    summary = http.get(server.url("Patient/p1"), params={"_summary": "true"}).json()
    assert "telecom" in summary and "name" in summary
    assert "text" not in summary
    tags = [tag["code"] for tag in summary["meta"]["tag"]]
    assert "SUBSETTED" in tags
    elements = http.get(server.url("Condition/c1"), params={"_elements": "code"}).json()
    assert set(elements) == {"resourceType", "id", "meta", "code", "subject"}  # subject is 1..1


def test_concurrent_conditional_creates_store_one_resource(server):
    """The criteria are locked: eight clients racing to create the same patient make one."""
    from tests.storage.helpers import run_threads

    headers = {"Content-Type": FHIR_JSON,
               "If-None-Exist": "identifier=https://fhirsvc.example/case-patient|case-p1"}
    statuses: list[int] = []

    def create_once(index: int) -> None:
        response = requests.post(server.url("Patient"), json=patient(), headers=headers,
                                 timeout=60)
        statuses.append(response.status_code)

    assert run_threads(create_once, 8) == []
    assert sorted(statuses) == [200] * 7 + [201]
    total = requests.get(server.url("Patient"), params={"_total": "accurate"}).json()["total"]
    assert total == 1


def test_unknown_codes_are_refused_when_the_server_checks_codes(server, http):
    from tests.server.conftest import start

    unknown_icd = condition(icd="Q99.99X")
    assert put(http, server, unknown_icd).status_code == 201  # bindings only: accepted
    checking = start(server.store, check_codes=True)
    try:
        refused = put(http, checking, {**unknown_icd, "id": "c2"})
        assert refused.status_code == 422
        assert any("Q99.99X" in issue["diagnostics"] for issue in refused.json()["issue"])
        assert put(http, checking, condition("c3")).status_code == 201
        # a real SNOMED CT code (COVID-19) that fhirsvc's terminology does not hold: accepted
        assert put(http, checking, condition("c4", snomed="840539006")).status_code == 201
    finally:
        checking.http.shutdown()
        checking.http.server_close()


def test_last_modified_is_an_imf_fixdate_in_gmt_whatever_the_offset():
    for moment in (datetime(2026, 11, 23, 23, 12, 35, 624904, tzinfo=UTC),
                   datetime(999, 1, 4, 0, 0, 0, tzinfo=timezone(timedelta(hours=5))),
                   datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone(timedelta(hours=-9)))):
        assert http_date(moment) == format_datetime(moment.astimezone(UTC), usegmt=True)
    assert http_date(datetime(2026, 11, 23, 23, 12, 35, tzinfo=UTC)) == \
        "Mon, 23 Nov 2026 23:12:35 GMT"


def test_last_modified_of_a_stored_time_is_the_fixdate_of_its_whole_second():
    for micros in (0, 999_999, -1, 1_764_000_000_123_456, -30_610_224_000_000_001,
                   253_402_300_799_999_999):
        assert micros_http_date(micros) == format_datetime(from_micros(micros), usegmt=True)


@pytest.mark.parametrize("pairs", [
    [("code", "http://loinc.org|777-3"), ("_count", "20"), ("_cursor", "WyJkMjM5Il0")],
    [("name:exact", "O'Brien %20+&=?#"), ("given", "Zoë Åsa"), ("", ""), ("x", "~._-")],
    [("subject:Patient.name", "a b"), ("_include", "Observation:subject")],
])
def test_link_query_strings_are_written_as_urlencode_writes_them(pairs):
    from urllib.parse import urlencode

    assert query_string(pairs) == urlencode(pairs)
    assert query_string(pairs) == urlencode(pairs)  # a second time, remembered
