"""Values of the compiled FHIRPath engine, and navigation that mirrors fhirpathpy's.

The compiled engine (:mod:`.compiler`) must return exactly what the reference engine
(:mod:`.reference`, fhirpathpy) returns, so a collection holds what fhirpathpy's holds:
raw Python values (literals, ``%resource``) and :class:`Item` (a JSON value with the
FHIR type path fhirpathpy gives it, like its ``ResourceNode``). Navigation
(https://hl7.org/fhir/R4/fhirpath.html#paths) follows fhirpathpy's member invocation
step by step, quirks included: a primitive and its ``_name`` companion are two items,
and choice elements (``value[x]``) take the first type, in the model's order, present.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fhirpathpy.engine.nodes import FP_Type
from fhirpathpy.models import models

R4_MODEL: dict[str, dict[str, Any]] = models["r4"]


class Unsupported(Exception):
    """Outside the compiled subset: the reference engine evaluates the expression instead."""


class Item:
    """A node of the resource with its type path (fhirpathpy's ``ResourceNode``)."""

    __slots__ = ("data", "path")

    def __init__(self, data: Any, path: str | None) -> None:
        if isinstance(data, dict) and "resourceType" in data:
            path = data["resourceType"]
        self.data = data
        self.path = path

    def __repr__(self) -> str:
        return f"Item({self.data!r}, {self.path!r})"


def type_path(value: Any) -> str | None:
    """An item's type path, for the operations that read it; a resource whose
    ``resourceType`` is not a string makes fhirpathpy fail there, so the closures stop."""
    path = value.path if isinstance(value, Item) else None
    if path is not None and not isinstance(path, str):
        raise Unsupported("a resourceType that is not a string")
    return path


def data_of(value: Any) -> Any:
    """The JSON value of an item, or the raw value itself."""
    return value.data if isinstance(value, Item) else value


def get_data(value: Any) -> Any:
    """As fhirpathpy's ``util.get_data``: JSON decimals become ``Decimal``."""
    value = value.data if isinstance(value, Item) else value
    return Decimal(str(value)) if isinstance(value, float) else value


def is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def arraify(value: Any) -> list[Any]:
    """A function result as a collection (fhirpathpy's ``util.arraify``)."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    return [value]


class Navigator:
    """``collection.name`` over the R4 model fhirpathpy uses, each step's paths cached."""

    def __init__(self, model: dict[str, dict[str, Any]] = R4_MODEL) -> None:
        self._elsewhere = model["pathsDefinedElsewhere"]
        self._choices = model["choiceTypePaths"]
        self._types = model["path2Type"]
        self._steps: dict[tuple[str | None, str], tuple[str, dict[str, tuple[int, str, str]]]] = {}

    def _step(self, path: str | None, key: str) -> tuple[str, dict[str, tuple[int, str, str]]]:
        """(child path, choices): for a choice element, each JSON name (``valueQuantity``,
        ``_valueString``) → (the type's rank in the model, its child path, the plain name)."""
        found = self._steps.get((path, key))
        if found is None:
            child = f"{path}.{key}" if path else f"_.{key}"
            child = self._elsewhere.get(child, child)
            choices = {}
            for rank, suffix in enumerate(self._choices.get(child) or ()):
                typed = self._types.get(child + suffix, child + suffix)
                choices[key + suffix] = choices["_" + key + suffix] = (rank, typed, key + suffix)
            plain = "Extension" if key == "extension" else child
            found = self._steps[(path, key)] = (self._types.get(plain, plain), choices)
        return found

    def member(self, key: str) -> Callable[[list[Any]], list[Any]]:
        """``collection.key`` as a function, its steps cached by the parent's type path."""
        steps: dict[str | None, tuple[str, dict[str, tuple[int, str, str]]]] = {}
        underscored = "_" + key

        def navigate(items: list[Any]) -> list[Any]:
            out: list[Any] = []
            for item in items:
                if type(item) is Item:
                    data, path = item.data, item.path
                else:
                    data = item
                    path = data.get("resourceType") if isinstance(data, dict) else None
                if not isinstance(data, dict):
                    continue
                step = steps.get(path)
                if step is None:
                    step = steps[path] = self._step(path, key)
                child, choices = step
                if choices:
                    # the first type in the model's order whose value or _value is not null
                    best = None
                    for name, value in data.items():
                        choice = choices.get(name)
                        if choice is not None and value is not None and \
                                (best is None or choice < best):
                            best = choice
                    if best is None:
                        continue
                    _, child, name = best
                    value, companion = data.get(name), data.get("_" + name)
                else:
                    value, companion = data.get(key), data.get(underscored)
                if value is not None:
                    if isinstance(value, list):
                        out.extend([Item(x, child) for x in value])
                    else:
                        out.append(Item(value, child))
                if companion is not None:
                    _add(out, companion, child)
            return out
        return navigate


def _add(out: list[Any], value: Any, path: str) -> None:
    if value is None:
        return
    if isinstance(value, list):
        out.extend(Item(x, path) for x in value)
    else:
        out.append(Item(value, path))


def output(value: Any) -> Any:
    """The result as fhirpathpy hands it back: plain data, decimals as ``Decimal``, and
    the ``{"extension": …}`` stand-ins of primitives left out."""
    if isinstance(value, list):
        if len(value) == 1 and type(value[0]) is bool:
            return value  # the usual answer of an invariant, already plain
        result = []
        for item in value:
            plain = output(item)
            if isinstance(plain, dict) and list(plain) == ["extension"]:
                continue
            result.append(plain)
        return result
    data = get_data(value)
    if isinstance(data, dict) and not isinstance(data, FP_Type):
        return {key: output(inner) for key, inner in data.items()}
    return data
