"""Parsing one search parameter value into the typed record for its parameter type.

Handles the escapes (``\\,`` ``\\|`` ``\\$`` ``\\\\``), prefixes and the per-type syntax of
https://hl7.org/fhir/R4/search.html#ptypes; a malformed value raises ``InvalidRequest``.
"""

from __future__ import annotations

from collections.abc import Callable

from fhirsvc.errors import InvalidRequest
from fhirsvc.storage.indexer import parse_reference
from fhirsvc.storage.registry import SearchParam
from fhirsvc.storage.search.query import (
    CompositeValue,
    DateValue,
    NumberValue,
    Prefix,
    QuantityValue,
    ReferenceValue,
    StringValue,
    TokenValue,
    UriValue,
    Value,
)
from fhirsvc.storage.values import date_range, parse_decimal

_PREFIXES = {prefix.value for prefix in Prefix}


def split_escaped(text: str, separator: str, limit: int = -1) -> list[str]:
    """Split on unescaped ``separator``, then drop the escapes from each part."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char if char in ",|$\\" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator and (limit < 0 or len(parts) < limit):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current) + ("\\" if escaped else ""))
    return parts


def unescape(text: str) -> str:
    return split_escaped(text, "")[0]


def split_keeping_escapes(text: str, separator: str) -> list[str]:
    """Split on unescaped ``separator`` but keep escapes (parts are split again later)."""
    parts, start, index = [], 0, 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == separator:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _prefixed(text: str, allowed: bool = True) -> tuple[Prefix, str]:
    if len(text) > 2 and text[:2] in _PREFIXES and (text[2].isdigit() or text[2] in "-+."):
        if not allowed:
            raise InvalidRequest(f"prefix {text[:2]!r} is not allowed here")
        return Prefix(text[:2]), text[2:]
    return Prefix.EQ, text


def parse_token(text: str, param: SearchParam) -> TokenValue:
    parts = split_escaped(text, "|", limit=1)
    if len(parts) == 1:
        return TokenValue(None, parts[0])
    system, code = parts
    if not system and not code:
        raise InvalidRequest(f"{param.code}: '|' alone names neither a system nor a code")
    return TokenValue(system, code or None)


def parse_of_type(text: str, param: SearchParam) -> TokenValue:
    """``identifier:of-type=[type system]|[type code]|[value]``, all three required."""
    parts = split_escaped(text, "|", limit=2)
    if len(parts) != 3 or not all(parts[1:]):
        raise InvalidRequest(f"{param.code}:of-type takes system|code|value, not {text!r}")
    system, code, value = parts
    return TokenValue(system or None, f"{code}|{value}")


def parse_string(text: str, param: SearchParam) -> StringValue:
    return StringValue(unescape(text))


def parse_date(text: str, param: SearchParam) -> DateValue:
    prefix, rest = _prefixed(text.strip())
    try:
        # a space inside a date is an unencoded '+' of its offset (query decoding)
        low, high = date_range(rest.replace(" ", "+"))
    except ValueError as error:
        raise InvalidRequest(f"{param.code}: {error}") from None
    return DateValue(prefix, low, high)


def parse_number(text: str, param: SearchParam) -> NumberValue:
    prefix, rest = _prefixed(text)
    try:
        return NumberValue(prefix, parse_decimal(rest))
    except ValueError as error:
        raise InvalidRequest(f"{param.code}: {error}") from None


def parse_quantity(text: str, param: SearchParam) -> QuantityValue:
    parts = split_escaped(text, "|", limit=2)
    if len(parts) == 2:
        raise InvalidRequest(f"{param.code}: a quantity is number|system|code (got {text!r})")
    number = parse_number(parts[0], param)
    system, code = (parts[1] or None, parts[2] or None) if len(parts) == 3 else (None, None)
    return QuantityValue(number.prefix, number.number, system, code)


def parse_reference_value(text: str, param: SearchParam, type_modifier: str | None = None
                          ) -> ReferenceValue:
    value = unescape(text)
    if "://" in value or value.startswith("urn:"):
        return ReferenceValue(None, None, value.split("|", 1)[0])
    target_type, target_id, _ = parse_reference(value)
    if target_id is None:
        if "/" in value:
            raise InvalidRequest(f"{param.code}: {value!r} is not Type/id, an id or a URL")
        target_type, target_id = None, value
    if type_modifier and target_type not in (None, type_modifier):
        raise InvalidRequest(f"{param.code}:{type_modifier}: {value!r} names a {target_type}")
    return ReferenceValue(type_modifier or target_type, target_id)


def parse_uri(text: str, param: SearchParam) -> UriValue:
    return UriValue(unescape(text))


def parse_composite(text: str, param: SearchParam) -> CompositeValue:
    parts = split_keeping_escapes(text, "$")
    if len(parts) != len(param.components):
        raise InvalidRequest(
            f"{param.code}: expected {len(param.components)} parts separated by '$', got {text!r}"
        )
    return CompositeValue(tuple(
        PARSERS[component.type](part, param)
        for component, part in zip(param.components, parts, strict=True)
    ))


PARSERS: dict[str, Callable[[str, SearchParam], Value]] = {
    "token": parse_token, "string": parse_string, "date": parse_date, "number": parse_number,
    "quantity": parse_quantity, "reference": parse_reference_value, "uri": parse_uri,
    "composite": parse_composite,
}
