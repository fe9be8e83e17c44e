"""Every seed Bundle is valid R4, self-contained, reproducible and points at its words."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from fhirsvc.extract import engraftment
from fhirsvc.jsontext import dumps
from fhirsvc.pipeline import Conversion, Converter
from tests.mappers.builders import spans_of
from tests.mappers.conftest import SEEDS, resources

SEED_IDS = [p.stem for p in SEEDS]


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for value in node.values() for r in _references(value)]
    if isinstance(node, list):
        return [r for item in node for r in _references(item)]
    return []


@pytest.mark.parametrize("stem", SEED_IDS)
def test_seed_bundle_parses_with_fhir_resources_r4b(stem: str, conversions) -> None:
    parsed = Bundle.model_validate(conversions[stem].bundle)
    assert len(parsed.entry) == len(conversions[stem].bundle["entry"])


@pytest.mark.parametrize("stem", SEED_IDS)
def test_seed_bundle_has_no_error_in_any_validation_layer_or_fhirsvc_profile(
        stem: str, conversions: dict[str, Conversion], converter: Converter) -> None:
    assert converter.validator is not None
    issues = converter.validator.validate(conversions[stem].bundle, fhirsvc_profiles=True)
    assert [i for i in issues if i.is_error] == []
    assert conversions[stem].ok


@pytest.mark.parametrize("stem", SEED_IDS)
def test_converting_the_same_report_twice_gives_byte_identical_bundles(
        stem: str, converter: Converter, conversions: dict[str, Conversion]) -> None:
    path = next(p for p in SEEDS if p.stem == stem)
    again = converter.convert(path.read_text(encoding="utf-8"), stem)
    assert dumps(again.bundle) == dumps(conversions[stem].bundle)


@pytest.mark.parametrize("stem", SEED_IDS)
def test_every_reference_resolves_to_an_entry_of_the_same_bundle(
        stem: str, conversions: dict[str, Conversion]) -> None:
    bundle = conversions[stem].bundle
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert set(_references(bundle)) <= full_urls


@pytest.mark.parametrize("stem", SEED_IDS)
def test_transaction_entries_put_type_and_id_under_a_urn_uuid_full_url(
        stem: str, conversions: dict[str, Conversion]) -> None:
    for entry in conversions[stem].bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        assert entry["request"] == {"method": "PUT",
                                    "url": f"{resource['resourceType']}/{resource['id']}"}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_document_reference_holds_the_text_byte_for_byte(path: Path, conversions) -> None:
    [document] = resources(conversions[path.stem].bundle, "DocumentReference")
    attachment = document["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == path.read_bytes()
    assert attachment["contentType"] == "text/plain; charset=utf-8"
    assert attachment["size"] == len(path.read_bytes())


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_derived_resource_points_at_words_of_the_text(path: Path, conversions) -> None:
    text = path.read_text(encoding="utf-8")
    derived = [r for r in resources(conversions[path.stem].bundle)
               if r["resourceType"] in ("Condition", "Procedure", "Observation",
                                        "MedicationAdministration")]
    for resource in derived:
        spans = spans_of(resource, None)
        assert spans, resource["id"]
        assert all(start >= 0 and start + length <= len(text) and length > 0
                   for start, length in spans)
        first = text[spans[0][0]:spans[0][0] + spans[0][1]]
        named = resource.get("code") or resource.get("medicationCodeableConcept")
        # a finding told in plain words ("donor cells replaced her cells") is named, not quoted
        assert " ".join(first.split()) == named["text"] or named["text"] == engraftment.PLAIN_NAME


@pytest.mark.parametrize("stem", SEED_IDS)
def test_provenance_targets_every_resource_but_itself_and_the_agent(
        stem: str, conversions: dict[str, Conversion]) -> None:
    bundle = conversions[stem].bundle
    [provenance] = resources(bundle, "Provenance")
    expected = {e["fullUrl"] for e in bundle["entry"]
                if e["resource"]["resourceType"] not in ("Provenance", "Device")}
    assert {t["reference"] for t in provenance["target"]} == expected
    [device] = resources(bundle, "Device")
    assert provenance["agent"][0]["who"]["reference"] == f"urn:uuid:{device['id']}"
    assert provenance["agent"][0]["who"]["display"].startswith("fhirsvc ")
