"""One way for extraction tests to read a sentence as part of a patient's report."""

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind, PatientCase
from fhirsvc.terminology import Terminology

#: A first sentence that introduces the patient, so that the sentence tested is about them.
INTRO = "A 41-year-old woman was admitted with fatigue. "


def patient_mentions(terminology: Terminology, text: str, kind: MentionKind,
                     intro: str = INTRO) -> list[Mention]:
    """The index patient's mentions of ``kind`` in ``intro + text``, in text order."""
    report = extract(intro + text, "t", terminology)
    return [m for m in report.patients[0].mentions if m.kind is kind]


def procedure_texts(terminology: Terminology, text: str) -> list[str]:
    """The texts of the index patient's therapeutic, then diagnostic, procedures in
    ``INTRO + text``."""
    return [m.text for kind in (MentionKind.THERAPEUTIC_PROCEDURE,
                                MentionKind.DIAGNOSTIC_PROCEDURE)
            for m in patient_mentions(terminology, text, kind)]


def patient_conditions(terminology: Terminology, text: str,
                       intro: str = INTRO) -> list[Mention]:
    """The index patient's disorders, then findings, in ``intro + text``."""
    return [m for kind in (MentionKind.DISORDER, MentionKind.FINDING)
            for m in patient_mentions(terminology, text, kind, intro)]


def fact_texts(case: PatientCase) -> set[str]:
    """The lower-cased words of the facts told of ``case``'s patient (not of anyone else)."""
    return {m.text.lower() for m in case.mentions if m.context.is_patient_fact}
