"""ConText cases: a judgement that makes a diagnosis unlikely, a change denied of a finding
that stays, findings not felt, a treatment that did not work, care declined in a relative
clause, and what is told of a relative or a newborn child."""

import pytest

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Span
from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions


def _context(sentence: str, target: str, *, condition: bool = False,
             treatment: bool = False) -> Context:
    start = sentence.index(target)
    found = context.triggers(sentence, Span(0, len(sentence)))
    return context.assess(sentence, Span(start, start + len(target)), found,
                          condition=condition, treatment=treatment)


@pytest.mark.parametrize(("sentence", "target"), [
    ("A normal echocardiogram made endocarditis unlikely.", "endocarditis"),
    ("The serum ferritin was low, making haemochromatosis unlikely.", "haemochromatosis"),
    ("A negative culture rendered a bacterial infection unlikely.", "bacterial infection"),
])
def test_a_diagnosis_made_unlikely_is_denied(sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).negated


@pytest.mark.parametrize("sentence", [
    "Endocarditis was unlikely.",
    "Endocarditis seems unlikely.",
    "Endocarditis appeared unlikely to the cardiologists.",
])
def test_a_diagnosis_that_was_unlikely_stays_uncertain(sentence: str) -> None:
    found = _context(sentence, "Endocarditis", condition=True)
    assert found.uncertain and not found.negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("MRI showed no progression of the brain metastases.", "brain metastases"),
    ("There was no further enlargement of the aneurysm.", "aneurysm"),
    ("Follow-up CT showed no interval growth of the lung nodule.", "lung nodule"),
])
def test_a_change_denied_leaves_the_finding_asserted(sentence: str, target: str) -> None:
    assert not _context(sentence, target, condition=True).negated


def test_a_denied_change_that_begins_the_mention_is_denied() -> None:
    sentence = "There was no enlargement of the cervical lymph nodes."
    assert _context(sentence, "enlargement of the cervical lymph nodes", condition=True).negated


def test_a_finding_not_palpable_is_denied() -> None:
    assert _context("A breast lump was not palpable.", "breast lump", condition=True).negated


def test_a_drug_that_did_not_work_was_still_given() -> None:
    sentence = "Her back pain had not responded well to opioids."
    assert not _context(sentence, "opioids", treatment=True).negated
    assert not _context(sentence, "back pain", condition=True).negated


def test_care_declined_in_a_relative_clause_was_not_given() -> None:
    found = _context("The man, who declined chemotherapy, was discharged home.", "chemotherapy",
                     treatment=True)
    assert found.negated and found.not_done


def test_a_relative_clause_tells_of_the_relative() -> None:
    sentence = "She was born to a mother who had thyroid disease."
    assert _context(sentence, "thyroid disease", condition=True).experiencer is Experiencer.FAMILY
    other = "A mother who had lupus was not mentioned; the patient who had fever was seen."
    assert _context(other, "fever", condition=True).experiencer is Experiencer.PATIENT


@pytest.mark.parametrize(("sentence", "target"), [
    ("She delivered a male infant with a cleft palate.", "cleft palate"),
    ("Two days later, her newborn developed hypoglycaemia.", "hypoglycaemia"),
    ("She gave birth to a preterm infant with hydrocephalus.", "hydrocephalus"),
])
def test_what_a_mothers_newborn_has_is_not_hers(sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).experiencer is Experiencer.FAMILY


def test_an_infant_patient_keeps_their_own_findings() -> None:
    sentence = "The infant developed hypoglycaemia."
    assert _context(sentence, "hypoglycaemia", condition=True).experiencer is Experiencer.PATIENT


@pytest.mark.parametrize("sentence", [
    "She remained disease-free for three years.",
    "He has remained disease free since the operation.",
])
def test_a_bare_head_after_remained_or_in_a_compound_names_nothing(
        terminology: Terminology, sentence: str) -> None:
    assert [m.text for m in patient_conditions(terminology, sentence)] == ["fatigue"]


@pytest.mark.parametrize(("sentence", "concept"), [
    ("He had chronic hepatitis C infection.", "cond:chronic_hepatitis_c"),
    ("She was treated for hepatitis B.", "cond:hepatitis_b"),
    ("He was breathing fast with use of accessory muscles.", "cond:accessory_muscle_use"),
])
def test_viral_hepatitis_and_accessory_muscle_use_are_coded_as_what_they_are(
        terminology: Terminology, sentence: str, concept: str) -> None:
    concepts = [m.concepts for m in patient_conditions(terminology, sentence)]
    assert (concept,) in concepts
    assert not any("icd10cm:Q79.8" in c or "icd10cm:B16.9" in c for c in concepts)


@pytest.mark.parametrize(("sentence", "target"), [
    ("Her back pain was not relieved by oxycodone.", "oxycodone"),
    ("He was not adherent to his insulin regimen.", "insulin"),
])
def test_a_drug_that_failed_or_was_skipped_is_not_denied(sentence: str, target: str) -> None:
    assert not _context(sentence, target, treatment=True).negated


def test_a_condition_the_patient_was_unaware_of_is_still_theirs() -> None:
    assert not _context("He was not aware of his diabetes.", "diabetes", condition=True).negated


def test_an_opening_without_clause_ends_before_a_main_clause_of_course() -> None:
    sentence = "Without any further treatment, the eczema subsided."
    assert not _context(sentence, "eczema", condition=True).negated



@pytest.mark.parametrize(("sentence", "target"), [
    ("Kernig sign: negative.", "Kernig sign"),
    ("Ascites (-), oedema (-).", "Ascites"),
    ("Ascites (-), oedema (-).", "oedema"),
    ("Cyanosis: none.", "Cyanosis"),
])
def test_a_result_after_a_colon_or_a_sign_denies_what_it_follows(sentence: str,
                                                                  target: str) -> None:
    assert _context(sentence, target, condition=True).negated


def test_a_verb_of_having_denied_reaches_through_a_list() -> None:
    sentence = "She did not experience any nausea, abdominal cramps, or diarrhoea."
    assert all(_context(sentence, t, condition=True).negated
               for t in ("nausea", "abdominal cramps", "diarrhoea"))
    assert not _context("Pneumonia (see below) was treated.", "Pneumonia",
                        condition=True).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("A pericardial effusion was not visible on echocardiography.", "pericardial effusion"),
    ("There was nothing to suggest vasculitis.", "vasculitis"),
    ("The MRI showed no features of encephalitis.", "encephalitis"),
])
def test_more_ways_of_saying_a_finding_is_absent(sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("No cause of the thrombocytopenia was found.", "thrombocytopenia"),
    ("No clear aetiology for the pancreatitis was identified.", "pancreatitis"),
    ("She had no risk factors for endocarditis.", "endocarditis"),
    ("He was not on any treatment for his gout.", "gout"),
])
def test_what_a_cause_risk_or_care_is_for_is_not_denied_with_it(sentence: str,
                                                                target: str) -> None:
    assert not _context(sentence, target, condition=True).negated


@pytest.mark.parametrize(("sentence", "target", "negated"), [
    ("She had areflexia with absent plantar responses.", "areflexia", False),
    ("His foot was cold and pale with absent pedal pulses.", "pale", False),
    ("Peristalsis was absent on ultrasound.", "Peristalsis", True),
    ("Clonus absent bilaterally.", "Clonus", True),
])
def test_absent_before_a_noun_denies_only_that_noun(sentence: str, target: str,
                                                   negated: bool) -> None:
    assert _context(sentence, target, condition=True).negated is negated


@pytest.mark.parametrize(("sentence", "kept"), [
    ("No antibiotics were given before the erythema spread.", "erythema"),
    ("She had no complaints until haematuria appeared.", "haematuria"),
    ("There was no fever when the arthralgia began.", "arthralgia"),
])
def test_a_clause_of_time_ends_a_denial(sentence: str, kept: str) -> None:
    assert not _context(sentence, kept, condition=True).negated


@pytest.mark.parametrize(("sentence", "kept"), [
    ("No other complaints were reported besides the pruritus.", "pruritus"),
    ("There were no findings with the exception of mild ascites.", "ascites"),
])
def test_an_exception_ends_a_denial(sentence: str, kept: str) -> None:
    assert not _context(sentence, kept, condition=True).negated
