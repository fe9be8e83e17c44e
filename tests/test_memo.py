"""Results keyed by what clients send are remembered only for short texts."""

from __future__ import annotations

from fhirsvc.memo import MAX_CHARS, remember_short


def test_short_texts_are_remembered_and_long_ones_computed_each_time() -> None:
    calls: list[str] = []

    @remember_short(maxsize=8)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    long = "x" * (MAX_CHARS + 1)
    assert [upper("ab"), upper("ab"), upper(long), upper(long)] == ["AB", "AB", long.upper(),
                                                                   long.upper()]
    assert calls == ["ab", long, long]


def test_remembered_computes_once_and_empties_past_its_limit() -> None:
    from fhirsvc.memo import remembered

    calls: list[str] = []
    memo: dict[str, int] = {}

    def length(word: str) -> int:
        calls.append(word)
        return len(word)

    assert [remembered(memo, w, length, 2) for w in ("ab", "ab", "abc", "x", "y")] == \
        [2, 2, 3, 1, 1]
    assert calls == ["ab", "abc", "x", "y"]
    assert len(memo) <= 3
