"""The CapabilityStatement says what the server really does, and operations registered in
:data:`OPERATIONS` are routed and listed (https://hl7.org/fhir/R4/http.html#capabilities)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fhirsvc.server import conformance
from fhirsvc.server.operations import (
    OPERATIONS,
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
)
from fhirsvc.server.routes import ROUTES
from fhirsvc.storage import default_registry
from tests.server.conftest import FHIR_JSON
from tests.storage.samples import patient

REQUIRED = ("Patient", "Condition", "Procedure", "Observation", "MedicationAdministration",
            "DocumentReference", "Provenance")
#: How to exercise each interaction code the statement may list: (method, path, body?).
PROBES = {
    "read": ("GET", "{type}/x", False),
    "vread": ("GET", "{type}/x/_history/1", False),
    "update": ("PUT", "{type}/x", True),
    "patch": ("PATCH", "{type}/x", False),
    "delete": ("DELETE", "{type}/x", False),
    "history-instance": ("GET", "{type}/x/_history", False),
    "history-type": ("GET", "{type}/_history", False),
    "create": ("POST", "{type}", True),
    "search-type": ("GET", "{type}", False),
    "transaction": ("POST", "", True),
    "batch": ("POST", "", True),
    "history-system": ("GET", "_history", False),
    "search-system": ("GET", "", False),
}


def statement(server, http) -> dict:
    response = http.get(server.url("metadata"))
    assert response.status_code == 200
    return response.json()


def test_statement_declares_r4_json_and_xml_and_the_clinical_types(server, http):
    capability = statement(server, http)
    assert capability["resourceType"] == "CapabilityStatement"
    assert capability["fhirVersion"] == "4.0.1"
    assert {"json", "xml"} <= set(capability["format"])
    types = {resource["type"] for resource in capability["rest"][0]["resource"]}
    assert set(REQUIRED) <= types


def test_search_parameters_listed_are_those_the_store_indexes(server, http):
    """Stored types list what the store indexes; the conformance types, served from
    files, what their search understands."""
    registry = default_registry()
    for resource in statement(server, http)["rest"][0]["resource"]:
        listed = {param["name"]: param["type"] for param in resource["searchParam"]}
        if conformance.serves(resource["type"]):
            assert listed == conformance.search_params(), resource["type"]
            continue
        indexed = {code: p.type for code, p in registry.for_type(resource["type"]).items()}
        assert listed == indexed, resource["type"]


def test_every_operation_definition_the_statement_references_reads_back(server, http):
    """Each ``operation.definition`` (a canonical URL) is found by ``url`` on this server
    and read by the id it names, so a client can look up what an operation takes."""
    rest = statement(server, http)["rest"][0]
    definitions = {op["definition"] for op in rest["operation"]}
    for resource in rest["resource"]:
        definitions |= {op["definition"] for op in resource.get("operation", [])}
    assert len(definitions) >= 6
    for definition in sorted(definitions):
        found = http.get(server.url("OperationDefinition"), params={"url": definition}).json()
        assert found["total"] == 1, definition
        resource_id = found["entry"][0]["resource"]["id"]
        read = http.get(server.url(f"OperationDefinition/{resource_id}"))
        assert read.status_code == 200 and read.json()["url"] == definition
        assert definition.endswith(f"/OperationDefinition/{resource_id}")


def test_shipped_conformance_resources_are_read_and_searched_from_the_files(server, http):
    for path in ("OperationDefinition/convert", "ValueSet/fhirsvc-units",
                 "StructureDefinition/fhirsvc-condition"):
        for form in ("json", "xml"):
            response = http.get(server.url(path), params={"_format": form})
            assert response.status_code == 200, (path, form)
        response = http.get(server.url(path))
        assert f"{response.json()['resourceType']}/{response.json()['id']}" == path
    assert http.get(server.url("ValueSet/nothing")).status_code == 404
    by_name = http.get(server.url("ValueSet"), params={"name": "unit"}).json()
    assert [e["resource"]["id"] for e in by_name["entry"]] == ["fhirsvc-units"]
    by_id = http.get(server.url("StructureDefinition"),
                     params={"_id": "patient-age,graft-source", "status": "active"}).json()
    assert [e["resource"]["id"] for e in by_id["entry"]] == ["graft-source", "patient-age"]
    everything = http.get(server.url("OperationDefinition")).json()
    assert everything["total"] == 6 and everything["id"] and everything["meta"]["lastUpdated"]
    unknown = http.get(server.url("ValueSet"), params={"publisher": "x"}).json()
    assert unknown["entry"][-1]["search"]["mode"] == "outcome"
    assert unknown["link"][0]["url"] == server.url("ValueSet")
    assert by_name["link"][0]["url"] == server.url("ValueSet") + "?name=unit"
    strict = http.get(server.url("ValueSet"), params={"publisher": "x"},
                      headers={"Prefer": "handling=strict"})
    assert strict.status_code == 400


def test_conformance_resources_refuse_writes_and_other_interactions_with_405(server, http):
    definition = http.get(server.url("ValueSet/fhirsvc-units")).json()
    units = "ValueSet/fhirsvc-units"
    attempts = [("POST", "ValueSet", definition), ("PUT", units, definition),
                ("DELETE", units, None), ("PATCH", units, []),
                ("PUT", "ValueSet?url=x", definition), ("GET", f"{units}/_history", None)]
    for method, path, body in attempts:
        kind = "application/json-patch+json" if method == "PATCH" else FHIR_JSON
        response = http.request(method, server.url(path), json=body,
                                headers={"Content-Type": kind})
        assert response.status_code == 405, (method, path)
        assert response.json()["resourceType"] == "OperationOutcome"
    listed = {r["type"]: r for r in statement(server, http)["rest"][0]["resource"]}
    for resource_type in ("OperationDefinition", "StructureDefinition", "ValueSet"):
        assert [i["code"] for i in listed[resource_type]["interaction"]] == ["read",
                                                                            "search-type"]
    assert http.get(server.url("ValueSet/fhirsvc-units")).json() == definition


def test_every_listed_interaction_is_served(server, http):
    """A request for each listed interaction reaches its handler: never a routing 404/405."""
    rest = statement(server, http)["rest"][0]
    probes = [(PROBES[i["code"]], "Patient") for i in rest["interaction"]]
    for resource in rest["resource"]:
        probes += [(PROBES[i["code"]], resource["type"]) for i in resource["interaction"]]
    for (method, path, with_body), resource_type in probes:
        body = patient("x") if with_body and resource_type == "Patient" else None
        if path == "" and body is not None:
            body = {"resourceType": "Bundle", "type": "batch", "entry": []}
        response = http.request(method, server.url(path.format(type=resource_type)),
                                json=body, headers={"Content-Type": FHIR_JSON})
        assert response.status_code != 405, (method, path, resource_type)
        assert "No FHIR endpoint" not in response.text, (method, path, resource_type)


def test_every_route_the_app_serves_is_listed(server, http):
    capability = statement(server, http)
    rest = capability["rest"][0]
    listed = {i["code"] for i in rest["interaction"]} | {"capabilities", "operation"}
    for resource in rest["resource"]:
        listed |= {i["code"] for i in resource["interaction"]}
    by_endpoint = {route.endpoint: route for route in ROUTES}
    served = [rule for rule in server.app.url_map.iter_rules() if rule.endpoint != "static"]
    assert served
    for rule in served:
        assert by_endpoint[rule.endpoint].interaction in listed, rule.rule
        assert rule.rule.startswith("/fhir")
    assert set(PROBES) >= listed - {"capabilities", "operation"}


def echo(call: OperationCall, services: Services) -> OperationResult:
    """A tiny operation: answers what it was called with."""
    parameters = [{"name": "level", "valueString": str(call.level)},
                  {"name": "method", "valueString": call.method},
                  {"name": "target", "valueString": f"{call.resource_type}/{call.resource_id}"},
                  {"name": "body", "valueString": call.body.decode()},
                  *({"name": k, "valueString": v} for k, v in call.params)]
    return OperationResult({"resourceType": "Parameters", "parameter": parameters})


@pytest.fixture
def echo_operations() -> Iterator[None]:
    OPERATIONS["echo"] = Operation("echo", "https://fhirsvc.example/OperationDefinition/echo",
                                   frozenset(Level), frozenset({"Patient"}), False, echo)
    OPERATIONS["wipe"] = Operation("wipe", "https://fhirsvc.example/OperationDefinition/wipe",
                                   frozenset({Level.SYSTEM}), frozenset(), True, echo)
    yield
    del OPERATIONS["echo"], OPERATIONS["wipe"]


def values(parameters: dict) -> dict[str, str]:
    return {p["name"]: p["valueString"] for p in parameters["parameter"]}


def test_registered_operations_are_listed_and_routed_at_each_level(server, http,
                                                                   echo_operations):
    rest = statement(server, http)["rest"][0]
    system_level = {op["name"] for op in rest["operation"]}
    assert {"echo", "wipe"} <= system_level
    assert system_level == {name for name, op in OPERATIONS.items() if Level.SYSTEM in op.levels}
    patient_entry = next(r for r in rest["resource"] if r["type"] == "Patient")
    on_patient = {op["name"] for op in patient_entry["operation"]}
    assert "echo" in on_patient and "wipe" not in on_patient
    assert on_patient == {name for name, op in OPERATIONS.items()
                          if "Patient" in op.resource_types and op.levels - {Level.SYSTEM}}
    system = values(http.get(server.url("$echo"), params={"a": "1"}).json())
    assert system["level"] == "system" and system["a"] == "1"
    typed = values(http.post(server.url("Patient/$echo"), data=b"hello",
                             headers={"Content-Type": "text/plain"}).json())
    assert (typed["level"], typed["method"], typed["body"]) == ("type", "POST", "hello")
    instance = values(http.get(server.url("Patient/p1/$echo")).json())
    assert (instance["level"], instance["target"]) == ("instance", "Patient/p1")


def test_operations_are_refused_where_they_are_not_defined(server, http, echo_operations):
    assert http.get(server.url("Observation/$echo")).status_code == 404
    assert http.get(server.url("$wipe")).status_code == 405  # changes data: POST only
    assert http.post(server.url("$wipe")).status_code == 200
    assert http.get(server.url("$nothing")).status_code == 501


def test_statement_is_a_valid_r4_resource(server, http):
    from fhirsvc.validation import Validator

    issues = Validator.from_spec().validate(statement(server, http))
    assert [issue for issue in issues if issue.is_error] == []


def test_an_unexpected_failure_is_a_500_outcome_without_internals(server, http):
    def broken(call: OperationCall, services: Services) -> OperationResult:
        raise RuntimeError("secret connection string postgres://admin:pw@db")

    OPERATIONS["broken"] = Operation("broken", "https://fhirsvc.example/OperationDefinition/b",
                                     frozenset({Level.SYSTEM}), frozenset(), False, broken)
    try:
        response = http.get(server.url("$broken"))
    finally:
        del OPERATIONS["broken"]
    assert response.status_code == 500
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "exception"
    assert "secret" not in response.text and "RuntimeError" not in response.text
