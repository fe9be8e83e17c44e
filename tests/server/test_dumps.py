"""Responses splice stored JSON texts into the skeleton verbatim and stay valid JSON."""

from __future__ import annotations

import json

from fhirsvc.server.context import RawJson, dumps, materialize


def test_stored_texts_are_copied_verbatim_into_compact_json():
    stored = RawJson('{"resourceType": "Patient", "name": [{"family": "Müller"}]}')
    value = {"entry": [{"resource": stored, "search": {"mode": "match"}}], "total": 1.5,
             "text": "é \ue000 \"quoted\"", "none": None}
    text = dumps(value)
    assert stored in text  # not re-encoded: its own spacing survives
    assert json.loads(text) == materialize(value)
    assert dumps(stored) == stored
    assert dumps({"a": [1, True]}) == '{"a":[1,true]}'


def test_a_client_string_shaped_like_a_placeholder_is_left_alone():
    sneaky = {"a": RawJson("[1]"), "b": '"\ue000:0"', "c": "\ue000deadbeef:0"}
    assert json.loads(dumps(sneaky)) == {"a": [1], "b": '"\ue000:0"', "c": "\ue000deadbeef:0"}
