"""An index of character ranges, for "does this overlap anything taken?" in O(log n).

Extraction claims text ranges pass after pass (lexicon hits, procedures by word form,
measured tests, drug stems, ConText triggers, dates), and each pass must skip ranges an
earlier one took. Scanning every taken range for every candidate is quadratic in the
length of the report; this index keeps the ranges sorted by start and, because it knows
the longest range it holds, looks only at the few that can reach a query.
"""

from __future__ import annotations

import bisect
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
    """Items with ``start``/``end`` (half-open), queried by overlap or by nearness."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        """An index of ``items``; of another index: a copy, which ``add`` leaves apart.

        A copy shares the other index's lists until either of them adds an item (copy on
        write): the finders copy the index of every hit so far for each part of a report,
        and most of them add nothing to their copy.
        """
        #: Whether the lists may be another index's too (copy them before changing them).
        self._shared: bool
        if isinstance(items, SpanIndex):
            self._items: list[T] = items._items
            self._starts: list[int] = items._starts
            self._longest: int = items._longest
            self._shared = items._shared = True
            return
        # a stable sort keeps items with equal starts in the order given, as ``add`` does
        self._items = sorted(items, key=_start)
        self._starts = list(map(_start, self._items))
        self._longest = max(map(sub, map(_end, self._items), self._starts), default=0)
        self._shared = False

    def __iter__(self) -> Iterator[T]:
        """The items in start order (equal starts: in the order they came)."""
        return iter(self._items)

    def add(self, item: T) -> None:
        if self._shared:
            self._items, self._starts, self._shared = self._items.copy(), self._starts.copy(), False
        at = bisect.bisect_right(self._starts, item.start)
        self._starts.insert(at, item.start)
        self._items.insert(at, item)
        self._longest = max(self._longest, item.end - item.start)

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.add(item)

    def starting_in(self, lo: int, hi: int) -> Iterator[T]:
        """Items whose start lies in ``[lo, hi)``, in start order."""
        first = bisect.bisect_left(self._starts, lo)
        last = bisect.bisect_left(self._starts, hi)
        return iter(self._items[first:last])

    def overlapping(self, start: int, end: int) -> Iterator[T]:
        """Items that share at least one character with ``[start, end)``."""
        for item in self.starting_in(start - self._longest, end):
            if item.end > start and item.start < end:
                yield item

    def overlaps(self, start: int, end: int) -> bool:
        return next(self.overlapping(start, end), None) is not None

    def ending_in(self, lo: int, hi: int) -> Iterator[T]:
        """Items whose end lies in ``[lo, hi]``."""
        for item in self.starting_in(lo - self._longest, hi + 1):
            if lo <= item.end <= hi:
                yield item
