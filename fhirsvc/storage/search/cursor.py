"""Opaque keyset cursors for stable paging.

A cursor carries the sort key values and rid of the row a page ended (or began) on, so
the next page continues strictly after it whatever was inserted or deleted meanwhile:
no row shown twice, none skipped (https://hl7.org/fhir/R4/http.html#paging leaves the
mechanism to the server). It is bound to the search's sort order by a short signature,
so a cursor pasted onto another search is refused instead of misread.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fhirsvc.errors import InvalidRequest
from fhirsvc.jsontext import loads
from fhirsvc.storage.search.predicates import Sql


@dataclass(frozen=True)
class Cursor:
    backward: bool
    key: tuple[Any, ...]  # sort key values…, rid


def signature(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:8]


def pack(values: list[Any]) -> str:
    """Values as the opaque text of a ``_cursor`` parameter (compact JSON, URL-safe base64)."""
    payload = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def unpack(text: str) -> list[Any]:
    """The values :func:`pack` wrote, or a 400 for any other text."""
    try:
        values = loads(base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())
                       .decode())
    except (ValueError, TypeError):  # not base64, not UTF-8, not JSON (NotJson: too deep)
        values = None
    if not isinstance(values, list) or not values:
        raise InvalidRequest(f"_cursor {text!r} is not a cursor this server issued")
    return values


def encode(cursor: Cursor, sign: str) -> str:
    return pack([sign, "p" if cursor.backward else "n", *cursor.key])


def decode(text: str, sign: str, key_length: int) -> Cursor:
    values = unpack(text)
    if len(values) < 2:
        raise InvalidRequest(f"_cursor {text!r} is not a cursor this server issued")
    found_sign, direction, *key = values
    if found_sign != sign or direction not in ("n", "p") or len(key) != key_length:
        raise InvalidRequest("_cursor belongs to a different search; start again from page 1")
    if not isinstance(key[-1], int):
        raise InvalidRequest(f"_cursor {text!r} is damaged")
    return Cursor(direction == "p", tuple(key))


def keyset(columns: list[str], descending: list[bool], key: tuple[Any, ...]) -> Sql:
    """Rows strictly after ``key`` in the (mixed-direction) order of ``columns``. The
    first column's bound stands alone too, so a B-tree on it starts at the cursor."""
    branches, params = [], []
    for i, (column, desc) in enumerate(zip(columns, descending, strict=True)):
        equal = [f"{c} = ?" for c in columns[:i]]
        branches.append("(" + " AND ".join([*equal, f"{column} {'<' if desc else '>'} ?"]) + ")")
        params += [*key[:i], key[i]]
    bound = f"{columns[0]} {'<=' if descending[0] else '>='} ?"
    return f"{bound} AND ({' OR '.join(branches)})", [key[0], *params]
