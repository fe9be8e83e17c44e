"""A one-word finding is also found as the adjective reports describe the patient with
("hypothermia" → "hypothermic"), by the endings of ``mappings/adjective_suffixes.tsv``."""

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology, sources, tables


def _suffixes() -> dict[str, str]:
    rows = tables.load_table("adjective_suffixes.tsv", tables.SuffixRow)
    return {r.key: r.adjective for r in rows}


@pytest.mark.parametrize(("noun", "adjective"), [
    ("Hypothermia", "hypothermic"), ("dyspnoea", "dyspnoeic"), ("cyanosis", "cyanotic"),
    ("Dysplasia", "dysplastic"), ("erythema", "erythematous"), ("jaundice", "jaundiced"),
    ("diaphoresis", "diaphoretic"), ("obesity", "obese"), ("distension", "distended"),
])
def test_the_longest_ending_gives_the_adjective(noun: str, adjective: str) -> None:
    assert sources.adjective_forms(noun, _suffixes()) == [adjective]


@pytest.mark.parametrize("term", ["sinus tachycardia", "HbA1c", "fever", "ia"])
def test_terms_of_several_words_or_without_a_known_ending_give_none(term: str) -> None:
    assert sources.adjective_forms(term, _suffixes()) == []


@pytest.mark.parametrize(("sentence", "adjective", "noun"), [
    ("On arrival he was hypothermic and tachypneic.", "hypothermic", "hypothermia"),
    ("On arrival he was hypothermic and tachypneic.", "tachypneic", "tachypnea"),
    ("She remained lymphopenic for months.", "lymphopenic", "lymphopenia"),
    ("The infant looked cyanotic.", "cyanotic", "cyanosis"),
    ("The mucosa was diffusely erythematous.", "erythematous", "erythema"),
])
def test_the_adjective_names_the_nouns_concept(terminology: Terminology, sentence: str,
                                               adjective: str, noun: str) -> None:
    hits = {sentence[h.start : h.end]: h for h in terminology.find(sentence)}
    [by_noun] = terminology.find(noun)
    assert hits[adjective].kind in (MentionKind.FINDING, MentionKind.DISORDER)
    assert hits[adjective].concepts and set(hits[adjective].concepts) <= set(by_noun.concepts)


@pytest.mark.parametrize("sentence", [
    "Hypertonic saline was given.",
    "The cytoplasm was eosinophilic.",
    "The postoperative course was complicated.",
    "Fluid was aspirated from the joint.",
])
def test_adjectives_of_other_meanings_name_no_finding(terminology: Terminology,
                                                       sentence: str) -> None:
    kinds = {h.kind for h in terminology.find(sentence)}
    assert not kinds & {MentionKind.FINDING, MentionKind.DISORDER}


def test_a_suffix_row_with_a_non_letter_ending_is_rejected() -> None:
    with pytest.raises(tables.TableError):
        tables.parse_table("adjective_suffixes.tsv", "key\tadjective\tsource\nia\ti-c\tx\n",
                           tables.SuffixRow)
