"""FHIRPath for invariants: compiled closures, with fhirpathpy as the reference engine.

:func:`compile_expression` compiles an expression once into Python closures
(:mod:`.compiler`) when it lies in the subset R4's invariants use, and keeps
fhirpathpy's compiled form (:mod:`.reference`) beside it. Each evaluation runs the
closures; whenever they meet something outside the subset, fhirpathpy evaluates
that call instead, so results are fhirpathpy's in every case (a test compares both
on every invariant, resource and corpus file). See https://hl7.org/fhir/R4/fhirpath.html.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhirpathpy.parser import parse

from fhirsvc.validation.fhirpath.compiler import Tree, compile_tree
from fhirsvc.validation.fhirpath.functions import Fn
from fhirsvc.validation.fhirpath.nodes import Item, Navigator, Unsupported, output
from fhirsvc.validation.fhirpath.reference import Evaluator, context_names, r4_compatible
from fhirsvc.validation.fhirpath.reference import compile_expression as compile_reference

_NAVIGATOR = Navigator()


class CompiledExpression:
    """An invariant expression, callable as an :data:`Evaluator`."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        tree: Tree = parse(r4_compatible(expression))  # type: ignore[no-untyped-call]
        self.reference: Evaluator = compile_reference(expression, tree)
        #: the names the expression reads from its context (see :func:`context_names`)
        self.names = context_names(expression, tree)
        self.fast: Fn | None
        try:
            self.fast = compile_tree(tree, _NAVIGATOR)
        except Exception:  # outside the subset: fhirpathpy decides
            self.fast = None

    def __call__(self, node: Any, type_path: str, variables: Mapping[str, Any]) -> list[Any]:
        try:
            return self.evaluate_fast(node, type_path, variables)
        except Exception:  # Unsupported, or anything unforeseen: the reference engine answers
            return self.reference(node, type_path, variables)

    def evaluate_fast(self, node: Any, type_path: str, variables: Mapping[str, Any]) -> list[Any]:
        """The compiled closures only; raises :class:`Unsupported` where they stop."""
        if self.fast is None:
            raise Unsupported(self.expression)
        root = [Item(node, type_path)] if type_path else [node]
        result: list[Any] = output(self.fast(root, variables))
        return result


def compile_expression(expression: str) -> CompiledExpression:
    return CompiledExpression(expression)


__all__ = ["CompiledExpression", "Evaluator", "Unsupported", "compile_expression",
           "context_names"]
