"""Non-traumatic organ injury is coded as the organ's disease, not as an unspecified injury;
a disorder word opening a cell's name ("ganglion cells") names no disorder."""

import pytest

from fhirsvc.terminology import Terminology
from fhirsvc.terminology.coding import code_mention
from tests.extract.helpers import patient_conditions


def _coded(terminology: Terminology, text: str) -> dict[str, list[str]]:
    return {m.text: [c.code for c in code_mention(m, terminology).codings]
            for m in patient_conditions(terminology, text)}


@pytest.mark.parametrize(
    ("text", "words", "codes"),
    [
        ("Her course was complicated by acute renal injury.", "acute renal injury", ["N17.9"]),
        ("He was treated for drug-induced liver injury.", "drug-induced liver injury", ["K71.9"]),
        ("The statin caused hepatotoxicity.", "hepatotoxicity", ["K71.9"]),
        ("After the arrest he had hypoxic brain injury.", "hypoxic brain injury", ["G93.1"]),
        ("She developed renal injury after contrast.", "renal injury", []),
        ("Labs suggested hepatocellular injury.", "hepatocellular injury", []),
        ("Her lung injury progressed on ventilation.", "lung injury", []),
    ],
)
def test_organ_injury_is_not_coded_as_trauma(terminology: Terminology, text: str, words: str,
                                             codes: list[str]) -> None:
    coded = _coded(terminology, text)
    assert coded.get(words) == codes
    assert not any("T14.90XA" in c for c in coded.values())


def test_bare_injury_keeps_the_injury_code(terminology: Terminology) -> None:
    assert _coded(terminology, "He had a minor injury to the hand.").get("injury") == ["T14.90XA"]


@pytest.mark.parametrize("text", ["Rectal biopsy showed no ganglion cells.",
                                  "Ganglion cells were present in the submucosa."])
def test_ganglion_cells_are_no_ganglion_cyst(terminology: Terminology, text: str) -> None:
    assert not [m for m in patient_conditions(terminology, text) if "anglion" in m.text]


def test_tumor_cells_stay_a_growth(terminology: Terminology) -> None:
    found = [m.text for m in patient_conditions(terminology, "Carcinoma cells filled the node.")]
    assert "Carcinoma" in found
