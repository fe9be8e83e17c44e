"""DocumentReference: the source text itself, and what the report says about itself.

https://hl7.org/fhir/R4/documentreference.html. The text is kept byte for byte
(base64 UTF-8, ``text/plain; charset=utf-8``) with its size and SHA-1 (as R4's
Attachment defines them), so every derivation-reference offset can be checked
against it. The DOI becomes an identifier (``urn:ietf:rfc:3986``, as an
``https://doi.org/`` URI), authors are display-only references, the publication
date goes to ``attachment.creation`` (a partial date; ``DocumentReference.date`` is
an instant, which a report rarely states).
"""

from __future__ import annotations

import base64
import hashlib

from fhirsvc.mappers.common import JSON, Ref, words
from fhirsvc.model import Report
from fhirsvc.terminology import systems


def _attachment(report: Report) -> JSON:
    data = report.text.encode("utf-8", "surrogatepass")
    attachment: JSON = {
        "contentType": "text/plain; charset=utf-8",
        "data": base64.b64encode(data).decode("ascii"),
        "size": len(data),
        "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
        "title": words(report.title or "") or words(report.name) or "case report",
    }
    if report.metadata.date:
        attachment["creation"] = report.metadata.date
    return attachment


def document_reference(report: Report, ref: Ref, subject: Ref | None) -> JSON:
    meta = report.metadata
    resource: JSON = {"resourceType": "DocumentReference", "id": ref.id}
    if meta.doi:
        resource["identifier"] = [{"system": systems.DOI, "value": f"https://doi.org/{meta.doi}"}]
    resource["status"] = "current"
    resource["type"] = {"text": "Case report"}
    if subject is not None:
        resource["subject"] = subject.reference()
    if meta.authors:
        resource["author"] = [{"display": words(name)} for name in meta.authors if words(name)]
    description = words(" ".join(p for p in (report.title, meta.journal and f"({meta.journal})")
                                 if p))
    if description:
        resource["description"] = description
    resource["content"] = [{"attachment": _attachment(report)}]
    return resource
