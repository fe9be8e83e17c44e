"""Layer 4, references: allowed target types, and resolution inside a Bundle.

Each Reference element lists the resource types R4 allows it to point to
(``Condition.subject`` → Patient | Group); a reference of another type is an error.
Inside a Bundle every literal reference (``Type/id``, ``urn:uuid:…``, an absolute URL
of an entry) must resolve to an entry, following the rules of
https://hl7.org/fhir/R4/bundle.html#references; ``#id`` must name a contained resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fhirsvc.outcome import Issue, Severity
from fhirsvc.validation.model import TypeModel
from fhirsvc.validation.structure import Node, Walk

_RELATIVE = re.compile(
    r"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(/_history/[A-Za-z0-9\-.]{1,64})?$"
)
_ABSOLUTE = re.compile(r"^(https?://.+)/([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(/_history/.+)?$")


@dataclass(frozen=True, slots=True)
class Target:
    """What a reference string names: a resource type when it shows one, and a
    key to look it up by inside a Bundle."""

    type: str | None
    key: str


class BundleIndex:
    """The resources of a Bundle by fullUrl and by ``Type/id``."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.by_key: dict[str, str | None] = {}
        for entry in bundle.get("entry", []) if isinstance(bundle.get("entry"), list) else []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                continue
            kind = resource.get("resourceType")
            full_url = entry.get("fullUrl")
            if isinstance(full_url, str):
                self.by_key[full_url] = kind
                match = _ABSOLUTE.match(full_url)
                if match:
                    self.by_key[f"{match[2]}/{match[3]}"] = kind
            if isinstance(resource.get("id"), str):
                self.by_key[f"{kind}/{resource['id']}"] = kind

    def resolve(self, target: Target) -> str | None:
        return self.by_key.get(target.key)


class ReferenceChecker:
    def __init__(self, model: TypeModel) -> None:
        self.model = model

    def check(self, walk: Walk) -> list[Issue]:
        bundle = walk.resources[0].value if walk.resources and walk.resources[0].type == "Bundle" \
            else None
        index = BundleIndex(bundle) if bundle is not None else None
        issues: list[Issue] = []
        for node in walk.references:
            issues.extend(self._check(node, walk, index))
        return issues

    def _check(self, node: Node, walk: Walk, index: BundleIndex | None) -> list[Issue]:
        reference = node.value.get("reference")
        declared = node.value.get("type")
        issues: list[Issue] = []
        kind = declared if isinstance(declared, str) else None
        if kind is not None and kind not in self.model.all_resource_types:
            issues.append(self._issue(
                node, "code-invalid", f"Reference.type {kind!r} is not an R4 resource type",
                ".type"))
            kind = None
        if isinstance(reference, str):
            found, problem = self._resolve(reference, node, walk, index)
            if problem:
                issues.append(problem)
            if found is not None and kind is not None and found != kind:
                issues.append(self._issue(
                    node, "invalid", f"Reference.type is {kind} but {reference!r} is a {found}"))
            kind = found or kind
        if kind is not None:
            issues.extend(self._target_type(node, kind))
        return issues

    def _resolve(self, reference: str, node: Node, walk: Walk,
                 index: BundleIndex | None) -> tuple[str | None, Issue | None]:
        """The referenced resource type, and a problem when the reference cannot resolve."""
        if reference.startswith("#"):
            return self._contained(reference[1:], node, walk)
        target = parse_reference(reference)
        if target.type is not None and target.type not in self.model.all_resource_types:
            return None, self._issue(node, "invalid",
                                     f"{reference!r}: {target.type} is not an R4 resource type")
        if index is None:
            return target.type, None
        resolved = index.resolve(target)
        if resolved is None and (reference.startswith("urn:") or _RELATIVE.match(reference)):
            return target.type, self._issue(
                node, "not-found", f"{reference!r} does not resolve to an entry of the Bundle")
        return resolved or target.type, None

    def _contained(self, ident: str, node: Node, walk: Walk) -> tuple[str | None, Issue | None]:
        root = walk.resources[node.resource].root
        if not ident:
            return root.get("resourceType"), None
        for contained in (root.get("contained", [])
                          if isinstance(root.get("contained"), list) else []):
            if isinstance(contained, dict) and contained.get("id") == ident:
                return contained.get("resourceType"), None
        return None, self._issue(node, "not-found", f"'#{ident}' names no contained resource")

    def _target_type(self, node: Node, kind: str) -> list[Issue]:
        targets = node.element.targets if node.element else ()
        if not targets or "Resource" in targets or kind in targets:
            return []
        return [self._issue(node, "structure",
                            f"{node.element.path if node.element else 'Reference'} may refer to "
                            f"{' | '.join(targets)}, not {kind}")]

    @staticmethod
    def _issue(node: Node, code: str, message: str, suffix: str = ".reference") -> Issue:
        return Issue(Severity.ERROR, code, message, (node.expression + suffix,))


def parse_reference(reference: str) -> Target:
    """``Patient/1``, ``Patient/1/_history/2``, ``http://x/fhir/Patient/1``, ``urn:uuid:…``."""
    relative = _RELATIVE.match(reference)
    if relative:
        return Target(relative[1], f"{relative[1]}/{relative[2]}")
    absolute = _ABSOLUTE.match(reference)
    if absolute:
        return Target(absolute[2], f"{absolute[1]}/{absolute[2]}/{absolute[3]}")
    return Target(None, reference)
