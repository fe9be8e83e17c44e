"""Who a sentence is about: the index patient, another person or population, or nobody.

- A report describes a patient when it introduces one: an age tied to a person
  ("a 12-year-old boy"), a named person with a title ("Mr. Zhang"), or a definite
  reference ("the patient"). An article about a disease in general does none of these.
- After the introduction, a sentence that introduces someone else ("a patient with
  advanced myeloma", "another patient") or speaks of a population ("more than 200
  children", "most patients", "the elderly") is about others.
- A sentence that never refers to the patient and reads as a general statement
  ("X is a rare disease", "HSCT can also treat…", "…is recommended") is generic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from fhirsvc.model import Span

_PRONOUNS = r"he|she|his|her|him|hers|himself|herself"
_PERSON = (
    r"man|woman|boy|girl|lady|gentleman|infant|neonate|newborn|baby|child|toddler|adolescent|"
    r"patient|primigravida|gravida|primipara"
)
_DEFINITE = re.compile(
    rf"\b(?:{_PRONOUNS})\b|\b(?:the|our|this|index|said)\s+(?:(?:\w+[\s-]){{0,2}})?(?:{_PERSON})\b"
    r"|\bpatient'?s\b|\b(?:Mr|Mrs|Ms|Grandma|Grandpa|Granny)\.?\s+[A-Z]",
    re.IGNORECASE,
)
_INTRO = re.compile(
    rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,4}}?(?:{_PERSON})\b|\b(?:Mr|Mrs|Ms|Grandma|Grandpa)\.?\s+[A-Z]"
    r"|\b(?:the|our) patient\b",
    re.IGNORECASE,
)
_ANOTHER = re.compile(
    rf"\b(?:another|a second|one other)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PERSON})\b"
    rf"|\b(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?(?:patient|man|woman|child|boy|girl)\s+(?:with|who)\b",
    re.IGNORECASE,
)
_POPULATION = re.compile(
    r"\b(?:(?:more than|over|about|nearly|almost|some|many|most|several|all|these|such|other|more|"
    r"\d[\d,]*)\s+(?:\w+\s+){0,2}?)(?:patients|children|people|persons|individuals|adults|cases|"
    r"infants|men|women|families)\b|\bthe elderly\b|\b(?:patients|children|people)\s+(?:with|who|"
    r"will|are|have|can|may|should|suffering)\b",
    re.IGNORECASE,
)
_GENERIC_CUE = re.compile(
    r"\b(?:is|are)\s+(?:a|an|the|considered|believed|known|mainly|usually|often|very|quite|"
    r"not|rare|common|widely)\b|\b(?:can|could|may|might|must|should|would)\b|\bsuch as\b|"
    r"\bincluding\b|\binclude[sd]?\b|\bespecially\b|\breported\b|\btreatment of\b|\bto treat\b|"
    r"\bincidence\b|\bprognosis\b|\b(?:conventional|standard) (?:\w+ )?(?:methods?|options?|"
    r"therapy|treatments?)\b|\bhospital's\b|\b(?:hospital|department|team|center|centre)\s+"
    r"(?:has|have)\b|\bit is\b",
    re.IGNORECASE,
)
_SAME_PATIENT = re.compile(
    r"\b(?:this|the present|our|the current) case\b|\bwe (?:report|present|describe)\b", re.I
)
_STRONG_MODAL = re.compile(r"\b(?:must|should|can)\b", re.IGNORECASE)
_CLINICAL_PAST = re.compile(
    r"\b(?:was|were|had|showed|revealed|demonstrated|underwent|received|presented|developed|"
    r"noted|found|performed|administered|started|given|admitted|diagnosed|complained|reported "
    r"to have)\b",
    re.IGNORECASE,
)


class About(StrEnum):
    PATIENT = "patient"
    OTHER = "other"  # another person or a population
    GENERIC = "generic"  # a general statement: nobody's facts
    NEUTRAL = "neutral"  # no person named; read as the patient's (lab lines, findings)


@dataclass(frozen=True, slots=True)
class SentenceRole:
    span: Span
    about: About


def introduces_patient(text: str, sentence: Span, has_age: bool) -> bool:
    """True when this sentence introduces an individual patient."""
    return has_age or bool(_INTRO.search(text, sentence.start, sentence.end))


def classify(
    text: str, sentences: tuple[Span, ...], intro: int | None, names: tuple[str, ...]
) -> list[SentenceRole]:
    """The role of each sentence, given the index of the introducing sentence (or None)."""
    name_re = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b") if names else None
    roles: list[SentenceRole] = []
    for i, span in enumerate(sentences):
        roles.append(SentenceRole(span, _about(text, span, i, intro, name_re)))
    return roles


def _about(text: str, span: Span, i: int, intro: int | None, name_re: re.Pattern[str] | None) -> About:
    s, e = span.start, span.end
    same = bool(_SAME_PATIENT.search(text, s, e))
    if intro is not None and i > intro and not same and _ANOTHER.search(text, s, e):
        return About.OTHER
    named = bool(name_re and name_re.search(text, s, e))
    refers = named or bool(_DEFINITE.search(text, s, e)) or i == intro
    if _POPULATION.search(text, s, e) and not (i == intro):
        return About.OTHER
    if refers or same:
        return About.PATIENT
    if _STRONG_MODAL.search(text, s, e) or (
        _GENERIC_CUE.search(text, s, e) and not _CLINICAL_PAST.search(text, s, e)
    ):
        return About.GENERIC
    return About.NEUTRAL
