"""Model records built by hand, so each mapper is tested without extraction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fhirsvc.mappers.common import Ref, Scope
from fhirsvc.mappers.groups import Group, group
from fhirsvc.model import Coding, Context, Fact, Mention, MentionKind, Quantity, Span
from fhirsvc.terminology import systems

DOCUMENT = Ref("DocumentReference", "00000000-0000-5000-8000-000000000001")
PATIENT = Ref("Patient", "00000000-0000-5000-8000-000000000002")
FEVER = Coding(systems.SNOMED_CT, "386661006", "Fever")
PLATELETS = Coding(systems.LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count")


def fact(kind: MentionKind, text: str, start: int = 0, *, codings: tuple[Coding, ...] = (),
         value_codings: tuple[Coding, ...] = (), **mention: Any) -> Fact:
    span = Span(start, start + len(text))
    return Fact(Mention(kind, text, span, **mention), codings, value_codings)


def negated() -> Context:
    return Context(negated=True)


def uncertain() -> Context:
    return Context(uncertain=True)


def quantity(value: str, unit: str | None = None, ucum: str | None = None, **kw: Any) -> Quantity:
    return Quantity(Decimal(value), unit, ucum, **kw)


def one_group(*facts: Fact) -> Group:
    [only] = group(facts)
    return only


def scope(by_span: dict[Span, Ref] | None = None) -> Scope:
    return Scope(DOCUMENT, PATIENT, by_span or {})


def spans_of(resource: dict[str, Any], document: Ref | None = DOCUMENT) -> list[tuple[int, int]]:
    """(offset, length) of each derivation-reference; each must point at ``document``."""
    found = []
    for extension in resource.get("extension", []):
        if extension["url"] == systems.DERIVATION_REFERENCE:
            parts = {e["url"]: e for e in extension["extension"]}
            if document is not None:
                assert parts["reference"]["valueReference"] == document.reference()
            found.append((parts["offset"]["valueInteger"], parts["length"]["valueInteger"]))
    return found


def coding_codes(concept: dict[str, Any]) -> list[str]:
    return [c["code"] for c in concept.get("coding", [])]
