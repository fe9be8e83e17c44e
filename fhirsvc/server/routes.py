"""The route table: which URL and method runs which interaction.

One table serves both the Flask app (:mod:`fhirsvc.server.app` registers every row) and
the CapabilityStatement (:mod:`fhirsvc.server.capabilities` lists every row's
interaction), so the two cannot disagree. Rules are relative to the FHIR base;
``rtype`` matches a resource type name (capitalised), so ``/metadata`` is never taken for
a type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fhirsvc.errors import InvalidRequest
from fhirsvc.server import bundles
from fhirsvc.server import interactions as fhir
from fhirsvc.server.capabilities import capabilities
from fhirsvc.server.context import Context, FhirRequest, FhirResponse
from fhirsvc.server.operation import operation

View = Callable[..., FhirResponse]


def transaction_or_batch(ctx: Context, req: FhirRequest) -> FhirResponse:
    """``POST [base]`` with a Bundle: its ``type`` says transaction or batch."""
    kind = req.body.get("type") if isinstance(req.body, dict) else None
    if kind == "batch":
        return bundles.batch(ctx, req)
    if kind == "transaction":
        return bundles.transaction(ctx, req)
    raise InvalidRequest("POST to the base takes a Bundle of type transaction or batch")


def conditional_update(ctx: Context, req: FhirRequest, resource_type: str) -> FhirResponse:
    fhir.check_type(ctx, resource_type)
    return fhir.conditional_update(ctx, req, resource_type, _criteria(req))


def conditional_delete(ctx: Context, req: FhirRequest, resource_type: str) -> FhirResponse:
    fhir.check_type(ctx, resource_type)
    return fhir.conditional_delete(ctx, req, resource_type, _criteria(req))


def _criteria(req: FhirRequest) -> str:
    pairs = [(k, v) for k, v in req.params if k not in ("_format", "_pretty")]
    if not pairs:
        raise InvalidRequest("A conditional interaction needs search criteria in the URL")
    return urlencode(pairs)


def _instance_history(ctx: Context, req: FhirRequest, resource_type: str, resource_id: str
                      ) -> FhirResponse:
    return fhir.history(ctx, req, resource_type, resource_id)


def _type_history(ctx: Context, req: FhirRequest, resource_type: str) -> FhirResponse:
    return fhir.history(ctx, req, resource_type)


def _system_history(ctx: Context, req: FhirRequest) -> FhirResponse:
    return fhir.history(ctx, req)


@dataclass(frozen=True)
class Route:
    """``method rule`` runs ``view``; ``interaction`` is its CapabilityStatement code and
    ``level`` where it is listed (``system``, ``type``, or ``operation``)."""

    rule: str
    method: str
    view: View
    interaction: str
    level: str
    #: The body this route reads: "resource", "patch", "form", "raw" (operations) or "".
    body: str = ""

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.rule}"


TYPE = "/<rtype:resource_type>"
INSTANCE = TYPE + "/<resource_id>"
ROUTES: tuple[Route, ...] = (
    Route("/metadata", "GET", capabilities, "capabilities", "system"),
    Route("/", "POST", transaction_or_batch, "transaction", "system", "resource"),
    Route("/", "POST", transaction_or_batch, "batch", "system", "resource"),
    Route("/_history", "GET", _system_history, "history-system", "system"),
    Route("/", "GET", fhir.search_system, "search-system", "system"),
    Route("/_search", "POST", fhir.search_system, "search-system", "system", "form"),
    Route(TYPE, "GET", fhir.search_type, "search-type", "type"),
    Route(TYPE + "/_search", "POST", fhir.search_type, "search-type", "type", "form"),
    Route(TYPE, "POST", fhir.create, "create", "type", "resource"),
    Route(TYPE, "PUT", conditional_update, "update", "type", "resource"),
    Route(TYPE, "DELETE", conditional_delete, "delete", "type"),
    Route(TYPE + "/_history", "GET", _type_history, "history-type", "type"),
    Route(INSTANCE, "GET", fhir.read, "read", "type"),
    Route(INSTANCE, "PUT", fhir.update, "update", "type", "resource"),
    Route(INSTANCE, "PATCH", fhir.patch, "patch", "type", "patch"),
    Route(INSTANCE, "DELETE", fhir.delete, "delete", "type"),
    Route(INSTANCE + "/_history", "GET", _instance_history, "history-instance", "type"),
    Route(INSTANCE + "/_history/<version_id>", "GET", fhir.vread, "vread", "type"),
    *(Route(rule + "/$<name>", method, operation, "operation", "operation", "raw")
      for rule in ("", TYPE, INSTANCE) for method in ("GET", "POST")),
)


def interactions(level: str) -> list[str]:
    """The interaction codes the table implements at ``level``, in table order, once each."""
    seen: dict[str, Any] = {}
    for route in ROUTES:
        if route.level == level:
            seen.setdefault(route.interaction, route)
    return list(seen)
