"""Search conditions → SQL over the index tables.

Every condition compiles two ways: as a *rid set* (``FROM … d WHERE …`` yielding the
``d.rid`` of matching resources, used to drive the query from the most selective
condition's B-tree in rid order) and as a *test* on a given rid (``EXISTS (…)`` through
the (rid, p) index, for the other conditions). Negative conditions (``:not``,
``:missing=true``) only have a test. Chains and ``_has`` nest rid sets of the other
resource type (https://hl7.org/fhir/R4/search.html#chaining); their *correlated* test
follows the references of the one resource tested instead, which costs a few index
lookups per resource however many resources the inner condition matches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from fhirsvc.errors import InvalidRequest
from fhirsvc.storage.db import Slots
from fhirsvc.storage.registry import SearchParam
from fhirsvc.storage.search.predicates import Sql, any_of, date, date_buckets, either
from fhirsvc.storage.search.query import (
    CompositeValue,
    Condition,
    Criterion,
    ReferenceValue,
    ReverseChain,
    StringValue,
    TokenValue,
    UriValue,
)

#: Ends a correlated ``EXISTS`` subquery so that PostgreSQL runs it for each resource
#: tested: without it the planner may turn it into a join or a hashed subplan, planned
#: from the inner side, which reads every match of the inner condition: the very cost a
#: walk over a few resources is meant to avoid.
FENCE = " LIMIT 1 OFFSET 0"
_RANK = {"reference": 1, "token": 3, "composite": 5, "uri": 5, "date": 6, "string": 6,
         "quantity": 6, "number": 6}


@dataclass
class RidSet:
    """``SELECT d.rid FROM {source} WHERE {where}`` with the parameters in that order."""

    source: str
    where: str
    params: list[Any] = field(default_factory=list)
    rank: int = 9  # lower drives better (more selective, served by an index)
    alias: str = "d"
    #: The index hands the rows over in rid order (one value looked up by equality), so
    #: a page in rid order stops after its last row instead of sorting every match.
    ordered: bool = False
    #: Alternative ``where``s whose union is ``where``'s matches, each listed in rid order
    #: by its index (a date range by time bucket), so a page in rid order reads a few
    #: rows of each instead of sorting every match.
    branches: tuple[Sql, ...] = ()

    def select(self) -> Sql:
        return f"SELECT {self.alias}.rid FROM {self.source} WHERE {self.where}", self.params


class ConditionCompiler:
    """Compiles conditions for one search; aliases are unique across nesting levels."""

    def __init__(self, slots: Slots) -> None:
        self.slots = slots
        self._names = itertools.count(1)

    def alias(self) -> str:
        return f"a{next(self._names)}"

    # ------------------------------------------------------------------ entry points

    def rid_set(self, condition: Condition, resource_type: str) -> RidSet | None:
        """The driving form, or None for a condition that only excludes."""
        if isinstance(condition, ReverseChain):
            return self._has(condition, resource_type)
        if condition.param.column:
            return None if condition.modifier == "not" else self._column(condition, resource_type)
        if condition.chain:
            return self._chain(condition)
        if condition.missing is not None:
            return None if condition.missing else self._present(condition.param)
        if condition.modifier == "not":
            return None
        return self._indexed(condition)

    def test(self, condition: Condition, resource_type: str, rid: str,
             correlated: bool = False) -> Sql:
        """A boolean SQL expression: does the resource with rid ``rid`` match?

        A chain or ``_has`` is by default tested against the set of every resource it
        matches (cheap when that set is small). A ``correlated`` test follows the
        references of the resource at hand instead (cheap however large that set, for
        walking many resources), each ``EXISTS`` fenced (:data:`FENCE`)."""
        if correlated and isinstance(condition, ReverseChain):
            return self._has_test(condition, resource_type, rid)
        if correlated and isinstance(condition, Criterion) and condition.chain:
            return self._chain_test(condition, rid)
        if isinstance(condition, ReverseChain) or condition.chain:
            sql, params = self._required(condition, resource_type).select()
            return f"{rid} IN ({sql})", params
        if condition.param.column:
            found = self._column(condition, resource_type)
        elif condition.missing is not None:
            found = self._present(condition.param)
        else:
            found = self._indexed(condition)
        sql, params = self._exists(found, rid, correlated)
        negated = condition.missing is True or condition.modifier == "not"
        return (f"NOT {sql}" if negated else sql), params

    def select_all(self, condition: Condition, resource_type: str) -> Sql:
        """A full ``SELECT rid`` of the matches, negative conditions included."""
        found = self.rid_set(condition, resource_type)
        if found is not None:
            return found.select()
        a = self.alias()
        sql, params = self.test(condition, resource_type, f"{a}.rid")
        return (f"SELECT {a}.rid FROM resource {a} WHERE {a}.type = ? AND {a}.deleted = 0 "
                f"AND {sql}", [resource_type, *params])

    def _required(self, condition: Condition, resource_type: str) -> RidSet:
        found = self.rid_set(condition, resource_type)
        assert found is not None
        return found

    def _exists(self, found: RidSet, rid: str, fenced: bool = False) -> Sql:
        """``EXISTS`` through the rid index: the ``+`` keeps ``p`` out of index choice, so
        no (p, value…) index is scanned to test a single resource.

        Except in a ``fenced`` test of one value matched by equality (``ordered``): there
        the (p, value, rid) B-tree finds the one entry of (p, value, this rid) from the
        index alone, in a few pages that a walk visits again and again, where the rid
        index visits every index row of the resource in the table (ten tokens per
        Observation, scattered over a table far larger than the cache at a million
        resources). Unfenced, PostgreSQL could turn such a test into a merge join reading
        that B-tree from the start (every Observation of a code up to the last one of a
        patient's)."""
        where = found.where
        if where.startswith(f"{found.alias}.p = ?") and not (fenced and found.ordered):
            where = "+" + where
        return (f"EXISTS (SELECT 1 FROM {found.source} WHERE {found.alias}.rid = {rid} "
                f"AND {where}{FENCE if fenced else ''})", found.params)

    # --------------------------------------------------------------------- the forms

    def _p(self, param: SearchParam, slot: str | None = None) -> int:
        p = self.slots.get(param.resource_type, slot or param.code)
        if p is None:
            raise InvalidRequest(f"{param.resource_type}.{param.code} is not indexed")
        return p

    def _present(self, param: SearchParam) -> RidSet:
        slot, kind = param.slots[0]
        a = self.alias()
        return RidSet(f"idx_{kind} {a}", f"{a}.p = ?", [self._p(param, slot)], 8, a)

    def _indexed(self, criterion: Criterion) -> RidSet:
        param, modifier = criterion.param, criterion.modifier
        if param.type == "composite":
            return self._composite(criterion)
        table = "token" if modifier == "identifier" else param.type
        slot = param.of_type_slot if modifier == "of-type" else None
        a = self.alias()
        sql, params = any_of(a, table, criterion.values,
                             "phonetic" if param.phonetic else modifier)
        rank = _RANK[param.type]
        if modifier in ("text", "contains") or any(
            isinstance(v, TokenValue) and v.code is None for v in criterion.values
        ):
            rank = 8
        elif param.type == "token" and all(
            isinstance(v, TokenValue) and v.system for v in criterion.values
        ):
            rank = 2
        p = self._p(param, slot)
        buckets = (date_buckets(a, criterion.values[0])
                   if param.type == "date" and len(criterion.values) == 1 else None)
        return RidSet(f"idx_{table} {a}", f"{a}.p = ? AND {sql}", [p, *params], rank, a,
                      _ordered(criterion),
                      tuple((f"{a}.p = ? AND {s}", [p, *ps]) for s, ps in buckets or ()))

    def _composite(self, criterion: Criterion) -> RidSet:
        components = criterion.param.components
        aliases = [self.alias() for _ in components]
        first = aliases[0]
        source = f"idx_{components[0].type} {first}"
        source_params: list[Any] = []
        for component, a in zip(components[1:], aliases[1:], strict=True):
            source += (f" JOIN idx_{component.type} {a} ON {a}.rid = {first}.rid "
                       f"AND {a}.grp = {first}.grp AND {a}.p = ?")
            source_params.append(self._p(criterion.param, component.slot))
        alternatives: list[str] = []
        params: list[Any] = []
        for value in criterion.values:
            assert isinstance(value, CompositeValue)
            parts = [any_of(a, c.type, (v,), None)
                     for a, c, v in zip(aliases, components, value.parts, strict=True)]
            alternatives.append(" AND ".join(sql for sql, _ in parts))
            params.extend(p for _, ps in parts for p in ps)
        where = f"{first}.p = ? AND " + either([f"({s})" for s in alternatives])
        p0 = self._p(criterion.param, components[0].slot)
        return RidSet(source, where, [*source_params, p0, *params], 5, first)

    def _column(self, criterion: Criterion, resource_type: str) -> RidSet:
        a = self.alias()
        where = f"{a}.type = ? AND {a}.deleted = 0 AND "
        if criterion.param.column == "id":
            ids = [v.code for v in criterion.values if isinstance(v, TokenValue)]
            marks = ", ".join("?" for _ in ids)
            return RidSet(f"resource {a}", where + f"{a}.id IN ({marks})",
                          [resource_type, *ids], 0, a, len(ids) == 1)
        parts = [date(a, v, None, "last_updated", "last_updated") for v in criterion.values]
        sql = either([f"({s})" for s, _ in parts])
        return RidSet(f"resource {a}", where + sql,
                      [resource_type, *(p for _, ps in parts for p in ps)], 8, a)

    def _chain(self, criterion: Criterion) -> RidSet:
        a = self.alias()
        branches, params = [], []
        for target_type, inner in criterion.chain:
            t = self.alias()
            inner_sql, inner_params = self.select_all(inner, target_type)
            # the targets by rid, their type tested, not indexed (``|| ''``): SQLite read
            # every resource of the type through the (type, id) index and looked each up
            # in the inner list (100,000 patients for one identifier: 35 ms)
            branches.append(
                f"({a}.target_type = ? AND {a}.target_id IN (SELECT {t}.id FROM resource {t} "
                f"WHERE {t}.type || '' = ? AND {t}.rid IN ({inner_sql})))"
            )
            params += [target_type, target_type, *inner_params]
        where = f"{a}.p = ? AND " + either(branches)
        return RidSet(f"idx_reference {a}", where, [self._p(criterion.param), *params], 5, a)

    def _has(self, has: ReverseChain, resource_type: str) -> RidSet:
        a, x = self.alias(), self.alias()
        inner_sql, inner_params = self.select_all(has.criterion, has.source_type)
        where = (f"{a}.type = ? AND {a}.deleted = 0 AND {a}.id IN (SELECT {x}.target_id "
                 f"FROM idx_reference {x} WHERE {x}.p = ? AND {x}.target_type = ? "
                 f"AND {x}.rid IN ({inner_sql}))")
        params = [resource_type, self._p(has.reference), resource_type, *inner_params]
        return RidSet(f"resource {a}", where, params, 4, a)

    def _chain_test(self, criterion: Criterion, rid: str) -> Sql:
        """Does resource ``rid`` refer to a target the chained condition matches?"""
        a = self.alias()
        branches: list[str] = []
        params: list[Any] = [self._p(criterion.param)]
        for target_type, inner in criterion.chain:
            t = self.alias()
            inner_sql, inner_params = self.test(inner, target_type, f"{t}.rid", True)
            branches.append(
                f"({a}.target_type = ? AND EXISTS (SELECT 1 FROM resource {t} "
                f"WHERE {t}.type = ? AND {t}.id = {a}.target_id AND {t}.deleted = 0 "
                f"AND {inner_sql}{FENCE}))"
            )
            params += [target_type, target_type, *inner_params]
        return (f"EXISTS (SELECT 1 FROM idx_reference {a} WHERE {a}.rid = {rid} "
                f"AND +{a}.p = ? AND {either(branches)}{FENCE})", params)

    def _has_test(self, has: ReverseChain, resource_type: str, rid: str) -> Sql:
        """Is resource ``rid`` referred to by a source the reverse chain's condition
        matches? Read through the (p, target_id) index of the references to it."""
        me, x = self.alias(), self.alias()
        inner_sql, inner_params = self.test(has.criterion, has.source_type, f"{x}.rid", True)
        return (f"EXISTS (SELECT 1 FROM resource {me} JOIN idx_reference {x} "
                f"ON {x}.target_id = {me}.id WHERE {me}.rid = {rid} AND {x}.p = ? "
                f"AND {x}.target_type = ? AND {inner_sql}{FENCE})",
                [self._p(has.reference), resource_type, *inner_params])


def _ordered(criterion: Criterion) -> bool:
    """One value matched by equality on the first column after ``p``: its (p, value, rid)
    B-tree lists the matches in rid order."""
    if len(criterion.values) != 1 or criterion.modifier in ("text", "contains"):
        return False
    value = criterion.values[0]
    if isinstance(value, TokenValue):
        return value.code is not None
    if isinstance(value, ReferenceValue):
        return True
    if isinstance(value, UriValue):
        return criterion.modifier is None
    return isinstance(value, StringValue) and criterion.modifier == "exact"
