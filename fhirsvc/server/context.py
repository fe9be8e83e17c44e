"""The framework-neutral request and response every interaction handles.

The Flask layer (:mod:`fhirsvc.server.app`) turns an HTTP request into a
:class:`FhirRequest` and renders the :class:`FhirResponse`; transaction and batch
entries build the same records, so an interaction runs the same way from both.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fhirsvc.server.config import ServerConfig
    from fhirsvc.server.services import AppServices
    from fhirsvc.storage import ResourceStore, SearchRegistry

Params = tuple[tuple[str, str], ...]


class RawJson(str):
    """JSON text already encoded (a stored resource), spliced into responses as it is."""

    __slots__ = ()


#: Stands in for a stored text while the skeleton is encoded: a private-use character and a
#: per-process random part, so no client-supplied string can be taken for it.
_RAW_MARKER = f"\ue000{secrets.token_hex(8)}:"
_RAW_PLACE = re.compile(f'"{re.escape(_RAW_MARKER)}(\\d+)"')


def dumps(value: Any) -> str:
    """Compact JSON of ``value``, copying any :class:`RawJson` inside it verbatim, so a
    stored resource is never parsed and re-encoded on its way out.

    The skeleton around the stored texts (a Bundle's entries, links) is encoded by one
    call of the C encoder with a marker string in each stored text's place, and the
    markers are then replaced by the texts: per-node encoding in Python cost more than
    the database did for a page of search results (``python -m fhirsvc.bench http``).
    """
    if isinstance(value, RawJson):
        return str(value)
    raws: list[str] = []
    marker = _RAW_MARKER

    def swap(item: Any) -> Any:
        if isinstance(item, RawJson):
            raws.append(item)
            return f"{marker}{len(raws) - 1}"
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        if isinstance(item, list):
            if item and all(isinstance(v, RawJson) for v in item):  # a page of entries
                return swap(RawJson(f"[{','.join(item)}]"))
            return [swap(v) for v in item]
        return item

    text = json.dumps(swap(value), ensure_ascii=False, separators=(",", ":"))
    if not raws:
        return text
    return _RAW_PLACE.sub(lambda m: raws[int(m.group(1))], text)


def json_string(text: str) -> str:
    """``text`` as a JSON string, as ``json.dumps(text)`` writes it (ASCII, escaped),
    without building an encoder per call: a searchset writes one per entry."""
    return str(encode_basestring_ascii(text))


def materialize(value: Any) -> Any:
    """``value`` as plain JSON data, every :class:`RawJson` parsed."""
    if isinstance(value, RawJson):
        return json.loads(value)
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [materialize(v) for v in value]
    return value


def first_param(params: Params, name: str) -> str | None:
    """The first value of parameter ``name``, None when it is not given."""
    for key, value in params:
        if key == name:
            return value
    return None


@dataclass(frozen=True)
class FhirRequest:
    """One interaction's input. ``headers`` has lower-case names; ``body`` is the parsed
    JSON (a resource, or the operations list of a JSON Patch), None when there is none."""

    method: str
    base_url: str
    params: Params = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None

    def __init__(self, method: str, base_url: str, params: Params = (),
                 headers: Mapping[str, str] | None = None, body: Any = None) -> None:
        """The dataclass's own ``__init__``, the fields written to the instance's dictionary
        (a frozen dataclass sets each through ``object.__setattr__``; every request makes
        one)."""
        fields = self.__dict__
        fields["method"] = method
        fields["base_url"] = base_url
        fields["params"] = params
        fields["headers"] = {} if headers is None else headers
        fields["body"] = body

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return value.strip() if value else None

    def param(self, name: str) -> str | None:
        return first_param(self.params, name)

    def prefer(self, name: str) -> str | None:
        """A ``Prefer`` header token's value (``return``, ``handling``)."""
        for part in (self.header("prefer") or "").split(";"):
            for item in part.split(","):
                key, _, value = item.strip().partition("=")
                if key.strip().lower() == name:
                    return value.strip().strip('"').lower()
        return None

    @property
    def strict(self) -> bool:
        return self.prefer("handling") == "strict"


@dataclass
class FhirResponse:
    """One interaction's answer: status, a resource (dict or :class:`RawJson`) and headers."""

    status: int = 200
    resource: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What an interaction works with; ``store`` is the transaction inside a Bundle."""

    store: ResourceStore
    config: ServerConfig
    services: AppServices
    registry: SearchRegistry
    #: The resources were validated already (a transaction checks all its entries first).
    prevalidated: bool = False

    def within(self, store: ResourceStore, *, prevalidated: bool = False) -> Context:
        return replace(self, store=store, prevalidated=prevalidated)


def build_context(store: ResourceStore, config: ServerConfig) -> Context:
    """The context of one app (or of a load before serving): one store, one validator."""
    from fhirsvc.server.services import AppServices
    from fhirsvc.storage import default_registry

    registry = getattr(store, "registry", None) or default_registry()
    ctx = Context(store, config, AppServices(store, check_codes=config.check_codes), registry)
    if config.warm_up:
        ctx.services.validator()
    return ctx
