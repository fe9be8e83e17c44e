"""``parse_search``: request parameters (as received, GET or POST) → :class:`SearchQuery`.

Unknown or unsupported parameters become warning issues for the OperationOutcome entry
of the searchset, or an ``InvalidRequest`` (400) when ``strict`` (``Prefer:
handling=strict``). Malformed values and modifiers the parameter type does not have are
always refused with 400, since ignoring them would silently widen the result.
See https://hl7.org/fhir/R4/search.html#errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fhirsvc.errors import InvalidRequest, NotFound, TooCostly
from fhirsvc.memo import remember_short
from fhirsvc.outcome import Issue, Severity
from fhirsvc.storage.registry import SearchParam, SearchRegistry, default_registry
from fhirsvc.storage.search.control import ControlParser, UnknownParameter
from fhirsvc.storage.search.query import Condition, Criterion, ReverseChain, SearchQuery
from fhirsvc.storage.search.values import (
    PARSERS,
    parse_of_type,
    parse_reference_value,
    split_keeping_escapes,
)

#: Modifiers each parameter type accepts (reference also takes a resource type name).
MODIFIERS = {
    "string": {"exact", "contains", "missing"},
    "token": {"missing", "not", "text", "of-type"},
    "reference": {"missing", "identifier"},
    "date": {"missing"},
    "number": {"missing"},
    "quantity": {"missing"},
    "uri": {"missing", "above", "below"},
    "composite": {"missing"},
}
#: Parameters the HTTP layer consumes; kept in links, not searched on.
SERVER_PARAMS = {"_format", "_pretty"}
#: The most criteria (parameters searched on, ANDed) one search takes, counted once per
#: searched type (a system search parses each for every type in ``_type``): each is a
#: subquery, and PostgreSQL's planning time grows faster than their number (40: 0.2 s,
#: 100: 3 s, 200: 50 s on the benchmark machine), so a few thousand kept a backend busy
#: for hours.
MAX_CRITERIA = 30
#: The most values (ORed, comma-separated) all criteria of one search hold together, as
#: its SQL holds them: once per searched type and once per type a chain may reach
#: (``subject.name`` searches the names of each type ``subject`` refers to).
MAX_VALUES = 500
#: The most references one criterion follows in a row (``subject.organization.name``,
#: each ``_has:``); every one nests a subquery.
MAX_LINKS = 3
#: The most references all criteria of one search follow together (each type a chain may
#: reach counted): thirty criteria three references deep take PostgreSQL half a second
#: to plan.
MAX_ALL_LINKS = MAX_CRITERIA * MAX_LINKS

def parse_search(
    resource_type: str,
    params: Sequence[tuple[str, str]],
    *,
    strict: bool = False,
    registry: SearchRegistry | None = None,
    default_count: int = 20,
    max_count: int = 1000,
) -> SearchQuery:
    """Parse the (name, value) pairs of a search on ``resource_type``."""
    registry = registry or default_registry()
    if resource_type not in registry.resource_types:
        raise NotFound(f"Unknown resource type {resource_type!r}")
    control = ControlParser(resource_type, registry, default_count, max_count)
    by_type, issues, kept = _walk(registry, control, params, strict)
    return control.build(conditions=by_type[resource_type], issues=issues, params=kept)


def parse_types(values: Iterable[str], registry: SearchRegistry) -> tuple[str, ...]:
    """The types a ``_type`` parameter names (comma-separated, each once, in order); an
    unknown type is refused (https://hl7.org/fhir/R4/search.html#_type)."""
    named = tuple(dict.fromkeys(t.strip() for v in values for t in v.split(",") if t.strip()))
    unknown = sorted(set(named) - registry.resource_types)
    if unknown:
        raise InvalidRequest(f"_type names types this server does not serve: "
                             f"{', '.join(unknown)}")
    return named


def parse_system_search(
    params: Sequence[tuple[str, str]],
    *,
    strict: bool = False,
    registry: SearchRegistry | None = None,
    default_count: int = 20,
    max_count: int = 1000,
) -> SearchQuery:
    """Parse a system-level search (``[base]?…``, https://hl7.org/fhir/R4/http.html#search).

    ``_type`` lists the searched types (all by default); a parameter must be defined for
    every searched type, so without ``_type`` only those common to all resources apply
    (https://hl7.org/fhir/R4/search.html#_type).
    """
    registry = registry or default_registry()
    named = parse_types((v for k, v in params if k == "_type"), registry)
    types = named or tuple(sorted(registry.resource_types))
    control = ControlParser("", registry, default_count, max_count, types)
    by_type, issues, kept = _walk(registry, control, [p for p in params if p[0] != "_type"],
                                  strict)
    type_pairs = [("_type", ",".join(named))] if named else []
    return control.build(across=tuple(by_type.items()), issues=issues,
                         params=(*type_pairs, *kept))


def _walk(registry: SearchRegistry, control: ControlParser, params: Sequence[tuple[str, str]],
          strict: bool) -> tuple[dict[str, tuple[Condition, ...]], tuple[Issue, ...],
                                 tuple[tuple[str, str], ...]]:
    """Conditions per searched type, issues and the pairs links repeat: each result
    parameter goes to ``control``, each criterion is parsed for every searched type."""
    conditions: dict[str, list[Condition]] = {t: [] for t in control.types}
    issues: list[Issue] = []
    kept: list[tuple[str, str]] = []
    size = _Size()
    for name, value in params:
        if name != "_cursor":
            kept.append((name, value))
        if name in SERVER_PARAMS or not value.strip(","):
            continue  # an empty value, or a list of empty alternatives, asks nothing
        try:
            if not control.take(name, value):
                _check_links(registry, control.types, name)
                parsed = _conditions(registry, control.types, name, value)
                size.add(parsed.values())
                for resource_type, condition in parsed.items():
                    conditions[resource_type].append(condition)
        except UnknownParameter as unknown:
            if strict:
                raise InvalidRequest(str(unknown)) from None
            issues.append(Issue(Severity.WARNING, "not-supported", f"{unknown} (ignored)"))
    return ({t: tuple(c) for t, c in conditions.items()}, (*issues, *control.issues),
            tuple(kept))


def _check_links(registry: SearchRegistry, types: tuple[str, ...], name: str) -> None:
    """400 for a parameter of a searched type followed through more than
    :data:`MAX_LINKS` references, before it is parsed: a chain parses once per type each
    reference may reach, so the parsing itself grows with the depth. A name whose first
    parameter (or ``_has`` type) is unknown is left to be ignored as unknown."""
    links = name.count(".") + name.count("_has:")
    if links <= MAX_LINKS:
        return
    if name.startswith("_has:"):
        known = name.split(":")[1] in registry.resource_types
    else:
        code = name.partition(".")[0].partition(":")[0]
        known = any(registry.get(t, code) is not None for t in types)
    if known:
        raise TooCostly(f"{name!r} follows {links} references; a criterion follows at most "
                        f"{MAX_LINKS} (each . and _has: one)")


class _Size:
    """How large the search parsed so far is, counted as its SQL will be (once per
    searched type, each type a chain reaches counted); 400 ``too-costly`` once it is
    larger than any database here answers in reasonable time (or at all), before a
    statement is made of it. Only criteria parsed count: an ignored parameter costs
    nothing."""

    def __init__(self) -> None:
        self.criteria = self.values = self.links = 0

    def add(self, conditions: Iterable[Condition]) -> None:
        for condition in conditions:
            self.criteria += 1
            values, links = _cost(condition)
            self.values += values
            self.links += links
        if self.criteria > MAX_CRITERIA:
            raise TooCostly(f"A search takes at most {MAX_CRITERIA} criteria (parameters "
                            "other than _count, _sort, _include…, each counted once per "
                            "type searched)")
        if self.values > MAX_VALUES:
            raise TooCostly(f"A search takes at most {MAX_VALUES} values in all (each "
                            "criterion's comma-separated values, counted once per type "
                            "searched and per type a chain reaches)")
        if self.links > MAX_ALL_LINKS:
            raise TooCostly(f"A search follows at most {MAX_ALL_LINKS} references in all "
                            "(each . and _has:, counted per type searched and per type a "
                            "chain reaches)")


def _cost(condition: Condition) -> tuple[int, int]:
    """(values, references) of ``condition``'s SQL: a chain repeats its inner condition
    for each type it may reach."""
    if isinstance(condition, ReverseChain):
        values, links = _cost(condition.criterion)
        return values, links + 1
    if not condition.chain:
        return max(len(condition.values), 1), 0
    costs = [_cost(inner) for _, inner in condition.chain]
    return sum(v for v, _ in costs), sum(n for _, n in costs) + len(costs)


def _conditions(registry: SearchRegistry, types: tuple[str, ...], name: str, value: str
                ) -> dict[str, Condition]:
    """``name=value`` parsed for each searched type; across several types, one lacking the
    parameter makes it unknown for the whole search."""
    try:
        return {t: _condition(registry, t, name, value) for t in types}
    except UnknownParameter as unknown:
        if len(types) == 1:
            raise
        raise UnknownParameter(f"{unknown}; a search across types takes only the parameters "
                               f"every searched type has (narrow it with _type)") from None


@remember_short(maxsize=1024)
def _condition(registry: SearchRegistry, resource_type: str, name: str, value: str) -> Condition:
    """``name=value`` on ``resource_type``; remembered (conditions are frozen, a registry
    is read-only once built, errors are raised again each time), since clients repeat
    their searches and parsing one cost as much as its SQL statement in Python."""
    if name.startswith("_has:"):
        return _reverse_chain(registry, resource_type, name, value)
    head, _, chained_name = name.partition(".")
    code, _, modifier = head.partition(":")
    param = _param(registry, resource_type, code)
    if chained_name:
        return _chain(registry, param, modifier or None, chained_name, value)
    return criterion(param, modifier or None, value, registry)


def _param(registry: SearchRegistry, resource_type: str, code: str) -> SearchParam:
    param = registry.get(resource_type, code)
    if param is None:
        reason = registry.unsupported.get(code)
        detail = f"is not supported: {reason}" if reason else "is not known"
        raise UnknownParameter(f"Search parameter {code!r} {detail} for {resource_type}")
    return param


def criterion(param: SearchParam, modifier: str | None, value: str,
              registry: SearchRegistry) -> Criterion:
    """One ``code[:modifier]=value`` occurrence on ``param``."""
    if param.column and modifier not in (None, "not" if param.column == "id" else None):
        raise InvalidRequest(f"{param.code} takes no :{modifier} modifier")
    if modifier == "missing":
        if value not in ("true", "false"):
            raise InvalidRequest(f"{param.code}:missing takes true or false, not {value!r}")
        return Criterion(param, modifier, missing=value == "true")
    type_modifier = _check_modifier(param, modifier, registry)
    # ``a,,b`` asks what ``a,b`` asks: an empty alternative names no value
    alternatives = [v for v in split_keeping_escapes(value, ",") if v]
    if modifier == "of-type":
        return Criterion(param, modifier, tuple(parse_of_type(v, param) for v in alternatives))
    if type_modifier:
        values = tuple(parse_reference_value(v, param, type_modifier) for v in alternatives)
        return Criterion(param, None, values)
    kind = {"text": "string", "identifier": "token"}.get(modifier or "", param.type)
    return Criterion(param, modifier, tuple(PARSERS[kind](v, param) for v in alternatives))


def _check_modifier(param: SearchParam, modifier: str | None, registry: SearchRegistry
                    ) -> str | None:
    """None for a plain modifier; the type name for a reference ``:Type`` modifier."""
    if modifier == "of-type" and not param.of_type:
        raise InvalidRequest(f"{param.code} is not an identifier parameter; :of-type needs one")
    if modifier is None or modifier in MODIFIERS.get(param.type, set()):
        return None
    if param.type == "reference" and modifier in registry.resource_types:
        if param.targets and modifier not in param.targets:
            raise InvalidRequest(f"{param.code} cannot refer to a {modifier}")
        return modifier
    raise InvalidRequest(
        f"Modifier ':{modifier}' is not supported for {param.type} parameter {param.code!r}"
    )


def _chain(registry: SearchRegistry, param: SearchParam, modifier: str | None,
           chained_name: str, value: str) -> Criterion:
    """``subject:Patient.name=x`` or ``patient.organization.name=x`` (any depth)."""
    if param.type != "reference":
        raise InvalidRequest(f"{param.code} is a {param.type} parameter and cannot be chained")
    if modifier is not None and modifier not in registry.resource_types:
        raise InvalidRequest(f"{param.code}:{modifier} cannot be chained")
    candidates = [modifier] if modifier else [
        t for t in (param.targets or sorted(registry.resource_types))
        if t in registry.resource_types
    ]
    chain: list[tuple[str, Condition]] = []
    for target in candidates:
        try:
            chain.append((target, _condition(registry, target, chained_name, value)))
        except UnknownParameter:
            continue
    if not chain:
        raise UnknownParameter(
            f"Chained parameter {chained_name!r} is not known on any target of {param.code!r}"
        )
    return Criterion(param, chain=tuple(chain))


def _reverse_chain(registry: SearchRegistry, resource_type: str, name: str, value: str
                   ) -> ReverseChain:
    parts = name.split(":", 3)
    if len(parts) != 4 or not all(parts[1:]):
        raise InvalidRequest(f"{name!r}: _has takes _has:Type:reference:parameter")
    _, source_type, reference_code, rest = parts
    if source_type not in registry.resource_types:
        raise UnknownParameter(f"_has names unknown resource type {source_type!r}")
    reference = _param(registry, source_type, reference_code)
    if reference.type != "reference" or (
        reference.targets and resource_type not in reference.targets
    ):
        raise InvalidRequest(f"{source_type}.{reference_code} cannot refer to a {resource_type}")
    return ReverseChain(source_type, reference, _condition(registry, source_type, rest, value))
