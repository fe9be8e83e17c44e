"""Element types of FHIR resources and datatypes, read from the shipped StructureDefinitions.

The indexer must know what an expression such as ``Observation.value.as(Quantity)``
lands on (a Quantity, a CodeableConcept, a bare ``code`` …) to turn it into index rows,
and which JSON key carries a choice element (``valueQuantity``). Both come from the
snapshot of each StructureDefinition, so no FHIR model library is needed at run time.
See https://hl7.org/fhir/R4/elementdefinition.html and
https://hl7.org/fhir/R4/formats.html#choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fhirsvc.spec import R4Spec

#: FHIRPath system types used in the definitions, mapped to the FHIR primitive they stand for.
_SYSTEM_TYPES = {"http://hl7.org/fhirpath/System.String": "string"}
_BACKBONE = {"BackboneElement", "Element"}

#: One way to reach a child: the JSON key that holds it and the FHIR type found there.
Child = tuple[str, str]


def _json_key(name: str, type_code: str) -> str:
    return name + type_code[0].upper() + type_code[1:]


@dataclass
class TypeModel:
    """Children of every type, keyed by type name or by backbone path.

    A node's type is a datatype or resource name (``"CodeableConcept"``,
    ``"Observation"``) or, for backbone elements, the element path that defines them
    (``"Observation.component"``).
    """

    spec: R4Spec
    _children: dict[str, dict[str, tuple[Child, ...]]] = field(default_factory=dict)
    _bindings: dict[str, str] = field(default_factory=dict)
    _resources: frozenset[str] | None = None

    def children(self, type_name: str, name: str) -> tuple[Child, ...]:
        """The (json key, type) pairs element ``name`` of ``type_name`` can take."""
        return self._table(type_name).get(name, ())

    def binding(self, element_path: str) -> str | None:
        """The value set URL a coded element is bound to (``Patient.gender`` → …)."""
        self._table(element_path.split(".", 1)[0])
        return self._bindings.get(element_path)

    def is_resource(self, type_name: str) -> bool:
        if self._resources is None:
            self._resources = frozenset(self.spec.resource_types | {"Resource", "DomainResource"})
        return type_name in self._resources

    def _table(self, type_name: str) -> dict[str, tuple[Child, ...]]:
        table = self._children.get(type_name)
        if table is None:
            root = type_name.split(".", 1)[0]
            self._load(root)
            table = self._children.setdefault(type_name, {})
        return table

    def _load(self, root: str) -> None:
        url = f"http://hl7.org/fhir/StructureDefinition/{root}"
        definition = self.spec.structure_definitions.get(url)
        if definition is None:
            self._children.setdefault(root, {})
            return
        by_path = {element["path"]: element for element in definition["snapshot"]["element"]}
        for path, element in by_path.items():
            if "." not in path:
                continue
            parent, name = path.rsplit(".", 1)
            self._children.setdefault(parent, {})[name.removesuffix("[x]")] = _children_of(
                element, by_path
            )
            binding = element.get("binding", {}).get("valueSet")
            if binding:
                self._bindings[path.removesuffix("[x]")] = binding.split("|", 1)[0]


def _children_of(element: Mapping[str, Any], by_path: Mapping[str, Any]) -> tuple[Child, ...]:
    path: str = element["path"]
    name = path.rsplit(".", 1)[1]
    reference = element.get("contentReference")
    if reference:
        return ((name, reference.lstrip("#")),)
    codes = [_SYSTEM_TYPES.get(t["code"], t["code"]) for t in element.get("type", [])]
    if name.endswith("[x]"):
        base = name.removesuffix("[x]")
        return tuple((_json_key(base, code), code) for code in codes)
    if any(code in _BACKBONE for code in codes) and any(p.startswith(path + ".") for p in by_path):
        return ((name, path),)
    return tuple((name, code) for code in codes)
