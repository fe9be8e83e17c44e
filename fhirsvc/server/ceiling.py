"""The benchmark's ceiling: a Flask app that answers the benchmark's requests from memory.

It serves the FHIR base's three benchmark routes (``Patient/[id]``, ``Observation?patient=``
and ``Observation?code=``) with the bodies the real server gave for them, recorded in a
JSON file the benchmark writes, under the same WSGI server and worker settings. So its
throughput is what Flask and the WSGI server cost alone, without storage, search or
serialisation: the most the real server could reach on this machine.
``python -m fhirsvc.bench http`` starts it as ``fhirsvc.server.ceiling:ceiling_app()``.
"""

from __future__ import annotations

import json
import os

from flask import Flask, Response, request

#: Environment variable naming the recorded payloads (JSON: kind → response body text).
PAYLOADS_ENV = "FHIRSVC_CEILING_PAYLOADS"
CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def create_ceiling_app(payloads: dict[str, str], base_path: str = "/fhir") -> Flask:
    """The ceiling app; ``payloads`` maps ``read``, ``by-patient`` and ``by-code`` to bodies."""
    app = Flask(__name__)
    bodies = {kind: text.encode() for kind, text in payloads.items()}

    def read(resource_id: str) -> Response:
        return Response(bodies["read"], content_type=CONTENT_TYPE)

    def search() -> Response:
        kind = "by-patient" if "patient" in request.args else "by-code"
        return Response(bodies[kind], content_type=CONTENT_TYPE)

    app.add_url_rule(f"{base_path}/Patient/<resource_id>", "read", read)
    app.add_url_rule(f"{base_path}/Observation", "search", search)
    return app


def ceiling_app() -> Flask:
    """Factory for WSGI servers: the payloads come from the file named by the environment."""
    with open(os.environ[PAYLOADS_ENV], encoding="utf-8") as fh:
        return create_ceiling_app(json.load(fh))
