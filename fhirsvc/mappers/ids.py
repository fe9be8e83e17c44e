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
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL,
                                     f"{FHIRSVC_BASE}/report/{report.name}/{digest}").bytes
        self._given: dict[str, int] = {}

    def of(self, kind: str, *parts: str | Span) -> str:
        """The id of a ``kind`` resource identified by ``parts`` (keys, spans) in this report.

        Asked again for the same parts, the factory gives the next of a numbered series
        (``…/2``, ``…/3``): two resources read from one span (a short form defined beside
        its long form, each given the same later value) must not share a fullUrl
        (https://hl7.org/fhir/R4/bundle.html#bundle-unique, invariant bdl-7)."""
        name = "/".join([kind, *(f"{p.start}-{p.end}" if isinstance(p, Span) else p
                                 for p in parts)])
        seen = self._given.get(name, 0)
        self._given[name] = seen + 1
        return _uuid5(self._namespace, f"{name}/{seen + 1}" if seen else name)


def _uuid5(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(UUID(bytes=namespace), name))`` without the two UUID objects
    (RFC 4122 section 4.3: SHA-1 of namespace and name, version 5, variant bits 10), which
    cost a sixth of mapping's CPU when every resource of a report needs an id."""
    digest = bytearray(hashlib.sha1(namespace + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def device_id() -> str:
    """The Device standing for this fhirsvc version: one id shared by every report."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{FHIRSVC_BASE}/Device/fhirsvc/{__version__}"))
