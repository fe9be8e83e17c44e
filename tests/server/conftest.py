"""A real fhirsvc server over real HTTP, on SQLite and (with ``FHIRSVC_TEST_DATABASE_URL``)
PostgreSQL.

One server per backend serves the whole session: the app runs in werkzeug's threaded
server on a free loopback port; every test starts from empty tables.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from fhirsvc.server import ServerConfig, create_app
from fhirsvc.storage import SqlStore, open_store
from tests.storage.conftest import BACKENDS, pg_schema, postgres_url, wipe, with_schema

__all__ = ["pg_schema"]
FHIR_JSON = "application/fhir+json"
#: A small body limit, so the 413 test need not send megabytes.
MAX_BODY = 512 * 1024


@dataclass
class Server:
    """A running server: its FHIR base URL and its store (for direct checks)."""

    base: str
    store: SqlStore
    http: BaseWSGIServer
    app: Flask

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


def start(store: SqlStore, **settings: Any) -> Server:
    app = create_app(ServerConfig(max_body_bytes=MAX_BODY, **settings), store=store)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    return Server(f"http://127.0.0.1:{http.server_port}/fhir", store, http, app)


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, Server]]:
    running: dict[str, Server] = {}
    yield running
    for server in running.values():
        server.http.shutdown()
        server.store.close()


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, servers: dict[str, Server],
           tmp_path_factory: pytest.TempPathFactory) -> Server:
    """A server on the parametrised backend, its database empty."""
    kind = request.param
    if kind == "postgresql":
        schema = request.getfixturevalue("pg_schema")
    if kind not in servers:
        if kind == "sqlite":
            url = str(tmp_path_factory.mktemp("server") / "fhir.sqlite3")
        else:
            url = with_schema(postgres_url() or "", schema)
        servers[kind] = start(open_store(url))
    current = servers[kind]
    wipe(current.store)
    return current


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["Accept"] = FHIR_JSON
        yield session
