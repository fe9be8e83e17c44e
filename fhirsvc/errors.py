"""One exception family, each member carrying an OperationOutcome.

Code anywhere in fhirsvc raises these; the server turns them into HTTP responses in
a single error handler and the command line into messages, the way HAPI FHIR's
``BaseServerResponseException`` family works. See https://hl7.org/fhir/R4/http.html.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, ClassVar

from fhirsvc.outcome import Issue, Severity, operation_outcome


class FhirError(Exception):
    """A failure that a FHIR client should see as an OperationOutcome."""

    status: ClassVar[HTTPStatus] = HTTPStatus.INTERNAL_SERVER_ERROR
    issue_code: ClassVar[str] = "exception"

    def __init__(
        self,
        message: str | Iterable[Issue],
        *,
        expression: Iterable[str] = (),
    ) -> None:
        if isinstance(message, str):
            issues: tuple[Issue, ...] = (
                Issue(Severity.ERROR, self.issue_code, message, tuple(expression)),
            )
        else:
            issues = tuple(message)
        self.issues = issues
        super().__init__("; ".join(issue.diagnostics for issue in issues) or self.status.phrase)

    def outcome(self) -> dict[str, Any]:
        return operation_outcome(self.issues)


class InvalidRequest(FhirError):
    """400: the request cannot be parsed or names something malformed."""

    status = HTTPStatus.BAD_REQUEST
    issue_code = "invalid"


class TooCostly(InvalidRequest):
    """400: a search larger than the server answers (too many criteria, values or
    references followed), before or as its database refuses it
    (https://hl7.org/fhir/R4/codesystem-issue-type.html#issue-type-too-costly)."""

    issue_code = "too-costly"


class NotFound(FhirError):
    """404: no such resource type, resource or route."""

    status = HTTPStatus.NOT_FOUND
    issue_code = "not-found"


class MethodNotAllowed(FhirError):
    """405: the route exists, the HTTP method does not."""

    status = HTTPStatus.METHOD_NOT_ALLOWED
    issue_code = "not-supported"


class Conflict(FhirError):
    """409: the request collides with the current state (e.g. a version conflict)."""

    status = HTTPStatus.CONFLICT
    issue_code = "conflict"


class Gone(FhirError):
    """410: the resource existed and was deleted."""

    status = HTTPStatus.GONE
    issue_code = "deleted"


class PreconditionFailed(FhirError):
    """412: ``If-Match`` or a conditional interaction's criteria did not hold."""

    status = HTTPStatus.PRECONDITION_FAILED
    issue_code = "conflict"


class PayloadTooLarge(FhirError):
    """413: the body exceeds the configured limit."""

    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    issue_code = "too-long"


class UnsupportedMediaType(FhirError):
    """415: the body is in a format the interaction does not accept."""

    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    issue_code = "not-supported"


class Unprocessable(FhirError):
    """422: well-formed, but the resource breaks FHIR rules or profiles."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    issue_code = "processing"


class NotSupported(FhirError):
    """501: a FHIR feature fhirsvc does not implement."""

    status = HTTPStatus.NOT_IMPLEMENTED
    issue_code = "not-supported"


class NotAcceptable(FhirError):
    """406: the client asked (``_format``, ``Accept``) for a format fhirsvc cannot write."""

    status = HTTPStatus.NOT_ACCEPTABLE
    issue_code = "not-supported"
