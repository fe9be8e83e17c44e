"""Reading a report file: what is refused as not text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.inputs import InputError, decode

#: Text mixing letters, the whitespace controls reports hold, and other control characters.
MIXED = st.text(alphabet=st.sampled_from("ab \t\r\n\f\x01\x07\x1b\x1f"), min_size=1,
                max_size=300)


@given(text=MIXED)
def test_a_text_is_refused_when_over_one_in_a_hundred_characters_are_other_controls(
        text: str) -> None:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
    if not text.encode("utf-8").strip():
        return  # said to be empty or only whitespace, not counted
    if controls > 0.01 * len(text):
        with pytest.raises(InputError, match=f"not text \\({controls} control characters\\)"):
            decode(text.encode("utf-8"))
    else:
        assert decode(text.encode("utf-8")) == text
