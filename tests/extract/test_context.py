"""ConText: triggers, scopes, terminators, pseudo-triggers and experiencers."""

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Span


def _context(sentence: str, target: str, *, about_patient: bool = True) -> Context:
    start = sentence.index(target)
    found = context.triggers(sentence, Span(0, len(sentence)))
    return context.assess(sentence, Span(start, start + len(target)), found,
                          about_patient=about_patient)


def test_negation_reaches_forward_through_a_list() -> None:
    sentence = "He denied fever, cough or chest pain."
    assert all(_context(sentence, t).negated for t in ("fever", "cough", "chest pain"))


def test_a_terminator_ends_the_scope() -> None:
    assert not _context("No fever but a severe cough.", "cough").negated
    assert _context("No fever but a severe cough.", "fever").negated


def test_backward_triggers_negate_what_precedes_them() -> None:
    assert _context("Blood cultures were negative.", "Blood cultures").negated
    assert _context("Tuberculosis was ruled out.", "Tuberculosis").negated


def test_a_pseudo_trigger_negates_nothing() -> None:
    assert not _context("There was no change in the rash.", "rash").negated


def test_uncertain_historical_and_family_mentions() -> None:
    assert _context("Suspected pneumonia was treated.", "pneumonia").uncertain
    assert _context("She had a history of asthma.", "asthma").historical
    assert _context("His mother had diabetes.", "diabetes").experiencer is Experiencer.FAMILY


def test_generic_triggers_apply_only_where_the_patient_is_not_referred_to() -> None:
    sentence = "Transplantation can treat viral diseases, such as AIDS."
    assert _context(sentence, "AIDS", about_patient=False).hypothetical
    assert not _context("He had infections such as otitis.", "otitis").hypothetical
