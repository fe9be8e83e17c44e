"""``ValueSet/$validate-code`` and ``CodeSystem/$validate-code``: is this code valid here?

Input: ``url`` (the value set, or for CodeSystem the system), ``system`` + ``code``
(+ ``display``), or a ``coding``, or a ``codeableConcept`` (valid when any of its
codings is). Output: a Parameters with ``result``, a ``message`` when the answer is
no or the display is wrong, and the code's ``display``. A code that is not a member,
or a display that differs from the code system's (case ignored), gives ``result``
false; an unknown value set or code system is 404.
See https://hl7.org/fhir/R4/valueset-operation-validate-code.html and
https://hl7.org/fhir/R4/codesystem-operation-validate-code.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fhirsvc.errors import InvalidRequest, NotFound
from fhirsvc.model import Coding
from fhirsvc.server.operations import (
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
    register,
)
from fhirsvc.server.operations.codesystems import code_system, code_system_url_by_id
from fhirsvc.server.operations.expand import shipped_value_set
from fhirsvc.server.operations.lookup import known_system
from fhirsvc.server.operations.params import Inputs, coded_inputs, parameters, part
from fhirsvc.terminology.systems import FHIRSVC_OPERATION_DEFINITION


@dataclass(frozen=True)
class Verdict:
    result: bool
    message: str | None = None
    display: str | None = None


def _judge(given: Coding, known: Coding | None, where: str) -> Verdict:
    if known is None:
        label = f"{given.system}|{given.code}" if given.system else given.code
        return Verdict(False, f"The code {label} is not in {where}")
    if given.display and given.display.casefold() != known.display.casefold():
        return Verdict(False, f"The display {given.display!r} is not the display of "
                       f"{known.code} in {where}, which is {known.display!r}", known.display)
    return Verdict(True, None, known.display)


def _first_valid(codings: list[Coding], judge: Callable[[Coding], Verdict]) -> Verdict:
    verdicts = [judge(coding) for coding in codings]
    return next((v for v in verdicts if v.result), verdicts[0])


def validate_code(call: OperationCall, services: Services) -> OperationResult:
    inputs = Inputs.of(call)
    terminology = services.terminology()
    if call.resource_type == "CodeSystem":
        url = inputs.first("url") or inputs.first("system")
        if call.resource_id is not None:
            url = code_system_url_by_id(call.resource_id)
            if url is None:
                raise NotFound(f"CodeSystem/{call.resource_id} is not known to this server")
        if not url:
            raise InvalidRequest("$validate-code on CodeSystem needs 'url' (the code system)")
        source = known_system(url, terminology)

        def judge(coding: Coding) -> Verdict:
            if coding.system and coding.system.split("|")[0] != source.url:
                return Verdict(False, f"The coding's system {coding.system} is not {source.url}")
            concept = source.lookup(coding.code)
            known = Coding(source.url, concept.code, concept.display or concept.code) \
                if concept else None
            return _judge(coding, known, source.name)

        verdict = _first_valid(coded_inputs(inputs, call.name, source.url), judge)
    else:
        value_set = shipped_value_set(call, inputs, services)

        def judge(coding: Coding) -> Verdict:
            if coding.system and code_system(coding.system, terminology) is None \
                    and value_set.find(coding.system, coding.code) is None:
                return Verdict(False, f"The code system {coding.system} is not known to this "
                               f"server, and {value_set.url} does not contain {coding.code}")
            return _judge(coding, value_set.find(coding.system or None, coding.code),
                          f"the value set {value_set.url}")

        verdict = _first_valid(coded_inputs(inputs, call.name, None), judge)
    return OperationResult(parameters([
        part("result", "boolean", verdict.result),
        part("message", "string", verdict.message),
        part("display", "string", verdict.display),
    ]))


OPERATION = register(Operation(
    name="validate-code",
    definition=f"{FHIRSVC_OPERATION_DEFINITION}/validate-code",
    levels=frozenset({Level.TYPE, Level.INSTANCE}),
    resource_types=frozenset({"ValueSet", "CodeSystem"}),
    affects_state=False,
    handler=validate_code,
))
