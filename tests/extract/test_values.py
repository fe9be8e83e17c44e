"""Values: numbers with units (UCUM), powers of ten, comparators, ranges, qualitative words."""

from decimal import Decimal

import pytest

from fhirsvc.extract import scan, values
from fhirsvc.model import Comparator, Qualitative
from fhirsvc.terminology import Terminology, tables


@pytest.mark.parametrize(
    ("text", "value", "ucum"),
    [
        ("150 × 10^9/L", "150", "10*9/L"),
        ("150 × 10 9 /L", "150", "10*9/L"),
        ("585 × 109/L", "585", "10*9/L"),
        ("4.5×10⁹/l", "4.5", "10*9/L"),
        ("12.5 g/dL", "12.5", "g/dL"),
        ("301,000/mL", "301000", "/mL"),
        ("38.4 °C", "38.4", "Cel"),
        ("14.2 μmol/L", "14.2", "umol/L"),
        ("75 beats/min", "75", "/min"),
        ("92%", "92", "%"),
        ("362 μ mol/L", "362", "umol/L"),
        ("92 × 103 cells/μL", "92", "10*3/uL"),
        ("281 × 10^3 platelets/µL", "281", "10*3/uL"),
        ("2.1 × 106 IU/mL", "2.1", "10*6.[IU]/mL"),
        ("1.4 pg/L", "1.4", "pg/L"),
        ("11,000/cumm", "11000", "/uL"),
        ("2.1 lakh/mm3", "2.1", "10*5/uL"),
        ("1.5 lakhs/cumm", "1.5", "10*5/uL"),
        ("40 mm/1st hour", "40", "mm/h"),
        ("1.350.000/mm3", "1350000", "/mm3"),  # dotted thousands
        ("2.450.000 cells/µL", "2450000", "/uL"),
        ("9.8 mg%", "9.8", "mg/dL"),  # per cent: per 100 mL
        ("13 g %", "13", "g/dL"),
        ("450 mL per day", "450", "mL/d"),
        ("25 mL per hour", "25", "mL/h"),
    ],
)
def test_quantities_get_ucum_units(
    terminology: Terminology, text: str, value: str, ucum: str
) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert (result.quantity.value, result.quantity.ucum) == (Decimal(value), ucum)


def test_comparators_are_kept(terminology: Terminology) -> None:
    result = values.parse_quantity("> 150 × 10^9/L", 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.comparator is Comparator.GT


@pytest.mark.parametrize("text", ["between 3.1 and 3.4 mmol/L", "Between 3.1 and 3.4 mmol/L"])
def test_a_range_between_two_numbers_keeps_both_ends(terminology: Terminology, text: str) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is not None and result.range is not None and result.text == text
    low, high = result.range.low, result.range.high
    assert low is not None and high is not None
    assert (low.value, high.value, high.ucum) == (Decimal("3.1"), Decimal("3.4"), "mmol/L")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("3 times the upper limit of normal.", "3", "times the upper limit of normal"),
    ("5-fold the ULN.", "5", "fold the ULN"),
    ("10 times normal.", "10", "times normal"),
    ("4 × ULN.", "4", "× ULN"),
    ("6 x the upper limit of normal.", "6", "x the upper limit of normal"),
    ("seven times the upper limit of normal.", "7", "times the upper limit of normal"),
    ("twice the upper limit of the reference range.", "2",
     "times the upper limit of the reference range"),
    ("three-fold the ULN.", "3", "fold the ULN"),
])
def test_a_multiple_of_a_reference_limit_is_the_value_and_its_unit_in_words(
        terminology: Terminology, text: str, value: str, unit: str) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert (result.quantity.value, result.quantity.unit_text, result.quantity.ucum) == (
        Decimal(value), unit, None)
    assert result.text == text.rstrip(".")


def test_a_multiple_of_something_else_is_no_unit(terminology: Terminology) -> None:
    result = values.parse_quantity("3 times the normal dose", 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.unit_text is None and result.text == "3"


def test_and_without_between_joins_no_range(terminology: Terminology) -> None:
    result = values.parse_quantity("3.1 and 3.4 mmol/L", 0, terminology.units)
    assert result is not None and result.range is None and result.quantity is not None
    assert result.quantity.value == Decimal("3.1")


def test_a_range_keeps_both_ends_with_the_unit(terminology: Terminology) -> None:
    result = values.parse_quantity("5.48 to 5.98 × 10 7 /L", 0, terminology.units)
    assert result is not None and result.range is not None
    low, high = result.range.low, result.range.high
    assert low is not None and high is not None
    assert (low.value, high.value, high.ucum) == (Decimal("5.48"), Decimal("5.98"), "10*7/L")


def test_thousands_spaced_before_a_counts_volume_are_one_number(
        terminology: Terminology) -> None:
    result = values.parse_quantity("230 000/µL", 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert (result.quantity.value, result.quantity.ucum) == (230000, "/uL")


def test_a_number_after_a_spaced_number_without_a_volume_stays_apart(
        terminology: Terminology) -> None:
    result = values.parse_quantity("5 200 mg", 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.value == 5


def test_paired_ranges_keep_both_ranges_in_order(terminology: Terminology) -> None:
    result = values.parse_quantity("140-160/85-95 mmHg", 0, terminology.units)
    assert result is not None and result.text == "140-160/85-95 mmHg"
    assert [(r.low.value, r.high.value) for r in result.ranges if r.low and r.high] == \
        [(140, 160), (85, 95)]
    assert result.range == result.ranges[0]


def test_a_single_value_after_a_slash_ends_no_range(terminology: Terminology) -> None:
    result = values.parse_quantity("120/80-90", 0, terminology.units)
    assert result is not None and not result.ranges and result.text == "120/80"


def test_paired_values_become_components(terminology: Terminology) -> None:
    result = values.parse_quantity("170/110 mm Hg", 0, terminology.units)
    assert result is not None
    assert [q.value for q in result.components] == [170, 110]
    assert result.components[1].ucum == "mm[Hg]"


@pytest.mark.parametrize("text", ["−2.5", "-2.5 mmol/L", "–2.5 dB"])
def test_a_minus_sign_makes_the_value_negative(terminology: Terminology, text: str) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.value == Decimal("-2.5") and result.text == text


def test_a_dash_after_a_word_or_number_is_no_minus_sign(terminology: Terminology) -> None:
    assert values.parse_quantity("a-2", 1, terminology.units) is None
    result = values.parse_quantity("3-5 mg", 0, terminology.units)
    assert result is not None and result.range is not None and result.range.low is not None
    assert result.range.low.value == 3


def test_a_word_after_a_number_that_is_no_unit_is_left_out(terminology: Terminology) -> None:
    result = values.parse_quantity("150 patients", 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.unit_text is None and result.text == "150"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("negative", Qualitative.NEGATIVE), ("within normal limits", Qualitative.NORMAL),
     ("absent", Qualitative.ABSENT), ("absence", Qualitative.ABSENT),
     ("normoactive", Qualitative.NORMAL),
     ("hypoactive", Qualitative.DECREASED),
     ("elevated", Qualitative.HIGH), ("unremarkable", Qualitative.NORMAL),
     ("positive", Qualitative.POSITIVE)],
)
def test_qualitative_results(text: str, expected: Qualitative) -> None:
    result = values.parse_qualitative(text, 0, len(text))
    assert result is not None and result.qualitative is expected


def test_a_qualitative_word_before_a_test_is_its_result() -> None:
    text = "tests found positive EB virus DNA"
    result = values.qualitative_before(text, text.index("EB"), 0)
    assert result is not None and result.qualitative is Qualitative.POSITIVE


def test_negated_elevation_and_sterile_cultures_are_qualitative_results() -> None:
    assert values.parse_qualitative("not elevated", 0, 12).qualitative is Qualitative.NORMAL
    assert values.parse_qualitative("sterile", 0, 7).qualitative is Qualitative.NEGATIVE


def test_result_words_table_reads_word_and_result() -> None:
    words = values.parse_result_words(
        "# note\nkey\tresult\nunremarkable\tnormal\nreactive\tpositive\n")
    assert words == {"unremarkable": Qualitative.NORMAL, "reactive": Qualitative.POSITIVE}


@pytest.mark.parametrize("text", [
    "word\tresult\nnormal\tnormal\n",             # wrong header
    "key\tresult\nnormal\tfine\n",                 # unknown result
    "key\tresult\nnormal\n",                       # one cell
    "key\tresult\nnormal\tnormal\tx\n",            # three cells
    "key\tresult\nnormal\tnormal\nnormal\tnormal\n",  # listed twice
])
def test_result_words_table_rejects_rows_that_break_its_schema(text: str) -> None:
    with pytest.raises(tables.TableError):
        values.parse_result_words(text)


def test_percent_in_words_is_per_cent(terminology: Terminology) -> None:
    result = values.parse_quantity("45 percent", 0, terminology.units)
    assert result is not None and result.quantity is not None and result.quantity.ucum == "%"


@pytest.mark.parametrize(
    ("text", "value", "ucum"),
    [
        ("17.2 ng per milliliter", "17.2", "ng/mL"),
        ("11.6 grams per deciliter", "11.6", "g/dL"),
        ("4.1 millimoles per liter", "4.1", "mmol/L"),
        ("4500 cells per cubic millimeter", "4500", "/mm3"),
        ("281 x 103 platelets per microliter", "281", "10*3/uL"),
    ],
)
def test_a_ratio_spelled_out_in_words_is_a_unit(terminology: Terminology, text: str, value: str,
                                                ucum: str) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is not None and result.quantity is not None
    quantity = result.quantity
    assert (quantity.value, quantity.ucum, result.text) == (Decimal(value), ucum, text)


@pytest.mark.parametrize("text", ["3 patients per year", "2 episodes per day", "5 mg per os",
                                  "10 grams per cubic liter"])
def test_words_joined_by_per_that_are_no_units_are_left_out(terminology: Terminology,
                                                            text: str) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is not None and result.quantity is not None
    assert result.quantity.ucum is None and result.text == text.split()[0]


def test_the_full_stop_ending_a_sentence_is_no_part_of_the_unit(terminology: Terminology) -> None:
    result = values.parse_quantity("3.4 L. Later it rose.", 0, terminology.units)
    assert result is not None and result.text == "3.4 L" and result.quantity is not None
    assert result.quantity.unit_text == "L" and result.quantity.ucum == "L"


@pytest.mark.parametrize("text", ["19-9 U/mL", "21–1 was raised", "125-3"])
def test_a_higher_number_before_a_lower_one_is_no_range(terminology: Terminology,
                                                         text: str) -> None:
    result = values.parse_quantity(text, 0, terminology.units)
    assert result is None or result.range is None


def test_a_converted_report_never_gives_a_range_running_downwards(
        terminology: Terminology) -> None:
    from fhirsvc.extract import extract

    report = extract("A 50-year-old man was admitted. Carcinoembryonic antigen and CA 19-9 "
                     "were 3.2 and 12 U/mL; "
                     "CYFRA 21-1 was 2.5 ng/mL, platelets 150-450 x 10^9/L.", "t", terminology)
    ranges = [m.result.range for p in report.patients for m in p.mentions
              if m.result and m.result.range]
    assert ranges and all(r.low is None or r.high is None or r.low.value <= r.high.value
                          for r in ranges)



def test_folded_to_ascii_lists_every_character_the_pattern_takes_for_an_ascii_letter() -> None:
    import re

    folded = {chr(i) for i in range(128, 0x110000) if re.fullmatch("[a-z]", chr(i), re.I)}
    assert folded == set(scan.FOLDED_TO_ASCII)


@pytest.mark.parametrize("text", [
    "Serum TRAb was Positive, ProGRP normal, and the culture (+) and (-) read.",
    "Within normal limits; non-reactive; markedly elevated; strongly positive cells.",
    "nonreactive positivity_x negatively NORMALLY trace 2+ (+)",
])
def test_result_starts_holds_every_place_a_result_word_starts(text: str) -> None:
    starts = values.ResultStarts()(text, 0, len(text))
    parsed = {at for at in range(len(text))
              if (r := values.parse_qualitative(text, at, len(text))) is not None
              and not r.graded}
    assert starts is not None and parsed <= set(starts)
    high = values.ResultStarts(frozenset({Qualitative.HIGH}))(text, 0, len(text))
    readings = {at: values.parse_qualitative(text, at, len(text)) for at in parsed}
    assert high is not None
    assert {at for at, r in readings.items()
            if r and r.qualitative is Qualitative.HIGH} <= set(high)


def test_result_starts_gives_up_on_letters_folded_to_ascii() -> None:
    assert values.ResultStarts()("A \u017fterile culture", 0, 17) is None


@pytest.mark.parametrize(("text", "reading"), [
    ("\u017fterile", Qualitative.NEGATIVE), ("negat\u0130ve", Qualitative.NEGATIVE),
    ("pos\u0131tive", Qualitative.POSITIVE), ("ele\u212a", None),
])
def test_a_result_word_with_a_letter_that_folds_to_ascii_is_read_as_that_word(
        text: str, reading: Qualitative | None) -> None:
    result = values.parse_qualitative(text, 0, len(text))
    assert (result.qualitative if result else None) == reading
