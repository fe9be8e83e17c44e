"""``fhirsvc serve --load``: store Bundles, NDJSON files and case reports before serving.

Loading is idempotent: every resource gets a stable id (its own, the uuid of its
``urn:uuid`` fullUrl, or one derived from its content), references between the entries
of a file are rewritten to those ids, and a resource identical to the stored one is not
written again. Each file is one transaction, validated like any write: a bad file is
reported by name and stores nothing, the other files load. The report counts each
resource once, by what the load did to it: created (not stored before), updated, or
unchanged (stored before as it is), however many files hold it (the Device every
converted report shares).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fhirsvc.errors import FhirError, Gone, NotFound
from fhirsvc.inputs import STDIN, InputError, Source, files_below, find_sources
from fhirsvc.jsontext import NotJson, loads
from fhirsvc.server import bundles
from fhirsvc.server.context import Context, FhirRequest
from fhirsvc.server.interactions import check_type

SUFFIXES = (".json", ".ndjson", ".txt")
#: Namespace of ids derived from content, for resources that come without one.
CONTENT_IDS = uuid.UUID("0f7c0a52-4d8e-4c59-9a57-3f5d2c1e9b10")
_VOLATILE_META = ("versionId", "lastUpdated")


class LoadError(Exception):
    """A file that cannot be loaded; the message says why. ``stored``: what it stored all
    the same (a batch's entries that succeeded)."""

    def __init__(self, message: str = "", stored: Stored | None = None) -> None:
        super().__init__(message)
        self.stored = stored


Outcome = Literal["created", "updated", "unchanged", "deleted"]
OUTCOMES: tuple[Outcome, ...] = ("created", "updated", "unchanged", "deleted")


@dataclass
class Stored:
    """What loading did: each resource (``Type/id``) and its outcome."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def add(self, reference: str, outcome: Outcome) -> None:
        """Record ``outcome``; a resource met again keeps what first happened to it unless
        this time changes it (created then met unchanged stays created)."""
        before = self.outcomes.get(reference)
        if before is None or (outcome != "unchanged" and not (
                before == "created" and outcome == "updated")):
            self.outcomes[reference] = outcome

    def merge(self, other: Stored) -> None:
        for reference, outcome in other.outcomes.items():
            self.add(reference, outcome)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)

    @property
    def written(self) -> int:
        """Resources whose stored version changed (created, updated or deleted)."""
        return len(self.outcomes) - self.unchanged

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def counts(self) -> str:
        """``2 created, 1 updated, 3 unchanged`` (deletions only when there were some)."""
        return ", ".join(f"{self.count(o)} {o}" for o in OUTCOMES
                         if o != "deleted" or self.count(o))


@dataclass
class LoadReport:
    files: int = 0
    stored: Stored = field(default_factory=Stored)
    errors: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.stored.written

    @property
    def unchanged(self) -> int:
        return self.stored.unchanged

    def summary(self) -> str:
        """One line: the files loaded, the resources by outcome (each counted once) and
        the files that failed."""
        loaded = self.files - len(self.errors)
        files = f"{loaded} of {self.files} files" if self.errors else _plural(self.files, "file")
        failed = f"; {_plural(len(self.errors), 'file')} failed (named above)" \
            if self.errors else ""
        return (f"loaded {files}: {_plural(len(self.stored.outcomes), 'resource')} "
                f"({self.stored.counts()}){failed}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def find_files(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Loadable files under ``paths`` (folders searched recursively) in order, each once
    however often it is named (as ``fhirsvc validate`` finds them), and the paths that
    name nothing (``-`` among them: standard input is not loaded)."""
    sources, missing = find_sources(paths, files_below(SUFFIXES))
    found = [source.path for source in sources if source.path is not None]
    return found, missing + [STDIN] * (len(found) < len(sources))


def load_files(ctx: Context, files: list[Path],
               progress: Callable[[Path], None] = lambda path: None) -> LoadReport:
    """Load each file in its own transaction: a file that fails is named in
    ``errors`` with its problem, stores nothing, and the files before and after it load."""
    report = LoadReport()
    converter: Any = None
    for path in files:
        progress(path)
        report.files += 1
        try:
            if path.suffix == ".txt":
                # read as `fhirsvc convert` reads it (the same words for a bad file, one
                # too large refused before it is read whole and before the converter is
                # built) and byte for byte, no newline translation: the same ids and offsets
                text = _text(path, report=True)
                converter = converter or _converter(ctx)
                stored = load_bundle(ctx, _convert(converter, text, path.stem))
            else:
                stored = _load_documents(ctx, _read(path))
        except LoadError as error:
            report.errors.append(f"{path}: {error}")
            if error.stored is not None:
                report.stored.merge(error.stored)
            continue
        except FhirError as error:  # its errors: a warning (dom-6, say) is not why it failed
            errors = [issue.diagnostics for issue in error.issues if issue.is_error]
            report.errors.append(f"{path}: {'; '.join(errors) or error}")
            continue
        report.stored.merge(stored)
    return report


def _converter(ctx: Context) -> Any:
    """The converter, sharing the server's terminology (and its validator when that one
    checks codes too), so they are loaded once."""
    from fhirsvc.pipeline import Converter

    validator = ctx.services.validator() if ctx.config.check_codes else None
    return Converter(terminology=ctx.services.terminology(), validator=validator)


def _convert(converter: Any, text: str, name: str) -> dict[str, Any]:
    from fhirsvc.extract import ExtractionError

    try:
        conversion = converter.convert(text, name)
    except ExtractionError as error:
        raise LoadError(f"the report cannot be converted: {error}") from None
    if not conversion.ok:
        problems = "; ".join(i.diagnostics for i in conversion.issues if i.is_error)
        raise LoadError(f"the converted Bundle is not valid: {problems}")
    bundle: dict[str, Any] = conversion.bundle
    return bundle


def _load_documents(ctx: Context, documents: list[Any]) -> Stored:
    if len(documents) == 1 and isinstance(documents[0], dict) \
            and documents[0].get("resourceType") == "Bundle":
        return load_bundle(ctx, documents[0])
    return load_items(ctx, [item for document in documents for item in _items(document)])


def _read(path: Path) -> list[Any]:
    """The JSON documents of a file: one (a Bundle or a resource), or one per NDJSON line."""
    text = _text(path)
    lines = text.splitlines() if path.suffix == ".ndjson" else [text]
    documents = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            documents.append(loads(line))
        except NotJson as error:
            where = f"line {number}: " if path.suffix == ".ndjson" else ""
            raise LoadError(f"not valid JSON: {where}{error}") from None
    return documents


def _text(path: Path, *, report: bool = False) -> str:
    try:
        source = Source(path)
        return source.read_report() if report else source.read()
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror or error}") from None
    except InputError as error:  # empty, not UTF-8, binary
        raise LoadError(str(error)) from None


def _items(document: Any) -> list[tuple[str | None, dict[str, Any]]]:
    if not isinstance(document, dict) or "resourceType" not in document:
        raise LoadError("expected a FHIR resource or Bundle (a JSON object with resourceType)")
    if document["resourceType"] != "Bundle" or document.get("type") not in _LOADED_AS_ENTRIES:
        return [(None, document)]
    items = []
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        raise LoadError("Bundle.entry must be a JSON array")
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise LoadError(f"Bundle.entry[{position}] must be a JSON object")
        for name, kind in (("fullUrl", str), ("request", dict)):
            if not isinstance(entry.get(name, kind()), kind):
                raise LoadError(f"Bundle.entry[{position}].{name} must be a JSON "
                                f"{'string' if kind is str else 'object'}")
        if not _plain(entry):
            raise _NotPlain
        if _outcome_entry(entry):
            continue
        if not isinstance(entry.get("resource"), dict):
            raise LoadError(f"Bundle.entry[{position}] has no resource")
        items.append((entry.get("fullUrl"), entry["resource"]))
    return items


#: Bundles loaded as the resources they carry; any other (a document, a message, a
#: history) is stored as the Bundle resource it is. A searchset is the matches and
#: includes a search found, saved: they are the resources.
_LOADED_AS_ENTRIES = ("transaction", "batch", "collection", "searchset")


def _outcome_entry(entry: dict[str, Any]) -> bool:
    """A searchset's ``search.mode = outcome`` entry: the server's words about the
    search (https://hl7.org/fhir/R4/bundle.html#searchset), no resource to load."""
    search = entry.get("search")
    return isinstance(search, dict) and search.get("mode") == "outcome"


class _NotPlain(LoadError):
    """A transaction entry with conditions or a method other than POST/PUT."""


def _plain(entry: dict[str, Any]) -> bool:
    request = entry.get("request")
    if request is None:
        return True
    conditional = any(k in request for k in ("ifNoneExist", "ifMatch", "ifNoneMatch"))
    return (request.get("method") in ("POST", "PUT") and not conditional
            and "?" not in str(request.get("url", "")))


def load_bundle(ctx: Context, bundle: dict[str, Any]) -> Stored:
    """Load one Bundle: idempotently when its entries are plain creates and updates, else
    as the transaction or batch it is (a batch's failed entries are a LoadError naming
    them, after its other entries are stored, as a batch does)."""
    try:
        return load_items(ctx, _items(bundle))
    except _NotPlain:
        pass
    request = FhirRequest("POST", "", body=bundle)
    run = bundles.batch if bundle.get("type") == "batch" else bundles.transaction
    response = run(ctx, request)
    stored, failed = Stored(), []
    for position, (entry, answer) in enumerate(zip(
            bundle["entry"], response.resource.get("entry", []), strict=True)):
        status = answer["response"]["status"]
        if not status.startswith("2"):
            problems = [i.get("diagnostics", "") for i in
                        answer["response"].get("outcome", {}).get("issue", [])
                        if i.get("severity") in ("error", "fatal")]
            failed.append(f"entry[{position}]: {status} {'; '.join(problems)}".rstrip())
        elif (method := entry["request"]["method"]) in ("POST", "PUT", "PATCH", "DELETE"):
            where = _REFERENCE.search(answer["response"].get("location") or
                                      entry["request"]["url"])
            if where:  # not a conditional delete's query
                stored.add(where[0], "deleted" if method == "DELETE"
                           else "created" if status.startswith("201") else "updated")
    if failed:
        raise LoadError(f"{len(failed)} of the batch's entries failed (the others are "
                        f"stored): {'; '.join(failed)}", stored)
    return stored


#: ``Type/id`` in an entry's ``response.location`` (``[base/]Type/id/_history/n``) or a
#: DELETE's ``request.url`` (https://hl7.org/fhir/R4/datatypes.html#id).
_REFERENCE = re.compile(r"[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}(?=/_history/|$)")


def load_items(ctx: Context, items: list[tuple[str | None, dict[str, Any]]]) -> Stored:
    """Store ``(fullUrl, resource)`` pairs in one transaction, each but those stored
    already as they are."""
    bundles.refuse_repeated_full_urls((f"Bundle.entry[{position}]", full_url)
                                      for position, (full_url, _) in enumerate(items))
    mapping: dict[str, str] = {}
    prepared: list[dict[str, Any]] = []
    for full_url, resource in items:
        check_type(ctx, str(resource.get("resourceType")))
        resource_id = resource.get("id") or _id_of(full_url) or _content_id(resource)
        resource = {**resource, "id": resource_id}
        if full_url:
            mapping[full_url] = f"{resource['resourceType']}/{resource_id}"
        prepared.append(resource)
    prepared = _refuse_two_contents(prepared)
    stored = Stored()
    with ctx.store.transaction() as tx:
        inner = ctx.within(tx)
        changed = []
        for position, resource in enumerate(prepared):
            rewritten = bundles.rewrite_references(inner, resource, mapping, f"entry[{position}]")
            outcome = _outcome(tx, rewritten)
            if outcome != "unchanged":
                changed.append((f"entry[{position}]", rewritten))
            stored.add(f"{rewritten['resourceType']}/{rewritten['id']}", outcome)
        bundles.validate_all(ctx, changed)
        for _, resource in changed:
            tx.update(resource)
    return stored


def _refuse_two_contents(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``resources`` with each one repeated as it is kept once (one version stored, not
    two). Two entries that are one resource (``Type/id``) with different contents: storing
    both would keep whichever came last as if the other had not been there, so the file
    is refused, naming both."""
    seen: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    kept: list[dict[str, Any]] = []
    for position, resource in enumerate(resources):
        key = (str(resource["resourceType"]), str(resource["id"]))
        first = seen.setdefault(key, (position, resource))
        if first[0] == position:
            kept.append(resource)
        elif _comparable(first[1]) != _comparable(resource):
            raise LoadError(f"Bundle.entry[{position}] and Bundle.entry[{first[0]}] are both "
                            f"{key[0]}/{key[1]} with different contents; a file holds one "
                            "version of a resource")
    return kept


def _id_of(full_url: str | None) -> str | None:
    if full_url and full_url.startswith("urn:uuid:"):
        return full_url.removeprefix("urn:uuid:")
    return None


def _content_id(resource: dict[str, Any]) -> str:
    return str(uuid.uuid5(CONTENT_IDS, json.dumps(resource, sort_keys=True)))


def _outcome(store: Any, resource: dict[str, Any]) -> Outcome:
    """What writing ``resource`` would do to the stored one: an id that is not a string
    cannot be looked up (the validator then says what is wrong with it)."""
    if not isinstance(resource["id"], str):
        return "created"
    try:
        current = store.read(resource["resourceType"], resource["id"]).resource
    except (NotFound, Gone):
        return "created"
    return "unchanged" if _comparable(current) == _comparable(resource) else "updated"


def _comparable(resource: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in (resource.get("meta") or {}).items() if k not in _VOLATILE_META}
    body = {k: v for k, v in resource.items() if k != "meta"}
    return {**body, "meta": meta} if meta else body

