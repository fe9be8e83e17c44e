"""SpanIndex answers overlap and nearness queries exactly as a scan of every range would."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
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


@dataclass(frozen=True)
class _Item:
    """A range with a name, so that items of equal range can be told apart by their order."""

    start: int
    end: int
    name: str


items = st.builds(lambda s, n, name: _Item(s, s + n, name), st.integers(0, 300),
                  st.integers(0, 40), st.sampled_from("abc"))


@given(below=st.lists(items, max_size=30), middle=st.lists(items, max_size=8),
       top=st.lists(items, max_size=8), query=spans, lo=st.integers(0, 350),
       width=st.integers(0, 120))
def test_a_layer_answers_as_one_index_of_every_item_in_the_order_they_came(
    below, middle, top, query, lo, width
) -> None:
    flat = SpanIndex(below)
    flat.extend(middle + top)
    layered = SpanIndex.over(SpanIndex(below))
    layered.extend(middle)
    upper = SpanIndex.over(layered)
    upper.extend(top)
    assert list(upper) == list(flat)
    assert list(upper.overlapping(query.start, query.end)) == \
        list(flat.overlapping(query.start, query.end))
    assert upper.overlaps(query.start, query.end) == flat.overlaps(query.start, query.end)
    assert list(upper.ending_in(lo, lo + width)) == list(flat.ending_in(lo, lo + width))
    assert list(upper.starting_in(lo, lo + width)) == list(flat.starting_in(lo, lo + width))
    assert list(layered) == list(SpanIndex(below + middle))  # the layer above added nothing here


def test_a_layer_over_a_list_is_an_index_of_its_own() -> None:
    ranges = [Span(0, 5)]
    layer = SpanIndex.over(ranges)
    layer.add(Span(10, 12))
    assert ranges == [Span(0, 5)] and list(layer) == [Span(0, 5), Span(10, 12)]


def test_a_layer_refuses_to_answer_once_the_index_beneath_it_changed() -> None:
    below = SpanIndex([Span(0, 5)])
    layer = SpanIndex.over(below)
    assert layer.overlaps(4, 6)
    below.add(Span(20, 30))
    with pytest.raises(RuntimeError):
        layer.overlaps(25, 26)
    with pytest.raises(RuntimeError):
        list(layer)
