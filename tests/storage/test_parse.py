"""parse_search: request pairs → typed SearchQuery, and the errors it reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fhirsvc.errors import InvalidRequest, NotFound
from fhirsvc.outcome import Severity
from fhirsvc.storage import parse_search
from fhirsvc.storage.search.query import (
    CompositeValue,
    Criterion,
    DateValue,
    Prefix,
    QuantityValue,
    ReferenceValue,
    ReverseChain,
    StringValue,
    TokenValue,
)
from fhirsvc.storage.search.values import split_escaped, split_keeping_escapes
from fhirsvc.storage.values import date_range


def only(query_params: list[tuple[str, str]], resource_type: str = "Observation") -> Criterion:
    (condition,) = parse_search(resource_type, query_params).conditions
    assert isinstance(condition, Criterion)
    return condition


def test_unknown_parameter_becomes_a_warning_issue() -> None:
    query = parse_search("Observation", [("colour", "red"), ("code", "777-3")])
    assert len(query.conditions) == 1
    (issue,) = query.issues
    assert issue.severity is Severity.WARNING and "colour" in issue.diagnostics


def test_unknown_parameter_is_refused_when_strict() -> None:
    with pytest.raises(InvalidRequest, match="colour"):
        parse_search("Observation", [("colour", "red")], strict=True)


def test_parameters_without_expression_are_reported_unsupported() -> None:
    query = parse_search("Patient", [("_text", "fever"), ("_content", "fever")])
    assert query.conditions == ()
    assert all("not supported" in issue.diagnostics for issue in query.issues)


def test_unknown_resource_type_is_not_found() -> None:
    with pytest.raises(NotFound):
        parse_search("Spaceship", [])


def test_modifier_the_type_lacks_is_always_refused() -> None:
    with pytest.raises(InvalidRequest, match=":exact"):
        parse_search("Observation", [("code:exact", "777-3")])
    with pytest.raises(InvalidRequest, match=":below"):
        parse_search("Observation", [("code:below", "777-3")])
    with pytest.raises(InvalidRequest, match="missing"):
        parse_search("Observation", [("code:missing", "maybe")])


def test_malformed_values_are_refused() -> None:
    for name, value in [("date", "2016-13"), ("date", "yesterday"), ("value-quantity", "x"),
                        ("value-quantity", "5|http://unitsofmeasure.org"), ("code", "|"),
                        ("subject", "Patient/1/extra/bits"), ("_count", "-1"),
                        ("_summary", "maybe"), ("_total", "all"), ("_include", "nonsense")]:
        with pytest.raises(InvalidRequest):
            parse_search("Observation", [(name, value)])


def test_empty_values_are_ignored() -> None:
    assert parse_search("Observation", [("code", "")]).conditions == ()


def test_token_forms() -> None:
    assert only([("code", "http://loinc.org|777-3")]).values == (
        TokenValue("http://loinc.org", "777-3"),)
    assert only([("code", "|777-3")]).values == (TokenValue("", "777-3"),)
    assert only([("code", "http://loinc.org|")]).values == (TokenValue("http://loinc.org", None),)
    assert only([("code", "a,b")]).values == (TokenValue(None, "a"), TokenValue(None, "b"))


def test_escaped_separators_stay_in_the_value() -> None:
    assert only([("code", r"a\,b")]).values == (TokenValue(None, "a,b"),)
    assert only([("code", r"sys\|tem|c")]).values == (TokenValue("sys|tem", "c"),)
    assert split_escaped(r"a\\|b", "|") == ["a\\", "b"]
    assert split_keeping_escapes(r"x\$y$z", "$") == [r"x\$y", "z"]


def test_date_prefix_and_partial_precision() -> None:
    (value,) = only([("date", "ge2016-11")]).values
    assert value == DateValue(Prefix.GE, *date_range("2016-11"))
    low, high = date_range("2016-11")
    assert high - low + 1 == 30 * 86_400 * 10**6


def test_date_range_of_each_precision() -> None:
    assert date_range("2016")[1] - date_range("2016")[0] + 1 == 366 * 86_400 * 10**6
    assert date_range("2016-11-05T10:00")[1] - date_range("2016-11-05T10:00")[0] == 60 * 10**6 - 1
    low, high = date_range("2016-11-05T10:00:00.123+02:00")
    assert high - low == 999 and low == date_range("2016-11-05T08:00:00.123Z")[0]


def test_quantity_forms() -> None:
    (value,) = only([("value-quantity", "le5.40|http://unitsofmeasure.org|mg")]).values
    assert value == QuantityValue(Prefix.LE, Decimal("5.40"), "http://unitsofmeasure.org", "mg")
    (bare,) = only([("value-quantity", "5.4")]).values
    assert bare == QuantityValue(Prefix.EQ, Decimal("5.4"), None, None)


def test_reference_forms() -> None:
    assert only([("subject", "Patient/7")]).values == (ReferenceValue("Patient", "7"),)
    assert only([("subject", "7")]).values == (ReferenceValue(None, "7"),)
    assert only([("subject:Patient", "7")]).values == (ReferenceValue("Patient", "7"),)
    assert only([("subject", "http://x.org/fhir/Patient/7")]).values == (
        ReferenceValue(None, None, "http://x.org/fhir/Patient/7"),)
    with pytest.raises(InvalidRequest):
        parse_search("Observation", [("subject:Patient", "Group/7")])
    with pytest.raises(InvalidRequest):
        parse_search("Observation", [("subject:Medication", "7")])


def test_identifier_and_text_modifiers_parse_as_token_and_string() -> None:
    assert only([("subject:identifier", "urn:x|1")]).values == (TokenValue("urn:x", "1"),)
    assert only([("code:text", "platelet")]).values == (StringValue("platelet"),)


def test_composite_parts_are_typed_by_component() -> None:
    (value,) = only([("code-value-quantity", "http://loinc.org|777-3$gt100")]).values
    assert value == CompositeValue((TokenValue("http://loinc.org", "777-3"),
                                    QuantityValue(Prefix.GT, Decimal(100), None, None)))


def test_chain_resolves_the_parameter_on_each_target_type() -> None:
    condition = only([("subject.name", "peter")])
    assert [t for t, _ in condition.chain] == ["Patient"]
    with pytest.raises(InvalidRequest, match="cannot be chained"):
        parse_search("Observation", [("code.name", "x")])
    unknown = parse_search("Observation", [("subject.colour", "red")])
    assert unknown.conditions == () and "colour" in unknown.issues[0].diagnostics


def test_has_parses_nested_reverse_chains() -> None:
    (condition,) = parse_search("Patient", [
        ("_has:Condition:patient:_has:Provenance:target:agent", "Practitioner/1")]).conditions
    assert isinstance(condition, ReverseChain) and condition.source_type == "Condition"
    assert isinstance(condition.criterion, ReverseChain)
    with pytest.raises(InvalidRequest):
        parse_search("Patient", [("_has:Observation:code:status", "final")])
    with pytest.raises(InvalidRequest):
        parse_search("Patient", [("_has:Observation", "x")])


def test_result_parameters() -> None:
    query = parse_search("Observation", [
        ("_count", "5"), ("_sort", "-date,code"), ("_total", "accurate"), ("_summary", "data"),
        ("_elements", "code, subject"), ("_include:iterate", "Observation:subject"),
        ("_revinclude", "Provenance:target"), ("_format", "json")])
    assert query.count == 5 and query.total == "accurate" and query.summary == "data"
    assert [(k.param.code, k.descending) for k in query.sort] == [("date", True), ("code", False)]
    assert query.elements == ("code", "subject")
    assert [(i.source_type, i.iterate, i.reverse) for i in query.includes] == [
        ("Observation", True, False), ("Provenance", False, True)]
    assert query.conditions == () and query.issues == ()


def test_count_above_the_maximum_is_lowered_with_a_note() -> None:
    query = parse_search("Observation", [("_count", "5000")], max_count=100)
    assert query.count == 100 and "lowered" in query.issues[0].diagnostics


def test_page_params_replace_the_cursor_and_keep_everything_else() -> None:
    query = parse_search("Observation", [("code", "1"), ("_cursor", "old"), ("_format", "xml")])
    assert query.cursor == "old"
    assert query.page_params("new") == [("code", "1"), ("_format", "xml"), ("_cursor", "new")]
    assert query.page_params() == [("code", "1"), ("_format", "xml")]


def test_sorting_by_unknown_parameter_is_reported() -> None:
    query = parse_search("Observation", [("_sort", "colour")])
    assert query.sort == () and "colour" in query.issues[0].diagnostics
    with pytest.raises(InvalidRequest):
        parse_search("Observation", [("_sort", "colour")], strict=True)


def test_one_minus_makes_a_sort_key_descending_and_two_make_it_unknown() -> None:
    """``-date`` sorts by date descending; ``--date`` names no parameter (both dashes
    were stripped, so it sorted by date descending without a word)."""
    assert [(k.param.code, k.descending) for k in
            parse_search("Observation", [("_sort", "-date")]).sort] == [("date", True)]
    doubled = parse_search("Observation", [("_sort", "--date")])
    assert doubled.sort == () and "-date" in doubled.issues[0].diagnostics


def test_resource_columns_take_only_their_own_modifiers() -> None:
    assert only([("_id:not", "a")]).modifier == "not"
    for name in ("_id:missing", "_lastUpdated:missing", "_id:text"):
        with pytest.raises(InvalidRequest):
            parse_search("Observation", [(name, "true")])


def test_a_repeated_search_parses_to_the_same_conditions_and_errors_each_time() -> None:
    pairs = [("code", "http://loinc.org|777-3"), ("patient", "Patient/p1")]
    first, again = (parse_search("Observation", pairs) for _ in range(2))
    assert first.conditions == again.conditions
    assert parse_search("Observation", [("patient", "Patient/p2")]).conditions != \
        parse_search("Observation", [("patient", "Patient/p1")]).conditions
    for _ in range(2):
        with pytest.raises(InvalidRequest):
            parse_search("Observation", [("date", "not-a-date")])
        assert parse_search("Observation", [("nonsense", "1")]).issues
