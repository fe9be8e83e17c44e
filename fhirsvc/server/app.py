"""The Flask app: one thin route table over the framework-neutral interactions.

``create_app(config)`` opens the store, registers :data:`fhirsvc.server.routes.ROUTES`
under the FHIR base (``/fhir``), and installs the HTTP behaviour every route shares:
format negotiation (JSON, XML), gzip, CORS, body limits and the three error handlers
that turn every failure into an OperationOutcome (https://hl7.org/fhir/R4/http.html).
"""

from __future__ import annotations

import functools
import gzip
import logging
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, Request, Response, current_app, request
from flask.globals import request_ctx
from flask.sessions import NullSession, SecureCookieSession, SecureCookieSessionInterface
from flask.signals import request_tearing_down
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.http import is_entity_header
from werkzeug.routing import BaseConverter, MapAdapter

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
from fhirsvc.server.context import (
    Context,
    FhirRequest,
    FhirResponse,
    Params,
    build_context,
    first_param,
)
from fhirsvc.server.formats import (
    CONTENT_TYPES,
    FORM_TYPE,
    Format,
    body_media_type,
    parse_body,
    render,
    response_format,
)
from fhirsvc.server.routes import ROUTES, TYPE, Route
from fhirsvc.storage import ResourceStore, default_database_path, open_store

log = logging.getLogger(__name__)
CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = ("Accept, Authorization, Content-Type, If-Match, If-None-Match, "
                "If-None-Exist, If-Modified-Since, Prefer")
EXPOSED_HEADERS = "Location, Content-Location, ETag, Last-Modified"
#: The response format a view negotiated, for its error handlers: kept in the WSGI environ
#: (a dict the view holds), which is cheaper to write than Flask's ``g`` through its proxy.
FORMAT_KEY = "fhirsvc.format"


def create_app(config: ServerConfig | None = None, *, store: ResourceStore | None = None
               ) -> Flask:
    """A WSGI app serving FHIR R4 at ``config.base_path`` (``/fhir``); without a config,
    settings come from the environment (:meth:`ServerConfig.from_environment`)."""
    if config is None and store is None:
        config, store = _from_environment()
    config = config or ServerConfig.from_environment()
    store = store if store is not None else open_store(config.database)
    ctx = build_context(store, config)
    app = FhirFlask(__name__, finish=Finisher(config))
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["fhirsvc"] = ctx
    app.url_map.strict_slashes = False
    app.url_map.redirect_defaults = False  # a served type's rules are not redirects
    # no 308 with an HTML body for ``/fhir//Patient``: a 404 OperationOutcome, as for any
    # path no endpoint serves (merging could also change what a path means: an empty id)
    app.url_map.merge_slashes = False
    app.url_map.converters["rtype"] = ResourceTypeConverter
    base = config.base_path.rstrip("/")
    served = sorted(ctx.registry.resource_types)
    for route in {route.endpoint: route for route in reversed(ROUTES)}.values():
        view = _view(ctx, route, app.finish)
        for rule, defaults in _rules(route.rule, served):
            app.add_url_rule(base + rule, endpoint=route.endpoint, view_func=view,
                             methods=[route.method], defaults=defaults)
    app.register_error_handler(FhirError, _fhir_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


class _Sessions(SecureCookieSessionInterface):
    """Flask's cookie sessions; without a secret key (the server keeps no sessions) one
    shared, unchangeable :class:`NullSession` for every request instead of a new one each
    (Flask signs no cookie then either: ``get_signing_serializer`` gives None)."""

    _none = NullSession()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return self._none
        return super().open_session(app, request)


class FhirFlask(Flask):
    """Flask, with the HTTP behaviour every response shares (CORS, gzip: ``finish``) applied
    where responses are made rather than in request hooks, which Flask runs through its
    hook machinery on every request; and remembering per function whether it needs
    wrapping as a coroutine (Flask asks ``inspect`` again for every request)."""

    def __init__(self, *args: Any, finish: Finisher, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Any] = {}
        self._bound: dict[tuple[Any, ...], tuple[str, str, str, str | None, str]] = {}
        self.finish = finish
        self.session_interface = _Sessions()

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Flask's URL adapter of a request, its host part (``request.host``, the server
        name werkzeug checks and IDNA-encodes, script name, subdomain, scheme) remembered
        per the environ values it is made of: Flask's ``get_host``, werkzeug's
        ``bind_to_environ`` and ``bind`` did that work for every request, about 4% of a
        read's CPU. The same adapter either way (``tests/server/test_http.py``); Flask's
        own path when a setting changes how the host is read (trusted hosts, a server
        name, subdomain or host matching)."""
        config = self.config
        if request is None or config["TRUSTED_HOSTS"] is not None \
                or config["SERVER_NAME"] is not None or self.subdomain_matching \
                or self.url_map.host_matching:
            return super().create_url_adapter(request)
        environ = request.environ
        get = environ.get  # the values the host part is made of (Flask's settings aside)
        key = (get("wsgi.url_scheme"), get("HTTP_HOST"), get("SERVER_NAME"), get("SERVER_PORT"),
               get("SCRIPT_NAME"), get("HTTP_CONNECTION"), get("HTTP_UPGRADE"))
        bound = self._bound.get(key)
        if bound is None:
            adapter = super().create_url_adapter(request)
            if adapter is None:  # not made for a request by Flask's settings here
                return None
            if len(self._bound) >= 64:  # clients choose Host: keep the memory bounded
                self._bound.clear()
            self._bound[key] = (request.host, adapter.server_name, adapter.script_name,
                                adapter.subdomain, adapter.url_scheme)
            return adapter
        request.host, server_name, script_name, subdomain, scheme = bound
        path = environ.get("PATH_INFO")
        query = environ.get("QUERY_STRING")
        return MapAdapter(self.url_map, server_name, script_name, subdomain, scheme,
                          "/" if path is None else _wsgi_text(path), environ["REQUEST_METHOD"],
                          None if query is None else _wsgi_text(query))

    def preprocess_request(self) -> Any:
        """CORS preflight first (before routing errors: a preflight of any URL is 204).
        Flask's own walk over URL value preprocessors and ``before_request`` functions
        (by the request's blueprint names, worked out from its endpoint) only when any is
        registered: none is, and the walk cost every request a few microseconds."""
        http = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
        if http.method == "OPTIONS":
            preflight = self.finish.preflight(http.environ)
            if preflight is not None:
                return preflight
        if not self.url_value_preprocessors and not self.before_request_funcs:
            return None
        return super().preprocess_request()

    def process_response(self, response: Response) -> Response:
        """Flask's ``after_request`` functions and session saving, when there are any
        (neither is, unless an ``after_request`` function or a secret key is added)."""
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
        if self.after_request_funcs or ctx._after_request_functions \
                or not self.session_interface.is_null_session(ctx._session):
            return super().process_response(response)
        return response

    def do_teardown_request(self, *args: Any, **kwargs: Any) -> None:
        """Flask's teardown, its signal sent as Flask sends it; its walk over
        ``teardown_request`` functions by blueprint names only when any is registered."""
        if self.teardown_request_funcs or len(args) != 1 or kwargs:
            super().do_teardown_request(*args, **kwargs)
            return
        request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=args[0])

    def make_default_options_response(self) -> Response:
        """Flask's automatic ``OPTIONS`` answer (``Allow``), with the CORS headers."""
        response = super().make_default_options_response()
        self.finish.cors(response.headers)
        return response

    def ensure_sync(self, func: Any) -> Any:
        found = self._sync.get(func)
        if found is None:
            found = self._sync[func] = super().ensure_sync(func)
        return found


def _wsgi_text(value: str) -> str:
    """A WSGI string as werkzeug reads it (PEP 3333: bytes as latin-1, meant as UTF-8)."""
    return value.encode("latin1").decode(errors="replace")


def _rules(rule: str, served: list[str]) -> list[tuple[str, dict[str, str] | None]]:
    """The URL rules of one route: a type-level rule once per served type, the type a
    fixed segment (werkzeug finds a fixed segment by one dictionary lookup, where a
    ``rtype`` segment costs a regular-expression match and its bookkeeping on every
    request, and the ``$operation`` rule beside it one more), then as written, for the
    types not served (the interaction answers 404)."""
    if not rule.startswith(TYPE):
        return [(rule, None)]
    rest = rule.removeprefix(TYPE)
    return [*((f"/{name}{rest}", {"resource_type": name}) for name in served), (rule, None)]


class ResourceTypeConverter(BaseConverter):
    """A resource type name in a URL: ``Patient``, not ``metadata`` or ``_history``."""

    regex = "[A-Z][A-Za-z]{1,63}"


#: The exit status of a worker that cannot start: gunicorn then stops rather than
#: starting it again and again (its ``WORKER_BOOT_ERROR``); granian shuts down on any.
CANNOT_START = 3


def _from_environment() -> tuple[ServerConfig, ResourceStore]:
    """The production factory's settings and store. A setting that cannot be read or a
    database that cannot be opened ends the worker with one line naming it, rather than
    a traceback in every worker's log."""
    import sys

    try:
        config = ServerConfig.from_environment()
    except ValueError as error:
        print(f"fhirsvc: {error}", file=sys.stderr)
        raise SystemExit(CANNOT_START) from None
    try:
        return config, open_store(config.database)
    except Exception as error:  # a wrong URL, an unreachable server, a damaged file
        where = config.database or default_database_path()
        print(f"fhirsvc: cannot open the database {where} (FHIRSVC_DATABASE): "
              f"{' '.join(str(error).split())}", file=sys.stderr)
        raise SystemExit(CANNOT_START) from None


def _view(ctx: Context, route: Route, finish: Finisher) -> Any:
    def view(**args: str) -> Response:
        http = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
        environ = http.environ
        # without a query string werkzeug's parse (and its KeyError for a missing _format)
        # is skipped
        query = tuple(http.args.items(multi=True)) if environ.get("QUERY_STRING") else ()
        fmt = environ[FORMAT_KEY] = response_format(first_param(query, "_format"),
                                                    environ.get("HTTP_ACCEPT"))
        response = route.view(ctx, _request(ctx, route, http, query), **args)
        return finish.respond(response, http, fmt, ("_pretty", "true") in query)

    view.__name__ = route.endpoint
    return view


def _request(ctx: Context, route: Route, http: Request, query: Params) -> FhirRequest:
    """The neutral request: parameters (``query``, the URL's), lower-case headers and the
    body the route reads."""
    params = query
    body: Any = None
    if route.body == "form":
        data = _body(http)
        mime = body_media_type(http.content_type, data)
        if data and mime != FORM_TYPE:  # werkzeug's form then parses the bytes read
            raise UnsupportedMediaType(f"POST _search takes {FORM_TYPE}, not {mime!r}")
        if _content_coding(http):  # werkzeug's form would parse the compressed bytes
            params += tuple(parse_qsl(_decoded(http, data).decode("utf-8", "replace"),
                                      keep_blank_values=True))
        else:
            params += tuple(http.form.items(multi=True))
    elif route.body == "raw":
        body = _decoded(http, _body(http))
    elif route.body:
        body = parse_body(_decoded(http, _body(http)), http.content_type,
                          patch=route.body == "patch")
    base_url = (ctx.config.public_base_url
                or _host_url(http).rstrip("/") + ctx.config.base_path).rstrip("/")
    return FhirRequest(http.method, base_url, params, _headers(http.environ), body)


def _body(http: Request) -> bytes:
    """The request body, or 413 when it is over the limit. A body of stated length is
    refused by werkzeug before it is read; a chunked one (no ``Content-Length``) is read
    up to the limit by werkzeug, which then stops without saying so, so one more byte
    read from the server's stream tells a body cut at the limit from one that ended."""
    data = http.get_data()
    limit = http.max_content_length
    if http.content_length is None and limit is not None and len(data) >= limit \
            and http.environ["wsgi.input"].read(1):
        raise PayloadTooLarge(f"The body exceeds the limit of {limit} bytes")
    return data


#: Content codings a request body may come in (RFC 9110 section 8.4.1), as zlib ``wbits``.
_CODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
            "deflate": zlib.MAX_WBITS}


def _content_coding(http: Request) -> str:
    """The body's ``Content-Encoding``, "" for none (or ``identity``)."""
    coding = http.headers.get("Content-Encoding", "").strip().lower()
    return "" if coding == "identity" else coding


def _decoded(http: Request, data: bytes) -> bytes:
    """``data`` with its content coding undone: 415 for a coding other than gzip or
    deflate, 400 for bytes that are not what the coding says, 413 when the decoded body
    is over the limit (the limit applies to what is parsed, so a small compressed body
    cannot unfold into gigabytes)."""
    coding = _content_coding(http)
    if not coding or not data:
        return data
    if coding not in _CODINGS:
        raise UnsupportedMediaType(f"Content-Encoding {coding!r} is not supported "
                                   "(gzip, deflate or none)")
    limit = http.max_content_length
    inflater = zlib.decompressobj(_CODINGS[coding])
    try:
        decoded = inflater.decompress(data, (limit + 1) if limit is not None else 0)
    except zlib.error:
        raise InvalidRequest(f"The body is not valid {coding} data") from None
    if limit is not None and (len(decoded) > limit or inflater.unconsumed_tail):
        raise PayloadTooLarge(f"The body exceeds the limit of {limit} bytes once decoded")
    if not inflater.eof:
        raise InvalidRequest(f"The body ends before its {coding} data does")
    return decoded


_HOST_URLS: dict[tuple[Any, ...], str] = {}
#: A Host header's value: ``uri-host [":" port]`` (https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2):
#: an IP literal in brackets, or a name of unreserved, percent-encoded and sub-delimiter
#: characters (an IPv4 address is one), never empty for ``http`` and ``https``.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+)"
                   r"(:[0-9]*)?")


def _host_url(http: Request) -> str:
    """``request.host_url``, remembered per (scheme, Host, server name, port): werkzeug
    rebuilds it (IDNA and IRI conversions) on every request."""
    environ = http.environ
    key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
           environ.get("SERVER_NAME"), environ.get("SERVER_PORT"))
    found = _HOST_URLS.get(key)
    if found is None:
        host = environ.get("HTTP_HOST")
        if host is not None and not _HOST.fullmatch(host):
            raise InvalidRequest(f"The Host header {host!r} is not a host and port "
                                 "(RFC 9112 section 3.2): no link could be made from it")
        if len(_HOST_URLS) >= 64:  # clients choose Host: keep the memory bounded
            _HOST_URLS.clear()
        found = _HOST_URLS[key] = http.host_url
    return found


#: PEP 3333 gives the body's headers as ``CONTENT_TYPE`` and ``CONTENT_LENGTH``, empty when
#: the request has none; their ``HTTP_`` forms, which some servers add, are ignored.
_BODY_KEYS = ("CONTENT_TYPE", "CONTENT_LENGTH")


@functools.lru_cache(maxsize=512)
def _carried(environ_key: str) -> tuple[str, bool] | None:
    """The header an environ key carries, as werkzeug's ``EnvironHeaders`` reads it
    (https://peps.python.org/pep-3333/#environ-variables): its lower-case name, and
    whether an empty value means it was not sent; None for a key that carries none.
    ``HTTP_IF_NONE_MATCH`` → (``if-none-match``, False), ``CONTENT_TYPE`` →
    (``content-type``, True). The one rule: lookups and listing both go through it."""
    if environ_key in _BODY_KEYS:
        return environ_key.replace("_", "-").lower(), True
    if environ_key.startswith("HTTP_") and environ_key[5:] not in _BODY_KEYS:
        return environ_key[5:].replace("_", "-").lower(), False
    return None


def _header(environ_key: str, value: Any) -> str | None:
    """The name of the header an environ entry gives; None when it gives none."""
    carried = _carried(environ_key)
    if carried is None or value is None or (carried[1] and not value):
        return None
    return carried[0]


@functools.lru_cache(maxsize=512)
def _environ_keys(name: str) -> tuple[str, ...]:
    """The environ keys :func:`_carried` reads as header ``name`` (none unless lower-case)."""
    key = name.upper().replace("-", "_")
    return tuple(k for k in (key, "HTTP_" + key) if (_carried(k) or ("",))[0] == name)


class _RequestHeaders(Mapping[str, str]):
    """The request headers with lower-case names, read from the WSGI environ each when an
    interaction asks for it: copying them all cost more than the two or three a request
    reads."""

    __slots__ = ("environ",)

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ

    def get(self, name: str, default: Any = None) -> Any:
        for key in _environ_keys(name):
            value = self.environ.get(key)
            if value is not None and _header(key, value) is not None:
                return value
        return default

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return str(value)

    def __iter__(self) -> Iterator[str]:
        for key, value in self.environ.items():
            name = _header(key, value)
            if name is not None:
                yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _headers(environ: dict[str, Any]) -> Mapping[str, str]:
    return _RequestHeaders(environ)


def _format() -> Format:
    """The format the request asked for: negotiated by its view, or here for a request
    refused before any view ran (no route, wrong method); JSON when none can be read."""
    environ = request.environ
    fmt: Format | None = environ.get(FORMAT_KEY)
    if fmt is None:
        try:
            fmt = response_format(request.args.get("_format"), environ.get("HTTP_ACCEPT"))
        except FhirError:
            fmt = "json"
        environ[FORMAT_KEY] = fmt
    return fmt


def _outcome(status: int, issues: Any, headers: dict[str, str] | None = None) -> Response:
    response = FhirResponse(status, operation_outcome(issues), headers or {})
    finish: Finisher = current_app.finish  # type: ignore[attr-defined]
    http = request._get_current_object()  # type: ignore[attr-defined]
    pretty = "true" in http.args.getlist("_pretty")
    try:
        return finish.respond(response, http, _format(), pretty)
    except FhirError:  # the outcome itself cannot be written as asked: send JSON
        request.environ[FORMAT_KEY] = "json"
        return finish.respond(response, http, "json", pretty)


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
    """500 without internals; the traceback goes to the log. (A body nested too deeply
    for the server to walk is refused as it is read: ``fhirsvc.jsontext.MAX_DEPTH``.)"""
    log.exception("unhandled error on %s %s", request.method, request.path)
    issue = Issue(Severity.FATAL, "exception", "Internal server error")
    return _outcome(500, [issue])


_LINE_BREAK = re.compile(r"[\r\n]")


def checked_headers(pairs: list[tuple[str, str]], suspects: Iterable[str] | None = None
                    ) -> Headers:
    """``Headers(pairs)``, refusing a line break in a value as werkzeug does, by one search
    over the values instead of werkzeug's check of each as it adds it one by one; only
    over ``suspects`` when given, the values that may hold one (the others made by the
    server from values checked before)."""
    values = suspects if suspects is not None else [value for _, value in pairs]
    if _LINE_BREAK.search("".join(values)):
        return Headers(pairs)  # werkzeug's ValueError names the problem
    headers = Headers()
    headers._list = pairs  # checked above, as Headers.add checks
    return headers


#: The content type werkzeug gives a Flask response that names none.
_DEFAULT_TYPE = ("Content-Type", str(Response(status=204).headers["Content-Type"]))
#: The headers :meth:`Finisher._empty` adds to an empty response.
_EMPTY_SETS = frozenset(("content-type", "access-control-allow-origin",
                         "access-control-expose-headers"))
#: Headers werkzeug rewrites in ``get_wsgi_headers`` (made absolute URIs).
_REWRITTEN = frozenset(("location", "content-location"))


@functools.lru_cache(maxsize=128)
def _status_line(status: int) -> tuple[str, int]:
    """werkzeug's status line and code of a status number (``200 OK``, 200)."""
    line: str = Response(status=status).status
    return line, status


class FinishedResponse(Response):
    """A response with a body whose headers :class:`Finisher` made complete, none of them
    one werkzeug rewrites (``Location``, ``Content-Location``: made absolute).

    werkzeug's ``get_wsgi_headers`` copies every header into a new ``Headers`` (checking
    each value again) to adjust those and ``Content-Length`` for the status; for a 2xx
    other than 204 (the length set) the copy equals the headers, which are sent as they are.
    """

    def __init__(self, body: bytes, status: int, headers: Headers) -> None:
        """What werkzeug's ``__init__`` sets for a body, a status and headers that name
        the content type, without its checks of what :class:`Finisher` made so
        (``tests/server/test_http.py`` compares the two)."""
        self.headers = headers
        self._status, self._status_code = _status_line(status)
        self.direct_passthrough = False
        self._on_close: list[Any] = []
        self.response = [body]

    def get_wsgi_headers(self, environ: Any) -> Headers:
        status = self.status_code
        if 200 <= status < 300 and status != 204:
            return self.headers
        return super().get_wsgi_headers(environ)

    def get_app_iter(self, environ: Any) -> Iterable[bytes]:
        """The body as made, a list of one ``bytes``: werkzeug wraps it in a generator
        that encodes strings and a ``ClosingIterator`` that calls :meth:`close`, which
        has nothing to close (a list, no ``call_on_close`` function); its own path for a
        ``HEAD``, a status without a body or a close function."""
        status = self.status_code
        if self._on_close or environ["REQUEST_METHOD"] == "HEAD" or status < 200 \
                or status in (204, 304):
            return super().get_app_iter(environ)
        return self.response  # type: ignore[return-value]  # [body], set in __init__


class EmptyResponse(Response):
    """A response without a body (304, 204, ``return=minimal``), sent as werkzeug sends it
    with less work where the outcome is known: a 304's headers without its entity headers
    (werkzeug copies every header, checking each again, then filters the copy), and no
    body (werkzeug wraps an empty tuple in a ``ClosingIterator`` that calls :meth:`close`,
    which has nothing to close without a ``call_on_close`` function).
    ``tests/server/test_http.py`` compares what the two send."""

    def get_wsgi_headers(self, environ: Any) -> Headers:
        pairs = self.headers.to_wsgi_list()
        if self.status_code != 304 or any(name.lower() in _REWRITTEN for name, _ in pairs):
            return super().get_wsgi_headers(environ)
        headers = Headers()
        headers._list = [(name, value) for name, value in pairs  # checked when made
                         if not is_entity_header(name) or name.lower() in _KEPT_BY_304]
        return headers

    def get_app_iter(self, environ: Any) -> Iterable[bytes]:
        status = self.status_code
        if self._on_close or not (status in (204, 304) or environ["REQUEST_METHOD"] == "HEAD"):
            return super().get_app_iter(environ)
        return ()


#: The entity headers werkzeug keeps in a 304 (``remove_entity_headers``' ``allowed``).
_KEPT_BY_304 = frozenset(("expires", "content-location"))


class Finisher:
    """How every response leaves: the body in the negotiated format, CORS headers for
    browser clients (https://fetch.spec.whatwg.org/#http-cors-protocol) and gzip when the
    client accepts it and the body is worth it. The one place responses are made, so views,
    error handlers, preflights and Flask's automatic ``OPTIONS`` answers agree."""

    def __init__(self, config: ServerConfig) -> None:
        self.gzip_min_bytes = config.gzip_min_bytes
        #: Free of line breaks (``ServerConfig`` refuses them), so a response checks only
        #: the interaction's own headers (Content-Type, -Length and -Encoding are ours).
        self.cors_headers: tuple[tuple[str, str], ...] = (
            (("Access-Control-Allow-Origin", config.cors_origin),
             ("Access-Control-Expose-Headers", EXPOSED_HEADERS)) if config.cors_origin else ())

    def respond(self, response: FhirResponse, http: Request, fmt: Format, pretty: bool
                ) -> Response:
        """``response`` written in ``fmt`` (indented when ``pretty``: ``_pretty=true``)."""
        if response.resource is None:
            return self._empty(response)
        body = render(response.resource, fmt, pretty).encode()
        pairs = [*response.headers.items(), ("Content-Type", CONTENT_TYPES[fmt])]
        gzipped = (http.method != "HEAD" and len(body) >= self.gzip_min_bytes
                   and self._accepts_gzip(http.environ))
        if gzipped:
            body = gzip.compress(body, compresslevel=5)
        pairs.append(("Content-Length", str(len(body))))
        pairs += self.cors_headers
        if gzipped:
            pairs += (("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding"))
        headers = checked_headers(pairs, response.headers.values())
        if any(name.lower() in _REWRITTEN for name in response.headers):
            return Response([body], response.status, headers)
        return FinishedResponse(body, response.status, headers)

    def _empty(self, response: FhirResponse) -> Response:
        """A response without a body (304, 204, ``return=minimal``): the headers werkzeug
        would make of the interaction's, its default content type and CORS set after
        them, as one checked list; werkzeug's own ``set`` where the interaction named one
        of those (it replaces in place)."""
        made = response.headers
        if not _EMPTY_SETS.isdisjoint([name.lower() for name in made]):
            empty = Response(status=response.status, headers=made)
            self.cors(empty.headers)
            return empty
        pairs = [*made.items(), _DEFAULT_TYPE, *self.cors_headers]
        return EmptyResponse(status=response.status, headers=checked_headers(pairs, made.values()))

    def cors(self, headers: Headers) -> None:
        for name, value in self.cors_headers:
            headers[name] = value

    def preflight(self, environ: dict[str, Any]) -> Response | None:
        """CORS preflight (``OPTIONS`` with ``Access-Control-Request-Method``): 204."""
        if "HTTP_ACCESS_CONTROL_REQUEST_METHOD" not in environ:
            return None
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = environ.get(
            "HTTP_ACCESS_CONTROL_REQUEST_HEADERS", CORS_HEADERS)
        response.headers["Access-Control-Max-Age"] = "86400"
        self.cors(response.headers)
        return response

    @staticmethod
    def _accepts_gzip(environ: dict[str, Any]) -> bool:
        return "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "").lower()
