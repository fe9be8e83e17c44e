"""Issues and OperationOutcomes: the one shape every problem takes in fhirsvc.

Validation, storage and the server all report problems as :class:`Issue` records, so
a problem found deep in the validator reaches an HTTP client or the command line
unchanged. See https://hl7.org/fhir/R4/operationoutcome.html.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """http://hl7.org/fhir/ValueSet/issue-severity (required binding)."""

    FATAL = "fatal"
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"


@dataclass(frozen=True, slots=True)
class Issue:
    """One OperationOutcome.issue.

    ``code`` is a code from http://hl7.org/fhir/ValueSet/issue-type (``invalid``,
    ``structure``, ``required``, ``value``, ``invariant``, ``code-invalid``,
    ``not-found``, ``deleted``, ``conflict``, ``not-supported``, ``exception`` …);
    ``expression`` holds FHIRPath locations such as ``Patient.gender``.
    """

    severity: Severity
    code: str
    diagnostics: str
    expression: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity in (Severity.FATAL, Severity.ERROR)

    def to_fhir(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": str(self.severity),
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            issue["expression"] = list(self.expression)
        return issue


def operation_outcome(issues: Iterable[Issue]) -> dict[str, Any]:
    """An OperationOutcome resource (JSON) holding ``issues``.

    An empty list still yields a valid resource: R4 requires at least one issue
    (OperationOutcome.issue 1..*), so "all is well" is stated as information.
    """
    listed = [issue.to_fhir() for issue in issues]
    if not listed:
        listed = [Issue(Severity.INFORMATION, "informational", "All OK").to_fhir()]
    return {"resourceType": "OperationOutcome", "issue": listed}
