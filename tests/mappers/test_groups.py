"""Which mentions are one resource: repeats of one treatment or test under different wordings."""

from __future__ import annotations

from fhirsvc.mappers.groups import group
from fhirsvc.model import Coding, Dosage, MentionKind, Result, Span, When
from fhirsvc.terminology import systems
from tests.mappers.builders import FEVER, fact, negated, quantity

THERAPY = MentionKind.THERAPEUTIC_PROCEDURE
TEST = MentionKind.DIAGNOSTIC_PROCEDURE


def _wordings(facts) -> list[list[str]]:
    return [[f.mention.text for f in g.facts] for g in group(facts)]


def test_a_treatment_named_with_and_without_its_generic_head_is_one_resource() -> None:
    facts = [fact(THERAPY, "NK-cell therapy", 0), fact(THERAPY, "NK cells", 40),
             fact(THERAPY, "NK-cell", 80)]
    assert _wordings(facts) == [["NK-cell therapy", "NK cells", "NK-cell"]]


def test_different_treatments_with_one_generic_head_stay_apart() -> None:
    facts = [fact(THERAPY, "proton therapy", 0), fact(THERAPY, "oxygen therapy", 40)]
    assert len(group(facts)) == 2


def test_a_bare_head_word_joins_the_specific_mention_of_the_same_type() -> None:
    facts = [fact(TEST, "abdominal examination", 0), fact(TEST, "examination", 60),
             fact(THERAPY, "renal transplantation", 120), fact(THERAPY, "transplantation", 200)]
    assert _wordings(facts) == [["abdominal examination", "examination"],
                                ["renal transplantation", "transplantation"]]


def test_a_coded_bare_word_is_no_repeat_of_a_joined_name_of_another_concept() -> None:
    tomography = (Coding(systems.SNOMED_CT, "77477000", "Computerized axial tomography"),)
    facts = [fact(TEST, "PET/CT", 0), fact(TEST, "CT", 30, codings=tomography),
             fact(TEST, "FDG-PET", 60), fact(TEST, "PET", 90)]
    assert _wordings(facts) == [["PET/CT"], ["CT"], ["FDG-PET", "PET"]]


def test_a_bare_head_word_asserted_differently_stays_apart() -> None:
    facts = [fact(TEST, "abdominal examination", 0), fact(TEST, "examination", 60,
                                                          context=negated())]
    assert len(group(facts)) == 2


def test_a_bare_head_word_with_no_specific_mention_is_kept() -> None:
    assert _wordings([fact(TEST, "examination", 0)]) == [["examination"]]


def test_an_undated_mention_repeats_the_one_dated_course() -> None:
    dated = fact(THERAPY, "plasmapheresis", 0, when=When("in 2019", Span(20, 27), date="2019"))
    assert len(group([dated, fact(THERAPY, "plasmapheresis", 90)])) == 1


def test_an_undated_mention_between_two_dated_courses_stays_apart() -> None:
    first = fact(THERAPY, "plasmapheresis", 0, when=When("in 2019", Span(20, 27), date="2019"))
    second = fact(THERAPY, "plasmapheresis", 50, when=When("in 2021", Span(70, 77), date="2021"))
    assert len(group([first, second, fact(THERAPY, "plasmapheresis", 90)])) == 3


def test_a_mention_without_dose_repeats_the_one_dosed_administration() -> None:
    dose = Dosage("2 x 10^6/kg", Span(30, 41), dose=quantity("2", "10^6/kg", "10*6/kg"))
    dosed = fact(THERAPY, "MSC infusion", 0, dosage=dose)
    assert len(group([dosed, fact(THERAPY, "MSCs", 90)])) == 1


def test_an_uncoded_evaluative_word_or_drug_class_makes_no_resource() -> None:
    facts = [fact(MentionKind.FINDING, "improved", 0), fact(MentionKind.MEDICATION, "drugs", 30),
             fact(MentionKind.MEDICATION, "immunosuppressive drugs", 60)]
    assert group(facts) == []


def test_a_vague_word_with_a_code_is_kept_and_a_named_drug_beside_a_class_is_kept() -> None:
    coded = fact(MentionKind.FINDING, "improved", 0, codings=(FEVER,))
    assert len(group([coded])) == 1
    drug = [fact(MentionKind.MEDICATION, "medication", 0), fact(MentionKind.MEDICATION,
                                                                 "tacrolimus", 40)]
    assert _wordings(drug) == [["tacrolimus"]]


def test_a_sign_or_disorder_measured_in_the_text_is_an_observation_unmeasured_a_condition() -> None:
    measured = Result("39.2 °C", Span(10, 17), quantity=quantity("39.2", "°C", "Cel"))
    facts = [fact(MentionKind.FINDING, "fever", 0, codings=(FEVER,), result=measured),
             fact(MentionKind.FINDING, "fever", 100, codings=(FEVER,)),
             fact(MentionKind.DISORDER, "hypokalaemia", 200,
                  result=Result("2.9 mmol/L", Span(214, 224),
                                quantity=quantity("2.9", "mmol/L", "mmol/L")))]
    assert [g.type for g in group(facts)] == ["Observation", "Condition", "Observation"]


def test_an_uncoded_drug_under_its_generic_and_brand_names_is_one_administration() -> None:
    generic = fact(MentionKind.MEDICATION, "capecitabine", 0,
                   concepts=("med:capecitabine", "drug:capecitabine"))
    brand = fact(MentionKind.MEDICATION, "Xeloda", 14, concepts=("drug:capecitabine",))
    other = fact(MentionKind.MEDICATION, "temozolomide", 30,
                 concepts=("med:temozolomide", "drug:temozolomide"))
    assert [[f.mention.text for f in g.facts] for g in group([generic, brand, other])] == [
        ["capecitabine", "Xeloda"], ["temozolomide"]]


def test_curated_classes_do_not_group_by_their_concept() -> None:
    first = fact(MentionKind.MEDICATION, "loop diuretics", 0, concepts=("med:diuretic_class",))
    second = fact(MentionKind.MEDICATION, "thiazides", 20, concepts=("med:diuretic_class",))
    assert len(group([first, second])) == 2


def test_an_act_written_before_its_object_is_the_compound_that_names_it() -> None:
    facts = [fact(THERAPY, "aortic valve replacement", 0),
             fact(THERAPY, "replacement of the aortic valve", 60)]
    assert _wordings(facts) == [["aortic valve replacement", "replacement of the aortic valve"]]


def test_a_bare_act_joins_the_act_named_with_its_object() -> None:
    facts = [fact(THERAPY, "closure of the defect", 0), fact(THERAPY, "closure", 60),
             fact(THERAPY, "closure of the wound", 120)]
    assert [len(g.facts) for g in group(facts)] == [2, 1]
