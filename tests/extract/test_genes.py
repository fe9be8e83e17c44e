"""A gene named with its alteration is a genetic test's finding, not a disease
(fhirsvc/extract/genes.py)."""

import pytest

from fhirsvc.extract import extract
from fhirsvc.model import CONDITION_KINDS, MentionKind, Qualitative
from fhirsvc.terminology import Terminology
from tests.extract.helpers import INTRO


def _mentions(terminology: Terminology, sentence: str) -> list[tuple[MentionKind, str]]:
    (patient,) = extract(INTRO + sentence, "t", terminology).patients
    return [(m.kind, m.text) for m in patient.mentions]


@pytest.mark.parametrize(("sentence", "gene", "alteration"), [
    ("Sequencing found an EGFR exon 19 deletion.", "EGFR", "exon 19 deletion"),
    ("An ALK rearrangement was detected.", "ALK", "rearrangement"),
    ("A BRAF V600E mutation was present.", "BRAF", "V600E mutation"),
    ("Testing showed a heterozygous missense variant in the VWF gene.", "VWF",
     "heterozygous missense variant"),
    ("A mutation in exon 9 of the CALR gene was found.", "CALR", "mutation"),
])
def test_a_gene_with_its_alteration_is_a_test_with_the_alteration_as_result(
    terminology: Terminology, sentence: str, gene: str, alteration: str
) -> None:
    (patient,) = extract(INTRO + sentence, "t", terminology).patients
    assert not [m for m in patient.mentions
                if m.kind in CONDITION_KINDS and m.text != "fatigue"]
    (test,) = [m for m in patient.mentions if m.kind is MentionKind.LAB_TEST]
    assert test.text == gene
    assert test.result is not None and test.result.text == alteration


def test_a_gene_alteration_found_negative_keeps_the_negative_result(
    terminology: Terminology,
) -> None:
    (patient,) = extract(INTRO + "The EGFR mutation was negative.", "t", terminology).patients
    (test,) = [m for m in patient.mentions if m.kind is MentionKind.LAB_TEST]
    assert test.text == "EGFR"
    assert test.result is not None and test.result.qualitative is Qualitative.NEGATIVE


def test_a_spinal_fusion_between_levels_is_no_gene_test(terminology: Terminology) -> None:
    found = _mentions(terminology, "She underwent an L4-L5 fusion.")
    assert not [text for kind, text in found if kind is MentionKind.LAB_TEST]
