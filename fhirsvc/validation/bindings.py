"""Layer 3, terminology: bindings, codes in known code systems, UCUM units.

* Required bindings (https://hl7.org/fhir/R4/terminologies.html#required) are checked
  against the expanded R4 ValueSets: an error when the code is not in the set;
  extensible and preferred bindings give warnings.
* Every Coding whose system fhirsvc knows is checked for existence: the R4 code
  systems shipped in full, and the external ones answered by a :class:`CodeLookup`
  (fhirsvc.terminology's tables: ICD-10-CM, the curated tables in mappings/).
* Quantities in UCUM (http://unitsofmeasure.org) must have a code that parses as a
  UCUM expression (parsed with ucumvert's grammar of the UCUM specification).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Protocol, runtime_checkable

from ucumvert import get_ucum_parser, parse_ucum

from fhirsvc.outcome import Issue, Severity
from fhirsvc.terminology.systems import UCUM
from fhirsvc.validation.model import Binding
from fhirsvc.validation.structure import Node, Walk
from fhirsvc.validation.valuesets import ValueSets

_SEVERITY = {"required": Severity.ERROR, "extensible": Severity.WARNING,
             "preferred": Severity.WARNING}


@runtime_checkable
class CodeLookup(Protocol):
    """What the validator asks of a terminology service (fhirsvc.terminology.Terminology)."""

    def knows_system(self, system_uri: str) -> bool:
        """True when this service can say whether a code of ``system_uri`` exists."""
        ...

    def has_code(self, system_uri: str, code: str) -> bool:
        """True when ``code`` exists in ``system_uri`` (only asked for known systems)."""
        ...


class LazyCodeLookup:
    """A :class:`CodeLookup` that loads its service on the first code it must check.

    Loading fhirsvc's terminology takes about a second; the command line pays it only
    when a file carries a coding in one of ``systems``, the systems to check (a subset
    of those the service knows).
    """

    def __init__(self, load: Callable[[], CodeLookup], systems: Collection[str]) -> None:
        self._load = load
        self._systems = systems
        self._service: CodeLookup | None = None

    @property
    def loaded(self) -> bool:
        return self._service is not None

    def knows_system(self, system_uri: str) -> bool:
        return system_uri in self._systems

    def has_code(self, system_uri: str, code: str) -> bool:
        if self._service is None:
            self._service = self._load()
        return self._service.has_code(system_uri, code)


class TerminologyChecker:
    """Bindings, code existence and UCUM units; value sets expanded at construction."""

    def __init__(self, value_sets: ValueSets, codes: CodeLookup | None = None) -> None:
        self.value_sets = value_sets
        self.codes = codes
        self._ucum_parser = get_ucum_parser()
        self._ucum_seen: dict[str, bool] = {}

    def check(self, walk: Walk) -> list[Issue]:
        issues: list[Issue] = []
        for node in walk.coded:
            issues.extend(self._binding(node))
        for node in walk.codings:
            issues.extend(self._coding_exists(node.value, node.expression))
        for node in walk.quantities:
            issues.extend(self._unit(node))
        return issues

    # ------------------------------------------------------------------ bindings

    def _binding(self, node: Node) -> list[Issue]:
        binding = node.element.binding if node.element else None
        if binding is None or binding.strength not in _SEVERITY:
            return []
        expansion = self.value_sets.expansion(binding.value_set)
        if expansion is None:
            return []
        codings = _codings(node)
        if codings is None:
            return []
        if node.type == "code":
            member = any(code == node.value for _, code in expansion)
        else:
            member = any(_key(c) in expansion for c in codings)
        if member:
            return []
        return [self._outside(node, binding, codings)]

    def _outside(self, node: Node, binding: Binding, codings: list[dict[str, Any]]) -> Issue:
        if node.type == "code":
            shown = f"{node.value!r} is not in"
        elif codings:
            shown = ", ".join(f"{c.get('system')}|{c.get('code')}" for c in codings)
            shown += " is not in"
        else:  # a concept of text alone
            shown = "text only, no coding from"
        return Issue(
            _SEVERITY[binding.strength], "code-invalid",
            f"{node.element.path if node.element else node.type}: {shown} the "
            f"{binding.strength} value set {binding.value_set}",
            (node.expression,),
        )

    # ------------------------------------------------------------------ code systems

    def _coding_exists(self, coding: dict[str, Any], expression: str) -> list[Issue]:
        system, code = coding.get("system"), coding.get("code")
        if not isinstance(system, str) or not isinstance(code, str):
            return []
        concepts = self.value_sets.complete_system(system)
        if concepts is not None:
            known = code in concepts
        elif self.codes is not None and self.codes.knows_system(system):
            known = self.codes.has_code(system, code)
        else:
            return []
        if known:
            return []
        return [Issue(Severity.ERROR, "code-invalid",
                      f"Unknown code {code!r} in code system {system}", (expression + ".code",))]

    # ------------------------------------------------------------------ units

    def _unit(self, node: Node) -> list[Issue]:
        quantity = node.value
        if quantity.get("system") != UCUM or not isinstance(quantity.get("code"), str):
            return []
        code = quantity["code"]
        if self.ucum_parses(code):
            return []
        return [Issue(Severity.ERROR, "code-invalid", f"{code!r} is not a valid UCUM unit",
                      (node.expression + ".code",))]

    def ucum_parses(self, code: str) -> bool:
        seen = self._ucum_seen.get(code)
        if seen is None:
            try:
                parse_ucum(code, self._ucum_parser)
                seen = True
            except Exception:  # ucumvert raises lark errors of several kinds
                seen = False
            self._ucum_seen[code] = seen
        return seen


def _codings(node: Node) -> list[dict[str, Any]] | None:
    """The codings a bound node carries, or None for types bindings do not apply to here
    (and for a value of the wrong JSON shape, which the structure check reports)."""
    if node.type == "code":
        return []
    if not isinstance(node.value, dict):
        return None
    if node.type == "Coding":
        return [node.value]
    if node.type == "CodeableConcept":
        codings = node.value.get("coding", [])
        return [c for c in codings if isinstance(c, dict)] if isinstance(codings, list) else []
    return None


def _key(coding: dict[str, Any]) -> tuple[Any, Any] | None:
    """A coding's (system, code), or None when either is not a string (never a member)."""
    system, code = coding.get("system"), coding.get("code")
    if isinstance(code, str) and (system is None or isinstance(system, str)):
        return system, code
    return None
