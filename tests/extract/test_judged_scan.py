"""Judged tests' links are found near readings only, as the scan from the start finds them."""

from hypothesis import given, settings
from hypothesis import strategies as st

from fhirsvc.extract import judged, values

_WORDS = st.sampled_from(["TRAb", "was", "were", "markedly", "also", "positive", "Normal",
                          "elevated", "in", "normal", "limits", "within", "came", "back", ":",
                          "=", ",", "(+)", "(", "2+", "trace", "and", "ProGRP", "\n", "levels",
                          "low", "s\u017f", "no", "not", "detected", "1", "."])
_TEXTS = st.lists(_WORDS, max_size=40).map(" ".join)


@settings(max_examples=300)
@given(_TEXTS, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=400))
def test_links_to_readings_are_the_plain_scans_links_before_a_reading(
    text: str, a: int, b: int
) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    plain = [m.span() for m in judged._LINKED_RESULT.finditer(text, start, end)
             if (r := values.parse_qualitative(text, m.end(), end)) is not None
             and r.qualitative in judged._READINGS]
    fast = [m.span() for m in judged._links_to_readings(text, start, end)
            if (r := values.parse_qualitative(text, m.end(), end)) is not None
            and r.qualitative in judged._READINGS]
    assert fast == plain
