"""Behaviour on the seed case reports, stated as rules that hold for any report."""

from pathlib import Path

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import (
    ClinicalStatus,
    Comparator,
    ExtractedReport,
    Mention,
    MentionKind,
    Qualitative,
    Sex,
)
from fhirsvc.terminology import Terminology, code_report, systems

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _seed(terminology: Terminology, prefix: str) -> ExtractedReport:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return extract(path.read_text(encoding="utf-8"), path.stem, terminology)


def _facts(report: ExtractedReport) -> list[Mention]:
    """The index patient's facts."""
    return ([m for m in report.patients[0].mentions if m.context.is_patient_fact]
            if report.patients else [])


def _codes(terminology: Terminology, report: ExtractedReport, system: str) -> set[str]:
    coded = code_report(report, terminology)
    return {c.code for p in coded.patients[:1] for f in p.facts if f.mention.context.is_patient_fact
            for c in f.codings if c.system == system}


def _texts(report: ExtractedReport, kind: MentionKind | None = None) -> set[str]:
    return {m.text.lower() for m in _facts(report) if kind is None or m.kind is kind}


@pytest.fixture(scope="module")
def seeds(terminology: Terminology) -> dict[str, ExtractedReport]:
    return {p: _seed(terminology, p) for p in ("000", "001", "002", "003", "004")}


def test_an_article_about_a_disease_in_general_describes_nobody(seeds: dict) -> None:
    assert seeds["001"].patients == ()


def test_a_man_introduced_by_title_and_age(seeds: dict) -> None:
    (patient,) = seeds["000"].patients
    assert (patient.sex, patient.age and patient.age.value) == (Sex.MALE, 32)


def test_findings_diseases_and_tests_of_the_index_patient(
    seeds: dict, terminology: Terminology
) -> None:
    report = seeds["000"]
    assert {"splenomegaly", "lymph node enlargement", "fever", "nk lymphocytosis"} <= _texts(report)
    # 721310007: aggressive NK-cell leukemia
    assert "721310007" in _codes(terminology, report, systems.SNOMED_CT)
    assert "D76.1" in _codes(terminology, report, systems.ICD10CM)  # HLH
    ebv = [m.result.qualitative for m in _facts(report) if m.kind is MentionKind.LAB_TEST
           and "dna" in m.text.lower() and m.result]
    assert ebv == [Qualitative.POSITIVE, Qualitative.NEGATIVE]


def test_a_disease_named_in_a_general_statement_is_nobodys(seeds: dict) -> None:
    assert "aids" not in _texts(seeds["000"])
    assert {"lymphoma", "myeloma"}.isdisjoint(_texts(seeds["002"]))
    assert {"inflammatory bowel disease", "adrenoleukodystrophy"}.isdisjoint(_texts(seeds["004"]))


def test_cells_from_a_relative_make_the_relative_a_donor_not_the_patient(seeds: dict) -> None:
    transplants = [m for m in _facts(seeds["000"]) if m.source and m.source.relation]
    assert transplants and transplants[0].source.relation == "SIS"
    assert transplants[0].kind is MentionKind.THERAPEUTIC_PROCEDURE


def test_translated_pronouns_do_not_override_a_noun_tied_to_the_age(seeds: dict) -> None:
    patient = seeds["002"].patients[0]
    assert (patient.sex, patient.age and patient.age.value) == (Sex.FEMALE, 80)


def test_diagnosis_relapse_and_remission_are_dated(seeds: dict) -> None:
    facts = [m for m in _facts(seeds["002"]) if m.kind is MentionKind.DISORDER]
    dated = {(m.status, m.when.date) for m in facts if m.when and m.when.date}
    assert (None, "2013") in dated and (ClinicalStatus.RELAPSE, "2016") in dated
    assert any(m.status is ClinicalStatus.REMISSION for m in facts)
    car_t = [m for m in _facts(seeds["002"]) if "car" in m.text.lower() and m.when]
    assert any(m.when and m.when.date == "2016" for m in car_t)


def test_another_patient_mentioned_in_passing_lends_no_facts(seeds: dict) -> None:
    index, other = seeds["002"].patients
    assert "myeloma" not in {m.text for m in index.mentions if m.context.is_patient_fact}
    assert "myeloma" in {m.text for m in other.mentions if m.context.is_patient_fact}
    assert (index.key, other.key) == ("p1", "p2")
    everyone = {m.text for p in seeds["002"].patients for m in p.mentions
                if m.context.is_patient_fact}
    assert "lymphoma" not in everyone  # named in a general statement


def test_a_boy_with_purpura_cell_infusions_and_a_platelet_count(seeds: dict,
                                                                 terminology: Terminology) -> None:
    report = seeds["003"]
    (patient,) = report.patients
    assert (patient.sex, patient.age and patient.age.value) == (Sex.MALE, 12)
    assert {"D69.0", "K74.60"} <= _codes(terminology, report, systems.ICD10CM)
    platelets = [m for m in _facts(report) if "777-3" in
                 {c.code for key in m.concepts for c in terminology.concepts[key].codings}]
    quantity = platelets[0].result.quantity if platelets and platelets[0].result else None
    assert quantity is not None and quantity.comparator is Comparator.GT and quantity.value == 150
    assert quantity.ucum == "10*9/L"
    infusions = [m for m in _facts(report) if m.dosage and m.dosage.count == 8]
    assert infusions and infusions[0].dosage.period == "in 2 months"
    assert "ultrasonography" in _texts(report)
    transaminases = [m for m in _facts(report) if "transaminase" in m.text]
    assert transaminases[0].result and transaminases[0].result.qualitative is Qualitative.NORMAL


def test_nothing_comes_from_a_subject_keyword_list(seeds: dict) -> None:
    text = seeds["003"].report.text
    keywords = text.index("Subject(s)")
    assert all(not (keywords <= m.span.start < text.index("\n", keywords))
               for m in _facts(seeds["003"]))


def test_a_girl_with_hyper_ige_syndrome_and_recurring_infections(seeds: dict,
                                                                 terminology: Terminology) -> None:
    report = seeds["004"]
    (patient,) = report.patients
    assert (patient.sex, patient.age and patient.age.value) == (Sex.FEMALE, 7)
    assert "D82.4" in _codes(terminology, report, systems.ICD10CM)
    assert {"rashes", "stomatitis", "otitis media", "lymphadenitis",
            "lung infections"} <= _texts(report)
    surgeries = [m for m in _facts(report) if m.dosage and m.dosage.count == 4]
    assert surgeries
    assert any("transplant" in m.text.lower() for m in _facts(report))


def _wrapped(text: str, width: int) -> str:
    """``text`` hard-wrapped at ``width`` columns, the breaks put where spaces were (offsets
    kept), as a plain-text export of the same story would be."""
    chars = list(text)
    start = 0
    for line in text.split("\n"):
        column, space = 0, -1
        for i, char in enumerate(line):
            column += 1
            if char == " ":
                space = start + i
            if column > width and space >= 0:
                chars[space] = "\n"
                column, space = start + i - space, -1
        start += len(line) + 1
    return "".join(chars)


def _findings(report: ExtractedReport) -> set[tuple[int, int, MentionKind, bool]]:
    return {(m.span.start, m.span.end, m.kind, m.context.negated)
            for p in report.patients for m in p.mentions}


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_a_seed_wrapped_at_72_columns_gives_the_same_patients_and_mentions(
        terminology: Terminology, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    plain, wrapped = (extract(t, path.stem, terminology) for t in (text, _wrapped(text, 72)))
    assert [(p.sex, p.age) for p in wrapped.patients] == [(p.sex, p.age) for p in plain.patients]
    assert _findings(wrapped) == _findings(plain)
