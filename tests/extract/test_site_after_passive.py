"""A finding found in a named organ, with a passive verb between, is read with the organ."""

from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions


def test_stones_found_in_the_kidneys_are_nephrolithiasis(terminology: Terminology) -> None:
    found = patient_conditions(
        terminology, "On ultrasound two stones were detected in the right kidney.")
    stones = [m for m in found if "stones" in m.text]
    assert stones and "hpo:HP:0000787" in stones[0].concepts
    assert stones[0].text == "stones were detected in the right kidney"


def test_stones_found_elsewhere_are_not_read_as_the_kidneys(terminology: Terminology) -> None:
    found = patient_conditions(terminology, "Two stones were detected in the common bile duct.")
    assert all("hpo:HP:0000787" not in m.concepts for m in found)
