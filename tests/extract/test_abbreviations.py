"""Whether a short form can abbreviate a long form (the check that tells another name of a
test from a member of a panel named in parentheses)."""

import pytest

from fhirsvc.extract.abbreviations import abbreviates


@pytest.mark.parametrize(("short", "long"), [
    ("FEV1", "forced expiratory volume in 1 second"),
    ("ESR", "erythrocyte sedimentation rate"),
    ("CRP", "C-reactive protein"),
    ("ALP", "alkaline phosphatase"),
    ("anti-GBM", "anti-glomerular basement membrane"),
])
def test_a_short_form_whose_letters_run_in_order_from_a_word_start_abbreviates(
        short: str, long: str) -> None:
    assert abbreviates(short, long)


@pytest.mark.parametrize(("short", "long"), [
    ("BUN", "renal function tests"),
    ("TSH", "thyroid panel"),
    ("GGT", "hepatic enzymes"),
    ("LDH", "lactate"),  # letters missing
    ("ANA", "banana test"),  # its first letter begins no word
])
def test_a_member_of_a_panel_or_a_partial_match_does_not_abbreviate(
        short: str, long: str) -> None:
    assert not abbreviates(short, long)
