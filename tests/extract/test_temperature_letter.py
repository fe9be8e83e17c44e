"""A bare scale letter after a temperature's value is its unit; elsewhere it is no unit."""

from decimal import Decimal

import pytest

from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_mentions


@pytest.mark.parametrize(
    ("sentence", "value", "ucum"),
    [
        ("On arrival her temperature was 39.1 C and she shivered.", "39.1", "Cel"),
        ("She had a rectal temperature of 36.2 C.", "36.2", "Cel"),
        ("Her temperature rose to 102.4 F overnight.", "102.4", "[degF]"),
    ],
)
def test_a_bare_scale_letter_after_a_body_temperature_is_its_unit(
        terminology: Terminology, sentence: str, value: str, ucum: str) -> None:
    tests = patient_mentions(terminology, sentence, MentionKind.LAB_TEST)
    quantity = next(m.result.quantity for m in tests if m.result and m.result.quantity)
    assert (quantity.value, quantity.ucum) == (Decimal(value), ucum)


def test_a_letter_after_a_value_no_body_has_is_no_unit(terminology: Terminology) -> None:
    tests = patient_mentions(terminology, "The temperature probe read 4 C in the fridge.",
                             MentionKind.LAB_TEST)
    assert all(m.result is None or m.result.quantity is None or m.result.quantity.ucum is None
               for m in tests)
