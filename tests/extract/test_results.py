"""Test results found by the shape of the sentence: lists, 'respectively', unknown test names.

Most cases are rows of tables (one sentence, the results it must give), each row named
by the behaviour it shows; the tests after the tables check what a table cannot say.
"""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind, Qualitative
from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO

ADMITTED = "A 58-year-old man was admitted. "


def _results(terminology: Terminology, sentence: str) -> dict[str, str | None]:
    report = extract(ADMITTED + sentence, "t", terminology)
    return {m.text: m.result.text if m.result else None for m in report.patients[0].mentions
            if m.kind is MentionKind.LAB_TEST}


#: The sentence gives exactly these tests with these results (None: a test, no result).
EXACT = {
    "a_denied_test_read_as_detected_after_its_name_has_a_negative_reading": (
        "No thyroid antibodies were detected.", {"thyroid antibodies": None}),
    "values_listed_with_respectively_go_to_the_tests_in_order": (
        "His heart rate and respiratory rate were 112/min and 30/min, respectively.",
        {"heart rate": "112/min", "respiratory rate": "30/min"}),
    "a_dose_per_kilogram_names_no_test": ("He was given 2 mg/kg of prednisone.", {}),
    "antibodies_listed_before_one_result_share_it": (
        "Anti-Ro, anti-La and anti-Sm antibodies were all negative.",
        {"Anti-Ro": "negative", "anti-La": "negative", "anti-Sm": "negative"}),
    "a_change_named_before_the_test_is_its_result": (
        "Blood tests revealed an elevation of alkaline phosphatase.",
        {"alkaline phosphatase": "elevation"}),
    "a_value_after_a_short_qualifier_of_the_test_is_its_result": (
        "Her oxygen saturation on room air was 91%.", {"oxygen saturation": "91%"}),
    "a_score_written_before_a_number_without_unit_names_a_test": (
        "His Caprini score was 6 on admission.", {"Caprini score": "6"}),
    "a_drug_with_a_level_or_a_concentration_per_volume_is_a_test": (
        "Her carnitine level was <3 μmol/L and 1,25 OH vitamin D3 was 33.7 ng/mL; tacrolimus "
        "trough level was 12 ng/mL.",
        {"carnitine": "<3 μmol/L", "vitamin D3": "33.7 ng/mL", "tacrolimus": "12 ng/mL"}),
    "an_organism_name_before_what_its_test_measures_names_the_test": (
        "HBV DNA was undetectable, CMV IgM was positive and hepatitis C virus RNA was "
        "2.1 × 106 IU/mL.",
        {"HBV DNA": "undetectable", "CMV IgM": "positive",
         "hepatitis C virus RNA": "2.1 × 106 IU/mL"}),
    "a_disorder_name_before_a_test_word_names_the_test": (
        "Hepatitis serologies were negative and a malaria smear was negative.",
        {"Hepatitis serologies": "negative", "malaria smear": "negative"}),
    "respectively_gives_a_test_and_its_other_name_one_value": (
        "ALT (alanine transaminase) and AST (aspartate transaminase) were markedly elevated up "
        "to 2726 U/l and 7438 U/l respectively.",
        {"ALT": "2726 U/l", "AST": "7438 U/l"}),  # each other name repeats its test
    "one_result_stated_of_a_list_goes_to_each_test_of_it": (
        "Antinuclear antibody (ANA) and antiextractable nuclear antigen (anti-ENA) were both "
        "negative.",
        {"Antinuclear antibody": "negative",  # "ANA" repeats it
         "antiextractable nuclear antigen": "negative"}),
    "one_result_stated_of_a_list_of_unknown_tests_goes_to_each": (
        "Repeat electrolytes and cardiac biomarkers were within normal limits on day two.",
        {"electrolytes": "within normal limits", "cardiac biomarkers": "within normal limits"}),
    "a_result_of_another_clause_is_not_the_lists": (
        "The electrolytes, which were checked twice, were normal.", {"electrolytes": None}),
    "a_score_named_with_its_short_form_in_parentheses_takes_its_number": (
        "Her Child-Pugh (CP) score was 8 and her performance status (PS) was 3.",
        {"Child-Pugh (CP) score": "8", "performance status": "3"}),
    "a_value_in_parentheses_after_an_unknown_test_name_is_its_value": (
        "Initial workup revealed normal levels of troponine (<0.01 ng/ml).",
        {"troponine": "<0.01 ng/ml"}),
    "had_been_joins_a_test_to_its_value": (
        "Hemoglobin levels had been 14.6 g/dL before the bleeding.",
        {"Hemoglobin levels": "14.6 g/dL"}),
    "a_value_in_a_spelled_out_unit_names_a_test_no_lexicon_knows": (
        "The serum zonulin level was 17.2 ng per milliliter.",
        {"zonulin": "17.2 ng per milliliter"}),
    "a_level_in_a_clause_after_a_treatment_is_a_test_not_a_dose": (
        "At 3 weeks after surgery, the serum zonulin level was 17.2 ng/mL.",
        {"zonulin": "17.2 ng/mL"}),
    "a_value_beside_a_treatment_in_its_clause_is_a_dose": (
        "She was given rituximab, with zonulin 5.6 mg/L.", {}),
    "a_number_after_a_word_that_takes_one_is_part_of_the_tests_name": (
        "The cells were negative for cytokeratin 5 and cytokeratin 14.",
        {"cytokeratin 5": "negative", "cytokeratin 14": "negative"}),
    "a_numbered_tests_value_follows_its_whole_name": (
        "Cancer antigen 72 was 9 U/mL; glucose 95, sodium 140.",
        {"Cancer antigen 72": "9 U/mL", "glucose": "95", "sodium": "140"}),
    "a_number_ending_a_factors_name_is_part_of_it": (
        "Insulin-like growth factor 1 was 280 ng/mL.",
        {"Insulin-like growth factor 1": "280 ng/mL"}),
    "an_unknown_last_item_of_a_list_of_tests_shares_the_lists_result": (
        "Hemoglobin, sodium and the zonal counts were normal.",
        {"Hemoglobin": "normal", "sodium": "normal", "zonal counts": "normal"}),
    "a_clause_after_and_is_no_item_of_the_list": (
        "Hemoglobin was low and she was pale.", {"Hemoglobin": "low"}),
    "a_value_in_parentheses_after_a_noun_of_change_is_not_the_tests_level": (
        "Over two days she had a hemoglobin drop (3 g/dL).", {"hemoglobin": "drop"}),
    "a_value_in_parentheses_after_a_rise_is_not_the_tests_level": (
        "We noted a serum creatinine rise (0.5 mg/dL in one day).", {"serum creatinine": "rise"}),
    "a_result_word_before_a_comma_and_and_belongs_to_its_own_clause": (
        "Her HIV serology came back negative, and lactate was drawn.",
        {"HIV serology": "negative", "lactate": None}),
    "a_result_word_before_a_comma_ends_its_phrase_before_the_next_test": (
        "The stool antigen test was positive, glucose was not checked.",
        {"stool antigen": "positive", "glucose": None}),
    "a_change_before_and_judges_its_own_clause_not_the_next_test": (
        "His cough deteriorated and lipase was sent.", {"lipase": None}),
    "a_change_before_after_is_no_result_of_the_test_after_it": (
        "His rash improved after serum magnesium was replaced.", {"serum magnesium": None}),
    "a_change_before_while_is_no_result_of_the_test_after_it": (
        "Her fever worsened while procalcitonin was pending.", {"procalcitonin": None}),
    "a_test_joined_by_a_hyphen_to_another_carries_the_result_once": (
        "Her ANCA-MPO was negative.", {"ANCA-MPO": "negative"}),
    "a_ratio_of_two_tests_joined_by_a_hyphen_is_one_test_with_the_result": (
        "The albumin-CRP ratio was low.", {"albumin-CRP": "low"}),
    "a_grade_out_of_its_maximum_after_a_qualified_test_is_its_result": (
        "Muscle power in the left leg was 3/5.", {"Muscle power": "3/5"}),
    "a_disorder_named_inside_a_scores_name_is_part_of_the_score": (
        "Her Model for End-Stage Liver Disease score was 17.",
        {"Model for End-Stage Liver Disease score": "17"}),
    "a_count_whose_unit_follows_the_cell_name_is_that_cells_result": (
        "The count showed 281 × 10^3 platelets/µL.", {"platelets": "281 × 10^3 platelets/µL"}),
    "an_antibody_named_by_its_target_and_class_is_one_test": (
        "Anti-cardiolipin IgG was 116 GPL.", {"Anti-cardiolipin IgG": "116 GPL"}),
    "an_antibody_whose_target_a_lexicon_reads_as_a_drug_is_one_test": (
        "He had positive anti-phospholipid antibodies.",
        {"anti-phospholipid antibodies": "positive"}),
    "a_platelet_function_closure_time_is_a_test_with_its_time": (
        "The collagen/ADP closure time was 98 seconds.",
        {"collagen/ADP closure time": "98 seconds"}),
    "a_value_after_had_gone_down_to_past_a_qualifier_is_the_tests": (
        "Her bleeding time on the second morning had gone down to 6 minutes.",
        {"bleeding time": "6 minutes"}),
    "an_organisms_name_then_a_result_is_a_test_of_the_organism": (
        "The gastric biopsy was Helicobacter pylori positive.",
        {"Helicobacter pylori": "positive"}),
    "a_subject_and_its_verb_before_a_result_name_no_test": ("Cultures were negative.", {}),
    "an_adverb_between_the_verb_and_the_result_is_passed_over": (
        "Her liver function was otherwise normal.", {"liver function": "normal"}),
    "a_change_named_before_a_possessive_and_the_test_is_its_result": (
        "Deterioration of her renal function prompted dialysis.",
        {"renal function": "Deterioration"}),
    "an_adverb_of_pace_before_the_result_is_passed_over": (
        "Her renal function rapidly worsened.", {"renal function": "worsened"}),
    "a_result_word_after_a_qualifier_and_its_verb_is_the_tests": (
        "Blood cultures drawn on admission were negative.", {"Blood cultures": "negative"}),
    "absence_before_a_test_is_its_result": (
        "The fluid showed absence of oligoclonal bands.", {"oligoclonal bands": "absence"}),
    "a_viral_load_is_a_test": ("The viral load was undetectable.", {"viral load": "undetectable"}),
    "a_date_after_a_word_for_strength_is_no_grade": (
        "Her power of concentration was poor on 2/5.", {}),
    "a_score_above_its_maximum_is_no_score_on_the_scale": (
        "She scored 12/9 on the mobility scale.", {}),
    "the_patients_condition_is_judged_by_the_word_after_it": (
        "Over the next two days his overall condition slowly deteriorated.",
        {"overall condition": "deteriorated"}),
    "a_status_that_settles_is_a_result_no_result_word_names": (
        "Her haemodynamic state had stabilised by the morning.",
        {"haemodynamic state": "stabilised"}),
    "a_condition_no_possessive_owns_is_a_disorder_not_the_patients_state": (
        "This condition was stable in most series.", {}),
    "words_before_a_course_judge_it_both_as_written": (
        "He made a quick and complete recovery at home.", {"recovery": "quick and complete"}),
    "a_course_named_alone_after_a_possessive_is_judged_by_its_word": (
        "Her course was complicated by a wound infection.", {"course": "complicated"}),
    "recovering_with_an_adverb_is_how_the_recovery_went": (
        "After the repair she recovered smoothly.", {"recovered": "smoothly"}),
    "a_recovery_of_a_function_is_not_the_patients_course": (
        "There was a full recovery of hand strength.", {}),
    "a_strip_grade_before_protein_or_blood_is_the_strips_reading": (
        "The strip test showed 2+ protein and trace blood.", {"protein": "2+", "blood": "trace"}),
    "a_strip_grade_after_protein_or_blood_is_the_strips_reading": (
        "On the strip, protein was 3+ and blood (1+).", {"protein": "3+", "blood": "1+"}),
    "a_grade_before_a_word_heading_another_name_reads_no_strip": (
        "The mass contained 2+ blood vessels.", {}),
    "two_tests_named_as_a_pair_take_a_pair_of_values_in_order": (
        "Her AST/ALT were 88/140 U/L on day 3.", {"AST": "88", "ALT": "140 U/L"}),
    "a_pair_of_bare_values_goes_to_two_tests_reported_in_one_unit": (
        "Repeat AST / ALT 61/75.", {"AST": "61", "ALT": "75"}),
    "a_grade_read_by_the_strip_is_not_the_urinalysis_result": (
        "Her urinalysis revealed 1+ blood.", {"urinalysis": None, "blood": "1+"}),
    "a_time_after_a_known_test_names_no_test": (
        "The platelet count at admission was 92 × 10^3/μL.",
        {"platelet count": "92 × 10^3/μL"}),
    "a_time_after_an_unknown_test_names_no_test": (
        "Serum haptoglobin on day 3 was 20 mg/dL.", {"Serum haptoglobin": "20 mg/dL"}),
    "a_short_form_after_at_is_a_time_not_a_test": (
        "The platelet count at EOT was 92 × 10^3/μL.", {"platelet count": "92 × 10^3/μL"}),
    "values_between_two_numbers_are_a_range": (
        "Her potassium was between 3.1 and 3.4 mmol/L.",
        {"potassium": "between 3.1 and 3.4 mmol/L"}),
    "values_in_the_range_of_two_numbers_are_a_range": (
        "Her creatinine was in the range of 1.2-1.5 mg/dL.", {"creatinine": "1.2-1.5 mg/dL"}),
    "a_list_result_reaches_tests_past_an_unknown_item": (
        "Carcinoembryonic antigen (CEA), DUPAN-2, and neuron-specific enolase were all "
        "within normal ranges.",
        {"Carcinoembryonic antigen": "within normal ranges", "DUPAN-2": "within normal ranges",
         "neuron-specific enolase": "within normal ranges"}),
    "a_value_joined_by_a_hyphen_with_a_unit_is_the_tests": (
        "Hb-10.2 g/dl, TLC - 11,000/mm3.", {"Hb": "10.2 g/dl", "TLC": "11,000/mm3"}),
    "a_number_joined_by_a_hyphen_without_a_unit_is_part_of_the_name": (
        "CA-125 was 40 U/mL.", {"CA-125": "40 U/mL"}),
    "a_result_word_before_the_next_test_is_that_tests": (
        "Blood tests showed elevated transaminases, raised ferritin and low platelets.",
        {"transaminases": "elevated", "ferritin": "raised", "platelets": "low"}),
    "a_participle_and_its_time_stand_between_a_test_and_its_result": (
        "Leptospira IgM antibody performed on the 5th day of illness was positive.",
        {"IgM": "positive"}),
    "the_time_a_sample_was_drawn_names_no_test": (
        "Serum ferritin drawn at the time of admission was 1200 ng/mL.",
        {"Serum ferritin": "1200 ng/mL"}),
    "a_change_named_before_of_or_in_judges_the_test_after_it": (
        "Blood tests revealed a rise in troponin and a decline in platelet count.",
        {"troponin": "rise", "platelet count": "decline"}),
    "pus_cells_counted_per_field_are_a_test": (
        "Urine microscopy showed pus cells 10-12/hpf.", {"pus cells": "10-12/hpf"}),
    "no_growth_in_a_culture_is_a_negative_result": (
        "Urine culture showed no growth.", {"Urine culture": "no growth"}),
    "serology_and_stool_tests_named_by_kind_take_their_results": (
        "HIV serology was negative, VDRL was non-reactive and stool for occult blood was "
        "positive.",
        {"HIV serology": "negative", "VDRL": "non-reactive",
         "stool for occult blood": "positive"}),
    "a_clause_between_two_tests_keeps_the_later_result_its_own": (
        "Ferritin was measured twice, she felt better, and haptoglobin was normal.",
        {"Ferritin": None, "haptoglobin": "normal"}),
}


@pytest.mark.parametrize(("sentence", "expected"), EXACT.values(), ids=EXACT.keys())
def test_a_sentence_gives_exactly_its_tests_and_results(
        terminology: Terminology, sentence: str, expected: dict[str, str | None]) -> None:
    assert _results(terminology, sentence) == expected


#: Among what the sentence gives, these tests have these results (other tests may be found).
AMONG = {
    "a_value_after_to_in_a_trend_is_the_tests": (
        "Echocardiography showed improvement of LVEF to 15%.", {"LVEF": "15%"}),
    "a_negative_score_after_its_name_is_its_result": (
        "Densitometry of the hip gave a T-score: −2.9.", {"T-score": "−2.9"}),
    "a_bare_number_after_a_factor_name_is_its_value": (
        "On serology, rheumatoid factor 25, antinuclear antibody negative.",
        {"rheumatoid factor": "25"}),
    "a_bare_number_after_a_receptor_name_is_its_value": (
        "Scores were oestrogen receptor 7 and progesterone receptor 3.",
        {"progesterone receptor": "3"}),
    "a_result_joined_to_the_tests_name_by_a_hyphen_is_its_result": (
        "The lesion was progesterone receptor-negative and ZX12–positive.",
        {"progesterone receptor": "negative", "ZX12": "positive"}),
    "a_joined_result_in_capitals_or_after_a_unicode_hyphen_is_found_for_any_marker": (
        "The lesion was ZX12\u2010positive and QW7-NEGATIVE.",
        {"ZX12": "positive", "QW7": "NEGATIVE"}),
    "one_result_after_a_list_with_abbreviations_in_parentheses_belongs_to_each": (
        "Carcinoembryonic antigen (CEA) and alpha-fetoprotein (AFP) were within the reference "
        "range.",
        {"Carcinoembryonic antigen": "within the reference range",
         "alpha-fetoprotein": "within the reference range"}),
    "a_share_written_before_a_cell_type_is_its_result": (
        "The differential count showed 71% neutrophils, 20% lymphocytes and 9% monocytes.",
        {"neutrophils": "71%", "lymphocytes": "20%", "monocytes": "9%"}),
}


@pytest.mark.parametrize(("sentence", "expected"), AMONG.values(), ids=AMONG.keys())
def test_a_sentence_gives_these_tests_these_results(
        terminology: Terminology, sentence: str, expected: dict[str, str]) -> None:
    found = _results(terminology, sentence)
    assert {test: found.get(test) for test in expected} == expected


#: The result of each test starts with the value given (its unit or range may follow);
#: ``only``: no other test is found.
STARTS = {
    "a_value_in_a_unit_of_concentration_names_a_test_no_lexicon_knows": (
        "Laboratory work-up showed zonulin, 41.2 ng/mL; and fictitin, 3 mmol/L.",
        {"zonulin": "41.2", "fictitin": "3"}, False),
    "a_value_after_the_tests_other_name_in_parentheses_is_its_result": (
        "Tests showed hemoglobin (Hb): 9.8 g/dL and C-reactive protein (CRP) was 41 mg/L.",
        {"hemoglobin": "9.8", "C-reactive protein": "41"}, False),
    "level_after_an_unknown_test_name_is_not_part_of_the_name": (
        "Her plasma zonulin level was 41.2 ng/mL.", {"zonulin": "41.2"}, True),
    "a_range_written_with_a_spaced_dash_stays_one_value_of_its_test": (
        "Her platelet count was 150 -400 x 10^9/L.", {"platelet count": "150 -400"}, True),
    "a_value_before_a_range_with_a_spaced_dash_is_the_tests": (
        "Hemoglobin measured 10.2 g/dL (normal 13 -17 g/dL).", {"Hemoglobin": "10.2"}, True),
}


@pytest.mark.parametrize(("sentence", "starts", "only"), STARTS.values(), ids=STARTS.keys())
def test_a_sentence_gives_each_test_a_result_starting_with_its_value(
        terminology: Terminology, sentence: str, starts: dict[str, str], only: bool) -> None:
    found = _results(terminology, sentence)
    assert all(str(found.get(test)).startswith(value) for test, value in starts.items()), found
    assert not only or list(found) == list(starts)


#: Every mention's qualitative result (mentions without a result left out).
QUALITATIVE = {
    "one_result_heading_a_list_of_markers_belongs_to_each": (
        "The cells were positive for CD3, CD5 and CD7, and negative for CD10.",
        {"CD3": Qualitative.POSITIVE, "CD5": Qualitative.POSITIVE, "CD7": Qualitative.POSITIVE,
         "CD10": Qualitative.NEGATIVE}),
    "cultures_that_tested_negative_report_a_negative_result": (
        "Blood cultures tested negative.", {"Blood cultures": Qualitative.NEGATIVE}),
    "no_abnormalities_is_a_normal_result_of_a_test": (
        "An electroencephalogram revealed no abnormalities.",
        {"electroencephalogram": Qualitative.NORMAL}),
    "no_pathological_findings_is_a_normal_result_of_a_test": (
        "A cranial computed tomography showed no pathological findings.",
        {"computed tomography": Qualitative.NORMAL}),
    "no_significant_changes_is_a_normal_result_of_a_repeated_test": (
        "The follow-up electrocardiogram showed no significant changes.",
        {"electrocardiogram": Qualitative.NORMAL}),
    "a_result_word_before_a_diagnostic_procedure_is_its_result": (
        "He had an abnormal chest radiograph.", {"chest radiograph": Qualitative.ABNORMAL}),
    "a_result_word_before_a_modifier_of_the_procedure_is_its_result": (
        "She had an abnormal admission chest radiograph.",
        {"chest radiograph": Qualitative.ABNORMAL}),
    "a_short_form_joined_by_a_hyphen_leaves_no_second_mention_of_itself": (
        "The CMV-PCR was positive.", {"CMV-PCR": Qualitative.POSITIVE}),
    "a_result_word_before_by_and_a_procedure_is_its_result": (
        "The lesion was negative by immunostaining for desmin.",
        {"immunostaining": Qualitative.NEGATIVE}),
}


@pytest.mark.parametrize(("sentence", "expected"), QUALITATIVE.values(),
                         ids=QUALITATIVE.keys())
def test_a_sentence_gives_its_mentions_these_qualitative_results(
        terminology: Terminology, sentence: str, expected: dict[str, Qualitative]) -> None:
    report = extract(ADMITTED + sentence, "t", terminology)
    results = {m.text: m.result.qualitative for m in report.patients[0].mentions if m.result}
    assert results == expected


#: Every result in text order, as (mention, result text).
IN_ORDER = {
    "each_value_a_test_reaches_in_a_trend_is_a_result": (
        "His FEV1 increased from 1.4 L to 1.9 L, and his oxygen saturation was 93% and dropped "
        "to 88% on exertion.",
        [("FEV1", "1.4 L"), ("FEV1", "1.9 L"), ("oxygen saturation", "93%"),
         ("oxygen saturation", "88%")]),
    "the_same_value_in_another_unit_in_parentheses_is_a_result_too": (
        "His temperature was 99.7°F (37.6°C) and hemoglobin 9.8 g/dL (12-16 g/dL).",
        [("temperature", "99.7°F"), ("temperature", "37.6°C"), ("hemoglobin", "9.8 g/dL")]),
    "a_bare_number_before_what_it_counts_is_no_further_value": (
        "Her lactate was 4 and 3 bags of platelets were transfused.", [("lactate", "4")]),
    "a_bare_number_counting_people_is_no_further_value_of_a_score": (
        "The GCS was 9 and 2 relatives were present.", [("GCS", "9")]),
    "a_bare_number_counting_sets_of_a_test_is_no_value_of_the_test_before": (
        "His troponin was 0.4 and 2 sets of blood cultures were sent.", [("troponin", "0.4")]),
    "a_bare_number_ending_the_sentence_goes_on_the_series": (
        "Her Apgar scores were 6 and 8.", [("Apgar scores", "6"), ("Apgar scores", "8")]),
    "a_bare_number_before_a_preposition_goes_on_the_series": (
        "Her NIHSS score was 12 and 4 after thrombolysis.",
        [("NIHSS score", "12"), ("NIHSS score", "4")]),
    "a_value_after_a_drug_named_as_the_time_of_treatment_goes_on_the_tests_trend": (
        "Her serum ferritin fell from 900 ng/mL before deferasirox to 300 ng/mL.",
        [("serum ferritin", "900 ng/mL"), ("serum ferritin", "300 ng/mL")]),
    "each_grade_of_strength_given_limb_by_limb_is_a_result": (
        "He had 4/5 strength in the left arm, 2/5 in the left leg and 5/5 on the right.",
        [("strength", "4/5"), ("strength", "2/5"), ("strength", "5/5")]),
    "a_grade_strength_fell_to_is_its_result": (
        "By evening his power had fallen to 1/5 in both legs.", [("power", "1/5")]),
    "a_grade_a_test_improved_to_is_the_tests_not_the_improvements": (
        "Her strength improved to 4/5.", [("strength", "4/5")]),
    "a_score_before_the_scale_it_is_on_is_the_scales_result": (
        "She scored 6/9 on the Beighton scale.", [("Beighton scale", "6/9")]),
    "a_grade_out_of_six_after_a_murmur_is_its_measure": (
        "A systolic murmur of 3/6 was heard at the apex.", [("systolic murmur", "3/6")]),
    "a_value_a_procedures_measure_was_reduced_to_is_its_result": (
        "Her left atrial function was reduced to 40%.", [("left atrial function", "40%")]),
    "a_remark_in_parentheses_after_the_tests_words_is_passed_over": (
        "His ferritin level (chemiluminescence) fell from 900 ng/mL to 300 ng/mL.",
        [("ferritin", "900 ng/mL"), ("ferritin", "300 ng/mL")]),
    "values_of_a_trend_each_with_its_time_are_results": (
        "Her CRP was 120 mg/L on day 2 and 40 mg/L on day 5, and creatinine 2.1 mg/dL after "
        "3 months and 1.4 mg/dL after 6 months.",
        [("CRP", "120 mg/L"), ("CRP", "40 mg/L"), ("creatinine", "2.1 mg/dL"),
         ("creatinine", "1.4 mg/dL")]),
    "a_bare_number_after_a_time_is_no_further_value": (
        "Hemoglobin was 9 g/dL after 2 days and 3 units were given.",
        [("Hemoglobin", "9 g/dL")]),
    "each_organism_a_culture_grew_is_its_result": (
        "Sputum cultures grew Haemophilus influenzae and S. aureus on two occasions.",
        [("Sputum cultures", "Haemophilus influenzae"), ("Sputum cultures", "S. aureus")]),
    "a_culture_that_grew_no_named_organism_has_no_result": (
        "Her culture grew from day 2 onwards.", []),
    "a_weight_before_a_finding_measures_it": (
        "She reported a 2–3 kg weight loss over one month.", [("weight loss", "2–3 kg")]),
    "a_size_before_a_lesion_describes_the_lesion_and_a_time_how_long": (
        "A 5 cm mass was found after 3 days fever.", []),
    "a_procedures_score_out_of_its_maximum_after_was_is_its_result": (
        "Best corrected visual acuity was 20/200 in the right eye.",
        [("visual acuity", "20/200")]),
    "a_date_with_a_slash_after_a_procedure_is_no_score": ("The CT on 3/12 showed a mass.", []),
    "lymph_nodes_involved_out_of_those_examined_are_a_count_of_nodes": (
        "Tumour was present in 4 of 19 dissected lymph nodes and 1/6 nodes of level II.",
        [("lymph nodes", "4 of 19")]),
    "surgical_margins_are_a_pathology_result": (
        "The surgical margins were negative.", [("surgical margins", "negative")]),
    "a_date_with_a_slash_after_a_finding_is_no_measure": (
        "Fever recurred on 3/9 and settled.", []),
}


@pytest.mark.parametrize(("sentence", "expected"), IN_ORDER.values(), ids=IN_ORDER.keys())
def test_a_sentence_gives_these_results_in_text_order(
        terminology: Terminology, sentence: str, expected: list[tuple[str, str]]) -> None:
    report = extract(ADMITTED + sentence, "t", terminology)
    assert [(m.text, m.result.text) for m in report.patients[0].mentions if m.result] == expected


def test_an_organism_name_before_a_measured_thing_is_no_disorder(
        terminology: Terminology) -> None:
    report = extract(ADMITTED + "HBV DNA was undetectable.", "t", terminology)
    assert not [m for m in report.patients[0].mentions if m.kind is MentionKind.DISORDER]


def test_a_graded_positive_result_is_kept_as_written(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. The tumour cells showed focal positivity for "
                     "CD99 and were strongly positive for vimentin.", "t", terminology)
    results = {m.text: (m.result.text, m.result.qualitative) for m in report.patients[0].mentions
               if m.result}
    assert results["CD99"] == ("focal positivity", Qualitative.POSITIVE)
    assert results["vimentin"] == ("strongly positive", Qualitative.POSITIVE)


def test_drugs_in_a_susceptibility_result_are_tests_not_treatments(
    terminology: Terminology
) -> None:
    report = extract("A 58-year-old man was admitted. The isolate was resistant to ampicillin and "
                     "susceptible to ceftriaxone. He was given ceftriaxone.", "t", terminology)
    found = [(m.kind, m.text, m.result.qualitative if m.result else None)
             for m in report.patients[0].mentions]
    assert found == [(MentionKind.LAB_TEST, "ampicillin", Qualitative.RESISTANT),
                     (MentionKind.LAB_TEST, "ceftriaxone", Qualitative.SUSCEPTIBLE),
                     (MentionKind.MEDICATION, "ceftriaxone", None)]


@pytest.mark.parametrize(("sentence", "drug", "reading"), [
    ("The cultured strain was sensitive to cefazolin.", "cefazolin", Qualitative.SUSCEPTIBLE),
    ("Testing of the isolate showed resistance to oxacillin.", "oxacillin", Qualitative.RESISTANT),
    ("The organism proved resistant to trimethoprim-sulfamethoxazole.",
     "trimethoprim-sulfamethoxazole",
     Qualitative.RESISTANT),
])
def test_other_wordings_of_a_susceptibility_result_are_tests(
    terminology: Terminology, sentence: str, drug: str, reading: Qualitative
) -> None:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    found = [(m.kind, m.result.qualitative if m.result else None)
             for m in report.patients[0].mentions if m.text == drug]
    assert found == [(MentionKind.LAB_TEST, reading)]


def test_a_tumour_resistant_to_a_drug_was_treated_with_it(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. The tumour was resistant to imatinib.",
                     "t", terminology)
    assert [m.kind for m in report.patients[0].mentions if m.text == "imatinib"] == \
        [MentionKind.MEDICATION]


def test_a_drug_with_its_dose_stays_a_treatment(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. He received prednisone 40 mg/d and "
                     "vancomycin 1 g every 12 hours.", "t", terminology)
    kinds = {m.text: m.kind for m in report.patients[0].mentions}
    assert kinds == {"prednisone": MentionKind.MEDICATION, "vancomycin": MentionKind.MEDICATION}


def test_a_pronoun_and_a_verb_name_no_test(terminology: Terminology) -> None:
    assert "She had" not in _results(terminology, "She had 100% oxygen saturation on room air.")


def test_a_value_in_parentheses_after_a_noun_of_judgement_is_the_tests_result(
    terminology: Terminology
) -> None:
    report = extract("A 58-year-old man was admitted. Tests showed a ferritin elevation "
                     "(980 ng/mL) and a sodium deficit (128 mmol/L).", "t", terminology)
    tests = {m.text: m.result for m in report.patients[0].mentions
             if m.kind is MentionKind.LAB_TEST}
    ferritin, sodium = tests["ferritin"], tests["sodium"]
    assert ferritin is not None and ferritin.text == "980 ng/mL"
    assert ferritin.judged is not None and ferritin.judged.qualitative is Qualitative.HIGH
    assert sodium is not None and sodium.text == "128 mmol/L"
    assert sodium.judged is not None and sodium.judged.qualitative is Qualitative.LOW


def test_a_judging_noun_that_names_a_disorder_judges_the_test_and_is_no_condition(
    terminology: Terminology
) -> None:
    report = extract("A 58-year-old man was admitted. Echocardiography showed left "
                     "ventricular ejection fraction (LVEF) depression (40–45%).", "t",
                     terminology)
    mentions = report.patients[0].mentions
    assert not [m for m in mentions if m.text == "depression"]
    tests = [m for m in mentions if m.kind is MentionKind.LAB_TEST]
    # the short form in parentheses repeats the test: one value, under the first name
    assert {m.text for m in tests} == {"left ventricular ejection fraction"}
    assert len({m.result for m in tests}) == 1
    result = tests[0].result
    assert result is not None and result.range is not None and result.text == "40–45%"
    assert result.judged is not None and result.judged.qualitative is Qualitative.LOW


def test_depression_after_no_test_stays_a_condition(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Serum ferritin was normal and he had "
                     "depression (PHQ-9 of 15).", "t", terminology)
    assert [m for m in report.patients[0].mentions if m.text == "depression"]


def test_a_hyphen_joined_result_naming_a_cell_population_is_no_result_of_the_marker(
    terminology: Terminology
) -> None:
    for sentence in ("Her CD8-positive T-cell count was 310 cells/µL.",
                     "CD19-positive cells made up 12% of the sample.",
                     "CD5-negative lymphocytes were 30%."):
        found = _results(terminology, sentence)
        assert "positive" not in found.values() and "negative" not in found.values(), sentence


_INTRODUCTION = "A 61-year-old woman was seen for breathlessness. "


def _observations_of(terminology: Terminology, sentence: str) -> list[dict[str, object]]:
    bundle = Converter(terminology=terminology, validation="structure").convert(
        _INTRODUCTION + sentence, "t").bundle
    return [e["resource"] for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Observation"]


def test_a_value_after_a_long_name_and_its_short_form_gives_one_observation(
        terminology: Terminology) -> None:
    found = _observations_of(terminology, "Lung function testing gave a total lung capacity "
                                          "(TLC) of 4.1 L.")
    assert [(o["code"]["text"], o["valueQuantity"]["value"]) for o in found] == \
        [("total lung capacity", 4.1)]


def test_the_one_observation_of_a_value_points_at_both_names_of_the_test(
        terminology: Terminology) -> None:
    sentence = "Plethysmography measured a total lung capacity (TLC) of 4.1 L."
    (found,) = _observations_of(terminology, sentence)
    offsets = {e["extension"][1]["valueInteger"] for e in found["extension"]}
    at = len(_INTRODUCTION)
    assert {at + sentence.index("total"), at + sentence.index("TLC")} <= offsets


@pytest.mark.parametrize("sentence", [
    "Her renal panel (urea and creatinine) gave 9 and 1.4 mg/dL, respectively.",
    "Serum electrolytes (sodium and potassium) were 128 and 5.9 mmol/L, respectively.",
    "Thyroid function tests (free T4) were 2.9 ng/dL.",
])
def test_a_panel_with_its_members_in_parentheses_leaves_each_value_to_its_member(
        terminology: Terminology, sentence: str) -> None:
    valued = [(o["code"]["text"], o["valueQuantity"]["value"])
              for o in _observations_of(terminology, sentence) if "valueQuantity" in o]
    members = {"urea": 9, "creatinine": 1.4, "sodium": 128, "potassium": 5.9, "free T4": 2.9}
    assert valued and all(members.get(name) == float(value) for name, value in valued), valued


def test_a_member_of_a_panel_keeps_its_own_code(terminology: Terminology) -> None:
    found = _observations_of(terminology, "Serum electrolytes (sodium and potassium) were 128 "
                                          "and 5.9 mmol/L, respectively.")
    coded = {o["code"]["text"]: o["code"].get("coding", []) for o in found
             if "valueQuantity" in o}
    assert set(coded) == {"sodium", "potassium"} and all(coded.values())


def test_a_long_name_inside_parentheses_after_its_short_form_gives_one_observation(
        terminology: Terminology) -> None:
    found = _observations_of(terminology, "Her ALT (alanine aminotransferase) was 80 U/L.")
    assert [(o["code"]["text"], o["valueQuantity"]["value"]) for o in found] == [("ALT", 80)]


def test_a_long_name_does_not_take_the_code_its_short_form_has_elsewhere(
        terminology: Terminology) -> None:
    """"TLC" also reads as a leukocyte count; beside "total lung capacity" it is that."""
    (found,) = _observations_of(terminology, "Body box testing gave a total lung capacity "
                                             "(TLC) of 5.6 L.")
    assert found["code"] == {"text": "total lung capacity"}


def test_values_listed_respectively_after_tests_with_short_forms_go_one_to_each(
        terminology: Terminology) -> None:
    found = _results(terminology, "We measured a residual volume (RV) and a total lung capacity "
                                  "(TLC) of 1.8 L (90% of predicted) and 5.2 L, respectively.")
    assert {k: (v or "")[:5] for k, v in found.items()} == \
        {"residual volume": "1.8 L", "total lung capacity": "5.2 L"}


def test_a_list_after_tests_with_values_of_their_own_takes_the_respective_values(
        terminology: Terminology) -> None:
    found = _results(terminology, "Ascitic fluid had 60% neutrophils and 30% lymphocytes, and "
                                  "albumin and amylase of 1.1 g/dL and 45 U/L, respectively.")
    assert found.get("albumin") == "1.1 g/dL" and found.get("amylase") == "45 U/L"


def test_a_word_judging_the_course_before_a_test_is_its_result(terminology: Terminology) -> None:
    assert _results(terminology, "Later tests showed worsening of liver function.") == \
        {"liver function": "worsening"}
    found = {o["code"]["text"]: o for o in _observations_of(
        terminology, "Later tests showed worsening of liver function.")}
    assert found["liver function"]["interpretation"][0]["coding"][0]["code"] == "W"


def test_a_pair_of_values_in_a_unit_one_test_is_not_reported_in_is_not_split(
        terminology: Terminology) -> None:
    found = _results(terminology, "Blood pressure/heart rate were 150/95 mmHg.")
    assert found.get("heart rate") != "95 mmHg"
    assert all(value is None or "95" not in value or "150" in value for value in found.values())


def test_paired_ranges_of_a_blood_pressure_are_its_components(terminology: Terminology) -> None:
    found = _observations_of(terminology, "Over the day her blood pressure was 100-120/60-70 mmHg.")
    parts = [(c["code"]["coding"][0]["code"], c["valueRange"]["low"]["value"],
              c["valueRange"]["high"]["value"]) for o in found for c in o.get("component", [])]
    assert parts == [("8480-6", 100, 120), ("8462-4", 60, 70)]
    assert not any("dataAbsentReason" in o for o in found)


def test_a_strip_reading_is_coded_as_the_strips_test(terminology: Terminology) -> None:
    found = {o["code"]["text"]: o for o in _observations_of(
        terminology, "A urine dipstick showed 3+ protein.")}
    codes = [c["code"] for c in found["protein"]["code"]["coding"]]
    assert codes == ["20454-5"]
    assert found["protein"]["valueCodeableConcept"]["text"] == "3+"


@pytest.mark.parametrize(("sentence", "name", "grade"), [
    ("Urinalysis showed 2+ glucose.", "glucose", "2+"),
    ("Urinalysis showed 4+ albumin.", "albumin", "4+"),
    ("On the dipstick, glucose was 3+ and ketones were negative.", "glucose", "3+"),
])
def test_a_plus_graded_strip_reading_is_the_strips_test_not_the_blood_test(
        terminology: Terminology, sentence: str, name: str, grade: str) -> None:
    found = {m.text: m for m in extract(INTRO + sentence, "t", terminology).patients[0].mentions}
    assert found[name].result is not None and found[name].result.text == grade
    strip = {"glucose": "lab:urine_glucose_strip", "albumin": "lab:urine_protein_strip"}[name]
    assert found[name].concepts == (strip,)


def test_a_vague_name_with_a_result_still_makes_an_observation(terminology: Terminology) -> None:
    found = _observations_of(terminology, "The boy recovered well after the second course.")
    assert [(o["code"]["text"], o["valueCodeableConcept"]["text"]) for o in found] == \
        [("recovered", "well")]


def test_a_result_word_before_one_modifier_of_a_test_is_its_result(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. He had an abnormal screening chest "
                     "radiograph.", "t", terminology)
    results = {m.text: m.result.qualitative for m in report.patients[0].mentions if m.result}
    assert results == {"chest radiograph": Qualitative.ABNORMAL}


def test_a_result_word_a_lexicon_knows_as_a_finding_still_judges_the_test_after_it(
        terminology: Terminology) -> None:
    found = _results(terminology, "The second echocardiogram showed improvement in left "
                                  "ventricular ejection fraction.")
    assert found.get("left ventricular ejection fraction") == "improvement"


def test_a_list_of_bare_numbers_after_a_score_gives_each_a_value(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. His Glasgow coma scores were 3, 5, and "
                     "8 on the three mornings.", "t", terminology)
    scored = [m.result.text for m in report.patients[0].mentions
              if m.kind is MentionKind.LAB_TEST and m.result]
    assert scored == ["3", "5", "8"]


def test_a_comma_after_a_value_in_one_unit_does_not_join_a_value_in_another(
        terminology: Terminology) -> None:
    found = _results(terminology, "The leukocyte count was 15.2 × 10^9/L, 85% neutrophils.")
    assert found == {"leukocyte count": "15.2 × 10^9/L", "neutrophils": "85%"}


def test_a_bare_number_counting_days_is_no_later_value(terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. The platelet count was 40 and 2 days later "
                     "rose.", "t", terminology)
    assert [m.result.text for m in report.patients[0].mentions if m.result] == ["40"]


def test_a_short_form_joined_by_a_hyphen_names_another_test_than_the_first_part(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Her CPK-BB was 12 U/L.", "t", terminology)
    (test,) = [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]
    assert (test.text, test.concepts) == ("CPK-BB", ())
    assert test.result is not None and test.result.text == "12 U/L"


def test_a_drug_named_as_the_time_of_treatment_is_no_measured_level(
        terminology: Terminology) -> None:
    """"Before deferasirox to 300 ng/mL": the value is the earlier test's; the drug stays a
    treatment instead of becoming a test of its own level."""
    report = extract(ADMITTED + "Her serum ferritin fell from 900 ng/mL before deferasirox to "
                     "300 ng/mL.", "t", terminology)
    kinds = {m.text: m.kind for m in report.patients[0].mentions}
    assert kinds["deferasirox"] is MentionKind.MEDICATION


def test_each_grade_of_strength_names_the_muscle_strength_concept(
        terminology: Terminology) -> None:
    report = extract(ADMITTED + "She had 2/5 strength in the right leg and 4/5 in the left.",
                     "t", terminology)
    graded = [m for m in report.patients[0].mentions if m.result and "/5" in m.result.text]
    assert [m.concepts for m in graded] == [("lab:muscle_strength",)] * 2


def _strength_grades(terminology: Terminology, sentence: str) -> list[str]:
    report = extract(ADMITTED + sentence, "t", terminology)
    return [m.result.text for m in report.patients[0].mentions
            if m.result and m.concepts == ("lab:muscle_strength",)]


@pytest.mark.parametrize(("sentence", "grades"), [
    ("Muscle strength was 4/5 in both legs, and blood cultures were positive in 2/5 bottles.",
     ["4/5"]),
    ("Strength was 4/5 in the arms; the blood cultures were positive in 2/5.", ["4/5"]),
    ("Strength was 4/5 in the arms and 2/5 blood culture sets grew cocci.", ["4/5"]),
    ("Strength was 4/5 in the right arm, 3/5 in the right leg, and 2/5 in the left leg.",
     ["4/5", "3/5", "2/5"]),
])
def test_a_later_grade_rates_strength_only_within_its_clause_and_when_it_counts_nothing(
        terminology: Terminology, sentence: str, grades: list[str]) -> None:
    assert _strength_grades(terminology, sentence) == grades


def test_the_strength_of_a_pulse_is_no_muscle_strength(terminology: Terminology) -> None:
    report = extract(ADMITTED + "The strength of the pulse was 2/4.", "t", terminology)
    assert "lab:muscle_strength" not in {c for m in report.patients[0].mentions
                                         for c in m.concepts}


@pytest.mark.parametrize(("sentence", "judged"), [
    ("Her sodium (131 mmol/L), potassium (3.1 mmol/L [3.5-5.1]) and chloride (99 mmol/L) "
     "levels were low.", {"sodium": "low", "potassium": "low", "chloride": "low"}),
    ("Hemoglobin was 9 g/dL, and CRP and ESR were elevated.", {"Hemoglobin": None}),
    ("Work-up showed raised levels of amylase (410 U/L) and lipase (980 U/L).",
     {"amylase": "raised", "lipase": "raised"}),
    ("Raised amylase (410 U/L) was found; lipase (60 U/L) was checked.",
     {"amylase": "Raised", "lipase": None}),
])
def test_a_judgement_of_a_list_judges_the_values_written_beside_its_items(
        terminology: Terminology, sentence: str, judged: dict[str, str | None]) -> None:
    """A judgement after a list ("… and chloride (99 mmol/L) levels were low") or heading it
    ("raised levels of amylase (410 U/L) and lipase (980 U/L)") judges each value written
    beside its test's name; a value with a verb of its own, or in another clause, is no item
    of the list."""
    report = extract(ADMITTED + sentence, "t", terminology)
    found = {m.text: (m.result.judged.text if m.result and m.result.judged else None)
             for m in report.patients[0].mentions if m.text in judged}
    assert found == judged
