"""The seed reports and their Bundles (the converter fixture is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fhirsvc.pipeline import Conversion, Converter

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


@pytest.fixture(scope="session")
def conversions(converter: Converter) -> dict[str, Conversion]:
    """Every seed converted, by file stem."""
    return {p.stem: converter.convert(p.read_text(encoding="utf-8"), p.stem) for p in SEEDS}


def resources(bundle: dict[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if resource_type is None or r["resourceType"] == resource_type]
