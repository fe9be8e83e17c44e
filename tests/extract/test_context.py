"""ConText: triggers, scopes, terminators, pseudo-triggers and experiencers."""

import pytest

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Span


def _context(sentence: str, target: str, *, about_patient: bool = True,
             test: bool = False, treatment: bool = False, condition: bool = False) -> Context:
    start = sentence.index(target)
    found = context.triggers(sentence, Span(0, len(sentence)))
    return context.assess(sentence, Span(start, start + len(target)), found,
                          about_patient=about_patient, test=test, treatment=treatment,
                          condition=condition)


def test_negation_reaches_forward_through_a_list() -> None:
    sentence = "He denied fever, cough or chest pain."
    assert all(_context(sentence, t).negated for t in ("fever", "cough", "chest pain"))


def test_a_terminator_ends_the_scope() -> None:
    assert not _context("No fever but a severe cough.", "cough").negated
    assert _context("No fever but a severe cough.", "fever").negated


def test_backward_triggers_negate_what_precedes_them() -> None:
    assert _context("Blood cultures were negative.", "Blood cultures").negated
    assert _context("Tuberculosis was ruled out.", "Tuberculosis").negated


def test_a_pseudo_trigger_negates_nothing() -> None:
    assert not _context("There was no change in the rash.", "rash").negated


def test_uncertain_historical_and_family_mentions() -> None:
    assert _context("Suspected pneumonia was treated.", "pneumonia").uncertain
    assert _context("She had a history of asthma.", "asthma").historical
    assert _context("His mother had diabetes.", "diabetes").experiencer is Experiencer.FAMILY


@pytest.mark.parametrize(("sentence", "target"), [
    ("His wife had undergone chemotherapy for breast cancer.", "chemotherapy"),
    ("Her husband had a kidney transplant last year.", "kidney transplant"),
    ("The patient's spouse had tuberculosis.", "tuberculosis"),
])
def test_what_a_spouse_had_is_not_the_patients(sentence: str, target: str) -> None:
    assert _context(sentence, target).experiencer is Experiencer.FAMILY


def test_generic_triggers_apply_only_where_the_patient_is_not_referred_to() -> None:
    sentence = "Transplantation can treat viral diseases, such as AIDS."
    assert _context(sentence, "AIDS", about_patient=False).hypothetical
    assert not _context("He had infections such as otitis.", "otitis").hypothetical


def test_a_negative_result_does_not_negate_the_test_that_found_it() -> None:
    assert not _context("No focal findings on neurologic examination.", "neurologic examination",
                        test=True).negated
    assert not _context("PCR of CSF was negative for enterovirus.", "PCR", test=True).negated
    assert not _context("On a PET scan, metastases were not found.", "PET scan", test=True).negated
    assert _context("On a PET scan, metastases were not found.", "metastases").negated


def test_a_test_or_treatment_not_carried_out_is_negated() -> None:
    assert _context("A biopsy was not performed.", "biopsy", test=True).negated
    assert _context("She refused surgery.", "surgery").negated
    assert _context("The patient declined chemotherapy.", "chemotherapy").negated
    assert _context("He did not receive antibiotics.", "antibiotics").negated


def test_absence_stated_after_a_list_negates_the_whole_list() -> None:
    sentence = "Steatosis, necrosis, or portal fibrosis were not observed."
    assert all(_context(sentence, t).negated for t in ("Steatosis", "necrosis", "fibrosis"))
    assert _context("Troponin was normal, thereby ruling out infarction.", "infarction").negated
    assert _context("The scan failed to identify a source of bleeding.", "bleeding").negated


def test_a_diagnosis_that_cannot_be_excluded_is_uncertain_not_negated() -> None:
    for sentence in ("Sepsis cannot be excluded.", "Sepsis could not be ruled out."):
        ctx = _context(sentence, "Sepsis")
        assert ctx.uncertain and not ctx.negated


def test_negation_stops_at_other_than_and_at_a_new_subject() -> None:
    assert not _context("She denied trauma other than a fall.", "fall").negated
    assert not _context("He left without complication and his anemia improved.", "anemia").negated
    assert not _context("Weight rose without changing the dose of insulin.", "insulin").negated


def test_no_further_negates_what_follows() -> None:
    assert _context("No further bleeding was noted.", "bleeding").negated


def test_a_new_clause_after_a_comma_ends_the_scope() -> None:
    sentence = "Because she declined surgery, she will continue with medical management."
    assert _context(sentence, "surgery").negated
    assert not _context(sentence, "medical management").negated


def test_no_symptoms_of_reaches_through_a_long_list() -> None:
    sentence = "There were no symptoms of nausea, vomiting, fever, or shaking chills."
    assert _context(sentence, "chills").negated


def test_non_negates_the_word_it_is_joined_to_and_nothing_after() -> None:
    sentence = "The abdomen was soft and non-distended, with non-tender hepatomegaly."
    assert _context(sentence, "distended").negated
    assert not _context(sentence, "hepatomegaly").negated


def test_a_term_that_begins_with_non_is_not_negated_by_it() -> None:
    assert not _context("She had non-Hodgkin lymphoma.", "non-Hodgkin lymphoma").negated


def test_a_coordinate_clause_with_its_own_verb_or_subject_ends_the_scope() -> None:
    for sentence in ("She denied dyspnea and was discharged on aspirin.",
                     "There was no fever and he had a productive cough."):
        assert _context(sentence, sentence.split()[-1].rstrip(".")).negated is False
    assert _context("There was no fever and no cough.", "cough").negated


@pytest.mark.parametrize("sentence, target", [
    ("His father had colon cancer and was later diagnosed with gastric cancer.", "gastric cancer"),
    ("Her sister had psoriasis and was treated with methotrexate.", "methotrexate"),
])
def test_a_coordinate_clause_that_keeps_its_subject_keeps_the_family_experiencer(
        sentence: str, target: str) -> None:
    assert _context(sentence, target).experiencer is Experiencer.FAMILY


def test_a_coordinate_clause_that_keeps_its_subject_keeps_the_history() -> None:
    assert _context("She had a history of gout and underwent a knee replacement.",
                    "knee replacement").historical


def test_a_coordinate_clause_still_ends_negation_and_a_new_subject_ends_the_family() -> None:
    sentence = "He denied abdominal pain and was admitted with a high fever."
    assert _context(sentence, "abdominal pain").negated
    assert not _context(sentence, "high fever").negated
    sentence = "Her aunt had epilepsy and the patient had migraines."
    assert _context(sentence, "migraines").experiencer is Experiencer.PATIENT


def test_a_trigger_after_a_long_list_reaches_its_first_item() -> None:
    sentence = ("Stool culture, a urine antigen test (for legionella), serum galactomannan "
                "or a sweat chloride test were not performed.")
    assert all(_context(sentence, t, test=True).negated
               for t in ("Stool culture", "urine antigen test", "sweat chloride test"))


@pytest.mark.parametrize("sentence, kept, negated", [
    ("The scan showed a hepatic cyst, then ascites, pleural effusion or enlarged nodes were "
     "not seen.", "hepatic cyst", ("ascites",)),
    ("Ultrasound depicted a splenic cyst, and free fluid, gallstones or dilated biliary ducts "
     "were not identified.", "splenic cyst", ("free fluid", "gallstones")),
    ("Sputum grew Klebsiella susceptible to meropenem, and blood, urine and pleural fluid "
     "cultures were not done.", "meropenem", ()),
])
def test_a_trigger_after_a_list_does_not_reach_back_into_the_clause_before_it(
        sentence: str, kept: str, negated: tuple[str, ...]) -> None:
    assert not _context(sentence, kept).negated
    assert all(_context(sentence, t).negated for t in negated)


def test_a_list_after_a_clause_ended_by_comma_and_is_still_negated_whole() -> None:
    sentence = ("He had coughed for a month, and chills, drenching night sweats or unintended "
                "weight loss were absent.")
    assert not _context(sentence, "coughed").negated
    assert all(_context(sentence, t).negated for t in ("chills", "night sweats"))


def test_an_item_before_a_serial_comma_and_is_negated_with_its_list() -> None:
    sentence = ("Cervical lymphadenopathy, hepatosplenomegaly, and a pulsatile epigastric "
                "abdominal mass were not seen.")
    assert all(_context(sentence, t).negated
               for t in ("lymphadenopathy", "hepatosplenomegaly", "mass"))


@pytest.mark.parametrize("sentence, kept", [
    ("Meningitis, diagnosed on lumbar puncture, encephalitis and a brain abscess were "
     "excluded.", "Meningitis"),
    ("Sarcoidosis, proven by biopsy, tuberculosis and lymphoma were excluded.", "Sarcoidosis"),
    ("Cholangitis, treated with antibiotics, a liver abscess and portal vein thrombosis were "
     "excluded.", "Cholangitis"),
])
def test_a_participle_phrase_is_no_list_item_so_what_it_describes_stays_asserted(
        sentence: str, kept: str) -> None:
    assert not _context(sentence, kept).negated
    assert _context(sentence, sentence.split(", ")[-1].split()[-3]).negated


def test_participles_that_modify_a_noun_keep_a_list_together() -> None:
    sentence = ("Enlarged lymph nodes, dilated bile ducts, thickened bowel loops or free "
                "intraperitoneal air were not seen.")
    assert all(_context(sentence, t).negated
               for t in ("lymph nodes", "bile ducts", "bowel loops", "intraperitoneal air"))


@pytest.mark.parametrize("sentence, target", [
    ("Percutaneous drainage was advised by the surgeons.", "drainage"),
    ("Radiotherapy was recommended, but the family refused it.", "Radiotherapy"),
    ("She was advised to have a screening colonoscopy.", "colonoscopy"),
    ("Stent placement and dilation were offered at the follow-up visit.", "Stent placement"),
])
def test_an_advised_or_recommended_procedure_is_hypothetical(sentence: str, target: str) -> None:
    assert _context(sentence, target).hypothetical


def test_a_procedure_done_as_advised_is_not_hypothetical() -> None:
    assert not _context("A colectomy was done as the surgeons had advised.",
                        "colectomy").hypothetical


def test_a_test_not_done_is_not_done_and_a_negative_one_is_only_negated() -> None:
    sentence = "Serum ferritin, a stool culture, a blood smear and an ultrasound were not done."
    assert all(_context(sentence, t).not_done for t in ("ferritin", "stool culture"))
    ctx = _context("Serum ferritin and a stool culture were negative.", "ferritin")
    assert ctx.negated and not ctx.not_done


@pytest.mark.parametrize("sentence, first", [
    ("Signs of peritonitis, free air, small bowel obstruction or a pelvic collection were not "
     "seen.", "peritonitis"),
    ("On admission, her jaundice, pruritus, dark urine or pale stools were not found.",
     "jaundice"),
])
def test_a_list_negation_reaches_a_first_item_with_words_of_its_own_before_it(
        sentence: str, first: str) -> None:
    assert _context(sentence, first).negated


@pytest.mark.parametrize("sentence, last", [
    ("She reported no history of recurrent headaches, visual loss, joint swelling, oral ulcers, "
     "hair loss, morning stiffness or skin rash.", "skin rash"),
    ("He denied chest tightness, exertional dyspnoea, orthopnoea, leg swelling, loss of "
     "consciousness, palpitations and nocturnal cough.", "nocturnal cough"),
])
def test_a_forward_negation_reaches_the_last_item_of_a_long_list(sentence: str,
                                                                 last: str) -> None:
    assert _context(sentence, last).negated


def test_a_forward_negation_does_not_reach_past_a_new_clause_after_its_list() -> None:
    sentence = ("There was no nausea, vomiting, diarrhoea or abdominal pain, and the "
                "examination later showed marked hepatomegaly.")
    assert _context(sentence, "abdominal pain").negated
    assert not _context(sentence, "hepatomegaly").negated


@pytest.mark.parametrize("sentence, absent", [
    ("The lack of fever made an abscess less likely.", "fever"),
    ("The biopsy lacked granulomas.", "granulomas"),
    ("The criteria for Kawasaki disease were not met.", "Kawasaki disease"),
    ("Diagnostic criteria for vasculitis were not fulfilled.", "vasculitis"),
    ("Meningeal signs were not present.", "Meningeal signs"),
    ("A murmur was not appreciated on auscultation.", "murmur"),
    ("Gallstones were not visualized.", "Gallstones"),
    ("He presented to clinic denying any chest pain.", "chest pain"),
    ("He has not demonstrated any hearing loss.", "hearing loss"),
])
def test_lack_of_unmet_criteria_and_absence_not_appreciated_negate(sentence: str,
                                                                   absent: str) -> None:
    assert _context(sentence, absent).negated


@pytest.mark.parametrize("sentence, kept", [
    ("Imaging showed no lesion responsible for her seizures.", "seizures"),
    ("There was no response to intravenous corticosteroids.", "corticosteroids"),
    ("The rash did not respond to topical antifungals.", "topical antifungals"),
])
def test_what_a_negated_noun_is_related_to_stays_asserted(sentence: str, kept: str) -> None:
    assert not _context(sentence, kept).negated


def test_a_negated_noun_before_related_to_words_is_still_negated() -> None:
    assert _context("Imaging showed no lesion responsible for her seizures.", "lesion").negated


@pytest.mark.parametrize("sentence, planned", [
    ("He was discharged awaiting a liver transplant.", "liver transplant"),
    ("She remains on the list, waiting for a kidney transplant.", "kidney transplant"),
])
def test_an_awaited_procedure_is_hypothetical(sentence: str, planned: str) -> None:
    assert _context(sentence, planned).hypothetical


def test_a_procedure_scheduled_is_one_done_as_case_reports_tell_it() -> None:
    assert not _context("She was scheduled for an elective cholecystectomy.",
                        "cholecystectomy").hypothetical


@pytest.mark.parametrize("sentence, persists", [
    ("There was no improvement in her dyspnoea after diuresis.", "dyspnoea"),
    ("Paracetamol did not improve his headache.", "headache"),
    ("Two weeks of antibiotics did not resolve the fever.", "fever"),
    ("She reported no relief of the abdominal pain.", "abdominal pain"),
])
def test_a_finding_that_does_not_improve_is_asserted(sentence: str, persists: str) -> None:
    assert not _context(sentence, persists).negated


def test_a_pseudo_trigger_denies_its_own_words_but_not_what_follows() -> None:
    sentence = "There was no improvement of the oedema."
    assert _context(sentence, "improvement").negated
    assert not _context(sentence, "oedema").negated
    assert not _context("Gram negative rods grew.", "negative").negated


def test_a_short_scope_trigger_does_not_reach_far_into_a_run_of_nouns() -> None:
    sentence = ("She had no fever on admission, cough, dyspnoea, haemoptysis, pleuritic pain "
                "and weight loss.")
    assert _context(sentence, "fever").negated
    assert not _context(sentence, "weight loss").negated


@pytest.mark.parametrize("sentence, treatment", [
    ("The excision margins were negative for carcinoma.", "excision"),
    ("After lobectomy the bronchial stump was negative.", "lobectomy"),
])
def test_a_negative_result_does_not_negate_the_treatment_it_tells_of(sentence: str,
                                                                      treatment: str) -> None:
    assert not _context(sentence, treatment, treatment=True).negated


def test_a_treatment_not_given_is_still_negated() -> None:
    assert _context("She was discharged without surgery.", "surgery", treatment=True).negated
    assert _context("Chemotherapy was not given.", "Chemotherapy", treatment=True).negated


@pytest.mark.parametrize("sentence, kept", [
    ("As she declined adjuvant radiotherapy, local recurrence was found within a year.",
     "local recurrence"),
    ("Since he had no fever, pneumonia was considered unlikely.", "pneumonia"),
])
def test_a_negation_in_an_opening_subordinate_clause_ends_at_its_comma(sentence: str,
                                                                      kept: str) -> None:
    assert not _context(sentence, kept).negated


def test_an_opening_clause_keeps_its_list_negated_up_to_the_main_clause() -> None:
    sentence = "Because he denied fever, cough or dyspnoea, he was sent home."
    assert all(_context(sentence, t).negated for t in ("fever", "cough", "dyspnoea"))


@pytest.mark.parametrize(("sentence", "target"), [
    ("Mechanical ventilation was not necessary.", "Mechanical ventilation"),
    ("A blood transfusion was not needed during the stay.", "blood transfusion"),
    ("Dialysis was not required.", "Dialysis"),
    ("It was not necessary to start dialysis.", "dialysis"),
    ("There was no need for surgery.", "surgery"),
    ("The planned biopsy was cancelled.", "biopsy"),
])
def test_care_the_text_calls_unneeded_or_cancelled_is_not_done(sentence: str,
                                                                target: str) -> None:
    assert _context(sentence, target).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("She recovered without complications following the cholecystectomy.", "cholecystectomy"),
    ("There was no improvement despite dialysis.", "dialysis"),
    ("No response was seen in spite of plasma exchange.", "plasma exchange"),
])
def test_following_and_despite_end_a_negations_scope(sentence: str, target: str) -> None:
    assert not _context(sentence, target).negated


def test_the_risks_of_a_procedure_are_no_procedure_done() -> None:
    assert _context("She was told about the risks of surgery.", "surgery").hypothetical


def test_was_negative_for_negates_what_follows_not_what_was_tested() -> None:
    sentence = "The lesion was negative for malignancy."
    assert _context(sentence, "malignancy").negated
    assert not _context(sentence, "lesion").negated
    sentence = "Serologies were negative for hepatitis B, hepatitis C and HIV infection."
    assert _context(sentence, "HIV infection").negated


@pytest.mark.parametrize(("sentence", "targets"), [
    ("There was no evidence of the following: ascites, jaundice, or splenomegaly.",
     ("ascites", "jaundice", "splenomegaly")),
    ("He denied the following symptoms: fever, chills, or weight loss.",
     ("fever", "chills", "weight loss")),
    ("Workup was negative for the following: tuberculosis, sarcoidosis and lymphoma.",
     ("tuberculosis", "sarcoidosis", "lymphoma")),
])
def test_the_following_opens_a_negated_list_rather_than_ending_the_scope(
        sentence: str, targets: tuple[str, ...]) -> None:
    assert all(_context(sentence, t).negated for t in targets)


def test_unneeded_care_reaches_back_to_the_care_not_forward_past_it() -> None:
    sentence = "A biopsy was not needed as MRI showed a typical hemangioma."
    assert _context(sentence, "biopsy", test=True).negated
    assert not _context(sentence, "MRI", test=True).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("She had mild anemia and transfusion was not required.", "anemia"),
    ("He developed pneumonia and surgery was cancelled.", "pneumonia"),
])
def test_care_not_done_leaves_the_condition_asserted(sentence: str, target: str) -> None:
    assert not _context(sentence, target, condition=True).negated


@pytest.mark.parametrize(("sentence", "target", "kind"), [
    ("While awaiting surgery he developed a pulmonary embolism.", "pulmonary embolism",
     {"condition": True}),
    ("Awaiting biopsy results, the patient developed high fever.", "high fever",
     {"condition": True}),
    ("Awaiting biopsy results, the patient developed high fever.", "high fever", {}),
    ("Empirical antibiotics were started while awaiting blood culture results.",
     "blood culture", {"test": True}),
])
def test_awaiting_makes_neither_an_event_nor_a_test_awaiting_results_hypothetical(
        sentence: str, target: str, kind: dict[str, bool]) -> None:
    assert not _context(sentence, target, **kind).hypothetical


def test_awaited_care_is_still_to_come_but_care_given_meanwhile_is_not() -> None:
    sentence = "While awaiting surgery he received intravenous antibiotics."
    assert _context(sentence, "surgery", treatment=True).hypothetical
    assert not _context(sentence, "antibiotics").hypothetical


@pytest.mark.parametrize("sentence", [
    "Due to a lack of clinical improvement, an exploratory laparotomy was performed.",
    "Because of a lack of response, an exploratory laparotomy was performed.",
    "In view of the lack of oral intake, an exploratory laparotomy was performed.",
])
def test_a_lack_that_prompted_care_does_not_negate_the_care(sentence: str) -> None:
    assert not _context(sentence, "exploratory laparotomy", treatment=True).negated


@pytest.mark.parametrize(("sentence", "denied", "kept"), [
    ("Auscultation revealed no murmur and a loud second heart sound.", "murmur",
     "loud second heart sound"),
    ("There was no hepatomegaly and an enlarged spleen was palpable.", "hepatomegaly",
     "enlarged spleen"),
    ("MRI showed the absence of hydrocephalus and a cerebellar hematoma.", "hydrocephalus",
     "cerebellar hematoma"),
])
def test_a_new_noun_phrase_after_and_ends_a_forward_negation(sentence: str, denied: str,
                                                             kept: str) -> None:
    assert _context(sentence, denied).negated
    assert not _context(sentence, kept).negated


@pytest.mark.parametrize(("sentence", "targets"), [
    ("Sarcoidosis and a lymphoproliferative disorder were excluded by biopsy.",
     ("Sarcoidosis", "lymphoproliferative disorder")),
    ("There was no ascites or a pleural effusion.", ("ascites", "pleural effusion")),
])
def test_a_determiner_after_a_conjunction_keeps_backward_and_or_lists_negated(
        sentence: str, targets: tuple[str, ...]) -> None:
    assert all(_context(sentence, t).negated for t in targets)


@pytest.mark.parametrize(("sentence", "items"), [
    ("There was no clinical or serological evidence of hepatitis B, hepatitis C, or "
     "autoimmune hepatitis.", ("hepatitis B", "hepatitis C", "autoimmune hepatitis")),
    ("No radiological features of osteomyelitis, septic arthritis or a soft-tissue abscess "
     "were present.", ("osteomyelitis", "septic arthritis", "soft-tissue abscess")),
])
def test_a_denied_noun_of_a_list_reaches_every_item(sentence: str,
                                                    items: tuple[str, ...]) -> None:
    assert all(_context(sentence, t).negated for t in items)


def test_a_denied_noun_for_a_disease_does_not_deny_the_disease() -> None:
    sentence = "He had no risk factors for deep vein thrombosis, stroke or myocardial infarction."
    assert not _context(sentence, "myocardial infarction").negated


@pytest.mark.parametrize(("sentence", "denied"), [
    ("Granulomatous diseases such as tuberculosis or sarcoidosis were excluded.",
     "Granulomatous diseases"),
    ("Hereditary spherocytosis, thalassemia and G6PD deficiency were excluded.",
     "Hereditary spherocytosis"),
    ("Aortic dissection (AD), pulmonary embolism (PE) and pneumothorax were ruled out.", "AD"),
])
def test_what_was_excluded_is_negated_through_a_list_or_its_examples(sentence: str,
                                                                     denied: str) -> None:
    assert _context(sentence, denied).negated


@pytest.mark.parametrize(("sentence", "kept", "kind"), [
    ("She was started on heparin, and pulmonary embolism was excluded.", "heparin", {}),
    ("After two weeks of antibiotics, endocarditis was ruled out.", "antibiotics", {}),
    ("He had chronic kidney disease, and renal artery stenosis was excluded.",
     "chronic kidney disease", {"condition": True}),
])
def test_an_exclusion_does_not_reach_back_over_a_comma_into_another_clause(
        sentence: str, kept: str, kind: dict[str, bool]) -> None:
    assert not _context(sentence, kept, **kind).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("Lymphoma was not excluded, and a biopsy was planned.", "Lymphoma"),
    ("Endocarditis was not ruled out.", "Endocarditis"),
    ("A malignant transformation was not unlikely.", "malignant transformation"),
])
def test_a_denied_exclusion_leaves_the_diagnosis_uncertain(sentence: str, target: str) -> None:
    ctx = _context(sentence, target)
    assert ctx.uncertain and not ctx.negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("It is not uncommon for such patients to develop seizures.", "seizures"),
    ("The procedure was not without complications.", "complications"),
    ("She no longer had headaches after the shunt revision.", "headaches"),
    ("The rash was no longer visible at discharge.", "rash"),
])
def test_double_negatives_and_no_longer_deny_nothing(sentence: str, target: str) -> None:
    assert not _context(sentence, target).negated


@pytest.mark.parametrize(("sentence", "denied", "kept"), [
    ("Without anticoagulation, the thrombus progressed.", "anticoagulation", "thrombus"),
    ("Without fever, chills or night sweats, she was discharged home.", "night sweats", None),
])
def test_an_opening_without_phrase_ends_at_its_comma(sentence: str, denied: str,
                                                    kept: str | None) -> None:
    assert _context(sentence, denied).negated
    if kept:
        assert not _context(sentence, kept).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("She presented with a 4-day history of fever and productive cough.", "productive cough"),
    ("He had a two-week history of dysphagia.", "dysphagia"),
    ("A 3 months' history of back pain preceded the admission.", "back pain"),
])
def test_the_duration_of_the_present_illness_is_no_past_history(sentence: str,
                                                                 target: str) -> None:
    ctx = _context(sentence, target)
    assert not ctx.historical and not ctx.negated


def test_a_history_of_is_still_past_history() -> None:
    assert _context("She had a history of deep vein thrombosis.",
                    "deep vein thrombosis").historical


@pytest.mark.parametrize(("sentence", "target"), [
    ("Paraprotein could not be detected by immunofixation.", "Paraprotein"),
    ("Circulating blasts were not detectable.", "Circulating blasts"),
    ("A source of bleeding could not be identified.", "bleeding"),
    ("Headache and photophobia were denied.", "photophobia"),
    ("Since the operation she has been free from seizures.", "seizures"),
])
def test_absence_stated_in_other_words_negates(sentence: str, target: str) -> None:
    assert _context(sentence, target).negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("Tuberculous pericarditis was unlikely given the negative culture.",
     "Tuberculous pericarditis"),
    ("It seemed unlikely that the effusion was malignant.", "effusion"),
])
def test_an_unlikely_diagnosis_is_uncertain_not_denied(sentence: str, target: str) -> None:
    ctx = _context(sentence, target)
    assert ctx.uncertain and not ctx.negated


def test_an_unlikely_diagnosis_leaves_the_finding_before_its_clause_asserted() -> None:
    ctx = _context("Fever was present, and infection was unlikely.", "Fever")
    assert not ctx.uncertain and not ctx.negated


def test_unlikely_does_not_reach_what_its_reason_denies() -> None:
    ctx = _context("Infection was unlikely given the absence of fever.", "fever")
    assert ctx.negated and not ctx.uncertain


def test_what_a_test_looks_for_or_a_worry_fears_is_no_condition_of_the_patient() -> None:
    assert _context("Serology was sent to exclude hepatitis.", "hepatitis",
                    condition=True).hypothetical
    assert _context("She was screened for tuberculosis before biologic therapy.", "tuberculosis",
                    condition=True).hypothetical
    assert _context("Surgery was delayed over concerns about bleeding.", "bleeding",
                    condition=True).hypothetical
    # the test named after "testing for" is the test itself, done
    assert not _context("Serum testing for antiphospholipid antibodies followed.",
                        "antiphospholipid antibodies", test=True).hypothetical


def test_what_a_feared_complication_arises_from_is_real() -> None:
    sentence = "Stenting was preferred for fear of leakage resulting from the friable wall."
    assert _context(sentence, "leakage", condition=True).hypothetical
    assert not _context(sentence, "friable wall", condition=True).hypothetical


def test_a_diagnosis_entertained_is_uncertain_and_one_set_aside_negated() -> None:
    assert _context("Sarcoidosis was entertained.", "Sarcoidosis", condition=True).uncertain
    assert _context("The picture suggested a viral cause rather than sepsis.", "sepsis",
                    condition=True).negated
    assert _context("The biopsy was inconsistent with lymphoma.", "lymphoma",
                    condition=True).negated


def test_a_worry_reaches_every_item_of_its_list() -> None:
    sentence = ("She declined a further cycle over concerns regarding side effects such as "
                "neuropathy, mucositis, alopecia, diarrhoea and fatigue.")
    assert all(_context(sentence, t, condition=True).hypothetical
               for t in ("neuropathy", "alopecia", "fatigue"))


def test_a_diagnosis_suspected_but_excluded_is_negated_and_the_test_that_excluded_it_done() -> None:
    sentence = "Appendicitis was first suspected but excluded by ultrasound."
    assert _context(sentence, "Appendicitis", condition=True).negated
    ultrasound = _context(sentence, "ultrasound", test=True)
    assert not ultrasound.uncertain and not ultrasound.negated


def test_diagnoses_weighed_in_a_differential_are_uncertain_either_way_round() -> None:
    before = "Gout and septic arthritis were considered in the differential diagnosis."
    assert all(_context(before, t, condition=True).uncertain for t in ("Gout", "septic arthritis"))
    after = "The differential diagnosis included gout and septic arthritis."
    assert _context(after, "septic arthritis", condition=True).uncertain


def test_a_condition_looked_for_is_hypothetical_unless_the_search_denies_it() -> None:
    assert _context("An echocardiogram was done to evaluate for endocarditis.", "endocarditis",
                    condition=True).hypothetical
    found = _context("Testing for brucellosis was negative.", "brucellosis", condition=True)
    assert found.negated and not found.hypothetical


def test_a_clause_after_a_comma_and_a_conjunction_is_out_of_a_denial_in_a_clause_before() -> None:
    assert not _context("Stool cultures were negative for parasites, and mebendazole was given.",
                        "mebendazole").negated
    assert not _context("She had no rash, and arthralgia was present.", "arthralgia").negated
    # the clause the denial opens has its verb before the conjunction
    assert not _context("No rash was seen, and arthralgia developed.", "arthralgia").negated
    assert not _context("No fever was noted, and hepatomegaly was found.", "hepatomegaly").negated
    assert not _context("No fever was noted and hepatomegaly was found.", "hepatomegaly").negated
    assert _context("There were no fever or chills reported.", "chills").negated
    assert _context("He had no fever and chills.", "chills").negated
    # a denial that opens its clause reaches the whole list its verb governs
    assert _context("No rash, arthralgia, and myalgia were reported.", "myalgia").negated


def test_a_relative_clause_or_an_argument_against_denies_forward() -> None:
    assert _context("The stain was negative for mucin, which excluded adenocarcinoma.",
                    "adenocarcinoma", condition=True).negated
    assert _context("Normal procalcitonin argued against bacterial infection.",
                    "bacterial infection", condition=True).negated


def test_a_child_or_twin_of_the_patient_is_family_unless_the_patient_shares_the_finding() -> None:
    assert _context("His daughter was diagnosed with epilepsy.", "epilepsy",
                    condition=True).experiencer is Experiencer.FAMILY
    assert _context("Both he and his father had gout.", "gout",
                    condition=True).experiencer is Experiencer.PATIENT


def test_care_not_started_or_not_indicated_was_not_given() -> None:
    assert _context("Thrombolysis was not started because of the bleeding risk.",
                    "Thrombolysis").not_done
    assert _context("Surgery was not indicated.", "Surgery", treatment=True).not_done
    # a drug the patient did not tolerate was given
    assert not _context("She did not tolerate metformin.", "metformin").negated


def test_a_diagnosis_presumed_or_held_possible_is_uncertain() -> None:
    assert _context("Empirical therapy for presumed endocarditis was begun.", "endocarditis",
                    condition=True).uncertain
    assert _context("Amyloidosis was a possible diagnosis.", "Amyloidosis",
                    condition=True).uncertain
    assert _context("Vasculitis remained a concern.", "Vasculitis", condition=True).uncertain


@pytest.mark.parametrize(("sentence", "target"), [
    ("We excluded pulmonary embolism.", "pulmonary embolism"),
    ("Computed tomography ruled out an abscess.", "abscess"),
    ("The biopsy excluded lymphoma and sarcoidosis.", "sarcoidosis"),
    ("Fever persisted, excluding a viral cause.", "viral cause"),
    ("Meningitis had been excluded.", "Meningitis"),
])
def test_an_active_verb_of_exclusion_refutes_its_object(sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).negated


def test_an_exclusion_ends_at_its_clause() -> None:
    sentence = "Echocardiography excluded endocarditis, and a radiograph showed pneumonia."
    assert not _context(sentence, "pneumonia", condition=True).negated
    assert not _context("Oedema not present, fever was noted.", "fever").negated
    assert _context("Oedema not present, fever was noted.", "Oedema").negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("Her older sister had breast cancer.", "breast cancer"),
    ("His maternal grandmother had diabetes.", "diabetes"),
    ("The patient's two younger brothers had asthma.", "asthma"),
    ("Her son was treated for epilepsy.", "epilepsy"),
    ("His daughters have migraine.", "migraine"),
    ("Her identical twin had lupus.", "lupus"),
    ("His parents both had hypertension.", "hypertension"),
    ("A paternal half-brother had seizures.", "seizures"),
])
def test_a_relative_with_describing_words_is_the_experiencer(sentence: str, target: str) -> None:
    assert _context(sentence, target).experiencer is Experiencer.FAMILY


def test_a_relative_after_the_patients_own_finding_is_not_its_experiencer() -> None:
    sentence = "He had fever and his older brother had asthma."
    assert _context(sentence, "fever").experiencer is Experiencer.PATIENT
    assert _context(sentence, "asthma").experiencer is Experiencer.FAMILY


@pytest.mark.parametrize(("sentence", "target"), [
    ("She received stem cells from her HLA-matched brother.", "stem cells"),
    ("He received a kidney donated by his mother.", "kidney"),
    ("He received a kidney from the father.", "kidney"),
    ("She and her younger sister had a rash.", "rash"),
    ("His daughters refused mechanical ventilation.", "mechanical ventilation"),
    ("Her mother noticed a rash on her legs.", "rash"),
    ("She was admitted with a twin pregnancy.", "twin pregnancy"),
    ("Two sisters presented with lupus.", "lupus"),
    ("Her son was born by caesarean section and she had a postpartum haemorrhage.",
     "postpartum haemorrhage"),
])
def test_a_donor_a_decider_or_the_patient_with_a_relative_is_no_family_experiencer(
        sentence: str, target: str) -> None:
    assert _context(sentence, target).experiencer is Experiencer.PATIENT


def test_a_risk_makes_a_condition_hypothetical_and_leaves_a_test_alone() -> None:
    assert _context("Given the bleeding risk, heparin was stopped.", "bleeding",
                    condition=True).hypothetical
    assert _context("She was at high risk of stroke.", "stroke", condition=True).hypothetical
    assert not _context("The Caprini risk score was 5.", "Caprini", test=True).hypothetical
    assert not _context("Diabetes and smoking were risk factors.", "Diabetes",
                        condition=True).hypothetical


def test_a_diagnosis_the_findings_are_consistent_with_is_not_under_their_denial() -> None:
    sentence = "It showed granulomas without caseation, consistent with sarcoidosis."
    assert _context(sentence, "caseation").negated
    assert not _context(sentence, "sarcoidosis").negated
    assert _context("There were no findings consistent with sarcoidosis.", "sarcoidosis").negated


def test_a_relatives_word_as_a_form_of_address_names_the_patient_not_a_relative() -> None:
    assert _context("Aunt Li has had diabetes for years.", "diabetes").experiencer is (
        Experiencer.PATIENT)
    assert _context("His Aunt had diabetes.", "diabetes").experiencer is Experiencer.FAMILY


@pytest.mark.parametrize(("sentence", "target"), [
    ("Meningitis was initially suspected.", "Meningitis"),
    ("A pulmonary embolism was first suspected on admission.", "pulmonary embolism"),
    ("Sarcoidosis and lymphoma were clinically suspected.", "Sarcoidosis"),
])
def test_a_diagnosis_suspected_with_an_adverb_is_uncertain(sentence: str, target: str) -> None:
    ctx = _context(sentence, target, condition=True)
    assert ctx.uncertain and not ctx.negated


def test_a_diagnosis_ruled_out_with_an_adverb_is_negated() -> None:
    assert _context("Tuberculosis was subsequently ruled out.", "Tuberculosis").negated


@pytest.mark.parametrize(("sentence", "target"), [
    ("Both parents were healthy without a history of asthma.", "asthma"),
    ("Both parents had hypertension.", "hypertension"),
    ("The parents were healthy and had no history of migraine.", "migraine"),
    ("Parents had no psoriasis.", "psoriasis"),
])
def test_what_is_said_of_both_parents_or_of_the_parents_health_is_family(
        sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).experiencer is Experiencer.FAMILY


@pytest.mark.parametrize(("sentence", "target"), [
    ("The parents were told that she had leukaemia.", "leukaemia"),
    ("The infant had a fever.", "fever"),
    ("Both twins had a fever.", "fever"),
])
def test_the_parents_told_of_the_patient_or_a_child_with_a_finding_are_no_family(
        sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).experiencer is Experiencer.PATIENT


def test_a_relative_opening_the_sentence_keeps_it_theirs_past_a_remark_and_a_cause() -> None:
    text = ("A 4-day-old girl was admitted with seizures. Her mother, a 25-year-old farmer, "
            "had been admitted two weeks earlier because of fever and chorioamnionitis.")
    found = context.triggers_in(text, 0, len(text))
    for target in ("fever", "chorioamnionitis"):
        start = text.index(target)
        ctx = context.assess(text, Span(start, start + len(target)), found, condition=True)
        assert ctx.experiencer is Experiencer.FAMILY, target


@pytest.mark.parametrize(("sentence", "target", "negated"), [
    ("His father died due to gastric cancer.", "gastric cancer", False),
    ("There was no fever due to infection.", "infection", False),
])
def test_a_cause_named_with_a_preposition_ends_a_denial_not_a_relatives_scope(
        sentence: str, target: str, negated: bool) -> None:
    ctx = _context(sentence, target, condition=True)
    assert ctx.negated is negated
    assert (ctx.experiencer is Experiencer.FAMILY) is sentence.startswith("His father")


@pytest.mark.parametrize(("sentence", "target"), [
    ("The rash was thought to be erythema multiforme.", "erythema multiforme"),
    ("It was thought that her dyspnoea was consistent with heart failure.", "heart failure"),
    ("The lesion was initially thought to be a lipoma.", "lipoma"),
])
def test_a_diagnosis_thought_of_is_uncertain(sentence: str, target: str) -> None:
    assert _context(sentence, target, condition=True).uncertain


def test_a_referrers_suspicion_is_uncertain() -> None:
    ctx = _context("From the rash on her cheeks I suspect lupus.", "lupus")
    assert ctx.uncertain and not ctx.negated


def test_a_trigger_matches_whatever_white_space_separates_its_words() -> None:
    """A hard-wrapped line or a run of blanks inside a phrase ("negative\\nfor") is the same
    phrase; where two phrases overlap the longer one in words wins, not the one whose span
    holds more blanks."""
    assert _context("The swab was negative\nfor influenza.", "influenza").negated
    assert _context("The knee showed no   evidence of effusion.", "effusion").negated
    assert _context("He did  not have any headache today.", "headache").negated
    found = context.triggers("Result:      negative for malaria.", Span(0, 34))
    assert [t.rule.phrase for t in found] == ["negative for"]
