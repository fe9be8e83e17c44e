"""A trigger's reach counts the words between it and a mention only as far as its scope."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.extract.context import _more_words


@given(text=st.text(alphabet="ab1 _,.-é\n", max_size=40), start=st.integers(0, 40),
       end=st.integers(0, 40), limit=st.integers(0, 6))
def test_more_words_answers_as_a_count_of_every_word_in_the_gap(text, start, end, limit) -> None:
    words = len(re.findall(r"[^\W_]+", text[start:end])) if end > start else 0
    assert _more_words(text, start, end, limit) == (words > limit)
