"""Lexicon matching: normal forms, longest match, abbreviations, exclusions, variants."""

import re

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind, Span
from fhirsvc.terminology import Terminology
from fhirsvc.terminology.lexicon import Hit
from fhirsvc.terminology.normalize import norm_key


def _found(terminology: Terminology, text: str) -> list[tuple[str, MentionKind]]:
    return [(text[h.start : h.end], h.kind) for h in terminology.find(text)]


def test_spelling_case_and_plural_variants_share_a_normal_form() -> None:
    assert norm_key("Haemolytic Anaemias") == norm_key("hemolytic anemia")
    assert norm_key("Henoch–Schönlein purpura") == norm_key("Henoch-Schonlein Purpura")
    assert norm_key("Ebstein's anomaly") == norm_key("Ebstein anomaly")


def test_latin_plurals_and_the_leuco_spelling_share_the_normal_form_of_the_term() -> None:
    assert norm_key("paraesthesiae") == norm_key("paresthesia")
    assert norm_key("fistulae") == norm_key("fistulas")
    assert norm_key("leucocytosis") == norm_key("leukocytosis")
    assert norm_key("sae") != norm_key("s")  # too short to be a Latin plural


def test_a_latin_plural_or_a_leuco_spelling_finds_the_term(terminology: Terminology) -> None:
    text = "She had paraesthesiae and leucopenia."
    found = {text[h.start : h.end]: h.concepts for h in terminology.find(text)}
    assert found.get("paraesthesiae") and found.get("leucopenia")


def test_the_longest_match_wins(terminology: Terminology) -> None:
    found = _found(terminology, "She had acute lymphoblastic leukemia.")
    assert found == [("acute lymphoblastic leukemia", MentionKind.DISORDER)]


def test_terms_come_from_icd10cm_hpo_and_the_drug_dictionary(terminology: Terminology) -> None:
    found = dict(_found(terminology, "Cholera, then ptosis; she took acyclovir and zolpidem."))
    assert found["Cholera"] is MentionKind.DISORDER
    assert found["ptosis"] is MentionKind.FINDING
    assert found["acyclovir"] is MentionKind.MEDICATION
    assert found["zolpidem"] is MentionKind.MEDICATION


def test_short_abbreviations_match_only_in_capitals(terminology: Terminology) -> None:
    assert _found(terminology, "CT showed ALL.") == [
        ("CT", MentionKind.DIAGNOSTIC_PROCEDURE), ("ALL", MentionKind.DISORDER)]
    assert _found(terminology, "all of it was ct") == []


def test_a_capitalised_element_symbol_matches_only_as_written(terminology: Terminology) -> None:
    assert _found(terminology, "Mg 1.9") == [("Mg", MentionKind.LAB_TEST)]
    assert _found(terminology, "a dose of 40 mg daily") == []
    assert _found(terminology, "a level of 12 mg/dL") == []


def test_a_short_symbol_in_capitals_before_a_number_is_the_symbols_test(
    terminology: Terminology
) -> None:
    assert _found(terminology, "HB 8.7; PH: 7.3") == [("HB", MentionKind.LAB_TEST),
                                                     ("PH", MentionKind.LAB_TEST)]
    assert ("PH", MentionKind.LAB_TEST) not in _found(terminology, "PH was stable")


def test_capitals_that_also_abbreviate_other_words_stay_unmatched(
    terminology: Terminology
) -> None:
    assert _found(terminology, "NA 2 and MG 3") == []
    assert _found(terminology, "MG 40 mg daily, 12 MG/DL") == []


def test_generic_words_of_open_terminologies_are_not_matched(terminology: Terminology) -> None:
    assert _found(terminology, "The disease was severe and chronic.") == []


def test_a_match_never_crosses_punctuation(terminology: Terminology) -> None:
    spans = _found(terminology, "lymph node, enlargement")
    assert ("lymph node, enlargement", MentionKind.FINDING) not in spans


def test_translated_high_for_hyper_variants_match(terminology: Terminology) -> None:
    found = dict(_found(terminology, "a defect that leads to high IgE syndrome"))
    assert found.get("high IgE syndrome") is MentionKind.DISORDER


def test_lab_tests_procedures_and_medications_come_from_curated_tables(
    terminology: Terminology,
) -> None:
    found = dict(_found(terminology, "platelet count, chest X-ray, chemotherapy and prednisone"))
    assert found == {
        "platelet count": MentionKind.LAB_TEST,
        "chest X-ray": MentionKind.DIAGNOSTIC_PROCEDURE,
        "chemotherapy": MentionKind.MEDICATION,  # administered antineoplastic drugs
        "prednisone": MentionKind.MEDICATION,
    }


def test_a_pronoun_before_a_generic_noun_is_not_an_eponym(terminology: Terminology) -> None:
    # "Hers disease" and "His bundle ..." normalise to the pronouns "her" / "his".
    assert _found(terminology, "Her disease progressed and his condition worsened.") == []


def test_terms_opening_with_a_determiner_are_not_matched(terminology: Terminology) -> None:
    found = [words for words, _ in _found(terminology, "No speech development was noted.")]
    assert not any(w.lower().startswith("no ") for w in found)


def test_finding_in_spans_is_finding_in_each_span_alone(terminology: Terminology) -> None:
    text = "Title: acute\nlymphoblastic leukemia in a CT\nShe had fever, then ALL's relapse.\n"
    lines = [Span(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    alone = [Hit(h.start + s.start, h.end + s.start, h.kind, h.concepts)
             for s in lines for h in terminology.find(s.of(text))]
    assert terminology.find_in(text, lines) == alone
    whole = [text[h.start : h.end] for h in terminology.find(text)]
    assert "acute\nlymphoblastic leukemia" in whole  # what the spans keep apart
    skipping = [lines[0], lines[2]]
    assert terminology.find_in(text, skipping) == [h for h in alone if h.start < lines[0].end
                                                   or h.start >= lines[2].start]
    assert terminology.find_in(text, []) == []


def test_drugs_known_only_by_their_own_name_are_medications(terminology: Terminology) -> None:
    found = _found(terminology, "Support with milrinone; tegafur and thiopental were given.")
    assert [kind for _, kind in found] == [MentionKind.MEDICATION] * 3


def test_stains_sugars_and_reagents_of_the_drug_dictionary_are_not_medications(
    terminology: Terminology,
) -> None:
    found = _found(terminology, "Staining with hematoxylin; esculin hydrolysis; glucose.")
    assert MentionKind.MEDICATION not in {kind for _, kind in found}


@pytest.mark.parametrize("phrase", [
    "skin infections", "Skin Infection", "acute lymphoblastic leukemia", "ALL", "all", "CT",
    "fever", "fevers", "skin and infections", "infections skin", "skin- infections",
    "acute lymphoblastic leukemia relapse", "walked talked", "", " fever", "fever ", "fever.",
])
def test_a_whole_phrase_term_is_what_find_gives_alone_over_the_whole_phrase(
        terminology: Terminology, phrase: str) -> None:
    found = terminology.find(phrase)
    whole = (found[0] if len(found) == 1 and (found[0].start, found[0].end) == (0, len(phrase))
             else None)
    assert terminology.term(phrase) == whole


def test_a_phrase_that_is_one_term_gives_its_hit_and_one_that_is_not_gives_none(
        terminology: Terminology) -> None:
    assert terminology.term("acute lymphoblastic leukemia") is not None
    assert terminology.term("acute lymphoblastic leukemia in") is None


@pytest.mark.parametrize(
    "text",
    ["He was switched to fluoroquinolones.", "Cephalosporins were avoided.",
     "She took benzodiazepines and antipsychotics.", "Inhaled bronchodilators were given.",
     "Antiarrhythmic drugs were stopped.", "Laxatives relieved it.",
     "Salmon calcitonin was added."],
)
def test_drug_classes_are_medications(terminology: Terminology, text: str) -> None:
    kinds = [kind for _, kind in _found(terminology, text)]
    assert kinds == [MentionKind.MEDICATION] * len(kinds) and kinds


def test_a_drug_class_the_patient_did_not_receive_is_negated(terminology: Terminology) -> None:
    report = extract("A 40-year-old woman was admitted. She had received no fluoroquinolones "
                     "or benzodiazepines.", "t", terminology)
    drugs = [m for m in report.patients[0].mentions if m.kind is MentionKind.MEDICATION]
    assert [m.text for m in drugs] == ["fluoroquinolones", "benzodiazepines"]
    assert all(m.context.negated for m in drugs)


@pytest.mark.parametrize(
    ("text", "test"),
    [("Her central venous pressure was high.", "central venous pressure"),
     ("Neuron-specific enolase was raised.", "Neuron-specific enolase"),
     ("The anion gap was wide.", "anion gap"),
     ("Anti-thyroglobulin antibodies were undetectable.", "Anti-thyroglobulin antibodies"),
     ("Urine specific gravity was low.", "Urine specific gravity")],
)
def test_common_tests_missing_from_panels_are_lab_tests(terminology: Terminology, text: str,
                                                        test: str) -> None:
    assert (test, MentionKind.LAB_TEST) in _found(terminology, text)


def test_a_metal_named_alone_is_no_lab_test(terminology: Terminology) -> None:
    assert MentionKind.LAB_TEST not in {kind for _, kind in _found(terminology, "A lead apron.")}


def test_a_british_our_word_in_the_plural_shares_the_american_normal_form() -> None:
    assert norm_key("tumours") == norm_key("tumors") == norm_key("tumour")


@pytest.mark.parametrize(("written", "named"), [
    ("gastro-enteritis", "gastroenteritis"),
    ("hepato-splenomegaly", "hepatosplenomegaly"),
    ("a sub-dural haematoma", "subdural hematoma"),
    ("non-alcoholic fatty liver disease", "nonalcoholic fatty liver disease"),
    ("preeclampsia", "pre-eclampsia"),
])
def test_a_prefixed_word_hyphenated_or_joined_names_the_same_term(
        terminology: Terminology, written: str, named: str) -> None:
    text = f"She had {written}."
    hits = terminology.find(text)
    assert hits and text[hits[-1].start : hits[-1].end] in written
    assert hits[-1].end - hits[-1].start >= len(written.split(" ", 1)[-1]) - 2
    assert hits[-1].concepts == terminology.find(named)[0].concepts


def test_a_hyphenated_non_does_not_leave_the_word_it_negates_to_match_alone(
        terminology: Terminology) -> None:
    text = "Ultrasound suggested non-alcoholic fatty liver disease."
    assert "alcoholic fatty liver" not in [text[h.start : h.end] for h in terminology.find(text)]


@pytest.mark.parametrize(("alias", "named"), [
    ("TIA", "transient ischemic attack"),
    ("BPH", "benign prostatic hyperplasia"),
    ("LBBB", "left bundle branch block"),
    ("shingles", "zoster"),
    ("blurry vision", "blurred vision"),
    ("first-degree AV block", "first degree atrioventricular block"),
])
def test_a_condition_alias_names_what_its_name_names(terminology: Terminology, alias: str,
                                                     named: str) -> None:
    hit = terminology.term(alias)
    assert hit is not None and hit.concepts == terminology.term(named).concepts  # type: ignore[union-attr]


def test_a_short_form_alias_matches_only_in_capitals(terminology: Terminology) -> None:
    assert terminology.term("tia") is None


@pytest.mark.parametrize("sentence", [
    "Biopsy showed a large cell NEC of the pancreas.",  # neuroendocrine carcinoma
    "He had PPH and right heart failure.",  # primary pulmonary hypertension
    "The SDH-deficient stromal tumor was resected.",  # succinate dehydrogenase
])
def test_a_short_form_with_another_common_sense_names_no_condition(
        terminology: Terminology, sentence: str) -> None:
    short = re.search(r"\b[A-Z]{3}\b", sentence).group()  # type: ignore[union-attr]
    assert terminology.term(short) is None


def test_an_uncomplicated_title_names_the_condition_itself(terminology: Terminology) -> None:
    hit = terminology.term("alcohol abuse")
    assert hit is not None and hit.concepts == ("icd10cm:F10.10",)


def test_edetate_disodium_is_not_read_as_the_calcium_salt(terminology: Terminology) -> None:
    """Edetate disodium and edetate calcium disodium are two drugs (one lowers calcium, the
    other treats lead poisoning): the one must not be coded as the other."""
    calcium = terminology.term("edetate calcium disodium")
    disodium = terminology.term("edetate disodium")
    assert calcium is not None
    assert disodium is None or disodium.concepts != calcium.concepts


def test_an_interferon_gamma_release_assay_is_one_test_by_any_name(
        terminology: Terminology) -> None:
    """The brand names and the generic name of the assay name one lab test, not a test
    by one name and a procedure by another."""
    names = ("IGRA", "interferon gamma release assay", "QuantiFERON", "T-SPOT")
    hits = [terminology.term(name) for name in names]
    assert all(hit is not None and hit.kind is MentionKind.LAB_TEST for hit in hits)
    assert len({hit.concepts for hit in hits if hit is not None}) == 1


def test_ecmo_is_not_coded_as_oxygen_therapy(terminology: Terminology) -> None:
    ecmo, oxygen = terminology.term("ECMO"), terminology.term("oxygen therapy")
    assert ecmo is not None and oxygen is not None and ecmo.concepts != oxygen.concepts


def test_aneurysm_clipping_names_one_procedure(terminology: Terminology) -> None:
    hit = terminology.term("aneurysm clipping")
    assert hit is not None and len(hit.concepts) == 1


def test_contraceptives_in_general_are_not_named_oral(terminology: Terminology) -> None:
    """"Hormonal contraceptives" may be an implant or an injection: not "Oral contraceptive"."""
    general, oral = terminology.term("hormonal contraceptives"), terminology.term(
        "oral contraceptives")
    assert general is not None and oral is not None and general.concepts != oral.concepts
