"""SpanIndex answers overlap and nearness queries exactly as a scan of every range would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import Span

spans = st.builds(lambda s, n: Span(s, s + n), st.integers(0, 300), st.integers(1, 40))


@given(items=st.lists(spans, max_size=40), query=spans)
def test_overlapping_finds_exactly_the_ranges_that_share_a_character(items, query) -> None:
    index = SpanIndex(items)
    expected = sorted((s.start, s.end) for s in items if s.overlaps(query))
    assert sorted((s.start, s.end) for s in index.overlapping(query.start, query.end)) == expected
    assert index.overlaps(query.start, query.end) == bool(expected)


@given(items=st.lists(spans, max_size=40), lo=st.integers(0, 350), width=st.integers(0, 120))
def test_ending_in_finds_exactly_the_ranges_that_end_in_the_window(items, lo, width) -> None:
    index = SpanIndex(items)
    expected = sorted((s.start, s.end) for s in items if lo <= s.end <= lo + width)
    assert sorted((s.start, s.end) for s in index.ending_in(lo, lo + width)) == expected


def test_an_empty_index_overlaps_nothing() -> None:
    assert not SpanIndex().overlaps(0, 10)


@given(items=st.lists(spans, max_size=20), to_copy=st.lists(spans, max_size=5),
       to_original=st.lists(spans, max_size=5))
def test_a_copy_and_its_original_keep_apart_what_each_adds_later(
    items, to_copy, to_original
) -> None:
    original = SpanIndex(items)
    copy = SpanIndex(original)
    second = SpanIndex(copy)
    copy.extend(to_copy)
    original.extend(to_original)
    assert sorted(original) == sorted(items + to_original)
    assert sorted(copy) == sorted(items + to_copy)
    assert sorted(second) == sorted(items)
    assert copy.overlaps(0, 400) == bool(items or to_copy)
