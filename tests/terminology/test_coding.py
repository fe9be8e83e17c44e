"""Coding attaches a coding from every system a mention's concepts reach, with displays."""

from decimal import Decimal

from fhirsvc.model import (
    Dosage,
    ExtractedReport,
    Mention,
    MentionKind,
    PatientCase,
    Qualitative,
    Quantity,
    Report,
    Result,
    Span,
)
from fhirsvc.terminology import Terminology, code_mention, code_report, systems


def _mention(terminology: Terminology, text: str, **extra: object) -> Mention:
    hit = terminology.find(text)[0]
    return Mention(hit.kind, text[hit.start : hit.end], Span(hit.start, hit.end),
                   concepts=hit.concepts, **extra)  # type: ignore[arg-type]


def test_a_finding_gets_snomed_icd10cm_and_hpo_codings(terminology: Terminology) -> None:
    fact = code_mention(_mention(terminology, "splenomegaly"), terminology)
    got = {c.system: c.code for c in fact.codings}
    assert got == {systems.SNOMED_CT: "16294009", systems.ICD10CM: "R16.1",
                   systems.HPO: "HP:0001744"}
    displays = {c.system: c.display for c in fact.codings}
    assert displays[systems.HPO] == "Splenomegaly"
    assert displays[systems.ICD10CM] == "Splenomegaly, not elsewhere classified"
    # reached through HPO's cross-reference: no SNOMED CT display is known, none is borrowed
    assert displays[systems.SNOMED_CT] == ""


def test_a_rare_disease_gets_its_orpha_code(terminology: Terminology) -> None:
    fact = code_mention(_mention(terminology, "Henoch-Schonlein purpura"), terminology)
    assert ("http://www.orpha.net", "761") in {(c.system, c.code) for c in fact.codings}


def test_a_lab_result_gets_loinc_and_ucum(terminology: Terminology) -> None:
    value = Result(">150 × 10^9/L", Span(15, 28),
                   quantity=Quantity(Decimal(150), "10^9/L", "10*9/L"))
    fact = code_mention(_mention(terminology, "platelet count", result=value), terminology)
    assert [(c.system, c.code) for c in fact.codings] == [(systems.LOINC, "777-3")]
    assert (systems.UCUM, "10*9/L") in {(c.system, c.code) for c in fact.value_codings}


def test_a_qualitative_result_and_a_route_get_snomed_codes(terminology: Terminology) -> None:
    negative = Result("negative", Span(13, 21), qualitative=Qualitative.NEGATIVE)
    lab = code_mention(_mention(terminology, "EBV DNA", result=negative), terminology)
    assert [c.code for c in lab.value_codings] == ["260385009"]
    oral = Dosage("orally", Span(11, 17), route="orally")
    drug = code_mention(_mention(terminology, "warfarin", dosage=oral), terminology)
    assert [c.code for c in drug.codings] == ["11289"]
    assert [c.code for c in drug.value_codings] == ["26643006"]


def test_code_report_keeps_patients_and_mention_order(terminology: Terminology) -> None:
    text = "fever and cough"
    mentions = tuple(
        Mention(h.kind, text[h.start : h.end], Span(h.start, h.end), concepts=h.concepts)
        for h in terminology.find(text)
    )
    report = ExtractedReport(Report(text, "x"), (PatientCase("p1", mentions=mentions),))
    coded = code_report(report, terminology)
    assert [f.mention.text for f in coded.patients[0].facts] == ["fever", "cough"]
    assert coded.patients[0].facts[0].mention.kind is MentionKind.FINDING


def test_the_terminology_answers_for_codes_it_emits(terminology: Terminology) -> None:
    assert terminology.knows_system(systems.LOINC)
    assert not terminology.knows_system("http://example.org/codes")
    assert terminology.has_code(systems.ICD10CM, "J18.9")
    assert not terminology.has_code(systems.ICD10CM, "J18.99999")
    looked_up = terminology.lookup(systems.LOINC, "777-3")
    assert looked_up is not None and looked_up.display.startswith("Platelets")
    assert terminology.lookup(systems.RXNORM, "0") is None
    assert terminology.has_code(systems.UCUM, "10*9/L")


def test_units_a_thousandfold_apart_are_not_one_tests_but_tenfold_are() -> None:
    from fhirsvc.terminology.units import same_unit
    assert not same_unit("mg/L", "ng/mL")  # a prefix step apart
    assert not same_unit("kg", "cm")  # another kind of quantity
    assert same_unit("g/L", "g/dL") and same_unit("10*9/L", "10*3/uL")
    assert same_unit("/mm3", "/uL") and same_unit("[IU]/L", "U/L")
