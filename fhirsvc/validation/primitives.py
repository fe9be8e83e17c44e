"""Checks of primitive values: JSON type, the spec's regex, and ranges.

The regexes are the ones R4 publishes on each primitive type's ``value`` element
(https://hl7.org/fhir/R4/datatypes.html#primitive); R4 JSON carries booleans and
numbers as JSON booleans and numbers (https://hl7.org/fhir/R4/json.html#primitive).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fhirsvc.validation.model import TypeModel

#: A check returns None when the value is fine, else what is wrong with it.
PrimitiveCheck = Callable[[Any], str | None]

_INT32 = (-(2**31), 2**31 - 1)
_INT_RANGES = {"integer": _INT32, "positiveInt": (1, _INT32[1]), "unsignedInt": (0, _INT32[1])}
_DATED = frozenset({"date", "dateTime", "instant"})


def compile_primitive_checks(model: TypeModel) -> Mapping[str, PrimitiveCheck]:
    """One check function per primitive type, built once."""
    checks: dict[str, PrimitiveCheck] = {}
    for name, typedef in model.types.items():
        if typedef.kind == "primitive-type":
            checks[name] = _check_for(name, typedef.regex)
    return checks


def string_pattern(name: str, regex: str | None) -> re.Pattern[str] | None:
    """The pattern a JSON string of primitive type ``name`` must match in full; None for
    the types JSON carries otherwise (booleans, numbers) and for xhtml."""
    if name == "boolean" or name in _INT_RANGES or name in ("decimal", "xhtml"):
        return None
    return re.compile(regex or r"[\s\S]+")


def integer_range(name: str) -> tuple[int, int] | None:
    """The lowest and highest value of an integer type; None for other types."""
    return _INT_RANGES.get(name)


def needs_calendar(name: str) -> bool:
    """Whether a value of type ``name`` must also name a real calendar day."""
    return name in _DATED


def _check_for(name: str, regex: str | None) -> PrimitiveCheck:
    if name == "boolean":
        return _boolean
    if name in _INT_RANGES:
        low, high = _INT_RANGES[name]
        return lambda value: _integer(value, name, low, high)
    if name == "decimal":
        return _decimal
    if name == "xhtml":
        return _xhtml
    pattern = string_pattern(name, regex)
    assert pattern is not None
    if name in _DATED:
        return lambda value: _string(value, name, pattern) or _calendar_date(value, name)
    return lambda value: _string(value, name, pattern)


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
