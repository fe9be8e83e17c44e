"""Pages found by walking the page's own order, for searches that match many resources.

The usual plan (:mod:`fhirsvc.storage.search.execute`) drives a search from its most
selective condition. When that condition's index does not list its matches in the
page's order (a chain, a date range, a name prefix, or any ``_sort``), every match has to
be found and sorted before the first page can be cut, which grows with the database: a
chain on a common family name took over a second at a million resources, a frequent
code sorted by date over half a second. So when the driving condition matches many, the
page is first looked for by walking the resources in page order (by rid, or down the
sort key's own B-tree), testing every condition on each (chains and ``_has`` through the
references of the resource at hand), for at most :data:`WALK_BUDGET` resources: common
matches fill a page after a few dozen. A walk that does not fill the page leaves it to
the usual plan. Either way the page is the same
(https://hl7.org/fhir/R4/search.html#sort).

"Many" grows with the database (:func:`worth_walking`). With M matches of the driving
condition among the N stored resources of its type, sorting costs about one index entry
per match, a walk ``N / M`` resources tested per row of the page (``limit``): walking is
the cheaper when M passes ``sqrt(WALK_COST * limit * N)``, and can fill the page within
its budget when M passes ``limit * N / WALK_BUDGET``. For a page of 20 that is 920
matches at 10,000 resources, 10,500 at a million. (A chain or ``_has`` is sized by its
innermost condition, whose matches are of another type, and N counts that type.)
PostgreSQL's planner estimates M and N from its statistics without reading the rows;
SQLite, which keeps none, counts the matches up to the threshold (and takes the largest
rid for N, which is more).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from fhirsvc.storage.db import Db, Row
from fhirsvc.storage.search.cursor import Cursor, keyset
from fhirsvc.storage.search.include import RESOURCE_COLUMNS
from fhirsvc.storage.search.predicates import Sql
from fhirsvc.storage.search.query import SearchQuery, SortKey
from fhirsvc.storage.search.sql import ConditionCompiler

#: A chain or ``_has`` matching more resources than this is tested through the references
#: of each resource instead of against the list of its matches.
WALK_ABOVE = 5000
#: What testing one resource of a walk costs, in index entries read by the sorting plan.
WALK_COST = 4.0
#: Most resources one walk tests before leaving the page to the usual plan.
WALK_BUDGET = 2000
#: The index column a sort key of a text-like kind reads; other kinds read ``low`` (ascending)
#: or ``high`` (descending).
SORT_COLUMN = {"token": "code", "string": "norm", "reference": "target_id", "uri": "value"}


def sort_column(kind: str, descending: bool) -> str:
    return SORT_COLUMN.get(kind, "high" if descending else "low")


#: Index tables with a (p, column, rid) B-tree, by the column a sort key reads.
_SORTED_INDEXES = {("token", "code"), ("string", "norm"), ("date", "low"), ("date", "high"),
                   ("reference", "target_id"), ("uri", "value"), ("number", "low")}


@dataclass(frozen=True)
class Order:
    """``SELECT w.rid[, key] FROM source WHERE where`` read in (key, rid) order.

    ``kind`` names the index table the key comes from (None: the resource table, one row
    per resource); a resource has a row per value there, and only the row holding its
    sort value (``min`` ascending, ``max`` descending) stands for it."""

    source: str
    where: str
    params: list[Any]
    key: str | None = None
    descending: bool = False
    kind: str | None = None


@dataclass(frozen=True)
class Sized:
    """``SELECT 1 …`` of the rows telling how many a driving condition matches, every one
    of a resource of ``resource_type`` (of a chain or ``_has``: its innermost type);
    ``whole_type``: no condition drives, the rows are every live resource of the type."""

    rows: Sql
    resource_type: str
    whole_type: bool = False


def live(alias: str, resource_type: str) -> tuple[str, str, list[Any]]:
    """Source, condition and parameters of every live resource of ``resource_type``."""
    return f"resource {alias}", f"{alias}.type = ? AND {alias}.deleted = 0", [resource_type]


def walk_page(db: Db, compiler: ConditionCompiler, query: SearchQuery, driver: Sized,
              ordered: bool, cursor: Cursor | None, limit: int) -> list[Row] | None:
    """The page's rows (sort key values first, as :func:`execute.page_sql` gives them),
    or None when the usual plan should answer. ``driver`` sizes the driving
    condition; ``ordered`` says its index already lists them in rid order. A ``cursor``
    must not sit among the resources without a sort value: they come last, unwalked."""
    if query.across or len(query.sort) > 1 or (ordered and not query.sort):
        return None
    order = _order(compiler, query)
    if order is None:
        return None
    if not worth_walking(db, driver, limit):
        return None
    rows = db.all(*_walk_sql(compiler, query, order, cursor, limit, db.dialect))
    first_of_each: dict[Any, Row] = {}
    for row in rows:  # a resource with two rows holding its sort value comes twice
        first_of_each.setdefault(row[len(query.sort)], row)
    return list(first_of_each.values()) if len(first_of_each) >= limit else None


def worth_walking(db: Db, driver: Sized, limit: int) -> bool:
    """Whether the driving condition matches enough of the resources of its type for
    walking ``limit`` matches to cost less than sorting them all, within the walk's
    budget (see above)."""
    stored = _stored(db, driver.resource_type)
    threshold = max(math.sqrt(WALK_COST * limit * stored), limit * stored / WALK_BUDGET)
    if driver.whole_type:  # its matches are the stored resources themselves
        return stored >= threshold
    return at_least(db, driver.rows, threshold)


def _stored(db: Db, resource_type: str) -> int:
    """About how many resources of ``resource_type`` are stored: PostgreSQL's estimate
    (remembered a few seconds: it only sizes a walk, never decides a result); on SQLite,
    which would have to count them, the largest rid (of any type: more)."""
    estimator = getattr(db, "estimate_stored", None)
    if estimator is not None:
        return int(estimator(resource_type, _rows(*live("a", resource_type))))
    top = db.one("SELECT max(rid) FROM resource")
    return int(top[0] or 0) if top else 0


def _rows(source: str, where: str, params: list[Any]) -> Sql:
    return f"SELECT 1 FROM {source} WHERE {where}", params


def many(db: Db, rows: Sql) -> bool:
    """Whether ``rows`` (a ``SELECT``) gives about :data:`WALK_ABOVE` rows or more."""
    return at_least(db, rows, WALK_ABOVE)


def at_least(db: Db, rows: Sql, threshold: float) -> bool:
    """Whether ``rows`` gives at least ``threshold`` rows (by PostgreSQL's estimate)."""
    return threshold <= 0 or how_many(db, rows, up_to=threshold) >= threshold


def how_many(db: Db, rows: Sql, up_to: float | None = None) -> int:
    """How many rows ``rows`` (a ``SELECT``) gives: PostgreSQL's planner estimate, read
    without the rows; elsewhere counted, up to ``up_to`` when given."""
    estimator = getattr(db, "estimate_rows", None)
    return int(estimator(*rows)) if estimator is not None else count_rows(db, rows, up_to)


def count_rows(db: Db, rows: Sql, up_to: float | None = None) -> int:
    """How many rows ``rows`` (a ``SELECT``) gives, counted; at most ``up_to`` when given."""
    sql, params = rows
    if up_to is None:
        row = db.one(f"SELECT count(*) FROM ({sql}) z", params)
    else:
        row = db.one(f"SELECT count(*) FROM ({sql} LIMIT ?) z", [*params, math.ceil(up_to)])
    return int(row[0]) if row else 0


def _order(compiler: ConditionCompiler, query: SearchQuery) -> Order | None:
    every = live("w", query.resource_type)
    if not query.sort:
        return Order(*every)
    key: SortKey = query.sort[0]
    param = key.param
    if param.column:
        return Order(*every, key=f"w.{param.column}", descending=key.descending)
    slot, kind = param.slots[0]
    column = sort_column(kind, key.descending)
    if (kind, column) not in _SORTED_INDEXES:
        return None
    return Order(f"idx_{kind} w", f"w.p = ? AND w.{column} IS NOT NULL",
                 [compiler.slots.p(param.resource_type, slot)], f"w.{column}",
                 key.descending, kind)


def _walk_sql(compiler: ConditionCompiler, query: SearchQuery, order: Order,
              cursor: Cursor | None, limit: int, dialect: str) -> Sql:
    backward = bool(cursor and cursor.backward)
    keyed = order.key is not None
    descending = ([order.descending != backward] if keyed else []) + [backward]
    where, params = order.where, list(order.params)
    if cursor:
        columns = [order.key, "w.rid"] if order.key else ["w.rid"]
        after, after_params = keyset(columns, descending, cursor.key)
        where, params = f"{where} AND {after}", [*params, *after_params]
    key = f", {order.key} AS s0" if keyed else ""
    # the budget written out, not a parameter: a generic plan takes ``LIMIT ?`` for a
    # tenth of the table and may then plan parallel workers for a few thousand rows
    window = (f"SELECT w.rid{key} FROM {order.source} WHERE {where} "
              f"ORDER BY {_by([order.key or '', 'w.rid'][not keyed:], descending)} "
              f"LIMIT {int(WALK_BUDGET)}")
    tests: list[str] = []
    for condition in query.conditions:
        test, test_params = compiler.test(condition, query.resource_type, "v.rid", True)
        tests.append(test)
        params += test_params
    if order.kind is not None:
        # last: SQLite tests in the order written, and this reads the resource's rows
        # through the rid index, where a code is tested from its own B-tree
        aggregate = "max" if order.descending else "min"
        column = (order.key or "").removeprefix("w.")
        tests.append(f"v.s0 = (SELECT {aggregate}(y.{column}) FROM idx_{order.kind} y "
                     f"WHERE y.rid = v.rid AND +y.p = ?)")
        params.append(order.params[0])
    names = ["s0", "rid"] if keyed else ["rid"]
    # the window's rows come in its order; PostgreSQL knows it, SQLite would sort them
    # all first, testing the whole window instead of stopping at the page's last match
    in_order = _by([f"v.{n}" for n in names], descending)
    ordered = "" if dialect == "sqlite" else f"ORDER BY {in_order} "
    page = (f"SELECT v.* FROM ({window}) v WHERE {' AND '.join(tests) or '1 = 1'} "
            f"{ordered}LIMIT ?")
    params.append(limit)
    return (f"SELECT {'k.s0, ' if keyed else ''}{RESOURCE_COLUMNS} FROM ({page}) k "
            f"JOIN resource r ON r.rid = k.rid "
            f"ORDER BY {_by([f'k.{n}' for n in names], descending)}", params)


def _by(columns: list[str], descending: list[bool]) -> str:
    return ", ".join(f"{c} {'DESC' if d else 'ASC'}" for c, d in zip(columns, descending,
                                                                     strict=True))
