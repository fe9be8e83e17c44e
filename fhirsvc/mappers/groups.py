"""Which facts become which resources, and which mentions are one resource.

A case report names the same thing many times ("thrombocytopenia" in the history,
the examination and the discussion). Mentions of one concept that the text asserts
the same way become one resource that points at every mention (one
derivation-reference each); mentions asserted differently ("no fever" and later
"fever") stay apart. Only the patient's own facts are mapped: a mention whose
experiencer is someone else, or that is hypothetical or generic, is nobody's fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from fhirsvc.model import Fact, MentionKind, Span

CONDITION = "Condition"
PROCEDURE = "Procedure"
OBSERVATION = "Observation"
MEDICATION_ADMINISTRATION = "MedicationAdministration"

#: Derivation-references per resource at most: a report that names one thing a thousand
#: times gives one resource pointing at its first wordings, not a thousand extensions.
MAX_SPANS = 16

_TARGET = {
    MentionKind.DISORDER: CONDITION,
    MentionKind.FINDING: CONDITION,
    MentionKind.THERAPEUTIC_PROCEDURE: PROCEDURE,
    MentionKind.DIAGNOSTIC_PROCEDURE: PROCEDURE,
    MentionKind.LAB_TEST: OBSERVATION,
    MentionKind.MEDICATION: MEDICATION_ADMINISTRATION,
}


@dataclass(frozen=True, slots=True)
class Group:
    """The facts (in text order) that one resource of ``type`` states."""

    type: str
    facts: tuple[Fact, ...]

    @property
    def first(self) -> Fact:
        return self.facts[0]

    @property
    def spans(self) -> tuple[Span, ...]:
        """Every span the resource was read from: each distinct wording first (so a
        reader sees every way the text names it), then repeats, then the results."""
        seen: set[str] = set()
        distinct: list[Span] = []
        repeats: list[Span] = []
        for fact in self.facts:
            wording = normalise(fact.mention.text)
            (repeats if wording in seen else distinct).append(fact.mention.span)
            seen.add(wording)
        results = [f.mention.result.span for f in self.facts if f.mention.result]
        return tuple(dict.fromkeys([*distinct, *repeats, *results]))[:MAX_SPANS]


def target(fact: Fact) -> str:
    """The resource type a fact becomes: a diagnostic procedure with a result is an Observation."""
    mention = fact.mention
    if mention.kind is MentionKind.DIAGNOSTIC_PROCEDURE and mention.result is not None:
        return OBSERVATION
    return _TARGET[mention.kind]


def normalise(words: str) -> str:
    return re.sub(r"[\W_]+", " ", words.lower()).strip()


def concept_key(fact: Fact) -> str:
    """The concept a fact names: its first coding, else its words normalised."""
    if fact.codings:
        first = fact.codings[0]
        return f"{first.system}|{first.code}"
    return normalise(fact.mention.text)


def _key(fact: Fact) -> tuple[object, ...]:
    mention, kind = fact.mention, target(fact)
    asserted = (mention.context.negated, mention.context.uncertain)
    date = mention.when.date if mention.when else None
    if kind == CONDITION:
        return (kind, concept_key(fact), *asserted)
    if kind == OBSERVATION:
        result = re.sub(r"\s+", " ", mention.result.text.lower()) if mention.result else None
        return (kind, concept_key(fact), result, date, *asserted)
    dosage = mention.dosage.text if mention.dosage else None
    return (kind, concept_key(fact), date, dosage, *asserted)


def patient_facts(facts: Iterable[Fact]) -> list[Fact]:
    return [f for f in facts if f.mention.context.is_patient_fact]


def group(facts: Iterable[Fact]) -> list[Group]:
    """The patient's facts grouped into resources, in order of first mention."""
    grouped: dict[tuple[object, ...], list[Fact]] = {}
    for fact in sorted(patient_facts(facts), key=lambda f: f.mention.span):
        grouped.setdefault(_key(fact), []).append(fact)
    return [Group(target(members[0]), tuple(members)) for members in grouped.values()]
