"""Remembering results keyed by text a client sends (search values, codes).

An ``lru_cache`` holds its keys: a thousand entries keyed by request bodies of megabytes
would hold gigabytes. :func:`remember_short` remembers only for short texts, and computes
a longer one each time it comes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")

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
