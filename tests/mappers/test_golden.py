"""Golden Bundles: each seed's Bundle is compared with tests/golden/<seed>.json.

A difference fails with a unified diff of the JSON; after checking that the change is
wanted, ``pytest tests/mappers/test_golden.py --update-golden`` rewrites the files.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from fhirsvc.jsontext import dumps
from fhirsvc.pipeline import Conversion
from tests.mappers.conftest import ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_bundle_matches_its_golden_file(path: Path, conversions: dict[str, Conversion],
                                             request: pytest.FixtureRequest) -> None:
    produced = dumps(conversions[path.stem].bundle)
    golden = GOLDEN / f"{path.stem}.json"
    if request.config.getoption("--update-golden"):
        golden.write_text(produced, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}: run pytest with --update-golden"
    expected = golden.read_text(encoding="utf-8")
    if produced != expected:
        diff = difflib.unified_diff(expected.splitlines(), produced.splitlines(),
                                    f"golden/{golden.name}", "converter output", lineterm="", n=2)
        pytest.fail("Bundle differs from its golden file (--update-golden to accept):\n"
                    + "\n".join(list(diff)[:200]), pytrace=False)
