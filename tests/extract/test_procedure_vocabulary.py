"""A broad probe of procedure names (``probes/procedure_names.tsv``: imaging by modality and site,
endoscopies, biopsies, physiological and laboratory tests, scales, surgery by organ, transplants,
supportive, obstetric, dental, eye and rehabilitative care), each put in a sentence that tells
it was done, and a sample put in sentences that tell it was not. A name is recognised when a
procedure (or, for a diagnostic one, a test) overlaps its words: a report's "MRI of the lumbar
spine" may keep only "MRI" as the procedure's words, the site being its body site."""

from pathlib import Path

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO

_NAMES = Path(__file__).resolve().parent / "probes" / "procedure_names.tsv"
_ROWS = [tuple(line.split("\t")) for line in _NAMES.read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]

#: Sentences that tell the act was done, by kind; each name goes in one, in turn.
_DONE = {
    "diagnostic": ("She underwent {x}.", "{X} was performed on the second day.",
                   "{X} revealed no abnormality.", "We performed {x}."),
    "therapeutic": ("She underwent {x}.", "{X} was performed on the second day.",
                    "After {x}, her condition improved.", "We performed {x}."),
}
#: Sentences that tell the act was not done, or not yet.
_NOT_DONE = ("{X} was recommended.", "She refused {x}.", "{X} is planned for next week.",
             "{X} was not performed.", "She was too frail to undergo {x}.",
             "The family did not consent to {x}.", "{X} would be required.",
             "She may need {x} in the future.")

_PROCEDURES = (MentionKind.THERAPEUTIC_PROCEDURE, MentionKind.DIAGNOSTIC_PROCEDURE)


def _sentence(frame: str, name: str) -> str:
    return frame.format(x=name, X=name[0].upper() + name[1:])


def _naming(terminology: Terminology, sentence: str, name: str,
            kinds: tuple[MentionKind, ...]) -> list[Mention]:
    """The patient's mentions of ``kinds`` whose words overlap ``name`` in ``sentence``."""
    start = len(INTRO) + sentence.lower().index(name.lower())
    end = start + len(name)
    mentions = extract(INTRO + sentence, "t", terminology).patients[0].mentions
    return [m for m in mentions if m.kind in kinds and m.span.start < end and start < m.span.end]


def _done(mention: Mention) -> bool:
    return mention.context.is_patient_fact and not mention.context.negated


@pytest.mark.parametrize(("kind", "name"), _ROWS, ids=[name for _, name in _ROWS])
def test_a_procedure_told_as_done_is_the_patients_procedure(terminology: Terminology,
                                                            kind: str, name: str) -> None:
    frames = _DONE[kind]
    sentence = _sentence(frames[_ROWS.index((kind, name)) % len(frames)], name)
    kinds = _PROCEDURES + ((MentionKind.LAB_TEST,) if kind == "diagnostic" else ())
    found = _naming(terminology, sentence, name, kinds)
    assert any(_done(m) for m in found), (sentence, [(m.kind, m.text) for m in found])


#: Every thirteenth name, in each sentence of care not given.
_SAMPLE = _ROWS[::13]


@pytest.mark.parametrize("frame", _NOT_DONE)
@pytest.mark.parametrize(("kind", "name"), _SAMPLE, ids=[name for _, name in _SAMPLE])
def test_a_procedure_advised_refused_planned_or_not_done_is_no_act_done(
        terminology: Terminology, kind: str, name: str, frame: str) -> None:
    sentence = _sentence(frame, name)
    found = _naming(terminology, sentence, name, (*_PROCEDURES, MentionKind.LAB_TEST))
    assert not any(_done(m) for m in found), (sentence, [(m.kind, m.text) for m in found])


def test_a_volume_of_a_timed_urine_is_a_test_not_the_collection(
        terminology: Terminology) -> None:
    sentence = "The 24-hour urine volume was 2.1 L."
    assert _naming(terminology, sentence, "24-hour urine", _PROCEDURES) == []


@pytest.mark.parametrize("name", ["Beck Depression Inventory", "Hamilton Depression Rating Scale"])
def test_a_depression_scale_names_no_depression(terminology: Terminology, name: str) -> None:
    sentence = f"The {name} score was 12."
    conditions = _naming(terminology, sentence, name, (MentionKind.DISORDER, MentionKind.FINDING))
    assert conditions == []


@pytest.mark.parametrize(("sentence", "words"), [
    ("She underwent Ladd's procedure.", "Ladd's procedure"),
    ("Kasai's operation was performed at two months.", "Kasai's operation"),
    ("A Bentall\u2019s repair was done.", "Bentall\u2019s repair"),
])
def test_a_surgeon_named_in_the_possessive_names_the_operation(terminology: Terminology,
                                                               sentence: str, words: str) -> None:
    found = _naming(terminology, sentence, words, _PROCEDURES)
    assert [m.text for m in found] == [words]


@pytest.mark.parametrize("sentence", ["Patient's operation was uneventful.",
                                      "Mother's operation was uneventful.",
                                      "Monday's operation was uneventful."])
def test_a_person_or_day_in_the_possessive_names_no_operation(terminology: Terminology,
                                                       sentence: str) -> None:
    assert _naming(terminology, sentence, sentence.split()[0], _PROCEDURES) == []


@pytest.mark.parametrize(("sentence", "words"), [
    ("She was diagnosed with Kikuchi\u2019s disease.", "Kikuchi\u2019s disease"),
    ("A diagnosis of Zollinger's syndrome was made.", "Zollinger's syndrome"),
])
def test_a_physician_named_in_the_possessive_names_the_disorder(terminology: Terminology,
                                                                sentence: str, words: str) -> None:
    found = _naming(terminology, sentence, words, (MentionKind.DISORDER,))
    assert [m.text for m in found] == [words]
