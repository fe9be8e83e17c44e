"""Responses splice stored JSON texts into the skeleton verbatim and stay valid JSON."""

from __future__ import annotations

import json

from fhirsvc.server.context import RawJson, dumps, json_string, materialize


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


def test_a_list_of_stored_texts_is_written_as_the_encoder_would_write_the_list():
    entries = [RawJson('{"fullUrl": "a"}'), RawJson('{"fullUrl":"b"}')]
    text = dumps({"entry": entries, "link": [{"url": "x"}, RawJson('{"url":"y"}')]})
    assert text == ('{"entry":[{"fullUrl": "a"},{"fullUrl":"b"}],'
                    '"link":[{"url":"x"},{"url":"y"}]}')
    assert dumps({"entry": []}) == '{"entry":[]}'


def test_json_string_writes_what_json_dumps_writes():
    for text in ("http://h/fhir/Patient/p1", 'quote " and \\ back', "Müller \u2028 \ue000",
                 "control \x01\n"):
        assert json_string(text) == json.dumps(text)
