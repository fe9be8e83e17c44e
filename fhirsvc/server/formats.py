"""Media types: reading request bodies and choosing and writing the response format
(https://hl7.org/fhir/R4/http.html#mime-type, https://hl7.org/fhir/R4/http.html#parameters).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Literal

from fhirsvc.errors import InvalidRequest, NotAcceptable, UnsupportedMediaType
from fhirsvc.jsontext import NotJson, loads
from fhirsvc.server.context import dumps, materialize

Format = Literal["json", "xml"]
JSON_TYPES = frozenset({"application/fhir+json", "application/json", "application/json+fhir",
                        "text/json"})
XML_TYPES = frozenset({"application/fhir+xml", "application/xml", "application/xml+fhir",
                       "text/xml"})
PATCH_TYPE = "application/json-patch+json"
FORM_TYPE = "application/x-www-form-urlencoded"
CONTENT_TYPES: dict[Format, str] = {"json": "application/fhir+json; charset=utf-8",
                                    "xml": "application/fhir+xml; charset=utf-8"}


def media_type(content_type: str | None) -> str:
    """``application/fhir+json`` of ``application/fhir+json; charset=utf-8``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


#: A media type's ``type/subtype``: a token either side of one slash
#: (https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1); its parameters may be empty.
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(f"{_TOKEN}/{_TOKEN}")


def body_media_type(content_type: str | None, body: bytes) -> str:
    """The media type of a request body's ``Content-Type`` ("" when the header is not
    sent: the body is then read as JSON). A header that names no media type
    (``;;;``, ``json``, ``/``) is a 415 when a body comes with it, never a guess that
    the body is JSON: the server would answer for a body it was not told the type of."""
    mime = media_type(content_type)
    if body and content_type and not _MEDIA_TYPE.fullmatch(mime):
        raise UnsupportedMediaType(
            f"Content-Type {content_type!r} names no media type (type/subtype): send "
            "application/fhir+json or application/fhir+xml")
    return mime


def _format_of(mime: str) -> Format | None:
    if mime in JSON_TYPES or mime == "json":
        return "json"
    if mime in XML_TYPES or mime == "xml":
        return "xml"
    return None


def response_format(format_param: str | None, accept: str | None) -> Format:
    """``_format`` wins over ``Accept``; JSON when neither names a FHIR format. A space in
    ``_format`` is an unencoded '+' that query decoding turned into one
    (``_format=application/fhir+json`` typed as is): no media type holds a space."""
    if format_param:
        chosen = _format_of(media_type(format_param).replace(" ", "+"))
        if chosen is None:
            raise NotAcceptable(f"_format={format_param} is not supported (json or xml)")
        return chosen
    return _accepted(accept) if accept else "json"


@functools.lru_cache(maxsize=256)
def _accepted(accept: str) -> Format:
    """The format an ``Accept`` header asks for (clients send the same few headers, so
    they are remembered)."""
    ranked: list[tuple[float, int, Format]] = []
    for position, item in enumerate(accept.split(",")):
        mime, *options = (part.strip() for part in item.split(";"))
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        chosen = _format_of(mime.lower())
        if chosen is not None and quality > 0:
            ranked.append((-quality, position, chosen))
    return min(ranked)[2] if ranked else "json"


def parse_body(data: bytes, content_type: str | None, *, patch: bool = False) -> Any:
    """The JSON of a request body (XML converted), None when there is none.

    A JSON Patch (``patch``) must come as ``application/json-patch+json``.
    """
    if not data:
        return None
    mime = body_media_type(content_type, data)
    if patch:
        if mime != PATCH_TYPE:
            raise UnsupportedMediaType(f"A patch must be sent as {PATCH_TYPE}, not {mime!r}")
        return parse_json(data)
    if mime in JSON_TYPES or mime == "":
        return parse_json(data)
    if mime in XML_TYPES:
        from fhirsvc.server.xml import from_xml

        return from_xml(data)
    raise UnsupportedMediaType(
        f"Content-Type {mime!r} is not supported: send application/fhir+json or "
        "application/fhir+xml"
    )


def parse_json(data: bytes) -> Any:
    try:
        return loads(data.decode(json.detect_encoding(data)))  # as json.loads(bytes) reads
    except UnicodeDecodeError:
        raise InvalidRequest("The body is not UTF-8 text") from None
    except NotJson as error:
        raise InvalidRequest(f"The body is not valid JSON: {error}") from None


def render(resource: Any, fmt: Format, pretty: bool = False) -> str:
    """The response body text; stored JSON is copied as it is unless it must change."""
    if fmt == "xml":
        from fhirsvc.server.xml import to_xml

        return to_xml(materialize(resource))
    if pretty:
        return json.dumps(materialize(resource), ensure_ascii=False, indent=2)
    return dumps(resource)
