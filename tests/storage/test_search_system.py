"""System-level search on every backend: one query across several types, each type with
its own conditions, paged, sorted and counted as one result
(https://hl7.org/fhir/R4/search.html#_type)."""

from __future__ import annotations

import pytest

from fhirsvc.errors import InvalidRequest
from fhirsvc.storage import SqlStore, iter_pages, parse_system_search
from tests.storage.samples import LOINC, case, condition, observation, patient


def refs(store: SqlStore, *params: tuple[str, str]) -> list[str]:
    return [m.reference for page in iter_pages(store, parse_system_search(params))
            for m in page.matches]


@pytest.fixture
def records(store: SqlStore) -> SqlStore:
    store.load(case("p1"))
    store.load([patient("p2", gender="male"), condition("c2", "p2", snomed="38341003"),
                observation("o2", "p2", code="718-7")])
    return store


def test_without_type_every_type_is_searched(records: SqlStore) -> None:
    every = refs(records, ("_count", "3"))
    assert len(every) == len(set(every)) == len(case("p1")) + 3
    assert sorted(refs(records, ("_id", "p2,c2"))) == ["Condition/c2", "Patient/p2"]


def test_each_type_gets_its_own_conditions(records: SqlStore) -> None:
    found = refs(records, ("_type", "Condition,Observation"), ("patient", "Patient/p2"))
    assert sorted(found) == ["Condition/c2", "Observation/o2"]
    coded = refs(records, ("_type", "Observation,Condition"), ("code", f"{LOINC}|718-7"))
    assert coded == ["Observation/o2"]


def test_sort_by_a_shared_index_parameter_pages_across_types(records: SqlStore) -> None:
    query = [("_type", "Condition,Observation"), ("patient", "Patient/p2"), ("_count", "1")]
    # ascending takes each resource's lowest code: SNOMED 38341003 < LOINC 718-7
    assert refs(records, *query, ("_sort", "code")) == ["Condition/c2", "Observation/o2"]
    assert refs(records, *query, ("_sort", "-_id")) == ["Observation/o2", "Condition/c2"]


def test_parameters_a_searched_type_lacks_are_issues_or_errors(records: SqlStore) -> None:
    query = parse_system_search([("_type", "Patient,Condition"), ("gender", "male")])
    assert any("gender" in issue.diagnostics for issue in query.issues)
    with pytest.raises(InvalidRequest):
        parse_system_search([("_type", "Patient,Condition"), ("gender", "male")], strict=True)
    with pytest.raises(InvalidRequest):
        parse_system_search([("_type", "Patient,Nothing")])


def test_totals_count_every_type(records: SqlStore) -> None:
    counted = records.search(parse_system_search([("_type", "Patient,Condition"),
                                                  ("_summary", "count")]))
    assert counted.total == 4  # Patient p1, p2 and Condition c1, c2
    assert counted.matches == []
