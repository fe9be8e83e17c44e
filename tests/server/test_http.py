"""HTTP behaviour shared by every route: formats (JSON, XML), gzip, CORS, limits, and
one OperationOutcome shape for every error (https://hl7.org/fhir/R4/http.html)."""

from __future__ import annotations

import base64
import functools
import gzip
import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from fhirsvc.server.xml import from_xml, to_xml
from tests.server.conftest import FHIR_JSON, MAX_BODY, Server
from tests.storage.samples import case, document_reference, patient

FHIR_XML = "application/fhir+xml"


def test_xml_is_chosen_by_format_parameter_or_accept_header(server, http):
    server.store.update(patient())
    for params, headers in (({"_format": "xml"}, {}), ({"_format": FHIR_XML}, {}),
                            ({}, {"Accept": FHIR_XML})):
        response = http.get(server.url("Patient/p1"), params=params, headers=headers)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(FHIR_XML)
        assert from_xml(response.content)["name"][0]["family"] == "Müller"
    as_json = http.get(server.url("Patient/p1"), headers={"Accept": "application/json"})
    assert as_json.headers["Content-Type"].startswith("application/fhir+json")
    assert http.get(server.url("Patient/p1"), params={"_format": "yaml"}).status_code == 406


def test_format_written_with_an_unencoded_plus_is_understood(server, http):
    """Clients type ``_format=application/fhir+xml`` into URLs unencoded: the query's '+'
    then reads as a space, and a media type never holds a space, so it is the '+'."""
    server.store.update(patient())
    for raw, wanted in (("application/fhir+xml", FHIR_XML), ("application/fhir+json", FHIR_JSON)):
        response = http.get(server.url(f"Patient/p1?_format={raw}"))
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith(wanted)


def test_a_gzipped_request_body_is_read_unzipped(server, http):
    """Integration engines compress large Bundles (``Content-Encoding: gzip``): the body
    was read as it came, and refused as not UTF-8."""
    body = gzip.compress(json.dumps(patient()).encode())
    response = http.put(server.url("Patient/p1"), data=body, headers={
        "Content-Type": FHIR_JSON, "Content-Encoding": "gzip"})
    assert response.status_code == 201, response.text
    assert http.get(server.url("Patient/p1")).json()["name"][0]["family"] == "Müller"
    form = http.post(server.url("Patient/_search"), data=gzip.compress(b"family=M%C3%BCller"),
                     headers={"Content-Type": "application/x-www-form-urlencoded",
                              "Content-Encoding": "gzip"})
    assert [e["resource"]["id"] for e in form.json()["entry"]] == ["p1"]


def test_xml_bodies_are_accepted_for_writes(server, http):
    body = to_xml(patient())
    response = http.put(server.url("Patient/p1"), data=body.encode(),
                        headers={"Content-Type": FHIR_XML})
    assert response.status_code == 201, response.text
    assert response.json()["birthDate"] == "1970-03-02"
    broken = http.put(server.url("Patient/p1"), data=b"<Patient xmlns='http://hl7.org/fhir'>",
                      headers={"Content-Type": FHIR_XML})
    assert broken.status_code == 400


def test_every_seed_shaped_resource_survives_json_xml_json(server):
    for resource in [*case(), document_reference()]:
        assert from_xml(to_xml(resource)) == resource


def test_searchset_renders_as_xml_with_its_entries(server, http):
    for resource in case():
        server.store.update(resource)
    response = http.get(server.url("Condition"), params={"_format": "xml",
                                                         "_include": "Condition:subject"})
    bundle = from_xml(response.content)
    assert bundle["type"] == "searchset"
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Condition", "Patient"}


def test_gzip_when_the_client_accepts_it(server, http):
    for resource in case():
        server.store.update(resource)
    raw = requests.get(server.url("Observation"), headers={"Accept-Encoding": "gzip"},
                       stream=True)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(raw.raw.read()))["type"] == "searchset"
    plain = requests.get(server.url("Observation"), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers


def test_cors_preflight_and_exposed_headers(server, http):
    preflight = http.options(server.url("Patient/p1"), headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type, if-match"})
    assert preflight.status_code == 204
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    read = http.get(server.url("metadata"), headers={"Origin": "https://app.example"})
    assert "ETag" in read.headers["Access-Control-Expose-Headers"]


def test_cors_headers_on_errors_not_modified_and_automatic_options(server, http):
    server.store.update(patient("p1"))
    etag = http.get(server.url("Patient/p1")).headers["ETag"]
    answers = {
        "unknown id": http.get(server.url("Patient/nope")),
        "unknown endpoint": http.get(server.url("nowhere/at/all")),
        "wrong method": http.delete(server.url("metadata")),
        "malformed body": http.post(server.url("Patient"), data=b"{",
                                    headers={"Content-Type": FHIR_JSON}),
        "not modified": http.get(server.url("Patient/p1"), headers={"If-None-Match": etag}),
        "automatic OPTIONS": http.options(server.url("Patient/p1")),
    }
    expected_status = {"unknown id": 404, "unknown endpoint": 404, "wrong method": 405,
                       "malformed body": 400, "not modified": 304, "automatic OPTIONS": 200}
    for name, answer in answers.items():
        assert answer.status_code == expected_status[name], name
        assert answer.headers["Access-Control-Allow-Origin"] == "*", name
        assert "ETag" in answer.headers["Access-Control-Expose-Headers"], name
    assert "PUT" in answers["automatic OPTIONS"].headers["Allow"]
    assert answers["unknown id"].json()["resourceType"] == "OperationOutcome"


def test_cors_preflight_of_any_url_answers_before_routing(server, http):
    for path in ("nowhere/at/all", "metadata"):
        preflight = http.options(server.url(path), headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "GET"})
        assert preflight.status_code == 204, path
        assert preflight.headers["Access-Control-Allow-Origin"] == "*"
        assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
        assert preflight.headers["Access-Control-Max-Age"] == "86400"


def test_no_cors_headers_when_turned_off_and_gzip_of_large_errors():
    from fhirsvc.server import ServerConfig, create_app
    from fhirsvc.storage import open_store

    store = open_store("sqlite:///:memory:")
    try:
        app = create_app(ServerConfig(cors_origin="", gzip_min_bytes=10), store=store)
        client = app.test_client()
        missing = client.get("/fhir/Patient/nope", headers={"Accept-Encoding": "gzip"})
        assert missing.status_code == 404
        assert missing.headers["Content-Encoding"] == "gzip"
        assert missing.headers["Vary"] == "Accept-Encoding"
        assert int(missing.headers["Content-Length"]) == len(missing.get_data())
        outcome = json.loads(gzip.decompress(missing.get_data()))
        assert outcome["resourceType"] == "OperationOutcome"
        head = client.head("/fhir/metadata", headers={"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in head.headers
        for answer in (missing, head, client.options("/fhir/metadata")):
            assert "Access-Control-Allow-Origin" not in answer.headers
    finally:
        store.close()


def raw_request(server: Server, head: str, body: bytes = b"") -> int:
    """Send ``head`` (request line and headers) over a socket; the response status."""
    parts = urlsplit(server.base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n" + body)
        return int(sock.recv(64).split(b" ")[1])


P1 = json.dumps(patient("p1")).encode()


def nested_extensions(levels: int) -> dict[str, object]:
    """An extension holding an extension, ``levels`` deep (two JSON levels each)."""
    extension: dict[str, object] = {"url": "http://example.org/e", "valueString": "x"}
    for _ in range(levels):
        extension = {"url": "http://example.org/e", "extension": [extension]}
    return extension


#: A JSON Patch whose values are each within the depth limit, adding one inside the other.
DEEPENING_PATCH = json.dumps([
    {"op": "add", "path": "/extension", "value": [nested_extensions(45)]},
    {"op": "add", "path": "/extension/0" + "/extension/0" * 45 + "/extension",
     "value": [nested_extensions(45)]}]).encode()
DEEP_CURSOR = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode()
DEEP_XML = (b'<Patient xmlns="http://hl7.org/fhir">'
            + b'<extension url="http://example.org/e">' * 200
            + b"</extension>" * 200 + b"</Patient>")
#: name → (method, path, body, headers, status): one request per error the server knows.
ERRORS = {
    "malformed JSON": ("POST", "Patient", b"{not json", {"Content-Type": FHIR_JSON}, 400),
    "malformed XML": ("POST", "Patient", b"<Patient", {"Content-Type": FHIR_XML}, 400),
    "unknown type": ("GET", "Spaceship/1", b"", {}, 404),
    "unknown id": ("GET", "Patient/none", b"", {}, 404),
    "deleted": ("GET", "Patient/gone", b"", {}, 410),
    "no such route": ("GET", "Patient/p1/nothing/here", b"", {}, 404),
    "wrong method": ("PATCH", "Patient", b"", {}, 405),
    "wrong method on metadata": ("POST", "metadata", b"{}", {"Content-Type": FHIR_JSON}, 405),
    "unacceptable format": ("GET", "Patient/p1?_format=yaml", b"", {}, 406),
    "stale If-Match": ("PUT", "Patient/p1", P1, {"Content-Type": FHIR_JSON,
                                                 "If-Match": 'W/"9"'}, 412),
    "media type": ("POST", "Patient", b"name=x", {"Content-Type": "text/plain"}, 415),
    "no media type": ("POST", "Patient", P1, {"Content-Type": ";;;"}, 415),
    "no media type to an operation": ("POST", "Patient/$validate", P1,
                                      {"Content-Type": ";;;"}, 415),
    "no media type to a form search": ("POST", "Patient/_search", b"name=x",
                                       {"Content-Type": ";;;"}, 415),
    "invalid resource": ("POST", "Patient", b'{"resourceType":"Patient","active":"yes"}',
                         {"Content-Type": FHIR_JSON}, 422),
    "type mismatch": ("POST", "Patient", b'{"resourceType":"Observation"}',
                      {"Content-Type": FHIR_JSON}, 400),
    "bad version": ("GET", "Patient/p1/_history/x", b"", {}, 404),
    "unknown operation": ("POST", "$teleport", b"", {}, 501),
    "too large": ("POST", "Patient", b"{" + b" " * MAX_BODY + b"}",
                  {"Content-Type": FHIR_JSON}, 413),
    "too large once unzipped": ("POST", "Patient", gzip.compress(b"{" + b" " * MAX_BODY + b"}"),
                                {"Content-Type": FHIR_JSON, "Content-Encoding": "gzip"}, 413),
    "not gzip": ("POST", "Patient", P1, {"Content-Type": FHIR_JSON, "Content-Encoding": "gzip"},
                 400),
    "unknown content coding": ("POST", "Patient", P1,
                               {"Content-Type": FHIR_JSON, "Content-Encoding": "br"}, 415),
    "nested too deeply": ("PUT", "Patient/p1", json.dumps(
        {**patient("p1"), "extension": [nested_extensions(450)]}).encode(),
        {"Content-Type": FHIR_JSON}, 400),
    "XML nested too deeply": ("PUT", "Patient/p1", DEEP_XML, {"Content-Type": FHIR_XML}, 400),
    "patched too deeply": ("PATCH", "Patient/p1", DEEPENING_PATCH,
                           {"Content-Type": "application/json-patch+json"}, 422),
    "cursor nested too deeply": ("GET", f"Patient?_cursor={DEEP_CURSOR}", b"", {}, 400),
    "body id differs from the URL's": ("PUT", "Patient/p2", P1, {"Content-Type": FHIR_JSON}, 400),
    "body without id": ("PUT", "Patient/p1", json.dumps(
        {k: v for k, v in patient("p1").items() if k != "id"}).encode(),
        {"Content-Type": FHIR_JSON}, 400),
    "empty body on POST": ("POST", "Patient", b"", {"Content-Type": FHIR_JSON}, 400),
    "empty body on PUT": ("PUT", "Patient/p1", b"", {"Content-Type": FHIR_JSON}, 400),
    "JSON not an object": ("POST", "Patient", b"[]", {"Content-Type": FHIR_JSON}, 400),
    "If-Match not a version": ("PUT", "Patient/p1", P1, {"Content-Type": FHIR_JSON,
                                                         "If-Match": "garbage"}, 400),
    "negative _count": ("GET", "Patient?_count=-1", b"", {}, 400),
    "malformed quantity": ("GET", "Observation?value-quantity=gtabc", b"", {}, 400),
    "impossible date": ("GET", "Observation?date=2020-02-30", b"", {}, 400),
    # an empty value is no criterion: ignored, it selected every resource (the one here)
    "conditional delete, empty criterion": ("DELETE", "Patient?name=", b"", {}, 400),
    "conditional update, no criterion": ("PUT", "Patient?_count=1", P1,
                                         {"Content-Type": FHIR_JSON}, 400),
    "If-None-Exist, empty criterion": ("POST", "Patient", P1, {
        "Content-Type": FHIR_JSON, "If-None-Exist": "identifier="}, 400),
    "too many search criteria": ("GET", "Patient?" + "&".join(
        f"name=n{i}" for i in range(100)), b"", {}, 400),
}
#: Each error, and each with a body sent again in chunks (no Content-Length), as
#: streaming clients and proxies send it.
SENT = [(name, False) for name in sorted(ERRORS)] + [
    (name, True) for name in sorted(ERRORS) if ERRORS[name][2]]


@pytest.mark.parametrize(("name", "chunked"), SENT)
def test_every_error_is_an_operation_outcome_of_the_same_shape(server, http, name, chunked):
    server.store.update(patient("p1"))
    server.store.update(patient("gone"))
    server.store.delete("Patient", "gone")
    method, path, body, headers, status = ERRORS[name]
    response = http.request(method, server.url(path), headers=headers,
                            data=iter([body[:1000], body[1000:]]) if chunked else body)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    assert set(outcome) == {"resourceType", "issue"}
    assert outcome["resourceType"] == "OperationOutcome"
    for issue in outcome["issue"]:
        assert {"severity", "code", "diagnostics"} <= set(issue)
        assert issue["severity"] in ("fatal", "error", "warning", "information")
        assert "Traceback" not in issue["diagnostics"]
    assert any(issue["severity"] in ("fatal", "error") for issue in outcome["issue"])
    versions = http.get(server.url("Patient/_history")).json()["entry"]
    assert len(versions) == 3  # the failed request stored nothing


def test_a_declared_oversized_body_is_refused_before_it_is_read(server):
    head = (f"POST /fhir/Patient HTTP/1.1\r\nHost: x\r\nContent-Type: {FHIR_JSON}\r\n"
            f"Content-Length: {MAX_BODY * 10}\r\nConnection: close")
    assert raw_request(server, head) == 413


def test_errors_are_rendered_as_xml_when_xml_was_asked_for(server, http):
    response = http.get(server.url("Patient/none"), params={"_format": "xml"})
    assert response.status_code == 404
    assert from_xml(response.content)["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("DELETE", "metadata", 405), ("GET", "Patient/p1/nowhere", 404)])
def test_routing_errors_are_rendered_as_xml_when_xml_was_asked_for(server, http, method,
                                                                   path, status):
    """A wrong method or an unknown endpoint is refused before any route runs: it was
    answered in JSON whatever the client asked for."""
    for params, headers in (({"_format": "xml"}, {}), ({}, {"Accept": FHIR_XML})):
        response = http.request(method, server.url(path), params=params, headers=headers)
        assert response.status_code == status
        assert response.headers["Content-Type"].startswith(FHIR_XML)
        assert from_xml(response.content)["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("path", ["//Patient", "//Patient/p1", "/Patient//p1", "//metadata"])
def test_a_doubled_slash_is_a_404_outcome_not_a_redirect_to_an_html_page(server, http, path):
    """werkzeug answered a path with ``//`` by a 308 to the merged path with an HTML body;
    a FHIR client gets an OperationOutcome, as for any path no endpoint serves."""
    put = http.put(server.url("Patient/p1"), json=patient(), headers={"Content-Type": FHIR_JSON})
    assert put.status_code == 201
    response = http.get(server.base + path, allow_redirects=False)
    assert response.status_code == 404 and "Location" not in response.headers
    assert response.json()["resourceType"] == "OperationOutcome"


def test_pretty_json(server, http):
    server.store.update(patient())
    assert "\n  " in http.get(server.url("Patient/p1"), params={"_pretty": "true"}).text


def test_head_answers_the_headers_of_a_read_without_a_body(server, http):
    server.store.update(patient())
    response = http.head(server.url("Patient/p1"))
    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"1"'
    assert response.content == b""


def test_public_base_url_is_used_in_full_urls_and_locations(server):
    from fhirsvc.server import ServerConfig, create_app

    app = create_app(ServerConfig(public_base_url="https://fhir.example/r4"), store=server.store)
    client = app.test_client()
    created = client.post("/fhir/Patient", json=patient(),
                          headers={"Content-Type": "application/fhir+json"})
    assert created.headers["Location"].startswith("https://fhir.example/r4/Patient/")
    found = client.get("/fhir/Patient").get_json()
    assert found["entry"][0]["fullUrl"].startswith("https://fhir.example/r4/Patient/")
    assert found["link"][0]["url"] == "https://fhir.example/r4/Patient"


def test_full_urls_follow_the_host_each_request_names(server):
    app = server.app
    client = app.test_client()
    server.store.update(patient())
    for host in ("a.example", "b.example:8443", "a.example"):
        found = client.get("/fhir/Patient", headers={"Host": host}).get_json()
        assert found["entry"][0]["fullUrl"] == f"http://{host}/fhir/Patient/p1"
    secure = client.get("/fhir/Patient", headers={"Host": "a.example"},
                        base_url="https://a.example").get_json()
    assert secure["entry"][0]["fullUrl"] == "https://a.example/fhir/Patient/p1"


def test_interactions_see_every_request_header_under_its_lower_case_name():
    from werkzeug.datastructures import EnvironHeaders
    from werkzeug.test import EnvironBuilder

    from fhirsvc.server.app import _headers

    environ = EnvironBuilder(path="/fhir/Patient", method="POST", data=b"{}",
                             content_type="application/fhir+json",
                             headers={"If-None-Exist": "identifier=x", "Prefer": "return=minimal",
                                      "X-Custom_Name": "1"}).get_environ()
    environ["HTTP_CONTENT_TYPE"] = "text/plain"  # the CGI form wins, as in werkzeug
    expected = {name.lower(): value for name, value in EnvironHeaders(environ).items()}
    assert _headers(environ) == expected
    assert expected["content-type"] == "application/fhir+json"
    assert expected["if-none-exist"] == "identifier=x"


def test_an_empty_body_header_counts_as_not_sent_and_names_are_lower_case():
    from werkzeug.test import EnvironBuilder

    from fhirsvc.server.app import _headers

    environ = EnvironBuilder(path="/fhir/Patient", headers={"Prefer": ""}).get_environ()
    environ["CONTENT_TYPE"] = ""
    environ["HTTP_CONTENT_LENGTH"] = "12"  # only the CGI form counts, and it is absent
    headers = _headers(environ)
    assert headers.get("content-type") is None
    assert headers.get("content-length") is None
    assert "content-type" not in set(headers) and "content-length" not in set(headers)
    assert headers.get("prefer") == ""  # an empty request header was still sent
    assert headers.get("Prefer") is None and headers.get("HTTP_PREFER") is None


def test_checked_headers_equal_werkzeugs_and_refuse_line_breaks_as_it_does():
    from werkzeug.datastructures import Headers

    from fhirsvc.server.app import checked_headers

    pairs = [("ETag", 'W/"2"'), ("Content-Type", FHIR_JSON), ("Content-Length", "12")]
    assert checked_headers(list(pairs)).to_wsgi_list() == Headers(pairs).to_wsgi_list()
    for value in ("a\r\nSet-Cookie: x=1", "a\nb"):
        with pytest.raises(ValueError, match="newline"):
            checked_headers([("ETag", 'W/"1"'), ("X-Echo", value)])
        with pytest.raises(ValueError, match="newline"):  # the values that may hold one
            checked_headers([("X-Echo", value), ("Content-Length", "1")], [value])


@pytest.mark.parametrize("status", [200, 201, 404, 500])
def test_a_finished_response_is_what_werkzeug_makes_of_the_same_body_status_and_headers(
        status):
    from flask import Response
    from werkzeug.datastructures import Headers

    from fhirsvc.server.app import FinishedResponse, checked_headers

    pairs = [("ETag", 'W/"2"'), ("Content-Type", FHIR_JSON), ("Content-Length", "2")]
    lean = FinishedResponse(b"{}", status, checked_headers(list(pairs)))
    made = Response([b"{}"], status, Headers(pairs))
    assert vars(lean) == vars(made)
    assert (lean.status, lean.status_code, lean.get_data()) == (made.status, status, b"{}")


def _sent(response, environ, on_close):
    """What a WSGI server gets of ``response``: the status and headers started, the body
    bytes, and what ran on close (a function added when ``on_close``)."""
    closed = []
    if on_close:
        response.call_on_close(functools.partial(closed.append, True))
    started: list[tuple[str, list[tuple[str, str]]]] = []
    app_iter = response(environ, lambda status, headers, into=started: into.append(
        (status, headers)))
    body = b"".join(app_iter)
    getattr(app_iter, "close", lambda: None)()
    return started, body, closed


@pytest.mark.parametrize("status", [200, 201, 404, 410, 500])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("on_close", [False, True])
def test_a_finished_response_sends_what_werkzeug_sends(status, method, on_close):
    """Status, headers, body bytes and the functions run on close, as werkzeug's own
    ``Response`` gives them to the WSGI server."""
    from flask import Response
    from werkzeug.datastructures import Headers
    from werkzeug.test import EnvironBuilder

    from fhirsvc.server.app import FinishedResponse, checked_headers

    pairs = [("ETag", 'W/"2"'), ("Content-Type", FHIR_JSON), ("Content-Length", "7")]
    environ = EnvironBuilder(method=method).get_environ()
    sent = [_sent(response, environ, on_close) for response in (
        FinishedResponse(b'{"a":1}', status, checked_headers(list(pairs))),
        Response([b'{"a":1}'], status, Headers(pairs)))]
    assert sent[0] == sent[1]
    assert sent[0][1] == (b"" if method == "HEAD" else b'{"a":1}')


@pytest.mark.parametrize(("status", "headers"), [
    (304, {"ETag": 'W/"1"', "Last-Modified": "Mon, 23 Nov 2026 23:12:35 GMT"}),
    (201, {"ETag": 'W/"1"', "Location": "http://h/fhir/Patient/1/_history/1"}),
    (204, {}),
    (204, {"content-type": "text/plain", "Access-Control-Allow-Origin": "https://a.example"}),
])
def test_an_empty_response_has_the_headers_werkzeug_makes_with_cors_set_after(status, headers):
    from flask import Response

    from fhirsvc.server import ServerConfig
    from fhirsvc.server.app import Finisher
    from fhirsvc.server.context import FhirResponse

    finish = Finisher(ServerConfig())
    made = finish.respond(FhirResponse(status, None, dict(headers)), None, "json", False)
    expected = Response(status=status, headers=headers)
    for name, value in finish.cors_headers:
        expected.headers[name] = value
    assert made.headers.to_wsgi_list() == expected.headers.to_wsgi_list()
    assert made.status == expected.status
    assert made.get_wsgi_headers({}).to_wsgi_list() == \
        expected.get_wsgi_headers({}).to_wsgi_list()


@pytest.mark.parametrize("status", [304, 204, 201, 412])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("on_close", [False, True])
@pytest.mark.parametrize("extra", [
    [], [("Expires", "Thu, 01 Jan 2099 00:00:00 GMT"), ("Content-Language", "de")],
    [("Location", "Patient/1/_history/1")], [("content-location", "Patient/1")],
    [("Content-Length", "0")]])
def test_an_empty_response_sends_what_werkzeug_sends(status, method, on_close, extra):
    """Status, headers (a 304's entity headers removed, a Location made absolute), no
    body, and the functions run on close, as werkzeug's own ``Response`` sends them."""
    from flask import Response
    from werkzeug.datastructures import Headers
    from werkzeug.test import EnvironBuilder

    from fhirsvc.server.app import EmptyResponse, checked_headers

    pairs = [("ETag", 'W/"2"'), ("Last-Modified", "Mon, 23 Nov 2026 23:12:35 GMT"),
             *extra, ("Content-Type", FHIR_JSON), ("Access-Control-Allow-Origin", "*")]
    environ = EnvironBuilder(method=method, base_url="http://h.example/fhir/").get_environ()
    sent = [_sent(response, environ, on_close) for response in (
        EmptyResponse(status=status, headers=checked_headers(list(pairs))),
        Response(status=status, headers=Headers(pairs)))]
    assert sent[0] == sent[1]
    assert sent[0][2] == ([True] if on_close else [])


def test_sent_headers_are_the_responses_own_except_where_werkzeug_adjusts_them(server):
    """A 2xx with a body goes out with its headers as made; a create's
    Location and a 304's entity headers still pass through werkzeug's adjustments."""
    client = server.app.test_client()
    created = client.post("/fhir/Patient", json=patient(),
                          headers={"Content-Type": FHIR_JSON})
    assert created.status_code == 201
    assert created.headers["Location"].startswith("http://localhost/fhir/Patient/")
    read = client.get(created.headers["Location"].split("/_history")[0])
    assert [name for name, _ in read.headers] == [
        "ETag", "Last-Modified", "Content-Type", "Content-Length",
        "Access-Control-Allow-Origin", "Access-Control-Expose-Headers"]
    assert read.headers["Content-Length"] == str(len(read.data))
    unchanged = client.get(created.headers["Location"].split("/_history")[0],
                           headers={"If-None-Match": read.headers["ETag"]})
    assert unchanged.status_code == 304 and "Content-Length" not in unchanged.headers


def test_a_type_not_served_is_answered_by_its_interaction_and_served_types_by_their_own_rules(
        server, http):
    for path in ("Spaceship/1", "Spaceship", "Spaceship/1/_history", "Spaceship/_history",
                 "Spaceship/1/_history/1"):
        response = http.get(server.url(path))
        assert response.status_code == 404, path
        assert "not supported by this server" in response.json()["issue"][0]["diagnostics"]
    rules = {(rule.rule, tuple(sorted(rule.methods or ()))): rule.defaults
             for rule in server.app.url_map.iter_rules()}
    assert rules[("/fhir/Patient/<resource_id>", ("GET", "HEAD", "OPTIONS"))] == {
        "resource_type": "Patient"}
    assert rules[("/fhir/<rtype:resource_type>/<resource_id>", ("GET", "HEAD", "OPTIONS"))] \
        is None


@pytest.mark.parametrize(("body", "said"), [
    (b'{"resourceType": "Patient", "id": "p1", "name": [{"text": "\\ud800"}]}',
     "lone surrogate"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"resourceType": "Patient", "id": "p1", "extension": ['  # the parser reads it
     + b'{"url": "http://example.org/e", "extension": [' * 450
     + b'{"url": "http://example.org/e", "valueString": "x"}' + b"]}" * 450 + b"]}",
     "nested too deeply"),
    (b'{"resourceType": "Patient", "id": "p1", "name": [{"text": "\xed\xa0\x80"}]}',
     "not UTF-8"),
])
@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_no_database_could_store_is_a_400_saying_why(server, http, body, said, chunked):
    response = http.put(server.url("Patient/p1"), data=iter([body]) if chunked else body,
                        headers={"Content-Type": FHIR_JSON})
    assert response.status_code == 400, response.text
    assert said in response.json()["issue"][0]["diagnostics"]


def test_a_resource_as_deep_as_the_limit_is_stored_and_served_in_every_form(server, http):
    """Every walk of a resource (validation, indexing, XML, pretty JSON, a transaction's
    reference rewriting) goes as deep as the parser lets a body be, from a server's stack."""
    from fhirsvc.jsontext import MAX_DEPTH

    levels = (MAX_DEPTH - 3) // 2  # a Patient (1), its extension array (2) holding them
    deep = {**patient("p1"), "extension": [nested_extensions(levels)]}
    entry = {**patient("p2"), "extension": [nested_extensions(levels - 2)]}  # 3 levels in
    for method, path, body in (("PUT", "Patient/p1", deep), ("POST", "", {
            "resourceType": "Bundle", "type": "transaction", "entry": [
                {"resource": entry, "request": {"method": "PUT", "url": "Patient/p2"}}]})):
        response = http.request(method, server.url(path), json=body,
                                headers={"Content-Type": FHIR_JSON})
        assert response.status_code in (200, 201), response.text
    for params in ({"_pretty": "true"}, {"_format": "xml"}, {"_summary": "data"}):
        response = http.get(server.url("Patient/p1"), params=params)
        assert response.status_code == 200, response.text
    assert http.get(server.url("Patient"), params={"_format": "xml"}).status_code == 200


@pytest.mark.parametrize(("method", "path", "headers", "status"), [
    ("GET", "Patient/p1/_history/²", {}, 404),  # a digit to str.isdigit, not to int()
    ("GET", "Patient/p1/_history/99999999999999999999", {}, 404),  # past 64-bit integers
    ("GET", "Patient?_count=²", {}, 400),
    ("GET", "Patient/p1/_history?_count=²", {}, 400),
    ("DELETE", "Patient/p1", {"If-Match": 'W/"²"'}, 400),
])
def test_a_number_the_database_cannot_take_is_a_client_error_not_a_500(
        server, http, method, path, headers, status):
    server.store.update(patient())
    response = http.request(method, server.url(path), headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.fixture(scope="module")
def memory_app():
    from fhirsvc.server import ServerConfig, create_app
    from fhirsvc.storage import open_store

    store = open_store("sqlite:///:memory:")
    yield create_app(ServerConfig(), store=store)
    store.close()


@pytest.mark.parametrize("headers", [
    {}, {"Host": "example.org:9000"}, {"Host": "EXAMPLE.org:80"}, {"Host": "bücher.example"},
    {"Host": "[::1]:8080"}, {"Host": "bad host!"},
    {"Host": "a.example", "Connection": "keep-alive, Upgrade", "Upgrade": "websocket"}])
@pytest.mark.parametrize(("base_url", "path"), [
    ("http://localhost/", "/fhir/Patient/p1?_format=xml"),
    ("https://localhost:443/app/", "/fhir/Patient?name=M%C3%BCller"),
    ("http://localhost/", "/fhir/Patient/%C3%BC")])
def test_the_remembered_url_adapter_is_the_one_flask_makes(memory_app, headers, base_url,
                                                           path):
    """The second request of each kind takes the host part remembered from the first."""
    from flask import Flask, Request
    from werkzeug.test import EnvironBuilder

    for _ in range(2):
        made = [Request(EnvironBuilder(path=path, base_url=base_url, headers=headers)
                        .get_environ()) for _ in range(2)]
        ours = memory_app.create_url_adapter(made[0])
        flasks = Flask.create_url_adapter(memory_app, made[1])
        assert ours is not None and flasks is not None
        assert vars(ours) == vars(flasks)
        assert made[0].host == made[1].host


def test_trusted_hosts_are_checked_on_every_request_when_set():
    from fhirsvc.server import ServerConfig, create_app
    from fhirsvc.storage import open_store

    store = open_store("sqlite:///:memory:")
    try:
        app = create_app(ServerConfig(), store=store)
        client = app.test_client()
        assert client.get("/fhir/metadata", headers={"Host": "b.example"}).status_code == 200
        app.config["TRUSTED_HOSTS"] = ["a.example"]
        for _ in range(2):
            refused = client.get("/fhir/metadata", headers={"Host": "b.example"})
            assert refused.status_code == 400
            assert refused.get_json()["resourceType"] == "OperationOutcome"
        assert client.get("/fhir/metadata", headers={"Host": "a.example"}).status_code == 200
    finally:
        store.close()


def _served_patient(setup):
    """A read of a stored patient from an app that ``setup`` configured first."""
    from fhirsvc.server import ServerConfig, create_app
    from fhirsvc.storage import open_store

    store = open_store("sqlite:///:memory:")
    store.update(patient())
    try:
        app = create_app(ServerConfig(), store=store)
        setup(app)
        return app.test_client().get("/fhir/Patient/p1")
    finally:
        store.close()


def test_flask_signals_are_sent_without_any_hook():
    from flask.signals import request_finished, request_started, request_tearing_down

    sent: list[str] = []

    def listen(app):
        for signal, name in ((request_started, "started"), (request_finished, "finished"),
                             (request_tearing_down, "tearing down")):
            signal.connect(lambda sender, name=name, **extra: sent.append(name), app,
                           weak=False)

    response = _served_patient(listen)
    assert response.status_code == 200
    assert sent == ["started", "finished", "tearing down"]


def test_flask_hooks_run_once_registered():
    """The app skips Flask's hook walks while nothing is registered; an extension or
    operator that adds a URL value preprocessor, a before, after or teardown function or
    an ``after_this_request`` gets Flask's behaviour."""
    from flask import after_this_request

    seen: list[str] = []

    def hooks(app):
        app.url_value_preprocessor(lambda endpoint, values: seen.append(f"values {endpoint}"))
        app.teardown_request(lambda exc: seen.append(f"teardown {exc}"))

        @app.before_request
        def before():
            seen.append("before")

            @after_this_request
            def this_one(response):
                response.headers["X-This-Request"] = "yes"
                return response

        @app.after_request
        def mark(response):
            response.headers["X-After"] = "yes"
            return response

    response = _served_patient(hooks)
    assert response.status_code == 200
    assert response.headers["X-After"] == "yes" and response.headers["X-This-Request"] == "yes"
    assert seen == ["values GET /<rtype:resource_type>/<resource_id>", "before",
                    "teardown None"]


def test_with_a_secret_key_flask_sessions_work():
    from flask import session

    def sessions(app):
        app.secret_key = "a test key"
        app.before_request(lambda: session.__setitem__("seen", True))

    response = _served_patient(sessions)
    assert response.status_code == 200
    assert "session=" in response.headers["Set-Cookie"]


def test_without_a_secret_key_the_session_refuses_writes():
    from flask import session

    from fhirsvc.server import ServerConfig, create_app
    from fhirsvc.storage import open_store

    store = open_store("sqlite:///:memory:")
    try:
        app = create_app(ServerConfig(), store=store)
        with app.test_request_context("/fhir/metadata"):
            app.preprocess_request()
            assert dict(session) == {}
            with pytest.raises(RuntimeError, match="secret key"):
                session["user"] = "x"
    finally:
        store.close()


def nested_concepts_xml(levels: int) -> bytes:
    """A CodeSystem whose concepts hold concepts ``levels`` deep: one XML element each,
    two JSON levels (an array and its object)."""
    concept = b"".join(b'<concept><code value="c%d"/>' % i for i in range(levels))
    return (b'<CodeSystem xmlns="http://hl7.org/fhir"><status value="draft"/>'
            b'<content value="complete"/>' + concept + b"</concept>" * levels
            + b"</CodeSystem>")


def test_xml_and_json_bodies_share_one_depth_limit(server, http):
    """98 nested concepts fitted XML's element limit but made JSON 197 levels deep: stored,
    they could not be PUT back as JSON nor patched."""
    from fhirsvc.jsontext import MAX_DEPTH

    fits = (MAX_DEPTH - 1) // 2  # the CodeSystem (1), then an array and an object each
    refused = http.post(server.url("CodeSystem"), data=nested_concepts_xml(fits + 1),
                        headers={"Content-Type": FHIR_XML})
    assert refused.status_code == 400, refused.text
    assert "nested too deeply" in refused.json()["issue"][0]["diagnostics"]
    stored = http.post(server.url("CodeSystem"), data=nested_concepts_xml(fits),
                       headers={"Content-Type": FHIR_XML})
    assert stored.status_code == 201, stored.text
    resource = http.get(server.url(stored.headers["Location"].split("/fhir/")[1]
                                   .split("/_history")[0])).json()
    put = http.put(server.url(f"CodeSystem/{resource['id']}"), json=resource,
                   headers={"Content-Type": FHIR_JSON})
    assert put.status_code == 200, put.text


@pytest.mark.parametrize(("host", "status"), [
    ("bad host", 400), ("", 400), ("a/b", 400), ("example.org:http", 400),
    ("example.org:8080", 200), ("[::1]:80", 200), ("127.0.0.1", 200),
])
def test_a_host_header_no_link_could_be_made_from_is_a_400(server, host, status):
    """RFC 9112 section 3.2: an invalid Host is a 400; it had been answered 200 with links
    such as ``http:/fhir/Patient?…``."""
    head = f"GET /fhir/Patient HTTP/1.1\r\nHost: {host}\r\nConnection: close"
    assert raw_request(server, head) == status


@pytest.mark.parametrize(("content_type", "status"), [
    (";;;", 415), ("json", 415), ("/", 415), ("application/", 415),
    ("application/fhir+json;;;", 201), ("application/fhir+json; charset=utf-8", 201),
    (None, 201)])
def test_a_body_is_read_as_json_only_when_its_content_type_says_so_or_is_not_sent(
        server, http, content_type, status):
    """A Content-Type that names no media type is refused rather than read as JSON; one
    with empty parameters (allowed by RFC 9110) or none sent is read as JSON."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = http.post(server.url("Patient"), data=P1, headers=headers)
    assert response.status_code == status, response.text
    if status == 415:
        assert response.json()["issue"][0]["code"] == "not-supported"
