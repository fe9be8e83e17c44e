"""The schema layer's fast gate (fastjsonschema) agrees with jsonschema on every resource."""

from __future__ import annotations

import base64
import re
import tracemalloc

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fhirsvc.validation import Validator
from fhirsvc.validation.schema_gate import SAME_LANGUAGE, chunks

from .conftest import BROKEN, load, valid_examples


def test_gate_accepts_exactly_what_jsonschema_accepts_on_examples_and_corpus(
        validator: Validator) -> None:
    gate = validator.schema.gate
    assert gate is not None
    seen = {True: 0, False: 0}
    for path in valid_examples() + sorted(BROKEN.glob("*.json")):
        for found in validator.structure.walk(load(path)).resources:
            full = validator.schema.jsonschema_validator(found.type)
            if full is None:
                continue
            expected = full.is_valid(found.value)
            assert gate.is_valid(found.type, found.value) == expected, (path.name, found.expression)
            seen[expected] += 1
    assert seen[True] > 20 and seen[False] >= 4, seen  # both answers were put to the test


def test_schema_layer_reports_the_same_issues_with_and_without_the_gate(
        validator: Validator) -> None:
    gate, checker = validator.schema.gate, validator.schema
    for path in valid_examples() + sorted(BROKEN.glob("*.json")):
        walk = validator.structure.walk(load(path))
        with_gate = checker.check(walk)
        checker.gate = None
        try:
            assert checker.check(walk) == with_gate, path.name
        finally:
            checker.gate = gate


def test_generated_code_compiled_in_pieces_defines_what_the_whole_module_defines() -> None:
    source = "import re\nPATTERN = re.compile('a')\n" + "".join(
        f"def check_{i}(data):\n    return data + {i}\n\n" for i in range(50))
    pieces = chunks(source, size=100)
    assert len(pieces) > 5 and "".join(pieces) == source
    assert all(piece.startswith("def ") for piece in pieces[1:])
    whole: dict[str, object] = {}
    exec(compile(source, "<whole>", "exec"), whole)
    pieced: dict[str, object] = {}
    for piece in pieces:
        exec(compile(piece, "<piece>", "exec"), pieced)
    assert sorted(pieced) == sorted(whole)
    assert [pieced[f"check_{i}"](1) for i in range(50)] == list(range(1, 51))  # type: ignore[operator]


@settings(max_examples=400)
@given(st.text(alphabet="Az09+/= \t\n\r-_.", max_size=24))
@example("Az09")
@example(" Az09\n+/==\t ")
@example("Az09+/=\n")
def test_each_cheaper_pattern_matches_exactly_the_strings_r4s_pattern_matches(value: str) -> None:
    for r4, cheaper in SAME_LANGUAGE.items():
        assert bool(re.search(r4, value)) == bool(re.search(cheaper, value)), (r4, value)


def test_the_gate_checks_a_long_base64_value_without_memory_in_proportion_to_it(
        validator: Validator) -> None:
    """R4's base64Binary pattern held about 190 bytes per character of the value (a
    backtracking point and two groups per quartet); the gate's own pattern holds none."""
    gate = validator.schema.gate
    assert gate is not None
    binary = {"resourceType": "Binary", "contentType": "text/plain",
              "data": base64.b64encode(b"a case report " * 40_000).decode()}  # 750 kB
    assert gate.is_valid("Binary", binary)  # compiled before measuring
    tracemalloc.start()
    try:
        assert gate.is_valid("Binary", binary)
        assert not gate.is_valid("Binary", {**binary, "data": binary["data"] + "="})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak
