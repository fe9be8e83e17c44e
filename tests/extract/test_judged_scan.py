"""Judged tests' links are found near readings only, as the scan from the start finds them."""

from hypothesis import given, settings
from hypothesis import strategies as st

from fhirsvc.extract import judged, listed, values

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
             and r.qualitative in judged.READINGS]
    fast = [m.span() for m in judged._links_to_readings(text, start, end)
            if (r := values.parse_qualitative(text, m.end(), end)) is not None
            and r.qualitative in judged.READINGS]
    assert fast == plain


_LIST_WORDS = st.sampled_from(["ferritin", "were", "are", "Were", "levels", "all", "markedly",
                               "normal", "5", "<", "(", ")", ",", ".", "\n", "care", "and"])


@given(st.lists(_LIST_WORDS, max_size=30).map(" ".join), st.integers(0, 40),
       st.integers(0, 300))
def test_list_verbs_in_stretches_are_the_plain_patterns(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert [m.span() for m in listed._LIST_VERBS.finditer(text, start, end)] == \
        [m.span() for m in listed._LIST_VERB.finditer(text, start, end)]
