"""Patient/[id]/$everything: the patient compartment, its evidence, paged."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import pytest

from fhirsvc.errors import Gone, InvalidRequest, NotFound
from tests.server.operations.helpers import BASE
from tests.storage import samples


def refs(bundle, mode="match"):
    return [f"{e['resource']['resourceType']}/{e['resource']['id']}"
            for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def next_params(bundle):
    link = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    if link is None:
        return None
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/Patient/p1/$everything"
    return parse_qsl(parts.query)


def all_pages(invoke, params):
    pages, current = [], params
    while current is not None:
        bundle = invoke("everything", "Patient", "p1", params=current).resource
        pages.append(bundle)
        current = next_params(bundle)
    return pages


@pytest.fixture
def record(services):
    services.store.load([*samples.case("p1"), samples.patient("p2"),
                         samples.condition("c-p2", "p2"), samples.observation("o-p2", "p2"),
                         samples.condition("c-only", "p1"),
                         samples.provenance("v-cond", (), "p1")
                         | {"target": [{"reference": "Condition/c-only"}]}])
    return services


def test_everything_returns_the_patient_and_its_compartment(invoke, record):
    bundle = invoke("everything", "Patient", "p1").resource
    assert bundle["type"] == "searchset"
    matched = refs(bundle)
    assert matched[0] == "Patient/p1"
    assert {"Condition/c1", "Condition/c-only", "Observation/o1", "Observation/bp1",
            "Procedure/pr1", "MedicationAdministration/m1", "DocumentReference/d1",
            "Provenance/v1"} <= set(matched)
    assert not {"Observation/o-p2", "Condition/c-p2", "Patient/p2"} & set(matched)
    assert len(matched) == len(set(matched))
    assert all(e["fullUrl"] == f"{BASE}/{r}" for e, r in zip(bundle["entry"], matched,
                                                             strict=False))


def test_provenance_of_the_patients_resources_comes_as_an_include(invoke, record):
    # v-cond targets only a Condition, so it is not in the compartment itself
    bundle = invoke("everything", "Patient", "p1").resource
    assert "Provenance/v-cond" in refs(bundle, "include")
    assert "Provenance/v-cond" not in refs(bundle)


def test_referenced_document_outside_the_compartment_is_included(invoke, services):
    document = samples.document_reference("d-other", "p-other")
    services.store.load([samples.patient("p1"), document,
                         samples.provenance("v1", ("Condition/c1",), "p1")
                         | {"entity": [{"role": "source",
                                        "what": {"reference": "DocumentReference/d-other"}}]},
                         samples.condition("c1", "p1")])
    bundle = invoke("everything", "Patient", "p1").resource
    assert "DocumentReference/d-other" in refs(bundle, "include")


def test_pages_cover_the_record_once_whatever_the_page_size(invoke, record):
    whole = refs(invoke("everything", "Patient", "p1").resource)
    for size in ("1", "2", "3"):
        pages = all_pages(invoke, [("_count", size)])
        paged = [r for page in pages for r in refs(page)]
        assert paged == whole, size
        assert all(len(refs(page)) <= int(size) for page in pages)


def test_evidence_shared_by_facts_on_many_pages_is_listed_once_across_the_pages(invoke,
                                                                                services):
    """A Provenance backing facts that fall on different pages, and the document it
    cites, come once in the whole walk, not on every page carrying one of those facts:
    a client collecting every page gets no duplicates."""
    conditions = [samples.condition(f"c{n}", "p1") for n in range(1, 5)]
    shared = samples.provenance("v-shared", tuple(f"Condition/c{n}" for n in range(1, 5)),
                                "p-other") | {"entity": [{"role": "source", "what": {
                                    "reference": "DocumentReference/d-other"}}]}
    services.store.load([samples.patient("p1"), *conditions, shared,
                         samples.document_reference("d-other", "p-other")])
    for size in ("1", "2", "3", "100"):
        pages = all_pages(invoke, [("_count", size)])
        every = [r for page in pages for mode in ("match", "include") for r in refs(page, mode)]
        assert len(every) == len(set(every)), size
        assert [r for page in pages for r in refs(page, "include")] == [
            "DocumentReference/d-other", "Provenance/v-shared"], size
        assert all(len(page.get("entry", [])) <= int(size) for page in pages), size
        assert all(page["id"] and page["meta"]["lastUpdated"] for page in pages)


def test_paging_keeps_going_when_resources_are_added_meanwhile(invoke, record):
    first = invoke("everything", "Patient", "p1", params=[("_count", "2")]).resource
    record.store.load([samples.observation("o-new", "p1")])
    rest = all_pages(invoke, next_params(first))
    seen = refs(first) + [r for page in rest for r in refs(page)]
    assert len(seen) == len(set(seen))
    assert "Observation/o-new" in seen


def test_type_restricts_the_resource_types(invoke, record):
    bundle = invoke("everything", "Patient", "p1",
                    params=[("_type", "Observation,Condition")]).resource
    types = {r.split("/")[0] for r in refs(bundle) + refs(bundle, "include")}
    assert types == {"Observation", "Condition"}
    with pytest.raises(InvalidRequest, match="Unicorn"):
        invoke("everything", "Patient", "p1", params=[("_type", "Unicorn")])


def test_since_keeps_what_changed_at_or_after_it(invoke, record):
    time.sleep(0.01)
    since = invoke("everything", "Patient", "p1").resource  # warm, nothing changes
    assert refs(since)
    marker = _now()
    time.sleep(0.01)
    record.store.update(samples.observation("o1", "p1", value=99))
    bundle = invoke("everything", "Patient", "p1", params=[("_since", marker)]).resource
    assert refs(bundle) == ["Observation/o1"]


def test_start_and_end_select_care_dates(invoke, record):
    record.store.load([samples.observation("o-2020", "p1", when="2020-03-01T10:00:00Z")])
    bundle = invoke("everything", "Patient", "p1", params=[
        ("_type", "Observation"), ("start", "2020-01-01"), ("end", "2020-12-31")]).resource
    assert refs(bundle) == ["Observation/o-2020"]


def test_a_resource_whose_subject_and_performer_are_the_patient_is_listed_once(invoke,
                                                                                services):
    observation = samples.observation("self", "p1", performer=[{"reference": "Patient/p1"}])
    services.store.load([samples.patient("p1"), observation])
    pages = all_pages(invoke, [("_count", "1")])
    assert [r for page in pages for r in refs(page)] == ["Patient/p1", "Observation/self"]


def test_unknown_or_deleted_patient(invoke, record):
    with pytest.raises(NotFound):
        invoke("everything", "Patient", "nobody")
    record.store.delete("Patient", "p2")
    with pytest.raises(Gone):
        invoke("everything", "Patient", "p2")


@pytest.mark.parametrize("params", [[("_type", "Observation")], [("_since", "2999-01-01")]])
def test_unknown_or_deleted_patient_whatever_the_inputs(invoke, record, params):
    with pytest.raises(NotFound):
        invoke("everything", "Patient", "nobody", params=params)
    record.store.delete("Patient", "p2")
    with pytest.raises(Gone):
        invoke("everything", "Patient", "p2", params=params)


def test_a_patient_deleted_between_pages_is_gone_on_the_next_page(invoke, record):
    first = invoke("everything", "Patient", "p1", params=[("_count", "1")]).resource
    record.store.delete("Patient", "p1")
    with pytest.raises(Gone):
        invoke("everything", "Patient", "p1", params=next_params(first))


def test_a_cursor_from_elsewhere_is_refused(invoke, record):
    first = invoke("everything", "Patient", "p1", params=[("_count", "1")]).resource
    cursor = dict(next_params(first))["_cursor"]
    with pytest.raises(InvalidRequest):
        invoke("everything", "Patient", "p2", params=[("_cursor", cursor)])
    with pytest.raises(InvalidRequest):
        invoke("everything", "Patient", "p1", params=[("_cursor", "garbage!")])


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds")


@pytest.mark.parametrize("size", ["0", "-3"])
def test_a_page_of_no_resources_or_fewer_is_refused(invoke, record, size):
    with pytest.raises(InvalidRequest, match="_count"):
        invoke("everything", "Patient", "p1", params=[("_count", size)])
