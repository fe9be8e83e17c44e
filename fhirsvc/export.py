"""``fhirsvc export``: the stored resources as NDJSON per type, or as one collection Bundle.

NDJSON follows the FHIR Bulk Data export layout
(https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status): one file per
resource type, ``<Type>.ndjson``, one resource per line, and no file for a type with no
resources. Each line is the current version's JSON exactly as stored (``meta.versionId``
and ``meta.lastUpdated`` included; no re-encoding), ordered by type then id, so the same
store always gives the same bytes. ``fhirsvc serve --load`` reads both forms back.

Every file is written beside its final name, and all are renamed into place once every
resource has been read and written: an export that fails midway (a database error, a
full disk) leaves the folder as it was, neither half a file nor some types new and
others old.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fhirsvc.batch import AtomicFiles, atomic_writer
from fhirsvc.storage import StoredResource

BUNDLE_FILE = "export.json"


@dataclass
class ExportTally:
    """Resources written, per type, and the files written or removed."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, resource: StoredResource) -> None:
        self.counts[resource.resource_type] = self.counts.get(resource.resource_type, 0) + 1


def ndjson_file(out: Path, resource_type: str) -> Path:
    return out / f"{resource_type}.ndjson"


def write_ndjson(resources: Iterable[StoredResource], out: Path,
                 scope: Iterable[str] = ()) -> ExportTally:
    """Write ``<Type>.ndjson`` per type into ``out`` (``resources`` grouped by type).

    A ``<Type>.ndjson`` left by an earlier export for a type of ``scope`` that now has
    no resources is removed, so the folder says what the store holds now.
    """
    tally = ExportTally()
    with AtomicFiles() as files:
        stream: IO[str] | None = None
        current = ""
        for resource in resources:
            if resource.resource_type != current:
                if stream is not None:
                    stream.close()  # the previous type's file is complete
                current = resource.resource_type
                path = ndjson_file(out, current)
                stream = files.open(path)
                tally.files.append(path)
            assert stream is not None
            stream.write(resource.text)
            stream.write("\n")
            tally.add(resource)
    for resource_type in sorted(set(scope) - set(tally.counts)):
        stale = ndjson_file(out, resource_type)
        if stale.is_file():
            stale.unlink()
            tally.removed.append(stale)
    return tally


def write_bundle(resources: Iterable[StoredResource], out: Path) -> ExportTally:
    """Write ``out/export.json``: one collection Bundle (https://hl7.org/fhir/R4/bundle.html)
    of the resources in their order, streamed (no whole Bundle in memory). Entries carry
    no ``fullUrl``: the server's base URL is not known here, and a relative one is not
    allowed; references between the resources are the stored ``Type/id`` ones."""
    tally = ExportTally()
    path = out / BUNDLE_FILE
    with atomic_writer(path) as stream:
        stream.write('{"resourceType":"Bundle","type":"collection"')
        for separator, resource in _separated(resources, ',"entry":[\n', ",\n"):
            stream.write(f'{separator}{{"resource":{resource.text}}}')
            tally.add(resource)
        stream.write("]}\n" if tally.total else "}\n")  # no empty array: R4 forbids one
    tally.files.append(path)
    return tally


def _separated(items: Iterable[StoredResource], first: str, then: str
               ) -> Iterator[tuple[str, StoredResource]]:
    separator = first
    for item in items:
        yield separator, item
        separator = then
