"""Disorders named by a head noun of mappings/disorder_heads.tsv ("disease", "syndrome",
"deficiency") after modifiers no lexicon knows."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _disorders(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in patient_mentions(terminology, sentence, MentionKind.DISORDER)]


@pytest.mark.parametrize(("sentence", "words"), [
    ("Genetic testing pointed to a peroxisomal biogenesis disorder.",
     "peroxisomal biogenesis disorder"),
    ("She was known to have three-vessel arterial disease.", "three-vessel arterial disease"),
    ("Her course was complicated by a palmar-plantar syndrome.", "palmar-plantar syndrome"),
    ("An enzyme assay confirmed complex III deficiency.", "complex III deficiency"),
    ("There was no sign of cutaneous involvement.", "cutaneous involvement"),
    ("Radiographs showed a distal radius fracture.", "distal radius fracture"),
])
def test_a_disorder_head_after_modifiers_names_a_disorder(
        terminology: Terminology, sentence: str, words: str) -> None:
    assert words in _disorders(terminology, sentence)


@pytest.mark.parametrize("sentence", [
    "The disease progressed over the following months.",
    "Her disease activity scores fell after the second cycle.",
    "The patient\u2019s rare disease was explained to the family.",
])
def test_a_bare_disorder_head_or_one_heading_another_noun_names_no_disorder(
        terminology: Terminology, sentence: str) -> None:
    assert not any(w.endswith("disease") for w in _disorders(terminology, sentence))


def _findings(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in patient_mentions(terminology, sentence, MentionKind.FINDING)]


@pytest.mark.parametrize(("sentence", "words"), [
    ("Examination found a left abducens nerve palsy.", "abducens nerve palsy"),
    ("Imaging showed subfalcine herniation.", "subfalcine herniation"),
    ("The radiograph showed cortical erosion of the tibia.", "cortical erosion"),
    ("A chest film showed right lower lobe collapse.", "right lower lobe collapse"),
    ("The tracing showed T-wave inversion in the lateral leads.", "T-wave inversion"),
    ("Her course was marked by hemodynamic instability.", "hemodynamic instability"),
    ("The echocardiogram showed apical akinesis.", "apical akinesis"),
])
def test_a_finding_head_after_modifiers_names_a_finding(
        terminology: Terminology, sentence: str, words: str) -> None:
    assert words in _findings(terminology, sentence)


def test_a_bare_finding_head_names_no_finding(terminology: Terminology) -> None:
    found = _findings(terminology, "She had a collapse at home and was brought in.")
    assert not any(w.endswith("collapse") for w in found)
