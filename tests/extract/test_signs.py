"""Signs told by the grammar of a clause: an adjective said of a noun, a verb of inability,
weight lost by its mass, a bare lesion noun with its article or site."""

import pytest

from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO, patient_conditions, patient_mentions


def _found(terminology: Terminology, sentence: str) -> list[Mention]:
    """The disorders and findings of ``sentence``, not of the introduction before it."""
    return [m for m in patient_conditions(terminology, sentence) if m.span.start >= len(INTRO)]


def _texts(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in _found(terminology, sentence)]


def test_an_adjective_said_of_its_noun_is_the_adjective_first_term(
        terminology: Terminology) -> None:
    found = _found(terminology, "On the ward her hands were cold and his voice "
                                            "was hoarse.")
    assert "voice was hoarse" in [m.text for m in found]
    hoarse = next(m for m in found if m.text == "voice was hoarse")
    assert hoarse.concepts == terminology.term("hoarse voice").concepts  # type: ignore[union-attr]


def test_an_adjective_said_of_a_limb_names_the_finding_of_its_noun(
        terminology: Terminology) -> None:
    assert "arms were spastic" in _texts(terminology, "Both of his arms were spastic on review.")


def test_an_adjective_said_of_the_patient_names_the_finding_of_its_noun(
        terminology: Terminology) -> None:
    found = _found(terminology, "Overnight he was restless.")
    assert [m.text for m in found] == ["restless"]
    assert found[0].concepts == terminology.term("restlessness").concepts  # type: ignore[union-attr]


def test_a_result_word_said_of_a_test_is_no_sign(terminology: Terminology) -> None:
    assert _texts(terminology, "The electrocardiogram was abnormal.") == []


def test_a_course_said_to_be_uneventful_stays_the_course(terminology: Terminology) -> None:
    assert _texts(terminology, "His recovery was uneventful.") == []


def test_a_verb_of_inability_names_the_loss_of_a_function(terminology: Terminology) -> None:
    texts = _texts(terminology, "By evening she could not stand and was unable to swallow.")
    assert texts == ["could not stand", "unable to swallow"]


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_contracted_verb_of_inability_names_the_loss_with_either_apostrophe(
        terminology: Terminology, apostrophe: str) -> None:
    texts = _texts(terminology, f"She couldn{apostrophe}t stand and can{apostrophe}t swallow.")
    assert texts == [f"couldn{apostrophe}t stand", f"can{apostrophe}t swallow"]


def test_what_the_care_team_could_not_do_is_no_sign(terminology: Terminology) -> None:
    assert _texts(terminology, "We could not see the papilla at endoscopy.") == []


def test_weight_lost_by_its_mass_is_weight_loss(terminology: Terminology) -> None:
    found = _found(terminology, "Over the winter he lost about 12 kg.")
    assert [m.text for m in found] == ["lost about 12 kg"]
    assert found[0].concepts == terminology.term("weight loss").concepts  # type: ignore[union-attr]


def test_plain_words_of_a_sign_are_its_finding(terminology: Terminology) -> None:
    texts = _texts(terminology, "Her conjunctivae showed paleness, and there was redness and "
                                "warmth over the left shin.")
    assert {"paleness", "redness", "warmth"} <= set(texts)


def test_a_bare_lesion_noun_with_its_article_or_site_is_a_finding(
        terminology: Terminology) -> None:
    texts = _texts(terminology, "Imaging showed an aneurysm and vegetations on the tricuspid "
                                "valve.")
    assert {"aneurysm", "vegetations"} <= set(texts)


def test_a_bare_lesion_noun_with_neither_is_none(terminology: Terminology) -> None:
    texts = _texts(terminology, "The risk of rupture is discussed in terms of aneurysm size.")
    assert "aneurysm" not in texts


def test_an_adjective_said_of_a_test_leaves_the_test(terminology: Terminology) -> None:
    tests = patient_mentions(terminology, "Her hemoglobin was low.", MentionKind.LAB_TEST)
    assert [m.text for m in tests] == ["hemoglobin"]


def test_a_finding_free_compound_denies_the_finding(terminology: Terminology) -> None:
    found = _found(terminology, "She has stayed seizure-free since.")
    assert [(m.text, m.context.negated) for m in found] == [("seizure", True)]


def test_has_not_been_observed_denies_what_is_before_it(terminology: Terminology) -> None:
    found = _found(terminology, "So far, fever has not been observed.")
    assert [(m.text, m.context.negated) for m in found] == [("fever", True)]


def test_an_area_named_by_its_look_on_imaging_is_a_finding(terminology: Terminology) -> None:
    texts = _texts(terminology, "Ultrasound showed a hypoechoic area, and MRI a region of "
                                "high signal intensity and hyperintense foci.")
    assert {"hypoechoic area", "hyperintense foci"} <= set(texts)


def test_a_known_lesion_with_its_look_stays_the_lesion(terminology: Terminology) -> None:
    assert "nodule" in _texts(terminology, "CT showed a hypodense nodule in the liver.")


def test_imaging_signs_in_plain_words_are_findings(terminology: Terminology) -> None:
    texts = _texts(terminology, "CT showed free air, fat stranding and two stones in the "
                                "common bile duct.")
    assert {"free air", "fat stranding"} <= set(texts)
    assert any("stones" in t for t in texts)


def test_exam_signs_in_plain_words_are_findings(terminology: Terminology) -> None:
    texts = _texts(terminology, "The abdomen showed guarding, and the skin was mottled with "
                                "crusted sores; she walked with a limp.")
    assert {"guarding", "crusted sores", "limp"} <= set(texts)


def test_pathology_findings_in_plain_words_are_findings(terminology: Terminology) -> None:
    texts = _texts(terminology, "Sections showed nuclear pleomorphism, perineural invasion "
                                "and granulation tissue.")
    assert {"nuclear pleomorphism", "perineural invasion", "granulation tissue"} <= set(texts)


def test_stools_told_in_plain_words_are_melena_or_hematochezia(
        terminology: Terminology) -> None:
    found = _found(terminology, "He passed black tarry stools and later bloody stools.")
    codes = {c.code for m in found for key in m.concepts
             for c in terminology.concept(key).codings}
    assert {"HP:0002249", "HP:0002573"} <= codes


def test_tumour_and_injury_findings_in_plain_words_are_findings(
        terminology: Terminology) -> None:
    texts = _texts(terminology, "CT showed omental caking and a spiculated nodule; the "
                                "shoulder was dislocated after a fall.")
    assert {"omental caking", "shoulder was dislocated"} <= set(texts)
    assert any("spiculated" in t for t in texts)


def test_fullness_and_poor_intake_are_symptoms(terminology: Terminology) -> None:
    texts = _texts(terminology, "She reported a feeling of fullness and poor oral intake.")
    assert {"feeling of fullness", "poor oral intake"} <= set(texts)


def test_chest_signs_in_plain_words_are_findings(terminology: Terminology) -> None:
    texts = _texts(terminology, "There was reduced air entry and stony dullness at the right "
                                "base, and CT showed mucus plugging.")
    assert {"reduced air entry", "stony dullness", "mucus plugging"} <= set(texts)
