"""The curated tables load strictly, and every code in them is well formed and real."""

import csv
from pathlib import Path

import pytest

from fhirsvc.terminology import codes, loader, systems, tables
from fhirsvc.terminology.lexicon import Lexicon
from fhirsvc.terminology.sources import icd10cm_codes

SHARED = Path("/work/shared/terminology/mondo-sssom")


def test_every_file_in_mappings_is_a_known_table() -> None:
    assert tables.table_files() == sorted(tables.TABLES)


@pytest.mark.parametrize("name", sorted(tables.TABLES))
def test_every_table_loads_and_every_row_names_its_source(name: str) -> None:
    rows = tables.load_table(name, tables.TABLES[name])
    assert rows
    for row in rows:
        assert getattr(row, "source", getattr(row, "reason", "")).strip(), row.key


def test_an_unknown_column_is_rejected() -> None:
    text = "key\tucum\tsource\textra\nmg\tmg\tUCUM\tx\n"
    with pytest.raises(tables.TableError, match="header"):
        tables.parse_table("units.tsv", text, tables.UnitRow)


def test_a_duplicate_key_is_rejected() -> None:
    text = "key\tucum\tsource\nmg\tmg\tUCUM\nmg\tmg\tUCUM\n"
    with pytest.raises(tables.TableError, match="duplicate"):
        tables.parse_table("units.tsv", text, tables.UnitRow)


@pytest.mark.parametrize(
    ("row_type", "line"),
    [
        (tables.LabTestRow, "x\t777-4\tPlatelets\t\t\tplatelets\tLOINC"),
        (tables.LabTestRow, "x\t\tPlatelets\t\tbench\tplatelets\tcurated"),
        (tables.ProcedureRow, "x\tdiagnostic\t16310004\tUS\tultrasound\tSNOMED CT"),
        (tables.MedicationRow, "x\tR123\tdrug\tdrug\tRxNorm"),
        (tables.ConditionRow, "x\tdisorder\t\tJ189\t\t\tp\tp\tICD-10-CM"),
        (tables.ConditionRow, "x\tdisorder\t\t\t\tHP:123\tp\tp\tHPO"),
        (tables.ProcedureRow, "x\tsurgical\t\tUS\tultrasound\tcurated"),
    ],
)
def test_a_malformed_code_or_kind_is_rejected(row_type: type, line: str) -> None:
    header = "\t".join(f.name for f in row_type.__dataclass_fields__.values())
    with pytest.raises(tables.TableError):
        tables.parse_table("t.tsv", f"{header}\n{line}\n", row_type)


def test_check_digits_accept_real_codes_and_reject_altered_ones() -> None:
    assert codes.is_snomed("16294009") and not codes.is_snomed("16294008")
    assert codes.is_loinc("777-3") and not codes.is_loinc("777-4")
    assert codes.is_loinc("2160-0") and not codes.is_loinc("2160-1")


def test_every_curated_icd10cm_code_exists_in_icd10cm() -> None:
    known = icd10cm_codes()
    for row in tables.load_table("conditions.tsv", tables.ConditionRow):
        if row.icd10cm:
            assert row.icd10cm in known, row.key


def _mondo(prefix: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SHARED.glob("mondo_*.tsv"):
        with path.open(encoding="utf-8") as fh:
            rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
            for row in rows:
                if row["object_id"].startswith(prefix):
                    code = row["object_id"].split(":", 1)[1]
                    found.setdefault(code, set()).add(row["subject_id"])
    return found


@pytest.mark.skipif(not SHARED.is_dir(), reason="Mondo cross-references not on this machine")
def test_curated_disease_codes_agree_with_mondo_cross_references() -> None:
    # ICD-10-CM classifies (one code covers several diseases), so only the two
    # terminologies that name single diseases must point at the same Mondo disease.
    by_system = {"orpha": _mondo("Orphanet:"), "snomed": _mondo("SCTID:")}
    for row in tables.load_table("conditions.tsv", tables.ConditionRow):
        if row.kind != "disorder":
            continue
        diseases = [by_system[s].get(getattr(row, s)) for s in by_system if getattr(row, s)]
        mapped = [d for d in diseases if d]
        for other in mapped[1:]:
            assert mapped[0] & other, f"{row.key}: codes map to different Mondo diseases"


def test_code_system_uris_are_the_registered_ones() -> None:
    assert systems.SNOMED_CT == "http://snomed.info/sct"
    assert systems.ICD10CM == "http://hl7.org/fhir/sid/icd-10-cm"


def test_a_drug_alias_without_a_capital_or_digit_is_rejected() -> None:
    text = "key\tname\tsource\nvanc\tvancomycin\tcurated\n"
    with pytest.raises(tables.TableError, match="capital"):
        tables.parse_table("drug_aliases.tsv", text, tables.DrugAliasRow)


def test_a_drug_alias_whose_name_names_no_drug_is_a_table_error() -> None:
    rows = (tables.DrugAliasRow("XYZ", "no such drug", "curated"),)
    with pytest.raises(tables.TableError, match=r"drug_aliases\.tsv: XYZ: nothing of its kind"):
        loader._add_aliases(Lexicon(), "drug_aliases.tsv", rows, {"no such drug": []},
                            as_written=True)


def test_a_condition_alias_whose_name_names_no_condition_is_a_table_error() -> None:
    rows = (tables.ConditionAliasRow("XYZ", "no such disease", "curated"),)
    with pytest.raises(tables.TableError,
                       match=r"condition_aliases\.tsv: XYZ: nothing of its kind"):
        loader._add_aliases(Lexicon(), "condition_aliases.tsv", rows, {"no such disease": []},
                            as_written=False)
