"""The compiled FHIRPath engine answers exactly as fhirpathpy, the reference engine.

Every invariant that applies to a node (R4's, and fhirsvc's profiles on each
resource and extension) is evaluated both ways on every node of every valid example,
broken-corpus file and seed golden Bundle, on the node itself and on the empty node
the checker caches.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhirsvc.validation import Validator
from fhirsvc.validation.fhirpath import CompiledExpression, Unsupported, compile_expression
from fhirsvc.validation.model import Constraint
from fhirsvc.validation.structure import Node, Walk

from .conftest import BROKEN, Icd10cmLookup, load, valid_examples

GOLDEN = BROKEN.parents[1] / "golden"  # the converter's Bundles for the seeds
FILES = valid_examples() + sorted(BROKEN.glob("*.json")) + sorted(GOLDEN.glob("*.json"))


@pytest.fixture(scope="module")
def reference_validator(spec: Any) -> Validator:
    validator = Validator(spec, codes=Icd10cmLookup())
    validator.invariants.use_reference_engine()
    return validator


def applicable(validator: Validator, node: Node) -> Iterator[Constraint]:
    yield from node.constraints
    for profile in validator.profiles.profiles.values():
        if (node.element is None and profile.type == node.type) or \
                (node.type == "Extension" == profile.type):
            yield from profile.constraints


def outcome(run: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "value", run(*args)
    except Unsupported:
        return "unsupported", None
    except Exception as exc:
        return "error", type(exc).__name__


def compare(validator: Validator, walk: Walk, tally: Counter[str], where: str) -> list[str]:
    checker = validator.invariants
    mismatches = []
    for node in walk.constrained:
        variables = checker.variables(node, walk)
        type_path = checker.type_path(node)
        empty = {"resourceType": node.type} if node.element is None else {}
        for constraint in applicable(validator, node):
            compiled = checker.compile(constraint)
            for value in (node.value, empty):
                expected = outcome(compiled.reference, value, type_path, variables)
                fast = outcome(compiled.evaluate_fast, value, type_path, variables)
                tally[fast[0]] += 1
                if fast[0] != "value":
                    continue  # the reference engine answers these calls
                if expected[0] == "error":
                    tally["beyond reference"] += 1
                    continue  # fhirpathpy fails here (ordering Quantities): nothing to compare
                if fast != expected:
                    mismatches.append(f"{where} {node.expression} {constraint.key}: "
                                      f"compiled {fast}, fhirpathpy {expected}")
    return mismatches


@pytest.mark.slow
def test_compiled_invariants_equal_fhirpathpy_on_every_node_of_examples_and_corpus(
        validator: Validator) -> None:
    tally: Counter[str] = Counter()
    mismatches = []
    for path in FILES:
        walk = validator.structure.walk(load(path))
        mismatches += compare(validator, walk, tally, path.name)
    assert not mismatches, "\n".join(mismatches)
    assert tally["error"] == 0, tally  # on real resources the closures never fail unforeseen
    # the fast path must be what answers, or this test compares nothing
    assert tally["value"] >= 0.9 * sum(tally.values()), tally


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_validator_reports_the_same_issues_with_compiled_and_reference_engines(
        validator: Validator, reference_validator: Validator, path: Path) -> None:
    resource = load(path)
    for own in (False, True):
        expected = reference_validator.validate(resource, fhirsvc_profiles=own)
        failed = {issue.expression for issue in expected if issue.code == "exception"}
        assert [issue for issue in validator.validate(resource, fhirsvc_profiles=own)
                if issue.expression not in failed] == \
            [issue for issue in expected if issue.expression not in failed]


def test_ranges_low_and_high_are_ordered_where_fhirpathpy_fails() -> None:
    compiled = compile_expression("low.empty() or high.empty() or (low <= high)")
    variables = {"resource": {}, "rootResource": {}, "ucum": "http://unitsofmeasure.org"}

    def days(value: int, code: str = "d") -> dict[str, Any]:
        return {"value": value, "unit": code, "system": "http://unitsofmeasure.org", "code": code}

    def ordered(low: dict[str, Any], high: dict[str, Any]) -> list[Any]:
        return compiled.evaluate_fast({"low": low, "high": high}, "Range", variables)

    assert ordered(days(0), days(27)) == [True]
    assert ordered(days(30), days(27)) == [False]
    assert ordered(days(3, "wk"), days(2)) == []
    assert outcome(compiled.reference, {"low": days(0), "high": days(27)}, "Range",
                   variables) == ("error", "TypeError")


@pytest.mark.parametrize(("expression", "resource", "expected"), [
    ("value.exists() or dataAbsentReason.exists()", {"resourceType": "Observation",
                                                     "valueString": "x"}, [True]),
    ("dataAbsentReason.empty() or value.empty()", {"resourceType": "Observation",
                                                   "valueBoolean": False,
                                                   "dataAbsentReason": {"text": "x"}}, [False]),
    ("status = 'final' implies issued.exists()", {"resourceType": "Observation",
                                                  "status": "final"}, [False]),
    ("code.coding.where(system = 'a' or code = 'b').count() = 2",
     {"resourceType": "Observation", "code": {"coding": [{"system": "a"}, {"code": "b"},
                                                         {"code": "c"}]}}, [True]),
    ("identifier.value.select($this & '-').isDistinct()",
     {"resourceType": "Patient", "identifier": [{"value": "1"}, {"value": "1"}]}, [False]),
    ("birthDate.hasValue()", {"resourceType": "Patient", "birthDate": "2000",
                              "_birthDate": {"extension": [{"url": "u", "valueCode": "c"}]}},
     [False]),  # fhirpathpy sees the value and its _birthDate as two items
    ("name.given.first().startsWith('Jo') and name.given.count() > 1",
     {"resourceType": "Patient", "name": [{"given": ["John", "Paul"]}]}, [True]),
    ("(1 + 2) = 3 and ('a' + 'b') = 'ab' and {} .empty()", {"resourceType": "Patient"}, [True]),
])
def test_compiled_expression_gives_the_reference_result(
        expression: str, resource: dict[str, Any], expected: list[Any]) -> None:
    compiled = compile_expression(expression)
    variables = {"resource": resource, "rootResource": resource, "ucum": "http://unitsofmeasure.org"}
    assert compiled.fast is not None
    assert compiled.evaluate_fast(resource, "", variables) == expected
    assert compiled.reference(resource, "", variables) == expected


def test_expression_outside_the_subset_is_answered_by_fhirpathpy() -> None:
    compiled = CompiledExpression("name.given.descendants().count() = 0")
    resource = {"resourceType": "Patient", "name": [{"given": ["A"]}]}
    variables = {"resource": resource, "rootResource": resource, "ucum": ""}
    with pytest.raises(Unsupported):
        compiled.evaluate_fast(resource, "", variables)
    assert compiled(resource, "", variables) == [True]


def test_every_invariant_of_the_type_model_and_the_profiles_parses_and_compiles(
        validator: Validator) -> None:
    expressions = {c.expression for typedef in validator.model.types.values()
                   for c in (*typedef.constraints,
                             *(c for e in typedef.elements.values() for c in e.constraints))}
    expressions |= {c.expression for p in validator.profiles.profiles.values()
                    for c in p.constraints}
    assert len(expressions) > 100
    assert all(CompiledExpression(e).fast is not None for e in expressions)


# ---------------------------------------------------------------- mutated resources

_VALUES = [None, True, False, 0, 1, -1, 2.5, "", "x", "#", "#p1", "2020-01-01", "final",
           "http://unitsofmeasure.org", [], [{}], {}, {"text": "t"},
           {"extension": [{"url": "u", "valueString": "v"}]}]
_EXAMPLES = valid_examples()


def _positions(value: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) in a JSON document."""
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, inner in items:
        found.append((value, key))
        _positions(inner, found)
    return found


def _mutate(document: Any, where: int, how: int, replacement: Any) -> None:
    positions = _positions(document, [])
    container, key = positions[where % len(positions)]
    kind = how % 4
    if kind == 0 and isinstance(container, dict):
        del container[key]
    elif kind == 1 and isinstance(container, dict) and isinstance(key, str):
        container["_" + key.lstrip("_")] = {"extension": [{"url": "u", "valueCode": "c"}]}
    elif kind == 2:
        container[key] = [container[key], container[key]]
    else:
        container[key] = replacement


@pytest.mark.slow
@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(_EXAMPLES),
       st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3), st.sampled_from(_VALUES)),
                min_size=1, max_size=4))
def test_compiled_invariants_equal_fhirpathpy_on_mutated_resources(
        validator: Validator, path: Path, mutations: list[tuple[int, int, Any]]) -> None:
    """Examples with keys deleted, values replaced by other JSON values, primitives given
    a ``_name`` companion, values doubled into lists: whatever the closures answer is
    what fhirpathpy answers (where they stop, fhirpathpy answers anyway)."""
    document = load(path)
    for where, how, replacement in mutations:
        _mutate(document, where, how, copy.deepcopy(replacement))
    tally: Counter[str] = Counter()
    assert not compare(validator, validator.structure.walk(document), tally, path.name)
