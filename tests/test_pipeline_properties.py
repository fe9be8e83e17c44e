"""Any text converts into a valid Bundle or fails with a clean, documented error.

Arbitrary Unicode (control characters, other scripts, emoji), clinical phrases
mixed with noise, empty text and about a megabyte: :meth:`Converter.convert` either
returns a Bundle with no validation error (every layer, fhirsvc's profiles) or
raises :class:`ExtractionError`, never anything else.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhirsvc.extract import ExtractionError
from fhirsvc.inputs import InputError, decode
from fhirsvc.pipeline import Converter

PHRASES = [
    "A 45-year-old woman", "a 3-month-old boy", "Mr. Li, 60,", "presented with fever",
    "no cough", "suspected sepsis", "platelet count > 150 × 10^9/L", "EBV DNA was negative",
    "hemoglobin 8.1 g/dL", "received tocilizumab 8 mg/kg intravenously", "in November 2023",
    "allogeneic HSCT from his sister", "his mother had diabetes", "can also treat AIDS",
    "ucMSCs were injected 8 times", "Related News", "Keywords: leukemia; CAR-T", "\n\n", ". ",
]
noise = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
reports = st.lists(st.one_of(st.sampled_from(PHRASES), noise), max_size=30).map("".join)


def assert_converts_cleanly(converter: Converter, text: str) -> None:
    try:
        conversion = converter.convert(text, "property")
    except ExtractionError:
        return
    errors = [issue for issue in conversion.issues if issue.is_error]
    assert errors == [], (text[:200], errors[:3])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(reports, st.text(max_size=300), st.just("\ud800 lone surrogate")))
def test_arbitrary_text_converts_to_a_valid_bundle_or_a_clean_error(converter, text: str) -> None:
    assert_converts_cleanly(converter, text)


@pytest.mark.parametrize("text", ["", " \n\t ", "\x00\x01\x02", "\u200b\u200a\ufeff",
                                  "患者，男，32岁，发热。", "مريض يبلغ من العمر 32 عاما",
                                  "A 32-year-old man\x0b\x0cwith\x1ffever. 🧬"],
                         ids=["empty", "blank", "controls", "invisible", "chinese", "arabic",
                              "mixed"])
def test_edge_texts_convert_to_a_valid_bundle(converter, text: str) -> None:
    assert_converts_cleanly(converter, text)


@pytest.mark.slow
def test_a_megabyte_report_converts(converter) -> None:
    text = ("A 45-year-old woman presented with fever and no cough; platelet count was "
            "90 × 10^9/L. ") * 12_000
    assert len(text) > 1_000_000
    assert_converts_cleanly(converter, text)


@given(data=st.binary(max_size=200))
def test_file_bytes_decode_or_are_refused_with_a_reason(data: bytes) -> None:
    try:
        text = decode(data)
    except InputError as problem:
        assert str(problem).split(" ")[0] in {"empty", "file", "not"}
        return
    assert text.strip()
