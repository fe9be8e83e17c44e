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
