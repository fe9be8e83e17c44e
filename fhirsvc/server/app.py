"""The Flask app: one thin route table over the framework-neutral interactions.

``create_app(config)`` opens the store, registers :data:`fhirsvc.server.routes.ROUTES`
under the FHIR base (``/fhir``), and installs the HTTP behaviour every route shares:
format negotiation (JSON, XML), gzip, CORS, body limits and the three error handlers
that turn every failure into an OperationOutcome (https://hl7.org/fhir/R4/http.html).
"""

from __future__ import annotations

import gzip
import logging
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from fhirsvc.errors import (
    FhirError,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from fhirsvc.outcome import Issue, Severity, operation_outcome
from fhirsvc.server.config import ServerConfig
from fhirsvc.server.context import Context, FhirRequest, FhirResponse, build_context
from fhirsvc.server.formats import (
    CONTENT_TYPES,
    FORM_TYPE,
    Format,
    media_type,
    parse_body,
    pretty_requested,
    render,
    response_format,
)
from fhirsvc.server.routes import ROUTES, Route
from fhirsvc.storage import ResourceStore, open_store

log = logging.getLogger(__name__)
CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = ("Accept, Authorization, Content-Type, If-Match, If-None-Match, "
                "If-None-Exist, If-Modified-Since, Prefer")
EXPOSED_HEADERS = "Location, Content-Location, ETag, Last-Modified"


def create_app(config: ServerConfig | None = None, *, store: ResourceStore | None = None
               ) -> Flask:
    """A WSGI app serving FHIR R4 at ``config.base_path`` (``/fhir``); without a config,
    settings come from the environment (:meth:`ServerConfig.from_environment`)."""
    config = config or ServerConfig.from_environment()
    store = store if store is not None else open_store(config.database)
    ctx = build_context(store, config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["fhirsvc"] = ctx
    app.url_map.strict_slashes = False
    app.url_map.converters["rtype"] = ResourceTypeConverter
    for route in {route.endpoint: route for route in reversed(ROUTES)}.values():
        app.add_url_rule(config.base_path.rstrip("/") + route.rule, endpoint=route.endpoint,
                         view_func=_view(ctx, route), methods=[route.method])
    app.register_error_handler(FhirError, _fhir_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.before_request(_preflight)
    app.after_request(_finish)
    return app


class ResourceTypeConverter(BaseConverter):
    """A resource type name in a URL: ``Patient``, not ``metadata`` or ``_history``."""

    regex = "[A-Z][A-Za-z]{1,63}"


def _view(ctx: Context, route: Route) -> Any:
    def view(**args: str) -> Response:
        g.fhir_format = response_format(request.args.get("_format"),
                                        request.headers.get("Accept"))
        response = route.view(ctx, _request(ctx, route), **args)
        return _respond(response)

    view.__name__ = route.endpoint
    return view


def _request(ctx: Context, route: Route) -> FhirRequest:
    """The neutral request: parameters, lower-case headers and the body the route reads."""
    params = list(request.args.items(multi=True))
    body: Any = None
    if route.body == "form":
        mime = media_type(request.content_type)
        if request.content_length and mime != FORM_TYPE:
            raise UnsupportedMediaType(f"POST _search takes {FORM_TYPE}, not {mime!r}")
        params += list(request.form.items(multi=True))
    elif route.body == "raw":
        body = request.get_data()
    elif route.body:
        body = parse_body(request.get_data(), request.content_type, patch=route.body == "patch")
    base_url = (ctx.config.public_base_url
                or request.host_url.rstrip("/") + ctx.config.base_path).rstrip("/")
    headers = {name.lower(): value for name, value in request.headers.items()}
    return FhirRequest(request.method, base_url, tuple(params), headers, body)


def _format() -> Format:
    return getattr(g, "fhir_format", "json")


def _respond(response: FhirResponse) -> Response:
    fmt = _format()
    flask_response = Response(status=response.status, headers=response.headers)
    if response.resource is not None:
        flask_response.set_data(render(response.resource, fmt, pretty_requested(
            list(request.args.items(multi=True)))))
        flask_response.content_type = CONTENT_TYPES[fmt]
    return flask_response


def _outcome(status: int, issues: Any, headers: dict[str, str] | None = None) -> Response:
    response = FhirResponse(status, operation_outcome(issues), headers or {})
    try:
        return _respond(response)
    except FhirError:  # the outcome itself cannot be written as asked: send JSON
        g.fhir_format = "json"
        return _respond(response)


def _fhir_error(error: FhirError) -> Response:
    return _outcome(int(error.status), error.issues)


def _http_error(error: HTTPException) -> Response:
    """Routing and protocol errors from werkzeug, as OperationOutcomes."""
    code = error.code or 500
    headers: dict[str, str] = {}
    if code == 404:
        fhir: FhirError = NotFound(f"No FHIR endpoint at {request.path}")
    elif code == 405:
        fhir = MethodNotAllowed(f"{request.method} is not allowed on {request.path}")
        allow = error.get_headers()
        headers = {k: v for k, v in allow if k.lower() == "allow"}
    elif code == 413:
        fhir = PayloadTooLarge(f"The body exceeds the limit of "
                               f"{request.max_content_length} bytes")
    elif code == 415:
        fhir = UnsupportedMediaType(error.description or "Unsupported media type")
    elif code == 400:
        fhir = InvalidRequest(error.description or "Bad request")
    else:
        issue = Issue(Severity.ERROR, "exception", error.description or str(code))
        return _outcome(code, [issue])
    return _outcome(code, fhir.issues, headers)


def _unexpected_error(error: Exception) -> Response:
    """500 without internals; the traceback goes to the log."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    issue = Issue(Severity.FATAL, "exception", "Internal server error")
    return _outcome(500, [issue])


def _ctx() -> Context:
    from flask import current_app

    ctx: Context = current_app.extensions["fhirsvc"]
    return ctx


def _preflight() -> Response | None:
    """CORS preflight (``OPTIONS`` with ``Access-Control-Request-Method``): 204."""
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", CORS_HEADERS)
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    return None


def _finish(response: Response) -> Response:
    config = _ctx().config
    if config.cors_origin:
        response.headers["Access-Control-Allow-Origin"] = config.cors_origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method != "HEAD":
        _compress(response, config.gzip_min_bytes)
    return response


def _compress(response: Response, min_bytes: int) -> None:
    """gzip when the client accepts it and the body is worth it."""
    if response.direct_passthrough or "Content-Encoding" in response.headers:
        return
    if "gzip" not in request.headers.get("Accept-Encoding", "").lower():
        return
    data = response.get_data()
    if len(data) < min_bytes:
        return
    response.set_data(gzip.compress(data, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
