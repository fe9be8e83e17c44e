"""``transaction`` and ``batch``: Bundles POSTed to the base
(https://hl7.org/fhir/R4/http.html#transaction).

Entries run through the same interaction functions as single requests. A transaction
runs inside one ``store.transaction()`` and fails whole; it validates every resource
first (reporting every issue of every entry at once), processes entries in the order the
spec prescribes (DELETE, POST, PUT/PATCH, then GET), gives each ``urn:uuid`` entry its
id before anything is written and rewrites references to it, and resolves conditional
references (``Patient?identifier=…``). A batch runs each entry on its own and reports
each outcome in its response entry.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fhirsvc.errors import FhirError, InvalidRequest, NotFound, PreconditionFailed, Unprocessable
from fhirsvc.jsontext import loads
from fhirsvc.outcome import Issue
from fhirsvc.server import interactions as fhir
from fhirsvc.server.context import Context, FhirRequest, FhirResponse, Params

#: https://hl7.org/fhir/R4/http.html#trules: the order entries are processed in.
ORDER = {"DELETE": 0, "POST": 1, "PUT": 2, "PATCH": 2, "GET": 3, "HEAD": 3}
#: Bundle.entry.request elements and the HTTP headers they stand for.
ENTRY_HEADERS = {"ifNoneMatch": "if-none-match", "ifModifiedSince": "if-modified-since",
                 "ifMatch": "if-match", "ifNoneExist": "if-none-exist"}


@dataclass
class Entry:
    """One request entry, parsed: where it sits, what it asks and its resource."""

    index: int
    method: str
    path: list[str]
    query: str
    full_url: str | None
    resource: Any
    headers: dict[str, str] = field(default_factory=dict)
    assigned_id: str | None = None

    @property
    def params(self) -> Params:
        return tuple(parse_qsl(self.query, keep_blank_values=True))

    @property
    def where(self) -> str:
        return f"Bundle.entry[{self.index}]"


def transaction(ctx: Context, req: FhirRequest) -> FhirResponse:
    """All entries or none: any failure rolls back every write and answers its error."""
    entries = _entries(req, "transaction")
    _refuse_repeated_targets(entries)
    responses: dict[int, dict[str, Any]] = {}
    with ctx.store.transaction() as tx:
        inner = ctx.within(tx, prevalidated=True)
        for entry in _in_order(entries, "DELETE"):
            responses[entry.index] = _run(inner, req, entry)
        mapping = _assign_ids(inner, entries)
        for entry in entries:
            if entry.resource is not None and entry.method in ("POST", "PUT"):
                entry.resource = rewrite_references(inner, entry.resource, mapping, entry.where)
        validate_all(ctx, [(entry.where, entry.resource) for entry in entries
                           if entry.method in ("POST", "PUT")])
        for entry in _in_order(entries, "POST", "PUT", "PATCH", "GET", "HEAD"):
            responses[entry.index] = _run(inner, req, entry)
    return _response("transaction-response", entries, responses)


def batch(ctx: Context, req: FhirRequest) -> FhirResponse:
    """Each entry on its own: a failing entry reports its OperationOutcome, the rest run."""
    entries = _entries(req, "batch")
    responses: dict[int, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: ORDER[e.method]):
        try:
            with ctx.store.transaction() as tx:
                responses[entry.index] = _run(ctx.within(tx), req, entry)
        except FhirError as error:
            responses[entry.index] = _error_entry(error)
    return _response("batch-response", entries, responses)


def _response(bundle_type: str, entries: list[Entry], responses: dict[int, dict[str, Any]]
              ) -> FhirResponse:
    return FhirResponse(200, fhir.bundle(bundle_type,
                                         entry=[responses[e.index] for e in entries]))


# ---------------------------------------------------------------------------- parsing


def _entries(req: FhirRequest, expected_type: str) -> list[Entry]:
    body = req.body
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise InvalidRequest("POST to the base takes a transaction or batch Bundle")
    if body.get("type") != expected_type:
        raise InvalidRequest(f"Bundle.type must be {expected_type}, not {body.get('type')!r}")
    raw = body.get("entry") or []
    if not isinstance(raw, list):
        raise InvalidRequest("Bundle.entry must be a list")
    entries = [_entry(index, item, req.base_url) for index, item in enumerate(raw)]
    refuse_repeated_full_urls((entry.where, entry.full_url) for entry in entries)
    return entries


def _entry(index: int, item: Any, base_url: str) -> Entry:
    """One entry's request; a ``request.url`` written absolute, on this server's base, is
    read as the relative URL it stands for (some clients write every URL whole)."""
    where = f"Bundle.entry[{index}]"
    request = item.get("request") if isinstance(item, dict) else None
    if not isinstance(request, dict):
        raise InvalidRequest(f"{where} has no request", expression=(f"{where}.request",))
    method = str(request.get("method", "")).upper()
    if method not in ORDER:
        raise InvalidRequest(f"{where}.request.method {method!r} is not supported",
                             expression=(f"{where}.request.method",))
    url = request.get("url")
    if not isinstance(url, str) or not url:
        raise InvalidRequest(f"{where}.request.url is missing",
                             expression=(f"{where}.request.url",))
    if url.startswith(f"{base_url}/"):
        url = url[len(base_url) + 1:]
    split = urlsplit(url)
    path = [part for part in split.path.split("/") if part]
    headers = {header: str(request[key]) for key, header in ENTRY_HEADERS.items() if key in request}
    resource = item.get("resource")
    if method == "PATCH":
        resource = _patch_document(resource, where)
    return Entry(index, method, path, split.query, item.get("fullUrl"), resource, headers)


def _patch_document(resource: Any, where: str) -> Any:
    """A JSON Patch travels in a transaction as a Binary (https://hl7.org/fhir/R4/http.html#patch)."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Binary":
        raise InvalidRequest(f"{where}: a PATCH entry carries its JSON Patch as a Binary")
    try:
        return loads(base64.b64decode(resource.get("data", ""), validate=True).decode())
    except (ValueError, TypeError):  # not base64, not UTF-8, not JSON (NotJson)
        raise InvalidRequest(f"{where}: the Binary does not hold a JSON Patch") from None


def refuse_repeated_full_urls(entries: Iterable[tuple[str, Any]]) -> None:
    """bdl-7: a fullUrl names one entry. Versions of one resource may share it in a
    history Bundle, never in a transaction or batch, where each entry is one interaction:
    two POSTs under one ``urn:uuid`` (whatever their ``meta.versionId``) made two
    resources, and a reference to it could have named either; nor in a Bundle loaded as
    its resources (``fhirsvc serve --load``), for the same reason. ``entries``: each
    entry's place (``Bundle.entry[2]``) and fullUrl (None without one)."""
    seen: dict[str, str] = {}
    for where, full_url in entries:
        if full_url is None:
            continue
        key = str(full_url)
        if key in seen:
            raise InvalidRequest(f"{where} has the fullUrl {full_url!r} of "
                                 f"{seen[key]}; a fullUrl names one entry (bdl-7)",
                                 expression=(f"{where}.fullUrl",))
        seen[key] = where


def _refuse_repeated_targets(entries: list[Entry]) -> None:
    """A transaction may change a resource once: two writes to it would depend on the
    processing order (https://hl7.org/fhir/R4/http.html#trules)."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.method in ("PUT", "PATCH", "DELETE") and len(entry.path) == 2:
            target = "/".join(entry.path)
            if target in seen:
                raise InvalidRequest(f"{entry.where} and {seen[target].where} both change "
                                     f"{target}; a transaction may change a resource once")
            seen[target] = entry


def _in_order(entries: list[Entry], *methods: str) -> Iterator[Entry]:
    chosen = [entry for entry in entries if entry.method in methods]
    return iter(sorted(chosen, key=lambda entry: ORDER[entry.method]))


# ----------------------------------------------------------------------- identities


def _assign_ids(ctx: Context, entries: list[Entry]) -> dict[str, str]:
    """``fullUrl`` → ``Type/id`` for every entry that creates or updates, deciding the
    ids of new resources (and resolving ``If-None-Exist`` and a conditional update's
    criteria) before anything is written."""
    mapping: dict[str, str] = {}
    for entry in entries:
        if entry.method == "POST" and len(entry.path) == 1:
            criteria = entry.headers.get("if-none-exist")
            found = fhir.single_match(ctx, ctx.store, entry.path[0], criteria) if criteria else None
            entry.assigned_id = found.id if found else str(uuid.uuid4())
            target = f"{entry.path[0]}/{entry.assigned_id}"
        elif entry.method == "PUT" and len(entry.path) == 1 and entry.query:
            found = fhir.single_match(ctx, ctx.store, entry.path[0], entry.query)
            body_id = entry.resource.get("id") if isinstance(entry.resource, dict) else None
            entry.assigned_id = found.id if found else body_id or str(uuid.uuid4())
            target = f"{entry.path[0]}/{entry.assigned_id}"
        elif entry.method == "PUT" and len(entry.path) == 2:
            target = "/".join(entry.path)
        else:
            continue
        if entry.full_url:
            mapping[entry.full_url] = target
    return mapping


def rewrite_references(ctx: Context, value: Any, mapping: dict[str, str], where: str) -> Any:
    """``value`` with every ``reference`` to another entry's fullUrl pointing at its
    ``Type/id``, and every conditional reference resolved to its single match."""
    if isinstance(value, list):
        return [rewrite_references(ctx, item, mapping, where) for item in value]
    if not isinstance(value, dict):
        return value
    rewritten = {}
    for key, item in value.items():
        if key == "reference" and isinstance(item, str):
            rewritten[key] = _resolve(ctx, item, mapping, where)
        else:
            rewritten[key] = rewrite_references(ctx, item, mapping, where)
    return rewritten


def _resolve(ctx: Context, reference: str, mapping: dict[str, str], where: str) -> str:
    if reference in mapping:
        return mapping[reference]
    if reference.startswith("urn:uuid:") or reference.startswith("urn:oid:"):
        raise NotFound(f"{where}: {reference} names no entry of this Bundle")
    resource_type, question, criteria = reference.partition("?")
    if not question or "/" in resource_type:
        return reference
    found = fhir.matches(ctx, ctx.store, resource_type, criteria)
    if len(found) != 1:
        raise PreconditionFailed(
            f"{where}: conditional reference {reference!r} matches "
            f"{'no' if not found else 'more than one'} resource")
    return found[0].reference


def validate_all(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """Every issue of every ``(where, resource)`` a transaction writes, at once (422)."""
    issues: list[Issue] = []
    for where, resource in items:
        if isinstance(resource, dict):
            try:
                fhir.validate_write(ctx, resource)
            except Unprocessable as error:
                issues += [replace(issue, expression=tuple(
                    f"{where}.resource.{e}" for e in issue.expression) or (where,))
                    for issue in error.issues]
    if any(issue.is_error for issue in issues):
        raise Unprocessable(issues)


# ------------------------------------------------------------------------- execution


def _run(ctx: Context, req: FhirRequest, entry: Entry) -> dict[str, Any]:
    """Perform one entry; errors are re-raised naming the entry. The Bundle's ``Prefer``
    header applies to every entry (https://hl7.org/fhir/R4/http.html#transaction-response)."""
    prefer = req.header("prefer")
    headers = {**entry.headers, **({"prefer": prefer} if prefer else {})}
    entry_req = FhirRequest(entry.method, req.base_url, entry.params, headers, entry.resource)
    try:
        response = _dispatch(ctx, entry_req, entry)
    except FhirError as error:
        issues = [replace(issue, diagnostics=f"{entry.where}: {issue.diagnostics}")
                  for issue in error.issues]
        raise type(error)(issues) from error
    return _entry_response(response, reads=entry.method in ("GET", "HEAD"))


def _dispatch(ctx: Context, req: FhirRequest, entry: Entry) -> FhirResponse:
    path, method = entry.path, entry.method
    if method == "HEAD":
        method = "GET"
    handler: Callable[[], FhirResponse] | None = None
    if not path and method == "GET":
        handler = lambda: fhir.search_system(ctx, req)  # noqa: E731
    elif len(path) == 1 and path[0] != "_history":
        handler = {
            "GET": lambda: fhir.search_type(ctx, req, path[0]),
            "POST": lambda: fhir.create(ctx, _unconditional(req), path[0],
                                        assigned_id=entry.assigned_id)
            if entry.assigned_id else fhir.create(ctx, req, path[0]),
            "PUT": lambda: fhir.conditional_update(ctx, _with_id(req, entry.assigned_id),
                                                   path[0], entry.query),
            "DELETE": lambda: fhir.conditional_delete(ctx, req, path[0], entry.query),
        }.get(method)
        if method == "POST" and entry.assigned_id and entry.headers.get("if-none-exist"):
            handler = lambda: _existing_or_created(ctx, req, entry)  # noqa: E731
    elif len(path) == 2 and path[1] != "_history":
        handler = {
            "GET": lambda: fhir.read(ctx, req, path[0], path[1]),
            "PUT": lambda: fhir.update(ctx, req, path[0], path[1]),
            "PATCH": lambda: fhir.patch(ctx, req, path[0], path[1]),
            "DELETE": lambda: fhir.delete(ctx, req, path[0], path[1]),
        }.get(method)
    elif path and path[-1] == "_history" and len(path) <= 3 and method == "GET":
        handler = lambda: fhir.history(ctx, req, *path[:-1])  # noqa: E731
    elif len(path) == 4 and path[2] == "_history" and method == "GET":
        handler = lambda: fhir.vread(ctx, req, path[0], path[1], path[3])  # noqa: E731
    if handler is None:
        raise InvalidRequest(f"{entry.method} {'/'.join(path)} is not an interaction a "
                             "Bundle entry can hold")
    return handler()


def _existing_or_created(ctx: Context, req: FhirRequest, entry: Entry) -> FhirResponse:
    """A conditional create whose match was found while ids were assigned: 200, no write."""
    resource_type = entry.path[0]
    try:
        existing = ctx.store.read(resource_type, entry.assigned_id or "")
    except NotFound:
        return fhir.create(ctx, _unconditional(req), resource_type,
                           assigned_id=entry.assigned_id)
    return fhir.write_response(req, existing, 200)


def _with_id(req: FhirRequest, assigned_id: str | None) -> FhirRequest:
    """``req`` whose resource carries the id decided while ids were assigned (so that a
    conditional update that creates writes the resource references were rewritten to)."""
    if assigned_id is None or not isinstance(req.body, dict):
        return req
    return replace(req, body={**req.body, "id": assigned_id})


def _unconditional(req: FhirRequest) -> FhirRequest:
    """``req`` without its ``If-None-Exist``, already resolved when ids were assigned."""
    return replace(req, headers={k: v for k, v in req.headers.items() if k != "if-none-exist"})


def _entry_response(response: FhirResponse, *, reads: bool) -> dict[str, Any]:
    """``entry.response`` and the body: a read's resource as ``entry.resource``; a write's
    body as ``Prefer: return=`` chose it, its OperationOutcome in ``response.outcome``
    (https://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.response.outcome)."""
    status = HTTPStatus(response.status)
    result: dict[str, Any] = {"status": f"{status.value} {status.phrase}"}
    headers = response.headers
    if "Location" in headers:
        result["location"] = headers["Location"]
    if "ETag" in headers:
        result["etag"] = headers["ETag"]
    if "Last-Modified" in headers:
        result["lastModified"] = parsedate_to_datetime(headers["Last-Modified"]).isoformat()
    body = response.resource
    if not reads and isinstance(body, dict) and body.get("resourceType") == "OperationOutcome":
        result["outcome"] = body
        body = None
    entry: dict[str, Any] = {} if body is None else {"resource": body}
    entry["response"] = result
    return entry


def _error_entry(error: FhirError) -> dict[str, Any]:
    status = HTTPStatus(int(error.status))
    return {"response": {"status": f"{status.value} {status.phrase}",
                         "outcome": error.outcome()}}
