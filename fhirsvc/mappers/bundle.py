"""The Bundle: every resource of one report, as a transaction or a collection.

https://hl7.org/fhir/R4/bundle.html. Each entry's fullUrl is ``urn:uuid:<id>`` and
every reference inside the Bundle uses it, so references resolve inside the Bundle
on any server; a ``transaction`` entry is ``PUT Type/id`` with the deterministic
id, so loading the same Bundle twice updates instead of duplicating
(https://hl7.org/fhir/R4/http.html#transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from fhirsvc.mappers.common import JSON

BundleType = Literal["transaction", "collection"]
BUNDLE_TYPES: tuple[BundleType, ...] = ("transaction", "collection")


def entry(resource: JSON, bundle_type: BundleType) -> JSON:
    out: JSON = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
    if bundle_type == "transaction":
        out["request"] = {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}
    return out


def bundle(bundle_id: str, resources: Iterable[JSON], bundle_type: BundleType) -> JSON:
    if bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"bundle type must be one of {', '.join(BUNDLE_TYPES)}: {bundle_type!r}")
    return {"resourceType": "Bundle", "id": bundle_id, "type": bundle_type,
            "entry": [entry(resource, bundle_type) for resource in resources]}
