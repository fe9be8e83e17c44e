"""Pages found by walking the page's order give the pages the sorting plan gives.

A walk (:mod:`fhirsvc.storage.search.walk`) only starts above a match count a test
database hardly reaches, so these tests set the thresholds: every query below is paged
forward and back with the walk off, with a budget large enough to fill each page, and
with one so small that walks give up and the usual plan takes over; the pages must be the
same, and the walk must really have answered some of them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from fhirsvc.storage import SqlStore, parse_search, postgres
from fhirsvc.storage.search import execute, walk
from fhirsvc.storage.search.query import with_cursor
from fhirsvc.storage.search.sql import ConditionCompiler
from tests.storage.conftest import TABLES
from tests.storage.helpers import plan_of
from tests.storage.samples import observation, patient

#: Statistics of the session's own tables (those of its schema, on the search path).
ANALYZE_OWN = f"ANALYZE {', '.join(TABLES)}"

FAMILIES = ("Garcia", "Chen", "Smith")
CODES = ("777-3", "718-7", "2345-7")
QUERIES = (
    [("subject:Patient.name", "Garcia")],
    [("patient.family", "chen"), ("date", "ge2016-03")],
    [("code", "777-3"), ("_sort", "-date")],
    [("code", "777-3"), ("_sort", "date")],
    [("_sort", "-date")],
    [("_sort", "_id"), ("code", "718-7")],
    [("_sort", "-_lastUpdated")],
    [("_sort", "code")],
    [("date", "ge2016-06")],
    [("subject:Patient.name", "Garcia"), ("_sort", "-date")],
)
PATIENT_QUERIES = (
    [("name", "Gar")],
    [("_has:Observation:patient:code", "777-3")],
    [("_sort", "-family"), ("gender", "female")],
    [("_sort", "given")],
)


@pytest.fixture
def clinic(store: SqlStore) -> SqlStore:
    """Patients with common family names (one Garcia deleted, his observations kept),
    observations stored in shuffled order with repeated dates and some without one."""
    rng = random.Random(5)
    patients: list[dict[str, Any]] = [
        patient(f"p{i}", family=FAMILIES[i % 3], given=rng.choice(("Ana", "Bo", "Cy")),
                gender=("female", "male")[i % 2],
                name=[{"family": FAMILIES[i % 3], "given": ["Ana", "Zoe"][: 1 + i % 2]}])
        for i in range(30)
    ]
    observations: list[dict[str, Any]] = []
    for i in range(60):
        body = observation(f"o{i:02}", f"p{i % 30}", code=CODES[i % 3],
                           when=f"2016-{1 + i % 12:02}-{1 + i % 5:02}")
        if i % 11 == 0:
            del body["effectiveDateTime"]
        observations.append(body)
    rng.shuffle(observations)
    store.load(patients[:12])
    store.load(observations)
    store.load(patients[12:])
    store.delete("Patient", "p3")
    return store


def pages(store: SqlStore, resource_type: str, params: list[tuple[str, str]]
          ) -> list[list[str]]:
    """Every page forward (count 4), then back again from the last one."""
    query = parse_search(resource_type, [*params, ("_count", "4")])
    found, result = [], store.search(query)
    found.append([m.id for m in result.matches])
    for link in ("next_cursor", "previous_cursor"):
        while getattr(result, link):
            result = store.search(with_cursor(query, getattr(result, link)))
            found.append([m.id for m in result.matches])
            assert len(found) < 100, "paging does not end"
    return found


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> Callable[[int | None], list[int]]:
    """Sets the walk's budget (None: no walks; a budget below a page's size: every walk
    is tried and gives up) and counts [pages walks answered, walks tried]."""
    counts = [0, 0]
    original, sql = execute.walk_page, walk._walk_sql

    def counting(*args: Any, **kwargs: Any) -> Any:
        rows = original(*args, **kwargs)
        counts[0] += rows is not None
        return rows

    def tried(*args: Any, **kwargs: Any) -> Any:
        counts[1] += 1
        return sql(*args, **kwargs)

    monkeypatch.setattr(execute, "walk_page", counting)
    monkeypatch.setattr(walk, "_walk_sql", tried)

    def configure(budget: int | None) -> list[int]:
        monkeypatch.setattr(walk, "WALK_ABOVE", 1 if budget else 10**9)
        monkeypatch.setattr(walk, "WALK_COST", 0 if budget else 1e30)
        monkeypatch.setattr(walk, "WALK_BUDGET", budget or 1)
        if budget is not None and budget < 10:
            monkeypatch.setattr(walk, "worth_walking", lambda *args: True)
        counts[:] = [0, 0]
        return counts

    return configure


@pytest.mark.parametrize("resource_type, params", [
    *(("Observation", q) for q in QUERIES), *(("Patient", q) for q in PATIENT_QUERIES)])
def test_walked_pages_equal_sorted_pages(clinic: SqlStore, walked: Callable[[int | None],
                                         list[int]], resource_type: str,
                                         params: list[tuple[str, str]]) -> None:
    walked(None)
    expected = pages(clinic, resource_type, params)
    assert len(expected) > 2, "the query should need several pages"
    answered = walked(1000)
    assert pages(clinic, resource_type, params) == expected
    assert answered[0] > 0
    gave_up = walked(3)  # too small to fill a page of four: every walk gives up
    assert pages(clinic, resource_type, params) == expected
    assert gave_up[0] == 0 and gave_up[1] > 0


def test_walked_chain_skips_deleted_targets_in_storage_order(
        clinic: SqlStore, walked: Callable[[int | None], list[int]]) -> None:
    everything = parse_search("Observation", [("_count", "100")])
    in_order = [m.id for m in clinic.search(everything).matches]
    garcias = [oid for oid in in_order if int(oid[1:]) % 30 % 3 == 0
               and int(oid[1:]) % 30 != 3]  # p3 was deleted
    answered = walked(1000)
    query = parse_search("Observation", [("subject:Patient.name", "garcia"), ("_count", "5")])
    assert [m.id for m in clinic.search(query).matches] == garcias[:5]
    assert answered[0] == 1


def test_walk_sorted_descending_breaks_ties_by_storage_order(
        store: SqlStore, walked: Callable[[int | None], list[int]]) -> None:
    store.load([observation(f"t{i}", "p1", when="2016-03-01") for i in (3, 1, 2)]
               + [observation("t0", "p1", when="2016-04-01")])
    answered = walked(1000)
    query = parse_search("Observation", [("_sort", "-date"), ("_count", "3")])
    assert [m.id for m in store.search(query).matches] == ["t0", "t3", "t1"]
    assert answered[0] == 1


@pytest.mark.parametrize("resource_type, params", [
    ("Observation", [("code", "777-3"), ("subject:Patient.name", "Garcia")]),
    ("Observation", [("code", "718-7"), ("patient.gender", "female")]),
    ("Patient", [("gender", "female"), ("_has:Observation:patient:code", "777-3")]),
])
def test_chain_tested_through_each_candidates_references_gives_the_same_pages(
        clinic: SqlStore, walked: Callable[[int | None], list[int]], resource_type: str,
        params: list[tuple[str, str]]) -> None:
    walked(None)  # a chain of few matches: tested against the list of them
    expected = pages(clinic, resource_type, params)
    assert len(expected) > 2, "the query should need several pages"
    walked(1000)  # of many: through the references of each resource the driver gives
    assert pages(clinic, resource_type, params) == expected


def test_walk_pays_from_a_match_count_growing_with_the_stored_resources(
        clinic: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 60 observations stored (90 resources) and a page of 5, walking pays from
    sqrt(4 * 5 * 60) = 35 driving matches (42 on SQLite, which takes every resource): the
    60 observations pass, the 20 of one code do not. PostgreSQL estimates the matches
    (within a factor of two here), SQLite counts them."""
    every = walk.Sized(("SELECT 1 FROM resource a WHERE a.type = ? AND a.deleted = 0",
                        ["Observation"]), "Observation")
    monkeypatch.setattr(postgres, "SIZE_SECONDS", 0.0)  # sizes as ANALYZE leaves them
    with clinic.backend.session(True) as db:
        if db.dialect == "postgresql":
            # the planner's statistics, which a load of 90 does not take; of this
            # session's tables only: a bare ANALYZE would also lock and analyse every
            # other test session's tables on the shared database, changing their plans
            db.run(ANALYZE_OWN)
        p = clinic.slots.p("Observation", "code")
        one_code = ("SELECT 1 FROM idx_token a WHERE a.p = ? AND a.code = ?", [p, "777-3"])
        assert walk.WALK_COST == 4
        assert walk.worth_walking(db, every, 5)
        assert not walk.worth_walking(db, walk.Sized(one_code, "Observation"), 5)
        assert walk.at_least(db, one_code, 10)
        assert not walk.at_least(db, one_code, 40)


def test_a_types_estimated_size_is_remembered_for_a_while_on_postgresql(
        clinic: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size of a type only decides whether a search walks: PostgreSQL's estimate of
    it is asked once per connection and :data:`postgres.SIZE_SECONDS`."""
    # an hour, so that a slow machine loading the rows below does not outlast the window
    monkeypatch.setattr(postgres, "SIZE_SECONDS", 3600.0)
    with clinic.backend.session(False) as db:
        if db.dialect != "postgresql":
            pytest.skip("SQLite keeps no estimates: it reads the largest rid")
        rows = walk._rows(*walk.live("a", "Observation"))
        before = db.estimate_stored("Observation", rows)
        clinic.load([observation(f"n{i}", "p1") for i in range(200)])
        db.run(ANALYZE_OWN)
        assert db.estimate_stored("Observation", rows) == before
        assert db.estimate_rows(*rows) > before


def test_a_walked_resource_is_tested_for_one_code_from_the_code_index_alone(
        clinic: SqlStore) -> None:
    """A walk tests each resource it passes: for one code, the test looks up (p, code,
    this rid) in the code's B-tree, which also holds the system, instead of reading every
    token row of the resource from the table."""
    compiler = ConditionCompiler(clinic.slots)
    [code] = parse_search("Observation", [("code", "http://loinc.org|777-3")]).conditions
    test, params = compiler.test(code, "Observation", "v.rid", correlated=True)
    with clinic.backend.session(True) as db:
        plan = plan_of(db, f"SELECT v.rid FROM resource v WHERE v.rid < 50 AND {test}", params)
    assert "idx_token_code" in plan and "idx_token_rid" not in plan, plan
    assert "Index Only Scan" in plan or "COVERING INDEX" in plan, plan

