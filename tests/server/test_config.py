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


@pytest.mark.parametrize("origin", ["https://a.example\r\nX-Injected: 1", "*\n"])
def test_a_cors_origin_with_a_line_break_is_refused_when_the_settings_are_made(
        origin: str) -> None:
    """Every response sends it: it is checked once, not per response."""
    with pytest.raises(ValueError, match="holds a line break"):
        ServerConfig(cors_origin=origin)


def test_a_cors_origin_of_one_line_is_sent_on_every_response() -> None:
    from fhirsvc.server import create_app
    from fhirsvc.storage import open_store

    store = open_store("sqlite:///:memory:")
    try:
        client = create_app(ServerConfig(cors_origin="https://app.example"),
                            store=store).test_client()
        for response in (client.get("/fhir/metadata"), client.get("/fhir/Patient/none"),
                         client.delete("/fhir/Patient/none")):
            assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
    finally:
        store.close()
