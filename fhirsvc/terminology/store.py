"""The :class:`Terminology`: the lexicon, the concepts and every code fhirsvc can emit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from fhirsvc.model import Coding, Qualitative, Span
from fhirsvc.terminology import systems, tables
from fhirsvc.terminology.concepts import Concept
from fhirsvc.terminology.lexicon import Hit, Lexicon

#: The code systems whose codes fhirsvc assigns and can look up.
CODE_SYSTEMS: Final = frozenset({*systems.CONCEPT_SYSTEMS, systems.UCUM})

#: Systems fhirsvc holds in full, so a code absent from them does not exist. The others are
#: held only as far as the curated tables reach: a code missing there may still be real.
COMPLETE_SYSTEMS: Final = frozenset({systems.ICD10CM})


@dataclass(slots=True)
class Terminology:
    """Everything coding needs, built once per process (``load_terminology``).

    ``codes`` holds every code fhirsvc may emit with its display: all of
    ICD-10-CM, the curated tables, HPO/Orphanet/SNOMED CT codes reached through the
    lexicon, and the UCUM units of ``mappings/units.tsv``.
    """

    lexicon: Lexicon
    concepts: dict[str, Concept]
    codes: dict[tuple[str, str], Coding]
    #: Unit as written (lower case, no spaces, micro as u) → UCUM code.
    units: dict[str, str]
    #: Qualitative result → its SNOMED CT qualifier value.
    results: dict[Qualitative, Coding]
    #: Route word (lower case) → its SNOMED CT route coding.
    routes: dict[str, Coding]
    versions: dict[str, str]
    startup_seconds: float = 0.0
    from_cache: bool = False
    #: Lower-case long word → the drug concepts its one-slip neighbours name (None: none),
    #: filled by ``extract.drugs.misspelt_drugs``: an answer of this lexicon, so held here.
    slip_memo: dict[str, tuple[str, ...] | None] = field(default_factory=dict)

    @classmethod
    def assemble(
        cls,
        lexicon: Lexicon,
        concepts: dict[str, Concept],
        icd: dict[str, str],
        versions: dict[str, str],
    ) -> Terminology:
        codes = {(systems.ICD10CM, c): Coding(systems.ICD10CM, c, d) for c, d in icd.items()}
        for concept in concepts.values():
            for coding in concept.codings:
                codes.setdefault((coding.system, coding.code), coding)
        units = {r.key: r.ucum for r in tables.load_table("units.tsv", tables.UnitRow)}
        for ucum in set(units.values()):
            codes[(systems.UCUM, ucum)] = Coding(systems.UCUM, ucum, ucum)
        results: dict[Qualitative, Coding] = {}
        routes: dict[str, Coding] = {}
        for row in tables.load_table("results.tsv", tables.ValueCodeRow):
            coding = Coding(systems.SNOMED_CT, row.snomed, row.display)
            codes[(coding.system, coding.code)] = coding
            if row.kind == "result":
                results[Qualitative(row.key)] = coding
            else:
                routes.update({t.lower(): coding for t in row.terms})
        return cls(lexicon, concepts, codes, units, results, routes, versions)

    def knows_system(self, system_uri: str) -> bool:
        """True for the code systems fhirsvc assigns codes from."""
        return system_uri in CODE_SYSTEMS

    def has_code(self, system_uri: str, code: str) -> bool:
        """True when ``code`` is one fhirsvc knows in ``system_uri`` (all ICD-10-CM codes)."""
        return (system_uri, code) in self.codes

    def lookup(self, system_uri: str, code: str) -> Coding | None:
        """The coding with its display, for CodeSystem/$lookup; None when unknown."""
        return self.codes.get((system_uri, code))

    def concept(self, key: str) -> Concept:
        return self.concepts[key]

    def find(self, text: str) -> list[Hit]:
        """Lexicon matches in ``text`` (longest first, non-overlapping, in text order)."""
        return self.lexicon.find(text)

    def term(self, text: str) -> Hit | None:
        """The lexicon hit covering the whole of ``text``, when ``text`` is one term."""
        return self.lexicon.term(text)

    def known_forms(self, candidates: Iterable[str]) -> list[str]:
        """The candidates that are some term's normal form (:meth:`Lexicon.known_forms`)."""
        return self.lexicon.known_forms(candidates)

    def find_in(self, text: str, spans: Iterable[Span]) -> list[Hit]:
        """:meth:`find` of each span of ``text`` at once, with offsets into ``text``."""
        return self.lexicon.find_in(text, spans)

    def ucum(self, unit_text: str) -> str | None:
        """The UCUM code of a unit as written, or None when the unit is unknown."""
        return self.units.get(unit_text)
