"""FHIR JSON ⇄ XML, driven by the R4 element definitions (https://hl7.org/fhir/R4/xml.html).

The two formats carry the same content with different rules, which is why this needs the
type model rather than a generic converter: XML puts elements in definition order;
primitives carry their value in a ``value`` attribute and their id/extensions as children
(JSON's ``_name`` companion); ``id`` of datatypes and ``url`` of extensions are
attributes; a resource inside an element is wrapped in an element named after its type;
the narrative ``div`` is XHTML embedded as it is.
"""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as ET
from typing import Any

from fhirsvc.errors import InvalidRequest, NotSupported
from fhirsvc.jsontext import MAX_DEPTH, NotJson, check_depth, loads
from fhirsvc.validation.model import Element, TypeDef, TypeModel

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_INTEGERS = frozenset({"integer", "positiveInt", "unsignedInt"})
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


@functools.cache
def type_model() -> TypeModel:
    from fhirsvc.spec import load_spec

    return TypeModel.from_spec(load_spec())


# ---------------------------------------------------------------------------- JSON → XML


def to_xml(resource: dict[str, Any]) -> str:
    """The XML form of a JSON resource."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _resource(out, resource, type_model())
    return "".join(out)


def _resource(out: list[str], resource: dict[str, Any], model: TypeModel) -> None:
    resource_type = resource.get("resourceType")
    if not isinstance(resource_type, str) or resource_type not in model.resource_types:
        raise NotSupported(f"Cannot write a {resource_type!r} resource as XML")
    out.append(f'<{resource_type} xmlns="{FHIR_NS}">')
    _children(out, resource, model[resource_type], model)
    out.append(f"</{resource_type}>")


def _ordered(obj: dict[str, Any], tdef: TypeDef) -> list[tuple[int, str, Any]]:
    """(definition position, property name, property) of ``obj``'s keys, in XML order."""
    positions = {name: i for i, name in enumerate(tdef.elements)}
    found = []
    for key in obj:
        name = key[1:] if key.startswith("_") else key
        prop = tdef.properties.get(name)
        if prop is None:
            if key != "resourceType":
                raise NotSupported(f"{tdef.name} has no element {key!r} to write as XML")
            continue
        if key.startswith("_") and name in obj:
            continue  # written with its value
        found.append((positions[prop.element.name], name, prop))
    return sorted(found, key=lambda item: item[0])


def _children(out: list[str], obj: dict[str, Any], tdef: TypeDef, model: TypeModel,
              attributes: tuple[str, ...] = ()) -> None:
    for _, name, prop in _ordered(obj, tdef):
        if name in attributes:
            continue
        type_name = prop.type
        if type_name == "xhtml":
            out.append(str(obj[name]))
        elif type_name in model.types and model.is_primitive(type_name):
            _primitives(out, name, obj.get(name), obj.get("_" + name), type_name, model)
        elif type_name == "Resource":
            for item in _listed(obj[name]):
                out.append(f"<{name}>")
                _resource(out, item, model)
                out.append(f"</{name}>")
        else:
            for item in _listed(obj[name]):
                _complex(out, name, item, type_name, model)


def _complex(out: list[str], name: str, item: dict[str, Any], type_name: str,
             model: TypeModel) -> None:
    attributes = ("id", "url") if type_name == "Extension" else ("id",)
    attrs = "".join(f' {a}="{_attr(item[a])}"' for a in attributes if a in item)
    out.append(f"<{name}{attrs}>")
    _children(out, item, model[type_name], model, attributes)
    out.append(f"</{name}>")


def _primitives(out: list[str], name: str, values: Any, companions: Any, type_name: str,
                model: TypeModel) -> None:
    values_list = _listed(values)
    companions_list = _listed(companions)
    size = max(len(values_list), len(companions_list))
    for i in range(size):
        value = values_list[i] if i < len(values_list) else None
        companion = (companions_list[i] if i < len(companions_list) else None) or {}
        attrs = f' id="{_attr(companion["id"])}"' if "id" in companion else ""
        if value is not None:
            attrs += f' value="{_attr(value)}"'
        extensions = companion.get("extension")
        if extensions:
            out.append(f"<{name}{attrs}>")
            for extension in extensions:
                _complex(out, "extension", extension, "Extension", model)
            out.append(f"</{name}>")
        else:
            out.append(f"<{name}{attrs}/>")


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _attr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else json.dumps(value)
    return text.translate(_ESCAPES)


# ---------------------------------------------------------------------------- XML → JSON


def from_xml(data: bytes | str) -> dict[str, Any]:
    """The JSON form of an XML resource; malformed or non-FHIR XML is refused with 400."""
    raw = data.encode() if isinstance(data, str) else data
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise InvalidRequest("XML with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        raise InvalidRequest(f"The body is not well-formed XML: {error}") from None
    _check_depth(root)
    resource = _parse_resource(root, type_model())
    try:  # the limit JSON bodies have: a repeating element is an array and an object
        check_depth(resource)
    except NotJson as error:
        raise InvalidRequest(f"The resource is {error} once read as JSON") from None
    return resource


def _check_depth(root: ET.Element) -> None:
    """400 for elements nested deeper than JSON may be (``MAX_DEPTH``), before they are
    walked by recursion; one level at a time. Its JSON is checked too (:func:`from_xml`):
    an element nests one level, its JSON up to two."""
    level = [root]
    for _ in range(MAX_DEPTH):
        level = [child for element in level for child in element]
        if not level:
            return
    raise InvalidRequest(f"The body is not valid XML for FHIR: elements nested more than "
                         f"{MAX_DEPTH} inside each other")


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _parse_resource(element: ET.Element, model: TypeModel) -> dict[str, Any]:
    namespace, resource_type = _local(element.tag)
    if namespace != FHIR_NS:
        raise InvalidRequest(f"<{resource_type}> is not in the FHIR namespace {FHIR_NS}")
    if resource_type not in model.resource_types:
        raise InvalidRequest(f"{resource_type!r} is not a resource type fhirsvc reads as XML")
    resource: dict[str, Any] = {"resourceType": resource_type}
    _parse_children(resource, element, model[resource_type], model)
    return resource


def _parse_children(obj: dict[str, Any], element: ET.Element, tdef: TypeDef,
                    model: TypeModel) -> None:
    pending: dict[str, list[tuple[Any, dict[str, Any] | None]]] = {}
    elements: dict[str, Element] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        namespace, name = _local(child.tag)
        prop = tdef.properties.get(name)
        if prop is None or prop.companion:
            raise InvalidRequest(f"{tdef.name} has no element <{name}>",
                                 expression=(f"{tdef.name}.{name}",))
        if prop.type == "xhtml":
            if namespace != XHTML_NS:
                raise InvalidRequest(f"{tdef.name}.div must be XHTML ({XHTML_NS})")
            child.tail = None
            obj[name] = ET.tostring(child, encoding="unicode", default_namespace=XHTML_NS)
            continue
        if namespace != FHIR_NS:
            raise InvalidRequest(f"<{name}> in {tdef.name} is not in the FHIR namespace")
        elements[name] = prop.element
        pending.setdefault(name, []).append(_parse_value(child, prop.type, model))
    for name, items in pending.items():
        _store(obj, name, items, elements[name].is_list)


def _parse_value(child: ET.Element, type_name: str, model: TypeModel
                 ) -> tuple[Any, dict[str, Any] | None]:
    """(JSON value, ``_name`` companion or None) of one element."""
    if type_name == "Resource":
        inner = [c for c in child if isinstance(c.tag, str)]
        if len(inner) != 1:
            raise InvalidRequest(f"<{_local(child.tag)[1]}> must hold exactly one resource")
        return _parse_resource(inner[0], model), None
    if type_name in model.types and model.is_primitive(type_name):
        companion: dict[str, Any] = {}
        if "id" in child.attrib:
            companion["id"] = child.attrib["id"]
        extensions = [_parse_complex(c, "Extension", model) for c in child
                      if isinstance(c.tag, str)]
        if extensions:
            companion["extension"] = extensions
        raw = child.attrib.get("value")
        return (None if raw is None else _primitive(raw, type_name)), companion or None
    return _parse_complex(child, type_name, model), None


def _parse_complex(child: ET.Element, type_name: str, model: TypeModel) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for attribute in ("id", "url") if type_name == "Extension" else ("id",):
        if attribute in child.attrib:
            obj[attribute] = child.attrib[attribute]
    _parse_children(obj, child, model[type_name], model)
    return obj


def _primitive(raw: str, type_name: str) -> Any:
    try:
        if type_name == "boolean":
            if raw not in ("true", "false"):
                raise ValueError(raw)
            return raw == "true"
        if type_name in _INTEGERS:
            return int(raw)
        if type_name == "decimal":
            number = loads(raw)  # NotJson is a ValueError
            if not isinstance(number, int | float) or isinstance(number, bool):
                raise ValueError(raw)
            return number
    except ValueError:
        raise InvalidRequest(f"{raw!r} is not a valid {type_name}") from None
    return raw


def _store(obj: dict[str, Any], name: str, items: list[tuple[Any, dict[str, Any] | None]],
           is_list: bool) -> None:
    if not is_list and len(items) > 1:
        raise InvalidRequest(f"<{name}> may occur only once")
    values = [value for value, _ in items]
    companions = [companion for _, companion in items]
    if any(value is not None for value in values):
        obj[name] = values if is_list else values[0]
    if any(companion is not None for companion in companions):
        obj["_" + name] = companions if is_list else companions[0]
