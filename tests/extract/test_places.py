"""Words of a place of care's name are no mention of a finding or a treatment."""

import pytest

from fhirsvc.extract import places


def _names_a_place(sentence: str, words: str) -> bool:
    start = sentence.index(words)
    return places.names_a_place(sentence, start, start + len(words))


@pytest.mark.parametrize("sentence, words", [
    ("She was referred to the vascular surgery clinic in May.", "surgery"),
    ("He was seen in the Regional Burn Injury Center the next day.", "Burn"),
    ("He was flown to the Burn Injury Center.", "Injury"),
    ("She was treated at the Children's Cancer Hospital.", "Cancer"),
])
def test_a_word_of_a_clinic_or_institution_name_names_a_place(sentence: str,
                                                              words: str) -> None:
    assert _names_a_place(sentence, words)


@pytest.mark.parametrize("sentence, words", [
    ("She underwent vascular surgery in May.", "surgery"),
    ("A burn covered the left arm; the wound center was necrotic.", "burn"),
    ("Cancer was found; Hospital staff were told.", "Cancer"),
])
def test_a_finding_or_treatment_outside_a_name_is_no_place(sentence: str, words: str) -> None:
    assert not _names_a_place(sentence, words)
