"""An index of character ranges, for "does this overlap anything taken?" in O(log n).

Extraction claims text ranges pass after pass (lexicon hits, procedures by word form,
measured tests, drug stems, ConText triggers, dates), and each pass must skip ranges an
earlier one took. Scanning every taken range for every candidate is quadratic in the
length of the report; this index keeps the ranges sorted by start and, because it knows
the longest range it holds, looks only at the few that can reach a query.

A finder that claims ranges of its own while it reads one line of a report needs the
ranges taken so far plus its own: :meth:`SpanIndex.over` gives it a layer over the
index of the whole report instead of a copy of it (copying it for each line, or inserting
into the middle of one long list, made extraction quadratic in the length of the report).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Iterator
from operator import attrgetter, sub
from typing import Generic, Protocol, TypeVar


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=_Ranged)


_start = attrgetter("start")
_end = attrgetter("end")


class SpanIndex(Generic[T]):
    """Items with ``start``/``end`` (half-open), queried by overlap or by nearness.

    Every query gives items in start order, items of equal start in the order they came
    (a layer's own items after those of the index beneath it, which came first).
    """

    def __init__(self, items: Iterable[T] = ()) -> None:
        """An index of ``items`` (of another index: a copy, which ``add`` leaves apart)."""
        # a stable sort keeps items with equal starts in the order given, as ``add`` does
        self._items: list[T] = sorted(items, key=_start)
        self._starts: list[int] = list(map(_start, self._items)) if self._items else []
        self._longest: int = max(map(sub, map(_end, self._items), self._starts)) \
            if self._items else 0  # most indexes are layers, made empty
        #: The index this one is a layer over (:meth:`over`), and its changes when layered.
        self._below: SpanIndex[T] | None = None
        self._below_changes = 0
        #: How many items ``add`` has put here: a layer above checks it has not moved.
        self._changes = 0

    @classmethod
    def over(cls, below: Iterable[T]) -> SpanIndex[T]:
        """An index of ``below`` and of what is added to it later, without copying ``below``
        when it is an index: a layer, whose additions stay its own, valid while ``below``
        does not change (querying the layer after ``below`` changed raises RuntimeError)."""
        if not isinstance(below, SpanIndex):
            return cls(below)
        layer: SpanIndex[T] = cls()
        layer._below, layer._below_changes = below, below._changes
        return layer

    def _beneath(self) -> SpanIndex[T] | None:
        below = self._below
        if below is not None and below._changes != self._below_changes:
            raise RuntimeError("the index beneath this layer changed after the layer was made")
        return below

    def __iter__(self) -> Iterator[T]:
        """The items in start order (equal starts: in the order they came)."""
        below = self._beneath()
        if below is None:
            return iter(self._items)
        return heapq.merge(below, self._items, key=_start)

    def add(self, item: T) -> None:
        at = bisect.bisect_right(self._starts, item.start)
        self._starts.insert(at, item.start)
        self._items.insert(at, item)
        self._longest = max(self._longest, item.end - item.start)
        self._changes += 1

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.add(item)

    def _own_starting_in(self, lo: int, hi: int) -> list[T]:
        starts = self._starts
        return self._items[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    @staticmethod
    def _merged(below: Iterator[T], own: list[T]) -> Iterator[T]:
        """Items of the index beneath, then of the layer, by start (ties: beneath first)."""
        return heapq.merge(below, own, key=_start) if own else below

    def starting_in(self, lo: int, hi: int) -> Iterator[T]:
        """Items whose start lies in ``[lo, hi)``, in start order."""
        own = self._own_starting_in(lo, hi)
        below = self._beneath()
        return iter(own) if below is None else self._merged(below.starting_in(lo, hi), own)

    def overlapping(self, start: int, end: int) -> Iterator[T]:
        """Items that share at least one character with ``[start, end)``."""
        own = [item for item in self._own_starting_in(start - self._longest, end)
               if item.end > start]
        below = self._beneath()
        return iter(own) if below is None else self._merged(below.overlapping(start, end), own)

    def overlaps(self, start: int, end: int) -> bool:
        """Asked most of all (by every finder for every candidate): one loop down the
        layers, and no search in a layer that holds nothing."""
        index: SpanIndex[T] | None = self
        while index is not None:
            below = index._beneath()
            if index._items:
                for item in index._own_starting_in(start - index._longest, end):
                    if item.end > start:
                        return True
            index = below
        return False

    def ending_in(self, lo: int, hi: int) -> Iterator[T]:
        """Items whose end lies in ``[lo, hi]``."""
        own = [item for item in self._own_starting_in(lo - self._longest, hi + 1)
               if lo <= item.end <= hi]
        below = self._beneath()
        return iter(own) if below is None else self._merged(below.ending_in(lo, hi), own)
