"""fhirsvc's JSON writer gives the bytes of ``json.dumps(value, indent=2, ensure_ascii=False)``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.jsontext import dumps

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def standard(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@given(JSON_VALUES)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert dumps(value) == standard(value)


class Word(str):
    pass


@pytest.mark.parametrize("value", [
    {"tuple": (1, [2, {}])},
    {1: "a non-string key", None: True},
    {"subclass": Word("word")},
    [float("nan"), float("inf"), -float("inf"), -0.0, 1e-05, 2**80],
    {"text": "é\u2028\x00\"\\\n"},
])
def test_unusual_values_read_as_the_standard_library_writes_them(value: Any) -> None:
    assert dumps(value) == standard(value)


def test_a_cycle_is_refused_as_the_standard_library_refuses_it() -> None:
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(cyclic)


def test_loads_takes_an_escaped_surrogate_pair_and_refuses_a_lone_surrogate():
    from fhirsvc.jsontext import NotJson, loads

    assert loads('{"text": "\\ud83d\\ude00 \\u00e9"}') == {"text": "\U0001f600 é"}
    for text in ('{"text": "\\ud83d"}', '["\\udc00"]', '"\\ud83d\\ud83d"'):
        with pytest.raises(NotJson, match="lone surrogate"):
            loads(text)
    with pytest.raises(NotJson, match="nested too deeply"):
        loads("[" * 100_000 + "]" * 100_000)


def nested(depth: int, text: str = '"x"') -> str:
    """Arrays and objects alternating, ``depth`` of them inside each other."""
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"a": {text}}}'
    return text


@pytest.mark.parametrize("filler", ['"x"', '"[[[[{{{{"', "[]"])
def test_loads_takes_json_as_deep_as_the_limit_and_refuses_one_level_more(filler: str) -> None:
    """Brackets inside strings do not count; an empty array is a level."""
    from fhirsvc.jsontext import MAX_DEPTH, NotJson, loads

    inner = 1 if filler == "[]" else 0
    assert loads(nested(MAX_DEPTH - inner, filler)) == json.loads(nested(MAX_DEPTH - inner,
                                                                          filler))
    with pytest.raises(NotJson, match=f"nested too deeply \\(more than {MAX_DEPTH} "):
        loads(nested(MAX_DEPTH + 1 - inner, filler))


@pytest.mark.parametrize("value", [5, "text", None, [], {}, [[1, {"a": [2]}]]])
def test_check_depth_takes_shallow_values_of_every_kind(value: Any) -> None:
    from fhirsvc.jsontext import check_depth

    check_depth(value)


def test_check_depth_refuses_what_no_parser_made_without_recursing() -> None:
    """A value built in code, deeper than any walk could go, is refused level by level."""
    from fhirsvc.jsontext import NotJson, check_depth

    value: Any = []
    for _ in range(100_000):
        value = [value]
    with pytest.raises(NotJson):
        check_depth(value)
