"""Arbitrary text: extract never raises except the documented ExtractionError."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhirsvc.extract import MAX_CHARS, ExtractionError, extract
from fhirsvc.terminology import Terminology, code_report

_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.text(
    alphabet="ab .,;()\n\t0123456789×/%<>-", max_size=400)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_any_text_extracts_and_codes(terminology: Terminology, text: str) -> None:
    extracted = extract(text, "x", terminology)
    code_report(extracted, terminology)
    for patient in extracted.patients:
        for m in patient.mentions:
            assert m.text == text[m.span.start : m.span.end]


def test_empty_control_characters_and_other_scripts(terminology: Terminology) -> None:
    for text in ("", "\x00\x01\x02", "患者男，32岁，发热。", "مريض مصاب بالحمى", "\ud7ff" * 10):
        extract(text, "x", terminology)


def test_a_megabyte_of_report_text_extracts(terminology: Terminology) -> None:
    text = "A 32-year-old man had fever and a platelet count of 150 × 10^9/L. " * 16000
    extracted = extract(text, "x", terminology)
    assert extracted.patients[0].mentions


def test_text_beyond_the_limit_is_a_clean_error(terminology: Terminology) -> None:
    with pytest.raises(ExtractionError):
        extract("a" * (MAX_CHARS + 1), "x", terminology)
