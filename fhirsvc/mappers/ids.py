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
                                     f"{FHIRSVC_BASE}/report/{report.name}/{digest}")

    def of(self, kind: str, *parts: str | Span) -> str:
        """The id of a ``kind`` resource identified by ``parts`` (keys, spans) in this report."""
        words = [kind, *(f"{p.start}-{p.end}" if isinstance(p, Span) else p for p in parts)]
        return str(uuid.uuid5(self._namespace, "/".join(words)))


def device_id() -> str:
    """The Device standing for this fhirsvc version: one id shared by every report."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{FHIRSVC_BASE}/Device/fhirsvc/{__version__}"))
