"""Deterministic resource ids: the same report always yields the same ids.

An id is a name-based UUID (RFC 4122 version 5) of the report (its name and a
SHA-256 of its text), the resource kind and the span it was read from, so loading
a Bundle twice updates the same resources instead of creating duplicates, and a
golden-file diff shows only real changes.
"""

from __future__ import annotations

import hashlib
import uuid

from fhirsvc import __version__
from fhirsvc.model import Report, Span
from fhirsvc.terminology.systems import FHIRSVC_BASE


class Ids:
    """The id factory of one report."""

    def __init__(self, report: Report) -> None:
        digest = hashlib.sha256(report.text.encode("utf-8", "surrogatepass")).hexdigest()
        namespace = uuid.uuid5(uuid.NAMESPACE_URL,
                               f"{FHIRSVC_BASE}/report/{report.name}/{digest}").bytes
        self._namespace = hashlib.sha1(namespace)  # copied for each id: hashed once
        self._given: dict[str, int] = {}

    def of(self, kind: str, *parts: str | Span) -> str:
        """The id of a ``kind`` resource identified by ``parts`` (keys, spans) in this report.

        Asked again for the same parts, the factory gives the next of a numbered series
        (``…/2``, ``…/3``): two resources read from one span (a short form defined beside
        its long form, each given the same later value) must not share a fullUrl
        (https://hl7.org/fhir/R4/bundle.html#bundle-unique, invariant bdl-7)."""
        name = "/".join([kind, *(f"{p.start}-{p.end}" if isinstance(p, Span) else p
                                 for p in parts)])
        return self._numbered(name)

    def of_span(self, kind: str, key: str, span: Span) -> str:
        """``of(kind, key, span)``, the call every derived resource makes, without the
        generic joining of its parts."""
        return self._numbered(f"{kind}/{key}/{span.start}-{span.end}")

    def _numbered(self, name: str) -> str:
        seen = self._given.get(name, 0)
        self._given[name] = seen + 1
        return _uuid5(self._namespace, f"{name}/{seen + 1}" if seen else name)


#: The hex digit of a version 5 UUID's variant nibble (bits 10xx) for each digit of the hash.
_VARIANT = {digit: "89ab"[int(digit, 16) & 0x3] for digit in "0123456789abcdef"}


def _uuid5(namespace: hashlib._Hash, name: str) -> str:
    """``str(uuid.uuid5(UUID(bytes=namespace), name))`` without the two UUID objects
    (RFC 4122 section 4.3: SHA-1 of namespace and name, version 5, variant bits 10), which
    cost a sixth of mapping's CPU when every resource of a report needs an id; the
    version and variant are set on the hex digits themselves."""
    digest = namespace.copy()
    digest.update(name.encode("utf-8"))
    text = digest.hexdigest()
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{_VARIANT[text[16]]}{text[17:20]}-{text[20:32]}"


def device_id() -> str:
    """The Device standing for this fhirsvc version: one id shared by every report."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{FHIRSVC_BASE}/Device/fhirsvc/{__version__}"))
