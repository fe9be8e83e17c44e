"""Invoking an operation: ``[base]/$op``, ``[base]/[type]/$op``, ``[base]/[type]/[id]/$op``
(https://hl7.org/fhir/R4/operations.html). The operations themselves live in
:mod:`fhirsvc.server.operations`; this builds their :class:`OperationCall` and answers
their :class:`OperationResult`."""

from __future__ import annotations

from fhirsvc.errors import MethodNotAllowed
from fhirsvc.server.context import Context, FhirRequest, FhirResponse
from fhirsvc.server.formats import body_media_type
from fhirsvc.server.interactions import check_served
from fhirsvc.server.operations import Level, OperationCall, find


def operation(ctx: Context, req: FhirRequest, name: str, resource_type: str | None = None,
              resource_id: str | None = None) -> FhirResponse:
    """Run ``$name``; ``req.body`` is the raw request body (the operation parses it)."""
    if resource_type is not None:
        check_served(ctx, resource_type)
    level = (Level.INSTANCE if resource_id is not None
             else Level.TYPE if resource_type is not None else Level.SYSTEM)
    found = find(name, level, resource_type)
    if req.method == "GET" and found.affects_state:
        raise MethodNotAllowed(f"${name} changes data and must be invoked with POST")
    call = OperationCall(
        name=name, level=level, resource_type=resource_type, resource_id=resource_id,
        method=req.method,
        params=req.params, body=req.body or b"",
        content_type=body_media_type(req.header("content-type"), req.body or b"") or None,
        base_url=req.base_url,
    )
    result = found.handler(call, ctx.services)
    return FhirResponse(result.status, result.resource, dict(result.headers))
