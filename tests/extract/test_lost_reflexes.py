"""Reflexes said to be lost or absent are a finding; reflexes examined otherwise stay a
procedure."""

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions, procedure_texts


def _codes(terminology: Terminology, sentence: str) -> dict[str, tuple[str, ...]]:
    return {m.text: m.concepts for m in patient_conditions(terminology, sentence)
            if m.kind is MentionKind.FINDING and "reflex" in m.text.lower()}


def test_reflexes_absent_after_their_name_are_areflexia(terminology: Terminology) -> None:
    found = _codes(terminology, "On day three her tendon reflexes were absent in all limbs.")
    assert found == {"tendon reflexes were absent": ("hpo:HP:0001284",)}
    assert procedure_texts(terminology, "On day three her tendon reflexes were absent.") == []


def test_a_reflex_lost_at_a_named_site_is_that_sites_absent_reflex(
        terminology: Terminology) -> None:
    found = _codes(terminology, "Within a week she had lost both ankle reflexes.")
    assert found == {"lost both ankle reflexes": ("hpo:HP:0003438",)}


def test_reflexes_found_normal_stay_an_examination(terminology: Terminology) -> None:
    assert procedure_texts(terminology, "Her reflexes were symmetric and brisk.") == ["reflexes"]
    assert _codes(terminology, "Her reflexes were symmetric and brisk.") == {}


def test_a_site_the_lexicon_lacks_gives_a_finding_without_the_general_code(
        terminology: Terminology) -> None:
    found = _codes(terminology, "On review his biceps reflexes were absent.")
    assert found == {"biceps reflexes were absent": ()}
