"""Layer 1 as a yes/no question: would the structure walk report nothing at all?

The converter checks every Bundle it builds, and almost every one is valid. The
full walk (:mod:`fhirsvc.validation.structure`) builds a FHIRPath location and a
node for every element so that issues can name where they are and later layers can
look at what it found; a valid Bundle needs none of that. :class:`CleanCheck` asks
the same questions of the JSON (https://hl7.org/fhir/R4/json.html: known elements,
JSON types, cardinality, one type per choice element, primitive formats, no nulls,
no empty elements) through one function per property of each type, compiled the
once, and answers only yes or no.

It is never more lenient than the walk: where it says yes the walk finds no issue,
and where it says no the caller runs the walk for the issues. It may be stricter
(arrays of ``_name`` companions and nulls in arrays make it say no) at the cost of a
walk, never of an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fhirsvc.validation.model import Property, TypeDef, TypeModel
from fhirsvc.validation.primitives import Primitive
from fhirsvc.validation.structure import choice_names, required_properties

#: Answers whether one JSON value is clean (anything true for yes: a regex match will do).
Check = Callable[[Any], object]


class CleanCheck:
    """Compiled from the type model once; call it with a resource or a Bundle."""

    def __init__(self, model: TypeModel, primitives: Mapping[str, Primitive]) -> None:
        self._model = model
        self._primitives = primitives
        self._resource_types = model.concrete_resource_types
        #: each type's check of a JSON object, by type name (for a primitive type: of its
        #: ``_name`` companion), and the property checks each one looks up (filled in once
        #: every check exists, so that a property can name its type's check directly)
        self._members: dict[str, dict[str, Check]] = {}
        self._objects = {name: self._object_check(typedef)
                         for name, typedef in model.types.items()}
        for name, members in self._members.items():
            members.update(self._compile_members(model[name]))

    def __call__(self, resource: Any) -> bool:
        return self._resource(resource)

    def _resource(self, value: Any) -> bool:
        if type(value) is not dict:
            return False
        name = value.get("resourceType")
        if type(name) is not str or name not in self._resource_types:
            return False
        return bool(self._objects[name](value))

    # ------------------------------------------------------------------ compiling

    def _object_check(self, typedef: TypeDef) -> Check:
        members = self._members[typedef.name] = {}
        is_resource = typedef.kind == "resource"
        choice_of = choice_names(typedef)
        choice_keys = frozenset(choice_of)
        required = tuple(names for _, names in required_properties(typedef))
        #: the first JSON name of each required element (the element itself, or its first
        #: type): when all are there, nothing required is missing
        first_names = tuple(names[0] for names in required)
        has_required = _has_all(first_names)
        get = members.get  # the dict is filled in later, in place

        def check(obj: Any) -> bool:
            if type(obj) is not dict:
                return False
            if not is_resource and len(obj) < 2 and (not obj or "id" in obj):
                return False  # ele-1: an element must have a value or children
            try:
                for key, value in obj.items():
                    if not get(key, _never)(value):  # an unknown key is never clean
                        return False
            except TypeError:  # a pattern's fullmatch given something other than a string
                return False
            if choice_keys and len(obj) > 1 and len(choice_keys.intersection(obj)) > 1 \
                    and not _one_type_each(obj, choice_of):
                return False
            if has_required(obj):
                return True
            return all(any(name in obj for name in names) for names in required)

        return check

    def _compile_members(self, typedef: TypeDef) -> dict[str, Check]:
        members = {key: self._compile_property(prop) for key, prop in typedef.properties.items()}
        if typedef.kind == "resource":
            members["resourceType"] = _anything  # its value was checked to reach the check
        return members

    def _compile_property(self, prop: Property) -> Check:
        element = prop.element
        if prop.companion:
            # ``_name`` beside a primitive: an object with the primitive's id and extensions
            # (https://hl7.org/fhir/R4/json.html#primitive); the walk checks arrays of them
            return _never if element.is_list else self._objects[prop.type]
        one = self._compile_value(prop.type)
        if not element.is_list:
            return one  # a list is neither a primitive, an object nor a resource
        most = element.max

        def many(value: Any) -> bool:
            if type(value) is not list:
                return False
            size = len(value)
            if size == 1:  # most lists: one coding, one category
                return bool(one(value[0]))
            return size > 0 and (most is None or size <= most) and all(map(one, value))

        return many

    def _compile_value(self, type_name: str) -> Check:
        typedef = self._model[type_name]
        if typedef.kind == "primitive-type":
            return self._primitives[type_name].test
        if type_name == "Resource":
            return self._resource
        return self._objects[type_name]


def _has_all(names: tuple[str, ...]) -> Callable[[dict[str, Any]], bool]:
    """Whether an object has every one of ``names``, asked the cheapest way for how many
    there are (most types require none or one)."""
    if not names:
        return _anything
    if len(names) == 1:
        name = names[0]
        return lambda obj: name in obj
    return lambda obj: all(map(obj.__contains__, names))


def _anything(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _one_type_each(obj: dict[str, Any], choice_of: dict[str, tuple[str, str]]) -> bool:
    """One type per choice element: ``valueQuantity`` or ``valueString`` (and its
    ``_valueString``), never both."""
    chosen: dict[str, str] = {}
    for key in obj:
        if key in choice_of:
            name, base = choice_of[key]
            if chosen.setdefault(name, base) != base:
                return False
    return True


__all__ = ["CleanCheck"]
