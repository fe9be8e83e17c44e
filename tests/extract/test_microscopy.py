"""A microscopic description of cells and their parts is the examination's result
(``extract/microscopy.py``): the part as the test, each describing term a result."""

import pytest

from fhirsvc.extract import extract, microscopy
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology

INTRO = "A 63-year-old woman underwent resection of a gastric mass. "


def _described(terminology: Terminology, sentence: str) -> list[tuple[str, str]]:
    report = extract(INTRO + sentence, "t", terminology)
    return sorted((m.text, m.result.text) for m in report.patients[0].mentions
                  if m.kind is MentionKind.LAB_TEST and m.result)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Histology showed sheets of cells with vesicular nuclei and abundant cytoplasm.",
     [("cytoplasm", "abundant"), ("nuclei", "vesicular")]),
    ("The nuclei were hyperchromatic and irregular.",
     [("nuclei", "hyperchromatic"), ("nuclei", "irregular")]),
    ("It was composed of atypical, anaplastic tumour cells.",
     [("cells", "anaplastic"), ("cells", "atypical")]),
    ("The nucleoli were prominent.", [("nucleoli", "prominent")]),
])
def test_each_term_describing_a_cell_or_its_part_is_a_result(
        terminology: Terminology, sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _described(terminology, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The nuclei stained with haematoxylin.",
    "Spindle cells and round cells were seen.",
    "Stem cells were collected.",
])
def test_a_part_or_cell_type_without_a_describing_term_is_no_result(
        terminology: Terminology, sentence: str) -> None:
    assert _described(terminology, sentence) == []


def test_each_further_term_is_at_its_own_span() -> None:
    text = "with hyperchromatic, pleomorphic nuclei"
    found = list(microscopy.found(text, 0, len(text)))
    assert [(text[s.start:s.end], r.text if r else None) for s, _n, r, _c in found] == [
        ("nuclei", "hyperchromatic"), ("pleomorphic", "pleomorphic")]


@pytest.mark.parametrize("sentence", [
    "Cytology showed no atypical cells.",
    "Bone marrow biopsy was negative; there were no atypical cells.",
    "The smear was free of pleomorphic nuclei.",
    "There was no necrosis or atypical cells.",
    "There was no evidence of significant atypical cells.",
])
def test_a_denied_description_is_no_result(terminology: Terminology, sentence: str) -> None:
    assert _described(terminology, sentence) == []


def test_a_denial_in_an_earlier_clause_leaves_a_later_description() -> None:
    text = "There were no mitoses; the cells were sheets with hyperchromatic nuclei."
    found = list(microscopy.found(text, 0, len(text)))
    assert [(r.text if r else None) for _s, _n, r, _c in found] == ["hyperchromatic"]
