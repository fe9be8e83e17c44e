"""Procedures named by a head noun of mappings/procedure_heads.tsv after modifiers no lexicon knows."""

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def _procedures(terminology: Terminology, sentence: str) -> dict[str, MentionKind]:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    kinds = (MentionKind.THERAPEUTIC_PROCEDURE, MentionKind.DIAGNOSTIC_PROCEDURE)
    return {m.text: m.kind for m in report.patients[0].mentions if m.kind in kinds}


def test_a_head_noun_after_modifiers_names_a_procedure_of_its_kind(terminology: Terminology) -> None:
    found = _procedures(terminology, "He received salvage therapy after a cardiac evaluation.")
    assert found == {"salvage therapy": MentionKind.THERAPEUTIC_PROCEDURE,
                     "cardiac evaluation": MentionKind.DIAGNOSTIC_PROCEDURE}


def test_a_bare_head_noun_names_no_procedure(terminology: Terminology) -> None:
    assert _procedures(terminology, "The treatment was stopped after the evaluation.") == {}


def test_result_words_and_sentence_words_are_not_modifiers(terminology: Terminology) -> None:
    found = _procedures(terminology, "Tests showed normal adrenal function despite initial treatment.")
    assert found == {"adrenal function": MentionKind.DIAGNOSTIC_PROCEDURE}
