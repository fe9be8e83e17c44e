"""Running a :class:`SearchQuery`: one SQL statement per page, keyset paging, totals.

The most selective condition drives (its B-tree is read in rid order and the scan stops
after one page), the others are tests on each candidate; with ``_sort`` the candidates
get their sort keys and the page is cut after sorting. A driving condition with many
matches in another order is first tried by walking the page's order instead
(:mod:`fhirsvc.storage.search.walk`). The row after the page tells whether there is a
next one. See https://hl7.org/fhir/R4/search.html#sort.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fhirsvc.storage.db import Db, Row
from fhirsvc.storage.search.cursor import Cursor, decode, encode, keyset, signature
from fhirsvc.storage.search.include import RESOURCE_COLUMNS, fetch_includes, match_row
from fhirsvc.storage.search.predicates import Sql
from fhirsvc.storage.search.query import Condition, ReverseChain, SearchQuery, SortKey
from fhirsvc.storage.search.result import SearchResult
from fhirsvc.storage.search.sql import ConditionCompiler
from fhirsvc.storage.search.walk import (
    SORT_COLUMN,
    Sized,
    count_rows,
    how_many,
    live,
    many,
    sort_column,
    walk_page,
)
from fhirsvc.storage.values import MAX_MICROS, MIN_MICROS

_TEXT_LAST, _TEXT_FIRST = "\U0010ffff", ""
#: Matches SQLite counts for ``_total=estimate`` before extrapolating (see :func:`estimate`).
ESTIMATE_COUNTED = 1000
#: Most copies of the other conditions' tests a driver read by time bucket may make: each
#: bucket's scan tests every other condition, so its page statement holds buckets × tests
#: of them, and the planner's time grows faster than that (PostgreSQL took 4.6 s to plan
#: ``date=1500`` with 29 more date criteria, 29 × 29 tests, for 0.07 s running it). Past
#: this the driver is read as one range and its matches sorted by rid.
MAX_BRANCH_TESTS = 96


@dataclass
class Candidates:
    """``SELECT DISTINCT d.rid FROM … WHERE …``: every match, before paging."""

    source: str
    where: str
    params: list[Any]
    alias: str
    #: Of a system-level search: each type's candidates (this is their union), so a page
    #: takes the first rows of each in rid order instead of sorting the whole union.
    branches: tuple[Candidates, ...] = ()

    def select(self) -> Sql:
        return (f"SELECT DISTINCT {self.alias}.rid FROM {self.source} WHERE {self.where}",
                self.params)


@dataclass(frozen=True)
class Driving:
    """A search of one type's driving condition, chosen without reading the database,
    and the conditions left to test on each of its rows."""

    source: str
    where: str
    params: list[Any]
    alias: str
    rest: tuple[Condition, ...]
    #: How many the driving condition matches is told by these rows.
    rows: Sized
    #: The driving condition's index lists its rows in rid order.
    ordered: bool = False
    #: The driving condition's :attr:`RidSet.branches`.
    branches: tuple[Sql, ...] = ()


def candidates(db: Db, compiler: ConditionCompiler, query: SearchQuery,
               driving: Driving | None = None) -> Candidates:
    """Every match; ``driving`` is the query's own, when already chosen."""
    if query.across:
        return _across_types(db, compiler, query)
    return _tested(db, compiler, query.resource_type,
                   driving or drive(compiler, query.resource_type, query.conditions))


def _across_types(db: Db, compiler: ConditionCompiler, query: SearchQuery) -> Candidates:
    """A system-level search: the union of each type's matches (rids never collide
    across types)."""
    branches = tuple(_tested(db, compiler, t, drive(compiler, t, conditions))
                     for t, conditions in query.across)
    if len(branches) == 1:
        return branches[0]
    selects = [branch.select() for branch in branches]
    u = compiler.alias()
    return Candidates(f"({' UNION ALL '.join(sql for sql, _ in selects)}) {u}", "1 = 1",
                      [p for _, params in selects for p in params], u, branches)


def drive(compiler: ConditionCompiler, resource_type: str,
          conditions_given: tuple[Condition, ...]) -> Driving:
    """The most selective condition drives (by rank); none: every resource of the type."""
    conditions = list(conditions_given)
    drivers = [(compiler.rid_set(c, resource_type), i) for i, c in enumerate(conditions)]
    usable = sorted(((d.rank, i, d) for d, i in drivers if d is not None), key=lambda x: x[:2])
    if not usable:
        a = compiler.alias()
        source, where, params = live(a, resource_type)
        return Driving(source, where, params, a, tuple(conditions),
                       Sized((f"SELECT 1 FROM {source} WHERE {where}", params),
                             resource_type, whole_type=True))
    _, index, driver = usable[0]
    sizing = _sizing(compiler, conditions.pop(index), resource_type)
    rows = sizing or Sized((f"SELECT 1 FROM {driver.source} WHERE {driver.where}",
                            list(driver.params)), resource_type)
    branches = driver.branches
    if len(branches) * len(conditions) > MAX_BRANCH_TESTS:
        branches = ()
    return Driving(driver.source, driver.where, list(driver.params), driver.alias,
                   tuple(conditions), rows, driver.ordered or bool(branches), branches)


def _tested(db: Db, compiler: ConditionCompiler, resource_type: str,
            driving: Driving) -> Candidates:
    tests, params, alias = "", list[Any](), driving.alias
    for condition in driving.rest:
        sizing = _sizing(compiler, condition, resource_type)
        # a chain or _has matching many is tested through each candidate's references
        # instead of against the list of all its matches
        correlated = sizing is not None and many(db, sizing.rows)
        sql, extra = compiler.test(condition, resource_type, f"{alias}.rid", correlated)
        tests += f" AND {sql}"
        params += extra
    branches = tuple(Candidates(driving.source, where + tests, [*where_params, *params], alias)
                     for where, where_params in driving.branches)
    return Candidates(driving.source, driving.where + tests, [*driving.params, *params],
                      alias, branches)


def _sizing(compiler: ConditionCompiler, condition: Condition, resource_type: str
            ) -> Sized | None:
    """What tells whether a chain or ``_has`` driver matches many: the rows of its
    innermost condition (on one target type). Counting the driver itself resolves the
    whole chain first (SQLite builds the list of every target before the first row);
    None: count the driver."""
    inner: Condition = condition
    while True:
        if isinstance(inner, ReverseChain):
            resource_type, inner = inner.source_type, inner.criterion
        elif inner.chain and len(inner.chain) == 1:
            resource_type, inner = inner.chain[0]
        else:
            break
    found = compiler.rid_set(inner, resource_type) if inner is not condition else None
    if found is None:
        return None
    return Sized((f"SELECT 1 FROM {found.source} WHERE {found.where}", found.params),
                 resource_type)


def run_search(db: Db, compiler: ConditionCompiler, query: SearchQuery) -> SearchResult:
    driving = None if query.across else drive(compiler, query.resource_type, query.conditions)
    # every match is compiled only when asked for: a walk that fills the page needs none
    # of it, and compiling may size chains and _has against the database
    found = functools.cache(lambda: candidates(db, compiler, query, driving))
    if query.count_only or query.count == 0:
        return SearchResult(query, total=count(db, found()), issues=query.issues)
    keys = sort_keys(compiler, query.sort)
    sign = signature(query.scope, *(f"{k.param.code}{k.descending}" for k in query.sort))
    cursor = decode(query.cursor, sign, len(keys) + 1) if query.cursor else None
    rows = _page_rows(db, compiler, query, driving, found, keys, cursor)
    more = len(rows) > query.count
    rows = rows[: query.count]
    if cursor and cursor.backward:
        rows.reverse()
    page = [match_row(row[len(keys):], tuple(row[: len(keys)])) for row in rows]
    forward = not (cursor and cursor.backward)
    after_last = encode(Cursor(False, (*page[-1].keys, page[-1].rid)), sign) if page else None
    end_cursor = after_last if forward else None
    next_cursor = after_last if more or not forward else None
    previous_cursor = None
    if page and cursor and (cursor.backward is False or more):
        previous_cursor = encode(Cursor(True, (*page[0].keys, page[0].rid)), sign)
    included, include_issues = fetch_includes(db, compiler.slots, query, page)
    return SearchResult(
        query,
        matches=[match.stored for match in page],
        included=included,
        total=_total(db, query, found, len(page), more, cursor),
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        end_cursor=end_cursor,
        issues=query.issues + include_issues,
    )


def _page_rows(db: Db, compiler: ConditionCompiler, query: SearchQuery,
               driving: Driving | None, found: Callable[[], Candidates],
               keys: list[SortExpr], cursor: Cursor | None) -> list[Row]:
    """One more row than the page holds, by a walk when one is worth trying."""
    limit = query.count + 1
    walked = None
    if driving is not None and not (cursor and keys and cursor.key[0] == keys[0].missing):
        walked = walk_page(db, compiler, query, driving.rows, driving.ordered, cursor, limit)
    return walked if walked is not None else db.all(*page_sql(found(), keys, cursor, limit))


def _total(db: Db, query: SearchQuery, found: Callable[[], Candidates], shown: int,
           more: bool, cursor: Cursor | None) -> int | None:
    if query.total == "none":
        return None
    if cursor is None and not more:
        return shown
    if query.total == "accurate":
        return count(db, found())
    if query.total == "estimate":
        # the page itself proves this many: a planner's guess below it is no estimate
        return max(estimate(db, found(), query.resource_type), shown + int(more))
    return None


def count(db: Db, found: Candidates) -> int:
    return count_rows(db, found.select())


def estimate(db: Db, found: Candidates, resource_type: str) -> int:
    """``_total=estimate``: PostgreSQL's planner estimate, read without the rows. SQLite
    keeps no statistics: it counts the first :data:`ESTIMATE_COUNTED` matches in rid
    order (exact when there are fewer) and scales their count by how far into the
    type's rids the last of them lies, so a frequent code costs a page-sized read
    instead of a count of every match (45,000 at a million resources)."""
    if getattr(db, "estimate_rows", None) is not None or not resource_type:
        return how_many(db, found.select())
    sql, params = found.select()
    row = db.one(f"SELECT count(*), max(z.rid) FROM ({sql} ORDER BY {found.alias}.rid "
                 f"LIMIT ?) z", [*params, ESTIMATE_COUNTED])
    counted, last = (int(row[0]), row[1]) if row else (0, None)
    if counted < ESTIMATE_COUNTED or last is None:
        return counted
    span = db.one("SELECT (SELECT min(rid) FROM resource WHERE type = ? AND deleted = 0), "
                  "(SELECT max(rid) FROM resource WHERE type = ? AND deleted = 0)",
                  [resource_type, resource_type])
    if span is None or span[0] is None:
        return counted
    first, final = int(span[0]), int(span[1])
    return max(counted, round(counted * (final - first + 1) / (int(last) - first + 1)))


@dataclass(frozen=True)
class SortExpr:
    sql: str  # a scalar subquery on u.rid
    params: list[Any]
    descending: bool
    missing: Any = None  # the value standing in for no value (sorted last)


def sort_keys(compiler: ConditionCompiler, sort: tuple[SortKey, ...]) -> list[SortExpr]:
    keys = []
    for key in sort:
        param, desc = key.param, key.descending
        if param.column:
            keys.append(SortExpr(f"(SELECT x.{param.column} FROM resource x WHERE x.rid = u.rid)",
                                 [], desc))
            continue
        kind = param.slots[0][1]
        column = sort_column(kind, desc)
        text = kind in SORT_COLUMN
        last = (_TEXT_FIRST if desc else _TEXT_LAST) if text else (
            (MIN_MICROS - 1 if desc else MAX_MICROS + 1) if kind == "date"
            else (-1e308 if desc else 1e308))
        aggregate = "max" if desc else "min"
        ps = [compiler.slots.p(p.resource_type, p.slots[0][0]) for p in (param, *key.across)]
        marks = ", ".join("?" for _ in ps)
        keys.append(SortExpr(
            f"COALESCE((SELECT {aggregate}(x.{column}) FROM idx_{kind} x "
            f"WHERE x.rid = u.rid AND +x.p IN ({marks})), ?)", [*ps, last], desc, last))
    return keys


def page_sql(found: Candidates, keys: list[SortExpr], cursor: Cursor | None, limit: int) -> Sql:
    backward = bool(cursor and cursor.backward)
    if not keys:
        order = "DESC" if backward else "ASC"
        firsts = [_first_rids(part, cursor, order, limit) for part in found.branches or (found,)]
        inner, params = firsts[0]
        if len(firsts) > 1:
            union = " UNION ALL ".join(f"SELECT b{i}.rid FROM ({sql}) b{i}"
                                       for i, (sql, _) in enumerate(firsts))
            # a resource of two dates in two buckets comes from both
            inner = f"SELECT DISTINCT m.rid FROM ({union}) m ORDER BY m.rid {order} LIMIT ?"
            params = [*(p for _, part_params in firsts for p in part_params), limit]
        return (f"SELECT {RESOURCE_COLUMNS} FROM ({inner}) k JOIN resource r ON r.rid = k.rid "
                f"ORDER BY k.rid {order}", params)
    names = [f"s{i}" for i in range(len(keys))]
    computed = ", ".join(f"{k.sql} AS {n}" for k, n in zip(keys, names, strict=True))
    sql, params = found.select()
    params = [p for k in keys for p in k.params] + list(params)
    inner = f"SELECT u.rid, {computed} FROM ({sql}) u"
    columns = [*names, "rid"]
    descending = [k.descending != backward for k in keys] + [backward]
    where, where_params = "", list[Any]()
    if cursor:
        condition, where_params = keyset([f"c.{c}" for c in columns], descending, cursor.key)
        where = f" WHERE {condition}"
    order = ", ".join(f"c.{c} {'DESC' if d else 'ASC'}" for c, d in zip(columns, descending,
                                                                         strict=True))
    page = f"SELECT c.* FROM ({inner}) c{where} ORDER BY {order} LIMIT ?"
    outer_order = order.replace("c.", "k.")
    key_columns = ", ".join(f"k.{n}" for n in names)
    return (f"SELECT {key_columns}, {RESOURCE_COLUMNS} FROM ({page}) k "
            f"JOIN resource r ON r.rid = k.rid ORDER BY {outer_order}",
            [*params, *where_params, limit])


def _first_rids(found: Candidates, cursor: Cursor | None, order: str, limit: int) -> Sql:
    """The first ``limit`` rids of ``found`` past the cursor, in rid ``order``."""
    d = found.alias
    sql, params = found.select()
    if cursor:
        sql += f" AND {d}.rid {'<' if order == 'DESC' else '>'} ?"
        params = [*params, cursor.key[-1]]
    return f"{sql} ORDER BY {d}.rid {order} LIMIT ?", [*params, limit]
