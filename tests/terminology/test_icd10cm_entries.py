"""ICD-10-CM terms from simple_icd_10_cm: codes with a 7th character are the initial encounter."""

from fhirsvc.terminology import sources


def test_no_term_is_coded_as_a_sequela_or_later_encounter_when_an_initial_one_exists() -> None:
    descriptions = sources.icd10cm_codes()
    coded = {concept.codings[0].code: concept.codings[0].display
             for _, concept in sources.icd10cm_entries(descriptions)}
    later = {code for code, display in coded.items()
             if (display.endswith(", sequela") or "subsequent encounter" in display)
             and f"{code[:-1]}A" in descriptions}
    assert later == set()
    assert coded["T78.40XA"] == "Allergy, unspecified, initial encounter"
