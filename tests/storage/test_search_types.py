"""Quantity, number, uri and composite parameters, modifiers and prefixes, on every backend."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from fhirsvc.errors import InvalidRequest
from fhirsvc.spec import load_spec
from fhirsvc.storage import SearchRegistry, SqlStore, iter_pages, open_store, parse_search
from fhirsvc.storage.search import predicates
from fhirsvc.storage.search.execute import drive
from fhirsvc.storage.search.sql import ConditionCompiler
from tests.storage.helpers import ids, plan_of
from tests.storage.samples import (
    LOINC,
    UCUM,
    blood_pressure,
    case,
    condition,
    document_reference,
    observation,
    patient,
)


@pytest.fixture
def labs(store: SqlStore) -> SqlStore:
    store.load([
        patient("p1"),
        observation("o100", value=100),
        observation("o150", value=150),
        observation("o5.4", code="2345-7", value=5.4, unit="mmol/L"),
        observation("o99.6", value=99.6),
        blood_pressure("bp1", systolic=142, diastolic=91),
        blood_pressure("bp2", systolic=118, diastolic=76),
    ])
    return store


# ------------------------------------------------------------------------- quantity

def test_quantity_eq_uses_the_implicit_precision_of_the_value(labs: SqlStore) -> None:
    assert ids(labs, "Observation", ("value-quantity", "100")) == ["o100", "o99.6"]
    assert ids(labs, "Observation", ("value-quantity", "100.0")) == ["o100"]
    assert ids(labs, "Observation", ("value-quantity", "5.4")) == ["o5.4"]


def test_quantity_prefixes(labs: SqlStore) -> None:
    assert ids(labs, "Observation", ("value-quantity", "gt100")) == ["o150"]
    assert ids(labs, "Observation", ("value-quantity", "ge100")) == ["o100", "o150"]
    assert ids(labs, "Observation", ("value-quantity", "lt100")) == ["o5.4", "o99.6"]
    assert ids(labs, "Observation", ("value-quantity", "le99.6")) == ["o5.4", "o99.6"]
    assert ids(labs, "Observation", ("value-quantity", "ne100")) == ["o150", "o5.4"]
    assert ids(labs, "Observation", ("value-quantity", "sa140")) == ["o150"]
    assert ids(labs, "Observation", ("value-quantity", "eb6")) == ["o5.4"]
    assert ids(labs, "Observation", ("value-quantity", "ap95")) == ["o100", "o99.6"]


@pytest.mark.parametrize("prefix", ["gt", "lt", "ge", "le"])
def test_a_ucum_quantity_range_is_read_from_the_index_alone(labs: SqlStore, prefix: str) -> None:
    """Both ends of a base-unit quantity are in its B-tree, so a range on either end
    (``gt`` compares the upper) is counted and read without a table row per quantity."""
    [condition] = parse_search("Observation", [
        ("value-quantity", f"{prefix}100|{UCUM}|10*3/uL")]).conditions
    found = ConditionCompiler(labs.slots).rid_set(condition, "Observation")
    assert found is not None
    with labs.backend.session(True) as db:
        plan = plan_of(db, *found.select())
    assert "idx_quantity_canon" in plan, plan
    assert "Index Only Scan" in plan or "COVERING INDEX" in plan, plan


def test_quantity_with_system_and_code_or_unit_only(labs: SqlStore) -> None:
    assert ids(labs, "Observation", ("value-quantity", f"lt200|{UCUM}|mmol/L")) == ["o5.4"]
    assert ids(labs, "Observation", ("value-quantity", "lt200||mmol/L")) == ["o5.4"]
    assert ids(labs, "Observation", ("value-quantity", f"lt200|{UCUM}|g")) == []


def test_ucum_quantities_match_across_units(store: SqlStore) -> None:
    store.load([
        observation("glucose-mg", code="2345-7", value=150, unit="mg/dL"),
        observation("glucose-g", code="2345-7", value=0.9, unit="g/L"),
        observation("platelets", value=250, unit="10*3/uL"),
    ])
    assert ids(store, "Observation", ("value-quantity", f"gt1|{UCUM}|g/L")) == ["glucose-mg"]
    assert ids(store, "Observation", ("value-quantity", f"lt100|{UCUM}|mg/dL")) == ["glucose-g"]
    assert ids(store, "Observation", ("value-quantity", f"1.5|{UCUM}|g/L")) == ["glucose-mg"]
    assert ids(store, "Observation", ("value-quantity", f"250|{UCUM}|10*9/L")) == ["platelets"]
    assert ids(store, "Observation", ("value-quantity", f"gt0|{UCUM}|kg")) == []


def test_component_quantity_and_combo_parameters(labs: SqlStore) -> None:
    assert ids(labs, "Observation", ("component-value-quantity", "gt140")) == ["bp1"]
    assert ids(labs, "Observation", ("combo-value-quantity", "gt140")) == ["o150", "bp1"]
    assert ids(labs, "Observation", ("component-code", "8480-6")) == ["bp1", "bp2"]
    assert ids(labs, "Observation", ("combo-code", "8480-6,777-3")) == [
        "o100", "o150", "o99.6", "bp1", "bp2"]


# ------------------------------------------------------------------------ composite

def test_composite_requires_both_parts_in_the_same_component(labs: SqlStore) -> None:
    systolic_high = f"{LOINC}|8480-6$gt140"
    diastolic_high = f"{LOINC}|8462-4$gt140"
    assert ids(labs, "Observation", ("component-code-value-quantity", systolic_high)) == ["bp1"]
    # 142 is a value of bp1, but of its systolic component, not its diastolic one
    assert ids(labs, "Observation", ("component-code-value-quantity", diastolic_high)) == []


def test_composite_code_value_quantity_on_the_observation_itself(labs: SqlStore) -> None:
    assert ids(labs, "Observation",
               ("code-value-quantity", f"{LOINC}|777-3$ge150")) == ["o150"]
    assert ids(labs, "Observation",
               ("code-value-quantity", "777-3$lt100,2345-7$lt10")) == ["o5.4", "o99.6"]


def test_document_relationship_pairs_the_target_with_the_relation(store: SqlStore) -> None:
    """R4 publishes DocumentReference's ``relationship`` with its two components'
    expressions swapped (the reference part reads ``code``, the token part ``target``),
    so as published it matched nothing; it is indexed as relatesto$relation meant."""
    replacing = document_reference("d2")
    replacing["relatesTo"] = [{"code": "replaces", "target": {"reference": "DocumentReference/d1"}}]
    appending = document_reference("d3")
    appending["relatesTo"] = [{"code": "appends", "target": {"reference": "DocumentReference/d1"}}]
    store.load([document_reference("d1"), replacing, appending])
    assert ids(store, "DocumentReference",
               ("relationship", "DocumentReference/d1$replaces")) == ["d2"]
    assert ids(store, "DocumentReference", ("relationship", "d1$appends,d1$signs")) == ["d3"]
    assert ids(store, "DocumentReference", ("relationship", "DocumentReference/d2$replaces")) == []


def test_composite_with_wrong_number_of_parts_is_refused(labs: SqlStore) -> None:
    with pytest.raises(InvalidRequest, match="2 parts"):
        parse_search("Observation", [("code-value-quantity", "777-3")])


# --------------------------------------------------------------------- string, token

def test_string_exact_and_contains(store: SqlStore) -> None:
    store.load([patient("p1", family="Müller"), patient("p2", family="Mueller-Lüdenscheidt")])
    assert ids(store, "Patient", ("family:exact", "Müller")) == ["p1"]
    assert ids(store, "Patient", ("family:exact", "müller")) == []
    assert ids(store, "Patient", ("family:contains", "LUDEN")) == ["p2"]
    assert ids(store, "Patient", ("family:contains", "ller")) == ["p1", "p2"]


def test_contains_treats_like_wildcards_literally(store: SqlStore) -> None:
    store.load([patient("p1", family="Perc%nt"), patient("p2", family="Percent")])
    assert ids(store, "Patient", ("family:contains", "c%n")) == ["p1"]
    assert ids(store, "Patient", ("family:contains", "c_n")) == []


def test_token_not_excludes_matches_and_keeps_resources_without_the_element(
    store: SqlStore,
) -> None:
    store.load([patient("p1", gender="female"), patient("p2", gender="male"),
                {**patient("p3"), "gender": None}])
    assert ids(store, "Patient", ("gender:not", "male")) == ["p1", "p3"]


def test_token_text_matches_display_and_text(store: SqlStore) -> None:
    store.load(case())
    assert ids(store, "Condition", ("code:text", "diabetes")) == ["c1"]
    assert ids(store, "Condition", ("code:text", "type 2")) == ["c1"]
    assert ids(store, "Condition", ("code:text", "hypertension")) == []


def test_missing_true_and_false(store: SqlStore) -> None:
    store.load([condition("c1"), {**condition("c2"), "onsetDateTime": None}])
    assert ids(store, "Condition", ("onset-date:missing", "true")) == ["c2"]
    assert ids(store, "Condition", ("onset-date:missing", "false")) == ["c1"]
    assert ids(store, "Condition", ("abatement-date:missing", "true")) == ["c1", "c2"]


def test_bound_code_is_matched_by_its_implied_system(store: SqlStore) -> None:
    store.load([observation("o1")])
    assert ids(store, "Observation", ("status", "http://hl7.org/fhir/observation-status|final")
               ) == ["o1"]


def test_reference_identifier_modifier(store: SqlStore) -> None:
    store.load([{**observation("o1"), "subject": {
        "identifier": {"system": "urn:oid:1.2.3", "value": "MRN-7"}}}])
    assert ids(store, "Observation", ("subject:identifier", "urn:oid:1.2.3|MRN-7")) == ["o1"]
    assert ids(store, "Observation", ("subject:identifier", "MRN-8")) == []


def test_absolute_reference_is_matched_by_its_url(store: SqlStore) -> None:
    store.load([{**observation("o1"), "subject": {
        "reference": "https://other.example/fhir/Patient/77"}}])
    assert ids(store, "Observation", ("subject", "https://other.example/fhir/Patient/77")
               ) == ["o1"]
    assert ids(store, "Observation", ("subject", "Patient/77")) == ["o1"]


# ------------------------------------------------------------------------------ uri

def test_uri_exact_above_and_below(store: SqlStore) -> None:
    store.load([
        document_reference("d1"),
        {**document_reference("d2"), "content": [{"attachment": {
            "url": "https://journal.example/case/1234/figures"}}]},
        {**document_reference("d3"), "content": [{"attachment": {
            "url": "https://journal.example"}}]},
    ])
    url = "https://journal.example/case/1234"
    assert ids(store, "DocumentReference", ("location", url)) == ["d1"]
    assert ids(store, "DocumentReference", ("location:below", url)) == ["d1", "d2"]
    assert ids(store, "DocumentReference", ("location:above", url)) == ["d1", "d3"]


def test_profile_and_tag_on_every_type(store: SqlStore) -> None:
    store.load(case())
    assert ids(store, "Patient", ("_profile", "http://hl7.org/fhir/StructureDefinition/Patient")
               ) == ["p1"]
    assert ids(store, "Patient", ("_tag", "https://fhirsvc.example/case|seed-001")) == ["p1"]
    assert ids(store, "Observation", ("_tag", "seed-001")) == []


def test_last_updated_prefixes(store: SqlStore) -> None:
    first = store.update(patient("p1"))
    second = store.update(patient("p2"))
    between = first.resource["meta"]["lastUpdated"]
    assert ids(store, "Patient", ("_lastUpdated", f"gt{between}")) == ["p2"]
    assert ids(store, "Patient", ("_lastUpdated", f"le{between}")) == ["p1"]
    assert ids(store, "Patient", ("_lastUpdated", f"ge{second.resource['meta']['lastUpdated']}")
               ) == ["p2"]


def test_date_sa_eb_and_period_targets(store: SqlStore) -> None:
    store.load(case())
    # the MedicationAdministration covers 2016-11-05 08:00 to 2016-11-12 08:00
    assert ids(store, "MedicationAdministration", ("effective-time", "2016-11-08")) == []
    assert ids(store, "MedicationAdministration", ("effective-time", "ge2016-11-08")) == ["m1"]
    assert ids(store, "MedicationAdministration", ("effective-time", "sa2016-11-04")) == ["m1"]
    assert ids(store, "MedicationAdministration", ("effective-time", "sa2016-11-05")) == []
    assert ids(store, "MedicationAdministration", ("effective-time", "eb2016-11-13")) == ["m1"]
    assert ids(store, "MedicationAdministration", ("effective-time", "2016-11")) == ["m1"]


def test_number_parameter_from_a_custom_definition(tmp_path_factory: pytest.TempPathFactory
                                                   ) -> None:
    """R4 defines no number parameter on these types; a custom one exercises the type."""
    registry = SearchRegistry.from_spec(load_spec(), extra=[{
        "resourceType": "SearchParameter", "url": "https://fhirsvc.example/sp/value-integer",
        "code": "value-integer", "base": ["Observation"], "type": "number",
        "expression": "Observation.value.as(integer)",
    }])
    store = open_store(str(tmp_path_factory.mktemp("number") / "n.sqlite3"), registry=registry)
    try:
        store.load([{**observation(f"o{n}"), "valueQuantity": None, "valueInteger": n}
                    for n in (3, 30, 300)])
        query = [("value-integer", "gt10")]
        found = store.search(parse_search("Observation", query, registry=registry))
        assert [m.id for m in found.matches] == ["o30", "o300"]
        exact = store.search(parse_search("Observation", [("value-integer", "3e1")],
                                          registry=registry))
        assert [m.id for m in exact.matches] == ["o30"]
    finally:
        store.close()


def test_phonetic_matches_names_that_sound_alike(store: SqlStore) -> None:
    store.load([patient("p1", family="Müller"), patient("p2", family="Meier"),
                patient("p3", family="Smith", given="Robert")])
    assert ids(store, "Patient", ("phonetic", "Mueller")) == ["p1"]
    assert ids(store, "Patient", ("phonetic", "Smyth")) == ["p3"]
    assert ids(store, "Patient", ("phonetic", "Rupert")) == ["p3"]


def test_identifier_of_type(store: SqlStore) -> None:
    v2 = "http://terminology.hl7.org/CodeSystem/v2-0203"
    store.load([patient("p1", identifier=[{
        "type": {"coding": [{"system": v2, "code": "MR"}]},
        "system": "urn:oid:1.2.3", "value": "12345"}])])
    assert ids(store, "Patient", ("identifier:of-type", f"{v2}|MR|12345")) == ["p1"]
    assert ids(store, "Patient", ("identifier:of-type", f"{v2}|SS|12345")) == []
    with pytest.raises(InvalidRequest):
        parse_search("Patient", [("identifier:of-type", "MR|12345")])
    with pytest.raises(InvalidRequest):
        parse_search("Patient", [("gender:of-type", f"{v2}|MR|1")])


def _date_plan(store: SqlStore, value: str) -> str:
    """The plan of the matches of ``Observation?date=value``, as a search driven by it."""
    [condition] = parse_search("Observation", [("date", value)]).conditions
    found = ConditionCompiler(store.slots).rid_set(condition, "Observation")
    assert found is not None
    with store.backend.session(True) as db:
        return plan_of(db, *found.select())

@pytest.mark.parametrize("prefix, column", [("ge", "high"), ("le", "low")])
def test_date_ge_and_le_read_the_index_from_their_bound_on(labs: SqlStore, prefix: str,
                                                          column: str) -> None:
    """``ge``/``le`` read one date index from the value's bound on, not every date of
    the parameter (https://hl7.org/fhir/R4/search.html#prefix): a few recent dates
    among a million are found as fast as among ten thousand."""
    plan = _date_plan(labs, f"{prefix}2016-11")
    ranged = [line for line in plan.splitlines()
              if re.search(rf"Index Cond: .*\(p = .*{column} [<>]=|\(p=\? AND {column}[<>]", line)]
    assert ranged, plan


@pytest.mark.parametrize("value", ["2016-11", "ge2016-11", "le2016-11", "gt2016-11"])
def test_a_date_range_is_read_from_the_index_alone(labs: SqlStore, value: str) -> None:
    """The matches of a date range come from one date index, which holds both ends of
    each range, without a table row per match."""
    plan = _date_plan(labs, value)
    assert "idx_date_" in plan and ("Index Only Scan" in plan or "COVERING INDEX" in plan), plan


@pytest.fixture
def daily(store: SqlStore) -> SqlStore:
    """An observation a day from 2016-01-20 to 2016-04-10, stored out of date order
    (every seventh day first), and one of a day in 1969 (a bucket before the epoch)."""
    days = [date(2016, 1, 20) + timedelta(days=n) for n in range(82)]
    ordered = days[::7] + [day for n, day in enumerate(days) if n % 7]
    store.load([observation(f"o{day:%m%d}", when=f"{day:%Y-%m-%d}T10:00:00Z")
                for day in ordered])
    store.load([observation("o1969", when="1969-12-25"), observation("o1970", when="1970-01-03")])
    return store


def _paged(store: SqlStore, value: str, count: int) -> list[str]:
    query = parse_search("Observation", [("date", value), ("_count", str(count))])
    return [m.id for page in iter_pages(store, query) for m in page.matches]


@pytest.mark.parametrize("value", ["2016-03", "2016", "2016-02-29", "2016-03-05T10:00:00Z",
                                   "1969-12", "1970-01", "2016-02-10"])
def test_a_date_search_pages_by_time_bucket_as_by_range(
        daily: SqlStore, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read bucket by bucket (each in rid order) or as one range of dates, a date search
    pages through the same resources in the same order (storage order), each once."""
    by_bucket = _paged(daily, value, 4)
    monkeypatch.setattr(predicates, "MAX_BUCKETS", 0)
    by_range = _paged(daily, value, 4)
    assert by_bucket == by_range == _paged(daily, value, 100)
    assert len(set(by_bucket)) == len(by_bucket)
    expected = {"2016-03": 31, "2016": 82, "2016-02-29": 1, "2016-03-05T10:00:00Z": 1,
                "1969-12": 1, "1970-01": 1, "2016-02-10": 1}
    assert len(by_bucket) == expected[value]


@pytest.mark.parametrize("value, buckets", [("2016-03", True), ("2016", True),
                                            ("2016-03-05T10:00", False),
                                            ("ge2016-03", False)])
def test_a_date_of_a_month_or_more_is_read_by_bucket_in_rid_order(
        daily: SqlStore, value: str, buckets: bool) -> None:
    """``date=2016-03`` reads each time bucket the month covers from the (p, bucket,
    rid) B-tree in rid order, stopping after a page, without sorting the month's dates
    (which grow with the database); an hour is too narrow to gain and reads its range."""
    [condition] = parse_search("Observation", [("date", value)]).conditions
    found = ConditionCompiler(daily.slots).rid_set(condition, "Observation")
    assert found is not None and bool(found.branches) is buckets
    bucketed = [where for where, _ in found.branches if "/" in where]
    assert len(bucketed) >= buckets
    with daily.backend.session(True) as db:
        for where, params in found.branches:
            if where in bucketed:
                plan = plan_of(db, f"SELECT DISTINCT {found.alias}.rid FROM {found.source} "
                                   f"WHERE {where} ORDER BY {found.alias}.rid LIMIT 21", params)
                assert "idx_date_bucket" in plan and "Sort" not in plan, plan
                assert "TEMP B-TREE" not in plan, plan


def _thirty_date_criteria() -> list[tuple[str, str]]:
    """The most criteria a search takes, all dates: 2016, from February to March, and
    not on the 1st to the 27th of March."""
    return [("date", "2016"), ("date", "ge2016-02-01"), ("date", "le2016-03-31"),
            *(("date", f"ne2016-03-{day:02d}") for day in range(1, 28))]


@pytest.mark.parametrize("count", [7, 100])
def test_thirty_date_criteria_find_the_days_every_criterion_allows(daily: SqlStore,
                                                                    count: int) -> None:
    """A year read by time bucket would test the 29 other criteria in each of its 29
    buckets' scans (a statement PostgreSQL took seconds to plan): with that many it is
    read as one range, and pages through the right resources in storage order, once."""
    params = _thirty_date_criteria()
    query = parse_search("Observation", [*params, ("_count", str(count))])
    driving = drive(ConditionCompiler(daily.slots), "Observation", query.conditions)
    assert len(driving.rest) == 29 and driving.branches == ()
    found = [m.id for page in iter_pages(daily, query) for m in page.matches]
    days = [date(2016, 2, 1) + timedelta(days=n) for n in range(29)]  # 2016 is a leap year
    days += [date(2016, 3, day) for day in range(28, 32)]
    assert sorted(found) == sorted(f"o{day:%m%d}" for day in days)
    assert found == ids(daily, "Observation", *params, ("_count", "100"))
    assert len(found) == len(set(found)) == 33


def test_a_date_with_a_few_more_criteria_is_still_read_by_bucket(daily: SqlStore) -> None:
    """With three more criteria (29 buckets × 3 tests) the year is still read bucket by
    bucket, and finds 2016 from February to March but the 1st of March."""
    query = parse_search("Observation", _thirty_date_criteria()[:4])
    driving = drive(ConditionCompiler(daily.slots), "Observation", query.conditions)
    assert driving.branches and len(driving.rest) == 3
    found = ids(daily, "Observation", *_thirty_date_criteria()[:4], ("_count", "100"))
    assert len(found) == 29 + 31 - 1
