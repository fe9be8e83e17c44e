"""The concept record every lexicon source produces."""

from __future__ import annotations

from dataclasses import dataclass

from fhirsvc.model import Coding, MentionKind, ObservationCategory


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing a term can name: its kind (which decides the FHIR resource) and codings.

    ``key`` is unique across sources (``icd10cm:J18.9``, ``hpo:HP:0001744``,
    ``lab:platelets``…); ``curated`` concepts come from ``mappings/`` and win over
    open-terminology concepts of another kind for the same words.
    """

    key: str
    kind: MentionKind
    display: str
    codings: tuple[Coding, ...] = ()
    #: UCUM unit a lab test is usually reported in, used when the text gives a bare number.
    unit: str | None = None
    curated: bool = False
    #: The observation category a curated test names (``exam`` for an examination finding).
    category: ObservationCategory | None = None
    #: The concepts of the values a panel's result pairs ("120/80 mmHg": systolic, diastolic),
    #: in the order they are written (``mappings/lab_panels.tsv``).
    parts: tuple[str, ...] = ()
