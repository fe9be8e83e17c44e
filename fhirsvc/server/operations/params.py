"""Operation input and output: query pairs or a ``Parameters`` body in, ``Parameters`` out.

An operation may be invoked by GET with its parameters in the query string, or by POST
with a ``Parameters`` resource (or, for some operations, a bare resource) as the body
(https://hl7.org/fhir/R4/operations.html#request). :class:`Inputs` reads both the same
way, so each operation asks for ``inputs.first("code")`` and does not care which it got.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fhirsvc.errors import InvalidRequest, UnsupportedMediaType
from fhirsvc.model import Coding
from fhirsvc.server.formats import JSON_TYPES, XML_TYPES, parse_body
from fhirsvc.server.operations import OperationCall

JSON = dict[str, Any]
BODY_TYPES = JSON_TYPES | XML_TYPES


def json_body(call: OperationCall) -> JSON | None:
    """The POST body as a resource (JSON, or XML converted), None when there is none;
    400/415 when it cannot be read."""
    if not call.body.strip():
        return None
    if call.content_type and call.content_type not in BODY_TYPES:
        raise UnsupportedMediaType(f"${call.name} reads FHIR resources in JSON or XML, "
                                   f"not {call.content_type}")
    loaded = parse_body(call.body, call.content_type)
    if not isinstance(loaded, dict) or not isinstance(loaded.get("resourceType"), str):
        raise InvalidRequest(f"The body of ${call.name} must be a FHIR resource")
    return loaded


@dataclass(frozen=True)
class Inputs:
    """An operation's input parameters by name, from the query and a Parameters body.

    Each value is a ``Parameters.parameter`` element (``{"name": …, "valueCode": …}``);
    query parameters become ``valueString`` elements.
    """

    by_name: Mapping[str, tuple[JSON, ...]]
    #: The body when it was a resource other than Parameters (e.g. POST $validate).
    resource: JSON | None = None

    @classmethod
    def of(cls, call: OperationCall) -> Inputs:
        collected: dict[str, list[JSON]] = {}
        for name, value in call.params:
            collected.setdefault(name, []).append({"name": name, "valueString": value})
        body = json_body(call) if call.method == "POST" else None
        if body is not None and body["resourceType"] == "Parameters":
            for parameter in body.get("parameter", []):
                if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
                    raise InvalidRequest("Every Parameters.parameter needs a name",
                                         expression=("Parameters.parameter",))
                collected.setdefault(parameter["name"], []).append(parameter)
            body = None
        return cls({name: tuple(values) for name, values in collected.items()}, body)

    def all(self, name: str) -> tuple[JSON, ...]:
        return self.by_name.get(name, ())

    def first(self, name: str) -> str | None:
        """The value of ``name`` as text (any primitive ``value[x]``), or None."""
        for parameter in self.all(name):
            value = primitive(parameter)
            if value is not None:
                return value
            raise InvalidRequest(f"Parameter {name!r} must have a primitive value")
        return None

    def require(self, name: str, operation: str) -> str:
        value = self.first(name)
        if value is None or value == "":
            raise InvalidRequest(f"${operation} needs the parameter {name!r}")
        return value

    def complex(self, name: str, value_key: str) -> JSON | None:
        """A complex-typed value (``valueCoding``, ``valueCodeableConcept``) or None."""
        for parameter in self.all(name):
            value = parameter.get(value_key)
            if isinstance(value, dict):
                return value
            raise InvalidRequest(f"Parameter {name!r} must carry {value_key}")
        return None

    def embedded(self, name: str) -> JSON | None:
        """The ``resource`` of parameter ``name`` (e.g. $validate's ``resource``)."""
        for parameter in self.all(name):
            resource = parameter.get("resource")
            if isinstance(resource, dict) and isinstance(resource.get("resourceType"), str):
                return resource
            raise InvalidRequest(f"Parameter {name!r} must carry a resource")
        return None

    def integer(self, name: str, default: int, *, minimum: int = 0,
                maximum: int | None = None) -> int:
        text = self.first(name)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError:
            raise InvalidRequest(f"Parameter {name!r} must be a whole number, not {text!r}") \
                from None
        if value < minimum:
            raise InvalidRequest(f"Parameter {name!r} must not be negative" if minimum == 0
                                 else f"Parameter {name!r} must be at least {minimum}, not {value}")
        return min(value, maximum) if maximum is not None else value


def primitive(parameter: Mapping[str, Any]) -> str | None:
    """The value of a primitive ``value[x]`` as text (booleans as ``true``/``false``)."""
    for key, value in parameter.items():
        if not key.startswith("value"):
            continue
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
    return None


def parameters(parts: Iterable[JSON | None]) -> JSON:
    """A ``Parameters`` resource of the given ``parameter`` elements (None ones dropped)."""
    return {"resourceType": "Parameters",
            "parameter": [part for part in parts if part is not None]}


def part(name: str, value_type: str, value: Any) -> JSON | None:
    """One parameter ``{"name": name, "value<Type>": value}``, or None when value is None."""
    if value is None:
        return None
    return {"name": name, f"value{value_type[:1].upper()}{value_type[1:]}": value}


def group(name: str, parts: Iterable[JSON | None]) -> JSON:
    """A parameter made of parts (e.g. $lookup's ``designation`` and ``property``)."""
    return {"name": name, "part": [p for p in parts if p is not None]}


def coded_inputs(inputs: Inputs, operation: str, default_system: str | None) -> list[Coding]:
    """The codings a call names: a ``codeableConcept`` (any of its codings), a ``coding``,
    or ``system`` + ``code`` + ``display`` (``default_system`` when no system is given)."""
    concept = inputs.complex("codeableConcept", "valueCodeableConcept")
    if concept is not None:
        found = [Coding(c.get("system", ""), c.get("code", ""), c.get("display", ""))
                 for c in concept.get("coding", []) if isinstance(c, dict)]
        if not found:
            raise InvalidRequest(f"${operation}: the codeableConcept has no coding")
        return found
    coding = inputs.complex("coding", "valueCoding")
    if coding is not None:
        return [Coding(coding.get("system", ""), coding.get("code", ""),
                       coding.get("display", ""))]
    code = inputs.require("code", operation)
    system = inputs.first("system") or default_system or ""
    return [Coding(system, code, inputs.first("display") or "")]
