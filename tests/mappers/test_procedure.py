"""Procedure: status, time, reason, and the source of a graft."""

from __future__ import annotations

from fhirsvc.mappers.common import Ref
from fhirsvc.mappers.procedure import ROLE_DISPLAY, procedure
from fhirsvc.model import Context, Halt, MentionKind, Source, Span, When
from fhirsvc.pipeline import Converter
from fhirsvc.spec import load_spec
from fhirsvc.terminology import systems
from tests.mappers.builders import fact, negated, one_group, scope, spans_of, uncertain

REF = Ref("Procedure", "p1")
CONDITION = Ref("Condition", "c1")


def test_reported_procedure_is_completed_with_its_date() -> None:
    resource = procedure(one_group(fact(MentionKind.THERAPEUTIC_PROCEDURE, "CAR-T cell therapy",
                                        when=When("in 2016", Span(30, 37), date="2016"))),
                         REF, scope())
    assert resource["status"] == "completed"
    assert resource["performedDateTime"] == "2016"
    assert resource["category"] == {"text": "Therapeutic procedure"}


def test_negated_procedure_is_not_done_and_uncertain_is_unknown() -> None:
    assert procedure(one_group(fact(MentionKind.DIAGNOSTIC_PROCEDURE, "biopsy",
                                    context=negated())), REF, scope())["status"] == "not-done"
    assert procedure(one_group(fact(MentionKind.DIAGNOSTIC_PROCEDURE, "biopsy",
                                    context=uncertain())), REF, scope())["status"] == "unknown"


def test_period_and_relative_time() -> None:
    both = When("2010-2012", Span(20, 29), date="2010", end_date="2012")
    words = When("3 weeks later", Span(20, 33), relative="3 weeks later")
    assert procedure(one_group(fact(MentionKind.THERAPEUTIC_PROCEDURE, "dialysis", when=both)),
                     REF, scope())["performedPeriod"] == {"start": "2010", "end": "2012"}
    assert procedure(one_group(fact(MentionKind.THERAPEUTIC_PROCEDURE, "dialysis", when=words)),
                     REF, scope())["performedString"] == "3 weeks later"


def test_reason_reference_points_at_the_condition_the_reason_words_became() -> None:
    treated = fact(MentionKind.THERAPEUTIC_PROCEDURE, "HSCT", 0, reason=Span(10, 18))
    resource = procedure(one_group(treated), REF, scope({Span(10, 18): CONDITION}))
    assert resource["reasonReference"] == [CONDITION.reference()]


def test_reason_words_no_mention_has_exactly_point_at_the_first_mention_overlapping_them() -> None:
    treated = fact(MentionKind.THERAPEUTIC_PROCEDURE, "HSCT", 0, reason=Span(10, 18))
    later, first = Ref("Condition", "c2"), Ref("Condition", "c3")
    by_span = {Span(0, 4): REF, Span(30, 40): Ref("Condition", "c4"),
               Span(16, 25): first, Span(5, 11): later}  # both overlap 10..18: the first given wins
    assert procedure(one_group(treated), REF, scope(by_span))["reasonReference"] == [
        first.reference()]


def test_reason_that_became_no_resource_is_left_out() -> None:
    treated = fact(MentionKind.THERAPEUTIC_PROCEDURE, "HSCT", 0, reason=Span(10, 18))
    assert "reasonReference" not in procedure(one_group(treated), REF, scope())


def test_donor_sister_is_a_graft_source_with_her_kinship_not_a_patient() -> None:
    graft = fact(MentionKind.THERAPEUTIC_PROCEDURE, "stem cell transplantation", 0,
                 source=Source("from his sister", Span(30, 45), relation="SIS"))
    resource = procedure(one_group(graft), REF, scope())
    [source] = [e for e in resource["extension"] if e["url"] == systems.GRAFT_SOURCE]
    parts = {e["url"]: e for e in source["extension"]}
    assert parts["text"]["valueString"] == "from his sister"
    assert parts["relation"]["valueCodeableConcept"]["coding"] == [
        {"system": systems.V3_ROLE_CODE, "code": "SIS", "display": "sister"}]
    assert (30, 15) in spans_of(resource)
    assert resource["subject"]["reference"].endswith("000000000002")


def test_source_without_kinship_keeps_only_the_words() -> None:
    graft = fact(MentionKind.THERAPEUTIC_PROCEDURE, "transplantation", 0,
                 source=Source("cord blood", Span(20, 30)))
    [source] = [e for e in procedure(one_group(graft), REF, scope())["extension"]
                if e["url"] == systems.GRAFT_SOURCE]
    assert [e["url"] for e in source["extension"]] == ["text"]


def test_every_kinship_display_is_the_one_v3_role_code_gives() -> None:
    role_code = load_spec().code_systems[systems.V3_ROLE_CODE]

    def displays(concepts: list[dict]) -> dict[str, str]:
        found: dict[str, str] = {}
        for c in concepts:
            found[c["code"]] = c.get("display", "")
            found |= displays(c.get("concept", []))
        return found

    known = displays(role_code["concept"])
    assert {code: known.get(code) for code in ROLE_DISPLAY} == ROLE_DISPLAY


def test_a_delivery_the_patient_was_born_by_is_no_procedure_of_the_patient(
        converter: Converter) -> None:
    bundle = converter.convert("A 3-day-old girl was admitted. She was born by spontaneous "
                               "vaginal delivery after induction of labor.", "t").bundle
    assert not [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"]


def test_not_done_procedure_says_why_and_stopped_one_is_stopped() -> None:
    refused = fact(MentionKind.THERAPEUTIC_PROCEDURE, "hemicolectomy",
                   context=Context(negated=True, not_done=True), halt=Halt.REFUSED)
    resource = procedure(one_group(refused), REF, scope())
    assert (resource["status"], resource["statusReason"]) == ("not-done", {"text": "refused"})
    dialysis = [fact(MentionKind.THERAPEUTIC_PROCEDURE, "haemodialysis", 0),
                fact(MentionKind.THERAPEUTIC_PROCEDURE, "haemodialysis", 40, halt=Halt.STOPPED)]
    stopped = procedure(one_group(*dialysis), REF, scope())
    assert stopped["status"] == "stopped" and "statusReason" not in stopped


def test_a_halt_word_does_not_make_uncertain_care_stopped() -> None:
    doubtful = fact(MentionKind.THERAPEUTIC_PROCEDURE, "plasmapheresis", context=uncertain(),
                    halt=Halt.STOPPED)
    assert procedure(one_group(doubtful), REF, scope())["status"] == "unknown"


def test_a_delivery_under_anaesthesia_gives_the_mother_her_care_and_none_of_the_childs_data(
        converter: Converter) -> None:
    bundle = converter.convert(
        "A 29-year-old woman was admitted. An emergency caesarean section was performed under "
        "general anaesthesia, delivering a live male infant weighing 1650 g with Apgar scores "
        "of 6 and 8.", "t").bundle
    kinds = [(e["resource"]["resourceType"], e["resource"].get("code", {}).get("text"))
             for e in bundle["entry"]]
    assert ("Procedure", "caesarean section") in kinds
    given = [e["resource"]["medicationCodeableConcept"]["text"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "MedicationAdministration"]
    assert given == ["general anaesthesia"]
    assert not [k for k in kinds if k[0] == "Observation"]
