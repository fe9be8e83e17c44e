"""Condition: assertion, course, category, time, and the words it was read from."""

from __future__ import annotations

from fhirsvc.mappers.common import Ref
from fhirsvc.mappers.condition import condition
from fhirsvc.mappers.groups import group
from fhirsvc.model import ClinicalStatus, Context, Experiencer, MentionKind, Span, When
from tests.mappers.builders import (
    FEVER,
    PATIENT,
    coding_codes,
    fact,
    negated,
    one_group,
    scope,
    spans_of,
    uncertain,
)

REF = Ref("Condition", "c1")


def test_asserted_finding_is_a_confirmed_active_encounter_diagnosis() -> None:
    resource = condition(one_group(fact(MentionKind.FINDING, "fever", 10, codings=(FEVER,))),
                         REF, scope())
    assert list(resource)[:3] == ["resourceType", "id", "extension"]
    assert coding_codes(resource["clinicalStatus"]) == ["active"]
    assert coding_codes(resource["verificationStatus"]) == ["confirmed"]
    assert coding_codes(resource["category"][0]) == ["encounter-diagnosis"]
    assert resource["code"] == {"coding": [{"system": FEVER.system, "code": FEVER.code,
                                            "display": "Fever"}], "text": "fever"}
    assert resource["subject"] == PATIENT.reference()
    assert spans_of(resource) == [(10, 5)]


def test_negated_finding_is_refuted_and_has_no_clinical_status() -> None:
    resource = condition(one_group(fact(MentionKind.FINDING, "fever", context=negated())),
                         REF, scope())
    assert coding_codes(resource["verificationStatus"]) == ["refuted"]
    assert "clinicalStatus" not in resource


def test_uncertain_disorder_is_provisional() -> None:
    resource = condition(one_group(fact(MentionKind.DISORDER, "sepsis", context=uncertain())),
                         REF, scope())
    assert coding_codes(resource["verificationStatus"]) == ["provisional"]


def test_an_undated_status_is_the_current_one_and_a_dated_status_is_history() -> None:
    diagnosed = fact(MentionKind.DISORDER, "leukemia", 0,
                     when=When("2013", Span(20, 24), date="2013"))
    relapsed = fact(MentionKind.DISORDER, "leukemia", 40, status=ClinicalStatus.RELAPSE,
                    when=When("2016", Span(60, 64), date="2016"))
    remission = fact(MentionKind.DISORDER, "leukemia", 80, status=ClinicalStatus.REMISSION)
    resource = condition(one_group(diagnosed, relapsed, remission), REF, scope())
    assert coding_codes(resource["clinicalStatus"]) == ["remission"]
    assert resource["onsetDateTime"] == "2013"
    assert spans_of(resource) == [(0, 8), (40, 8), (80, 8)]


def test_the_latest_dated_status_wins_when_none_is_undated() -> None:
    relapsed = fact(MentionKind.DISORDER, "ALL", 0, status=ClinicalStatus.RELAPSE,
                    when=When("2016", Span(5, 9), date="2016"))
    resolved = fact(MentionKind.DISORDER, "ALL", 20, status=ClinicalStatus.RESOLVED,
                    when=When("2019", Span(25, 29), date="2019"))
    resource = condition(one_group(resolved, relapsed), REF, scope())
    assert coding_codes(resource["clinicalStatus"]) == ["resolved"]


def test_abatement_only_with_a_status_that_allows_it_con_4() -> None:
    when = When("from 2010 to 2012", Span(10, 27), date="2010", end_date="2012")
    resolved = condition(one_group(fact(MentionKind.DISORDER, "anemia", when=when,
                                        status=ClinicalStatus.RESOLVED)), REF, scope())
    active = condition(one_group(fact(MentionKind.DISORDER, "anemia", when=when)), REF, scope())
    assert resolved["abatementDateTime"] == "2012"
    assert "abatementDateTime" not in active


def test_relative_time_is_kept_as_onset_words() -> None:
    resource = condition(one_group(fact(MentionKind.FINDING, "rash", when=When(
        "half a month ago", Span(10, 26), relative="half a month ago"))), REF, scope())
    assert resource["onsetString"] == "half a month ago"


def test_code_text_is_the_words_with_whitespace_runs_read_as_one_space() -> None:
    resource = condition(one_group(fact(MentionKind.DISORDER, "liver\u200a\ncirrhosis")),
                         REF, scope())
    assert resource["code"] == {"text": "liver cirrhosis"}


def test_facts_of_others_and_hypothetical_facts_become_no_resource() -> None:
    facts = [fact(MentionKind.DISORDER, "AIDS", context=Context(hypothetical=True)),
             fact(MentionKind.DISORDER, "myeloma", 10,
                  context=Context(experiencer=Experiencer.OTHER)),
             fact(MentionKind.FINDING, "healthy", 20,
                  context=Context(experiencer=Experiencer.DONOR))]
    assert group(facts) == []


def test_no_fever_and_fever_stay_two_conditions() -> None:
    groups = group([fact(MentionKind.FINDING, "fever", 0, codings=(FEVER,), context=negated()),
                    fact(MentionKind.FINDING, "fever", 30, codings=(FEVER,))])
    assert [len(g.facts) for g in groups] == [1, 1]
