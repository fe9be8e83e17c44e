"""One function per FHIR RESTful interaction, named as the spec names it
(https://hl7.org/fhir/R4/http.html): ``read``, ``vread``, ``update``, ``patch``,
``delete``, ``history``, ``create``, ``search_type``, ``search_system``;
``transaction``/``batch`` live in :mod:`fhirsvc.server.bundles` and ``capabilities`` in
:mod:`fhirsvc.server.capabilities`.

Each takes a :class:`Context` and a :class:`FhirRequest` and returns a
:class:`FhirResponse`; none knows about Flask. Stored resources go out as the JSON text
the store kept (:class:`RawJson`), never parsed and re-encoded unless asked to change.
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, quote_plus

from fhirsvc.errors import (
    InvalidRequest,
    NotFound,
    PreconditionFailed,
    Unprocessable,
)
from fhirsvc.jsontext import TOO_DEEP, NotJson, check_depth
from fhirsvc.memo import MAX_CHARS
from fhirsvc.outcome import Issue, Severity, operation_outcome
from fhirsvc.server import conformance
from fhirsvc.server.context import (
    Context,
    FhirRequest,
    FhirResponse,
    Params,
    RawJson,
    json_string,
)
from fhirsvc.server.subset import subset
from fhirsvc.storage import (
    RequestLine,
    ResourceStore,
    StoredResource,
    parse_search,
    parse_system_search,
)
from fhirsvc.storage.search.control import page_size
from fhirsvc.storage.search.query import SearchQuery
from fhirsvc.storage.search.result import SearchResult
from fhirsvc.storage.values import format_instant, to_micros

#: Most matches a conditional interaction looks at: two are enough to know it is ambiguous.
_CONDITIONAL_PROBE = 2


# ------------------------------------------------------------------------------ helpers


def check_type(ctx: Context, resource_type: str) -> None:
    """404 for a type this server does not store (https://hl7.org/fhir/R4/http.html#3.1.0.4),
    405 for the conformance types, served read-only from files (:mod:`conformance`)."""
    if conformance.serves(resource_type):
        raise conformance.refuse(resource_type)
    check_served(ctx, resource_type)


def check_served(ctx: Context, resource_type: str) -> None:
    """404 for a type this server knows neither as stored nor as a conformance type."""
    if resource_type not in ctx.registry.resource_types and \
            not conformance.serves(resource_type):
        raise NotFound(f"Resource type {resource_type!r} is not supported by this server")


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def http_date(moment: datetime) -> str:
    """An IMF-fixdate (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7), as
    ``email.utils.format_datetime(…, usegmt=True)`` writes it."""
    return micros_http_date(to_micros(moment))


def micros_http_date(micros: int) -> str:
    """:func:`http_date` of a stored ``last_updated`` (microseconds since the epoch): the
    day's part remembered per day, the time of day from two-digit strings; every read
    sends one in Last-Modified, and formatting a ``datetime`` cost as much as the rest of
    the interaction."""
    day, second = divmod(micros // 1_000_000, 86_400)
    hour, second = divmod(second, 3600)
    minute, second = divmod(second, 60)
    return f"{_day_of(day)}{_TWO_DIGITS[hour]}:{_TWO_DIGITS[minute]}:{_TWO_DIGITS[second]} GMT"


_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))


@functools.lru_cache(maxsize=1024)
def _day_of(day: int) -> str:
    """``Tue, 24 Nov 2026 `` for the day ``day`` days after 1970-01-01."""
    utc = time.gmtime(day * 86_400)
    return (f"{_DAYS[utc.tm_wday]}, {utc.tm_mday:02d} {_MONTHS[utc.tm_mon - 1]} "
            f"{utc.tm_year:04d} ")


def version_headers(saved: StoredResource) -> dict[str, str]:
    return {"ETag": saved.etag, "Last-Modified": micros_http_date(saved.last_updated_micros)}


def parse_version(text: str | None, what: str) -> int | None:
    """The version number of an ETag (``W/"3"``, ``"3"``) or a version id; None if absent."""
    if text is None or text == "":
        return None
    bare = text.strip().removeprefix("W/").strip('"')
    if not (bare.isascii() and bare.isdigit()):  # not "²", which int() refuses
        raise InvalidRequest(f"{what} {text!r} does not name a version")
    return int(bare)


def resource_body(saved: StoredResource, req: FhirRequest) -> Any:
    """The stored JSON, or the ``_summary``/``_elements`` subset the request asks for."""
    summary = req.param("_summary")
    elements = req.param("_elements")
    if summary in (None, "false") and not elements:
        return RawJson(saved.text)
    wanted = tuple(e.strip() for e in (elements or "").split(",") if e.strip())
    return subset(saved.resource, summary, wanted)


def informational(message: str) -> dict[str, Any]:
    return operation_outcome([Issue(Severity.INFORMATION, "informational", message)])


def body_resource(req: FhirRequest, resource_type: str) -> dict[str, Any]:
    """The request's resource, which must be of the URL's type (400 otherwise)."""
    resource = req.body
    if resource is None:
        raise InvalidRequest(f"A {resource_type} resource is required in the body")
    if not isinstance(resource, dict):
        raise InvalidRequest("The body must be a JSON object (a FHIR resource)")
    if resource.get("resourceType") != resource_type:
        raise InvalidRequest(
            f"The body is a {resource.get('resourceType')!r} resource, "
            f"the URL names {resource_type}",
            expression=("resourceType",))
    return resource


def validate_write(ctx: Context, resource: dict[str, Any]) -> None:
    """422 with every issue when ``resource`` breaks R4 (https://hl7.org/fhir/R4/http.html#2.21.0.16)."""
    if ctx.prevalidated:
        return
    issues = ctx.services.validator().validate(resource, layers=ctx.config.write_layers)
    if any(issue.is_error for issue in issues):
        raise Unprocessable(issues)


def write_response(req: FhirRequest, saved: StoredResource, status: int) -> FhirResponse:
    """Location, ETag, Last-Modified and the body ``Prefer: return=`` asks for."""
    headers = version_headers(saved)
    headers["Location"] = f"{req.base_url}/{saved.reference}/_history/{saved.version}"
    prefer = req.prefer("return")
    body: Any
    if prefer == "minimal":
        body = None
    elif prefer == "operationoutcome":
        verb = "Created" if status == 201 else "Updated"
        body = informational(f"{verb} {saved.reference} (version {saved.version})")
    else:
        body = RawJson(saved.text)
    return FhirResponse(status, body, headers)


def matches(ctx: Context, store: ResourceStore, resource_type: str, criteria: str,
            limit: int = _CONDITIONAL_PROBE) -> list[StoredResource]:
    """The resources a conditional interaction's search criteria select (at most ``limit``).

    Criteria the server does not understand are refused rather than ignored: ignoring
    them would widen the match and update or delete the wrong resource.
    """
    pairs = parse_qsl(criteria, keep_blank_values=True)
    if not pairs:
        raise InvalidRequest(f"Conditional criteria {criteria!r} are empty")
    query = parse_search(resource_type, [*pairs, ("_count", str(limit))], strict=True,
                         registry=ctx.registry)
    if not query.conditions:  # `name=` (empty values are no criterion), `_count=1`
        raise InvalidRequest(f"Conditional criteria {criteria!r} select no resource in "
                             "particular: a criterion with a value is needed")
    return store.search(query).matches


def single_match(ctx: Context, tx: ResourceStore, resource_type: str, criteria: str
                 ) -> StoredResource | None:
    """The one resource a conditional interaction's criteria select, None for none, 412
    for several. The criteria are locked first, so two concurrent conditional requests
    cannot both see "none" and both create."""
    tx.lock(f"{resource_type}?{criteria}")
    found = matches(ctx, tx, resource_type, criteria)
    if len(found) > 1:
        raise PreconditionFailed(f"{resource_type}?{criteria} matches more than one resource")
    return found[0] if found else None


# --------------------------------------------------------------------- instance level


def read(ctx: Context, req: FhirRequest, resource_type: str, resource_id: str
         ) -> FhirResponse:
    """``GET [base]/[type]/[id]``, honouring If-None-Match and If-Modified-Since (304)."""
    if conformance.serves(resource_type):
        return conformance.read(req, resource_type, resource_id)
    check_type(ctx, resource_type)
    saved = ctx.store.read(resource_type, resource_id)
    if _not_modified(req, saved):
        return FhirResponse(304, None, version_headers(saved))
    return FhirResponse(200, resource_body(saved, req), version_headers(saved))


def _not_modified(req: FhirRequest, saved: StoredResource) -> bool:
    if_none_match = req.header("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or any(
            tag.removeprefix("W/") == saved.etag.removeprefix("W/") for tag in tags)
    if_modified_since = req.header("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return saved.last_updated.replace(microsecond=0) <= since
    return False


def vread(ctx: Context, req: FhirRequest, resource_type: str, resource_id: str,
          version_id: str) -> FhirResponse:
    """``GET [base]/[type]/[id]/_history/[vid]``."""
    check_type(ctx, resource_type)
    # not "²", which int() refuses, nor a number past the database's 64-bit integers
    if not (version_id.isascii() and version_id.isdigit()) or len(version_id) > 18:
        raise NotFound(f"{resource_type}/{resource_id} has no version {version_id!r}")
    saved = ctx.store.vread(resource_type, resource_id, int(version_id))
    return FhirResponse(200, resource_body(saved, req), version_headers(saved))


def update(ctx: Context, req: FhirRequest, resource_type: str, resource_id: str
           ) -> FhirResponse:
    """``PUT [base]/[type]/[id]``: a new version, or the resource created under the
    client's id (https://hl7.org/fhir/R4/http.html#upsert)."""
    check_type(ctx, resource_type)
    resource = body_resource(req, resource_type)
    if resource.get("id") != resource_id:
        given = "has no id" if resource.get("id") is None else \
            f"has the id {resource['id']!r}"
        raise InvalidRequest(f"The body {given}; an update's body carries the URL's id "
                             f"{resource_id!r}", expression=("id",))
    validate_write(ctx, resource)
    expected = parse_version(req.header("if-match"), "If-Match")
    saved = ctx.store.update(resource, expected_version=expected,
                             request=RequestLine("PUT", f"{resource_type}/{resource_id}"))
    return write_response(req, saved, 201 if saved.operation == "create" else 200)


def conditional_update(ctx: Context, req: FhirRequest, resource_type: str, criteria: str
                       ) -> FhirResponse:
    """``PUT [base]/[type]?[criteria]`` (https://hl7.org/fhir/R4/http.html#cond-update)."""
    check_type(ctx, resource_type)
    resource = body_resource(req, resource_type)
    validate_write(ctx, resource)
    expected = parse_version(req.header("if-match"), "If-Match")
    request = RequestLine("PUT", f"{resource_type}?{criteria}")
    with ctx.store.transaction() as tx:
        found = single_match(ctx, tx, resource_type, criteria)
        if found:
            body_id = resource.get("id")
            if body_id is not None and body_id != found.id:
                raise InvalidRequest(f"The body's id {body_id!r} differs from the matching "
                                     f"resource {found.reference}", expression=("id",))
            saved = tx.update({**resource, "id": found.id}, expected_version=expected,
                              request=request)
        elif resource.get("id"):
            saved = tx.update(resource, expected_version=expected, request=request)
        else:
            saved = tx.create(resource, request=request)
    return write_response(req, saved, 201 if saved.operation == "create" else 200)


def patch(ctx: Context, req: FhirRequest, resource_type: str, resource_id: str
          ) -> FhirResponse:
    """``PATCH [base]/[type]/[id]`` with a JSON Patch (https://hl7.org/fhir/R4/http.html#patch)."""
    import jsonpatch

    check_type(ctx, resource_type)
    operations = req.body
    if not isinstance(operations, list):
        raise InvalidRequest("A JSON Patch body is a JSON array of operations")
    expected = parse_version(req.header("if-match"), "If-Match")
    with ctx.store.transaction() as tx:
        current = tx.read(resource_type, resource_id)
        if expected is not None and expected != current.version:
            raise PreconditionFailed(
                f"{current.reference} is at version {current.version}, not {expected}")
        try:
            patched = jsonpatch.apply_patch(current.resource, operations)
            check_depth(patched)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as error:
            raise Unprocessable(f"The patch cannot be applied: {error}") from None
        except NotJson as error:  # each value in bounds, the patched resource not
            raise Unprocessable(f"The patched resource would be {error}") from None
        except RecursionError:  # jsonpatch copies and compares values by recursion
            raise Unprocessable(f"The patched resource would be {TOO_DEEP}") from None
        except (TypeError, KeyError, ValueError, AttributeError) as error:
            raise InvalidRequest(f"The patch is malformed: {error}") from None
        if not isinstance(patched, dict) or patched.get("resourceType") != resource_type \
                or patched.get("id") != resource_id:
            raise Unprocessable("A patch may not change the resource's type or id")
        validate_write(ctx, patched)
        saved = tx.update(patched, expected_version=current.version,
                          request=RequestLine("PATCH", current.reference))
    return write_response(req, saved, 200)


def delete(ctx: Context, req: FhirRequest, resource_type: str, resource_id: str
           ) -> FhirResponse:
    """``DELETE [base]/[type]/[id]``; a later read answers 410 Gone."""
    check_type(ctx, resource_type)
    expected = parse_version(req.header("if-match"), "If-Match")
    saved = ctx.store.delete(resource_type, resource_id, expected_version=expected,
                             request=RequestLine("DELETE", f"{resource_type}/{resource_id}"))
    return delete_response(req, f"Deleted {saved.reference}", {"ETag": saved.etag})


def delete_response(req: FhirRequest, message: str, headers: dict[str, str] | None = None
                    ) -> FhirResponse:
    """What a delete answers, by ``Prefer: return=``: ``minimal`` 204 and no body;
    otherwise 200 with an OperationOutcome saying what happened (``OperationOutcome``,
    and the default; ``representation`` too, a deleted resource having none to show).
    See https://hl7.org/fhir/R4/http.html#delete and #ops."""
    if req.prefer("return") == "minimal":
        return FhirResponse(204, None, headers or {})
    return FhirResponse(200, informational(message), headers or {})


def conditional_delete(ctx: Context, req: FhirRequest, resource_type: str, criteria: str
                       ) -> FhirResponse:
    """``DELETE [base]/[type]?[criteria]``: one match is deleted, several are refused
    (412), none is not an error (https://hl7.org/fhir/R4/http.html#3.1.0.7.1)."""
    check_type(ctx, resource_type)
    with ctx.store.transaction() as tx:
        found = single_match(ctx, tx, resource_type, criteria)
        if not found:
            return delete_response(req, f"No {resource_type} matched; nothing deleted")
        saved = tx.delete(resource_type, found.id,
                          request=RequestLine("DELETE", f"{resource_type}?{criteria}"))
    return delete_response(req, f"Deleted {saved.reference}", {"ETag": saved.etag})


# ------------------------------------------------------------------------- type level


def create(ctx: Context, req: FhirRequest, resource_type: str, *,
           assigned_id: str | None = None) -> FhirResponse:
    """``POST [base]/[type]``, conditional with ``If-None-Exist``
    (https://hl7.org/fhir/R4/http.html#ccreate). Any id in the body is replaced, by a new
    one or by ``assigned_id`` (a transaction decides ids before it writes)."""
    check_type(ctx, resource_type)
    resource = body_resource(req, resource_type)
    validate_write(ctx, resource)
    criteria = req.header("if-none-exist")
    request = RequestLine("POST", resource_type)
    if not criteria:
        if assigned_id is not None:
            return write_response(req, ctx.store.update({**resource, "id": assigned_id},
                                                        request=request), 201)
        return write_response(req, ctx.store.create(resource, request=request), 201)
    with ctx.store.transaction() as tx:
        found = single_match(ctx, tx, resource_type, criteria)
        if found:
            return write_response(req, found, 200)
        saved = tx.create(resource)
    return write_response(req, saved, 201)


def search_type(ctx: Context, req: FhirRequest, resource_type: str) -> FhirResponse:
    """``GET [base]/[type]?…`` and ``POST [base]/[type]/_search``: a searchset Bundle."""
    if conformance.serves(resource_type):
        return conformance.search(req, resource_type)
    check_type(ctx, resource_type)
    query = parse_search(resource_type, req.params, strict=req.strict, registry=ctx.registry,
                         default_count=ctx.config.default_count,
                         max_count=ctx.config.max_count)
    return FhirResponse(200, searchset(req, ctx.store.search(query)))


def search_system(ctx: Context, req: FhirRequest) -> FhirResponse:
    """``GET [base]?…`` and ``POST [base]/_search``: one searchset across the types
    ``_type`` names, or across all of them with the parameters every resource has
    (https://hl7.org/fhir/R4/http.html#search, https://hl7.org/fhir/R4/search.html#_type)."""
    query = parse_system_search(req.params, strict=req.strict, registry=ctx.registry,
                                default_count=ctx.config.default_count,
                                max_count=ctx.config.max_count)
    return FhirResponse(200, searchset(req, ctx.store.search(query)))


def searchset(req: FhirRequest, result: SearchResult) -> dict[str, Any]:
    """The searchset Bundle of one page (https://hl7.org/fhir/R4/bundle.html#searchset)."""
    query = result.query
    link = [_link("self", req, query, query.page_params(query.cursor))]
    for relation, pairs in (("next", result.next_params()),
                            ("previous", result.previous_params())):
        if pairs is not None:
            link.append(_link(relation, req, query, pairs))
    entry: list[dict[str, Any]] = []
    if not query.count_only:
        entry += [_search_entry(req, saved, query, "match") for saved in result.matches]
        entry += [_search_entry(req, saved, query, "include") for saved in result.included]
    if result.issues:  # the query's own issues are among them
        entry.append({"resource": operation_outcome(result.issues),
                      "search": {"mode": "outcome"}})
    return bundle("searchset", total=result.total, link=link, entry=entry)


def _link(relation: str, req: FhirRequest, query: SearchQuery,
          pairs: list[tuple[str, str]]) -> dict[str, str]:
    url = f"{req.base_url}/{query.resource_type}" if query.resource_type else req.base_url
    return {"relation": relation, "url": _with_query(url, pairs)}


def _search_entry(req: FhirRequest, saved: StoredResource, query: SearchQuery, mode: str
                  ) -> Any:
    if mode == "match" and (query.summary not in (None, "false") or query.elements):
        resource: Any = subset(saved.resource, query.summary, query.elements)
    elif query.summary in ("true", "text", "data"):
        resource = subset(saved.resource, query.summary, ())
    else:  # the common case, kept as text: the stored JSON is spliced in, never re-encoded
        return RawJson(f'{{"fullUrl":{json_string(f"{req.base_url}/{saved.reference}")},'
                       f'"resource":{saved.text},"search":{{"mode":"{mode}"}}}}')
    return {"fullUrl": f"{req.base_url}/{saved.reference}", "resource": resource,
            "search": {"mode": mode}}


def bundle(bundle_type: str, *, total: int | None = None, link: list[dict[str, str]] | None = None,
           entry: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A Bundle the server answers with (its id is new each time: it is not stored)."""
    made: dict[str, Any] = {"resourceType": "Bundle", "id": str(uuid.uuid4()),
                            "meta": {"lastUpdated": format_instant(_now_micros())},
                            "type": bundle_type}
    if total is not None:
        made["total"] = total
    if link:
        made["link"] = link
    if entry:  # JSON arrays are never empty in FHIR (https://hl7.org/fhir/R4/json.html)
        made["entry"] = entry
    return made


def _now_micros() -> int:
    return int(datetime.now(UTC).timestamp() * 1_000_000)


# ---------------------------------------------------------------------------- history


def history(ctx: Context, req: FhirRequest, resource_type: str | None = None,
            resource_id: str | None = None) -> FhirResponse:
    """``GET [base]/_history``, ``[base]/[type]/_history``, ``[base]/[type]/[id]/_history``
    with ``_since`` and ``_count`` (https://hl7.org/fhir/R4/http.html#history)."""
    if resource_type is not None:
        check_type(ctx, resource_type)
    since = _instant(req.param("_since"))
    count, _ = page_size(req.param("_count") or str(ctx.config.default_count),
                         ctx.config.max_count)
    page = ctx.store.history(resource_type, resource_id, since=since, count=count,
                             cursor=req.param("_cursor"))
    path = "/".join(part for part in (resource_type, resource_id) if part)
    url = f"{req.base_url}/{path + '/' if path else ''}_history"
    kept: Params = tuple((k, v) for k, v in req.params if k != "_cursor")
    link = [{"relation": "self", "url": _with_query(url, list(req.params))}]
    if page.next_cursor:
        link.append({"relation": "next",
                     "url": _with_query(url, [*kept, ("_cursor", page.next_cursor)])})
    entry = [_history_entry(req, saved) for saved in page.entries]
    return FhirResponse(200, bundle("history", total=page.total, link=link, entry=entry))


def _with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    return f"{url}?{query_string(pairs)}" if pairs else url


def query_string(pairs: list[tuple[str, str]]) -> str:
    """``urllib.parse.urlencode(pairs)``, in a fraction of its time: every searchset
    writes two or three links, and ``urlencode`` quotes each key and value through
    several layers of Python."""
    return "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in pairs)


#: What ``quote_plus`` leaves as it is (https://docs.python.org/3/library/urllib.parse.html#urllib.parse.quote).
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quoted(text: str) -> str:
    """``quote_plus(text)``: a cursor or ``_count`` needs no quoting, and the other
    values of a server's searches repeat (remembered when short, as ``remember_short``
    does, checked here: a searchset quotes a dozen texts, and its call cost a microsecond
    each)."""
    if _UNQUOTED.fullmatch(text):
        return text
    return _quoted_remembered(text) if len(text) <= MAX_CHARS else quote_plus(text)


@functools.lru_cache(maxsize=4096)
def _quoted_remembered(text: str) -> str:
    return quote_plus(text)


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        # a space is the offset's unencoded '+', turned into one by query decoding
        moment = datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        raise InvalidRequest(f"_since {text!r} is not an instant") from None
    if moment.tzinfo is None:
        raise InvalidRequest(f"_since {text!r} needs a time zone (an instant)")
    return moment


def _history_entry(req: FhirRequest, saved: StoredResource) -> dict[str, Any]:
    """One version: ``request`` says what was done (the recorded method and URL, so a
    client replaying the history PUTs a client-assigned id rather than POSTing for a new
    one), ``response`` what the server answered."""
    url = f"{req.base_url}/{saved.reference}"
    status = {"create": "201 Created", "update": "200 OK", "delete": "204 No Content"}
    entry: dict[str, Any] = {"fullUrl": url}
    if not saved.deleted:
        entry["resource"] = RawJson(saved.text)
    request = saved.request
    entry["request"] = {"method": request.method, "url": request.url}
    entry["response"] = {"status": status[saved.operation], "etag": saved.etag,
                         "lastModified": format_instant(saved.last_updated_micros)}
    return entry

