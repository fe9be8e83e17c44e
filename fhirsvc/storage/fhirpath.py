"""The FHIRPath subset that SearchParameter expressions use, compiled to Python closures.

R4's search parameters are defined by expressions such as
``Condition.subject.where(resolve() is Patient)``, ``(Observation.value as Quantity)``,
``Observation.code | Observation.component.code`` or
``Patient.telecom.where(system='email')``. This module parses that subset (paths,
``|``, ``as``/``is``/``ofType``, ``where``, ``exists``, ``resolve``, ``extension``,
``=``/``!=``, ``and``/``or``, ``not``, ``first``, ``empty``) and compiles each expression
once into a closure that walks resource JSON. Indexing runs on every write, so
evaluation is plain dictionary lookups with the JSON keys worked out at compile time.
See https://hl7.org/fhirpath/N1/ and https://hl7.org/fhir/R4/fhirpath.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A value with its FHIR type (a type name, or a backbone element's path).
Node = tuple[Any, str]
Evaluator = Callable[[list[Node]], list[Node]]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^'\\]|\\.)*')|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)|(?P<op>!=|[.()|=,\[\]]))"
)
_BINARY_PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "|": 4, "is": 5, "as": 5}


class FhirPathError(ValueError):
    """An expression outside the supported subset, or malformed."""


@dataclass(frozen=True, slots=True)
class Ast:
    kind: str  # "name" | "literal" | "call" | "binary"
    value: Any = None
    args: tuple[Ast, ...] = ()


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FhirPathError(f"cannot read {text[position:]!r} in {text!r}")
        found.append(match.group(match.lastgroup or "op"))
        position = match.end()
    return found


class _Parser:
    """Precedence climbing over the token list (FHIRPath operator table, §6)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0

    def parse(self) -> Ast:
        tree = self.expression(0)
        if self.position != len(self.tokens):
            raise FhirPathError(f"unexpected {self.tokens[self.position]!r} in {self.text!r}")
        return tree

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise FhirPathError(f"expected {expected or 'more'} in {self.text!r}")
        self.position += 1
        return token

    def expression(self, min_precedence: int) -> Ast:
        left = self.postfix()
        while (op := self.peek()) in _BINARY_PRECEDENCE and _BINARY_PRECEDENCE[op] > min_precedence:
            self.take()
            if op in ("is", "as"):
                right = Ast("name", self.take().strip("`"))
            else:
                right = self.expression(_BINARY_PRECEDENCE[op])
            left = Ast("binary", op, (left, right))
        return left

    def postfix(self) -> Ast:
        node = self.term()
        while self.peek() in (".", "["):
            if self.take() == ".":
                node = self.invocation(node)
            else:
                node = Ast("call", "item", (node, self.expression(0)))
                self.take("]")
        return node

    def term(self) -> Ast:
        token = self.take()
        if token == "(":
            inner = self.expression(0)
            self.take(")")
            return inner
        if token.startswith("'"):
            return Ast("literal", re.sub(r"\\(.)", r"\1", token[1:-1]))
        if token in ("true", "false"):
            return Ast("literal", token == "true")
        if token[0].isdigit():
            return Ast("literal", float(token) if "." in token else int(token))
        return self.invocation(None, token)

    def invocation(self, focus: Ast | None, name: str | None = None) -> Ast:
        name = (name or self.take()).strip("`")
        if self.peek() != "(":
            return Ast("name", name, (focus,) if focus else ())
        self.take("(")
        args: list[Ast] = []
        while self.peek() != ")":
            args.append(self.expression(0))
            if self.peek() == ",":
                self.take(",")
        self.take(")")
        return Ast("call", name, (focus or Ast("this"), *args))


def parse(text: str) -> Ast:
    """Parse one expression of the supported subset."""
    return _Parser(text).parse()


# ---------------------------------------------------------------------------- compile

Types = frozenset[str]
_RESOURCE_BASES = ("Resource", "DomainResource")


class Compiler:
    """Turns an :class:`Ast` into an :data:`Evaluator`, resolving JSON keys statically."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def compile(self, text: str, input_types: Types) -> tuple[Evaluator, Types]:
        """Compile ``text`` for input nodes of ``input_types`` (e.g. ``{"Observation"}``)."""
        return self.node(parse(text), input_types)

    def node(self, ast: Ast, types: Types) -> tuple[Evaluator, Types]:
        handler = getattr(self, f"_{ast.kind}")
        result: tuple[Evaluator, Types] = handler(ast, types)
        return result

    def _this(self, ast: Ast, types: Types) -> tuple[Evaluator, Types]:
        return (lambda nodes: nodes), types

    def _literal(self, ast: Ast, types: Types) -> tuple[Evaluator, Types]:
        value: list[Node] = [(ast.value, type(ast.value).__name__)]
        return (lambda nodes: value), frozenset({value[0][1]})

    def _name(self, ast: Ast, types: Types) -> tuple[Evaluator, Types]:
        if ast.args:
            focus, focus_types = self.node(ast.args[0], types)
            step, out = self._navigate(ast.value, focus_types)
            return (lambda nodes: step(focus(nodes))), out
        if ast.value[0].isupper() and self.model.is_resource(ast.value):
            return self._type_filter(ast.value, types)
        return self._navigate(ast.value, types)

    def _navigate(self, name: str, types: Types) -> tuple[Evaluator, Types]:
        table = {t: self.model.children(t, name) for t in types}
        out = frozenset(child_type for children in table.values() for _, child_type in children)

        def step(nodes: list[Node]) -> list[Node]:
            found: list[Node] = []
            for value, type_name in nodes:
                if not isinstance(value, dict):
                    continue
                children = table.get(type_name)
                if children is None:
                    children = table[type_name] = self.model.children(type_name, name)
                for key, child_type in children:
                    child = value.get(key)
                    if child is None:
                        continue
                    if isinstance(child, list):
                        found.extend((item, child_type) for item in child if item is not None)
                    else:
                        found.append((child, child_type))
            return found

        return step, out

    def _type_filter(self, type_name: str, types: Types) -> tuple[Evaluator, Types]:
        matches = self._matcher(type_name)
        if types and all(matches(t) for t in types):
            return (lambda nodes: nodes), types  # statically true: no run-time check
        return (lambda nodes: [n for n in nodes if matches(n[1])]), frozenset(
            t for t in types if matches(t)
        ) or frozenset({type_name})

    def _matcher(self, type_name: str) -> Callable[[str], bool]:
        lowered = type_name.lower()
        if type_name in _RESOURCE_BASES:
            return lambda t: t == type_name or self.model.is_resource(t)
        return lambda t: t == type_name or t.lower() == lowered

    def _binary(self, ast: Ast, types: Types) -> tuple[Evaluator, Types]:
        left, left_types = self.node(ast.args[0], types)
        if ast.value in ("as", "is"):
            return self._typed(ast.value, left, left_types, ast.args[1].value)
        right, right_types = self.node(ast.args[1], types)
        if ast.value == "|":
            return (lambda nodes: left(nodes) + right(nodes)), left_types | right_types
        combine = _COMBINERS[ast.value]
        return (lambda nodes: combine(left(nodes), right(nodes))), frozenset({"boolean"})

    def _typed(
        self, op: str, focus: Evaluator, types: Types, type_name: str
    ) -> tuple[Evaluator, Types]:
        filtered, out = self._type_filter(type_name, types)
        if op in ("as", "ofType"):
            return (lambda nodes: filtered(focus(nodes))), out
        return (lambda nodes: _boolean(bool(filtered(focus(nodes))))), frozenset({"boolean"})

    def _call(self, ast: Ast, types: Types) -> tuple[Evaluator, Types]:
        focus, focus_types = self.node(ast.args[0], types)
        name, args = ast.value, ast.args[1:]
        if name in ("as", "ofType", "is"):
            return self._typed(name, focus, focus_types, args[0].value)
        if name == "where":
            criterion, _ = self.node(args[0], focus_types)
            return (
                lambda nodes: [n for n in focus(nodes) if _is_true(criterion([n]))]
            ), focus_types
        if name == "extension":
            url = args[0].value
            return (lambda nodes: _extensions(focus(nodes), url)), frozenset({"Extension"})
        if name == "item":
            position = args[0].value
            return (lambda nodes: focus(nodes)[position : position + 1]), focus_types
        if name == "resolve":
            return (lambda nodes: _resolve(focus(nodes))), frozenset(self.model.spec.resource_types)
        function = _FUNCTIONS.get(name)
        if function is None or args:
            raise FhirPathError(f"function {name}() is outside the supported subset")
        return (lambda nodes: function(focus(nodes))), frozenset({"boolean"}) | focus_types


def _boolean(value: bool) -> list[Node]:
    return [(value, "boolean")]


def _is_true(nodes: list[Node]) -> bool:
    return len(nodes) == 1 and nodes[0][0] is True


def _singleton(nodes: list[Node]) -> bool | None:
    return nodes[0][0] if len(nodes) == 1 and isinstance(nodes[0][0], bool) else None


def _equal(left: list[Node], right: list[Node]) -> list[Node]:
    if not left or not right:
        return []
    return _boolean([v for v, _ in left] == [v for v, _ in right])


def _not_equal(left: list[Node], right: list[Node]) -> list[Node]:
    result = _equal(left, right)
    return _boolean(not result[0][0]) if result else []


def _and(left: list[Node], right: list[Node]) -> list[Node]:
    a, b = _singleton(left), _singleton(right)
    if a is False or b is False:
        return _boolean(False)
    return _boolean(True) if a is True and b is True else []


def _or(left: list[Node], right: list[Node]) -> list[Node]:
    a, b = _singleton(left), _singleton(right)
    if a is True or b is True:
        return _boolean(True)
    return _boolean(False) if a is False and b is False else []


_COMBINERS: dict[str, Callable[[list[Node], list[Node]], list[Node]]] = {
    "=": _equal, "!=": _not_equal, "and": _and, "or": _or,
}
_FUNCTIONS: dict[str, Callable[[list[Node]], list[Node]]] = {
    "exists": lambda nodes: _boolean(bool(nodes)),
    "empty": lambda nodes: _boolean(not nodes),
    "not": lambda nodes: [] if _singleton(nodes) is None else _boolean(not _singleton(nodes)),
    "first": lambda nodes: nodes[:1],
}


def _extensions(nodes: list[Node], url: str) -> list[Node]:
    return [
        (extension, "Extension")
        for value, _ in nodes
        if isinstance(value, dict)
        for extension in value.get("extension", ())
        if extension.get("url") == url
    ]


def reference_target_type(reference: dict[str, Any]) -> str | None:
    """The resource type a Reference points at, read from ``reference`` or ``type``."""
    literal = reference.get("reference")
    if isinstance(literal, str) and "/" in literal and not literal.startswith("#"):
        parts = literal.split("/_history/", 1)[0].rstrip("/").split("/")
        if len(parts) >= 2 and parts[-2][:1].isupper():
            return parts[-2]
    declared = reference.get("type")
    return declared.rsplit("/", 1)[-1] if isinstance(declared, str) else None


def _resolve(nodes: list[Node]) -> list[Node]:
    """``resolve()`` without a database: enough to answer ``resolve() is Patient``."""
    resolved: list[Node] = []
    for value, _ in nodes:
        target = reference_target_type(value) if isinstance(value, dict) else None
        if target:
            resolved.append((value, target))
    return resolved
