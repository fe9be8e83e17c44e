"""The R4 type system, compiled once from the shipped StructureDefinitions.

Every resource, datatype and backbone element becomes a :class:`TypeDef` whose
``properties`` map each JSON property name (``valueQuantity``, ``_birthDate``) to
the :class:`Element` it belongs to and the type it carries, so that checking a JSON
object is one dictionary lookup per key. See https://hl7.org/fhir/R4/elementdefinition.html
and https://hl7.org/fhir/R4/json.html for the JSON rules the layout follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from fhirsvc.spec import R4Spec

JSON = dict[str, Any]
FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
REGEX_EXT = "http://hl7.org/fhir/StructureDefinition/regex"
BEST_PRACTICE_EXT = "http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice"
SD_PREFIX = "http://hl7.org/fhir/StructureDefinition/"
#: the base resource types: a resource in JSON is always one of their specialisations
ABSTRACT_RESOURCE_TYPES = frozenset({"Resource", "DomainResource"})


@dataclass(frozen=True, slots=True)
class Constraint:
    """An ElementDefinition.constraint: a FHIRPath invariant such as ``obs-6``."""

    key: str
    severity: str  # "error" | "warning"
    human: str
    expression: str
    best_practice: bool = False


@dataclass(frozen=True, slots=True)
class Binding:
    strength: str  # required | extensible | preferred | example
    value_set: str  # canonical URL without version


@dataclass(frozen=True, slots=True)
class Element:
    """One element of a type (``Observation.value[x]``), with what the JSON may hold."""

    name: str  # JSON base name: "value" for value[x]
    path: str
    min: int
    max: int | None  # None for "*"
    types: tuple[str, ...]  # type codes; backbone elements name their own TypeDef
    choice: bool
    targets: tuple[str, ...] = ()  # Reference/canonical target resource types
    binding: Binding | None = None
    constraints: tuple[Constraint, ...] = ()

    @property
    def is_list(self) -> bool:
        return self.max is None or self.max > 1


@dataclass(frozen=True, slots=True)
class Property:
    """What one JSON property name means: its element, the type it carries, and
    whether it is the ``_name`` companion that holds a primitive's id/extensions."""

    element: Element
    type: str
    companion: bool = False


@dataclass(frozen=True, slots=True)
class TypeDef:
    name: str  # "Observation", "Quantity", "Observation.component"
    kind: str  # primitive-type | complex-type | resource | backbone
    elements: Mapping[str, Element] = field(default_factory=dict)
    properties: Mapping[str, Property] = field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()
    regex: str | None = None  # primitives only, from the spec


class TypeModel:
    """All compiled types by name, plus the R4 resource-type names."""

    def __init__(self, types: Mapping[str, TypeDef], resource_types: frozenset[str],
                 all_resource_types: frozenset[str]) -> None:
        self.types = MappingProxyType(dict(types))
        #: resource types fhirsvc has definitions for (and so validates fully)
        self.resource_types = resource_types
        #: every R4 resource type name (from the resource-types code system)
        self.all_resource_types = all_resource_types
        #: what a JSON resource's resourceType may name for fhirsvc to validate it
        self.concrete_resource_types = resource_types - ABSTRACT_RESOURCE_TYPES

    def __getitem__(self, name: str) -> TypeDef:
        return self.types[name]

    def is_primitive(self, name: str) -> bool:
        return self.types[name].kind == "primitive-type"

    @classmethod
    def from_spec(cls, spec: R4Spec) -> TypeModel:
        types: dict[str, TypeDef] = {}
        for sd in spec.structure_definitions.values():
            if _is_base_type(sd):
                types.update(_compile_definition(sd))
        resources = frozenset(n for n, t in types.items() if t.kind == "resource")
        all_resources = frozenset(
            c["code"] for c in spec.code_systems["http://hl7.org/fhir/resource-types"]["concept"]
        )
        return cls(types, resources, all_resources)


def _is_base_type(sd: JSON) -> bool:
    return (
        "snapshot" in sd
        and sd.get("derivation") != "constraint"
        and sd["kind"] in ("primitive-type", "complex-type", "resource")
        and sd["url"] == SD_PREFIX + sd["id"]
    )


def _compile_definition(sd: JSON) -> dict[str, TypeDef]:
    """One TypeDef for the type itself and one per backbone element inside it."""
    elements = sd["snapshot"]["element"]
    by_path = {e["path"]: e for e in elements}
    children: dict[str, list[JSON]] = {}
    for element in elements[1:]:
        parent = element["path"].rsplit(".", 1)[0]
        children.setdefault(parent, []).append(element)
    kind = sd["kind"]
    out: dict[str, TypeDef] = {}
    for owner, members in children.items():
        compiled = [_compile_element(e, children) for e in members]
        if kind == "primitive-type":
            compiled = [e for e in compiled if e.name != "value"]
        is_root = owner == sd["type"]
        out[owner] = TypeDef(
            name=owner,
            kind=kind if is_root else "backbone",
            elements={e.name: e for e in compiled},
            properties=_properties(compiled),
            constraints=_constraints(by_path[owner]),
            regex=_primitive_regex(elements) if is_root else None,
        )
    if sd["type"] not in out:  # a type without children of its own
        out[sd["type"]] = TypeDef(sd["type"], kind, constraints=_constraints(elements[0]))
    return out


def _compile_element(element: JSON, children: Mapping[str, list[JSON]]) -> Element:
    path = element["path"]
    name = path.rsplit(".", 1)[1]
    choice = name.endswith("[x]")
    binding = element.get("binding")
    return Element(
        name=name.removesuffix("[x]"),
        path=path,
        min=element["min"],
        max=None if element["max"] == "*" else int(element["max"]),
        types=_types(element, children),
        choice=choice,
        targets=_targets(element),
        binding=Binding(binding["strength"], binding["valueSet"].split("|")[0])
        if binding and "valueSet" in binding else None,
        constraints=_constraints(element),
    )


def _types(element: JSON, children: Mapping[str, list[JSON]]) -> tuple[str, ...]:
    reference = element.get("contentReference")
    if reference:
        return (reference.removeprefix("#"),)
    codes = []
    for type_ in element.get("type", []):
        code = type_["code"]
        if code in ("BackboneElement", "Element") and element["path"] in children:
            code = element["path"]
        elif code.startswith("http://hl7.org/fhirpath/System."):
            code = _system_type(element, type_)
        codes.append(code)
    return tuple(codes)


def _system_type(element: JSON, type_: JSON) -> str:
    """R4 snapshots type ``Resource.id`` as a FHIRPath String; the JSON format says ``id``."""
    if element.get("base", {}).get("path") == "Resource.id":
        return "id"
    for ext in type_.get("extension", []):
        if ext["url"] == FHIR_TYPE_EXT:
            return str(ext["valueUrl"])
    return "string"


def _targets(element: JSON) -> tuple[str, ...]:
    return tuple(
        profile.removeprefix(SD_PREFIX)
        for type_ in element.get("type", [])
        if type_["code"] in ("Reference", "canonical")
        for profile in type_.get("targetProfile", [])
    )


def _constraints(element: JSON) -> tuple[Constraint, ...]:
    return tuple(
        Constraint(
            key=c["key"],
            severity=c["severity"],
            human=c["human"],
            expression=c["expression"],
            best_practice=any(
                x["url"] == BEST_PRACTICE_EXT and x.get("valueBoolean") for x in c.get("extension", [])
            ),
        )
        for c in element.get("constraint", [])
        if "expression" in c
    )


def _properties(elements: list[Element]) -> dict[str, Property]:
    props: dict[str, Property] = {}
    for element in elements:
        for type_ in element.types:
            json_name = element.name + _capitalise(type_) if element.choice else element.name
            props[json_name] = Property(element, type_)
            # primitive types are the lower-case ones; Element.id / Resource.id have no
            # "_id", and xhtml carries no extensions (https://hl7.org/fhir/R4/narrative.html)
            if type_[0].islower() and element.name != "id" and type_ != "xhtml":
                props["_" + json_name] = Property(element, type_, companion=True)
    return props


def _capitalise(type_code: str) -> str:
    return type_code[0].upper() + type_code[1:]


def _primitive_regex(elements: list[JSON]) -> str | None:
    for element in elements:
        if element["path"].endswith(".value"):
            for type_ in element.get("type", []):
                for ext in type_.get("extension", []):
                    if ext["url"] == REGEX_EXT:
                        return str(ext["valueString"])
    return None
