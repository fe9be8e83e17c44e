"""Layer 1, structure: one walk over the JSON against the compiled R4 types.

It reports unknown elements, wrong JSON types, cardinality, choice types with more
than one value, primitive formats, nulls and empty elements (ele-1), and on the way
collects what the later layers look at (bound codes, references, codings,
quantities, constrained nodes, resources), so no later layer walks the JSON again.
Rules: https://hl7.org/fhir/R4/json.html and https://hl7.org/fhir/R4/elementdefinition.html#interpretation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fhirsvc.outcome import Issue, Severity
from fhirsvc.validation.model import (
    ABSTRACT_RESOURCE_TYPES,
    Constraint,
    Element,
    Property,
    TypeDef,
    TypeModel,
)
from fhirsvc.validation.primitives import Primitive, compile_primitives, json_type

QUANTITY_TYPES = frozenset(
    {"Quantity", "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity"}
)
ELE_1 = "ele-1"


@dataclass(slots=True)
class Node:
    """An element found in the walk, with its FHIRPath location."""

    expression: str
    type: str
    element: Element | None
    value: Any
    resource: int  # index into Walk.resources: the resource the node belongs to
    constraints: tuple[Constraint, ...] = ()


@dataclass(slots=True)
class FoundResource:
    expression: str
    type: str
    value: dict[str, Any]
    root: dict[str, Any]  # %rootResource: the container of a contained resource, else itself


@dataclass(slots=True)
class Walk:
    """Everything one structure walk found: issues, and the nodes later layers check."""

    issues: list[Issue] = field(default_factory=list)
    resources: list[FoundResource] = field(default_factory=list)
    coded: list[Node] = field(default_factory=list)
    references: list[Node] = field(default_factory=list)
    codings: list[Node] = field(default_factory=list)
    quantities: list[Node] = field(default_factory=list)
    constrained: list[Node] = field(default_factory=list)

    def error(self, code: str, expression: str, message: str,
              severity: Severity = Severity.ERROR) -> None:
        self.issues.append(Issue(severity, code, message, (expression,)))


class StructureChecker:
    """Compiled once from the type model; :meth:`walk` checks one resource or Bundle."""

    def __init__(self, model: TypeModel) -> None:
        self.model = model
        self._types = model.types  # looked up per value: the mapping itself, not a method call
        self._primitives = compile_primitives(model)
        self._checks = {name: primitive.check for name, primitive in self._primitives.items()}
        self._required = {name: required_properties(td) for name, td in model.types.items()}
        self._choices = {name: choice_names(td) for name, td in model.types.items()}
        self._invariants: dict[tuple[str, str], tuple[Constraint, ...]] = {}

    @property
    def primitives(self) -> Mapping[str, Primitive]:
        return self._primitives

    def walk(self, resource: Any, expression: str | None = None) -> Walk:
        walk = Walk()
        name = resource.get("resourceType") if isinstance(resource, dict) else None
        self._resource(resource, expression or (name if isinstance(name, str) else "Resource"),
                       walk, None)
        return walk

    # ------------------------------------------------------------------ resources

    def _resource(self, value: Any, expr: str, walk: Walk, root: dict[str, Any] | None) -> None:
        if not isinstance(value, dict):
            walk.error("structure", expr, f"A resource must be a JSON object, not {json_type(value)}")
            return
        name = value.get("resourceType")
        if not isinstance(name, str):
            walk.error("required", expr, "The resource has no resourceType")
            return
        if name not in self.model.concrete_resource_types:
            if name in self.model.all_resource_types and name not in ABSTRACT_RESOURCE_TYPES:
                walk.error("not-supported", expr,
                           f"{name} is an R4 resource type fhirsvc does not validate",
                           Severity.WARNING)
            else:
                walk.error("structure", expr, f"Unknown resource type {name!r}")
            return
        index = len(walk.resources)
        walk.resources.append(FoundResource(expr, name, value, root or value))
        typedef = self.model[name]
        if typedef.constraints:
            walk.constrained.append(
                Node(expr, name, None, value, index, self._constraints(None, name)))
        self._object(value, typedef, expr, walk, index)

    # ------------------------------------------------------------------ objects

    def _object(self, obj: dict[str, Any], typedef: TypeDef, expr: str, walk: Walk,
                index: int) -> None:
        if typedef.kind != "resource" and len(obj) < 2 and (not obj or "id" in obj):
            walk.error("invariant", expr,
                       "ele-1: All FHIR elements must have a @value or children")
        properties = typedef.properties
        chosen: dict[str, str] = {}
        for key, value in obj.items():
            prop = properties.get(key)
            if prop is None:
                if key != "resourceType" or typedef.kind != "resource":
                    walk.error("structure", f"{expr}.{key}", f"Unknown element {key!r}")
                continue
            element = prop.element
            if element.choice:
                name, base = self._choices[typedef.name][key]
                first = chosen.setdefault(name, base)
                if first != base:
                    walk.error("structure", f"{expr}.{name}",
                               f"{name}[x] may hold one type only: both {first} and {base}")
                    continue
            location = _location(expr, element, prop.type)
            if prop.companion:
                self._companion(obj, key, value, prop, location, walk, index)
            else:
                self._member(obj, key, value, prop, location, walk, index)
        for element, names in self._required[typedef.name]:
            if not any(name in obj for name in names):
                walk.error("required", f"{expr}.{element.name}",
                           f"{element.path}: minimum cardinality is {element.min}, none present")

    def _member(self, obj: dict[str, Any], key: str, value: Any, prop: Property, location: str,
                walk: Walk, index: int) -> None:
        element = prop.element
        if not element.is_list:
            if isinstance(value, list):
                walk.error("structure", location, f"{element.path} is not a list (max 1): "
                                                  "it must not be a JSON array")
                return
            self._value(value, prop, location, walk, index, False)
            return
        if not isinstance(value, list):
            walk.error("structure", location, f"{element.path} is a list: it must be a JSON array")
            return
        if not value:
            walk.error("structure", location, "An array must not be empty (ele-1)")
        elif element.max is not None and len(value) > element.max:
            walk.error("structure", location,
                       f"{element.path}: maximum cardinality is {element.max}, found {len(value)}")
        companions = obj.get("_" + key)
        for i, item in enumerate(value):
            has_companion = isinstance(companions, list) and i < len(companions) \
                and companions[i] is not None
            self._value(item, prop, f"{location}[{i}]", walk, index, has_companion)

    def _companion(self, obj: dict[str, Any], key: str, value: Any, prop: Property,
                   location: str, walk: Walk, index: int) -> None:
        """``_name``: the id and extensions of a primitive (https://hl7.org/fhir/R4/json.html#primitive)."""
        typedef = self._types[prop.type]
        if not prop.element.is_list:
            if isinstance(value, dict):
                self._object(value, typedef, location, walk, index)
            else:
                walk.error("structure", location, f"{key} must be a JSON object")
            return
        primary = obj.get(key[1:])
        if not isinstance(value, list) or (isinstance(primary, list) and len(primary) != len(value)):
            walk.error("structure", location,
                       f"{key} must be an array as long as {key[1:]}, null where there is nothing")
            return
        for i, item in enumerate(value):
            if isinstance(item, dict):
                self._object(item, typedef, f"{location}[{i}]", walk, index)
            elif item is not None or not isinstance(primary, list) or primary[i] is None:
                walk.error("structure", f"{location}[{i}]", f"{key}[{i}] must be an object")

    # ------------------------------------------------------------------ values

    def _value(self, value: Any, prop: Property, location: str, walk: Walk, index: int,
               null_allowed: bool) -> None:
        type_name = prop.type
        element = prop.element
        typedef = self._types[type_name]
        if typedef.kind == "primitive-type":
            if value is None:
                if not null_allowed:
                    walk.error("structure", location,
                               "null is not allowed here (use _element with an extension)")
                return
            problem = self._checks[type_name](value)
            if problem is not None:
                walk.error("value", location, f"{element.path}: {problem}")
            elif element.binding is not None:
                walk.coded.append(Node(location, type_name, element, value, index))
            return
        if type_name == "Resource":
            root = walk.resources[index].root if element.name == "contained" else None
            self._resource(value, location, walk, root)
            return
        if not isinstance(value, dict):
            walk.error("structure", location,
                       f"{element.path} must be a JSON object ({type_name}), not {json_type(value)}")
            return
        self._object(value, typedef, location, walk, index)
        self._record(value, prop, location, walk, index)

    def _record(self, value: dict[str, Any], prop: Property, location: str, walk: Walk,
                index: int) -> None:
        type_name = prop.type
        element = prop.element
        node = Node(location, type_name, element, value, index)
        if element.binding is not None:
            walk.coded.append(node)
        if type_name == "Reference":
            walk.references.append(node)
        elif type_name == "Coding":
            walk.codings.append(node)
        elif type_name in QUANTITY_TYPES:
            walk.quantities.append(node)
        constraints = self._constraints(element, type_name)
        if constraints:
            walk.constrained.append(
                Node(location, type_name, element, value, index, constraints))

    def _constraints(self, element: Element | None, type_name: str) -> tuple[Constraint, ...]:
        """The element's and its type's invariants, once each, ele-1 excepted (checked above)."""
        key = (element.path if element else "", type_name)
        cached = self._invariants.get(key)
        if cached is None:
            found: dict[str, Constraint] = {}
            for constraint in (*(element.constraints if element else ()),
                               *self.model[type_name].constraints):
                if constraint.key != ELE_1:
                    found.setdefault(constraint.key, constraint)
            cached = self._invariants[key] = tuple(found.values())
        return cached


def _location(expr: str, element: Element, type_name: str) -> str:
    if element.choice:
        return f"{expr}.{element.name}.ofType({type_name})"
    return f"{expr}.{element.name}"


def choice_names(typedef: TypeDef) -> dict[str, tuple[str, str]]:
    """Each JSON name of a choice element's types → (the element's name, the type's JSON
    name): ``_valueString`` → (``value``, ``valueString``). One choice element holds one
    type (https://hl7.org/fhir/R4/formats.html#choice): all its names must share the second."""
    return {key: (prop.element.name, key[1:] if prop.companion else key)
            for key, prop in typedef.properties.items() if prop.element.choice}


def required_properties(typedef: TypeDef) -> tuple[tuple[Element, tuple[str, ...]], ...]:
    """Each element with min >= 1 and the JSON names any one of which satisfies it."""
    names: dict[str, list[str]] = {}
    for name, prop in typedef.properties.items():
        if prop.element.min > 0:
            names.setdefault(prop.element.name, []).append(name)
    return tuple(
        (typedef.elements[base], tuple(found)) for base, found in names.items()
    )


__all__ = ["FoundResource", "Node", "StructureChecker", "Walk", "choice_names",
           "required_properties"]
