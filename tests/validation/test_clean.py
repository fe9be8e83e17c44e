"""The compiled yes/no structure check never passes what the structure walk reports.

``check_structure`` answers from :class:`~fhirsvc.validation.clean.CleanCheck` when it
says yes and from the walk otherwise, so the check may be stricter than the walk but
never more lenient: every broken file, every valid example and every single-defect
mutation of a real Bundle is held to that.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fhirsvc.validation import Validator
from fhirsvc.validation.primitives import compile_primitives

from .conftest import BROKEN, load, valid_examples

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
DOCUMENTS = sorted(BROKEN.glob("*.json")) + valid_examples() + sorted(GOLDEN.glob("*.json"))

Mutation = Callable[[Any, Any], Any]  # (container, key) -> new value at that place


def _agrees(validator: Validator, document: Any) -> None:
    issues = validator.structure.walk(document).issues
    if validator.clean(document):
        assert issues == [], f"the check passed what the walk reports: {issues}"
    assert validator.check_structure(document) == issues


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_check_structure_reports_what_the_walk_reports(validator: Validator, path: Path) -> None:
    _agrees(validator, load(path))


@pytest.mark.parametrize("path", valid_examples() + sorted(GOLDEN.glob("*.json")),
                         ids=lambda p: p.name)
def test_a_structurally_valid_document_passes_the_compiled_check(validator: Validator,
                                                                 path: Path) -> None:
    document = load(path)
    assert validator.structure.walk(document).issues == []
    assert validator.clean(document)


MUTATIONS: dict[str, Mutation] = {
    "null": lambda _c, _k: None,
    "empty object": lambda _c, _k: {},
    "empty array": lambda _c, _k: [],
    "wrapped in an array": lambda c, k: [c[k]],
    "unwrapped from its array": lambda c, k: c[k][0] if isinstance(c[k], list) and c[k] else c[k],
    "a number": lambda _c, _k: 12.5,
    "a boolean": lambda _c, _k: True,
    "a blank string": lambda _c, _k: " ",
    "a string with an inner space": lambda _c, _k: "a b",
    "only an id": lambda _c, _k: {"id": "x"},
    "an unknown element added": lambda c, k: {**c[k], "unknownElement": 1}
    if isinstance(c[k], dict) else c[k],
    "a second choice type added": lambda c, k: {**c[k], "valueString": "x", "valueBoolean": True}
    if isinstance(c[k], dict) else c[k],
    "a companion element added": lambda c, k: {**c[k], "_status": {"id": "a"}}
    if isinstance(c[k], dict) else c[k],
    "an impossible date": lambda _c, _k: "2023-02-30",
}


def _places(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path without indices, container, key) of every value, each path once."""
    seen: set[str] = set()

    def visit(value: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
        items = value.items() if isinstance(value, dict) else enumerate(value) \
            if isinstance(value, list) else ()
        for key, child in items:
            child_path = f"{where}.{key}" if isinstance(key, str) else where
            if child_path not in seen:
                seen.add(child_path)
                yield child_path, value, key
            yield from visit(child, child_path)

    yield from visit(node, path)


def _removals(document: Any) -> Iterator[Any]:
    """The document without each required-looking member, one at a time."""
    for where, container, key in _places(document):
        if isinstance(container, dict) and where.count(".") > 1:
            mutated = copy.deepcopy(document)
            target = _follow(mutated, document, container)
            del target[key]
            yield mutated


def _follow(mutated: Any, original: Any, container: Any) -> Any:
    """The copy of ``container`` (a node of ``original``) inside ``mutated``."""
    if original is container:
        return mutated
    items = original.items() if isinstance(original, dict) else enumerate(original) \
        if isinstance(original, list) else ()
    for key, child in items:
        found = _follow(mutated[key], child, container)
        if found is not None:
            return found
    return None


def _mutants(document: Any) -> Iterator[Any]:
    for _where, container, key in _places(document):
        for mutation in MUTATIONS.values():
            mutated = copy.deepcopy(document)
            target = _follow(mutated, document, container)
            target[key] = mutation(container, key)
            yield mutated
    yield from _removals(document)


def test_no_single_defect_of_a_converted_bundle_passes_the_check(validator: Validator) -> None:
    document = load(GOLDEN / "000_0f4ea34434777b61.json")
    document["entry"] = document["entry"][:8] + document["entry"][-3:]  # every resource type
    caught = 0
    for mutant in _mutants(document):
        _agrees(validator, mutant)
        caught += bool(validator.structure.walk(mutant).issues)
    assert caught > 100


@pytest.mark.parametrize("companion", [
    [{"id": "a"}],  # as long as the array, with an object: valid, and left to the walk
    [None, {"id": "a"}],  # longer than the array
    ["a"],  # not an object
    {"id": "a"},  # not an array
])
def test_a_companion_array_is_left_to_the_walk(validator: Validator, companion: Any) -> None:
    provenance = load(GOLDEN / "000_0f4ea34434777b61.json")["entry"][-1]["resource"]
    assert provenance["resourceType"] == "Provenance" and len(provenance["policy"]) == 1
    provenance["_policy"] = companion
    assert not validator.clean(provenance)
    _agrees(validator, provenance)


def _coded_condition(code: Any, display: Any) -> dict[str, Any]:
    return {"resourceType": "Condition", "subject": {"reference": "Patient/p"},
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": code,
                                 "display": display}]}}


def test_a_remembered_answer_is_given_again_for_the_same_value(validator: Validator) -> None:
    for _ in range(3):  # the first check works the answers out, the later ones look them up
        assert validator.clean(_coded_condition("386661006", "Fever"))
        assert not validator.clean(_coded_condition("386661006 ", "Fever"))  # trailing space
        _agrees(validator, _coded_condition("386661006 ", "Fever"))


@pytest.mark.parametrize("value", [True, 1, 1.0, None, ["Fever"], {"text": "Fever"}])
def test_a_value_that_is_not_a_string_fails_where_a_string_passed_before(
        validator: Validator, value: Any) -> None:
    assert validator.clean(_coded_condition("1", "Fever"))
    assert not validator.clean(_coded_condition(value, "Fever"))
    assert not validator.clean(_coded_condition("1", value))
    _agrees(validator, _coded_condition(value, value))


def test_a_known_set_of_keys_in_another_order_or_with_one_more_is_checked_anew(
        validator: Validator) -> None:
    condition = _coded_condition("386661006", "Fever")
    assert validator.clean(condition)
    reordered = {key: condition[key] for key in reversed(condition)}
    assert validator.clean(reordered)
    assert not validator.clean({**condition, "onsetAge": {"value": 3}, "onsetString": "3"})
    assert not validator.clean({key: value for key, value in condition.items()
                                if key != "subject"})


_WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace()]


@pytest.mark.parametrize("name", ["string", "markdown", "uri", "url", "canonical", "code", "id"])
def test_a_primitive_test_answers_as_its_types_pattern_whatever_the_whitespace(
        validator: Validator, name: str) -> None:
    pattern = re.compile(validator.structure.model[name].regex or "")
    test = compile_primitives(validator.structure.model)[name].test
    values = ["", "a", "a b", "Ärztin\u2019s 7.5 mg/dL", "x\u00e9\u4e2d", " ", "a\x00b", "a\u200bb",
              *(f"a{w}b" for w in _WHITESPACE), *_WHITESPACE]
    assert [bool(test(v)) for v in values] == [bool(pattern.fullmatch(v)) for v in values]
