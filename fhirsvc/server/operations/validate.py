"""``$validate``: check a resource without storing it, every issue reported.

Type level (``POST Observation/$validate``) and instance level
(``POST Observation/1/$validate``, or ``GET``/``POST`` with ``mode=delete``). The body is
the resource itself or a Parameters with ``resource``, ``mode`` (create, update,
delete) and ``profile``. The answer is always an OperationOutcome with HTTP 200, also
when the resource is invalid: the operation succeeded in finding the issues
(https://hl7.org/fhir/R4/resource-operation-validate.html). Only a body that is not a
resource at all is a 400.
"""

from __future__ import annotations

import copy
from typing import Any

from fhirsvc.errors import Gone, InvalidRequest, NotFound
from fhirsvc.outcome import Issue, Severity, operation_outcome
from fhirsvc.server.operations import (
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
    register,
)
from fhirsvc.server.operations.codesystems import r4_spec
from fhirsvc.server.operations.params import Inputs
from fhirsvc.terminology.systems import FHIRSVC_OPERATION_DEFINITION

MODES = ("create", "update", "delete")


def validate(call: OperationCall, services: Services) -> OperationResult:
    inputs = Inputs.of(call)
    mode = inputs.first("mode")
    if mode is not None and mode not in MODES:
        raise InvalidRequest(f"$validate mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "delete":
        return _result(_deletable(call, services))
    resource = inputs.resource or inputs.embedded("resource")
    if resource is None:
        raise InvalidRequest("$validate needs a resource: the body, or a Parameters "
                             "with a 'resource' parameter")
    issues = _request_issues(call, resource, mode)
    profile = inputs.first("profile")
    validator = services.validator()
    if profile is not None:
        known = validator.profiles.profiles
        if profile.split("|")[0] not in known:
            issues.append(Issue(Severity.ERROR, "not-supported",
                                f"Profile {profile} is not known to this server; the "
                                "resource was checked against base R4 only"))
        else:
            resource = _claiming(resource, profile)
    issues += validator.validate(resource)
    return _result(issues)


def _request_issues(call: OperationCall, resource: dict[str, Any], mode: str | None) -> list[Issue]:
    """What is wrong with the resource as a request in this place, beyond its content."""
    issues: list[Issue] = []
    kind = resource.get("resourceType")
    if call.resource_type is not None and kind != call.resource_type:
        issues.append(Issue(Severity.ERROR, "invalid", f"A {kind} cannot be validated at "
                            f"{call.resource_type}/$validate", ("resourceType",)))
    if mode == "update":
        if "id" not in resource:
            issues.append(Issue(Severity.ERROR, "required",
                                "An update needs the resource's id", (f"{kind}.id",)))
        elif call.resource_id is not None and resource["id"] != call.resource_id:
            issues.append(Issue(Severity.ERROR, "invalid",
                                f"The resource's id {resource['id']!r} is not the id in the "
                                f"URL, {call.resource_id!r}", (f"{kind}.id",)))
    return issues


def _deletable(call: OperationCall, services: Services) -> list[Issue]:
    """mode=delete: the resource must exist; fhirsvc allows deleting referenced resources."""
    if call.resource_type is None or call.resource_id is None:
        raise InvalidRequest("$validate with mode=delete is invoked on a resource: "
                             "[type]/[id]/$validate")
    try:
        services.store.read(call.resource_type, call.resource_id)
    except (NotFound, Gone) as error:
        return list(error.issues)
    return []


def _claiming(resource: dict[str, Any], profile: str) -> dict[str, Any]:
    """A copy of ``resource`` whose ``meta.profile`` lists ``profile`` (checked by the
    validator's profile layer)."""
    claimed = copy.deepcopy(resource)
    meta = claimed.setdefault("meta", {})
    if isinstance(meta, dict):
        profiles = meta.setdefault("profile", [])
        if isinstance(profiles, list) and profile not in profiles:
            profiles.append(profile)
    return claimed


def _result(issues: list[Issue]) -> OperationResult:
    return OperationResult(operation_outcome(issues), issues=tuple(issues))


OPERATION = register(Operation(
    name="validate",
    definition=f"{FHIRSVC_OPERATION_DEFINITION}/Resource-validate",
    levels=frozenset({Level.TYPE, Level.INSTANCE}),
    resource_types=r4_spec().resource_types,
    affects_state=False,
    handler=validate,
))
