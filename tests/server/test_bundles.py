"""transaction and batch Bundles at the base (https://hl7.org/fhir/R4/http.html#transaction)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.server.conftest import FHIR_JSON
from tests.storage.samples import condition, observation, patient


def entry(method: str, url: str, resource: dict | None = None, full_url: str | None = None,
          **request: str) -> dict[str, Any]:
    item: dict[str, Any] = {"request": {"method": method, "url": url, **request}}
    if resource is not None:
        item["resource"] = resource
    if full_url:
        item["fullUrl"] = full_url
    return item


def bundle(kind: str, *entries: dict) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def post(server, http, body: dict):
    return http.post(server.base, json=body, headers={"Content-Type": FHIR_JSON})


def without_id(resource: dict) -> dict:
    return {k: v for k, v in resource.items() if k != "id"}


def test_transaction_gives_urn_uuid_entries_ids_and_rewrites_references(server, http):
    new_patient = without_id(patient())
    new_condition = without_id(condition())
    new_condition["subject"] = {"reference": "urn:uuid:5c3e7e8a-0000-4000-8000-000000000001"}
    response = post(server, http, bundle(
        "transaction",
        entry("POST", "Condition", new_condition),
        entry("POST", "Patient", new_patient,
              full_url="urn:uuid:5c3e7e8a-0000-4000-8000-000000000001"),
    ))
    assert response.status_code == 200
    result = response.json()
    assert result["type"] == "transaction-response"
    statuses = [e["response"]["status"] for e in result["entry"]]
    assert statuses == ["201 Created", "201 Created"]
    condition_id = result["entry"][0]["resource"]["id"]
    patient_id = result["entry"][1]["resource"]["id"]
    stored = http.get(server.url(f"Condition/{condition_id}")).json()
    assert stored["subject"]["reference"] == f"Patient/{patient_id}"


def test_transaction_is_all_or_nothing(server, http):
    server.store.update(patient("keep"))
    response = post(server, http, bundle(
        "transaction",
        entry("PUT", "Patient/p1", patient("p1")),
        entry("DELETE", "Patient/keep"),
        entry("PUT", "Observation/o1", observation("o1")),
        entry("PUT", "Observation/bad", {**observation("bad"), "status": "guessed"}),
    ))
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"
    expressions = [e for issue in response.json()["issue"]
                   for e in issue.get("expression", [])]
    assert any(e.startswith("Bundle.entry[3].resource") for e in expressions)
    assert http.get(server.url("Patient/p1")).status_code == 404
    assert http.get(server.url("Observation/o1")).status_code == 404
    assert http.get(server.url("Patient/keep")).status_code == 200


@pytest.mark.parametrize(("second", "status"), [
    (("GET", "Patient/missing"), 404),  # an entry fails after an earlier write
    (("DELETE", "Patient/p1"), 400),    # one resource changed twice is refused
], ids=["entry-fails-after-earlier-writes", "same-resource-changed-twice"])
def test_transaction_fails_whole_and_names_the_failing_entry(server, http, second, status):
    response = post(server, http, bundle(
        "transaction",
        entry("PUT", "Patient/p1", patient("p1")),
        entry(*second),
    ))
    assert response.status_code == status
    assert "Bundle.entry[1]" in response.json()["issue"][0]["diagnostics"]
    assert http.get(server.url("Patient/p1")).status_code == 404


def test_transaction_processes_deletes_before_creates_and_reads_last(server, http):
    server.store.update(patient("p1"))
    response = post(server, http, bundle(
        "transaction",
        entry("GET", "Patient/p2"),
        entry("PUT", "Patient/p2", patient("p2")),
        entry("DELETE", "Patient/p1"),
    ))
    assert response.status_code == 200
    statuses = [e["response"]["status"] for e in response.json()["entry"]]
    assert statuses == ["200 OK", "201 Created", "200 OK"]
    assert http.get(server.url("Patient/p1")).status_code == 410


def test_conditional_reference_and_conditional_create_resolve_to_stored_resources(server,
                                                                                  http):
    server.store.update(patient("p1"))
    new_condition = without_id(condition())
    new_condition["subject"] = {
        "reference": "Patient?identifier=https://fhirsvc.example/case-patient|case-p1"}
    response = post(server, http, bundle(
        "transaction",
        entry("POST", "Condition", new_condition),
        entry("POST", "Patient", without_id(patient("p1")), full_url="urn:uuid:p",
              ifNoneExist="identifier=https://fhirsvc.example/case-patient|case-p1"),
    ))
    assert response.status_code == 200, response.text
    entries = response.json()["entry"]
    assert entries[1]["response"]["status"] == "200 OK"
    assert entries[1]["resource"]["id"] == "p1"
    assert entries[0]["resource"]["subject"]["reference"] == "Patient/p1"
    assert http.get(server.url("Patient")).json()["total"] == 1
    unresolved = without_id(condition())
    unresolved["subject"] = {"reference": "Patient?identifier=nobody"}
    failed = post(server, http, bundle("transaction", entry("POST", "Condition", unresolved)))
    assert failed.status_code == 412


@pytest.mark.parametrize("stored", [False, True], ids=["creates", "updates"])
def test_a_conditional_update_entry_is_a_reference_target_by_its_full_url(server, http,
                                                                         stored):
    """``PUT Patient?identifier=…`` under a ``urn:uuid`` fullUrl: references to that
    fullUrl point at the patient the update writes, the one matched or the one created
    (they were refused as naming no entry of the Bundle)."""
    if stored:
        server.store.update(patient("p1"))
    criteria = "identifier=https://fhirsvc.example/case-patient|case-p1"
    new_condition = without_id(condition())
    new_condition["subject"] = {"reference": "urn:uuid:5c3e7e8a-0000-4000-8000-000000000002"}
    response = post(server, http, bundle(
        "transaction",
        entry("POST", "Condition", new_condition),
        entry("PUT", f"Patient?{criteria}", without_id(patient("p1", family="Meier")),
              full_url="urn:uuid:5c3e7e8a-0000-4000-8000-000000000002"),
    ))
    assert response.status_code == 200, response.text
    entries = response.json()["entry"]
    assert entries[1]["response"]["status"] == ("200 OK" if stored else "201 Created")
    patient_id = entries[1]["resource"]["id"]
    assert patient_id == "p1" or not stored
    assert entries[0]["resource"]["subject"]["reference"] == f"Patient/{patient_id}"
    found = http.get(server.url(f"Patient?{criteria}")).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [patient_id]
    assert found["entry"][0]["resource"]["name"][0]["family"] == "Meier"


@pytest.mark.parametrize("kind", ["batch", "transaction"])
def test_an_entry_url_written_whole_on_this_servers_base_is_read_relative(server, http,
                                                                         kind):
    """``request.url`` is relative to the base, but clients that write every URL whole
    send ``[base]/Patient/p1``: it was refused as no interaction an entry can hold."""
    server.store.update(patient("p1"))
    response = post(server, http, bundle(
        kind, entry("GET", server.url("Patient/p1")),
        entry("PUT", server.url("Patient/p2"), patient("p2"))))
    assert response.status_code == 200, response.text
    statuses = [e["response"]["status"] for e in response.json()["entry"]]
    assert statuses == ["200 OK", "201 Created"]
    assert http.get(server.url("Patient/p2")).status_code == 200


def test_transaction_patch_entry_carries_a_json_patch_in_a_binary(server, http):
    server.store.update(patient("p1"))
    operations = [{"op": "replace", "path": "/gender", "value": "other"}]
    binary = {"resourceType": "Binary", "contentType": "application/json-patch+json",
              "data": base64.b64encode(json.dumps(operations).encode()).decode()}
    response = post(server, http, bundle("transaction", entry("PATCH", "Patient/p1", binary)))
    assert response.status_code == 200, response.text
    assert http.get(server.url("Patient/p1")).json()["gender"] == "other"


def test_batch_runs_each_entry_on_its_own(server, http):
    response = post(server, http, bundle(
        "batch",
        entry("PUT", "Patient/p1", patient("p1")),
        entry("GET", "Patient/missing"),
        entry("PUT", "Observation/bad", {**observation("bad"), "status": "guessed"}),
        entry("GET", "Patient?_id=p1"),
    ))
    assert response.status_code == 200
    result = response.json()
    assert result["type"] == "batch-response"
    statuses = [e["response"]["status"][:3] for e in result["entry"]]
    assert statuses == ["201", "404", "422", "200"]
    assert result["entry"][1]["response"]["outcome"]["resourceType"] == "OperationOutcome"
    assert result["entry"][3]["resource"]["type"] == "searchset"
    assert result["entry"][3]["resource"]["total"] == 1
    assert http.get(server.url("Patient/p1")).status_code == 200


def post_preferring(server, http, body: dict, prefer: str | None):
    headers = {"Content-Type": FHIR_JSON, **({"Prefer": prefer} if prefer else {})}
    response = http.post(server.base, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["entry"]


def carried(entries: list[dict]) -> list[tuple[str | None, bool]]:
    """Per entry: the resourceType of ``entry.resource`` and whether it has an outcome."""
    return [(e.get("resource", {}).get("resourceType"), "outcome" in e["response"])
            for e in entries]


def writes_and_a_read(kind: str) -> dict:
    return bundle(
        kind,
        entry("POST", "Patient", without_id(patient("new"))),
        entry("PUT", "Patient/p2", patient("p2")),
        entry("DELETE", "Patient/p1"),
        entry("POST", "Patient", without_id(patient("again")),
              ifNoneExist="identifier=https://fhirsvc.example/case-patient|case-p3"),
        entry("GET", "Patient/p3"),
    )


def test_prefer_return_chooses_what_transaction_response_entries_carry(server, http):
    expectations = {
        "return=minimal": [(None, False)] * 4 + [("Patient", False)],
        "return=OperationOutcome": [(None, True)] * 4 + [("Patient", False)],
        "return=representation": [("Patient", False), ("Patient", False), (None, True),
                                  ("Patient", False), ("Patient", False)],
        None: [("Patient", False), ("Patient", False), (None, True), ("Patient", False),
               ("Patient", False)],
    }
    for prefer, expected in expectations.items():
        server.store.update(patient("p1"))
        server.store.update(patient("p3"))
        entries = post_preferring(server, http, writes_and_a_read("transaction"), prefer)
        assert carried(entries) == expected, prefer
        statuses = [e["response"]["status"][:3] for e in entries]
        deleted = "204" if prefer == "return=minimal" else "200"
        assert [statuses[0], *statuses[2:]] == ["201", deleted, "200", "200"], prefer
        assert all(e["response"].get("location") for e in entries[:2]), prefer
        if prefer == "return=OperationOutcome":
            assert entries[0]["response"]["outcome"]["resourceType"] == "OperationOutcome"
        assert http.get(server.url("Patient/p1")).status_code == 410


def test_prefer_return_applies_to_batch_entries_and_errors_keep_their_outcome(server, http):
    server.store.update(patient("p1"))
    server.store.update(patient("p3"))
    body = writes_and_a_read("batch")
    body["entry"] += [entry("GET", "Patient/missing"), entry("GET", "?_type=Patient&_id=p3")]
    entries = post_preferring(server, http, body, "return=minimal")
    assert carried(entries) == [(None, False)] * 4 + [("Patient", False), (None, True),
                                                      ("Bundle", False)]
    assert entries[-2]["response"]["status"].startswith("404")
    assert [e["resource"]["id"] for e in entries[-1]["resource"]["entry"]] == ["p3"]
    assert http.get(server.url("Patient/p2")).status_code == 200


def test_a_bundle_of_another_type_is_refused(server, http):
    response = post(server, http, bundle("collection", {"resource": patient()}))
    assert response.status_code == 400
    assert http.get(server.url("Patient/p1")).status_code == 404


def test_transaction_sent_as_xml_is_answered_in_xml(server, http):
    from fhirsvc.server.xml import from_xml, to_xml

    body = bundle("transaction", entry("PUT", "Patient/p1", patient("p1")))
    response = http.post(server.base, data=to_xml(body).encode(),
                         headers={"Content-Type": "application/fhir+xml",
                                  "Accept": "application/fhir+xml"})
    assert response.status_code == 200, response.text
    result = from_xml(response.content)
    assert result["type"] == "transaction-response"
    assert result["entry"][0]["response"]["status"] == "201 Created"
    assert http.get(server.url("Patient/p1")).json()["gender"] == "female"




@pytest.mark.parametrize("kind", ["transaction", "batch"])
def test_two_entries_under_one_full_url_are_refused_and_nothing_is_stored(server, http, kind):
    """bdl-7: two POSTs under one urn:uuid made two patients, and a reference to the urn
    could have named either."""
    full_url = "urn:uuid:5c3e7e8a-0000-4000-8000-000000000009"
    response = post(server, http, bundle(kind, *(
        entry("POST", "Patient", without_id(patient()), full_url) for _ in range(2))))
    assert response.status_code == 400, response.text
    [issue] = response.json()["issue"]
    assert issue["expression"] == ["Bundle.entry[1].fullUrl"] and "bdl-7" in issue["diagnostics"]
    assert http.get(server.url("Patient")).json()["total"] == 0


@pytest.mark.parametrize("kind", ["transaction", "batch"])
def test_a_version_id_does_not_let_two_entries_share_a_full_url(server, http, kind):
    """Two new patients under one urn:uuid, told apart only by meta.versionId, were both
    stored and the reference took the second: in a transaction or batch each entry is one
    interaction, so the fullUrl alone names it."""
    full_url = "urn:uuid:5c3e7e8a-0000-4000-8000-00000000000a"
    first, second = ({**without_id(patient()), "meta": {"versionId": v}} for v in "12")
    response = post(server, http, bundle(kind, entry("POST", "Patient", first, full_url),
                                         entry("POST", "Patient", second, full_url)))
    assert response.status_code == 400, response.text
    [issue] = response.json()["issue"]
    assert issue["expression"] == ["Bundle.entry[1].fullUrl"] and "bdl-7" in issue["diagnostics"]
    assert http.get(server.url("Patient")).json()["total"] == 0
