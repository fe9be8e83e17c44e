"""Chains, reverse chains (_has), _include/_revinclude and _sort, on every backend."""

from __future__ import annotations

import re

import pytest

from fhirsvc.storage import SqlStore, iter_pages, parse_search
from fhirsvc.storage.search.sql import ConditionCompiler
from tests.storage.helpers import ids, plan_of
from tests.storage.samples import case, condition, observation, patient, provenance


@pytest.fixture
def two_cases(store: SqlStore) -> SqlStore:
    store.load(case("p1"))
    store.load([
        patient("p2", family="Meier", given="Jonas", gender="male", birth="1985-07-01",
                managingOrganization={"reference": "Organization/org1"}),
        observation("o2", "p2", code="718-7", value=11, when="2017-01-15"),
        observation("o3", "p2", value=90, when="2016-12-01"),
        condition("c2", "p2", snomed="38341003", icd="I10", text="Hypertension"),
        provenance("v2", ("Condition/c2",), "p2"),
    ])
    return store


def test_chain_through_typed_reference(two_cases: SqlStore) -> None:
    assert ids(two_cases, "Observation", ("subject:Patient.name", "meier")) == ["o2", "o3"]
    assert ids(two_cases, "Observation", ("patient.gender", "female")) == ["o1", "bp1"]


def test_a_chains_targets_are_looked_up_by_rid_not_read_by_type(two_cases: SqlStore) -> None:
    """The targets a chain's inner condition matches are found by rid: SQLite read every
    resource of the target type through the (type, id) index instead, testing each
    against the inner list (every patient, to find the one with an identifier)."""
    [condition] = parse_search("Observation", [("subject:Patient.identifier", "x")]).conditions
    found = ConditionCompiler(two_cases.slots).rid_set(condition, "Observation")
    assert found is not None
    with two_cases.backend.session(True) as db:
        plan = plan_of(db, *found.select())
    by_type = r"sqlite_autoindex_resource|resource_type_id_key|resource_live"
    assert not re.search(by_type, plan), plan
    assert ids(two_cases, "Observation", ("subject:Patient.identifier", "x")) == []


def test_chain_combines_with_other_criteria(two_cases: SqlStore) -> None:
    assert ids(two_cases, "Observation", ("patient.family", "meier"), ("code", "777-3")) == ["o3"]


def test_two_level_chain(two_cases: SqlStore) -> None:
    assert ids(two_cases, "Provenance", ("target:Condition.patient.birthdate", "1985")) == ["v2"]


def test_chain_ignores_deleted_targets(two_cases: SqlStore) -> None:
    two_cases.delete("Patient", "p2")
    assert ids(two_cases, "Observation", ("patient.family", "meier")) == []


def test_reverse_chain_finds_patients_by_their_observations(two_cases: SqlStore) -> None:
    assert ids(two_cases, "Patient", ("_has:Observation:patient:code", "718-7")) == ["p2"]
    assert ids(two_cases, "Patient", ("_has:Observation:patient:code", "777-3")) == ["p1", "p2"]
    assert ids(two_cases, "Patient", ("_has:Condition:subject:code", "E11.9"),
               ("gender", "female")) == ["p1"]


def test_nested_reverse_chain(two_cases: SqlStore) -> None:
    # patients with a condition that a Provenance record targets and that is I10
    assert ids(two_cases, "Patient",
               ("_has:Condition:patient:_has:Provenance:target:patient", "p2")) == ["p2"]


def test_include_adds_referenced_resources_once(two_cases: SqlStore) -> None:
    result = two_cases.search(parse_search("Observation", [
        ("code", "777-3"), ("_include", "Observation:patient")]))
    assert [m.id for m in result.matches] == ["o1", "o3"]
    assert sorted(i.reference for i in result.included) == ["Patient/p1", "Patient/p2"]


def test_include_of_a_page_larger_than_one_statement_used_to_list(store: SqlStore) -> None:
    store.load([patient(f"p{i}") for i in range(600)])
    store.load([observation(f"o{i}", f"p{i}") for i in range(600)])
    result = store.search(parse_search("Observation", [
        ("_include", "Observation:subject"), ("_count", "600")]))
    assert len(result.matches) == 600
    assert sorted(i.id for i in result.included) == sorted(f"p{i}" for i in range(600))


def test_included_resources_come_in_one_order_on_every_backend(store: SqlStore) -> None:
    """Included resources are listed by type then id: the include query's DISTINCT left
    the order to the database, so SQLite and PostgreSQL answered the same search with
    its entries in different orders (and a client diffing two answers saw a change)."""
    store.load([patient(f"p{i:02}") for i in range(40)])
    store.load([observation(f"o{i:02}", f"p{39 - i:02}") for i in range(40)])
    result = store.search(parse_search("Observation", [
        ("_include", "Observation:*"), ("_count", "40")]))
    references = [i.reference for i in result.included]
    assert references == sorted(references, key=lambda r: tuple(r.split("/")))
    assert len(references) == 40


def test_include_with_target_type_and_wildcard(two_cases: SqlStore) -> None:
    procedure = two_cases.search(parse_search("Procedure", [("_include", "Procedure:*")]))
    assert sorted(i.reference for i in procedure.included) == ["Condition/c1", "Patient/p1"]
    typed = two_cases.search(parse_search("Procedure", [
        ("_include", "Procedure:reason-reference:Condition")]))
    assert [i.reference for i in typed.included] == ["Condition/c1"]


def test_revinclude_adds_referring_resources(two_cases: SqlStore) -> None:
    result = two_cases.search(parse_search("Condition", [
        ("_id", "c1"), ("_revinclude", "Provenance:target")]))
    assert [i.reference for i in result.included] == ["Provenance/v1"]


def test_include_iterate_follows_included_resources(two_cases: SqlStore) -> None:
    plain = two_cases.search(parse_search("Provenance", [
        ("_id", "v2"), ("_include", "Provenance:target:Condition"),
        ("_include", "Condition:subject")]))
    assert [i.reference for i in plain.included] == ["Condition/c2"]
    iterated = two_cases.search(parse_search("Provenance", [
        ("_id", "v2"), ("_include", "Provenance:target:Condition"),
        ("_include:iterate", "Condition:subject")]))
    assert sorted(i.reference for i in iterated.included) == ["Condition/c2", "Patient/p2"]


def test_revinclude_iterate_reaches_provenance_of_included(two_cases: SqlStore) -> None:
    result = two_cases.search(parse_search("Patient", [
        ("_id", "p2"), ("_revinclude", "Condition:subject"),
        ("_revinclude:iterate", "Provenance:target")]))
    assert sorted(i.reference for i in result.included) == ["Condition/c2", "Provenance/v2"]


def test_include_leaves_out_deleted_targets_and_matches(two_cases: SqlStore) -> None:
    two_cases.delete("Patient", "p1")
    result = two_cases.search(parse_search("Observation", [
        ("code", "777-3"), ("_include", "Observation:subject")]))
    assert [i.reference for i in result.included] == ["Patient/p2"]
    own = two_cases.search(parse_search("Patient", [("_revinclude", "Patient:link"),
                                                   ("_include", "Patient:organization")]))
    assert [m.id for m in own.matches] == ["p2"] and own.included == []


def test_sort_by_date_uses_the_start_ascending_and_the_end_descending(
    two_cases: SqlStore,
) -> None:
    # bp1 is the whole day 2016-11-05; o1 is 10:00 that day
    assert ids(two_cases, "Observation", ("_sort", "-date")) == ["o2", "o3", "bp1", "o1"]
    assert ids(two_cases, "Observation", ("_sort", "date")) == ["bp1", "o1", "o3", "o2"]


def test_sort_on_several_keys_with_missing_values_last(store: SqlStore) -> None:
    store.load([
        patient("a", family="Zed", gender="male"),
        patient("b", family="Adams", gender="female"),
        patient("c", family="Adams", gender="male"),
        {**patient("d", family="Brown"), "gender": None},
    ])
    assert ids(store, "Patient", ("_sort", "gender,-family")) == ["b", "a", "c", "d"]
    assert ids(store, "Patient", ("_sort", "-gender,family,_id")) == ["c", "a", "b", "d"]
    assert ids(store, "Patient", ("_sort", "family,-_id")) == ["c", "b", "d", "a"]


def test_sorted_paging_is_stable_and_complete(store: SqlStore) -> None:
    store.load([observation(f"o{i:02}", "p1", when=f"2016-11-{1 + i % 4:02}")
                for i in range(11)])
    query = parse_search("Observation", [("_sort", "-date,_id"), ("_count", "3")])
    forward = [m.id for page in iter_pages(store, query) for m in page.matches]
    assert forward == ids(store, "Observation", ("_sort", "-date,_id"), ("_count", "50"))
    assert len(forward) == 11
    last = None
    for page in iter_pages(store, query):
        last = page
    assert last is not None and last.previous_cursor
    back = store.search(parse_search("Observation", last.previous_params() or []))
    assert [m.id for m in back.matches] == forward[6:9]


def test_sort_by_last_updated(store: SqlStore) -> None:
    for pid in ("x", "y", "z"):
        store.update(patient(pid))
    store.update(patient("x", family="Later"))
    assert ids(store, "Patient", ("_sort", "-_lastUpdated")) == ["x", "z", "y"]


def test_revinclude_wildcard_brings_every_referring_resource(two_cases: SqlStore) -> None:
    result = two_cases.search(parse_search("Condition", [("_id", "c2"), ("_revinclude", "*")]))
    assert [i.reference for i in result.included] == ["Provenance/v2"]


def test_id_not_excludes_listed_ids(two_cases: SqlStore) -> None:
    assert ids(two_cases, "Condition", ("_id:not", "c1")) == ["c2"]


def test_include_of_a_page_longer_than_one_include_query_takes(store: SqlStore) -> None:
    store.load([patient(f"q{i}") for i in range(450)]
               + [observation(f"x{i}", f"q{i}") for i in range(450)])
    result = store.search(parse_search("Observation", [("_count", "450"),
                                                       ("_include", "Observation:subject")]))
    assert len(result.matches) == 450
    assert sorted(i.reference for i in result.included) == sorted(
        f"Patient/q{i}" for i in range(450))
