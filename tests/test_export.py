"""Writing stored resources as NDJSON per type or one collection Bundle (``fhirsvc.export``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fhirsvc.export import BUNDLE_FILE, write_bundle, write_ndjson
from fhirsvc.storage import SqlStore, StoredResource, open_store
from tests.storage.samples import condition, observation, patient


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    opened = open_store(str(tmp_path / "store.sqlite3"))
    for resource in (patient("p2"), patient("p1"), condition("c1", "p1"), observation("o1")):
        opened.update(resource)
    opened.update(patient("gone"))
    opened.delete("Patient", "gone")
    yield opened
    opened.close()


def test_ndjson_is_one_file_per_type_one_stored_resource_a_line_by_id(
        store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    tally = write_ndjson(store.current(), out)
    assert sorted(p.name for p in out.iterdir()) == ["Condition.ndjson", "Observation.ndjson",
                                                     "Patient.ndjson"]
    lines = (out / "Patient.ndjson").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # every line ends with a newline
    assert lines[:-1] == [store.read("Patient", pid).text for pid in ("p1", "p2")]
    assert tally.counts == {"Condition": 1, "Observation": 1, "Patient": 2}
    assert tally.total == 4


def test_ndjson_export_is_byte_for_byte_repeatable(store: SqlStore, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        out.mkdir()
        write_ndjson(store.current(), out)
    assert all((first / p.name).read_bytes() == p.read_bytes() for p in second.iterdir())


def test_ndjson_removes_an_earlier_file_of_a_type_in_scope_that_is_now_empty(
        store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "Procedure.ndjson").write_text("{}\n")
    (out / "Device.ndjson").write_text("{}\n")  # not in scope: left alone
    (out / "notes.txt").write_text("mine")
    tally = write_ndjson(store.current(["Patient", "Procedure"]),
                         out, ["Patient", "Procedure"])
    assert sorted(p.name for p in out.iterdir()) == ["Device.ndjson", "Patient.ndjson",
                                                     "notes.txt"]
    assert tally.removed == [out / "Procedure.ndjson"]


def test_a_failed_export_leaves_the_earlier_file_whole(store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "Patient.ndjson").write_text("earlier\n")

    def failing() -> Iterator[StoredResource]:
        yield from store.current(["Patient"])
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_ndjson(failing(), out)
    assert (out / "Patient.ndjson").read_text() == "earlier\n"
    assert [p.name for p in out.iterdir()] == ["Patient.ndjson"]  # no temporary left


def test_an_export_failing_midway_leaves_every_type_as_it_was(store: SqlStore,
                                                               tmp_path: Path) -> None:
    """Types already read when the failure comes are not renamed into place either: the
    folder never mixes this export's files with an earlier one's."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "Patient.ndjson").write_text("earlier\n")

    def failing() -> Iterator[StoredResource]:
        for resource in store.current():
            if resource.resource_type == "Patient":
                raise OSError("database went away")
            yield resource

    with pytest.raises(OSError, match="went away"):
        write_ndjson(failing(), out)
    assert [p.name for p in out.iterdir()] == ["Patient.ndjson"]  # no Condition, no temporary
    assert (out / "Patient.ndjson").read_text() == "earlier\n"


def test_a_file_that_cannot_be_renamed_into_place_puts_back_the_ones_renamed_before_it(
        store: SqlStore, tmp_path: Path) -> None:
    """Condition's file is renamed first; Patient's final name is a folder, so its rename
    fails: Condition's earlier file comes back and no temporary or kept copy is left."""
    out = tmp_path / "out"
    (out / "Patient.ndjson").mkdir(parents=True)
    (out / "Patient.ndjson" / "inside").write_text("x")
    (out / "Condition.ndjson").write_text("earlier\n")

    with pytest.raises(OSError):
        write_ndjson(store.current(["Condition", "Patient"]), out)
    assert (out / "Condition.ndjson").read_text() == "earlier\n"
    assert sorted(p.name for p in out.iterdir()) == ["Condition.ndjson", "Patient.ndjson"]


def test_a_type_new_to_the_folder_is_removed_again_when_a_later_rename_fails(
        store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "Patient.ndjson").mkdir(parents=True)
    (out / "Patient.ndjson" / "inside").write_text("x")

    with pytest.raises(OSError):
        write_ndjson(store.current(["Condition", "Patient"]), out)
    assert sorted(p.name for p in out.iterdir()) == ["Patient.ndjson"]


def test_bundle_is_one_collection_of_the_current_resources_in_order(
        store: SqlStore, tmp_path: Path) -> None:
    tally = write_bundle(store.current(), tmp_path)
    bundle = json.loads((tmp_path / BUNDLE_FILE).read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert [f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]] == [
        "Condition/c1", "Observation/o1", "Patient/p1", "Patient/p2"]
    assert bundle["entry"][2]["resource"] == store.read("Patient", "p1").resource
    assert tally.total == 4


def test_bundle_of_an_empty_selection_has_no_empty_entry_array(store: SqlStore,
                                                              tmp_path: Path) -> None:
    write_bundle(store.current(["Procedure"]), tmp_path)
    assert json.loads((tmp_path / BUNDLE_FILE).read_text()) == {"resourceType": "Bundle",
                                                                "type": "collection"}
