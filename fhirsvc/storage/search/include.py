"""``_include`` and ``_revinclude`` (with ``:iterate``): the resources a page refers to,
and those referring to it, fetched through the reference index in one query per rule
and round (https://hl7.org/fhir/R4/search.html#include)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from fhirsvc.outcome import Issue, Severity
from fhirsvc.storage.db import Db, Row, Slots
from fhirsvc.storage.protocol import Operation, StoredResource
from fhirsvc.storage.search.query import Include, SearchQuery

#: Most resources one page may include; more is reported as a warning.
MAX_INCLUDED = 1000
#: Rounds of ``:iterate`` before giving up on a cyclic graph.
MAX_ROUNDS = 5
#: What :func:`match_row` reads, of ``resource r``.
RESOURCE_COLUMNS = "r.rid, r.type, r.id, r.version, r.last_updated, r.content"


class MatchRow(NamedTuple):
    """A page's row: a named tuple, made for every row of every page (a frozen
    dataclass's ``__init__`` cost several times as much)."""

    rid: int
    stored: StoredResource
    keys: tuple[Any, ...] = ()


def match_row(row: Sequence[Any], keys: tuple[Any, ...] = ()) -> MatchRow:
    """From ``rid, type, id, version, last_updated, content``."""
    rid, resource_type, resource_id, version, micros, content = row
    operation: Operation = "update" if int(version) > 1 else "create"
    return MatchRow(int(rid), StoredResource(resource_type, resource_id, int(version),
                                             int(micros), operation, content), keys)


def fetch_includes(db: Db, slots: Slots, query: SearchQuery, page: list[MatchRow]
                   ) -> tuple[list[StoredResource], tuple[Issue, ...]]:
    if not query.includes or not page:
        return [], ()
    seen = {match.rid for match in page}
    included: list[MatchRow] = []
    frontier = page
    for round_number in range(MAX_ROUNDS):
        rules = [r for r in query.includes if r.iterate or round_number == 0]
        found = [row for rule in rules for row in _apply(db, slots, rule, frontier)]
        fresh = [row for row in _unique(found) if row.rid not in seen]
        seen.update(row.rid for row in fresh)
        included += fresh
        if len(included) >= MAX_INCLUDED:
            warning = Issue(Severity.WARNING, "too-costly",
                            f"only the first {MAX_INCLUDED} included resources are returned")
            return [row.stored for row in included[:MAX_INCLUDED]], (warning,)
        if not fresh or not any(rule.iterate for rule in query.includes):
            break
        frontier = fresh
    return [row.stored for row in included], ()


def _unique(rows: Iterable[MatchRow]) -> list[MatchRow]:
    """Each row once, by type then id: the include queries' DISTINCT leaves the order to
    the database, and both backends must answer a search with the same Bundle."""
    unique = {row.rid: row for row in rows}.values()
    return sorted(unique, key=lambda row: (row.stored.resource_type, row.stored.id))


def _ps(slots: Slots, rule: Include) -> list[int]:
    if rule.param is not None:
        return [slots.p(rule.source_type, rule.param.code)]
    return slots.of_kind(rule.source_type, "reference")


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def rid_rows(dialect: str, rids: Sequence[int]) -> tuple[str, list[Any]]:
    """``SELECT … AS rid``: the rows of ``rids``, passed as one parameter (a PostgreSQL
    array, a JSON array on SQLite), so that any number of them is one statement."""
    if dialect == "postgresql":
        return ("SELECT unnest(CAST(? AS BIGINT[])) AS rid",
                ["{" + ",".join(str(int(rid)) for rid in rids) + "}"])
    return "SELECT CAST(j.value AS INTEGER) AS rid FROM json_each(?) j", [json.dumps(
        [int(rid) for rid in rids])]


def _referred(dialect: str, ps: list[int], rids: list[int], rule: Include
              ) -> tuple[str, list[Any]]:
    """The resources the references ``ps`` of the resources ``rids`` point at.

    The rids come as rows joined to the rid index (``+`` keeps ``p`` out of index
    choice): ``x.rid IN (…)`` cannot use PostgreSQL's hash index on rid without a bitmap
    scan, and read every reference row of ``p`` instead, a scan growing with the database.
    """
    page, params = rid_rows(dialect, rids)
    sql = (f"SELECT DISTINCT {RESOURCE_COLUMNS} FROM ({page}) q "
           f"JOIN idx_reference x ON x.rid = q.rid JOIN resource r "
           f"ON r.type = x.target_type AND r.id = x.target_id "
           f"WHERE +x.p IN ({_marks(ps)}) AND r.deleted = 0")
    params += ps
    if rule.target_type:
        sql += " AND x.target_type = ?"
        params.append(rule.target_type)
    return sql, params


def _apply(db: Db, slots: Slots, rule: Include, frontier: list[MatchRow]) -> list[MatchRow]:
    ps = _ps(slots, rule)
    if not ps:
        return []
    if not rule.reverse:
        rids = [m.rid for m in frontier if m.stored.resource_type == rule.source_type]
        return [match_row(row) for row in db.all(*_referred(db.dialect, ps, rids, rule))
                ] if rids else []
    rows: list[Row] = []
    by_type: dict[str, list[str]] = {}
    for match in frontier:
        if rule.target_type in (None, match.stored.resource_type):
            by_type.setdefault(match.stored.resource_type, []).append(match.stored.id)
    for target_type, ids in by_type.items():
        rows += db.all(
            f"SELECT DISTINCT {RESOURCE_COLUMNS} FROM idx_reference x "
            f"JOIN resource r ON r.rid = x.rid WHERE x.p IN ({_marks(ps)}) "
            f"AND x.target_type = ? AND x.target_id IN ({_marks(ids)})",
            [*ps, target_type, *ids],
        )
    return [match_row(row) for row in rows]
