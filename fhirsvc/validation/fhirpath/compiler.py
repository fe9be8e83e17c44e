"""Compile FHIRPath into Python closures, for the subset R4's invariants use.

fhirpathpy interprets its parse tree on every call (one dictionary dispatch per tree
node, a ``ResourceNode`` per value, a parameter check per operand); an invariant
such as ``dataAbsentReason.empty() or value.empty()`` costs about 100 µs that way.
This module walks the same parse tree once and returns nested closures that do
only the work left, with fhirpathpy's semantics (:mod:`.functions`, :mod:`.operators`).
Whatever it does not cover raises :class:`Unsupported`, at compile time (an unknown
function, a non-literal argument) or at run time (a value it does not handle, an
error fhirpathpy would report); the caller then asks fhirpathpy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fhirpathpy.parser import parse

from fhirsvc.validation.fhirpath import functions, operators
from fhirsvc.validation.fhirpath.functions import Env, Fn
from fhirsvc.validation.fhirpath.nodes import R4_MODEL, Navigator, Unsupported

Tree = dict[str, Any]

#: %names the invariant checker always defines
VARIABLES = frozenset({"resource", "rootResource", "ucum"})
#: types ``is``/``ofType`` compile for: concrete resource types, whose check is a name match
RESOURCE_TYPES = frozenset(
    name for name, parent in R4_MODEL["type2Parent"].items()
    if parent in ("DomainResource", "Resource") and name != "DomainResource")
_ESCAPES = (("\\'", "'"), ("\\`", "`"), ('\\"', '"'), ("\\r", "\r"), ("\\n", "\n"),
            ("\\t", "\t"), ("\\f", "\f"), ("\\\\", "\\"))


def compile_fhirpath(expression: str, navigator: Navigator) -> Fn:
    """``expression`` as a closure ``(collection, variables) -> collection``."""
    return compile_tree(parse(expression), navigator)  # type: ignore[no-untyped-call]


def compile_tree(tree: Tree, navigator: Navigator) -> Fn:
    """The same from fhirpathpy's parse tree of the expression."""
    return _Compiler(navigator).compile(tree["children"][0], False)


class _Compiler:
    def __init__(self, navigator: Navigator) -> None:
        self.navigator = navigator

    def compile(self, node: Tree, this_set: bool) -> Fn:
        """``this_set``: ``$this`` is defined where the node is evaluated (fhirpathpy sets
        it for operands and expression arguments, not for the expression's first term).

        A part outside the subset compiles to a closure that raises when it is reached,
        so an expression whose unsupported part sits in an argument that is seldom
        evaluated (dom-3's ``contained.where(…)``) still runs compiled on most nodes."""
        try:
            return self._compile(node, this_set)
        except Unsupported as exc:
            reason = str(exc)

            def unsupported(data: list[Any], env: Env) -> list[Any]:
                raise Unsupported(reason)
            return unsupported

    def _compile(self, node: Tree, this_set: bool) -> Fn:
        kind = node.get("type")
        if kind in ("TermExpression", "InvocationTerm", "ParenthesizedTerm", "LiteralTerm"):
            children = node.get("children") or [None]
            if children[0] is None:
                raise Unsupported(kind)
            return self.compile(children[0], this_set)
        method: Callable[[Tree, bool], Fn] | None = getattr(self, f"_{kind}", None)
        if method is None:
            raise Unsupported(str(kind))
        return method(node, this_set)

    # ------------------------------------------------------------ terms

    def _StringLiteral(self, node: Tree, this_set: bool) -> Fn:
        return _constant(_string(node["text"]))

    def _NumberLiteral(self, node: Tree, this_set: bool) -> Fn:
        number = Decimal(node["text"])
        return _constant(int(number) if number == int(number) else number)

    def _BooleanLiteral(self, node: Tree, this_set: bool) -> Fn:
        return _constant(node["text"] == "true")

    def _NullLiteral(self, node: Tree, this_set: bool) -> Fn:
        return lambda data, env: []

    def _ExternalConstantTerm(self, node: Tree, this_set: bool) -> Fn:
        name = _identifier(node["children"][0]["children"][0])
        if name not in VARIABLES:
            raise Unsupported(f"%{name}")

        def variable(data: list[Any], env: Env) -> list[Any]:
            value = env[name]
            return [] if value is None else value if isinstance(value, list) else [value]
        return variable

    def _ThisInvocation(self, node: Tree, this_set: bool) -> Fn:
        if not this_set:
            raise Unsupported("$this outside an argument or operand")
        return lambda data, env: data

    # ------------------------------------------------------------ invocations

    def _InvocationExpression(self, node: Tree, this_set: bool) -> Fn:
        """``a.b.f().c.d``: the parser nests one invocation per level; the chain is
        flattened, and each run of member steps becomes one path walk."""
        links: list[Tree] = []
        head = node
        while head.get("type") == "InvocationExpression":
            first, *rest = head["children"]
            links[:0] = rest
            head = first
        steps = [self.compile(head, this_set)]
        members: list[Callable[[list[Any]], list[Any]]] = []
        for link in links:
            navigate = self._navigation(link)
            if navigate is not None:
                members.append(navigate)
                continue
            if members:
                steps.append(_path(members))
                members = []
            steps.append(self.compile(link, False))
        if members:
            steps.append(_path(members))
        return _chain(steps)

    def _navigation(self, node: Tree) -> Callable[[list[Any]], list[Any]] | None:
        if node.get("type") != "MemberInvocation":
            return None
        try:
            return self.navigator.member(_member_key(node))
        except Unsupported:
            return None

    def _MemberInvocation(self, node: Tree, this_set: bool) -> Fn:
        navigate = self.navigator.member(_member_key(node))
        return lambda data, env: navigate(data)

    def _FunctionInvocation(self, node: Tree, this_set: bool) -> Fn:
        functn = node["children"][0]
        name = _identifier(functn["children"][0])
        params = functn["children"][1]["children"] if len(functn["children"]) > 1 else []
        if name == "trace":
            params = params[:1]
        if not params and name in functions.NO_ARGUMENTS:
            return functions.NO_ARGUMENTS[name]
        if len(params) == 1 and name in functions.WITH_EXPRESSION:
            return functions.WITH_EXPRESSION[name](self.compile(params[0], True))
        if len(params) == 1 and name in functions.WITH_TYPE:
            type_name = params[0].get("text", "").replace("`", "")
            if type_name not in RESOURCE_TYPES:
                raise Unsupported(f"{name}({type_name})")
            return functions.WITH_TYPE[name](type_name)
        if name in functions.WITH_VALUES:
            kinds, factory = functions.WITH_VALUES[name]
            if not 1 <= len(params) <= len(kinds):
                raise Unsupported(f"{name} with {len(params)} arguments")
            run = factory(*(_literal(p, kind) for p, kind in zip(params, kinds, strict=False)))
            if name in functions.NULLABLE_INPUT:
                return lambda data, env: run(data, env) if data else []
            return run
        raise Unsupported(f"function {name}")

    # ------------------------------------------------------------ operators

    def _operator(self, node: Tree, symbol: str) -> Fn:
        left, right = (self.compile(child, True) for child in node["children"])
        return operators.binary(symbol, left, right)

    def _EqualityExpression(self, node: Tree, this_set: bool) -> Fn:
        return self._operator(node, node["terminalNodeText"][0])

    _InequalityExpression = _EqualityExpression
    _AndExpression = _EqualityExpression
    _OrExpression = _EqualityExpression
    _XorExpression = _EqualityExpression
    _ImpliesExpression = _EqualityExpression
    _AdditiveExpression = _EqualityExpression
    _MembershipExpression = _EqualityExpression


def _member_key(node: Tree) -> str:
    key = _identifier(node["children"][0])
    if not key or key[0] == key[0].upper() or key == "length":
        raise Unsupported(f"member {key!r}")  # type names and length: fhirpathpy's own rules
    return key


def _path(steps: list[Callable[[list[Any]], list[Any]]]) -> Fn:
    if len(steps) == 1:
        only = steps[0]
        return lambda data, env: only(data)

    def walk(data: list[Any], env: Env) -> list[Any]:
        for step in steps:
            data = step(data)
        return data
    return walk


def _chain(steps: list[Fn]) -> Fn:
    if len(steps) == 1:
        return steps[0]
    if len(steps) == 2:
        first, second = steps
        return lambda data, env: second(first(data, env), env)

    def chain(data: list[Any], env: Env) -> list[Any]:
        for step in steps:
            data = step(data, env)
        return data
    return chain


def _constant(value: Any) -> Fn:
    result = [value]
    return lambda data, env: list(result)


def _identifier(node: Tree) -> str:
    return str(re.sub(r'(^"|"$)', "", node["text"])).replace("`", "")


def _string(text: str) -> str:
    """A string literal's value, unescaped as fhirpathpy does."""
    value = re.sub(r"^['\"]|['\"]$", "", text)
    for escaped, plain in _ESCAPES:
        value = value.replace(escaped, plain)
    if re.search(r"\\u\d{4}", value):
        raise Unsupported("unicode escape")
    return value


def _literal(node: Tree, kind: str) -> Any:
    """A function argument: only literals compile (fhirpathpy evaluates any other
    argument on the enclosing ``$this``, which the closures do not track)."""
    term = node
    while term.get("type") in ("TermExpression", "LiteralTerm") and term.get("children"):
        term = term["children"][0]
    if term.get("type") == "StringLiteral" and kind == "String":
        return _string(term["text"])
    if term.get("type") == "NumberLiteral" and kind == "Integer":
        number = Decimal(term["text"])
        if number != int(number):
            raise Unsupported("a non-integer argument")
        return int(number)
    raise Unsupported(f"argument {term.get('text')!r}")
