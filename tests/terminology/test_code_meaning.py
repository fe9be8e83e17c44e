"""A code must mean what the words it is put on mean, not merely exist.

The dev score checks spans and types only; these tests check that a coding says nothing
false: a shorter or other sense of the words (an abbreviation, a synonym that names
another thing), a title cleaned of the place or stage its code is about, a value in a
unit its LOINC code's property cannot have. The sentences are written for these tests
in the style of published case reports.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from fhirsvc.model import Mention, Quantity, Result, Span
from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology, code_mention, sources, systems, tables
from fhirsvc.terminology.normalize import norm_key
from fhirsvc.terminology.units import quantity_kind, same_quantity

PATIENT = "A 52-year-old woman was admitted to our department. "

ICD, HPO, LOINC = systems.ICD10CM, systems.HPO, systems.LOINC


def _codes(converter: Converter, sentence: str) -> dict[str, set[tuple[str, str]]]:
    """The codings of each Condition, Observation and Procedure, by its text in lower case."""
    bundle = converter.convert(PATIENT + sentence, "meaning").bundle
    found: dict[str, set[tuple[str, str]]] = {}
    for entry in bundle["entry"]:
        resource: dict[str, Any] = entry["resource"]
        if resource["resourceType"] in ("Condition", "Observation", "Procedure"):
            code = resource.get("code", {})
            found.setdefault(code.get("text", "").lower(), set()).update(
                (c["system"], c["code"]) for c in code.get("coding", []))
    return found


# --- abbreviations and synonyms that name something else -------------------------------


def test_a_radial_artery_written_ra_is_no_rheumatoid_arthritis(converter: Converter) -> None:
    found = _codes(converter, "The left radial artery (RA) was harvested and RA was used "
                              "for sequential grafting of the obtuse marginal branches.")
    assert all((ICD, "M06.9") not in codes for codes in found.values())
    defined = _codes(converter, "She had long-standing rheumatoid arthritis treated with "
                                "methotrexate.")
    assert (ICD, "M06.9") in defined["rheumatoid arthritis"]


def test_a_short_form_the_report_defines_means_what_it_defines(converter: Converter) -> None:
    found = _codes(converter, "Echocardiography showed moderate mitral insufficiency (MI); the "
                              "MI was managed medically. A chest radiograph showed a pleural "
                              "effusion (PE), and the PE was drained.")
    assert all((ICD, "I21.9") not in codes for codes in found.values())  # myocardial infarction
    assert all((ICD, "I26.99") not in codes for codes in found.values())  # pulmonary embolism
    assert "mi" not in found and "pe" not in found  # one Condition each, with the long form
    embolism = _codes(converter, "CT angiography confirmed a pulmonary embolism (PE); the PE "
                                 "resolved on heparin.")
    assert (ICD, "I26.99") in embolism["pulmonary embolism"]
    # a definition whose matched words begin before the short form's first letter keeps
    # the lexicon's sense: JVP is the pressure, not "raised jugular venous pressure"
    bundle = converter.convert(PATIENT + "Examination revealed a raised jugular venous "
                               "pressure (JVP) of 9 cm; the JVP fell after diuresis.", "jvp").bundle
    named = {(e["resource"]["resourceType"], e["resource"].get("code", {}).get("text"))
             for e in bundle["entry"]}
    assert ("Observation", "JVP") in named and ("Condition", "JVP") not in named


def test_an_undefined_short_form_of_several_senses_gets_no_code(converter: Converter) -> None:
    found = _codes(converter, "PE was unremarkable apart from pallor. She had no history of "
                              "PID, ARF or ALD.")
    coded = {code for codes in found.values() for _, code in codes}
    assert not coded & {"I26.99", "D84.9", "N17.9", "E71.529", "M06.9"}


def test_malaise_petechiae_and_a_swelling_keep_their_own_meaning(
    converter: Converter,
) -> None:
    found = _codes(converter, "She reported malaise and fatigue. Examination showed petechiae "
                              "over both shins and a firm swelling over the left mandible.")
    assert found["malaise"] == {(ICD, "R53.81"), (HPO, "HP:0033834")}
    assert (ICD, "R53.83") in found["fatigue"]
    assert {(ICD, "R23.3"), (HPO, "HP:0000967")} <= found["petechiae"]
    assert not found["petechiae"] & {(ICD, "D69.2"), (HPO, "HP:0000979")}  # purpura
    assert not found["swelling"] & {(ICD, "R60.9"), (HPO, "HP:0000969")}  # edema


def test_a_broad_name_gets_the_broad_code_not_a_narrower_one(converter: Converter) -> None:
    found = _codes(converter, "Her history included ischemic heart disease, liver cancer and "
                              "a hematological malignancy.")
    assert found["ischemic heart disease"] == {(ICD, "I25.9")}  # not coronary atherosclerosis
    assert found["liver cancer"] == {(ICD, "C22.9")}  # not hepatocellular carcinoma
    assert found["hematological malignancy"] == {(ICD, "C96.9")}  # not leukemia


def test_an_organism_grown_in_culture_is_the_cultures_result_not_sepsis(
        converter: Converter) -> None:
    found = _codes(converter, "Sputum cultures grew Pseudomonas aeruginosa.")
    assert "pseudomonas aeruginosa" not in found  # the culture's value, no Condition
    assert not any((ICD, "A41.52") in codes for codes in found.values())


def test_a_fistula_and_a_fall_are_named_without_a_false_code(converter: Converter) -> None:
    found = _codes(converter, "Bronchoscopy showed a fistula between the trachea and the "
                              "oesophagus. She denied trauma other than falling from a chair.")
    assert found["fistula"] == set()  # ICD-10-CM's bare "Fistula" title is a joint's
    assert found["falling"] == set()  # R29.6 is repeated falls


def test_wall_motion_at_echocardiography_is_no_movement_disorder(converter: Converter) -> None:
    found = _codes(converter, "Echocardiography showed severe global hypokinesia of the left "
                              "ventricle with an akinetic inferior wall.")
    coded = {code for codes in found.values() for _, code in codes}
    assert "hypokinesia" in found
    assert not coded & {"HP:0002375", "HP:0002304", "255385008", "33994004"}


def test_unresponsive_is_no_parasomnia(converter: Converter) -> None:
    found = _codes(converter, "She was found unresponsive by her husband.")
    assert (HPO, "HP:0025237") not in found["unresponsive"]


def test_a_procedure_named_by_a_kindred_word_gets_no_code_of_another_procedure(
    converter: Converter,
) -> None:
    found = _codes(converter, "She underwent lumpectomy and, later, mitral valve repair. A "
                              "biliary stent was placed at ERCP. Plasma exchange was started, and "
                              "she was extubated on day 3.")
    wrong = {"lumpectomy": "5884001",  # mastectomy
             "valve repair": "34068001",  # heart valve replacement
             "stent": "415070008",  # percutaneous coronary intervention
             "plasma exchange": "54790000",  # transfusion of blood component
             "extubated": "112798008"}  # insertion of endotracheal tube
    for text, code in wrong.items():
        named = [codes for written, codes in found.items() if text in written]
        assert named, text
        assert all((systems.SNOMED_CT, code) not in codes for codes in named), text


# --- LOINC: specimen, property and the unit of the value ---------------------------------


def test_a_bare_ph_is_not_arterial_and_pasp_is_not_systemic_pressure(
    converter: Converter,
) -> None:
    found = _codes(converter, "Urinalysis showed a urine pH of 8.0. Echocardiography estimated "
                              "a pulmonary artery systolic pressure of 55 mmHg.")
    assert (LOINC, "2744-1") not in found["ph"]
    assert (LOINC, "8480-6") not in found["pulmonary artery systolic pressure"]


def test_a_judged_function_and_a_blood_gas_saturation_get_no_code_of_another_method(
    converter: Converter,
) -> None:
    found = _codes(converter, "Left ventricular systolic function was preserved. Arterial "
                              "blood gas analysis showed an SaO2 of 86%.")
    coded = {code for codes in found.values() for _, code in codes}
    assert not coded & {"10230-1", "59408-5"}  # ejection fraction; saturation by oximetry
    measured = _codes(converter, "The LVEF was 35% and SpO2 was 91% on room air.")
    assert (LOINC, "10230-1") in measured["lvef"] and (LOINC, "59408-5") in measured["spo2"]


def test_a_value_in_a_unit_of_another_property_loses_the_loinc_code(
    converter: Converter,
) -> None:
    found = _codes(converter, "Her fasting plasma glucose was 7.8 mmol/L and her serum "
                              "creatinine 132 µmol/L; ALT was 88 IU/L.")
    assert (LOINC, "2345-7") not in found["fasting plasma glucose"]  # mass concentration
    assert (LOINC, "2160-0") not in found["serum creatinine"]
    assert (LOINC, "1742-6") in found["alt"]  # an IU/L enzyme activity is U/L
    in_mass = _codes(converter, "Her fasting plasma glucose was 142 mg/dL.")
    assert (LOINC, "2345-7") in in_mass["fasting plasma glucose"]


def _fact_loinc(terminology: Terminology, text: str, value: str, ucum: str) -> set[str]:
    hit = terminology.find(text)[0]
    quantity = Quantity(Decimal(value), ucum, ucum)
    mention = Mention(hit.kind, text[hit.start:hit.end], Span(hit.start, hit.end),
                      concepts=hit.concepts,
                      result=Result(f"{value} {ucum}", Span(0, 1), quantity=quantity))
    return {c.code for c in code_mention(mention, terminology).codings if c.system == LOINC}


@pytest.mark.parametrize(("test", "value", "unit", "code", "kept"), [
    ("glucose", "142", "mg/dL", "2345-7", True),
    ("glucose", "7.8", "mmol/L", "2345-7", False),
    ("sodium", "131", "meq/L", "2951-2", True),
    ("TLC", "14.5", "10*3/uL", "6690-2", True),
    ("TLC", "64", "%", "6690-2", False),  # total lung capacity, not the leukocyte count
    ("platelet count", "150", "10*9/L", "777-3", True),
    ("platelet count", "150", "mL", "777-3", False),
])
def test_coding_keeps_a_loinc_code_only_for_a_value_its_property_can_have(
    terminology: Terminology, test: str, value: str, unit: str, code: str, kept: bool,
) -> None:
    assert (code in _fact_loinc(terminology, test, value, unit)) is kept


@pytest.mark.parametrize(("unit", "kind"), [
    ("mg/dL", (("mass",), ("volume",))),
    ("umol/L", (("substance",), ("volume",))),
    ("10*9/L", ((), ("volume",))),
    ("/mm3", ((), ("volume",))),
    ("mL/min/{1.73_m2}", (("volume",), ("time",))),
    ("mm[Hg]", (("pressure",),)),
    ("kg/m2", (("mass",), ("length2",))),
])
def test_a_unit_is_read_as_the_kind_of_quantity_it_measures(
    unit: str, kind: tuple[tuple[str, ...], ...],
) -> None:
    assert quantity_kind(unit) == kind


def test_units_of_one_kind_match_and_an_unread_unit_is_not_judged() -> None:
    assert same_quantity("g/L", "g/dL") and same_quantity("[IU]/L", "U/L")
    assert not same_quantity("mmol/L", "mg/dL") and not same_quantity("mm", "mm[Hg]")
    assert same_quantity("{ratio}", "%") and same_quantity("mg/(24.h)", "mg/dL")


#: LOINC's property, as the display writes it in brackets, and the kind of unit it has.
PROPERTY_KINDS = {
    "Mass/volume": (("mass",), ("volume",)),
    "Moles/volume": (("substance",), ("volume",)),
    "#/volume": ((), ("volume",)),
    "Enzymatic activity/volume": (("activity",), ("volume",)),
    "Units/volume": (("activity",), ("volume",)),
    "Volume Fraction": (("fraction",),),
    "Partial pressure": (("pressure",),),
    "#/area": ((), ("field",)),
    "Entitic volume": (("volume",),),
    "Entitic mass": (("mass",),),
}
#: Properties whose units the unit kinds do not describe (ratios of two quantities, a rate of
#: mass): rows naming them are left out of the property check, and no other property is.
UNCHECKED_PROPERTIES = frozenset({"Ratio", "Mass Ratio", "Mass/time"})


def _property(display: str) -> str:
    return re.search(r"\[([^\]]+)\]", display).group(1)  # type: ignore[union-attr]


_WITH_PROPERTY = [r for r in tables.load_table("lab_tests.tsv", tables.LabTestRow)
                  if r.unit and re.search(r"\[([^\]]+)\]", r.display)]
LAB_ROWS = [r for r in _WITH_PROPERTY if _property(r.display) not in UNCHECKED_PROPERTIES]


def test_every_lab_row_property_is_checked_or_known_to_be_unchecked() -> None:
    unknown = {(r.key, _property(r.display)) for r in _WITH_PROPERTY
               if _property(r.display) not in PROPERTY_KINDS.keys() | UNCHECKED_PROPERTIES}
    assert not unknown


@pytest.mark.parametrize("row", LAB_ROWS, ids=lambda r: r.key)
def test_every_lab_row_unit_measures_the_property_its_display_names(
    row: tables.LabTestRow,
) -> None:
    prop = _property(row.display)
    assert quantity_kind(row.unit) == PROPERTY_KINDS[prop], (
        f"{row.key}: {row.unit} does not measure {prop}")


def test_the_property_check_would_catch_a_moles_unit_on_a_mass_code() -> None:
    assert quantity_kind("mmol/L") != PROPERTY_KINDS[_property("Glucose [Mass/volume] in Serum")]
    assert sum(_property(r.display) in PROPERTY_KINDS for r in LAB_ROWS) > 40


# --- ICD-10-CM titles cleaned into terms --------------------------------------------------


@pytest.mark.parametrize(("title", "term"), [
    ("Gastritis, unspecified, without bleeding", "Gastritis"),
    ("Trigger finger, unspecified finger", "Trigger finger"),
    ("Respiratory failure, unspecified, unspecified whether with hypoxia or hypercapnia",
     "Respiratory failure"),
    ("Fistula, unspecified joint", None),  # a joint's fistula, not any fistula
    ("Effusion, unspecified joint", None),
    ("Abrasion, unspecified hip, sequela", None),
    ("Twin pregnancy, unspecified number of placenta and unspecified number of amniotic sacs, "
     "first trimester", None),
    ("Infectious mononucleosis, unspecified with polyneuropathy", None),
    # a last clause telling what the condition lacks, or that its site in an organ is open
    ("Toxic gastroenteritis without dehydration", "Toxic gastroenteritis"),
    ("Chronic synovitis of unspecified sites in knee", "Chronic synovitis"),
    ("Tear of unspecified part of left meniscus", None),  # a part of a named place
    ("Rupture of unspecified site of tendon", None),
])
def test_a_title_loses_only_a_tail_that_names_nothing_more(title: str, term: str | None) -> None:
    assert sources.clean_title(title) == term


def test_a_term_of_several_icd10cm_codes_names_the_least_specific() -> None:
    named = {norm_key(t): c.codings[0].code
             for t, c in sources.icd10cm_entries(sources.icd10cm_codes())}
    assert named["migraine"] == "G43.909"  # not intractable, without status migrainosus
    assert named["epilepsy"] == "G40.909"
    assert named["syphilis"] == "A53.9"  # its own title, not neurosyphilis's inclusion term
    assert named[norm_key("twin pregnancy")] == "O30.009"  # unspecified trimester
    assert named[norm_key("hemiplegia")] == "G81.90"  # unspecified side
    assert "fistula" not in named


def test_an_hpo_synonym_without_its_qualifier_is_uncoded(terminology: Terminology) -> None:
    def codes(text: str) -> set[str]:
        hit = terminology.term(text)
        assert hit is not None, text
        return {c.code for k in hit.concepts for c in terminology.concepts[k].codings}

    assert "HP:0002788" in codes("recurrent upper respiratory tract infections")
    assert "HP:0002788" not in codes("upper respiratory tract infections")


def test_a_short_form_of_several_senses_keeps_its_disease_where_the_words_show_it(
        converter: Converter) -> None:
    found = _codes(converter, "She had a history of PE. Repeat imaging showed saddle PE. "
                              "She also had RA on methotrexate.")
    coded = {code for codes in found.values() for _, code in codes}
    assert {"I26.99", "M06.9"} <= coded
    other = _codes(converter, "Oxygen saturation was 97% on RA. The RA graft was patent.")
    assert not {code for codes in other.values() for _, code in codes} & {"M06.9"}


def test_wounds_and_upper_respiratory_infection_are_conditions(converter: Converter) -> None:
    found = _codes(converter, "She had several abrasions and an open wound on the shin after "
                              "an upper respiratory tract infection.")
    assert found.get("abrasions") == set() and found.get("open wound") == set()
    assert (ICD, "J06.9") in found["upper respiratory tract infection"]


def test_coronary_bypass_surgery_is_cabg(converter: Converter) -> None:
    bundle = converter.convert(PATIENT + "Coronary artery bypass surgery was done in 2012.",
                               "cabg").bundle
    codes = {c["code"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"
             for c in e["resource"].get("code", {}).get("coding", [])}
    assert "232717009" in codes
