"""The terminology is built (or read from the disk cache) once per test session."""

import pytest

from fhirsvc.terminology import Terminology, load_terminology


@pytest.fixture(scope="session")
def terminology() -> Terminology:
    return load_terminology()
