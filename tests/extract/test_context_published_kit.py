"""Classes of context error an independent negation test set (the NegEx kit, measured by
``python -m fhirsvc.bench context``) showed in discharge-summary English, each stated with
sentences of our own."""

from __future__ import annotations

from fhirsvc.extract import context
from fhirsvc.model import Context, Span


def _context(sentence: str, target: str) -> Context:
    start = sentence.index(target)
    found = context.triggers(sentence, Span(0, len(sentence)))
    return context.assess(sentence, Span(start, start + len(target)), found, condition=True)


def test_minus_ve_for_denies_what_it_lists_as_negative_for_does() -> None:
    sentence = "Review of systems is -ve for weight loss, night sweats or haemoptysis."
    assert all(_context(sentence, t).negated for t in ("weight loss", "night sweats",
                                                        "haemoptysis"))


def test_findings_that_do_not_support_a_diagnosis_deny_it() -> None:
    assert _context("The smear does not support a diagnosis of malaria.", "malaria").negated
    assert _context("These features would not support sarcoidosis.", "sarcoidosis").negated


def test_not_supporting_a_cost_denies_nothing() -> None:
    """Only findings that do not support a diagnosis deny it: a patient who could not
    support the cost of a treatment still has the disorder it treats."""
    sentence = "The family could not support the costly lifelong treatment of her epilepsy."
    assert not _context(sentence, "epilepsy").negated


def test_a_positive_finding_after_a_denial_is_not_denied() -> None:
    sentence = "The scan showed no ascites and positive for gallstones."
    assert _context(sentence, "ascites").negated
    assert not _context(sentence, "gallstones").negated


def test_no_diagnosis_for_a_complaint_denies_the_diagnosis_not_the_complaint() -> None:
    assert not _context("There is no clear diagnosis for her chest pain.", "chest pain").negated
    assert not _context("No explanation for the anaemia was found.", "anaemia").negated


def test_status_post_makes_what_follows_historical() -> None:
    assert _context("He is status post appendectomy.", "appendectomy").historical
    assert _context("She is s/p mastectomy for breast cancer.", "breast cancer").historical
    assert not _context("He has a cough.", "cough").historical


def test_a_history_reaches_every_item_of_its_list() -> None:
    sentence = ("Her past medical history is notable for asthma, gout, psoriasis, migraine, "
                "glaucoma, anemia and hypothyroidism.")
    assert all(_context(sentence, t).historical for t in ("asthma", "glaucoma",
                                                           "hypothyroidism"))


def test_a_denial_in_an_opening_clause_ends_at_its_comma_after_a_sentence_adverb() -> None:
    """"However," links the sentence to the one before: the clause it opens ("due to no
    sign of sepsis,") still ends at its comma, before the main clause's subject and verb."""
    sentence = "However, due to no sign of sepsis, the patient remained afebrile."
    assert _context(sentence, "sepsis").negated
    assert not _context(sentence, "afebrile").negated
    listed = "Moreover, as he denied fever, cough or dyspnea, he was discharged."
    assert _context(listed, "dyspnea").negated


def test_a_forward_denial_stops_at_a_labels_colon() -> None:
    """A colon some words past a denial starts a label's value ("DIAGNOSIS: chest pain"),
    which the denial does not reach; a colon right after the trigger opens its list."""
    sentence = "Weight not recorded   ADMITTING DIAGNOSIS: gout."
    assert not _context(sentence, "gout").negated
    assert _context("The swab was negative for: influenza, RSV.", "influenza").negated
    assert _context("He denied the following: fever, cough.", "fever").negated
    assert _context("No fever at 10:30 or chills.", "chills").negated


def test_not_believing_a_diagnosis_denies_it() -> None:
    assert _context("The surgeons did not believe she had appendicitis.", "appendicitis").negated


def test_a_conditional_clause_makes_its_whole_list_hypothetical() -> None:
    """"if she develops …" lists what may happen: every item, however long the list; a
    clause after "if" that lists nothing ("asked if she had seen …") reaches no further."""
    sentence = ("Return to clinic if she develops fever, a new rash, jaundice, dark urine, "
                "abdominal swelling or confusion.")
    assert all(_context(sentence, t).hypothetical for t in ("fever", "dark urine", "confusion"))
    instructions = "Call us if there is any vomiting, calf pain, light-headedness or fainting."
    assert _context(instructions, "fainting").hypothetical
    told = "He asked if she had seen the rash, and she said the fever was gone."
    assert not _context(told, "fever").hypothetical


def test_a_result_after_a_dash_denies_its_label_as_after_a_colon() -> None:
    assert _context("Neck stiffness - none.", "Neck stiffness").negated
    assert _context("Kernig sign - negative.", "Kernig sign").negated
    assert not _context("Gram-negative rods grew in the blood.", "blood").negated
