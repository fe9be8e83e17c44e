"""The FHIRPath functions the compiled engine implements, each as fhirpathpy computes it.

Every function is a factory: given its compiled arguments it returns the closure that
applies it to a collection. Semantics are fhirpathpy's (the reference engine), as
https://hl7.org/fhir/R4/fhirpath.html#functions describes them; wherever fhirpathpy
would raise, the closure raises :class:`Unsupported` so that fhirpathpy itself runs
and reports its own error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fhirsvc.validation.fhirpath.nodes import (
    Item,
    Unsupported,
    arraify,
    data_of,
    get_data,
    type_path,
)

Env = Mapping[str, Any]
Fn = Callable[[list[Any], Env], list[Any]]
"""A compiled expression: (input collection, variables) -> output collection."""


def body(fn: Fn, item: Any, env: Env) -> list[Any]:
    """An ``Expr`` argument evaluated on one item (``$this``)."""
    return fn(arraify(item) if not isinstance(item, Item) else [item], env)


def is_true(result: list[Any]) -> bool:
    return len(result) == 1 and data_of(result[0]) == True  # noqa: E712 - 1 == True too


def string_singleton(items: list[Any]) -> str:
    if len(items) == 1:
        value = get_data(items[0])
        if isinstance(value, str):
            return value
    raise Unsupported("expected a string")


def type_is(value: Any, type_name: str) -> bool:
    """``is``/``ofType`` for a concrete resource type: an item's dot-free path names its type."""
    if not isinstance(value, Item):
        return False
    path = type_path(value)
    if path is None:
        raise Unsupported("no type")
    return path == type_name


# ---------------------------------------------------------------- no arguments

def empty(data: list[Any], env: Env) -> list[Any]:
    return [not data]


def exists(data: list[Any], env: Env) -> list[Any]:
    return [bool(data)]


def count(data: list[Any], env: Env) -> list[Any]:
    return [len(data)]


def first(data: list[Any], env: Env) -> list[Any]:
    return arraify(data[0]) if data else []


def tail(data: list[Any], env: Env) -> list[Any]:
    return data[1:]


def not_(data: list[Any], env: Env) -> list[Any]:
    if len(data) != 1:
        return []
    value = get_data(data[0])
    return [not value] if isinstance(value, bool) else [False]


def has_value(data: list[Any], env: Env) -> list[Any]:
    value = get_data(data[0]) if len(data) == 1 else None
    return [value is not None and not isinstance(value, dict | list)]


def trace(data: list[Any], env: Env) -> list[Any]:
    return data


def to_string(data: list[Any], env: Env) -> list[Any]:
    return [str(get_data(data[0]))] if len(data) == 1 else []


def is_distinct(data: list[Any], env: Env) -> list[Any]:
    """Distinct by JSON value (fhirpathpy's ``uniq``), for items or for plain strings."""
    if all(isinstance(x, Item) for x in data):
        keys = [_json_key(x.data) for x in data]
    elif all(isinstance(x, str) for x in data):
        keys = [_json_key(x) for x in data]
    else:
        raise Unsupported("mixed collection")
    return [len(keys) == len(set(keys))]


def _json_key(value: Any) -> str:
    import json

    try:
        return json.dumps(value, sort_keys=True)
    except TypeError:
        return str(value)


def type_(data: list[Any], env: Env) -> list[Any]:
    types = []
    for value in data:
        path = type_path(value)
        if path is None or "." in path:
            raise Unsupported("type() of a backbone element or a System value")
        types.append({"name": path, "namespace": "FHIR"})
    return types


NO_ARGUMENTS: dict[str, Fn] = {
    "empty": empty, "exists": exists, "count": count, "first": first, "tail": tail,
    "not": not_, "hasValue": has_value, "trace": trace, "isDistinct": is_distinct,
    "type": type_, "toString": to_string,
}


# ---------------------------------------------------------------- an expression argument

def where(criteria: Fn) -> Fn:
    def run(data: list[Any], env: Env) -> list[Any]:
        kept = []
        for item in data:
            result = body(criteria, item, env)
            if result and (isinstance(result[0], Item) or result[0]):
                kept.append(item)
        return kept
    return run


def exists_where(criteria: Fn) -> Fn:
    filtered = where(criteria)
    return lambda data, env: [bool(filtered(data, env))]


def all_(criteria: Fn) -> Fn:
    def run(data: list[Any], env: Env) -> list[Any]:
        return [all(is_true(body(criteria, item, env)) for item in data)]
    return run


def select(projection: Fn) -> Fn:
    def run(data: list[Any], env: Env) -> list[Any]:
        out: list[Any] = []
        for item in data:
            out.extend(body(projection, item, env))
        return out
    return run


WITH_EXPRESSION: dict[str, Callable[[Fn], Fn]] = {
    "where": where, "exists": exists_where, "all": all_, "select": select,
}


# ---------------------------------------------------------------- a type argument

def of_type(type_name: str) -> Fn:
    return lambda data, env: [value for value in data if type_is(value, type_name)]


def is_(type_name: str) -> Fn:
    def run(data: list[Any], env: Env) -> list[Any]:
        if len(data) > 1:
            raise Unsupported("is() of a collection")
        return [type_is(data[0], type_name)] if data else []
    return run


WITH_TYPE: dict[str, Callable[[str], Fn]] = {"ofType": of_type, "is": is_}


# ---------------------------------------------------------------- value arguments
# An argument is a string, an integer, or [] when it evaluated to nothing.

def extension(url: Any) -> Fn:
    """The first extension with the URL, on each item (as fhirpathpy finds it)."""
    def run(data: list[Any], env: Env) -> list[Any]:
        found = []
        for value in data:
            element = get_data(value)
            if not isinstance(element, dict):
                continue
            matching = []
            for ext in element.get("extension", []):
                if not isinstance(ext, dict) or "url" not in ext:
                    raise Unsupported("an extension without a URL")
                if ext["url"] == url:
                    matching.append(ext)
            if matching:
                found.append(Item(matching[0], "Extension"))
        return found
    return run


def starts_with(prefix: Any) -> Fn:
    def run(data: list[Any], env: Env) -> list[Any]:
        if not data or prefix == []:
            return []
        text = string_singleton(data)
        return [bool(text) and isinstance(prefix, str) and text.startswith(prefix)]
    return run


def contains(part: Any) -> Fn:
    if not isinstance(part, str):
        raise Unsupported("contains() of a non-string")
    return lambda data, env: [part in string_singleton(data)] if data else []


def substring(start: Any, length: Any = None) -> Fn:
    def run(data: list[Any], env: Env) -> list[Any]:
        if not data:
            return []
        text = string_singleton(data)
        if isinstance(start, list):
            return []
        begin = int(start)
        if begin < 0 or begin >= len(text):
            return []
        if length is None or length == []:
            return [text[begin:]]
        return [text[begin:begin + int(length)]]
    return run


def matches(pattern: Any) -> Fn:
    compiled = re.compile(pattern, re.DOTALL) if isinstance(pattern, str) and pattern else None

    def run(data: list[Any], env: Env) -> list[Any]:
        if compiled is None or not data:
            return []
        return [compiled.search(string_singleton(data)) is not None]
    return run


WITH_VALUES: dict[str, tuple[tuple[str, ...], Callable[..., Fn]]] = {
    # name: (argument types, one tuple per accepted arity, longest first), factory
    "extension": (("String",), extension),
    "startsWith": (("String",), starts_with),
    "contains": (("String",), contains),
    "substring": (("Integer", "Integer"), substring),
    "matches": (("String",), matches),
    "trace": (("String",), lambda label: trace),
}
#: functions fhirpathpy skips (returns empty) when their input is empty
NULLABLE_INPUT = frozenset({"startsWith", "contains", "substring", "matches"})
