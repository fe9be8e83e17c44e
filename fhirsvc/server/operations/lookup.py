"""``CodeSystem/$lookup``: a code's display, designations and properties.

GET or POST, type level: ``system`` + ``code`` (+ ``version``), or a ``coding``. The
answer is a Parameters with ``name``, ``version``, ``display``, each ``designation``
and the ``property`` values asked for (all when none is named; ``parent`` and ``child``
give the hierarchy). An unknown system or code is 404.
See https://hl7.org/fhir/R4/codesystem-operation-lookup.html.
"""

from __future__ import annotations

from fhirsvc.errors import InvalidRequest, NotFound
from fhirsvc.server.operations import (
    Level,
    Operation,
    OperationCall,
    OperationResult,
    Services,
    register,
)
from fhirsvc.server.operations.codesystems import CodeSystemSource, ConceptInfo, code_system
from fhirsvc.server.operations.params import Inputs, coded_inputs, group, parameters, part
from fhirsvc.terminology.store import Terminology
from fhirsvc.terminology.systems import FHIRSVC_OPERATION_DEFINITION


def known_system(url: str, terminology: Terminology) -> CodeSystemSource:
    source = code_system(url, terminology)
    if source is None:
        raise NotFound(f"Code system {url} is not known to this server")
    return source


def lookup(call: OperationCall, services: Services) -> OperationResult:
    inputs = Inputs.of(call)
    coding = coded_inputs(inputs, "lookup", None)[0]
    if not coding.system:
        raise InvalidRequest("$lookup needs the parameter 'system' with 'code'")
    system, code = coding.system, coding.code
    source = known_system(system, services.terminology())
    concept = source.lookup(code)
    if concept is None:
        scope = " (this server holds the codes it assigns, a fragment of the system)" \
            if source.content == "fragment" else ""
        raise NotFound(f"Code {code!r} is not in {source.name}{scope}")
    wanted = {p for param in inputs.all("property") if (p := _text(param))}
    return OperationResult(parameters([
        part("name", "string", source.name),
        part("version", "string", source.version),
        part("display", "string", concept.display or concept.code),
        *_designations(concept),
        *_properties(concept, wanted),
    ]))


def _text(parameter: dict[str, object]) -> str | None:
    value = parameter.get("valueCode", parameter.get("valueString"))
    return value if isinstance(value, str) else None


def _designations(concept: ConceptInfo) -> list[dict[str, object]]:
    return [group("designation", [part("language", "code", d.language),
                                  part("use", "coding", d.use),
                                  part("value", "string", d.value)])
            for d in concept.designations]


def _properties(concept: ConceptInfo, wanted: set[str]) -> list[dict[str, object]]:
    return [group("property", [part("code", "code", code), part("value", value_type, value)])
            for code, value_type, value in concept.properties if not wanted or code in wanted]


OPERATION = register(Operation(
    name="lookup",
    definition=f"{FHIRSVC_OPERATION_DEFINITION}/CodeSystem-lookup",
    levels=frozenset({Level.TYPE}),
    resource_types=frozenset({"CodeSystem"}),
    affects_state=False,
    handler=lookup,
))
