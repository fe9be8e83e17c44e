"""Ten case reports written for specialties the rules were not tuned on (``probes/``): what
each must and must not state of its patient, read from the whole report as the service reads
it. Each row is one behaviour a probe found wrong once."""

from pathlib import Path

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import CONDITION_KINDS, Mention, MentionKind
from fhirsvc.terminology import Terminology

PROBES = Path(__file__).resolve().parent / "probes"


def _mentions(terminology: Terminology, name: str) -> list[Mention]:
    """The index patient's mentions in the probe report ``name``."""
    text = (PROBES / f"{name}.txt").read_text(encoding="utf-8")
    return list(extract(text, name, terminology).patients[0].mentions)


def _stated(mentions: list[Mention], words: str) -> list[Mention]:
    """The disorders and findings written ``words`` stated as present in the patient."""
    return [m for m in mentions if m.kind in CONDITION_KINDS and m.text.lower() == words
            and m.context.is_patient_fact and not m.context.negated
            and not m.context.uncertain]


@pytest.mark.parametrize(("name", "words"), [
    ("infect", "tuberculosis"),  # "a country with a high prevalence of tuberculosis"
    ("obstet", "eclampsia"),  # "Eclampsia did not occur."
])
def test_no_condition_the_report_does_not_state(terminology: Terminology, name: str,
                                                words: str) -> None:
    assert _stated(_mentions(terminology, name), words) == []


def test_a_relapse_is_told_of_the_diagnosis_not_of_the_differential(
        terminology: Terminology) -> None:
    mentions = _mentions(terminology, "neuro")
    relapses = [m for m in mentions if m.text == "relapses"]
    diagnosis = [m for m in mentions if m.text == "relapsing-remitting multiple sclerosis"]
    assert relapses and diagnosis and relapses[0].concepts == diagnosis[0].concepts


def test_the_diagnosis_keeps_its_whole_name(terminology: Terminology) -> None:
    assert _stated(_mentions(terminology, "psych"), "major depressive disorder")


def test_no_test_named_by_the_verb_of_a_differential(terminology: Terminology) -> None:
    tests = [m.text for m in _mentions(terminology, "neuro") if m.kind is MentionKind.LAB_TEST]
    assert "considered" not in tests


def test_the_newborns_weight_is_no_dose_of_the_operation(terminology: Terminology) -> None:
    doses = [m.dosage.dose for m in _mentions(terminology, "obstet")
             if m.dosage is not None and m.dosage.dose is not None and "section" in m.text]
    assert doses == []


@pytest.mark.parametrize("name", ["cardio", "neuro", "onco", "paeds", "obstet", "infect",
                                  "psych", "derm", "nephro"])
def test_no_relatives_disease_is_the_patients(terminology: Terminology, name: str) -> None:
    """Every probe but one names a relative's disease or denies one; none becomes the
    patient's in the sentence that names the relative."""
    relatives = {"cardio": "myocardial infarction", "neuro": "multiple sclerosis",
                 "onco": "cancer", "paeds": "asthma", "obstet": "preeclampsia",
                 "infect": "tuberculosis", "psych": "bipolar disorder", "derm": "psoriasis",
                 "nephro": "polycystic kidney disease"}
    text = (PROBES / f"{name}.txt").read_text(encoding="utf-8")
    words = relatives[name]
    first_relative = min((text.find(w) for w in ("father", "mother", "brother", "sister",
                                                  "family history") if w in text), default=-1)
    found = [m for m in _stated(_mentions(terminology, name), words)
             if text.rfind(".", 0, m.span.start) < first_relative < m.span.start]
    assert found == []
