"""The curated tables in ``mappings/``: one TSV file per table, one strict loader.

Each file has a header naming exactly the fields of its row type (an unknown or
missing column is an error), ``#`` comment lines, and ``|`` between the terms of a
list field. Rows are checked as they load: malformed codes, empty required fields
and duplicate keys or terms raise :class:`TableError` naming the file and line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from fhirsvc.model import CONDITION_KINDS, MentionKind, ObservationCategory, Qualitative
from fhirsvc.terminology import codes

MAPPINGS_PACKAGE = "fhirsvc.mappings"


class TableError(ValueError):
    """A curated table breaks its schema; the message names the file and line."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(what)


def condition_kind(kind: str) -> MentionKind:
    """The mention kind a curated row's ``kind`` cell names ("disorder" or "finding", which
    the row's check has held to :data:`CONDITION_KINDS`)."""
    return MentionKind(kind)


def _optional(code: str, test: Callable[[str], bool], what: str) -> None:
    _check(not code or test(code), f"malformed {what} code {code!r}")


@dataclass(frozen=True, slots=True)
class LabTestRow:
    """A laboratory test, vital sign or examination finding: LOINC code, display, default
    UCUM unit, observation category (empty: laboratory), terms."""

    key: str
    loinc: str
    display: str
    unit: str
    category: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        _optional(self.loinc, codes.is_loinc, "LOINC")
        _check(not self.category or self.category in {c.value for c in ObservationCategory},
               f"observation category {self.category!r}")


@dataclass(frozen=True, slots=True)
class PanelRow:
    """A test whose result is written as paired values ("120/80 mmHg"): the keys of the
    ``lab_tests.tsv`` rows that name each value, in the order the values are written."""

    key: str
    parts: tuple[str, ...]
    source: str

    def check(self) -> None:
        _check(len(self.parts) >= 2, f"a panel of {len(self.parts)} part")


#: What a row of ``procedure_heads.tsv`` or ``procedures.tsv`` names, by its ``kind`` cell.
PROCEDURE_KINDS = {
    "diagnostic": MentionKind.DIAGNOSTIC_PROCEDURE,
    "therapeutic": MentionKind.THERAPEUTIC_PROCEDURE,
    "laboratory": MentionKind.LAB_TEST,
}


@dataclass(frozen=True, slots=True)
class ProcedureRow:
    """A diagnostic or therapeutic procedure (or laboratory test, for head nouns), with its
    SNOMED CT code when curated."""

    key: str
    kind: str
    snomed: str
    display: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        _check(self.kind in PROCEDURE_KINDS, f"kind {self.kind!r}")
        _optional(self.snomed, codes.is_snomed, "SNOMED CT")


@dataclass(frozen=True, slots=True)
class MedicationRow:
    """A medication ingredient with its RxNorm code (RXCUI, term type IN)."""

    key: str
    rxnorm: str
    display: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        _optional(self.rxnorm, codes.is_rxnorm, "RxNorm")


@dataclass(frozen=True, slots=True)
class DrugAliasRow:
    """A short form or brand name case reports write for a drug or a fixed combination
    ("MCFG", "TAZ/PIPC", "Dilantin") and the drug's name (``name``): the alias names whatever
    the lexicon knows by that name, so its codes and display are the name's own, kept in one
    place. Matched only as written (a brand's capital, a short form's capitals)."""

    key: str
    name: str
    source: str

    def check(self) -> None:
        _check(any(ch.isupper() or ch.isdigit() for ch in self.key),
               f"alias {self.key!r} has no capital or digit")
        _check(bool(self.name) and bool(self.source), "no name or source")


@dataclass(frozen=True, slots=True)
class ConditionAliasRow:
    """A short form or lay word case reports write for a disorder or finding without
    defining it ("TIA", "BPH", "shingles") and the name the lexicon knows it by (``name``):
    the alias names whatever the lexicon knows by that name, so its codes come from the
    terminology that names it and are never written here. A short form in capitals is
    matched only as written; a lay word in any letter case."""

    key: str
    name: str
    source: str

    def check(self) -> None:
        _check(bool(self.key) and bool(self.name) and bool(self.source),
               "no alias, name or source")


@dataclass(frozen=True, slots=True)
class ConditionRow:
    """A disorder or finding the open terminologies miss or name differently."""

    key: str
    kind: str
    snomed: str
    icd10cm: str
    orpha: str
    hpo: str
    display: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        _check(self.kind in CONDITION_KINDS, f"kind {self.kind!r}")
        _optional(self.snomed, codes.is_snomed, "SNOMED CT")
        _optional(self.icd10cm, codes.is_icd10cm_shape, "ICD-10-CM")
        _optional(self.orpha, codes.is_orpha, "ORPHA")
        _optional(self.hpo, codes.is_hpo, "HPO")


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit as case reports write it (normalised: lower case, no spaces) and its UCUM code."""

    key: str
    ucum: str
    source: str

    def check(self) -> None:
        _check(" " not in self.ucum, f"UCUM code with a space {self.ucum!r}")


@dataclass(frozen=True, slots=True)
class ValueCodeRow:
    """A qualitative result or a route of administration with its SNOMED CT qualifier value."""

    key: str
    kind: str
    snomed: str
    display: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        _check(self.kind in ("result", "route"), f"kind {self.kind!r}")
        _optional(self.snomed, codes.is_snomed, "SNOMED CT")


@dataclass(frozen=True, slots=True)
class ExcludedTermRow:
    """A term from an open terminology that is too generic or ambiguous to match."""

    key: str
    reason: str

    def check(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class ResultWordRow:
    """A word a report states a qualitative result with (``extract/result_words.tsv``)."""

    key: str
    result: str

    def check(self) -> None:
        _check(self.result in {q.value for q in Qualitative}, f"result {self.result!r}")


@dataclass(frozen=True, slots=True)
class SuffixRow:
    """How a finding's noun becomes the adjective case reports describe a patient with: the
    noun's ending (``key``) and the adjective's ("hypothermia" → "hypothermic")."""

    key: str
    adjective: str
    source: str

    def check(self) -> None:
        for ending in (self.key, self.adjective):
            _check(ending.isalpha() and ending.islower(), f"ending {ending!r}")


@dataclass(frozen=True, slots=True)
class BodySiteRow:
    """A body site as written after "of (the)" (``key``) and the words that stand for it before
    a disorder's name (``terms``: the noun itself and its adjectives, "lung" → "pulmonary")."""

    key: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        for term in (self.key, *self.terms):
            _check(term == term.lower() and all(w.isalpha() for w in term.split()),
                   f"site {term!r}")


@dataclass(frozen=True, slots=True)
class ConditionEndingRow:
    """A word ending that makes a word name a disorder or finding ("-itis", "-algia"), or a
    head noun that does after modifiers ("... disease"), with its written forms (``terms``)."""

    key: str
    kind: str
    terms: tuple[str, ...]
    source: str

    def check(self) -> None:
        _check(self.kind in CONDITION_KINDS, f"kind {self.kind!r}")
        for ending in self.terms:
            _check(ending.isalpha() and ending.islower(), f"ending {ending!r}")


@dataclass(frozen=True, slots=True)
class StagedCodeRow:
    """A disorder's ICD-10-CM code (``icd10cm``) and a stage as normalised ("3a"): the code of
    the disorder at that stage (``staged``) and its ICD-10-CM title."""

    key: str
    icd10cm: str
    stage: str
    staged: str
    display: str
    source: str

    def check(self) -> None:
        for code in (self.icd10cm, self.staged):
            _check(codes.is_icd10cm_shape(code), f"malformed ICD-10-CM code {code!r}")
        _check(bool(re.fullmatch(r"[1-5][a-c]?", self.stage)), f"stage {self.stage!r}")
        _check(bool(self.display), "no display")


Row = TypeVar(
    "Row",
    StagedCodeRow,
    ConditionEndingRow,
    SuffixRow,
    LabTestRow,
    PanelRow,
    ProcedureRow,
    MedicationRow,
    DrugAliasRow,
    ConditionAliasRow,
    ConditionRow,
    UnitRow,
    ValueCodeRow,
    ExcludedTermRow,
    ResultWordRow,
    BodySiteRow,
)

#: file name → row type; every file in mappings/ is one of these.
TABLES: dict[str, type[Any]] = {
    "lab_tests.tsv": LabTestRow,
    "lab_panels.tsv": PanelRow,
    "procedures.tsv": ProcedureRow,
    "procedure_heads.tsv": ProcedureRow,
    "medications.tsv": MedicationRow,
    "drug_aliases.tsv": DrugAliasRow,
    "condition_aliases.tsv": ConditionAliasRow,
    "conditions.tsv": ConditionRow,
    "units.tsv": UnitRow,
    "results.tsv": ValueCodeRow,
    "excluded_terms.tsv": ExcludedTermRow,
    "leading_words.tsv": ExcludedTermRow,
    "generic_heads.tsv": ExcludedTermRow,
    "numbered_heads.tsv": ExcludedTermRow,
    "vague_terms.tsv": ExcludedTermRow,
    "adjective_suffixes.tsv": SuffixRow,
    "finding_endings.tsv": ConditionEndingRow,
    "disorder_heads.tsv": ConditionEndingRow,
    "not_findings.tsv": ExcludedTermRow,
    "body_sites.tsv": BodySiteRow,
    "staged_codes.tsv": StagedCodeRow,
}


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            yield number, line.split("\t")


#: Fields that hold a list (``|`` between its items), never empty.
_LIST_FIELDS = frozenset({"terms", "parts"})


def _row(row_type: type[Row], header: list[str], cells: list[str]) -> Row:
    if len(cells) != len(header):
        raise ValueError(f"{len(cells)} cells for {len(header)} columns")
    values: dict[str, Any] = {}
    for field, cell in zip(dataclasses.fields(row_type), cells, strict=True):
        cell = cell.strip()
        if field.name in _LIST_FIELDS:
            values[field.name] = tuple(t.strip() for t in cell.split("|") if t.strip())
            if not values[field.name]:
                raise ValueError(f"no {field.name}")
        else:
            values[field.name] = cell
    if not values["key"]:
        raise ValueError("empty key")
    row = row_type(**values)
    row.check()
    return row


def load_table(name: str, row_type: type[Row]) -> tuple[Row, ...]:
    """Read ``mappings/<name>`` into frozen rows of ``row_type``, strictly."""
    text = resources.files(MAPPINGS_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return parse_table(name, text, row_type)


def parse_table(name: str, text: str, row_type: type[Row]) -> tuple[Row, ...]:
    """Parse the TSV ``text`` of table ``name`` (see the module docstring)."""
    lines = _lines(text)
    _, header = next(lines, (0, []))
    expected = [f.name for f in dataclasses.fields(row_type)]
    if header != expected:
        raise TableError(f"{name}: header {header} must be exactly {expected}")
    rows: list[Row] = []
    keys: set[str] = set()
    for number, cells in lines:
        try:
            row = _row(row_type, header, cells)
        except (ValueError, TypeError) as exc:
            raise TableError(f"{name}:{number}: {exc}") from None
        if row.key in keys:
            raise TableError(f"{name}:{number}: duplicate key {row.key!r}")
        keys.add(row.key)
        rows.append(row)
    return tuple(rows)


def table_files() -> list[str]:
    """The names of the TSV files present in mappings/ (a stray file is an error for the tests)."""
    folder = resources.files(MAPPINGS_PACKAGE)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv"))
