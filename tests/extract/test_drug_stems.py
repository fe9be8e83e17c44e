"""Drugs no dictionary lists are recognised by the stems of their international names."""

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def _medications(terminology: Terminology, sentence: str) -> list[str]:
    report = extract("A 61-year-old woman was admitted. " + sentence, "t", terminology)
    return [m.text for m in report.patients[0].mentions if m.kind is MentionKind.MEDICATION]


def test_kinase_inhibitors_and_antibodies_are_drugs_by_their_stem(terminology: Terminology) -> None:
    assert _medications(terminology, "She then received zanubrutinib and later teclistamab.") == [
        "zanubrutinib", "teclistamab"]


def test_words_that_only_end_like_a_stem_inside_another_word_are_not_drugs(
    terminology: Terminology
) -> None:
    assert _medications(terminology, "Her pupils were equal and the abdomen was soft.") == []


def test_more_international_name_stems_give_drugs(terminology: Terminology) -> None:
    sentence = ("He was given adagrasib, then ramosetron, letaxaban and gosogliptin; "
                "later orvepitant with belotecan and tenecteplase.")
    assert _medications(terminology, sentence) == [
        "adagrasib", "ramosetron", "letaxaban", "gosogliptin", "orvepitant", "belotecan",
        "tenecteplase"]


def test_a_chemical_ring_is_no_azole_drug(terminology: Terminology) -> None:
    assert _medications(terminology, "The benzimidazole ring was described.") == []


def test_vasopressin_analogues_blockers_and_thrombin_inhibitors_are_drugs_by_their_stem(
    terminology: Terminology
) -> None:
    sentence = ("She received terlipressin for the bleeding, vecuronium and cisatracurium at "
                "intubation, then desirudin and cangrelor.")
    assert _medications(terminology, sentence) == [
        "terlipressin", "vecuronium", "cisatracurium", "desirudin", "cangrelor"]
