"""Compare the server's responses before and after a change, and count its instructions.

    python tools/serverprobe.py load URL                   # the HTTP benchmark's data, and more
    PYTHONHASHSEED=0 python tools/serverprobe.py dump URL OUT   # every response, byte for byte
    valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \\
        --toggle-collect=functools_reduce python tools/serverprobe.py count URL read 100

``load`` fills an empty database (a SQLite ``sqlite:///…`` or PostgreSQL URL) with the
HTTP benchmark's 1,000 patients and 9,000 observations, a patient with three versions and
a deleted one. ``dump`` calls the WSGI app (``create_app``) with varied requests (read,
vread, 304, 404/410, ``_summary``, ``_elements``, XML, gzip, CORS, paging, ``_include``,
history, errors) and writes status, headers and body of each; Bundle ids and times are
made fixed, and gzip's time stamp zeroed, so two dumps of the same code are identical
(``PYTHONHASHSEED=0``: the ``Allow`` header lists a set). Run it on the code before and
after a change (``PYTHONPATH`` an export of the commit before) and compare the files.
``count`` calls the app ``N`` times with one benchmark request (``read``, ``by-patient``,
``by-code``, ``not-modified``) inside ``functools.reduce`` after a warm-up, and turns on
callgrind's instrumentation just before, so the totals are those calls alone.
"""

from __future__ import annotations

import functools
import io
import itertools
import os
import re
import subprocess
import sys
import uuid
from typing import Any

from werkzeug.test import EnvironBuilder

from fhirsvc.bench.http_server import probe_paths
from fhirsvc.server import ServerConfig, create_app, interactions
from fhirsvc.storage import open_store
from fhirsvc.storage.bench import resources

FHIR_JSON = "application/fhir+json"
CODE = "http%3A%2F%2Floinc.org%7C777-3"
#: (method, path, headers, body, content type)
REQUESTS: list[tuple[str, str, dict[str, str], str | None, str | None]] = [
    *(("GET", f"/fhir/Patient/bench-p1{query}", {}, None, None) for query in (
        "", "?_format=xml", "?_format=application/fhir%2Bjson", "?_format=html",
        "?_pretty=true", "?_summary=true", "?_summary=false", "?_summary=text",
        "?_elements=name,gender", "?_elements=name&_format=xml", "/", "/_history/1/")),
    *(("GET", "/fhir/Patient/bench-p1", headers, None, None) for headers in (
        {"Accept": "application/fhir+xml"},
        {"Accept": "text/html, application/xml;q=0.9, application/json;q=0.8"},
        {"If-None-Match": 'W/"1"'}, {"If-None-Match": 'W/"2"'}, {"If-None-Match": "*"},
        {"If-Modified-Since": "Wed, 21 Oct 2099 07:28:00 GMT"},
        {"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"},
        {"If-Modified-Since": "garbage"}, {"Accept-Encoding": "gzip"},
        {"Origin": "http://a.example"}, {"Host": "example.org:9000"})),
    ("HEAD", "/fhir/Patient/bench-p1", {}, None, None),
    *(("GET", f"/fhir/{path}", {}, None, None) for path in (
        "Observation/bench-o1-1", "Patient/nope", "Patient/sp-del", "Patient/sp-del?_format=xml",
        "Foo/1", "patient/1", "Patient/sp-multi", "Patient/sp-multi/_history/2",
        "Patient/sp-multi/_history/9", "Patient/sp-multi/_history/abc",
        "Patient/sp-del/_history/2", "Patient/sp-del/_history/1",
        "Observation?patient=Patient/bench-p3&_count=20", f"Observation?code={CODE}&_count=20",
        f"Observation?code={CODE}&_count=3",
        "Observation?patient=bench-p3&_count=2&_summary=true",
        "Observation?patient=bench-p3&_count=2&_elements=code",
        "Observation?patient=bench-p3&_summary=count",
        "Observation?patient=bench-p3&_count=2&_include=Observation:subject",
        "Patient?_id=bench-p5&_revinclude=Observation:subject",
        "Observation?subject:Patient.name=Garcia&_count=2",
        "Patient?name=M%C3%BCller&_count=2&_format=xml", "?_type=Patient&_count=2",
        "Patient/sp-multi/_history", "Patient/sp-del/_history", "Patient/_history?_count=2",
        "_history?_count=3", "_history?_count=x", "Patient/bench-p1/$everything", "metadata",
        "Observation?patient=bench-p3&_count=abc", "Patient/x/_history/1/extra",
        "Patient/?_count=1", "Patient/$everything", "Foo?_count=1", "Foo/1/_history",
        "/Patient/bench-p1")),
    ("GET", "/fhir/Observation?patient=Patient/bench-p3&_count=20",
     {"Accept-Encoding": "gzip, deflate"}, None, None),
    ("HEAD", "/fhir/Observation?patient=Patient/bench-p3", {"Accept-Encoding": "gzip"}, None,
     None),
    ("GET", "/fhir/Observation?bogus=1", {"Prefer": "handling=strict"}, None, None),
    ("GET", "/fhir/Observation?bogus=1", {"Prefer": "handling=lenient"}, None, None),
    ("POST", "/fhir/Observation/_search", {}, "patient=bench-p4&_count=2",
     "application/x-www-form-urlencoded"),
    ("OPTIONS", "/fhir/Patient/bench-p1",
     {"Origin": "http://a.example", "Access-Control-Request-Method": "GET"}, None, None),
    ("OPTIONS", "/fhir/Patient/bench-p1", {}, None, None),
    ("OPTIONS", "/nowhere",
     {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "X-Foo"},
     None, None),
    ("POST", "/fhir/Patient", {}, "{not json", FHIR_JSON),
    ("POST", "/fhir/Patient", {}, "<a/>", "text/plain"),
    ("PUT", "/fhir/Patient/other", {}, '{"resourceType": "Patient", "id": "x"}', FHIR_JSON),
    ("PATCH", "/fhir/Foo/1", {}, "[]", "application/json-patch+json"),
    ("POST", "/fhir/Patient/bench-p1", {}, None, None),
    ("DELETE", "/fhir/metadata", {}, None, None),
    ("GET", "/other", {}, None, None),
]
_NEXT = re.compile(rb'"relation":"next","url":"http://localhost:8000(/fhir/[^"]*)"')


def environ(method: str, path: str, headers: dict[str, str], body: str | None = None,
            content_type: str | None = None) -> dict[str, Any]:
    builder = EnvironBuilder(path=path, method=method, headers=list(headers.items()), data=body,
                             content_type=content_type, base_url="http://localhost:8000/")
    try:
        return builder.get_environ()
    finally:
        builder.close()


def call(app: Any, env: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    env = {**env, "wsgi.input": io.BytesIO(env["wsgi.input"].read())}
    started: list[Any] = []
    body = b"".join(app(env, lambda status, headers, exc_info=None: started.extend(
        (status, headers))))
    return started[0], started[1], body


def load(url: str) -> None:
    store = open_store(url)
    try:
        store.load(list(resources(0, 1000, 9)), batch_size=5000)
        multi = {"resourceType": "Patient", "id": "sp-multi", "name": [{"family": "Multi"}]}
        for change in ({}, {"gender": "female"}, {"gender": "male", "birthDate": "1970-01-01"}):
            store.update({**multi, **change})
        store.update({"resourceType": "Patient", "id": "sp-del", "name": [{"family": "Del"}]})
        store.delete("Patient", "sp-del")
    finally:
        store.close()


def dump(url: str, out: str) -> None:
    ids = itertools.count(1)
    uuid.uuid4 = lambda: uuid.UUID(int=next(ids))
    interactions._now_micros = lambda: 1_700_000_000_123_456
    app = create_app(ServerConfig(database=url))
    pending = list(REQUESTS)
    with open(out, "w", encoding="utf-8") as fh:
        for number, (method, path, headers, body, content_type) in enumerate(pending):
            status, sent, data = call(app, environ(method, path, headers, body, content_type))
            if ("Content-Encoding", "gzip") in sent:
                data = data[:4] + b"\0\0\0\0" + data[8:]  # gzip's time stamp
            fh.write(f"== {method} {path} {headers} {body!r}\n{status}\n{sent!r}\n{data!r}\n")
            following = _NEXT.search(data)
            if following and number < len(REQUESTS):  # one page on from each first page
                pending.append(("GET", following.group(1).decode(), {}, None, None))
    app.extensions["fhirsvc"].store.close()
    print(f"{len(pending)} responses in {out}")


def count(url: str, kind: str, calls: int) -> None:
    paths = probe_paths(1000)
    headers = {"Accept": FHIR_JSON}
    if kind == "not-modified":
        kind, headers = "read", {**headers, "If-None-Match": 'W/"1"'}
    envs = [environ("GET", path, headers) for path in paths[kind][:50]]
    app = create_app(ServerConfig(database=url))
    for number in range(60):
        status, _, _ = call(app, envs[number % len(envs)])
    assert status.startswith(("200", "304")), status

    def ignore(*_: Any) -> Any:
        return None

    def step(_: None, number: int) -> None:
        app(envs[number % len(envs)], ignore)

    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())],
                   stdout=subprocess.DEVNULL, check=False)
    functools.reduce(step, range(calls), None)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "load":
        load(argv[1])
    elif len(argv) == 3 and argv[0] == "dump":
        dump(argv[1], argv[2])
    elif len(argv) == 4 and argv[0] == "count":
        count(argv[1], argv[2], int(argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
