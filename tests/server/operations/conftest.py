"""Operations are called as the server calls them: an OperationCall and real Services
(a SQLite store in a temporary folder, the project's validator and terminology)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fhirsvc.server.operations import Level, OperationCall, OperationResult, find
from fhirsvc.storage import SqlStore, open_store
from fhirsvc.terminology import Terminology, load_terminology
from fhirsvc.validation import Validator
from tests.server.operations.helpers import BASE


@dataclass
class LocalServices:
    """The server's Services, built from the real parts."""

    store: SqlStore
    _terminology: Terminology | None = None
    _validator: Validator | None = field(default=None)

    def terminology(self) -> Terminology:
        if self._terminology is None:
            self._terminology = load_terminology()
        return self._terminology

    def validator(self) -> Validator:
        if self._validator is None:
            self._validator = Validator.from_spec(codes=self.terminology())
        return self._validator


@pytest.fixture(scope="session")
def shared_validator() -> Validator:
    return Validator.from_spec(codes=load_terminology())


@pytest.fixture
def services(tmp_path: Path, shared_validator: Validator) -> Iterator[LocalServices]:
    store = open_store(str(tmp_path / "db.sqlite3"))
    yield LocalServices(store, load_terminology(), shared_validator)
    store.close()


class Invoker:
    """Calls operations the way the server's dispatch does (through ``find``)."""

    def __init__(self, services: LocalServices) -> None:
        self.services = services

    def __call__(self, name: str, resource_type: str | None = None,
                 resource_id: str | None = None, *, params: list[tuple[str, str]] | None = None,
                 body: dict[str, Any] | None = None, raw: bytes | None = None,
                 content_type: str = "application/fhir+json") -> OperationResult:
        level = (Level.INSTANCE if resource_id else Level.TYPE if resource_type
                 else Level.SYSTEM)
        operation = find(name, level, resource_type)
        payload = raw if raw is not None else json.dumps(body).encode() if body else b""
        call = OperationCall(name, level, resource_type, resource_id,
                             "POST" if payload else "GET", tuple(params or ()), payload,
                             content_type if payload else None, BASE)
        return operation.handler(call, self.services)


@pytest.fixture
def invoke(services: LocalServices) -> Invoker:
    return Invoker(services)
