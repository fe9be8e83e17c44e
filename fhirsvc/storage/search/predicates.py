"""SQL predicates matching one search value against an index row (alias ``a``).

One function per parameter type, following https://hl7.org/fhir/R4/search.html: date
and number prefixes compare ranges (``(low, high)`` of the row against the value's
implicit range), tokens match ``system|code``, strings match normalised prefixes.
Each returns ``(sql, params)`` with ``?`` placeholders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fhirsvc.errors import InvalidRequest
from fhirsvc.storage.indexer import MAX_INDEXED_STRING, UCUM
from fhirsvc.storage.schema import DATE_BUCKET
from fhirsvc.storage.search import query as q
from fhirsvc.storage.ucum import canonical_unit, round_significant
from fhirsvc.storage.values import decimal_range, normalize_text, prefix_upper_bound, soundex

Sql = tuple[str, list[Any]]


def token(a: str, value: q.Value, modifier: str | None) -> Sql:
    if isinstance(value, q.StringValue):  # :text
        text = normalize_text(value.text)[:MAX_INDEXED_STRING]
        return (f"({a}.text LIKE ? ESCAPE '\\' OR {a}.text LIKE ? ESCAPE '\\')",
                [_like(text) + "%", "% " + _like(text) + "%"])
    assert isinstance(value, q.TokenValue)
    if value.code is None:
        return f"{a}.system = ? AND {a}.code IS NOT NULL", [value.system]
    if value.system is None:
        return f"{a}.code = ?", [value.code]
    if value.system == "":
        return f"{a}.code = ? AND {a}.system IS NULL", [value.code]
    return f"{a}.code = ? AND {a}.system = ?", [value.code, value.system]


def string(a: str, value: q.Value, modifier: str | None) -> Sql:
    assert isinstance(value, q.StringValue)
    if modifier == "phonetic":
        keys = [key for key in map(soundex, value.text.split()) if key] or [""]
        return f"{a}.norm IN ({', '.join('?' for _ in keys)})", keys
    norm = normalize_text(value.text)[:MAX_INDEXED_STRING]
    if modifier == "contains":
        return f"{a}.norm LIKE ? ESCAPE '\\'", ["%" + _like(norm) + "%"]
    if modifier == "exact":
        return f"{a}.norm = ? AND {a}.exact = ?", [norm, value.text]
    return f"{a}.norm >= ? AND {a}.norm < ?", [norm, prefix_upper_bound(norm)]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def date(a: str, value: q.Value, modifier: str | None, low: str = "low", high: str = "high") -> Sql:
    assert isinstance(value, q.DateValue)
    lo, hi = f"{a}.{low}", f"{a}.{high}"
    within = f"{lo} >= ? AND {lo} <= ? AND {hi} <= ?"
    p = value.prefix
    if p is q.Prefix.EQ:
        return within, [value.low, value.high, value.high]
    if p is q.Prefix.NE:
        return f"NOT ({within})", [value.low, value.high, value.high]
    if p is q.Prefix.GT:
        return f"{hi} > ?", [value.high]
    if p is q.Prefix.LT:
        return f"{lo} < ?", [value.low]
    # ge and le also state the bound both alternatives imply (of a row whose range does
    # not end before it starts), so an index reads only the dates past it: without it
    # PostgreSQL read every date of the parameter for ge of the last days (278 ms at a
    # million resources)
    if p is q.Prefix.GE:
        return (f"{hi} >= ? AND ({hi} > ? OR ({within}))",
                [value.low, value.high, value.low, value.high, value.high])
    if p is q.Prefix.LE:
        return (f"{lo} <= ? AND ({lo} < ? OR ({within}))",
                [value.high, value.low, value.low, value.high, value.high])
    if p is q.Prefix.SA:
        return f"{lo} > ?", [value.high]
    if p is q.Prefix.EB:
        return f"{hi} < ?", [value.low]
    gap = abs(time.time_ns() // 1000 - value.low) // 10
    return f"{lo} <= ? AND {hi} >= ?", [value.high + gap, value.low - gap]


#: Most time buckets a date search is read from, one rid-ordered scan each (a year is 29).
MAX_BUCKETS = 32
#: A bucket the searched range overlaps by less than this share of its width is read by
#: ``low`` instead: a rid-ordered scan of it would pass many dates outside the range per
#: match, a range read passes only the few dates inside.
BUCKET_SHARE = 1 / 16


def date_buckets(a: str, value: q.Value) -> list[Sql] | None:
    """``date=`` (eq) as alternatives whose union is :func:`date`'s, one per time bucket
    (:data:`fhirsvc.storage.schema.DATE_BUCKET`) the range overlaps, each naming its
    bucket so that the (p, bucket, rid) B-tree lists its matches in rid order; the
    edges the range barely overlaps as ranges of ``low``. None: too narrow or too wide
    a range to gain (a day, or no bucket overlapped by a good share; over
    :data:`MAX_BUCKETS`)."""
    if not isinstance(value, q.DateValue) or value.prefix is not q.Prefix.EQ:
        return None
    first, last = _bucket(value.low), _bucket(value.high)
    if last - first >= MAX_BUCKETS:
        return None
    within, covered, parts = [value.high], False, []
    for bucket in range(first, last + 1):
        start, end = _bucket_span(bucket)
        low, high = max(value.low, start), min(value.high, end)
        if (high - low + 1) >= DATE_BUCKET * BUCKET_SHARE:
            covered = True
            parts.append((f"{a}.low / {DATE_BUCKET} = ? AND {a}.low >= ? AND {a}.low <= ? "
                          f"AND {a}.high <= ?", [bucket, low, high, *within]))
        else:
            parts.append((f"{a}.low >= ? AND {a}.low <= ? AND {a}.high <= ?",
                          [low, high, *within]))
    return parts if covered else None


def _bucket(micros: int) -> int:
    """``micros / DATE_BUCKET`` as both databases divide integers: truncated to zero."""
    return micros // DATE_BUCKET if micros >= 0 else -(-micros // DATE_BUCKET)


def _bucket_span(bucket: int) -> tuple[int, int]:
    """The first and last microsecond of ``bucket`` (0 spans both sides of the epoch)."""
    if bucket > 0:
        return bucket * DATE_BUCKET, (bucket + 1) * DATE_BUCKET - 1
    if bucket < 0:
        return (bucket - 1) * DATE_BUCKET + 1, bucket * DATE_BUCKET
    return -DATE_BUCKET + 1, DATE_BUCKET - 1


def number(a: str, value: q.Value, modifier: str | None) -> Sql:
    assert isinstance(value, q.NumberValue | q.QuantityValue)
    return _number(a, value.prefix, value.number)


def _number(a: str, prefix: q.Prefix, n: Decimal, columns: tuple[str, str] = ("low", "high"),
            convert: Callable[[Decimal], float] = float) -> Sql:
    """q.Prefix semantics on a (low, high) row; ``convert`` maps search numbers to the
    columns' units (identity, or to UCUM base units)."""
    lo, hi = f"{a}.{columns[0]}", f"{a}.{columns[1]}"
    if prefix in (q.Prefix.EQ, q.Prefix.NE):
        bottom, top = decimal_range(n)
        within = f"{lo} >= ? AND {hi} < ?"
        sql = within if prefix is q.Prefix.EQ else f"NOT ({within})"
        return sql, [convert(bottom), convert(top)]
    if prefix is q.Prefix.AP:
        margin = abs(n) / 10
        return f"{lo} <= ? AND {hi} >= ?", [convert(n + margin), convert(n - margin)]
    column, op = {
        q.Prefix.GT: (hi, ">"), q.Prefix.LT: (lo, "<"), q.Prefix.GE: (hi, ">="),
        q.Prefix.LE: (lo, "<="), q.Prefix.SA: (lo, ">"), q.Prefix.EB: (hi, "<"),
    }[prefix]
    return f"{column} {op} ?", [convert(n)]


def quantity(a: str, value: q.Value, modifier: str | None) -> Sql:
    assert isinstance(value, q.QuantityValue)
    if value.system == UCUM and value.code and canonical_unit(value.code):
        return _canonical_quantity(a, value, value.code)
    sql, params = _number(a, value.prefix, value.number)
    if value.system is not None and value.code is not None:
        return f"{a}.code = ? AND {a}.system = ? AND {sql}", [value.code, value.system, *params]
    if value.code is not None:
        return f"({a}.code = ? OR {a}.unit = ?) AND {sql}", [value.code, value.code, *params]
    return sql, params


def _canonical_quantity(a: str, value: q.QuantityValue, code: str) -> Sql:
    """UCUM quantities compare in base units: ``gt1|…|g/L`` matches 150 mg/dL."""
    factor, unit = canonical_unit(code) or (1.0, code)
    sql, params = _number(a, value.prefix, value.number, ("canon_low", "canon_high"),
                          lambda n: round_significant(float(n) * factor))
    return f"{a}.canon_code = ? AND {sql}", [unit, *params]


def reference(a: str, value: q.Value, modifier: str | None) -> Sql:
    if isinstance(value, q.TokenValue):  # :identifier rows live in idx_token
        return token(a, value, None)
    assert isinstance(value, q.ReferenceValue)
    if value.url is not None:
        return f"{a}.url = ?", [value.url]
    if value.target_type is None:
        return f"{a}.target_id = ?", [value.target_id]
    return f"{a}.target_id = ? AND {a}.target_type = ?", [value.target_id, value.target_type]


def uri(a: str, value: q.Value, modifier: str | None) -> Sql:
    assert isinstance(value, q.UriValue)
    if modifier == "below":
        return f"{a}.value >= ? AND {a}.value < ?", [value.uri, prefix_upper_bound(value.uri)]
    if modifier == "above":
        candidates = _uri_ancestors(value.uri)
        return f"{a}.value IN ({', '.join('?' for _ in candidates)})", candidates
    return f"{a}.value = ?", [value.uri]


def _uri_ancestors(uri_value: str) -> list[str]:
    """``http://x/a/b`` → itself, ``http://x/a``, ``http://x`` (never shorter than host)."""
    found = [uri_value]
    head = uri_value.rstrip("/")
    scheme_end = head.find("://") + 3 if "://" in head else 0
    while "/" in head[scheme_end:]:
        head = head.rsplit("/", 1)[0]
        found.append(head)
    return found


PREDICATES: dict[str, Callable[[str, q.Value, str | None], Sql]] = {
    "token": token, "string": string, "date": date, "number": number,
    "quantity": quantity, "reference": reference, "uri": uri,
}


def any_of(a: str, kind: str, values: tuple[q.Value, ...], modifier: str | None) -> Sql:
    """OR of the value predicates: a row matching any alternative."""
    if not values:
        raise InvalidRequest("a search parameter needs a value")
    parts = [PREDICATES[kind](a, value, modifier) for value in values]
    return either([f"({sql})" for sql, _ in parts]), [p for _, ps in parts for p in ps]


#: The most alternatives :func:`either` joins by OR at one level.
OR_RUN = 24


def either(alternatives: list[str]) -> str:
    """The OR of ``alternatives`` (each a parenthesised or atomic expression), in groups of
    :data:`OR_RUN`: SQLite's expression tree is as deep as an OR chain is long and it
    refuses one a thousand deep (https://www.sqlite.org/limits.html#max_expr_depth), a
    few hundred values once nested in a chain, where groups of groups stay a few dozen
    deep. One alternative is returned as it is: every parenthesis a chain nests also
    costs SQLite's parser stack, which overflowed with a three-reference chain."""
    if len(alternatives) == 1:
        return alternatives[0]
    if len(alternatives) <= OR_RUN:
        return "(" + " OR ".join(alternatives) + ")"
    return either([either(alternatives[i:i + OR_RUN])
                   for i in range(0, len(alternatives), OR_RUN)])
