"""The number finder of measured tests finds exactly what its plain form finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.extract.measured import _NUMBER_START

#: The plain form: a look-behind first, which makes the engine try every position.
PLAIN = re.compile(r"(?<![\w.,/])(?:[<>≤≥]\s*|(?<!\d\s)[-−–](?=\d))?\d")


@given(text=st.text(alphabet=st.sampled_from(list("ab1 9.,/<>≤≥_\n-−–"))),
       start=st.integers(0, 5))
def test_the_fast_form_finds_the_plain_forms_numbers(text: str, start: int) -> None:
    fast = [m.span() for m in _NUMBER_START.finditer(text, start)]
    assert fast == [m.span() for m in PLAIN.finditer(text, start)]


def test_a_number_inside_a_word_or_a_decimal_is_not_a_number_start() -> None:
    text = "Hb 12.5 g/dL, CD34 < 5, x/3"
    assert [m.group() for m in _NUMBER_START.finditer(text)] == ["1", "< 5"]


def test_a_minus_sign_before_a_number_starts_it_a_hyphen_in_a_word_does_not() -> None:
    text = "T-score: −3.4, z-score -1.2, 10-20"
    assert [m.group() for m in _NUMBER_START.finditer(text)] == ["−3", "-1", "1", "2"]


def test_a_dash_after_a_number_and_a_space_is_a_range_not_a_minus_sign() -> None:
    text = "range 150 -400, limits 13 –17"
    assert [m.group() for m in _NUMBER_START.finditer(text)] == ["1", "4", "1", "1"]
