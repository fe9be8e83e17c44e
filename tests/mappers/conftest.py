"""One converter per session (terminology and validator built once) and the seed Bundles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fhirsvc.pipeline import Conversion, Converter
from fhirsvc.terminology import Terminology, load_terminology

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


@pytest.fixture(scope="session")
def terminology() -> Terminology:
    return load_terminology()


@pytest.fixture(scope="session")
def converter(terminology: Terminology) -> Converter:
    return Converter(validation="full", terminology=terminology)


@pytest.fixture(scope="session")
def conversions(converter: Converter) -> dict[str, Conversion]:
    """Every seed converted, by file stem."""
    return {p.stem: converter.convert(p.read_text(encoding="utf-8"), p.stem) for p in SEEDS}


def resources(bundle: dict[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if resource_type is None or r["resourceType"] == resource_type]
