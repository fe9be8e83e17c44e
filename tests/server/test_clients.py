"""Real FHIR clients against the server: fhirpy (sync) and SMART's fhirclient read,
search with paging and _include, and send a transaction."""

from __future__ import annotations

from fhirclient import client as smart_client
from fhirclient.models.bundle import Bundle
from fhirclient.models.condition import Condition
from fhirclient.models.observation import Observation
from fhirclient.models.patient import Patient
from fhirpy import SyncFHIRClient

from tests.server.conftest import Server
from tests.storage.samples import case, condition, observation, patient


def load(server: Server, count: int = 5) -> None:
    for resource in case():
        server.store.update(resource)
    for i in range(count):
        server.store.update(observation(f"extra{i}", code="718-7"))


def transaction_bundle() -> dict:
    new_patient = {k: v for k, v in patient("tx").items() if k != "id"}
    new_condition = {k: v for k, v in condition("ctx").items() if k != "id"}
    new_condition["subject"] = {"reference": "urn:uuid:0e1f0000-0000-4000-8000-00000000000a"}
    return {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:0e1f0000-0000-4000-8000-00000000000a", "resource": new_patient,
         "request": {"method": "POST", "url": "Patient"}},
        {"fullUrl": "urn:uuid:0e1f0000-0000-4000-8000-00000000000b", "resource": new_condition,
         "request": {"method": "POST", "url": "Condition"}},
    ]}


# --------------------------------------------------------------------------- fhirpy


def test_fhirpy_reads_and_searches_with_paging(server):
    load(server)
    fhir = SyncFHIRClient(server.base)
    anna = fhir.reference("Patient", "p1").to_resource()
    assert anna["name"][0]["family"] == "Müller"
    observations = fhir.resources("Observation").search(patient="p1").limit(2).fetch_all()
    assert len(observations) == len({o.id for o in observations})
    direct = [r for r in case() if r["resourceType"] == "Observation"]
    assert len(observations) == len(direct) + 5


def test_fhirpy_include_and_write(server):
    load(server)
    fhir = SyncFHIRClient(server.base)
    bundle = fhir.resources("Condition").search(subject="Patient/p1").include(
        "Condition", "subject").fetch_raw()
    modes = {e["resource"]["resourceType"]: e["search"]["mode"] for e in bundle.entry}
    assert modes["Patient"] == "include" and modes["Condition"] == "match"
    created = fhir.resource("Patient", name=[{"family": "Neu"}], gender="other")
    created.save()
    assert created.id and created["meta"]["versionId"] == "1"
    assert fhir.reference("Patient", created.id).to_resource()["gender"] == "other"


def test_fhirpy_transaction(server):
    fhir = SyncFHIRClient(server.base)
    result = fhir.execute("", method="post", data=transaction_bundle())
    assert result["type"] == "transaction-response"
    patient_id = result["entry"][0]["resource"]["id"]
    stored = fhir.resources("Condition").search(subject=f"Patient/{patient_id}").fetch()
    assert len(stored) == 1


# ----------------------------------------------------------------------- fhirclient


def smart(server: Server) -> smart_client.FHIRClient:
    return smart_client.FHIRClient(settings={"app_id": "fhirsvc-tests",
                                             "api_base": server.base + "/"})


def test_fhirclient_reads_the_capability_statement_and_a_patient(server):
    load(server)
    fhir = smart(server)
    fhir.prepare()  # fetches and parses /metadata with its R4 models
    anna = Patient.read("p1", fhir.server)
    assert anna.name[0].family == "Müller"
    assert anna.birthDate.isostring == "1970-03-02"


def test_fhirclient_searches_with_paging_and_include(server):
    load(server)
    fhir = smart(server)
    search = Observation.where(struct={"subject": "Patient/p1", "_count": "2"})
    found = list(search.perform_resources_iter(fhir.server))
    assert len(found) == len({o.id for o in found})
    assert len(found) == len([r for r in case() if r["resourceType"] == "Observation"]) + 5
    search = Condition.where(struct={"_include": "Condition:subject"})
    included = next(iter(search.perform_iter(fhir.server)))
    kinds = {entry.resource.resource_type: entry.search.mode for entry in included.entry}
    assert kinds == {"Condition": "match", "Patient": "include"}


def test_fhirclient_transaction(server):
    fhir = smart(server)
    response = fhir.server.post_json("", transaction_bundle())
    result = Bundle(response.json())
    assert result.type == "transaction-response"
    assert [e.response.status for e in result.entry] == ["201 Created", "201 Created"]
