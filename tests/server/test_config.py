"""Server settings read from the environment: a limit that cannot be used is named."""

from __future__ import annotations

import pytest

from fhirsvc.server import ServerConfig


@pytest.mark.parametrize("limit", ["16M", "²", "-1", " 1"])
def test_a_body_limit_that_is_not_a_plain_number_of_bytes_is_named(
        monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    monkeypatch.setenv("FHIRSVC_MAX_BODY_BYTES", limit)
    with pytest.raises(ValueError) as raised:
        ServerConfig.from_environment()
    assert str(raised.value) == f"FHIRSVC_MAX_BODY_BYTES={limit!r} is not a number of bytes"


def test_a_body_limit_of_zero_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FHIRSVC_MAX_BODY_BYTES", "0")
    with pytest.raises(ValueError, match="would refuse every request body"):
        ServerConfig.from_environment()


def test_a_body_limit_in_bytes_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FHIRSVC_MAX_BODY_BYTES", "2048")
    assert ServerConfig.from_environment().max_body_bytes == 2048
