"""``fhirsvc serve --load``: store Bundles, NDJSON files and case reports before serving.

Loading is idempotent: every resource gets a stable id (its own, the uuid of its
``urn:uuid`` fullUrl, or one derived from its content), references between the entries
of a file are rewritten to those ids, and a resource identical to the stored one is not
written again. Each file is one transaction, validated like any write: a bad file is
reported by name and stores nothing, the other files load.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fhirsvc.errors import FhirError
from fhirsvc.inputs import STDIN, InputError, Source, find_sources
from fhirsvc.server import bundles
from fhirsvc.server.context import Context, FhirRequest
from fhirsvc.server.interactions import check_type

SUFFIXES = (".json", ".ndjson", ".txt")
#: Namespace of ids derived from content, for resources that come without one.
CONTENT_IDS = uuid.UUID("0f7c0a52-4d8e-4c59-9a57-3f5d2c1e9b10")
_VOLATILE_META = ("versionId", "lastUpdated")


class LoadError(Exception):
    """A file that cannot be loaded; the message says why."""


@dataclass
class LoadReport:
    files: int = 0
    written: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def find_files(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Loadable files under ``paths`` (folders searched recursively) in order, each once
    however often it is named (as ``fhirsvc validate`` finds them), and the paths that
    name nothing (``-`` among them: standard input is not loaded)."""
    sources, missing = find_sources(paths, _loadable)
    found = [source.path for source in sources if source.path is not None]
    return found, missing + [STDIN] * (len(found) < len(sources))


def _loadable(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def load_files(ctx: Context, files: list[Path],
               progress: Callable[[Path], None] = lambda path: None) -> LoadReport:
    report = LoadReport()
    converter: Any = None
    for path in files:
        progress(path)
        report.files += 1
        try:
            if path.suffix == ".txt":
                converter = converter or _converter(ctx)
                written, unchanged = load_bundle(ctx, _convert(converter, path))
            else:
                written, unchanged = _load_documents(ctx, _read(path))
        except (LoadError, FhirError) as error:
            report.errors.append(f"{path}: {error}")
            continue
        report.written += written
        report.unchanged += unchanged
    return report


def _converter(ctx: Context) -> Any:
    """The converter, sharing the server's terminology (and its validator when that one
    checks codes too), so they are loaded once."""
    from fhirsvc.pipeline import Converter

    validator = ctx.services.validator() if ctx.config.check_codes else None
    return Converter(terminology=ctx.services.terminology(), validator=validator)


def _convert(converter: Any, path: Path) -> dict[str, Any]:
    # Read as `fhirsvc convert` reads it: the same wording for a bad file, and the text
    # byte for byte (no newline translation), so both give the same ids and offsets.
    text = _text(path)
    from fhirsvc.extract import ExtractionError

    try:
        conversion = converter.convert(text, path.stem)
    except ExtractionError as error:
        raise LoadError(f"the report cannot be converted: {error}") from None
    if not conversion.ok:
        problems = "; ".join(i.diagnostics for i in conversion.issues if i.is_error)
        raise LoadError(f"the converted Bundle is not valid: {problems}")
    bundle: dict[str, Any] = conversion.bundle
    return bundle


def _load_documents(ctx: Context, documents: list[Any]) -> tuple[int, int]:
    if len(documents) == 1 and isinstance(documents[0], dict) \
            and documents[0].get("resourceType") == "Bundle":
        return load_bundle(ctx, documents[0])
    return load_items(ctx, [item for document in documents for item in _items(document)])


def _read(path: Path) -> list[Any]:
    """The JSON documents of a file: one (a Bundle or a resource), or one per NDJSON line."""
    text = _text(path)
    try:
        if path.suffix == ".ndjson":
            documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            documents = [json.loads(text)]
    except json.JSONDecodeError as error:
        raise LoadError(f"not valid JSON: {error}") from None
    return documents


def _text(path: Path) -> str:
    try:
        return Source(path).read()
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}") from None
    except InputError as error:  # empty, not UTF-8, binary
        raise LoadError(str(error)) from None


def _items(document: Any) -> list[tuple[str | None, dict[str, Any]]]:
    if not isinstance(document, dict) or "resourceType" not in document:
        raise LoadError("expected a FHIR resource or Bundle (a JSON object with resourceType)")
    if document["resourceType"] != "Bundle" or document.get("type") not in (
            "transaction", "batch", "collection"):
        return [(None, document)]
    items = []
    for position, entry in enumerate(document.get("entry") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            raise LoadError(f"Bundle.entry[{position}] has no resource")
        if not _plain(entry):
            raise _NotPlain
        items.append((entry.get("fullUrl"), entry["resource"]))
    return items


class _NotPlain(LoadError):
    """A transaction entry with conditions or a method other than POST/PUT."""


def _plain(entry: dict[str, Any]) -> bool:
    request = entry.get("request")
    if request is None:
        return True
    conditional = any(k in request for k in ("ifNoneExist", "ifMatch", "ifNoneMatch"))
    return (request.get("method") in ("POST", "PUT") and not conditional
            and "?" not in str(request.get("url", "")))


def load_bundle(ctx: Context, bundle: dict[str, Any]) -> tuple[int, int]:
    """Load one Bundle: idempotently when its entries are plain creates and updates, else
    as the transaction or batch it is."""
    try:
        return load_items(ctx, _items(bundle))
    except _NotPlain:
        pass
    request = FhirRequest("POST", "", body=bundle)
    run = bundles.batch if bundle.get("type") == "batch" else bundles.transaction
    response = run(ctx, request)
    return len(response.resource.get("entry", [])), 0


def load_items(ctx: Context, items: list[tuple[str | None, dict[str, Any]]]) -> tuple[int, int]:
    """Store ``(fullUrl, resource)`` pairs in one transaction; (written, unchanged)."""
    mapping: dict[str, str] = {}
    prepared: list[dict[str, Any]] = []
    for full_url, resource in items:
        check_type(ctx, str(resource.get("resourceType")))
        resource_id = resource.get("id") or _id_of(full_url) or _content_id(resource)
        resource = {**resource, "id": resource_id}
        if full_url:
            mapping[full_url] = f"{resource['resourceType']}/{resource_id}"
        prepared.append(resource)
    with ctx.store.transaction() as tx:
        inner = ctx.within(tx)
        changed = []
        for position, resource in enumerate(prepared):
            rewritten = bundles.rewrite_references(inner, resource, mapping, f"entry[{position}]")
            if not _unchanged(tx, rewritten):
                changed.append((f"entry[{position}]", rewritten))
        bundles.validate_all(ctx, changed)
        for _, resource in changed:
            tx.update(resource)
    return len(changed), len(prepared) - len(changed)


def _id_of(full_url: str | None) -> str | None:
    if full_url and full_url.startswith("urn:uuid:"):
        return full_url.removeprefix("urn:uuid:")
    return None


def _content_id(resource: dict[str, Any]) -> str:
    return str(uuid.uuid5(CONTENT_IDS, json.dumps(resource, sort_keys=True)))


def _unchanged(store: Any, resource: dict[str, Any]) -> bool:
    try:
        current = store.read(resource["resourceType"], resource["id"]).resource
    except FhirError:
        return False
    return _comparable(current) == _comparable(resource)


def _comparable(resource: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in (resource.get("meta") or {}).items() if k not in _VOLATILE_META}
    body = {k: v for k, v in resource.items() if k != "meta"}
    return {**body, "meta": meta} if meta else body

