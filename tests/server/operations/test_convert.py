"""$convert: a case report in, its resources stored (once) and the Bundle returned."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from fhirsvc.errors import InvalidRequest, Unprocessable, UnsupportedMediaType
from fhirsvc.storage import parse_search

SEEDS = sorted((Path(__file__).parents[3] / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def report() -> str:
    return SEEDS[0].read_text(encoding="utf-8")


def stored(services, resource_type):
    return services.store.search(parse_search(resource_type, [("_count", "1000")])).matches


def test_a_text_report_is_converted_stored_and_returned(invoke, services, report):
    result = invoke("convert", raw=report.encode(), content_type="text/plain",
                    params=[("name", "seed-0")])
    bundle = result.resource
    assert bundle["resourceType"] == "Bundle"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "DocumentReference", "Provenance"} <= kinds
    for entry in bundle["entry"]:
        resource = entry["resource"]
        saved = services.store.read(resource["resourceType"], resource["id"])
        assert saved.resource["resourceType"] == resource["resourceType"]
    assert result.headers["X-Fhirsvc-Stored"].startswith(f"{len(bundle['entry'])} written")


def test_converting_the_same_report_again_changes_nothing(invoke, services, report):
    first = invoke("convert", raw=report.encode(), content_type="text/plain",
                   params=[("name", "seed-0")])
    again = invoke("convert", raw=report.encode(), content_type="text/plain",
                   params=[("name", "seed-0")])
    assert again.resource == first.resource
    assert again.headers["X-Fhirsvc-Stored"] == (
        f"0 written, {len(first.resource['entry'])} unchanged")
    patients = stored(services, "Patient")
    assert len(patients) == 1 and patients[0].version == 1


def test_a_binary_or_document_reference_carries_the_text(invoke, services, report):
    data = base64.b64encode(report.encode()).decode()
    from_binary = invoke("convert", body={"resourceType": "Binary", "id": "case-7",
                                          "contentType": "text/plain", "data": data})
    document = {"resourceType": "DocumentReference", "id": "case-8", "status": "current",
                "content": [{"attachment": {"contentType": "text/plain", "data": data}}]}
    from_document = invoke("convert", body=document)

    def patient_id(bundle):
        return next(e["resource"]["id"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Patient")

    # the carrier's id names the report, and the resource ids derive from the name
    assert patient_id(from_binary.resource) != patient_id(from_document.resource)
    assert len(stored(services, "Patient")) == 2


def test_unreadable_input_is_refused_and_stores_nothing(invoke, services):
    with pytest.raises(InvalidRequest, match="needs a case report"):
        invoke("convert")
    with pytest.raises(InvalidRequest, match="empty"):
        invoke("convert", raw=b"   \n", content_type="text/plain")
    with pytest.raises(InvalidRequest, match="UTF-8"):
        invoke("convert", raw=b"\xff\xfe\x00bad", content_type="text/plain")
    with pytest.raises(InvalidRequest, match="base64"):
        invoke("convert", body={"resourceType": "Binary", "contentType": "text/plain",
                                "data": "%%%not base64"})
    with pytest.raises(InvalidRequest, match="Patient"):
        invoke("convert", body={"resourceType": "Patient"})
    with pytest.raises(UnsupportedMediaType):
        invoke("convert", raw=b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(InvalidRequest, match="name"):
        invoke("convert", raw=b"A report.", content_type="text/plain",
               params=[("name", "../etc")])
    assert stored(services, "Patient") == [] and stored(services, "Condition") == []


def test_a_report_that_cannot_be_read_is_unprocessable(invoke, services):
    with pytest.raises(Unprocessable):
        invoke("convert", raw=("word " * 1_100_000).encode(), content_type="text/plain")
    assert stored(services, "DocumentReference") == []


def test_a_report_with_a_byte_order_mark_gives_the_bundle_fhirsvc_convert_gives(
        invoke, report, tmp_path):
    import json
    import os
    import subprocess
    import sys

    marked = b"\xef\xbb\xbf" + report.encode()
    (tmp_path / "case.txt").write_bytes(marked)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    run = subprocess.run([sys.executable, "-m", "fhirsvc", "convert", str(tmp_path / "case.txt"),
                          "--out", str(tmp_path)], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).parents[3], timeout=300)
    assert run.returncode == 0, run.stderr
    from_cli = json.loads((tmp_path / "case.json").read_text(encoding="utf-8"))
    served = invoke("convert", raw=marked, content_type="text/plain", params=[("name", "case")])
    assert served.resource == from_cli
    plain = invoke("convert", raw=report.encode(), content_type="text/plain",
                   params=[("name", "case")])
    assert plain.resource == from_cli  # the mark is no part of the report
