"""Vital signs written together: a blood pressure's pair of values stays its components and
a pulse beside it is a heart rate of its own, in beats per minute; a range of pressures
gives its components ranges (fhirsvc/extract/mentions.py ``_slashed_pair``,
fhirsvc/terminology/coding.py ``_vital_sign_unit``)."""

from typing import Any

import pytest

from fhirsvc.pipeline import Converter
from fhirsvc.terminology import Terminology

_INTRO = "A 63-year-old man was admitted. "
_SYSTOLIC, _DIASTOLIC, _HEART_RATE = "8480-6", "8462-4", "8867-4"


def _observations(terminology: Terminology, sentence: str) -> list[dict[str, Any]]:
    bundle = Converter(terminology=terminology, validation="structure").convert(
        _INTRO + sentence, "t").bundle
    return [e["resource"] for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Observation"]


def _codes(observation: dict[str, Any]) -> list[str]:
    return [c["code"] for c in observation["code"].get("coding", [])]


@pytest.mark.parametrize("sentence", [
    "BP/pulse 130/85 mmHg / 88.",
    "BP 130/85 mmHg, pulse 88.",
])
def test_a_blood_pressure_and_a_pulse_written_together_are_two_observations(
        terminology: Terminology, sentence: str) -> None:
    found = _observations(terminology, sentence)
    pressures = [o for o in found if "component" in o]
    rates = [o for o in found if _codes(o) == [_HEART_RATE]]
    assert [[(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"])
             for c in o["component"]] for o in pressures] == \
        [[(_SYSTOLIC, 130), (_DIASTOLIC, 85)]]
    assert [(o["valueQuantity"]["value"], o["valueQuantity"]["code"]) for o in rates] == \
        [(88, "/min")]


def test_a_temperature_without_a_unit_gets_none(terminology: Terminology) -> None:
    [found] = _observations(terminology, "Temperature was 38.5.")
    assert "code" not in found["valueQuantity"]  # Celsius or Fahrenheit: not said


def test_a_range_of_blood_pressures_gives_each_component_its_range(
        terminology: Terminology) -> None:
    [found] = _observations(terminology,
                            "Her blood pressure ranged between 110-130/70-80 mmHg.")
    assert "dataAbsentReason" not in found
    assert [(c["code"]["coding"][0]["code"], c["valueRange"]["low"]["value"],
             c["valueRange"]["high"]["value"]) for c in found["component"]] == \
        [(_SYSTOLIC, 110, 130), (_DIASTOLIC, 70, 80)]
