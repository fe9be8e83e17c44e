"""MedicationAdministration: effective[x] always present, dosage as R4 allows it."""

from __future__ import annotations

from fhirsvc.mappers.common import Ref
from fhirsvc.mappers.medication import medication_administration
from fhirsvc.model import Coding, Context, Dosage, Halt, MentionKind, Span, When
from fhirsvc.terminology import systems
from tests.mappers.builders import coding_codes, fact, negated, one_group, quantity, scope

REF = Ref("MedicationAdministration", "m1")
TOCILIZUMAB = Coding(systems.RXNORM, "612865", "tocilizumab")
IV = Coding(systems.SNOMED_CT, "47625008", "Intravenous route")
DATA_ABSENT = {"url": systems.DATA_ABSENT_REASON, "valueCode": "unknown"}


def test_dose_and_route_go_in_dosage() -> None:
    dosage = Dosage("8 mg/kg intravenously", Span(12, 33), dose=quantity("8", "mg/kg", "mg/kg"),
                    route="intravenously")
    resource = medication_administration(one_group(fact(
        MentionKind.MEDICATION, "tocilizumab", codings=(TOCILIZUMAB,), dosage=dosage,
        value_codings=(IV,))), REF, scope())
    assert resource["status"] == "completed"
    assert coding_codes(resource["medicationCodeableConcept"]) == ["612865"]
    assert resource["dosage"] == {
        "text": "8 mg/kg intravenously",
        "route": {"coding": [{"system": systems.SNOMED_CT, "code": "47625008",
                              "display": "Intravenous route"}], "text": "intravenously"},
        "dose": {"value": 8, "unit": "mg/kg", "system": systems.UCUM, "code": "mg/kg"}}


def test_without_a_date_effective_is_a_period_stating_it_is_unknown() -> None:
    resource = medication_administration(one_group(fact(MentionKind.MEDICATION, "aspirin")),
                                         REF, scope())
    assert resource["effectivePeriod"] == {"extension": [DATA_ABSENT]}


def test_with_a_date_effective_is_that_date() -> None:
    resource = medication_administration(one_group(fact(
        MentionKind.MEDICATION, "aspirin", when=When("in 2016", Span(10, 17), date="2016"))),
        REF, scope())
    assert resource["effectiveDateTime"] == "2016"
    assert "effectivePeriod" not in resource


def test_dosage_without_a_dose_becomes_a_note_mad_1() -> None:
    dosage = Dosage("twice daily", Span(10, 21), frequency="twice daily")
    resource = medication_administration(one_group(fact(MentionKind.MEDICATION, "aspirin",
                                                        dosage=dosage)), REF, scope())
    assert "dosage" not in resource
    assert resource["note"] == [{"text": "twice daily"}]


def test_negated_administration_is_not_done() -> None:
    resource = medication_administration(one_group(fact(MentionKind.MEDICATION, "steroids",
                                                        context=negated())), REF, scope())
    assert resource["status"] == "not-done"


def test_cell_product_given_during_a_procedure_is_part_of_it_and_named_by_its_words() -> None:
    procedure = Ref("Procedure", "p1")
    dosage = Dosage("8 times, 5.65 × 10^7/L", Span(20, 42), count=8,
                    dose=quantity("5.65", "10^7/L", "10*7/L"))
    cells = fact(MentionKind.THERAPEUTIC_PROCEDURE, "ucMSCs", codings=(
        Coding(systems.SNOMED_CT, "1269349006", "Transplantation of stem cell"),), dosage=dosage)
    resource = medication_administration(one_group(cells), REF, scope(), part_of=procedure)
    assert resource["partOf"] == [procedure.reference()]
    assert resource["medicationCodeableConcept"] == {"text": "ucMSCs"}
    assert resource["dosage"]["dose"]["code"] == "10*7/L"
    assert resource["dosage"]["text"] == "8 times, 5.65 × 10^7/L"


def test_contraindicated_drug_is_not_done_with_its_reason_in_a_list() -> None:
    barred = fact(MentionKind.MEDICATION, "alteplase", context=Context(negated=True, not_done=True),
                  halt=Halt.CONTRAINDICATED)
    resource = medication_administration(one_group(barred), REF, scope())
    assert resource["status"] == "not-done"
    assert resource["statusReason"] == [{"text": "contraindicated"}]


def test_withheld_drug_is_stopped() -> None:
    held = fact(MentionKind.MEDICATION, "enoxaparin", halt=Halt.STOPPED)
    resource = medication_administration(one_group(held), REF, scope())
    assert resource["status"] == "stopped" and "statusReason" not in resource
