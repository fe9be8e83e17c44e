"""The result parameters of a search: ``_count _sort _include _revinclude _total _summary
_elements`` and the paging ``_cursor`` (https://hl7.org/fhir/R4/search.html#return)."""

from __future__ import annotations

from typing import Any, cast

from fhirsvc.errors import InvalidRequest
from fhirsvc.outcome import Issue, Severity
from fhirsvc.storage.registry import SearchParam, SearchRegistry
from fhirsvc.storage.search.query import Include, SearchQuery, SortKey, TotalMode

SUMMARY_MODES = ("true", "false", "text", "data", "count")
TOTAL_MODES = ("none", "estimate", "accurate")
#: Result parameters fhirsvc does not implement; reported, never silently honoured.
UNSUPPORTED = ("_contained", "_containedType", "_list", "_type", "_query", "_filter",
               "_text", "_content")


def _sort_kind(param: SearchParam) -> tuple[str | None, str | None]:
    """What sorting by ``param`` reads: a resource column or an index table."""
    return param.column, param.slots[0][1] if param.slots else None


def page_size(value: str, max_count: int) -> tuple[int, tuple[Issue, ...]]:
    """``_count`` of a search or a history: a whole number, at most ``max_count`` (the
    issue saying so when lowered). 0 is a valid page size for both, asking for the total
    alone (https://hl7.org/fhir/R4/search.html#count; a history takes the same
    ``_count``, https://hl7.org/fhir/R4/http.html#history), so the two read it here."""
    if not (value.isascii() and value.isdigit()):  # not "²", which int() refuses
        raise InvalidRequest(f"_count must be a whole number, not {value!r}")
    count = int(value)
    if count <= max_count:
        return count, ()
    return max_count, (Issue(Severity.INFORMATION, "informational",
                             f"_count {count} lowered to the maximum {max_count}"),)


class UnknownParameter(Exception):
    """A parameter name this server does not know for the type (reason in ``args[0]``)."""


class ControlParser:
    """Collects result parameters while :func:`parse_search` walks the request."""

    def __init__(self, resource_type: str, registry: SearchRegistry,
                 default_count: int, max_count: int, types: tuple[str, ...] = ()) -> None:
        self.resource_type = resource_type
        #: The searched types: ``resource_type`` alone, or those of a system-level search.
        self.types = types or (resource_type,)
        self.registry = registry
        self.max_count = max_count
        self.fields: dict[str, Any] = {"count": default_count}
        self.includes: list[Include] = []
        self.sort: list[SortKey] = []
        self.issues: list[Issue] = []

    def take(self, name: str, value: str) -> bool:
        """Handle ``name`` if it is a result parameter; False for a search criterion."""
        base, _, modifier = name.partition(":")
        if base in UNSUPPORTED:
            raise UnknownParameter(f"Search parameter {base!r} is not supported")
        handler = {
            "_count": self._count, "_cursor": self._cursor, "_total": self._total,
            "_summary": self._summary, "_elements": self._elements, "_sort": self._sort,
            "_include": self._include, "_revinclude": self._revinclude,
        }.get(base)
        if handler is None:
            return False
        handler(value, modifier)
        return True

    def build(self, **rest: Any) -> SearchQuery:
        return SearchQuery(self.resource_type, includes=tuple(self.includes),
                           sort=tuple(self.sort), **self.fields, **rest)

    def _count(self, value: str, modifier: str) -> None:
        count, lowered = page_size(value, self.max_count)
        self.issues.extend(lowered)
        self.fields["count"] = count

    def _cursor(self, value: str, modifier: str) -> None:
        self.fields["cursor"] = value

    def _total(self, value: str, modifier: str) -> None:
        if value not in TOTAL_MODES:
            raise InvalidRequest(f"_total must be one of {', '.join(TOTAL_MODES)}")
        self.fields["total"] = cast(TotalMode, value)

    def _summary(self, value: str, modifier: str) -> None:
        if value not in SUMMARY_MODES:
            raise InvalidRequest(f"_summary must be one of {', '.join(SUMMARY_MODES)}")
        self.fields["summary"] = value

    def _elements(self, value: str, modifier: str) -> None:
        self.fields["elements"] = tuple(e.strip() for e in value.split(",") if e.strip())

    def _sort(self, value: str, modifier: str) -> None:
        for key in filter(None, (k.strip() for k in value.split(","))):
            code = key.removeprefix("-")  # one minus: "--date" names no parameter
            params = [self.registry.get(t, code) for t in self.types]
            first = params[0]
            if first is None or first.type == "composite" or any(
                    p is None or _sort_kind(p) != _sort_kind(first) for p in params):
                raise UnknownParameter(f"Cannot sort {', '.join(self.types)} by {code!r}")
            others = tuple(p for p in params[1:] if p is not None)
            self.sort.append(SortKey(first, key.startswith("-"), others))

    def _include(self, value: str, modifier: str, reverse: bool = False) -> None:
        if modifier not in ("", "iterate", "recurse"):
            raise InvalidRequest(f"Unknown modifier :{modifier} on _include/_revinclude")
        iterate = modifier in ("iterate", "recurse")
        if value == "*":
            sources = list(self.types) if not reverse else sorted(self.registry.resource_types)
            self.includes.extend(Include(s, None, None, iterate, reverse) for s in sources)
            return
        parts = value.split(":")
        if len(parts) not in (2, 3) or parts[0] not in self.registry.resource_types:
            raise InvalidRequest(f"{value!r} is not Type:parameter[:targetType]")
        source, code, target = parts[0], parts[1], parts[2] if len(parts) == 3 else None
        if target is not None and target not in self.registry.resource_types:
            # else silently nothing included, as if the client had asked for nothing
            raise InvalidRequest(f"{value!r} names {target!r}, which is no resource type "
                                 "served here")
        param = None if code == "*" else self.registry.get(source, code)
        if code != "*" and (param is None or param.type != "reference"):
            raise InvalidRequest(f"{source} has no reference parameter {code!r}")
        if param is not None and target is not None and param.targets \
                and target not in param.targets:  # as a :Type modifier is held (parse.py)
            raise InvalidRequest(f"{value!r}: {param.code} cannot refer to a {target}")
        self.includes.append(Include(source, param, target, iterate, reverse))

    def _revinclude(self, value: str, modifier: str) -> None:
        self._include(value, modifier, reverse=True)
