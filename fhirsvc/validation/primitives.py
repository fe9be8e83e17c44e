"""Checks of primitive values: JSON type, the spec's regex, and ranges.

The regexes are the ones R4 publishes on each primitive type's ``value`` element
(https://hl7.org/fhir/R4/datatypes.html#primitive); R4 JSON carries booleans and
numbers as JSON booleans and numbers (https://hl7.org/fhir/R4/json.html#primitive).
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fhirsvc.validation.model import TypeModel

#: A check returns None when the value is fine, else what is wrong with it.
PrimitiveCheck = Callable[[Any], str | None]

_INT32 = (-(2**31), 2**31 - 1)
_INT_RANGES = {"integer": _INT32, "positiveInt": (1, _INT32[1]), "unsignedInt": (0, _INT32[1])}
_DATED = frozenset({"date", "dateTime", "instant"})
_BASE64_ALPHABET = string.ascii_letters + string.digits + "+/="


#: Whether a value is fine, as anything true or false; a pattern's own ``fullmatch``
#: serves, so it may raise TypeError when given anything but a string.
PrimitiveTest = Callable[[Any], object]


@dataclass(frozen=True, slots=True)
class Primitive:
    """A primitive type's two checks, built by one dispatch so that they cannot drift:
    ``check`` says what is wrong (for the walk's issues), ``test`` only whether anything
    is (for :class:`~fhirsvc.validation.clean.CleanCheck`); ``test`` is never more lenient."""

    check: PrimitiveCheck
    test: PrimitiveTest


def compile_primitives(model: TypeModel) -> Mapping[str, Primitive]:
    """The checks of each primitive type, built once."""
    return {name: _primitive(name, typedef.regex) for name, typedef in model.types.items()
            if typedef.kind == "primitive-type"}


def _primitive(name: str, regex: str | None) -> Primitive:
    if name == "boolean":
        return Primitive(_boolean, lambda value: type(value) is bool)
    if name in _INT_RANGES:
        low, high = _INT_RANGES[name]
        return Primitive(lambda value: _integer(value, name, low, high),
                         lambda value: type(value) is int and low <= value <= high)
    if name == "decimal":
        return _tested_by_check(_decimal)
    if name == "xhtml":
        return _tested_by_check(_xhtml)
    pattern = re.compile(regex or r"[\s\S]+")
    if name in _DATED:
        return _tested_by_check(
            lambda value: _string(value, name, pattern) or _calendar_date(value, name))
    if name == "base64Binary":
        return Primitive(
            lambda value: None if is_plain_base64(value) else _string(value, name, pattern),
            lambda value: is_plain_base64(value) or pattern.fullmatch(value))
    return Primitive(lambda value: _string(value, name, pattern), _pattern_test(pattern))


#: Patterns a printable string matches when it passes a simple test: R4's string and
#: markdown allow every character but whitespace other than a space, tab or line break, and
#: its uri, url and canonical every character but whitespace. Every whitespace character
#: but the space is unprintable (``str.isprintable``), so a printable value is judged
#: without the engine; the values a Bundle holds most are such strings.
_PRINTABLE_MATCHES: dict[str, Callable[[str], bool]] = {
    r"[ \r\n\t\S]+": lambda value: value != "",
    r"\S*": lambda value: " " not in value,
}


def _pattern_test(pattern: re.Pattern[str]) -> PrimitiveTest:
    """``pattern.fullmatch``, or the same answer without the engine for a printable string
    (:data:`_PRINTABLE_MATCHES`)."""
    shortcut = _PRINTABLE_MATCHES.get(pattern.pattern)
    if shortcut is None:
        return pattern.fullmatch
    fullmatch = pattern.fullmatch

    def test(value: Any) -> object:
        if type(value) is str and value.isprintable() and shortcut(value):
            return True
        return fullmatch(value)

    return test


def _tested_by_check(check: PrimitiveCheck) -> Primitive:
    """Types that need more than a pattern (numbers, xhtml, real calendar days)."""
    return Primitive(check, lambda value: value is not None and check(value) is None)


def is_plain_base64(value: Any) -> bool:
    """A string of whole quartets of the base64 alphabet, without whitespace.

    R4's base64Binary pattern, ``(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+``, is slow on a whole
    document (a DocumentReference's text); every such string matches it, so only other
    strings need the pattern."""
    return type(value) is str and bool(value) and len(value) % 4 == 0 \
        and not value.strip(_BASE64_ALPHABET)


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be a JSON boolean, not {_json_type(value)}"


def _integer(value: Any, name: str, low: int, high: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a JSON integer ({name}), not {_json_type(value)}"
    return None if low <= value <= high else f"{value} is out of range for {name}"


def _decimal(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a JSON number (decimal), not {_json_type(value)}"
    return None if math.isfinite(value) else "must be a finite number"


def _xhtml(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a JSON string (xhtml), not {_json_type(value)}"
    return None if value.lstrip().startswith("<div") else "xhtml must be a <div> element"


def _string(value: Any, name: str, pattern: re.Pattern[str]) -> str | None:
    if not isinstance(value, str):
        return f"must be a JSON string ({name}), not {_json_type(value)}"
    if pattern.fullmatch(value) is None:
        return f"{value!r} is not a valid {name}"
    return None


def _calendar_date(value: str, name: str) -> str | None:
    """The regexes accept 2023-02-30; R4 says dates SHALL be valid dates."""
    if len(value) < 10:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return f"{value!r} is not a valid {name}: no such calendar day"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


json_type = _json_type
