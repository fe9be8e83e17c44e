"""A broad probe of laboratory results: the tests case reports most often give (blood count
and differential, chemistry, liver, kidney, electrolytes, coagulation, inflammation, heart,
hormones, tumour markers, autoimmune and infection serology, urine, blood gases, CSF, lipids,
iron and vitamins), each by its name and its common short form, its value written in several
units and sentence frames, and judged in words. A test is read when one of the patient's
lab-test mentions is named by the test's words and carries the value.

Every sentence here is written for these tests, in the style of published case reports.
"""

from __future__ import annotations

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 45-year-old woman presented with fatigue. "

#: (name, short form or None, value as written)
TESTS = [
    ("hemoglobin", "Hb", "8.2 g/dL"), ("haemoglobin", "Hgb", "96 g/L"),
    ("hematocrit", "Hct", "28.4%"), ("white blood cell count", "WBC", "14.2 × 10^9/L"),
    ("leukocyte count", "WBC", "12,400/mm3"), ("platelet count", "Plt", "92 × 10^3/µL"),
    ("platelets", "PLT", "450,000/µL"), ("red blood cell count", "RBC", "3.1 × 10^12/L"),
    ("mean corpuscular volume", "MCV", "104 fL"), ("mean corpuscular hemoglobin", "MCH", "24 pg"),
    ("mean corpuscular hemoglobin concentration", "MCHC", "31 g/dL"),
    ("red cell distribution width", "RDW", "17.5%"),
    ("absolute neutrophil count", "ANC", "0.4 × 10^9/L"), ("neutrophils", None, "85%"),
    ("lymphocytes", None, "9%"), ("monocytes", None, "6%"), ("eosinophils", None, "12%"),
    ("basophils", None, "1%"), ("absolute lymphocyte count", "ALC", "0.6 × 10^9/L"),
    ("absolute eosinophil count", "AEC", "1,850/µL"), ("reticulocyte count", None, "4.5%"),
    ("mean platelet volume", "MPV", "11.2 fL"),
    ("serum sodium", "Na", "128 mmol/L"), ("serum potassium", "K", "2.9 mmol/L"),
    ("chloride", "Cl", "98 mEq/L"), ("bicarbonate", "HCO3", "16 mmol/L"),
    ("blood urea nitrogen", "BUN", "45 mg/dL"), ("urea", None, "12.5 mmol/L"),
    ("serum creatinine", "Cr", "2.4 mg/dL"), ("creatinine", None, "180 µmol/L"),
    ("glucose", None, "245 mg/dL"), ("fasting blood glucose", "FBG", "7.8 mmol/L"),
    ("calcium", "Ca", "12.8 mg/dL"), ("ionized calcium", None, "1.45 mmol/L"),
    ("magnesium", "Mg", "1.2 mg/dL"), ("phosphorus", None, "2.1 mg/dL"),
    ("phosphate", None, "0.6 mmol/L"), ("uric acid", None, "9.8 mg/dL"),
    ("estimated glomerular filtration rate", "eGFR", "38 mL/min/1.73 m2"),
    ("anion gap", None, "22 mmol/L"), ("serum osmolality", None, "265 mOsm/kg"),
    ("lactate", None, "4.2 mmol/L"), ("ammonia", None, "98 µmol/L"),
    ("alanine aminotransferase", "ALT", "245 U/L"),
    ("aspartate aminotransferase", "AST", "310 IU/L"), ("alkaline phosphatase", "ALP", "420 U/L"),
    ("gamma-glutamyl transferase", "GGT", "180 U/L"), ("total bilirubin", "TBil", "3.4 mg/dL"),
    ("direct bilirubin", None, "2.1 mg/dL"), ("indirect bilirubin", None, "1.3 mg/dL"),
    ("albumin", "Alb", "2.8 g/dL"), ("total protein", None, "8.9 g/dL"),
    ("globulin", None, "4.1 g/dL"), ("lactate dehydrogenase", "LDH", "890 U/L"),
    ("amylase", None, "560 U/L"), ("lipase", None, "1,240 U/L"),
    ("serum glutamic pyruvic transaminase", "SGPT", "120 U/L"),
    ("serum glutamic oxaloacetic transaminase", "SGOT", "98 U/L"),
    ("troponin I", "TnI", "2.3 ng/mL"), ("troponin T", "TnT", "0.45 ng/mL"),
    ("high-sensitivity troponin T", "hs-TnT", "85 ng/L"), ("creatine kinase", "CK", "3,450 U/L"),
    ("creatine kinase-MB", "CK-MB", "45 ng/mL"),
    ("brain natriuretic peptide", "BNP", "1,250 pg/mL"),
    ("N-terminal pro-brain natriuretic peptide", "NT-proBNP", "8,900 pg/mL"),
    ("myoglobin", None, "560 ng/mL"),
    ("C-reactive protein", "CRP", "112 mg/L"), ("erythrocyte sedimentation rate", "ESR", "85 mm/h"),
    ("procalcitonin", "PCT", "12.5 ng/mL"), ("ferritin", None, "1,850 ng/mL"),
    ("interleukin-6", "IL-6", "145 pg/mL"),
    ("prothrombin time", "PT", "18.5 seconds"), ("international normalized ratio", "INR", "2.8"),
    ("activated partial thromboplastin time", "aPTT", "52 s"), ("fibrinogen", None, "98 mg/dL"),
    ("D-dimer", None, "4.5 µg/mL"), ("antithrombin III", None, "45%"),
    ("total cholesterol", None, "285 mg/dL"), ("triglycerides", "TG", "450 mg/dL"),
    ("low-density lipoprotein cholesterol", "LDL-C", "190 mg/dL"),
    ("high-density lipoprotein cholesterol", "HDL-C", "32 mg/dL"),
    ("serum iron", None, "25 µg/dL"), ("total iron-binding capacity", "TIBC", "450 µg/dL"),
    ("transferrin saturation", None, "8%"), ("vitamin B12", None, "120 pg/mL"),
    ("folate", None, "2.1 ng/mL"), ("25-hydroxyvitamin D", None, "8 ng/mL"),
    ("transferrin", None, "1.8 g/L"), ("serum zinc", None, "45 µg/dL"),
    ("serum copper", None, "40 µg/dL"), ("haptoglobin", None, "10 mg/dL"),
    ("thyroid-stimulating hormone", "TSH", "12.4 mIU/L"), ("free thyroxine", "FT4", "0.6 ng/dL"),
    ("free triiodothyronine", "FT3", "1.8 pg/mL"), ("cortisol", None, "2.1 µg/dL"),
    ("adrenocorticotropic hormone", "ACTH", "145 pg/mL"), ("prolactin", None, "89 ng/mL"),
    ("parathyroid hormone", "PTH", "245 pg/mL"), ("glycated hemoglobin", "HbA1c", "9.2%"),
    ("insulin", None, "45 µIU/mL"), ("C-peptide", None, "0.2 ng/mL"),
    ("beta-human chorionic gonadotropin", "β-hCG", "12,500 mIU/mL"),
    ("testosterone", None, "980 ng/dL"), ("estradiol", None, "45 pg/mL"),
    ("luteinizing hormone", "LH", "35 IU/L"), ("follicle-stimulating hormone", "FSH", "78 IU/L"),
    ("growth hormone", None, "12 ng/mL"), ("insulin-like growth factor 1", "IGF-1", "650 ng/mL"),
    ("aldosterone", None, "32 ng/dL"), ("serum metanephrines", None, "2.5 nmol/L"),
    ("carcinoembryonic antigen", "CEA", "45.2 ng/mL"),
    ("alpha-fetoprotein", "AFP", "1,250 ng/mL"), ("cancer antigen 125", "CA-125", "345 U/mL"),
    ("carbohydrate antigen 19-9", "CA 19-9", "890 U/mL"),
    ("prostate-specific antigen", "PSA", "45 ng/mL"), ("cancer antigen 15-3", "CA 15-3", "78 U/mL"),
    ("neuron-specific enolase", "NSE", "35 ng/mL"), ("beta-2 microglobulin", None, "4.5 mg/L"),
    ("chromogranin A", None, "450 ng/mL"), ("calcitonin", None, "120 pg/mL"),
    ("immunoglobulin G", "IgG", "2,450 mg/dL"), ("immunoglobulin E", "IgE", "1,200 IU/mL"),
    ("immunoglobulin A", "IgA", "45 mg/dL"), ("immunoglobulin M", "IgM", "320 mg/dL"),
    ("complement C3", "C3", "45 mg/dL"), ("complement C4", "C4", "5 mg/dL"),
    ("rheumatoid factor", "RF", "85 IU/mL"),
    ("anti-cyclic citrullinated peptide antibody", "anti-CCP", "120 U/mL"),
    ("anti-double-stranded DNA antibody", "anti-dsDNA", "240 IU/mL"),
    ("anti-streptolysin O", "ASO", "800 IU/mL"), ("IgG4", None, "450 mg/dL"),
    ("CD4 count", None, "120 cells/µL"), ("HIV viral load", None, "45,000 copies/mL"),
    ("anti-thyroid peroxidase antibody", "anti-TPO", "450 IU/mL"),
    ("partial pressure of carbon dioxide", "PaCO2", "58 mmHg"),
    ("partial pressure of oxygen", "PaO2", "55 mmHg"), ("base excess", None, "4.5 mmol/L"),
    ("oxygen saturation", "SaO2", "88%"), ("serum lactate", None, "5.6 mmol/L"),
    ("urine protein", None, "3.5 g/24 h"), ("urine protein-to-creatinine ratio", "UPCR", "4.2 g/g"),
    ("urine sodium", None, "12 mmol/L"), ("24-hour urine protein", None, "2.8 g"),
    ("urine albumin-to-creatinine ratio", "UACR", "350 mg/g"),
    ("urine osmolality", None, "120 mOsm/kg"), ("CSF protein", None, "120 mg/dL"),
    ("CSF glucose", None, "25 mg/dL"), ("CSF white cell count", None, "250 cells/mm3"),
    ("cerebrospinal fluid protein", None, "1.2 g/L"), ("serum ceruloplasmin", None, "8 mg/dL"),
    ("homocysteine", None, "45 µmol/L"), ("serum angiotensin-converting enzyme", "ACE", "95 U/L"),
    ("digoxin level", None, "3.2 ng/mL"), ("lithium level", None, "2.1 mmol/L"),
    ("carboxyhemoglobin", None, "18%"), ("methemoglobin", None, "25%"),
    ("serum tryptase", None, "45 ng/mL"), ("von Willebrand factor antigen", None, "25%"),
    ("factor VIII activity", None, "3%"), ("beta-D-glucan", None, "250 pg/mL"),
]

#: Sentence frames of a test's value ({name}: the test, {value}: its value).
VALUE_FRAMES = [
    "Her {name} was {value}.",
    "Laboratory tests revealed a {name} of {value}.",
    "Laboratory investigations showed {name} {value}.",
    "The {name} level was elevated at {value}.",
    "{Name} was {value} (normal range, 1-10).",
    "Her {name} increased to {value}.",
    "On admission, {name} = {value}.",
    "Her {name}, measured on the day of admission, was {value}.",
]
#: Frames of a short form's value.
SHORT_FRAMES = [
    "Her {name} was {value}.",
    "She had an {name} of {value}.",
    "Laboratory findings: {name}: {value}.",
    "Tests showed {name} {value} [reference range: 1-10].",
]
#: Frames of a test judged in words ({judged}: the words the result must hold).
JUDGED_FRAMES = [
    ("Her {name} was within normal limits.", "within normal limits"),
    ("She had a raised {name}.", "raised"),
    ("The {name} was markedly elevated.", "elevated"),
    ("Her {name} was low.", "low"),
    ("{Name} was normal.", "normal"),
    ("{Name} was unremarkable.", "unremarkable"),
]


def _named_results(terminology: Terminology, sentence: str, name: str) -> list[str]:
    """The result texts, and the texts of the judgements results keep, of the patient's
    lab-test mentions named by ``name``'s words (the mention's words within the name's, or
    the name's within the mention's)."""
    report = extract(INTRO + sentence, "t", terminology)
    low = name.lower()
    results = [m.result for m in report.patients[0].mentions
               if m.kind is MentionKind.LAB_TEST and m.result is not None
               and (m.text.lower() in low or low in m.text.lower())]
    return [r.text for r in results] + [r.judged.text for r in results if r.judged]


def _frame(frame: str, name: str, value: str = "") -> str:
    return frame.format(name=name, Name=name[0].upper() + name[1:], value=value)


@pytest.mark.parametrize("frame", VALUE_FRAMES)
@pytest.mark.parametrize(("name", "value"), [(n, v) for n, _, v in TESTS])
def test_a_named_test_carries_its_value(terminology: Terminology, frame: str, name: str,
                                        value: str) -> None:
    sentence = _frame(frame, name, value)
    assert value in _named_results(terminology, sentence, name), sentence


@pytest.mark.parametrize("frame", SHORT_FRAMES)
@pytest.mark.parametrize(("name", "value"), [(s, v) for _, s, v in TESTS if s])
def test_a_short_form_carries_its_value(terminology: Terminology, frame: str, name: str,
                                        value: str) -> None:
    sentence = _frame(frame, name, value)
    assert value in _named_results(terminology, sentence, name), sentence


@pytest.mark.parametrize(("frame", "judged"), JUDGED_FRAMES)
@pytest.mark.parametrize("name", [n for n, _, _ in TESTS])
def test_a_test_judged_in_words_carries_the_judgement(terminology: Terminology, frame: str,
                                                      judged: str, name: str) -> None:
    sentence = _frame(frame, name, "")
    assert any(judged in r for r in _named_results(terminology, sentence, name)), sentence


def _kinds(terminology: Terminology, sentence: str) -> dict[str, MentionKind]:
    report = extract(INTRO + sentence, "t", terminology)
    return {m.text: m.kind for m in report.patients[0].mentions if m.text != "fatigue"}


@pytest.mark.parametrize(("sentence", "name", "judged"), [
    ("Her estradiol was low.", "estradiol", "low"),
    ("His vitamin B12 was within normal limits.", "vitamin B12", "within normal limits"),
    ("A raised aldosterone was found.", "aldosterone", "raised"),
    ("Testosterone was markedly elevated.", "Testosterone", "elevated"),
    ("The patient was G6PD deficient.", "G6PD", "deficient"),
])
def test_a_substance_judged_as_a_level_is_a_test(terminology: Terminology, sentence: str,
                                                 name: str, judged: str) -> None:
    assert any(judged in r for r in _named_results(terminology, sentence, name)), sentence


@pytest.mark.parametrize(("sentence", "value"), [
    ("Insulin was elevated (45 µIU/mL).", "45 µIU/mL"),
    ("Vitamin D was deficient at 8 ng/mL.", "8 ng/mL"),
    ("Her lithium was 2.8 mEq/L.", "2.8 mEq/L"),
])
def test_a_substance_judged_takes_the_value_after_the_judgement(
        terminology: Terminology, sentence: str, value: str) -> None:
    name = sentence.split(" was")[0].removeprefix("Her ")
    assert value in _named_results(terminology, sentence, name), sentence


@pytest.mark.parametrize(("sentence", "drug"), [
    ("The dose of steroids was high.", "steroids"),
    ("Methotrexate was reduced.", "Methotrexate"),
    ("She received normal saline.", "normal saline"),
    ("He required high insulin doses.", "insulin"),
    ("Recombinant growth hormone was started.", "growth hormone"),
    ("She received growth hormone injections.", "growth hormone"),
    ("Potassium chloride was given.", "Potassium chloride"),
    ("She was given insulin.", "insulin"),
    ("Insulin 10 units was given subcutaneously.", "Insulin"),
    ("Vitamin D supplementation was started.", "Vitamin D"),
    ("Iron supplements were started.", "Iron"),
    ("She was started on calcium and vitamin D.", "vitamin D"),
    ("Heparin 5000 units was given.", "Heparin"),
])
def test_a_drug_given_or_dosed_stays_a_medication(terminology: Terminology, sentence: str,
                                                  drug: str) -> None:
    assert _kinds(terminology, sentence).get(drug) is MentionKind.MEDICATION, sentence


def test_a_culture_positive_for_an_organism_keeps_its_positive_reading(
        terminology: Terminology) -> None:
    report = extract(INTRO + "Blood cultures were positive for Staphylococcus aureus.", "t",
                     terminology)
    [culture] = [m for m in report.patients[0].mentions if m.kind is MentionKind.LAB_TEST]
    assert culture.result is not None and culture.result.text == "Staphylococcus aureus"
    assert culture.result.judged is not None and culture.result.judged.text == "positive"


@pytest.mark.parametrize(("sentence", "name", "value"), [
    ("Her serum sodium, measured on the morning of admission, was 118 mmol/L.",
     "serum sodium", "118 mmol/L"),
    ("Serum lactate, drawn at arrival, was 6.1 mmol/L.", "Serum lactate", "6.1 mmol/L"),
    ("Potassium was 2.9 mEq/L on admission and 4.1 at discharge.", "Potassium", "4.1"),
    ("Admission labs: WBC 14.2, Hb 8.1, Plt 92.", "Plt", "92"),
    ("Admission labs: Alb 2.8, TBil 3.4, DBil 2.1.", "DBil", "2.1"),
    ("Her alanine aminotransferase increased to 245 U/L.", "alanine aminotransferase",
     "245 U/L"),
    ("Urine drug screen was positive for cocaine.", "Urine drug screen", "positive"),
    ("MPO-ANCA was positive (120 U/mL).", "MPO-ANCA", "positive"),
    ("MPO-ANCA was positive (120 U/mL).", "MPO-ANCA", "120 U/mL"),
    ("Mean platelet volume was 11.2 fL.", "Mean platelet volume", "11.2 fL"),
    ("Carboxyhemoglobin was 22%.", "Carboxyhemoglobin", "22%"),
    ("Serum tryptase was elevated.", "Serum tryptase", "elevated"),
    ("TRAb was 12.5 IU/L.", "TRAb", "12.5 IU/L"),
    ("γ-GTP was 245 IU/L.", "γ-GTP", "245 IU/L"),
])
def test_written_forms_of_a_test_and_its_value(terminology: Terminology, sentence: str,
                                               name: str, value: str) -> None:
    assert value in _named_results(terminology, sentence, name), sentence


@pytest.mark.parametrize(("sentence", "reading"), [
    ("Cultures of blood and urine were negative.", "negative"),
    ("Cultures of blood, sputum and urine were sterile.", "sterile"),
])
def test_the_specimens_a_culture_was_done_on_are_no_part_of_its_result(
        terminology: Terminology, sentence: str, reading: str) -> None:
    report = extract(INTRO + sentence, "t", terminology)
    [culture] = [m for m in report.patients[0].mentions if m.text == "Cultures"]
    assert culture.result is not None and culture.result.text == reading
