"""Remembering results keyed by text a client sends (search values, codes).

An ``lru_cache`` holds its keys: a thousand entries keyed by request bodies of megabytes
would hold gigabytes. :func:`remember_short` remembers only for short texts, and computes
a longer one each time it comes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import TypeVar

Result = TypeVar("Result")
Key = TypeVar("Key", bound=Hashable)

_ABSENT = object()

#: The longest text (of any one string argument) whose result is remembered.
MAX_CHARS = 512


def remember_short(maxsize: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """``functools.lru_cache(maxsize)`` for calls whose string arguments are each short."""
    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        remembered = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(*args: object) -> Result:
            for arg in args:
                if type(arg) is str and len(arg) > MAX_CHARS:
                    return function(*args)
            return remembered(*args)
        return call
    return decorate


def remembered(memo: dict[Key, Result], key: Key, compute: Callable[[Key], Result],
               limit: int) -> Result:
    """``memo[key]``, computed and kept when absent; the memo is emptied past ``limit``
    entries (a long-running server sees ever new words). One ``get``, not a test then a read,
    so a thread emptying the memo between the two cannot raise KeyError in another."""
    found = memo.get(key, _ABSENT)
    if found is not _ABSENT:
        return found  # type: ignore[return-value]
    if len(memo) > limit:
        memo.clear()
    value = memo[key] = compute(key)
    return value
