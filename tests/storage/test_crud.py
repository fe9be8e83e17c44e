"""Versioned CRUD and history, on every backend."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fhirsvc.errors import Gone, InvalidRequest, NotFound, PreconditionFailed
from fhirsvc.storage import RequestLine, ResourceStore, SqlStore
from tests.storage.samples import observation, patient


def test_store_satisfies_the_protocol(store: SqlStore) -> None:
    assert isinstance(store, ResourceStore)


def test_create_assigns_id_version_and_last_updated(store: SqlStore) -> None:
    saved = store.create({**patient(), "id": "client-chosen"})
    assert saved.id != "client-chosen" and saved.version == 1 and saved.operation == "create"
    body = saved.resource
    assert body["id"] == saved.id
    assert body["meta"]["versionId"] == "1"
    assert body["meta"]["lastUpdated"].endswith("Z")
    assert body["meta"]["tag"] == patient()["meta"]["tag"]  # client meta kept


def test_read_returns_the_stored_json_unchanged(store: SqlStore) -> None:
    saved = store.create(patient())
    read = store.read("Patient", saved.id)
    assert read.text == saved.text
    assert read.etag == 'W/"1"'
    assert json.loads(read.text)["name"][0]["family"] == "Müller"


def test_read_of_unknown_resource_raises_not_found(store: SqlStore) -> None:
    with pytest.raises(NotFound):
        store.read("Patient", "nobody")


def test_update_with_client_id_creates_then_adds_versions(store: SqlStore) -> None:
    first = store.update(patient("p1"))
    second = store.update(patient("p1", family="Meier"))
    assert (first.operation, first.version) == ("create", 1)
    assert (second.operation, second.version) == ("update", 2)
    assert second.last_updated > first.last_updated
    assert store.read("Patient", "p1").resource["name"][0]["family"] == "Meier"


def test_vread_returns_each_version(store: SqlStore) -> None:
    store.update(patient("p1"))
    store.update(patient("p1", family="Meier"))
    assert store.vread("Patient", "p1", 1).resource["name"][0]["family"] == "Müller"
    assert store.vread("Patient", "p1", 2).resource["meta"]["versionId"] == "2"
    with pytest.raises(NotFound):
        store.vread("Patient", "p1", 3)


def test_update_with_stale_expected_version_fails_and_stores_nothing(store: SqlStore) -> None:
    store.update(patient("p1"))
    store.update(patient("p1", family="Meier"))
    with pytest.raises(PreconditionFailed, match="version 2"):
        store.update(patient("p1", family="Stale"), expected_version=1)
    assert store.read("Patient", "p1").version == 2
    assert store.update(patient("p1", family="Fresh"), expected_version=2).version == 3


def test_expected_version_on_missing_resource_fails(store: SqlStore) -> None:
    with pytest.raises(PreconditionFailed):
        store.update(patient("ghost"), expected_version=1)
    with pytest.raises(NotFound):
        store.read("Patient", "ghost")


def test_read_of_deleted_resource_raises_gone_and_history_shows_the_delete(
    store: SqlStore,
) -> None:
    store.update(patient("p1"))
    tombstone = store.delete("Patient", "p1")
    assert tombstone.deleted and tombstone.version == 2
    with pytest.raises(Gone):
        store.read("Patient", "p1")
    with pytest.raises(Gone):
        store.vread("Patient", "p1", 2)
    assert store.vread("Patient", "p1", 1).version == 1
    history = store.history("Patient", "p1")
    assert [(e.version, e.operation) for e in history.entries] == [(2, "delete"), (1, "create")]


def test_history_records_the_request_that_wrote_each_version(store: SqlStore) -> None:
    """A resource created by PUT under the client's id is a ``PUT Patient/p1`` in its
    history, not a ``POST`` (which would mint a new id on replay); a write names its own
    request (a patch, a conditional update) and that is what the history gives back."""
    store.update(patient("p1"))
    store.update(patient("p1", family="Meier"), request=RequestLine("PATCH", "Patient/p1"))
    store.update(patient("p1", family="Kunz"),
                 request=RequestLine("PUT", "Patient?identifier=x|1"))
    store.delete("Patient", "p1")
    created = store.create(patient())
    lines = [(e.request.method, e.request.url) for e in store.history("Patient").entries]
    assert lines == [("POST", "Patient"), ("DELETE", "Patient/p1"),
                     ("PUT", "Patient?identifier=x|1"), ("PATCH", "Patient/p1"),
                     ("PUT", "Patient/p1")]
    assert store.vread("Patient", created.id, 1).request == RequestLine("POST", "Patient")
    assert store.history(count=1).entries[0].recorded_request == RequestLine("POST", "Patient")


def test_bulk_loaded_resources_are_in_the_history_as_puts_of_their_ids(store: SqlStore
                                                                       ) -> None:
    store.load([patient("p1")])
    assert store.history("Patient", "p1").entries[0].request == RequestLine("PUT", "Patient/p1")


def test_delete_twice_is_idempotent_and_unknown_delete_is_not_found(store: SqlStore) -> None:
    store.update(patient("p1"))
    store.delete("Patient", "p1")
    assert store.delete("Patient", "p1").version == 2
    with pytest.raises(NotFound):
        store.delete("Patient", "never")


def test_update_after_delete_revives_the_resource_as_a_new_version(store: SqlStore) -> None:
    store.update(patient("p1"))
    store.delete("Patient", "p1")
    revived = store.update(patient("p1", family="Back"))
    assert (revived.version, revived.operation) == (3, "create")
    assert store.read("Patient", "p1").resource["name"][0]["family"] == "Back"


def test_malformed_ids_and_bodies_are_invalid_requests(store: SqlStore) -> None:
    with pytest.raises(InvalidRequest):
        store.update({**patient(), "id": "bad id/with slash"})
    with pytest.raises(InvalidRequest):
        store.update({**patient(), "id": None})
    with pytest.raises(InvalidRequest):
        store.create({"resourceType": "not a type"})
    with pytest.raises(InvalidRequest):
        store.create([])  # type: ignore[arg-type]


def test_caller_dict_is_not_modified(store: SqlStore) -> None:
    body = patient()
    snapshot = json.dumps(body, sort_keys=True)
    store.create(body)
    assert json.dumps(body, sort_keys=True) == snapshot


def test_type_and_system_history_page_newest_first(store: SqlStore) -> None:
    store.update(patient("p1"))
    store.update(observation("o1"))
    store.update(patient("p1", family="Meier"))
    store.update(observation("o2"))
    system = store.history(count=3)
    assert [(e.resource_type, e.id, e.version) for e in system.entries] == [
        ("Observation", "o2", 1), ("Patient", "p1", 2), ("Observation", "o1", 1)]
    rest = store.history(count=3, cursor=system.next_cursor)
    assert [(e.id, e.version) for e in rest.entries] == [("p1", 1)]
    assert rest.next_cursor is None
    assert [e.id for e in store.history("Observation").entries] == ["o2", "o1"]


def test_history_since_leaves_out_older_versions(store: SqlStore) -> None:
    first = store.update(patient("p1"))
    second = store.update(patient("p1", family="Meier"))
    since = first.last_updated + (second.last_updated - first.last_updated) / 2
    assert [e.version for e in store.history("Patient", "p1", since=since).entries] == [2]
    assert store.history("Patient", "p1", since=second.last_updated + timedelta(seconds=1)
                         ).entries == []


def test_history_of_unknown_resource_is_not_found(store: SqlStore) -> None:
    with pytest.raises(NotFound):
        store.history("Patient", "nobody")


def test_instance_history_reports_its_total(store: SqlStore) -> None:
    for family in ("A", "B", "C"):
        store.update(patient("p1", family=family))
    page = store.history("Patient", "p1", count=2)
    assert page.total == 3 and len(page.entries) == 2 and page.next_cursor


def test_a_history_of_page_size_zero_gives_the_total_alone_at_every_level(store: SqlStore
                                                                         ) -> None:
    """``_count=0`` asks a history, as it asks a search, for how many versions match and
    no versions: of one resource, of a type and of the whole system, ``_since`` applied."""
    first = store.update(patient("p1"))
    store.update(patient("p1", family="Meier"))
    store.update(observation("o1"))
    for page, total in ((store.history("Patient", "p1", count=0), 2),
                        (store.history("Patient", count=0), 2),
                        (store.history(count=0), 3),
                        (store.history(since=first.last_updated + timedelta(microseconds=1),
                                       count=0), 2)):
        assert (page.entries, page.next_cursor, page.total) == ([], None, total)


def test_a_stored_resource_is_a_frozen_record_whichever_way_it_is_made() -> None:
    import dataclasses

    from fhirsvc.storage.protocol import StoredResource

    by_position = StoredResource("Patient", "p1", 2, 5, "update", '{"resourceType":"Patient"}')
    by_name = StoredResource(resource_type="Patient", id="p1", version=2,
                             last_updated_micros=5, operation="update",
                             text='{"resourceType":"Patient"}')
    assert dataclasses.astuple(by_position) == dataclasses.astuple(by_name) == (
        "Patient", "p1", 2, 5, "update", '{"resourceType":"Patient"}', None)
    assert by_name.resource == {"resourceType": "Patient"} and by_name.etag == 'W/"2"'
    assert dataclasses.replace(by_name, version=3).version == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_name.version = 4  # type: ignore[misc]
