"""FHIRPath operators as fhirpathpy evaluates them (https://hl7.org/fhir/R4/fhirpath.html#operations).

Both operands are always evaluated, as in fhirpathpy, so that an operand fhirpathpy
would fail on fails here too (and goes to fhirpathpy) rather than being skipped.
Boolean operators take fhirpathpy's three-valued tables; ``=`` compares JSON values
(Quantities, which fhirpathpy converts, are not compiled); ``<`` and friends compare
two strings or two numbers (fhirpathpy compares dateTime strings as strings), and two
Quantities, which fhirpathpy cannot order (it fails on them): see :func:`_quantity_order`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fhirsvc.validation.fhirpath.functions import Env, Fn
from fhirsvc.validation.fhirpath.nodes import (
    Item,
    Unsupported,
    data_of,
    get_data,
    is_number,
    type_path,
)

Logic = Any  # True, False or [] (empty)


def binary(symbol: str, left: Fn, right: Fn) -> Fn:
    if symbol in _LOGIC:
        table = _LOGIC[symbol]

        def logic(data: list[Any], env: Env) -> list[Any]:
            a, b = _boolean(left(data, env)), _boolean(right(data, env))
            result = table(a, b)
            return result if isinstance(result, list) else [result]
        return logic
    if symbol not in _VALUES:
        raise Unsupported(f"operator {symbol}")
    apply = _VALUES[symbol]
    return lambda data, env: apply(left(data, env), right(data, env))


def _boolean(values: list[Any]) -> Logic:
    if not values:
        return []
    if len(values) > 1:
        raise Unsupported("a collection where a Boolean is expected")
    value = get_data(values[0])
    if value is True or value is False:
        return value
    raise Unsupported("not a Boolean")


# ------------------------------------------------------------ Boolean logic (fhirpathpy's tables)

def _or(a: Logic, b: Logic) -> Logic:
    if isinstance(b, list):
        return True if a is True else []
    if isinstance(a, list):
        return True if b is True else []
    return a or b


def _and(a: Logic, b: Logic) -> Logic:
    if isinstance(b, list):
        return False if a is False else []
    if isinstance(a, list):
        return [] if b is True else False
    return a and b


def _xor(a: Logic, b: Logic) -> Logic:
    if isinstance(a, list) or isinstance(b, list):
        return []
    return (a and not b) or (not a and b)


def _implies(a: Logic, b: Logic) -> Logic:
    if isinstance(b, list):
        return True if a is False else []
    if isinstance(a, list):
        return True if b is True else []
    return True if a is False else a and b


_LOGIC: dict[str, Callable[[Logic, Logic], Logic]] = {
    "or": _or, "and": _and, "xor": _xor, "implies": _implies,
}


# ------------------------------------------------------------ values

def _equal(x: list[Any], y: list[Any]) -> list[Any]:
    if not x or not y:
        return []
    if len(x) != len(y):
        return [False]
    for value in (x[0], y[0]):
        if type_path(value) in ("Quantity", "System.Quantity"):
            raise Unsupported("Quantity equality")
    return [data_of(x[0]) == data_of(y[0])]


def _unequal(x: list[Any], y: list[Any]) -> list[Any]:
    result = _equal(x, y)
    return [not result[0]] if result else []


def _single(values: list[Any]) -> Any:
    if len(values) == 2 and isinstance(values[1], Item) and "extension" in values[1].data:
        values = values[:1]  # fhirpathpy drops a primitive's _name companion here
    if len(values) > 1:
        raise Unsupported("a collection where one value is expected")
    return get_data(values[0])


def _comparison(compare: Callable[[Any, Any], bool]) -> Callable[[list[Any], list[Any]], list[Any]]:
    def run(x: list[Any], y: list[Any]) -> list[Any]:
        if not x or not y or x[0] is None or y[0] is None:
            return []
        a, b = _single(x), _single(y)
        if isinstance(a, dict) and isinstance(b, dict):
            return _quantity_order(a, b, compare)
        if not ((is_number(a) and is_number(b)) or (type(a) is str and type(b) is str)):
            raise Unsupported("comparison of other than two strings or two numbers")
        return [compare(a, b)]
    return run


def _quantity_order(a: dict[str, Any], b: dict[str, Any],
                    compare: Callable[[Any, Any], bool]) -> list[Any]:
    """Two Quantities in the same unit compare by value; in other units, or with a
    comparator (``<5`` has no place in an order), the answer is empty.

    FHIRPath orders Quantities whose units convert
    (https://hl7.org/fhirpath/N1/#comparison), which ``rng-2`` (a Range's low ≤ high)
    needs; units are compared as written (UCUM code with its system, else the unit
    text), since a Range's two ends share their unit in practice, and a unit conversion
    is not needed to tell that. Anything but two Quantities is left to fhirpathpy.
    """
    if not (_is_quantity(a) and _is_quantity(b)):
        raise Unsupported("comparison of complex values other than two Quantities")
    if "comparator" in a or "comparator" in b or _unit(a) != _unit(b):
        return []
    return [compare(a["value"], b["value"])]


def _is_quantity(value: dict[str, Any]) -> bool:
    return is_number(value.get("value")) and set(value) <= _QUANTITY_KEYS


_QUANTITY_KEYS = frozenset({"value", "comparator", "unit", "system", "code", "id", "extension"})


def _unit(quantity: dict[str, Any]) -> tuple[Any, ...]:
    if "code" in quantity:
        return quantity.get("system"), quantity["code"]
    return (quantity.get("unit"),)


def _in(x: list[Any], y: list[Any]) -> list[Any]:
    if not x:
        return []
    if not y:
        return [False]
    if len(x) > 1:
        raise Unsupported("in with a collection on the left")
    wanted = data_of(x[0])
    return [any(data_of(value) == wanted for value in y)]


def _concatenate(x: list[Any], y: list[Any]) -> list[Any]:
    """``&``: strings, an empty side as ''."""
    return [_string_or_empty(x) + _string_or_empty(y)]


def _string_or_empty(values: list[Any]) -> str:
    if not values:
        return ""
    value = get_data(values[0]) if len(values) == 1 else None
    if not isinstance(value, str):
        raise Unsupported("& of other than a string")
    return value


def _plus(x: list[Any], y: list[Any]) -> list[Any]:
    if not x or not y:
        return []
    if len(x) != 1 or len(y) != 1:
        raise Unsupported("+ of collections")
    a, b = (_plain(v) for v in (x[0], y[0]))
    if (type(a) is str and type(b) is str) or (is_number(a) and is_number(b)):
        return [a + b]
    raise Unsupported("+ of other than two strings or two numbers")


def _plain(value: Any) -> Any:
    if isinstance(value, Item) and (type_path(value) in ("date", "dateTime", "time")
                                    or isinstance(value.data, dict)):
        raise Unsupported("+ of a date or a complex value")
    return get_data(value)


_VALUES: dict[str, Callable[[list[Any], list[Any]], list[Any]]] = {
    "=": _equal,
    "!=": _unequal,
    "<": _comparison(lambda a, b: a < b),
    "<=": _comparison(lambda a, b: a <= b),
    ">": _comparison(lambda a, b: a > b),
    ">=": _comparison(lambda a, b: a >= b),
    "in": _in,
    "&": _concatenate,
    "+": _plus,
}
