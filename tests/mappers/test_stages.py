"""A stage written beside a disorder: Condition.stage, the stage-specific code, and an
Observation that names what it stages and points at it (focus)."""

from __future__ import annotations

from typing import Any

import pytest

from fhirsvc.mappers import map_report
from fhirsvc.model import (
    CodedPatient,
    CodedReport,
    Coding,
    MentionKind,
    PatientCase,
    Report,
    Result,
    Sex,
    Span,
    Staging,
)
from fhirsvc.terminology import systems, tables
from fhirsvc.terminology.stages import stage_key, staged_codings
from tests.mappers.builders import coding_codes, fact

TEXT = "A woman had renal failure stage 4 and a cough."
UNSTAGED = Coding(systems.ICD10CM, "N18.9", "Chronic kidney disease, unspecified")


def _resources(stage: str, *, staged: bool = True) -> dict[str, dict[str, Any]]:
    """The report's Condition and Observation for a disorder coded N18.9 and a stage phrase
    written after it (linked to it when ``staged``)."""
    disorder = fact(MentionKind.DISORDER, "renal failure", 12, codings=(UNSTAGED,))
    summary = f"stage {stage}"
    linked = Staging(disorder.mention.span, "renal failure", summary) if staged else None
    finding = fact(MentionKind.LAB_TEST, "stage", 26,
                   result=Result(stage, Span(32, 32 + len(stage))), staging=linked)
    coded = CodedReport(Report(TEXT, "r1"), (
        CodedPatient(PatientCase("p1", Sex.FEMALE), (disorder, finding)),))
    return {r["resourceType"]: r for r in map_report(coded)
            if r["resourceType"] in ("Condition", "Observation")}


def test_the_condition_carries_its_stage_and_the_observation_assessing_it() -> None:
    found = _resources("4")
    condition, observation = found["Condition"], found["Observation"]
    assert condition["stage"] == [{
        "summary": {"text": "stage 4"},
        "assessment": [{"reference": f"urn:uuid:{observation['id']}"}]}]
    assert observation["focus"] == [{"reference": f"urn:uuid:{condition['id']}"}]
    assert observation["code"] == {"text": "renal failure stage"}


@pytest.mark.parametrize(("stage", "code"), [("4", "N18.4"), ("III", "N18.30"),
                                             ("IIIb", "N18.32"), ("2/6", "N18.9")])
def test_the_stage_gives_the_stage_specific_code_where_the_table_has_one(
        stage: str, code: str) -> None:
    assert coding_codes(_resources(stage)["Condition"]["code"]) == [code]


def test_a_stage_beside_nothing_leaves_the_condition_as_it_was() -> None:
    found = _resources("4", staged=False)
    assert "stage" not in found["Condition"] and "focus" not in found["Observation"]
    assert coding_codes(found["Condition"]["code"]) == ["N18.9"]
    assert found["Observation"]["code"] == {"text": "stage"}


@pytest.mark.parametrize(("written", "key"), [("IV", "4"), ("IIIA", "3a"), ("3b", "3b"),
                                              ("2", "2"), ("2/6", None), ("T2N0", None)])
def test_stages_are_compared_in_one_form(written: str, key: str | None) -> None:
    assert stage_key(written) == key


def test_other_systems_codes_are_kept() -> None:
    snomed = Coding(systems.SNOMED_CT, "709044004", "Chronic kidney disease")
    assert staged_codings((snomed, UNSTAGED), "5")[0] == snomed


STAGED = tables.load_table("staged_codes.tsv", tables.StagedCodeRow)


@pytest.mark.parametrize("row", STAGED, ids=lambda r: r.key)
def test_each_staged_code_is_a_billable_icd10cm_code_with_its_title(
        row: tables.StagedCodeRow) -> None:
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as icd
    for code in (row.icd10cm, row.staged):
        assert icd.is_valid_item(code), code
    assert icd.is_leaf(row.staged), row.staged
    assert icd.get_description(row.staged) == row.display


@pytest.mark.parametrize(("name", "stage"), [("stage 4 chronic kidney disease", "stage 4"),
                                             ("chronic kidney disease", None)])
def test_a_name_that_states_its_stage_gives_the_stage_summary(name: str,
                                                              stage: str | None) -> None:
    staged = Coding(systems.ICD10CM, "N18.4", "Chronic kidney disease, stage 4 (severe)")
    coded = CodedReport(Report(f"She had {name}.", "r1"), (CodedPatient(
        PatientCase("p1", Sex.FEMALE), (fact(MentionKind.DISORDER, name, 8, codings=(staged,)),)),))
    [condition] = [r for r in map_report(coded) if r["resourceType"] == "Condition"]
    assert condition.get("stage") == ([{"summary": {"text": stage}}] if stage else None)


def test_the_same_stage_of_two_disorders_is_two_observations() -> None:
    text = "She had stage IV colon cancer and stage IV lung cancer."
    colon = fact(MentionKind.DISORDER, "colon cancer", 17)
    lung = fact(MentionKind.DISORDER, "lung cancer", 43)
    stages = [fact(MentionKind.LAB_TEST, "stage", at, result=Result("IV", Span(at + 6, at + 8)),
                   staging=Staging(d.mention.span, d.mention.text, "stage IV"))
              for at, d in ((8, colon), (34, lung))]
    coded = CodedReport(Report(text, "r1"), (
        CodedPatient(PatientCase("p1", Sex.FEMALE), (colon, lung, *stages)),))
    names = [r["code"]["text"] for r in map_report(coded) if r["resourceType"] == "Observation"]
    assert names == ["colon cancer stage", "lung cancer stage"]
