"""Layer 6, fhirsvc's profiles: what fhirsvc promises beyond base R4.

The StructureDefinitions in ``conformance/`` (installed as ``fhirsvc.conformance``)
constrain Condition, Procedure, Observation, MedicationAdministration and Bundle.
Each promise is a FHIRPath invariant on the profiled type's root element (for
instance ``fhirsvc-drv-1``: a derived resource carries a derivation-reference), so
this layer is the invariant engine run with the profile's constraints. A resource
is checked against the profiles it claims in ``meta.profile`` and, when the caller
asks for fhirsvc's own promises, against fhirsvc's profile for its type.
See https://hl7.org/fhir/R4/profiling.html.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from fhirsvc.outcome import Issue, Severity
from fhirsvc.terminology.systems import FHIRSVC_STRUCTURE_DEFINITION
from fhirsvc.validation.invariants import InvariantChecker
from fhirsvc.validation.model import Constraint
from fhirsvc.validation.structure import Node, Walk

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Profile:
    url: str
    type: str
    constraints: tuple[Constraint, ...]


def load_conformance() -> list[JSON]:
    """Every StructureDefinition shipped in ``conformance/``."""
    found = []
    for entry in sorted(resources.files("fhirsvc.conformance").iterdir(), key=lambda e: e.name):
        if entry.name.startswith("StructureDefinition-") and entry.name.endswith(".json"):
            found.append(json.loads(entry.read_text(encoding="utf-8")))
    return found


def load_profiles(definitions: Iterable[JSON]) -> dict[str, Profile]:
    """The resource profiles among ``definitions``, by canonical URL."""
    profiles = {}
    for sd in definitions:
        if sd.get("derivation") != "constraint" or sd.get("kind") not in ("resource", "complex-type"):
            continue
        root = [e for e in sd.get("differential", {}).get("element", []) if e["path"] == sd["type"]]
        constraints = tuple(
            Constraint(c["key"], c["severity"], c["human"], c["expression"])
            for element in root for c in element.get("constraint", [])
        )
        profiles[sd["url"]] = Profile(sd["url"], sd["type"], constraints)
    return profiles


class ProfileChecker:
    def __init__(self, profiles: Mapping[str, Profile], invariants: InvariantChecker) -> None:
        self.profiles = dict(profiles)
        self.invariants = invariants
        self._own = {p.type: p.url for p in self.profiles.values()
                     if p.url.startswith(FHIRSVC_STRUCTURE_DEFINITION)}
        #: extension definitions, checked wherever an extension of their URL appears
        self._extensions = {p.url: p for p in self.profiles.values() if p.type == "Extension"}

    def check(self, walk: Walk, own: bool) -> list[Issue]:
        """``own``: also hold every resource to fhirsvc's profile for its type."""
        issues: list[Issue] = []
        for index, found in enumerate(walk.resources):
            claimed = _claimed(found.value)
            wanted = list(dict.fromkeys([*claimed, *([self._own[found.type]]
                                                      if own and found.type in self._own else [])]))
            node = Node(found.expression, found.type, None, found.value, index)
            for url in wanted:
                issues.extend(self._one(url, node, walk))
        for node in walk.constrained:
            named = node.value.get("url") if node.type == "Extension" else None
            if isinstance(named, str):  # a url of another type is the structure check's finding
                extension = self._extensions.get(named)
                if extension is not None:
                    issues.extend(self.invariants.check_node(node, extension.constraints, walk))
        return issues

    def _one(self, url: str, node: Node, walk: Walk) -> list[Issue]:
        profile = self.profiles.get(url.split("|")[0])
        if profile is None:
            severity = Severity.WARNING if url.startswith(FHIRSVC_STRUCTURE_DEFINITION) \
                else Severity.INFORMATION
            return [Issue(severity, "not-supported", f"Profile {url} is not known to fhirsvc; "
                          "not checked", (node.expression + ".meta.profile",))]
        if profile.type != node.type:
            return [Issue(Severity.ERROR, "invalid", f"Profile {url} is for {profile.type}, "
                          f"not {node.type}", (node.expression + ".meta.profile",))]
        found = self.invariants.check_node(node, profile.constraints, walk)
        return [Issue(i.severity, i.code, f"{i.diagnostics} (profile {url})", i.expression)
                for i in found]


def _claimed(resource: JSON) -> list[str]:
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, dict) else None
    return [p for p in profiles if isinstance(p, str)] if isinstance(profiles, list) else []
