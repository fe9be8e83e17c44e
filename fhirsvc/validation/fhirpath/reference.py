"""The reference FHIRPath engine: fhirpathpy's R4 engine, with ``hasValue()`` added.

fhirpathpy (https://github.com/beda-software/fhirpath-py) parses each expression once
(:func:`compile_expression`) and evaluates it against JSON. It lacks ``hasValue()``
(https://hl7.org/fhir/R4/fhirpath.html#functions), which ele-1, bdl-10 and per-1 use;
we register it through fhirpathpy's user-function table rather than editing the
expressions, so every invariant runs exactly as R4 publishes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fhirpathpy import apply_parsed_path
from fhirpathpy.engine.nodes import ResourceNode, TypeInfo
from fhirpathpy.engine.util import set_paths
from fhirpathpy.models import models
from fhirpathpy.parser import parse

Evaluator = Callable[[Any, str, Mapping[str, Any]], list[Any]]
"""``(node, type_path, variables) -> result``: evaluate on one JSON node."""

R4_MODEL = models["r4"]
# fhirpathpy keeps the model its type tests use in a class attribute that only is()/as()
# set, so ofType() answered differently before and after the first is() in a process.
TypeInfo.model = R4_MODEL  # type: ignore[assignment]


def has_value(inputs: list[Any]) -> bool:
    """True when the input is a single primitive that carries a value (not only extensions)."""
    return len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], dict | list)


def _quiet_trace(label: str, value: Any) -> None:
    """dom-3 and ref-1 call trace(); keep it off standard output."""


OPTIONS: dict[str, Any] = {
    "userInvocationTable": {"hasValue": {"fn": has_value}},
    "traceFn": _quiet_trace,
}


def r4_compatible(expression: str) -> str:
    """R4's invariants apply the function form ``as(T)`` to collections (dom-3:
    ``descendants().as(canonical)``), which FHIRPath N1 engines such as HL7's and
    fhirpath.js read as a filter; fhirpathpy follows the later rule (singletons only)
    and raises. On a singleton ``as(T)`` and ``ofType(T)`` agree, so the filter reading
    is ``ofType(T)``."""
    return expression.replace(".as(", ".ofType(")


def compile_expression(expression: str, tree: dict[str, Any] | None = None) -> Evaluator:
    """Parse once; the result evaluates on a resource (type_path "") or on a node of a
    datatype or backbone element (type_path "Period", "Bundle.entry") so that the
    engine knows the types of its children."""
    if tree is None:
        tree = parse(r4_compatible(expression))  # type: ignore[no-untyped-call]
    compiled = set_paths(apply_parsed_path, parsedPath=tree,  # type: ignore[no-untyped-call]
                         model=R4_MODEL, options=OPTIONS)

    def evaluate(node: Any, type_path: str, variables: Mapping[str, Any]) -> list[Any]:
        target = ResourceNode.create_node(node, type_path) if type_path else node  # type: ignore[no-untyped-call]
        result: list[Any] = compiled(target, dict(variables))
        return result

    return evaluate


_GLOBAL_FUNCTIONS = frozenset({"children", "descendants", "resolve", "repeat", "memberOf",
                               "conformsTo", "htmlChecks"})


def context_names(expression: str, tree: dict[str, Any] | None = None) -> frozenset[str] | None:
    """The names an expression can read from its context node, or None when it may
    read the node as a whole (``children()``, ``descendants()``, ``$this``, ``%resource``).

    When none of these names is present in a node, the expression sees nothing of the
    node that an empty node of the same type would not show, so its result is the
    result on the empty node: :class:`~fhirsvc.validation.invariants.InvariantChecker`
    evaluates that once per type instead of once per node.
    """
    names: set[str] = set()
    pending: list[dict[str, Any]] = [
        tree if tree is not None else parse(expression)]  # type: ignore[no-untyped-call]
    while pending:
        node = pending.pop()
        kind = node.get("type")
        if kind in ("ThisInvocation", "ExternalConstantTerm", "IndexInvocation",
                    "TotalInvocation") and (
                kind != "ExternalConstantTerm" or "%ucum" not in _text(node)):
            return None
        if kind == "Identifier":
            name = node.get("text", "").strip("`")
            if name in _GLOBAL_FUNCTIONS:
                return None
            names.add(name)
        pending.extend(node.get("children", []))
    return frozenset(names)


def _text(node: dict[str, Any]) -> str:
    parts = ["%"] + [c.get("text", "") for c in node.get("children", [{}])[0].get("children", [])]
    return "".join(parts)
