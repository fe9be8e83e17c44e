"""The search parameters fhirsvc indexes and answers, built from the R4 SearchParameters.

Every non-experimental SearchParameter the project ships (``load_spec()``) becomes one
:class:`SearchParam` per resource type it applies to, with its FHIRPath expression cut
down to that type's branches and compiled once. Resource-level parameters (``_tag``,
``_profile`` …) are copied onto every type. Parameters the R4 package defines without
an expression (``_text``, ``_content``, ``_query``, ``_filter``) are not indexed: a search
naming them gets an "unsupported" issue. See https://hl7.org/fhir/R4/searchparameter.html.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fhirsvc.spec import R4Spec, load_spec
from fhirsvc.storage.fhirpath import Ast, Compiler, Evaluator, parse
from fhirsvc.storage.schema import ROW_FORMATS
from fhirsvc.storage.typemodel import TypeModel

#: Search parameter types whose values live in an index table of the same name.
INDEXED_TYPES = ("token", "string", "date", "reference", "quantity", "number", "uri")
#: Parameters answered from columns of the resource table itself.
COLUMN_PARAMS = {"_id": "id", "_lastUpdated": "last_updated"}
_RESOURCE_BASES = ("Resource", "DomainResource")
#: Composite components whose published R4 expressions are wrong, by the composite's url:
#: the expression each component really has. R4's DocumentReference ``relationship``
#: gives its reference part (``relatesto``) the expression ``code`` and its token part
#: (``relation``) ``target``, so as published no value ever matched (fixed in R4B).
_COMPONENT_EXPRESSIONS = {
    "http://hl7.org/fhir/SearchParameter/DocumentReference-relationship": ("target", "code"),
}


@dataclass(frozen=True)
class Component:
    """One part of a composite parameter: its type and expression relative to the base."""

    slot: str  # index key, e.g. "code-value-quantity$1"
    type: str
    evaluate: Evaluator = field(compare=False)
    #: The expression that replaced a wrong published one (see _COMPONENT_EXPRESSIONS).
    corrected: str | None = None


@dataclass(frozen=True)
class SearchParam:
    """A search parameter as it applies to one resource type."""

    resource_type: str
    code: str
    type: str
    url: str
    expression: str
    evaluate: Evaluator | None = field(default=None, compare=False)
    targets: tuple[str, ...] = ()
    components: tuple[Component, ...] = ()
    column: str | None = None  # "id" or "last_updated" for the two column parameters
    #: For tokens on a bare ``code`` bound to a one-system value set: that system.
    implied_system: str | None = None
    #: A string parameter matched by sound (``xpathUsage`` phonetic): Soundex keys.
    phonetic: bool = False
    #: A token parameter over Identifiers, which also answers ``:of-type``.
    of_type: bool = False

    def __repr__(self) -> str:
        return f"SearchParam({self.resource_type}.{self.code}: {self.type})"

    @property
    def fingerprint(self) -> str:
        """Changes when what gets indexed changes, so stored rows can be rebuilt."""
        kinds = sorted({kind for _, kind in self.slots})
        parts = [self.type, self.expression,
                 *(f"{c.slot}:{c.type}" + (f"={c.corrected}" if c.corrected else "")
                   for c in self.components),
                 *(f"{kind}@{ROW_FORMATS.get(kind, 1)}" for kind in kinds),
                 f"phonetic={self.phonetic}", f"of-type={self.of_type}"]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    @property
    def slots(self) -> tuple[tuple[str, str], ...]:
        """(index key, index table type) pairs the indexer writes for this parameter."""
        if self.column:
            return ()
        if self.type == "composite":
            return tuple((c.slot, c.type) for c in self.components)
        if self.of_type:
            return (self.code, self.type), (self.of_type_slot, "token")
        return ((self.code, self.type),)

    @property
    def of_type_slot(self) -> str:
        return f"{self.code}:of-type"


class SearchRegistry:
    """All search parameters by resource type and code; read-only once built."""

    def __init__(self, params: Iterable[SearchParam], unsupported: Mapping[str, str]) -> None:
        self._by_type: dict[str, dict[str, SearchParam]] = {}
        for param in params:
            self._by_type.setdefault(param.resource_type, {})[param.code] = param
        self.unsupported = dict(unsupported)  # code → reason
        #: Made once: every request checks its type against it.
        self.resource_types: frozenset[str] = frozenset(self._by_type)

    def for_type(self, resource_type: str) -> Mapping[str, SearchParam]:
        return self._by_type.get(resource_type, {})

    def get(self, resource_type: str, code: str) -> SearchParam | None:
        return self._by_type.get(resource_type, {}).get(code)

    def all(self) -> Iterable[SearchParam]:
        for params in self._by_type.values():
            yield from params.values()

    @classmethod
    def from_spec(
        cls, spec: R4Spec, extra: Iterable[Mapping[str, Any]] = ()
    ) -> SearchRegistry:
        """Build from the spec's SearchParameters plus ``extra`` ones (same JSON shape)."""
        builder = _Builder(spec)
        definitions = [
            sp for sp in spec.search_parameters.values() if not sp.get("experimental", False)
        ]
        params: list[SearchParam] = []
        unsupported: dict[str, str] = {}
        for definition in [*definitions, *extra]:
            if not definition.get("expression") and definition["code"] not in COLUMN_PARAMS:
                unsupported[definition["code"]] = "it has no expression fhirsvc can index"
                continue
            params.extend(builder.build(definition))
        return cls(params, unsupported)


@functools.cache
def default_registry() -> SearchRegistry:
    """The registry for the shipped R4 definitions (built once per process, ~0.5 s)."""
    return SearchRegistry.from_spec(load_spec())


class _Builder:
    def __init__(self, spec: R4Spec) -> None:
        self.spec = spec
        self.model = TypeModel(spec)
        self.compiler = Compiler(self.model)
        self.by_url = spec.search_parameters
        self.types = sorted(t for t in spec.resource_types)

    def build(self, definition: Mapping[str, Any]) -> list[SearchParam]:
        bases = set(definition["base"])
        applies = self.types if bases & set(_RESOURCE_BASES) else sorted(bases & set(self.types))
        built = (self._one(definition, resource_type) for resource_type in applies)
        return [param for param in built if param is not None]

    def _one(self, definition: Mapping[str, Any], resource_type: str) -> SearchParam | None:
        code = definition["code"]
        common = {"resource_type": resource_type, "code": code, "type": definition["type"],
                  "url": definition["url"], "targets": tuple(definition.get("target", ()))}
        if code in COLUMN_PARAMS:
            return SearchParam(expression=code, column=COLUMN_PARAMS[code], **common)
        ast = _branches_for(parse(definition["expression"]), resource_type)
        if ast is None:
            return None
        evaluate, out_types = self.compiler.node(ast, frozenset({resource_type}))
        composite = common["type"] == "composite"
        components = self._components(definition, out_types) if composite else ()
        token = common["type"] == "token"
        implied = self._implied_system(ast, resource_type) if token else None
        return SearchParam(expression=_render(ast), evaluate=evaluate, components=components,
                           implied_system=implied, of_type=token and "Identifier" in out_types,
                           phonetic=definition.get("xpathUsage") == "phonetic", **common)

    def _implied_system(self, ast: Ast, resource_type: str) -> str | None:
        """The code system of a plain path ending on a ``code`` bound to one system."""
        names: list[str] = []
        while ast.kind == "name" and ast.args:
            names.insert(0, ast.value)
            ast = ast.args[0]
        if ast.kind != "name" or ast.value not in (resource_type, *_RESOURCE_BASES) or not names:
            return None
        type_name = resource_type
        for name in names[:-1]:
            children = self.model.children(type_name, name)
            if len(children) != 1:
                return None
            type_name = children[0][1]
        leaf = self.model.children(type_name, names[-1])
        if [t for _, t in leaf] != ["code"]:
            return None
        binding = self.model.binding(f"{type_name}.{names[-1]}")
        return _single_system(self.spec, binding) if binding else None

    def _components(self, definition: Mapping[str, Any], base_types: frozenset[str]
                    ) -> tuple[Component, ...]:
        parts = []
        corrections = _COMPONENT_EXPRESSIONS.get(definition["url"])
        for position, component in enumerate(definition["component"]):
            referenced = self.by_url.get(component["definition"])
            if referenced is None:
                raise ValueError(
                    f"{definition['url']}: unknown component {component['definition']}"
                )
            corrected = corrections[position] if corrections else None
            expression = corrected or component["expression"]
            evaluate, _ = self.compiler.compile(expression, base_types)
            slot = f"{definition['code']}${position}"
            parts.append(Component(slot, referenced["type"], evaluate, corrected))
        return tuple(parts)


def _single_system(spec: R4Spec, value_set_url: str) -> str | None:
    value_set = spec.value_sets.get(value_set_url)
    includes = value_set.get("compose", {}).get("include", []) if value_set else []
    systems = {include.get("system") for include in includes}
    return systems.pop() if len(systems) == 1 and None not in systems else None


def _union_branches(ast: Ast) -> list[Ast]:
    if ast.kind == "binary" and ast.value == "|":
        return _union_branches(ast.args[0]) + _union_branches(ast.args[1])
    return [ast]


def _root_name(ast: Ast) -> str | None:
    while ast.args and ast.kind != "literal":
        ast = ast.args[0]
    return ast.value if ast.kind == "name" else None


def _branches_for(ast: Ast, resource_type: str) -> Ast | None:
    """Keep the union branches that start at ``resource_type`` (or at Resource)."""
    kept = [
        branch for branch in _union_branches(ast)
        if (root := _root_name(branch)) is None
        or not root[0].isupper()
        or root in (resource_type, *_RESOURCE_BASES)
    ]
    if not kept:
        return None
    tree = kept[0]
    for branch in kept[1:]:
        tree = Ast("binary", "|", (tree, branch))
    return tree


def _render(ast: Ast) -> str:
    """A canonical text of a (trimmed) expression, for fingerprints and capability listings."""
    if ast.kind == "literal":
        return json.dumps(ast.value)
    if ast.kind == "this":
        return "$this"
    if ast.kind == "name":
        return ".".join([*(_render(a) for a in ast.args), ast.value])
    if ast.kind == "call":
        focus, *args = ast.args
        call = f"{ast.value}({', '.join(_render(a) for a in args)})"
        return call if focus.kind == "this" else f"{_render(focus)}.{call}"
    left, right = ast.args
    return f"({_render(left)} {ast.value} {_render(right)})"
