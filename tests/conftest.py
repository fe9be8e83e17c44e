"""Options and fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology, load_terminology


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.json from the converter's current output")


@pytest.fixture(scope="session")
def terminology() -> Terminology:
    return load_terminology()


@pytest.fixture(scope="session")
def converter(terminology: Terminology) -> Converter:
    """The whole convert path, every validation layer on (terminology loaded once)."""
    return Converter(validation="full", terminology=terminology)
