"""The convert benchmark runs and reports what it promises (figures are not asserted)."""

from __future__ import annotations

from pathlib import Path

from fhirsvc.bench.convert import fhirsvc_side, long_report
from fhirsvc.pipeline import STAGES

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_fhirsvc_side_reports_rate_stages_memory_and_full_validation_rate() -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:2]}
    figures = fhirsvc_side(texts, 0.01)
    assert set(figures["stages"]) == set(STAGES)
    assert figures["rate"] > 0 and figures["full_rate"] > 0
    assert figures["peak_mb"] > 0 and figures["lexicon_terms"] > 1000


def test_a_long_report_is_the_reports_joined_cut_after_a_whole_line() -> None:
    texts = {"a": "First line.\nSecond line.\n", "b": "Third line.\n"}
    whole = "\n".join([texts["a"], texts["b"]] * 3)
    for chars in (30, 45, 80):
        report = long_report(texts, chars)
        assert len(report) <= chars and report.endswith("\n")
        assert whole.startswith(report) and len(report) > chars - 20
