"""Layer 5, invariants: the FHIRPath constraints of the R4 StructureDefinitions.

Every constraint on an element or on its type (dom-2…dom-6, obs-6, obs-7, con-3…5,
mad-1, bdl-*, per-1, ref-1, ext-1, qty-3 …) is compiled once and evaluated on each
node the structure walk found; ele-1 is checked by the walk itself. An invariant
that fails is reported with its key and the node's location; warnings and
best-practice rules (dom-6) stay warnings. See https://hl7.org/fhir/R4/conformance-rules.html#constraints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fhirsvc.outcome import Issue, Severity
from fhirsvc.validation.fhirpath import CompiledExpression, Evaluator, compile_expression
from fhirsvc.validation.model import Constraint, Property, TypeModel
from fhirsvc.validation.structure import Node, Walk


class InvariantChecker:
    """The constraint expressions of the type model, each compiled once, when first needed
    (parsing all of R4's would cost a second that a single-file check never uses)."""

    def __init__(self, model: TypeModel) -> None:
        self.model = model
        self._compiled: dict[str, CompiledExpression] = {}
        #: by (expression, node type): what evaluating it on such nodes needs, worked out once
        self._rules: dict[tuple[str, str], _Rule] = {}
        #: by node type: each JSON name it knows → its element's name, built once per type
        self._json_names: dict[str, dict[str, str]] = {}
        self._reference = False

    def compile(self, constraint: Constraint) -> CompiledExpression:
        compiled = self._compiled.get(constraint.expression)
        if compiled is None:
            compiled = self._compiled[constraint.expression] = compile_expression(
                constraint.expression)
        return compiled

    def use_reference_engine(self) -> None:
        """Evaluate with fhirpathpy alone, as before the compiled engine: for
        cross-checks and for the benchmark's before/after figures."""
        self._reference = True
        self._rules.clear()

    def check(self, walk: Walk) -> list[Issue]:
        issues: list[Issue] = []
        variables: dict[int, dict[str, Any]] = {}
        for node in walk.constrained:
            found = variables.get(node.resource)
            if found is None:
                found = variables[node.resource] = self.variables(node, walk)
            issues.extend(self.check_node(node, node.constraints, walk, found))
        return issues

    @staticmethod
    def variables(node: Node, walk: Walk) -> dict[str, Any]:
        """%resource, %rootResource and %ucum for a node (https://hl7.org/fhir/R4/fhirpath.html#variables)."""
        found = walk.resources[node.resource]
        return {"resource": found.value, "rootResource": found.root,
                "ucum": "http://unitsofmeasure.org"}

    def check_node(self, node: Node, constraints: Iterable[Constraint], walk: Walk,
                   variables: dict[str, Any] | None = None) -> list[Issue]:
        if variables is None:
            variables = self.variables(node, walk)
        type_path = self.type_path(node)
        issues = []
        for constraint in constraints:
            issue = self._evaluate(constraint, node, type_path, variables)
            if issue is not None:
                issues.append(issue)
        return issues

    @staticmethod
    def type_path(node: Node) -> str:
        """Resources evaluate as themselves; datatypes and backbones by type name."""
        if node.element is None:
            return ""
        return node.type

    def _result(self, constraint: Constraint, node: Node, type_path: str,
                variables: dict[str, Any]) -> list[Any]:
        rule = self._rules.get((constraint.expression, node.type))
        if rule is None:
            rule = self._rule(constraint, node.type)
        if rule.reads is None or rule.reads(node.value):
            return rule.evaluate(node.value, type_path, variables)
        if rule.on_empty is None:
            empty = {"resourceType": node.type} if node.element is None else {}
            rule.on_empty = rule.evaluate(empty, type_path, variables)
        return rule.on_empty

    def _rule(self, constraint: Constraint, type_name: str) -> _Rule:
        compiled = self.compile(constraint)
        names = compiled.names
        rule = self._rules[(constraint.expression, type_name)] = _Rule(
            compiled.reference if self._reference else compiled,
            None if names is None else _reader(self._names_of(type_name), names))
        return rule

    def _names_of(self, type_name: str) -> dict[str, str]:
        known = self._json_names.get(type_name)
        if known is None:
            known = self._json_names[type_name] = json_names(self.model[type_name].properties)
        return known

    def _evaluate(self, constraint: Constraint, node: Node, type_path: str,
                  variables: dict[str, Any]) -> Issue | None:
        try:
            result = self._result(constraint, node, type_path, variables)
        except Exception as exc:  # an engine failure must show, never pass silently
            return Issue(Severity.WARNING, "exception",
                         f"{constraint.key}: could not be evaluated ({_reason(exc)})",
                         (node.expression,))
        if result != [False]:
            return None
        severity = Severity.ERROR if constraint.severity == "error" else Severity.WARNING
        return Issue(severity, "invariant", f"{constraint.key}: {constraint.human}",
                     (node.expression,))


@dataclass(slots=True)
class _Rule:
    """An expression on the nodes of one type.

    ``reads`` tells whether a node holds anything the expression reads (None: it may
    read the node as a whole). A node that holds nothing it reads gives the result of
    an empty node of its type, evaluated once (``on_empty``).
    """

    evaluate: Evaluator
    reads: Callable[[dict[str, Any]], bool] | None
    on_empty: list[Any] | None = None


def json_names(properties: Mapping[str, Property]) -> dict[str, str]:
    """Each JSON name of a type (``valueQuantity``, ``_status``, ``resourceType``) → the
    name of its element (``value``, ``status``, ``resourceType``)."""
    known = {key: prop.element.name for key, prop in properties.items()}
    known.setdefault("resourceType", "resourceType")
    return known


def _reader(known: Mapping[str, str],
            names: frozenset[str]) -> Callable[[dict[str, Any]], bool]:
    """Whether a node holds a JSON name whose element is one of ``names``
    (``valueQuantity`` for ``value``), or, for a name its type does not know, the name
    without its leading underscores. ``known``: the type's :func:`json_names`."""
    reading = frozenset(key for key, name in known.items() if name in names)
    known_keys = frozenset(known)

    def reads(value: dict[str, Any]) -> bool:
        if not reading.isdisjoint(value):
            return True
        if known_keys.issuperset(value):
            return False
        return any(key not in known_keys and key.lstrip("_") in names for key in value)

    return reads


_ADDRESS = re.compile(r"<([\w.]+) object at 0x[0-9a-fA-F]+>")


def _reason(exc: Exception) -> str:
    """The engine's message without the memory addresses of objects it names, so the same
    resource always gives the same OperationOutcome."""
    return _ADDRESS.sub(r"<\1>", str(exc))
