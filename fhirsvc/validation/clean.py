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
        required = tuple(names for _, names in required_properties(typedef))
        #: each set of keys met, in its order → the checks of its values in that order, or
        #: None when the keys alone are not clean: a converter writes a few shapes per type
        #: again and again, so what depends on the keys only is asked once per shape
        shapes: dict[tuple[str, ...], tuple[Check, ...] | None] = {}

        def learn(keys: tuple[str, ...]) -> tuple[Check, ...] | None:
            checks = _shape_checks(keys, members, is_resource, choice_of, required)
            if len(shapes) < _MAX_SHAPES:  # input that is not ours may bring any keys
                shapes[keys] = checks
            return checks

        def check(obj: Any) -> bool:
            if type(obj) is not dict:
                return False
            checks = shapes.get(tuple(obj), _UNSEEN)
            if checks is _UNSEEN:
                checks = learn(tuple(obj))
            if checks is None:
                return False
            try:  # the checks are as many as the keys: they were made from them
                for test, value in zip(checks, obj.values()):  # noqa: B905
                    if not test(value):
                        return False
            except TypeError:  # a pattern's fullmatch given something other than a string
                return False
            return True

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
        if prop.type == "code" or element.path in _VOCABULARY:
            one = _Remembered(one).__getitem__
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


#: Elements whose values come from a small vocabulary (besides every ``code``): a Bundle
#: repeats the same few extension URLs, code systems, displays and units hundreds of times.
_VOCABULARY = frozenset({"Extension.url", "Coding.system", "Coding.display", "Quantity.system",
                         "Quantity.unit"})
#: Values remembered per element at most.
_MAX_REMEMBERED = 4096


class _Remembered(dict[Any, bool]):
    """A primitive test's answers, by value: looking a string up costs less than matching
    it against its type's pattern again. Only strings get in: a test given anything else
    answers no by raising TypeError, before anything is stored."""

    __slots__ = ("_test",)

    def __init__(self, test: Check) -> None:
        super().__init__()
        self._test = test

    def __missing__(self, value: Any) -> bool:
        ok = bool(self._test(value))
        if len(self) < _MAX_REMEMBERED:
            self[value] = ok
        return ok


#: Shapes remembered per type at most (a converted Bundle has a few per type).
_MAX_SHAPES = 256


def _shape_checks(keys: tuple[str, ...], members: Mapping[str, Check], is_resource: bool,
                  choice_of: dict[str, tuple[str, str]],
                  required: tuple[tuple[str, ...], ...]) -> tuple[Check, ...] | None:
    """The checks of the values of an object with these keys, in their order; None when the
    keys alone make it unclean: an empty element (ele-1), an unknown key, two types of one
    choice element, or a required element missing."""
    if not is_resource and len(keys) < 2 and (not keys or "id" in keys):
        return None  # ele-1: an element must have a value or children
    if any(key not in members for key in keys) or not _one_type_each(keys, choice_of):
        return None
    if not all(any(name in keys for name in names) for names in required):
        return None
    return tuple(members[key] for key in keys)


def _anything(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


#: What looking up a shape not yet met gives: this very tuple, never a shape's checks.
_UNSEEN: tuple[Check, ...] = (_never,)


def _one_type_each(keys: tuple[str, ...], choice_of: dict[str, tuple[str, str]]) -> bool:
    """One type per choice element: ``valueQuantity`` or ``valueString`` (and its
    ``_valueString``), never both."""
    chosen: dict[str, str] = {}
    for key in keys:
        if key in choice_of:
            name, base = choice_of[key]
            if chosen.setdefault(name, base) != base:
                return False
    return True


__all__ = ["CleanCheck"]
