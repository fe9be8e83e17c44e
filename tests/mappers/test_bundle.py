"""The whole mapping: resources per patient, deterministic ids, Bundle types."""

from __future__ import annotations

import pytest

from fhirsvc.mappers import map_report, to_bundle
from fhirsvc.mappers.ids import Ids, device_id
from fhirsvc.model import (
    CodedPatient,
    CodedReport,
    Context,
    Experiencer,
    MentionKind,
    PatientCase,
    Report,
    Sex,
    Span,
)
from tests.mappers.builders import FEVER, fact

TEXT = "A man had fever. His brother had fever too. Another woman had a rash."


def report(text: str = TEXT, name: str = "r1") -> CodedReport:
    fever = fact(MentionKind.FINDING, "fever", 10, codings=(FEVER,))
    brothers = fact(MentionKind.FINDING, "fever", 33, codings=(FEVER,),
                    context=Context(experiencer=Experiencer.FAMILY))
    rash = fact(MentionKind.FINDING, "rash", 64)
    return CodedReport(Report(text, name), (
        CodedPatient(PatientCase("p1", Sex.MALE), (fever, brothers)),
        CodedPatient(PatientCase("p2", Sex.FEMALE), (rash,))))


def types(resources: list[dict]) -> list[str]:
    return [r["resourceType"] for r in resources]


def test_each_patient_gets_their_own_resources_and_relatives_none() -> None:
    resources = map_report(report())
    assert types(resources) == ["DocumentReference", "Patient", "Condition", "Patient",
                                "Condition", "Device", "Provenance"]
    first, second = resources[1], resources[3]
    assert resources[2]["subject"]["reference"] == f"urn:uuid:{first['id']}"
    assert resources[4]["subject"]["reference"] == f"urn:uuid:{second['id']}"
    assert "subject" not in resources[0]  # a document about two patients is about neither alone


def test_report_without_patient_has_only_the_document_and_its_provenance() -> None:
    resources = map_report(CodedReport(Report("Diabetes is common.", "r2")))
    assert types(resources) == ["DocumentReference", "Device", "Provenance"]


def test_ids_depend_on_text_name_kind_and_span_only() -> None:
    ids = Ids(Report(TEXT, "r1"))
    assert ids.of("Condition", "p1", Span(10, 15)) == Ids(Report(TEXT, "r1")).of(
        "Condition", "p1", Span(10, 15))
    assert ids.of("Condition", "p1", Span(10, 15)) != ids.of("Condition", "p1", Span(64, 68))
    assert ids.of("Condition", "p1", Span(10, 15)) != Ids(Report(TEXT + " ", "r1")).of(
        "Condition", "p1", Span(10, 15))
    assert ids.of("Condition", "p1", Span(10, 15)) != Ids(Report(TEXT, "r2")).of(
        "Condition", "p1", Span(10, 15))


def test_the_same_parts_asked_again_give_the_next_id_not_the_same() -> None:
    ids = Ids(Report(TEXT, "r1"))
    first, second = (ids.of("Observation", "p1", Span(10, 15)) for _ in range(2))
    assert first != second
    assert first == Ids(Report(TEXT, "r1")).of("Observation", "p1", Span(10, 15))


def test_two_resources_read_from_one_span_have_distinct_full_urls() -> None:
    coded = fact(MentionKind.FINDING, "fever", 10, codings=(FEVER,))
    uncoded = fact(MentionKind.FINDING, "fever", 10)
    both = CodedReport(Report(TEXT, "r1"), (CodedPatient(PatientCase("p1", Sex.MALE),
                                                           (coded, uncoded)),))
    conditions = [r for r in map_report(both) if r["resourceType"] == "Condition"]
    assert len(conditions) == 2
    assert conditions[0]["id"] != conditions[1]["id"]


def test_the_device_is_one_resource_for_every_report() -> None:
    assert map_report(report(name="a"))[-2]["id"] == map_report(report(name="b"))[-2]["id"] \
        == device_id()


def test_collection_has_no_requests_and_transaction_puts_every_entry() -> None:
    collection = to_bundle(report(), "collection")
    transaction = to_bundle(report(), "transaction")
    assert collection["type"] == "collection" and collection["id"] != transaction["id"]
    assert all("request" not in e for e in collection["entry"])
    assert all(e["request"]["method"] == "PUT" for e in transaction["entry"])


def test_unknown_bundle_type_is_refused() -> None:
    with pytest.raises(ValueError, match="bundle type"):
        to_bundle(report(), "batch")  # type: ignore[arg-type]
