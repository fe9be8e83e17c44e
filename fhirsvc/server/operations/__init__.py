"""FHIR operations (``$name``), framework-neutral: the server routes calls here.

An operation receives an :class:`OperationCall` (what the HTTP layer parsed) and the
server's :class:`Services`, and returns an :class:`OperationResult`. It never imports
Flask; errors are raised as :mod:`fhirsvc.errors` exceptions and turned into an
OperationOutcome by the server's one error handler.

The server dispatches ``[base]/$op``, ``[base]/Type/$op`` and ``[base]/Type/id/$op``
(GET and POST) through :func:`find`, and its CapabilityStatement lists :data:`OPERATIONS`
with each one's ``definition`` (an OperationDefinition in ``conformance/``).
See https://hl7.org/fhir/R4/operations.html.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from fhirsvc.errors import NotFound, NotSupported
from fhirsvc.outcome import Issue

if TYPE_CHECKING:
    from fhirsvc.storage import ResourceStore
    from fhirsvc.terminology import Terminology
    from fhirsvc.validation import Validator


class Level(StrEnum):
    """Where an operation is invoked (OperationDefinition.system/type/instance)."""

    SYSTEM = "system"
    TYPE = "type"
    INSTANCE = "instance"


@dataclass(frozen=True)
class OperationCall:
    """One invocation as the HTTP layer parsed it."""

    name: str  # without the leading "$"
    level: Level
    resource_type: str | None  # None at system level
    resource_id: str | None  # set at instance level
    method: str  # "GET" or "POST"
    params: tuple[tuple[str, str], ...]  # query parameters, in order
    body: bytes = b""
    content_type: str | None = None  # media type without parameters
    base_url: str = ""  # e.g. http://127.0.0.1:8080/fhir


@dataclass(frozen=True)
class OperationResult:
    """What an operation answers: one resource, its status and extra headers."""

    resource: dict[str, Any]
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()


class Services(Protocol):
    """What the server lends an operation (built once per app; heavy parts load lazily)."""

    @property
    def store(self) -> ResourceStore: ...

    def validator(self) -> Validator: ...

    def terminology(self) -> Terminology: ...


Handler = Callable[[OperationCall, Services], OperationResult]


@dataclass(frozen=True)
class Operation:
    """An operation fhirsvc implements, as its OperationDefinition declares it."""

    name: str
    definition: str  # canonical URL of the OperationDefinition in conformance/
    levels: frozenset[Level]
    resource_types: frozenset[str]  # empty: system level only
    affects_state: bool
    handler: Handler


OPERATIONS: dict[str, Operation] = {}


def register(operation: Operation) -> Operation:
    """Add an operation to :data:`OPERATIONS` (called by each operation module)."""
    OPERATIONS[operation.name] = operation
    return operation


def find(name: str, level: Level, resource_type: str | None) -> Operation:
    """The operation ``$name`` invocable at ``level`` on ``resource_type``, or an error."""
    operation = OPERATIONS.get(name)
    if operation is None:
        raise NotSupported(f"Operation ${name} is not supported")
    if level not in operation.levels or (
        level is not Level.SYSTEM and resource_type not in operation.resource_types
    ):
        where = resource_type or "the system level"
        raise NotFound(f"Operation ${name} is not defined on {where}")
    return operation


def load_all() -> dict[str, Operation]:
    """Import every operation module (each registers itself); :data:`OPERATIONS` after."""
    import importlib

    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return OPERATIONS


#: The operation modules, one per operation (``$validate-code`` serves two types).
MODULES = ("everything", "validate", "lookup", "expand", "validate_code", "convert")

load_all()
