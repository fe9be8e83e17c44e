"""Fast scanning finds exactly what the plain regular expressions find."""

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from fhirsvc.extract.scan import (
    Anchored,
    Closing,
    WordList,
    WordLists,
    WordPattern,
    in_spans,
    lists_in_spans,
    lower,
    per_span,
)
from fhirsvc.model import Span

_WORDS = st.sampled_from(["he", "she", "The", "patient", "was", "a", "an", "man", "Woman",
                          "human", "shed", "was.", "fever", ",", "another", "ache", "\n", "İ"])
_TEXTS = st.lists(_WORDS, max_size=40).map(" ".join)


@given(_TEXTS)
def test_word_pattern_finds_what_the_case_insensitive_pattern_with_word_boundary_finds(
    text: str
) -> None:
    plain = re.compile(r"\b(?:(?:he|she)\b|(?:a|an)\s+(?:\w+\s+){0,2}?(?:man|woman)\b)", re.I)
    fast = WordPattern(r"(?:he|she)\b", r"(?:a|an)\s+(?:\w+\s+){0,2}?(?:man|woman)\b")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(_TEXTS)
def test_word_list_finds_whole_words_only(text: str) -> None:
    plain = re.compile(r"\b(?:he|man|was)\b", re.I)
    assert WordList(["he", "man", "was"]).spans(text) == [m.span() for m in plain.finditer(text)]


def test_lower_case_copy_keeps_every_offset() -> None:
    text = "İstanbul Fever"
    assert len(lower(text)) == len(text)
    assert lower(text).endswith("fever")


@given(_TEXTS, st.lists(st.integers(min_value=0, max_value=400), max_size=8))
def test_one_scan_shared_out_to_sentences_equals_one_scan_per_sentence(
    text: str, cuts: list[int]
) -> None:
    edges = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    spans = [Span(a, b) for a, b in itertools.pairwise(edges) if b > a]
    pattern = WordPattern(r"(?:a|an)\s+(?:\w+\s+){0,2}?(?:man|woman)\b", r"patient\b")

    def find(t: str, start: int, end: int) -> list[Span]:
        return [Span(*m.span()) for m in pattern.finditer(t, start, end)]

    assert per_span(find, lambda s: s, text, spans) == [find(text, s.start, s.end) for s in spans]
    assert in_spans(pattern, text, spans) == [bool(find(text, s.start, s.end)) for s in spans]


_PHRASES = ["he", "her", "such as", "hospital's", "it is", "a", "x_y", "-ache"]
_PIECES = st.sampled_from(["he", "Her", "the", "such", "as", "such  as", "hospital", "'s",
                           "Hospital's", "it", "is", "a", "x_y", "x", "_y", "-", "ache", "\n",
                           "İ", ".", "é", "2"])


def _whole_words(text: str, words: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Every occurrence of a word in ``text[start:end]`` that no word character touches,
    except past the range's end (what ``\\b`` sees in a slice that starts at ``start``
    of the whole text)."""
    low = lower(text)

    def is_word(i: int) -> bool:
        return low[i].isalnum() or low[i] == "_"

    found = set()
    for word in words:
        w = word.lower()
        for first in range(start, end - len(w) + 1):
            stop = first + len(w)
            if low[first:stop] == w and (first == 0 or not is_word(first - 1)) \
                    and (stop == end or not is_word(stop)):
                found.add((first, stop))
    return sorted(found)


@given(st.lists(_PIECES, max_size=30).map(lambda p: "".join(x + " " * (i % 2) for i, x in
                                                             enumerate(p))),
       st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_word_list_finds_each_whole_phrase_in_a_range(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert WordList(_PHRASES).spans(text, start, end) == _whole_words(text, _PHRASES, start, end)


#: Lists that share words and keys ("such as" and "such-as" are one key, "he" is in two).
_LISTS = (["he", "such as", "a"], ["such-as", "he", "hospital's"], ["ache", "-ache", "x_y"])


@given(st.lists(_PIECES, max_size=30).map(lambda p: "".join(x + " " * (i % 2) for i, x in
                                                             enumerate(p))),
       st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200),
       st.lists(st.integers(min_value=0, max_value=200), max_size=6))
def test_word_lists_found_together_find_what_each_list_finds(
    text: str, a: int, b: int, cuts: list[int]
) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    lists = [WordList(words) for words in _LISTS]
    together = WordLists(lists)
    assert together.spans(text, start, end) == [w.spans(text, start, end) for w in lists]
    edges = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    spans = [Span(x, y) for x, y in itertools.pairwise(edges) if y > x]
    assert lists_in_spans(together, text, spans) == [in_spans(w, text, spans) for w in lists]


_STEM_PIECES = st.sampled_from(["cef", "cefa", "ceftriaxone", "tinib", "imatinib", "mab", "s", "-",
                                " ", "x", "_", "3", "tomy", "tomies", "é", "\n", "a"])


@given(st.lists(_STEM_PIECES, max_size=20).map("".join), st.integers(0, 200),
       st.integers(0, 200))
def test_anchored_pattern_finds_what_the_pattern_finds(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    pattern = re.compile(r"(?:tinib|mab|tom(?:y|ies)|cefa\w*|cef\w*)s?(?![\w-])")
    anchored = Anchored(pattern, ("tinib", "mab", "tom", "cef"))
    assert [m.span() for m in anchored.finditer(text, start, end)] == \
        [m.span() for m in pattern.finditer(text, start, end)]


_BRANCH_WORDS = st.sampled_from(["more", "than", "More than", "over", "most", "a", "an", "a few",
                                 "half", "half-a", "few", "2", "x_most", "-", "(", "days",
                                 "day", "over-", "İ", "\n", ",", "moreover", "than."])


@given(st.lists(_BRANCH_WORDS, max_size=40).map(" ".join),
       st.lists(st.integers(min_value=0, max_value=300), max_size=6))
def test_a_pattern_beginning_with_alternative_words_is_tried_only_where_they_start(
    text: str, cuts: list[int]
) -> None:
    words = r"(?:more than|over|most|a few|half a|a|an)"
    plain = re.compile(rf"\b{words}[\s-]+(?:\w+\s+)?days?\b", re.I)
    fast = WordPattern(rf"{words}[\s-]+(?:\w+\s+)?days?\b")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    edges = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    spans = [Span(a, b) for a, b in itertools.pairwise(edges) if b > a]
    assert in_spans(fast, text, spans) == [bool(plain.search(text, s.start, s.end))
                                           for s in spans]


_RATIO_WORDS = st.sampled_from(["albumin", "/", ":", "globulin", "ratio", "Ratio", "ratios",
                                "quotient", "E", "e'", ".", ",", "(", ")", "-", "CD4", "was",
                                "\n", "s\u017f"])


@given(st.lists(_RATIO_WORDS, max_size=30).map(lambda ws: "".join(
    w + (" " if i % 3 else "") for i, w in enumerate(ws))))
def test_closing_finds_what_the_plain_pattern_finds(text: str) -> None:
    plain = re.compile(r"(?<![\w'-])[\w-]+\s*[/:]\s*[\w-]+'?\s+(?:ratio|quotient)\b", re.I)
    fast = Closing(plain, ("ratio", "quotient"), ".,;()")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
