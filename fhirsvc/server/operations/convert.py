"""``$convert``: a case report in, its coded FHIR resources stored and returned.

``POST [base]/$convert`` with the report as ``text/plain`` (UTF-8), or as a Binary or a
DocumentReference (JSON or XML) whose base64 ``data`` is the text. The report runs
through :class:`fhirsvc.pipeline.Converter` (extract, code, map, validate with every
layer and fhirsvc's profiles); a valid result is stored as the transaction Bundle it is,
in one transaction as ``fhirsvc serve --load`` stores a report (all or nothing;
the deterministic ids make a second conversion of the same report change nothing), and
returned. Query parameter ``name`` names the report (default: the Binary's or
DocumentReference's id, else ``report``); it seeds the resources' deterministic ids.
A report that cannot be read, or whose conversion is invalid, is 422 with every issue,
and nothing is stored. This is fhirsvc's own operation (no HL7 definition to follow).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import threading
from typing import Any

from fhirsvc.errors import InvalidRequest, Unprocessable, UnsupportedMediaType
from fhirsvc.server.operations import (
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
    register,
)
from fhirsvc.server.operations.params import Inputs
from fhirsvc.terminology.systems import FHIRSVC_OPERATION_DEFINITION

TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
_NAME = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_lock = threading.Lock()


def is_text(call: OperationCall) -> bool:
    return (call.content_type or "") in TEXT_TYPES


def report_text(call: OperationCall, inputs: Inputs) -> tuple[str, str | None]:
    """The report's text and the id of the resource that carried it (if any)."""
    if is_text(call):
        return _decode(call.body, "the body"), None
    resource = inputs.resource
    if resource is None:
        if call.body.strip():
            raise UnsupportedMediaType("$convert reads text/plain, a Binary or a DocumentReference")
        raise InvalidRequest("$convert needs a case report in the body")
    kind = resource["resourceType"]
    if kind == "Binary":
        data, where = resource.get("data"), "Binary.data"
    elif kind == "DocumentReference":
        attachments = [c.get("attachment", {}) for c in resource.get("content", [])]
        data = next((a.get("data") for a in attachments if a.get("data")), None)
        where = "DocumentReference.content.attachment.data"
    else:
        raise InvalidRequest(f"$convert reads text/plain, a Binary or a DocumentReference, "
                             f"not a {kind}")
    if not isinstance(data, str) or not data:
        raise InvalidRequest(f"$convert: {where} holds no text", expression=(where,))
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest(f"$convert: {where} is not base64", expression=(where,)) from None
    return _decode(raw, where), resource.get("id")


def _decode(raw: bytes, where: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRequest(f"$convert: {where} is not UTF-8 text") from None
    if not text.strip():
        raise InvalidRequest(f"$convert: {where} is empty")
    return text


_converters: dict[int, Any] = {}


def _converter(services: Services) -> Any:
    """One Converter per terminology (built once: it compiles its own validator with the
    terminology's code lookup and fhirsvc's profiles)."""
    from fhirsvc.pipeline import Converter

    terminology = services.terminology()
    if id(terminology) not in _converters:
        _converters[id(terminology)] = Converter(terminology=terminology)
    return _converters[id(terminology)]


def convert(call: OperationCall, services: Services) -> OperationResult:
    from fhirsvc.extract import ExtractionError

    inputs = Inputs.of(dataclasses.replace(call, body=b"") if is_text(call) else call)
    text, carried = report_text(call, inputs)
    name = inputs.first("name") or carried or "report"
    if not _NAME.fullmatch(name):
        raise InvalidRequest(f"$convert: name {name!r} must be 1-64 letters, digits, '-' or '.'")
    with _lock:  # the converter keeps per-stage timings; one conversion at a time
        converter = _converter(services)
        try:
            conversion = converter.convert(text, name)
        except ExtractionError as error:
            raise Unprocessable(f"$convert: the report cannot be read: {error}") from None
    if not conversion.ok:
        raise Unprocessable(list(conversion.issues))
    written, unchanged = _store(conversion.bundle, services)
    headers = {"X-Fhirsvc-Stored": f"{written} written, {unchanged} unchanged"}
    return OperationResult(conversion.bundle, headers=headers, issues=tuple(conversion.issues))


def _store(bundle: dict[str, Any], services: Services) -> tuple[int, int]:
    """Store the Bundle the way ``fhirsvc serve --load`` stores a converted report: in one
    transaction, references rewritten to the entries' ids, unchanged resources not
    written again; (written, unchanged)."""
    from fhirsvc.server.config import ServerConfig
    from fhirsvc.server.context import Context
    from fhirsvc.server.load import load_bundle
    from fhirsvc.storage import default_registry

    store = services.store
    registry = getattr(store, "registry", None) or default_registry()
    context = Context(store, ServerConfig(), services, registry)  # type: ignore[arg-type]
    stored = load_bundle(context, bundle)
    return stored.written, stored.unchanged


OPERATION = register(Operation(
    name="convert",
    definition=f"{FHIRSVC_OPERATION_DEFINITION}/convert",
    levels=frozenset({Level.SYSTEM}),
    resource_types=frozenset(),
    affects_state=True,
    handler=convert,
))
