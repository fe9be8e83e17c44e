"""The converter's transaction Bundles load into a real FHIR server idempotently."""

from __future__ import annotations

import requests

from fhirsvc.pipeline import Converter
from tests.mappers.conftest import SEEDS
from tests.server.conftest import FHIR_JSON, Server

TYPES = ("Patient", "Condition", "Procedure", "Observation", "MedicationAdministration",
         "DocumentReference", "Device", "Provenance")


def totals(server: Server) -> dict[str, int]:
    found = {}
    for resource_type in TYPES:
        reply = requests.get(server.url(resource_type), params={"_summary": "count"}, timeout=30)
        found[resource_type] = reply.json()["total"]
    return found


def test_loading_every_seed_bundle_twice_creates_no_duplicates(server: Server,
                                                               converter: Converter) -> None:
    bundles = [converter.convert(p.read_text(encoding="utf-8"), p.stem).bundle for p in SEEDS]
    counts = []
    for _ in range(2):
        for bundle in bundles:
            reply = requests.post(server.url(""), json=bundle, timeout=60,
                                  headers={"Content-Type": FHIR_JSON})
            assert reply.status_code == 200, reply.text[:500]
        counts.append(totals(server))
    expected = {t: sum(e["resource"]["resourceType"] == t for b in bundles for e in b["entry"])
                for t in TYPES}
    expected["Device"] = 1  # one Device per fhirsvc version, shared by every Bundle
    assert counts[0] == counts[1] == expected


def test_references_are_rewritten_to_the_put_ids(server: Server, converter: Converter) -> None:
    bundle = converter.convert(SEEDS[0].read_text(encoding="utf-8"), SEEDS[0].stem).bundle
    requests.post(server.url(""), json=bundle, timeout=60, headers={"Content-Type": FHIR_JSON})
    patient = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Patient")
    condition = next(e["resource"] for e in bundle["entry"]
                     if e["resource"]["resourceType"] == "Condition")
    stored = requests.get(server.url(f"Condition/{condition['id']}"), timeout=30).json()
    assert stored["subject"]["reference"] == f"Patient/{patient['id']}"
