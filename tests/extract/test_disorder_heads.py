"""Disorders and findings named by a head noun of mappings/disorder_heads.tsv ("disease",
"syndrome", "palsy") after modifiers no lexicon knows."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


def _disorders(terminology: Terminology, sentence: str,
               kind: MentionKind = MentionKind.DISORDER) -> list[str]:
    return [m.text for m in patient_mentions(terminology, sentence, kind)]


_FINDING = MentionKind.FINDING


@pytest.mark.parametrize(("sentence", "words"), [
    ("Genetic testing pointed to a peroxisomal biogenesis disorder.",
     "peroxisomal biogenesis disorder"),
    ("She was known to have three-vessel arterial disease.", "three-vessel arterial disease"),
    ("Her course was complicated by a palmar-plantar syndrome.", "palmar-plantar syndrome"),
    ("An enzyme assay confirmed complex III deficiency.", "complex III deficiency"),
    ("There was no sign of cutaneous involvement.", "cutaneous involvement"),
    ("Radiographs showed a distal radius fracture.", "distal radius fracture"),
    ("Examination found a left abducens nerve palsy.", ("abducens nerve palsy", _FINDING)),
    ("Imaging showed subfalcine herniation.", ("subfalcine herniation", _FINDING)),
    ("The radiograph showed cortical erosion of the tibia.", ("cortical erosion", _FINDING)),
    ("A chest film showed right lower lobe collapse.", ("right lower lobe collapse", _FINDING)),
    ("The tracing showed T-wave inversion in the lateral leads.", ("T-wave inversion", _FINDING)),
    ("Her course was marked by hemodynamic instability.",
     ("hemodynamic instability", _FINDING)),
    ("The echocardiogram showed apical akinesis.", ("apical akinesis", _FINDING)),
    ("Two days later she reported urinary symptoms.", ("urinary symptoms", _FINDING)),
    ("Brain imaging showed periventricular signal abnormalities.",
     ("periventricular signal abnormalities", _FINDING)),
])
def test_a_disorder_or_finding_head_after_modifiers_names_one_of_its_kind(
        terminology: Terminology, sentence: str, words: str | tuple[str, MentionKind]) -> None:
    text, kind = words if isinstance(words, tuple) else (words, MentionKind.DISORDER)
    assert text in _disorders(terminology, sentence, kind)


@pytest.mark.parametrize("sentence", [
    "The disease progressed over the following months.",
    "Her disease activity scores fell after the second cycle.",
    "The patient\u2019s rare disease was explained to the family.",
])
def test_a_bare_disorder_head_or_one_heading_another_noun_names_no_disorder(
        terminology: Terminology, sentence: str) -> None:
    assert not any(w.endswith("disease") for w in _disorders(terminology, sentence))


def test_a_bare_finding_head_names_no_finding(terminology: Terminology) -> None:
    found = _disorders(terminology, "She had a collapse at home and was brought in.", _FINDING)
    assert not any(w.endswith("collapse") for w in found)


def _conditions_in(terminology: Terminology, sentence: str) -> list[str]:
    """The findings and disorders named in ``sentence`` (not in the introduction before it)."""
    found = _disorders(terminology, sentence, _FINDING) + _disorders(terminology, sentence)
    return [words for words in found if words in sentence]


@pytest.mark.parametrize(("sentence", "words"), [
    ("Positive pressure was used to prevent alveolar collapse.", "alveolar collapse"),
    ("A brace was applied to avoid fracture displacement.", "fracture displacement"),
])
def test_a_verb_of_purpose_is_no_modifier_of_the_finding(terminology: Terminology,
                                                         sentence: str, words: str) -> None:
    assert _conditions_in(terminology, sentence) == [words]


@pytest.mark.parametrize("sentence", [
    "There was a protocol deviation during the second cycle.",
    "Follow-up was lost because of financial instability.",
])
def test_a_head_noun_after_a_non_clinical_word_names_no_condition(terminology: Terminology,
                                                                  sentence: str) -> None:
    assert not _conditions_in(terminology, sentence)


@pytest.mark.parametrize("sentence", [
    "He denied preceding symptoms before the fall.",
    "Weeks later she developed symptoms such as cough and wheeze.",
    "A repeat scan did not reveal abnormalities of the spine.",
    "Her symptoms settled within a week.",
])
def test_symptoms_or_abnormalities_after_a_verb_or_a_time_word_name_no_finding(
        terminology: Terminology, sentence: str) -> None:
    assert not any(w.endswith(("symptoms", "abnormalities"))
                   for w in _conditions_in(terminology, sentence))


def test_emboli_the_latin_plural_names_an_embolism(terminology: Terminology) -> None:
    assert "pulmonary emboli" in _disorders(
        terminology, "Angiography showed segmental pulmonary emboli on both sides.")
