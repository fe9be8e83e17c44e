"""A phrase finding's denial comes from ConText's own table of triggers."""

import pytest

from fhirsvc.extract import context, phrases

_DENIALS = [r for r in context.rules()[0]
            if r.category in ("negated", "absent") and r.direction != "backward"]


def _denied(sentence: str, phrase: str) -> bool:
    return phrases.denied(sentence, 0, sentence.index(phrase))


@pytest.mark.parametrize("rule", _DENIALS, ids=lambda r: r.phrase)
def test_every_forward_denial_of_the_table_denies_a_phrase_right_after_it(
        rule: context.Rule) -> None:
    sentence = f"The biopsy {rule.phrase} atypical cells."
    assert _denied(sentence, "atypical cells")


def _holds_a_denial(phrase: str) -> bool:
    return any(f" {r.phrase} " in f" {phrase} " for r in _DENIALS)


@pytest.mark.parametrize("rule", [r for r in context.rules()[0]
                                  if r.category == "pseudo" and _holds_a_denial(r.phrase)],
                         ids=lambda r: r.phrase)
def test_a_pseudo_trigger_that_holds_a_denial_denies_nothing_after_it(
        rule: context.Rule) -> None:
    sentence = f"The biopsy showed {rule.phrase} atypical cells."
    assert not _denied(sentence, "atypical cells")


@pytest.mark.parametrize(("sentence", "phrase"), [
    ("Immunohistochemistry failed to demonstrate atypical cells in the marrow.", "atypical"),
    ("Repeat cytology was negative for malignant cells.", "malignant cells"),
    ("The resected node showed no necrosis or atypical cells.", "atypical cells"),
    ("There was no evidence of significant stage III disease.", "stage III"),
])
def test_denials_written_in_other_words_deny_the_phrase(sentence: str, phrase: str) -> None:
    assert _denied(sentence, phrase)


@pytest.mark.parametrize(("sentence", "phrase"), [
    ("The smear showed not only atypical cells but also circulating blasts.", "atypical"),
    ("No mitoses were counted, and atypical cells were seen.", "atypical"),
    ("A denial far before: no fever on admission; the final staging was stage IIIB.",
     "stage IIIB"),
])
def test_a_pseudo_trigger_or_a_distant_denial_leaves_the_phrase_stated(sentence: str,
                                                                       phrase: str) -> None:
    assert not _denied(sentence, phrase)
