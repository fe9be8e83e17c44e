"""Drug names written as part of a test, an eponym or a repeated name give no new drug; regimens
and substances given are drugs (fhirsvc/extract/drugs.py); a volume taken out is no dose."""

import re

import pytest

from fhirsvc.extract import drugs
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology, systems
from tests.extract.helpers import patient_mentions


def _drugs(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in patient_mentions(terminology, sentence, MentionKind.MEDICATION)]


@pytest.mark.parametrize("sentence", [
    "Her anti-phospholipid IgG was 80 U and anti-insulin antibodies were found.",
    "An interferon-gamma release assay was negative.",
    "Soluble interleukin-2 receptor was elevated at 2400 U/mL.",
    "The collagen/epinephrine closure time was prolonged.",
    "A urine drug screen was positive for cocaine and amphetamines.",
    "Toxicology screening was negative for opiates, benzodiazepines and cannabinoids.",
    "Anti-CD20 antibody was positive.",
    "Antinuclear antibody was positive at 1:160.",
    "An oral glucose tolerance test was abnormal.",
    "Intravenous potassium levels were checked daily.",
    "Her potassium was 2.9 mmol/L.",
    # "anti-" words of antibodies, antigens and conduction name no drug class
    "Anti-dsDNA antibodies and anti-GBM antibody were negative.",
    "He had antidromic tachycardia.",
    "Antiphospholipid syndrome was diagnosed.",
    "An antigen test was negative.",
])
def test_a_drug_name_inside_a_test_name_or_a_tests_finding_is_no_medication(
    terminology: Terminology, sentence: str
) -> None:
    assert _drugs(terminology, sentence) == []


def test_a_drug_name_joined_to_an_eponym_is_no_medication(terminology: Terminology) -> None:
    assert _drugs(terminology, "She underwent an Ivor-Lewis esophagectomy.") == []


def test_a_class_against_a_substance_keeps_its_words_but_not_the_substance_codes(
    terminology: Terminology
) -> None:
    found = patient_mentions(terminology, "She was started on anti-estrogen therapy.",
                             MentionKind.MEDICATION)
    assert [(m.text, m.concepts) for m in found] == [("anti-estrogen therapy", ())]


def test_a_brand_in_parentheses_after_its_generic_name_names_the_same_drug(
    terminology: Terminology
) -> None:
    found = patient_mentions(terminology, "She was given acetaminophen (Tylenol) for pain.",
                             MentionKind.MEDICATION)
    assert [m.text for m in found] == ["acetaminophen", "Tylenol"]
    assert found[0].concepts == found[1].concepts


@pytest.mark.parametrize("sentence", [
    "Pericardiocentesis drained 60 mL of serous fluid.",
    "At laparotomy, about 400 mL of ascites was found.",
    "Thoracentesis was performed, and 900 mL of pleural fluid was removed.",
    "A dissection was done, followed by the instillation of 1.5 L of solution.",
])
def test_a_volume_taken_out_or_given_in_a_later_step_is_no_dose_of_the_procedure(
    terminology: Terminology, sentence: str
) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE)
    assert found and all(m.dosage is None or m.dosage.dose is None for m in found)


def test_a_transfusion_of_blood_cells_keeps_its_dose(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "He received a transfusion of 2 units of packed red "
                             "blood cells.", MentionKind.THERAPEUTIC_PROCEDURE)
    doses = [m.dosage.dose for m in found if m.dosage and m.dosage.dose]
    assert [d.value for d in doses] == [2]


@pytest.mark.parametrize(("sentence", "regimen"), [
    ("He then received six cycles of R-CHOP.", "R-CHOP"),
    ("She was started on the XYZ regimen.", "XYZ regimen"),
    ("He completed three courses of TPF chemotherapy.", "TPF chemotherapy"),
])
def test_a_regimen_named_by_its_acronym_is_one_medication(terminology: Terminology,
                                                         sentence: str, regimen: str) -> None:
    assert _drugs(terminology, sentence) == [regimen]


def test_an_acronym_before_protocol_names_no_drug(terminology: Terminology) -> None:
    assert _drugs(terminology, "She was managed by the ICU protocol.") == []


@pytest.mark.parametrize(("sentence", "substance"), [
    ("He was treated with albumin.", "albumin"),
    ("She received 20% human albumin.", "albumin"),
    ("The hypokalemia was treated with potassium.", "potassium"),
])
def test_a_substance_a_test_measures_is_a_drug_when_the_words_before_give_it(
    terminology: Terminology, sentence: str, substance: str
) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.MEDICATION)
    assert [(m.text, m.concepts) for m in found] == [(substance, ())]


@pytest.mark.parametrize("sentence", [
    "Her serum albumin was 2.1 g/dL.",
    "She received platelet counts every day.",
    "He was given platelet transfusions.",
    "Given troponin elevation, he underwent coronary angiography.",
    "Given hemoglobin of 6.2 g/dL, he was observed.",
])
def test_a_measured_substance_or_a_transfused_product_stays_what_it_was(
    terminology: Terminology, sentence: str
) -> None:
    assert _drugs(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "He had a known penicillin allergy.",
    "She is allergic to amoxicillin.",
    "He reported hypersensitivity to cephalosporins.",
])
def test_a_drug_the_patient_is_allergic_to_is_no_medication(terminology: Terminology,
                                                             sentence: str) -> None:
    assert _drugs(terminology, sentence) == []


def test_an_acronym_another_hit_names_stays_that_hit_before_chemotherapy(
    terminology: Terminology
) -> None:
    found = patient_mentions(terminology, "She had completed AML chemotherapy.",
                             MentionKind.DISORDER)
    assert [m.text for m in found] == ["AML"]
    assert _drugs(terminology, "She had completed AML chemotherapy.") == ["chemotherapy"]


def test_a_dosing_time_before_regimen_is_no_regimen(terminology: Terminology) -> None:
    assert _drugs(terminology, "He was switched to a BID regimen.") == []


@pytest.mark.parametrize(("sentence", "component"), [
    ("Before the biopsy she received platelets.", "platelets"),
    ("Two units of platelets were transfused on day 3.", "platelets"),
    ("He was treated with red blood cells for the anemia.", "red blood cells"),
    ("Cryoprecipitate was given for a fibrinogen of 0.8 g/L.", "Cryoprecipitate"),
    ("She was given cryoprecipitate.", "cryoprecipitate"),
])
def test_a_blood_component_given_is_a_transfusion_whatever_the_wording(
    terminology: Terminology, sentence: str, component: str
) -> None:
    assert _drugs(terminology, sentence) == []
    given = patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE)
    assert component in [m.text for m in given]


@pytest.mark.parametrize("sentence", [
    "WHOLE BLOOD and Red Cells were given; plasmapheresis followed, then fresh PLASMA.",
    "Thrombocytopenia needed platelet concentrates, not granulocytes2 or erythrocytes_x.",
])
def test_blood_component_words_are_found_as_the_case_insensitive_word_pattern_finds_them(
    sentence: str
) -> None:
    plain = re.compile(rf"\b{drugs._BLOOD_COMPONENT.pattern}\b", re.IGNORECASE)
    assert [m.span() for m in drugs._COMPONENT_WORD.finditer(sentence)] == \
        [m.span() for m in plain.finditer(sentence)]


def test_a_blood_component_counted_stays_a_count(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "Her platelets fell to 12 × 10^9/L.",
                             MentionKind.LAB_TEST)
    assert [m.text for m in found] == ["platelets"]
    assert _drugs(terminology, "Her platelets fell to 12 × 10^9/L.") == []


def _allergy_codes(terminology: Terminology, sentence: str) -> list[tuple[str, list[str]]]:
    """The allergy statuses found (mentions coded ICD-10-CM Z88.x) with their codes."""
    found = [(m.text, [c.code for k in m.concepts for c in terminology.concept(k).codings
                       if c.system == systems.ICD10CM])
             for m in patient_mentions(terminology, sentence, MentionKind.FINDING)]
    return [(text, codes) for text, codes in found if any(c.startswith("Z88") for c in codes)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("He had a known penicillin allergy.", ("penicillin allergy", "Z88.0")),
    ("She had a documented amoxicillin allergy.", ("amoxicillin allergy", "Z88.0")),
    ("She is allergic to sulfa drugs.", ("allergic to sulfa drugs", "Z88.2")),
    ("He has an allergy to vancomycin.", ("allergy to vancomycin", "Z88.1")),
    ("He developed an allergy to fluconazole.", ("allergy to fluconazole", "Z88.3")),
    ("She reported hypersensitivity to ibuprofen.", ("hypersensitivity to ibuprofen", "Z88.6")),
    ("She was allergic to heparin.", ("allergic to heparin", "Z88.8")),
    ("He reported no drug allergies.", ("drug allergies", "Z88.9")),
])
def test_an_allergy_to_a_drug_is_an_allergy_status_coded_by_the_drugs_class(
    terminology: Terminology, sentence: str, expected: tuple[str, str]
) -> None:
    text, code = expected
    assert _allergy_codes(terminology, sentence) == [(text, [code])]
    assert _drugs(terminology, sentence) == []


def test_each_drug_of_an_allergy_list_gets_its_own_class(terminology: Terminology) -> None:
    assert _allergy_codes(terminology, "He is allergic to cefazolin and codeine.") == [
        ("allergic to cefazolin", ["Z88.1"]), ("codeine", ["Z88.5"])]


def test_a_drug_given_beside_an_allergy_stays_given(terminology: Terminology) -> None:
    sentence = "She was given cefazolin; she has a known sulfamethoxazole allergy."
    assert _drugs(terminology, sentence) == ["cefazolin"]
    assert _allergy_codes(terminology, sentence) == [("sulfamethoxazole allergy", ["Z88.2"])]


def test_a_drug_not_tolerated_is_neither_given_nor_an_allergy(terminology: Terminology) -> None:
    assert _drugs(terminology, "He had statin intolerance.") == []
    assert _allergy_codes(terminology, "He had statin intolerance.") == []


@pytest.mark.parametrize(("name", "code"), [
    ("ampicillin", "Z88.0"), ("sulfasalazine", "Z88.2"), ("magnesium sulfate", "Z88.8"),
    ("ceftriaxone", "Z88.1"), ("ciprofloxacin", "Z88.1"), ("acyclovir", "Z88.3"),
    ("lidocaine", "Z88.4"), ("morphine", "Z88.5"), ("aspirin", "Z88.6"),
    ("influenza vaccine", "Z88.7"), ("warfarin", "Z88.8"),
])
def test_every_allergy_class_is_a_z88_concept(terminology: Terminology, name: str,
                                              code: str) -> None:
    key = drugs.allergy_class(name)
    assert key in drugs.ALLERGY_CONCEPTS
    assert [c.code for c in terminology.concept(key).codings
            if c.system == systems.ICD10CM] == [code]


@pytest.mark.parametrize(("sentence", "drug_class"), [
    ("Anti-TB drugs were started in March.", "Anti-TB drugs"),
    ("She was started on anti-tuberculosis treatment.", "anti-tuberculosis treatment"),
    ("He received anti-inflammatory drugs for the arthritis.", "anti-inflammatory drugs"),
    ("Her cough settled on anti-tussive therapy.", "anti-tussive therapy"),
    ("He was given anti-VEGF injections monthly.", "anti-VEGF injections"),
    ("Urate-lowering therapy was initiated.", "Urate-lowering therapy"),
    ("She received hypoglycemic agents.", "hypoglycemic agents"),
    ("He was given antihistamines.", "antihistamines"),
    ("She was started on vasodilators.", "vasodilators"),
    ("An antiemetic was given before the infusion.", "antiemetic"),
])
def test_a_drug_class_written_by_its_shape_is_one_medication(
    terminology: Terminology, sentence: str, drug_class: str
) -> None:
    assert drug_class in _drugs(terminology, sentence)
    assert all(drug_class not in m.text for m in patient_mentions(
        terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE))


def test_a_class_the_lexicon_codes_keeps_its_concept(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "He received antiretroviral therapy.",
                             MentionKind.MEDICATION)
    assert [m.text for m in found] == ["antiretroviral therapy"] and found[0].concepts


def test_a_drug_given_after_a_screen_is_given(terminology: Terminology) -> None:
    assert _drugs(terminology, "The drug screen was positive for opiates; naloxone was given.") \
        == ["naloxone"]


def test_a_drug_recommended_is_no_fact_of_the_patient(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "We recommend lifelong aspirin.",
                             MentionKind.MEDICATION)
    assert [m.context.hypothetical for m in found] == [True]


@pytest.mark.parametrize(("sentence", "substance"), [
    ("Intravenous potassium was given over four hours.", "potassium"),
    ("Oral calcium was started after the surgery.", "calcium"),
    ("Her potassium was low, and potassium was replaced.", "potassium"),
    ("Albumin was infused on day 2.", "Albumin"),
    ("She was given zinc supplements.", "zinc"),  # a supplement is what it supplies
    ("Vitamin D supplements were started.", "Vitamin D"),
    ("Vitamin B12 supplementation was started.", "Vitamin B12"),
])
def test_a_substance_a_route_or_the_words_after_give_or_supply_is_one_drug(
    terminology: Terminology, sentence: str, substance: str
) -> None:
    assert _drugs(terminology, sentence) == [substance]


@pytest.mark.parametrize(("sentence", "antibody"), [
    ("He was treated with an anti-CD20 monoclonal antibody.", "anti-CD20 monoclonal antibody"),
    ("She received monoclonal antibody therapy.", "monoclonal antibody therapy"),
    ("He was given an anti-IL-6 receptor antibody.", "anti-IL-6 receptor antibody"),
    # the antibody given leaves no test of the same words behind
    ("Anti-CTLA-4 antibody therapy was started.", "Anti-CTLA-4 antibody therapy"),
    ("She was treated with an antibody against TNF.", "antibody against TNF"),
])
def test_an_antibody_given_is_a_drug(terminology: Terminology, sentence: str,
                                     antibody: str) -> None:
    assert _drugs(terminology, sentence) == [antibody]
    assert patient_mentions(terminology, sentence, MentionKind.LAB_TEST) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("She was allergic to amoxicillin, ibuprofen and morphine.",
     [("allergic to amoxicillin", ["Z88.0"]), ("ibuprofen", ["Z88.6"]), ("morphine", ["Z88.5"])]),
    ("Drug allergies: cefazolin, tramadol.",
     [("allergies: cefazolin", ["Z88.1"]), ("tramadol", ["Z88.5"])]),
    ("He had hypersensitivity to iodinated contrast and to vancomycin.",
     [("vancomycin", ["Z88.1"])]),
    ("She had a hypersensitivity reaction to phenytoin.",
     [("hypersensitivity reaction to phenytoin", ["Z88.8"])]),
])
def test_every_drug_of_an_allergy_list_is_an_allergy_and_none_is_given(
    terminology: Terminology, sentence: str, expected: list[tuple[str, list[str]]]
) -> None:
    assert _allergy_codes(terminology, sentence) == expected
    assert _drugs(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "She was allergic to penicillin, so clindamycin was given.",
    "She was allergic to penicillin and was given clindamycin.",
])
def test_a_drug_given_after_an_allergy_list_stays_given(terminology: Terminology,
                                                        sentence: str) -> None:
    assert _drugs(terminology, sentence) == ["clindamycin"]


def test_hypersensitivity_alone_is_no_emotional_hypersensitivity(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "She had hypersensitivity to latex.", MentionKind.FINDING)
    assert all("HP:0041092" not in [c.code for k in m.concepts
                                    for c in terminology.concept(k).codings] for m in found)


@pytest.mark.parametrize(("name", "code"), [
    ("omeprazole", "Z88.8"), ("methimazole", "Z88.8"), ("pantoprazole", "Z88.8"),
    ("voriconazole", "Z88.3"), ("clotrimazole", "Z88.3"), ("albendazole", "Z88.3"),
    # a class knows a drug by its INN stem
    ("amikacin", "Z88.1"), ("caspofungin", "Z88.3"), ("celecoxib", "Z88.6"), ("letrozole", "Z88.8"),
])
def test_an_allergy_class_knows_a_drug_by_its_stem_not_by_any_azole(terminology: Terminology,
                                                              name: str, code: str) -> None:
    assert [c.code for c in terminology.concept(drugs.allergy_class(name)).codings
            if c.system == systems.ICD10CM] == [code]


def test_a_drug_a_toxicology_finding_names_is_no_drug_given(terminology: Terminology) -> None:
    sentence = "Serum toxicology was positive for opiates and she was given naloxone."
    assert _drugs(terminology, sentence) == ["naloxone"]



@pytest.mark.parametrize("sentence", [
    "Its antiemetic properties are well known.",
    "The antiviral activity was tested in vitro.",
])
def test_a_class_adjective_before_what_drugs_do_names_no_drug(terminology: Terminology,
                                                             sentence: str) -> None:
    assert _drugs(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "hypothetical"), [
    ("Current guidelines recommend heparin, which she received.", False),
    ("Current guidelines recommend heparin, which was started on admission.", False),
    ("Current guidelines recommend heparin, which is inexpensive.", True),
])
def test_a_relative_clause_of_giving_asserts_a_drug_advised(
    terminology: Terminology, sentence: str, hypothetical: bool
) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.MEDICATION)
    assert [m.context.hypothetical for m in found] == [hypothetical]


@pytest.mark.parametrize(("sentence", "components"), [
    ("She received three units of red cells.", ["red cells"]),
    ("He was given plasma and platelets before the biopsy.", ["plasma", "platelets"]),
    ("Irradiated platelets were given on day 5.", ["platelets"]),
    ("Platelets were transfused to keep the count above 50 × 10^9/L.", ["Platelets"]),
    ("Granulocytes were transfused daily.", ["Granulocytes"]),
])
def test_each_blood_component_given_is_one_transfusion(
    terminology: Terminology, sentence: str, components: list[str]
) -> None:
    given = patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE)
    assert [m.text for m in given] == components
    assert _drugs(terminology, sentence) == []



def test_a_target_count_after_a_transfusion_is_no_dose(terminology: Terminology) -> None:
    given = patient_mentions(terminology, "Platelets were transfused to keep the count above "
                             "50 × 10^9/L.", MentionKind.THERAPEUTIC_PROCEDURE)
    assert [m.text for m in given] == ["Platelets"]
    assert all(m.dosage is None or m.dosage.dose is None for m in given)


@pytest.mark.parametrize("text", [
    "She was started on anti-TB drugs and vitamin D3  supplements after zinc supplementation.",
    "An antiemetic was given; anti-inflammatories and urate-lowering therapy were stopped.",
    "VASODILATORS, ANTIHISTAMINES and Vitamin\nB12\tsupplement were continued with antigen.",
    "The patient (calcium supplements) received hypoglycemic agents, not anticoagulant effect.",
    "Iron \u017fupplements and \u0130ron supplements, then \u0131ron supplementation; anti-VEGF",
    "He was started on SGLT2 inhibitors and 5-HT3 receptor antagonists, not kinase inhibitor 2A.",
])
def test_drug_classes_found_around_their_words_are_those_the_whole_pattern_finds(
        text: str) -> None:
    """The search tried only around a class's words finds what trying every position finds,
    from every start (a search may begin inside a class or between its words)."""
    for start in range(len(text)):
        for end in (len(text), len(text) - 7):
            whole = [m.span() for m in drugs._DRUG_CLASS.finditer(text, start, end)]
            assert [m.span() for m in drugs._class_matches(text, start, end)] == whole


def test_a_text_without_lexicon_hits_reads_no_drugs() -> None:
    assert drugs.read_drugs("Nothing of note.", []) == []


@pytest.mark.parametrize(("sentence", "test", "value"), [
    ("Factor VIII activity was 38%.", "Factor VIII activity", 38),
    ("Tacrolimus concentration was 12 ng/mL.", "Tacrolimus", 12),
    ("The heparin level was 0.5 IU/mL.", "heparin", 0.5),
    ("The factor VIII inhibitor was 5 Bethesda units.", "factor VIII inhibitor", 5),
])
def test_a_substance_named_with_a_tests_word_is_a_lab_test_with_its_value(
    terminology: Terminology, sentence: str, test: str, value: float
) -> None:
    assert _drugs(terminology, sentence) == []
    found = patient_mentions(terminology, sentence, MentionKind.LAB_TEST)
    assert [(m.text, m.result and m.result.quantity and m.result.quantity.value)
            for m in found] == [(test, value)]


def test_an_inhibitor_without_a_reading_is_no_lab_test(terminology: Terminology) -> None:
    sentence = "He was started on a factor VIII inhibitor bypassing agent for the bleeding."
    assert not [m for m in patient_mentions(terminology, sentence, MentionKind.LAB_TEST)
                if "inhibitor" in m.text]


@pytest.mark.parametrize(("sentence", "given"), [
    ("The repair was done under general anaesthesia.", "general anaesthesia"),
    ("A colonoscopy under conscious sedation showed no polyps.", "conscious sedation"),
    ("A caesarean section was done under spinal anesthesia.", "spinal anesthesia"),
    ("Epidural anaesthesia was given for the labour.", "Epidural anaesthesia"),
])
def test_anaesthesia_and_sedation_are_drugs_given_not_procedures(
        terminology: Terminology, sentence: str, given: str) -> None:
    assert _drugs(terminology, sentence) == [given]
    procedures = patient_mentions(terminology, sentence, MentionKind.THERAPEUTIC_PROCEDURE)
    assert not any(re.search(r"an(?:a)?esthesia|sedation", m.text) for m in procedures)


def test_an_anaesthetic_drug_named_as_a_drug_stays_a_drug(terminology: Terminology) -> None:
    assert _drugs(terminology, "She was given a local anaesthetic.") == ["anaesthetic"]


@pytest.mark.parametrize("sentence", [
    "A caesarean section was done under general anaesthesia, delivering a live male infant "
    "weighing 1650 g.",
    "He underwent a splenectomy, removing a spleen weighing 900 g.",
    "Heparin was started, achieving an aPTT of 60 s with 2 units of plasma given later.",
])
def test_a_dose_is_taken_neither_across_a_participle_clause_nor_from_a_weight(
    terminology: Terminology, sentence: str
) -> None:
    found = [m for kind in (MentionKind.MEDICATION, MentionKind.THERAPEUTIC_PROCEDURE)
             for m in patient_mentions(terminology, sentence, kind)]
    assert found and all(m.dosage is None or m.dosage.dose is None for m in found)


def test_a_dose_before_a_clause_that_changes_it_stays(terminology: Terminology) -> None:
    (found,) = patient_mentions(terminology, "Prednisone was started, tapering from 60 mg "
                                "daily.", MentionKind.MEDICATION)
    assert found.dosage is not None and found.dosage.dose is not None
    assert found.dosage.dose.value == 60



@pytest.mark.parametrize(("sentence", "drug"), [
    ("She was discharged on co-amoxiclav for seven days.", "co-amoxiclav"),
    ("He took ferrous sulfate for his anaemia.", "ferrous sulfate"),
    ("Sodium valproate was increased after the second seizure.", "Sodium valproate"),
])
def test_a_british_name_only_an_nhs_medicines_page_lists_is_a_drug(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


def test_a_short_code_an_nhs_page_lists_as_a_variant_is_no_drug(
        terminology: Terminology) -> None:
    assert _drugs(terminology, "The PT 9 seconds later was normal.") == []


@pytest.mark.parametrize(("sentence", "drug"), [
    ("Her reflux was managed with antacids.", "antacids"),
    ("He had been on sulfonylureas for his diabetes.", "sulfonylureas"),
    ("She was switched to a direct oral anticoagulant.", "direct oral anticoagulant"),
    ("Prophylaxis with TMP-SMX was started.", "TMP-SMX"),
    ("He was given 20 mEq of KCl orally.", "KCl"),
    ("Induction with anti-thymocyte globulin preceded the graft.", "anti-thymocyte globulin"),
    ("Teicoplanin was added for the line infection.", "Teicoplanin"),
    ("She had taken herbal remedies for a month.", "herbal remedies"),
])
def test_classes_and_names_the_dictionary_lacks_are_drugs(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


@pytest.mark.parametrize(("sentence", "drug"), [
    ("He was started on SGLT2 inhibitors for his diabetes.", "SGLT2 inhibitors"),
    ("His dyspepsia settled on H2 blockers.", "H2 blockers"),
    ("She was given a 5-HT3 receptor antagonist for the nausea.", "5-HT3 receptor antagonist"),
    ("Treatment with vitamin K antagonists was stopped.", "vitamin K antagonists"),
    ("Her acromegaly was treated with somatostatin analogues.", "somatostatin analogues"),
    ("He took bile acid sequestrants for the diarrhoea.", "bile acid sequestrants"),
])
def test_a_class_named_by_its_target_and_action_is_a_drug(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


@pytest.mark.parametrize("sentence", [
    "The C1 esterase inhibitor level was low.",
    "Deletion of cyclin-dependent kinase inhibitor 2A was found on sequencing.",
    "Tissue inhibitor of metalloproteinases was measured in the serum.",
    "Calcineurin inhibitor toxicity was considered unlikely.",
])
def test_an_inhibitor_a_test_measures_or_a_gene_names_is_no_drug(
        terminology: Terminology, sentence: str) -> None:
    assert not [d for d in _drugs(terminology, sentence) if "inhibitor" in d]


@pytest.mark.parametrize(("sentence", "drug"), [
    ("She has taken the aromatase inhibitor exemestane since her mastectomy.", "exemestane"),
    ("He was given the antibiotic clindamycin for the abscess.", "clindamycin"),
    ("She stayed on the beta-blocker bisoprolol.", "bisoprolol"),
])
def test_a_class_written_right_before_its_drug_is_no_administration_of_its_own(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


def test_a_class_and_a_drug_in_a_list_are_two_administrations(
        terminology: Terminology) -> None:
    assert _drugs(terminology, "She received antibiotics, clindamycin and steroids.") == [
        "antibiotics", "clindamycin", "steroids"]


@pytest.mark.parametrize("sentence", [
    "The central line was flushed with 20 mL of normal saline.",
    "The abscess cavity was irrigated with warm saline before closure.",
    "The port was flushed with heparinized saline.",
])
def test_a_solution_that_rinses_a_device_or_a_wound_is_no_drug(
        terminology: Terminology, sentence: str) -> None:
    assert _drugs(terminology, sentence) == []


def test_saline_given_to_the_patient_stays_a_drug(terminology: Terminology) -> None:
    assert _drugs(terminology, "She received 2 L of normal saline for the hypotension.") == [
        "normal saline"]


@pytest.mark.parametrize(("sentence", "drug"), [
    ("Weekly MTX was restarted after the infection.", "MTX"),
    ("CsA trough levels were kept low, and CsA was tapered.", "CsA"),
    ("She was given MgSO4 for the eclampsia.", "MgSO4"),
])
def test_a_drugs_usual_short_form_is_the_drug(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert drug in _drugs(terminology, sentence)


@pytest.mark.parametrize(("sentence", "drug"), [
    ("An albumin infusion was started for the ascites.", "albumin"),
    ("She needed magnesium infusions twice a week.", "magnesium"),
    ("Intravenous iron was given before the operation.", "Intravenous iron"),
])
def test_a_substance_infused_is_a_drug_not_its_lab_test(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]
    assert patient_mentions(terminology, sentence, MentionKind.LAB_TEST) == []


@pytest.mark.parametrize(("sentence", "drug"), [
    ("Anaesthesia was kept with desfluorane and remifentanil.", "desfluorane"),
    ("She was switched to levofloxacine for the pneumonia.", "levofloxacine"),
    ("He received vancomcyin for the line infection.", "vancomcyin"),
])
def test_a_drug_written_with_one_slip_is_the_drug(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert drug in _drugs(terminology, sentence)


def test_a_plurals_last_s_is_no_slip() -> None:
    undone = set(drugs._slips_undone("supplements"))
    assert "supplement" not in undone and "suppelments" in undone


@pytest.mark.parametrize(("sentence", "drugs_found"), [
    ("She was treated with pulse cyclophosphamide.", ["cyclophosphamide"]),
    ("Steroid pulse therapy was given for three days.", ["Steroid pulse therapy"]),
    ("Pulse therapy with methylprednisolone was started.",
     ["Pulse therapy", "methylprednisolone"]),
])
def test_pulse_as_a_way_of_giving_a_drug_is_no_pulse_rate(
        terminology: Terminology, sentence: str, drugs_found: list[str]) -> None:
    assert _drugs(terminology, sentence) == drugs_found
    assert patient_mentions(terminology, sentence, MentionKind.LAB_TEST) == []


def test_the_pulse_rate_stays_a_test(terminology: Terminology) -> None:
    assert _drugs(terminology, "Her pulse was 96 per minute on prednisone.") == ["prednisone"]
    assert [m.text for m in patient_mentions(
        terminology, "Her pulse was 96 per minute on prednisone.", MentionKind.LAB_TEST)] == [
        "pulse"]


@pytest.mark.parametrize(("sentence", "drug", "concept"), [
    ("Induction was with ATG and steroids were tapered.", "ATG", "med:antithymocyte_globulin"),
    ("She was switched from VCM to LZD.", "VCM", "med:vancomycin"),
    ("Empirical PIPC/TAZ was begun for the fever.", "PIPC/TAZ", "med:piperacillin_tazobactam"),
    ("He remained on FK506 after the transplant.", "FK506", "med:tacrolimus"),
    ("Pulse IVMP was given for three days.", "IVMP", "med:methylprednisolone"),
])
def test_a_drugs_short_form_takes_the_codes_of_its_name(
        terminology: Terminology, sentence: str, drug: str, concept: str) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.MEDICATION)
    assert [m.text for m in found][:1] == [drug]
    assert concept in found[0].concepts


def test_a_short_form_matches_only_as_written(terminology: Terminology) -> None:
    assert _drugs(terminology, "The vcm of the sample was checked.") == []


@pytest.mark.parametrize(("sentence", "drug"), [
    ("She was started on sacubitril/valsartan for heart failure.", "sacubitril/valsartan"),
    ("He took lopinavir / ritonavir for a month.", "lopinavir / ritonavir"),
    ("Carbidopa-levodopa was continued.", "Carbidopa-levodopa"),
    ("He was on tenofovir/emtricitabine/efavirenz.", "tenofovir/emtricitabine/efavirenz"),
])
def test_a_combination_written_as_one_name_is_one_medication(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


def test_a_named_combination_keeps_its_codes(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "Amoxicillin/clavulanate was given for otitis.",
                             MentionKind.MEDICATION)
    assert [(m.text, m.concepts[:1]) for m in found] == [
        ("Amoxicillin/clavulanate", ("med:amoxicillin_clavulanate",))]


def test_drugs_joined_by_and_stay_two(terminology: Terminology) -> None:
    assert _drugs(terminology, "He received cefepime and metronidazole.") == [
        "cefepime", "metronidazole"]


@pytest.mark.parametrize("sentence", [
    "A dexamethasone suppression test showed no suppression of cortisol.",
    "A cosyntropin stimulation test was normal.",
    "Adenosine stress perfusion imaging showed no ischemia.",
    "The isolate grew up to the meropenem Etest strip.",
    "Indium-111 octreotide (111In-OCT) scintigraphy showed uptake in the pancreas.",
    "PCR found isoniazid-resistant Mycobacterium tuberculosis.",
    "A sirolimus-eluting stent was placed in the artery.",
    "The lesion was dilated with a paclitaxel-coated balloon.",
    "She had biotin deficiency for years.",
    "He had a long history of illicit drug use.",
    "She admitted to intravenous drug abuse.",
    "Drug-induced liver injury was suspected.",
    "The strain was susceptible to ampicillin (MIC 2 mg/L), gentamicin and linezolid.",
    "Indocyanine green angiography showed choroidal leakage.",
])
def test_a_drug_named_by_a_test_an_organism_a_device_or_a_habit_is_not_given(
        terminology: Terminology, sentence: str) -> None:
    assert _drugs(terminology, sentence) == []


@pytest.mark.parametrize(("sentence", "drug"), [
    ("She was treated with phosphate (1.5 g/day) for the rickets.", "phosphate"),
    ("Potassium (40 mEq orally) was added.", "Potassium"),
])
def test_a_substance_with_a_dose_after_it_is_given(terminology: Terminology, sentence: str,
                                                   drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


def test_a_substance_with_a_concentration_after_it_is_measured(terminology: Terminology) -> None:
    assert _drugs(terminology, "Phosphate 2.1 mg/dL and potassium 3.2 mEq/L were low.") == []


@pytest.mark.parametrize(("sentence", "drug"), [
    ("No side effects of tocilizumab were noted.", "tocilizumab"),
    ("There was no adverse reaction to the cefazolin.", "cefazolin"),
    ("She had no benefit from gabapentin.", "gabapentin"),
])
def test_a_denied_effect_of_a_drug_tells_of_the_drug_given(
        terminology: Terminology, sentence: str, drug: str) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.MEDICATION)
    assert [(m.text, m.context.negated) for m in found] == [(drug, False)]


def test_side_effects_denied_by_their_names_stay_denied(terminology: Terminology) -> None:
    found = patient_mentions(terminology, "There were no side effects such as nausea.",
                             MentionKind.FINDING)
    assert [(m.text, m.context.negated) for m in found if m.text == "nausea"] == [
        ("nausea", True)]


@pytest.mark.parametrize("sentence", ["He was given vitamins for the neuropathy.",
                                      "She received vitamin B complex daily."])
def test_vitamins_given_as_a_group_are_a_supplement(terminology: Terminology,
                                                     sentence: str) -> None:
    found = patient_mentions(terminology, sentence, MentionKind.MEDICATION)
    assert [m.concepts for m in found] == [("med:supplements",)]


@pytest.mark.parametrize(("sentence", "drug"), [
    ("Resuscitation was with crystalloids.", "crystalloids"),
    ("He was given narcotics for the pain.", "narcotics"),
    ("She was treated with nitrates for angina.", "nitrates"),
])
def test_classes_of_fluids_and_drugs_given_are_medications(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]


@pytest.mark.parametrize(("sentence", "drug"), [
    ("She was on levothyroxine sodium 100 mcg daily.", "levothyroxine sodium"),
    ("Methylprednisolone sodium succinate was infused.", "Methylprednisolone sodium succinate"),
    ("He took losartan potassium for hypertension.", "losartan potassium"),
])
def test_a_drug_written_with_its_salt_is_one_drug_and_no_test(
        terminology: Terminology, sentence: str, drug: str) -> None:
    assert _drugs(terminology, sentence) == [drug]
    assert patient_mentions(terminology, sentence, MentionKind.LAB_TEST) == []


def test_a_test_value_after_a_drug_is_no_salt(terminology: Terminology) -> None:
    sentence = "He was on metformin; potassium 3.2 mmol/L was low."
    assert _drugs(terminology, sentence) == ["metformin"]
