"""A genetic variant named by its kind alone ("mutations", "a variant") is no finding of the
patient; named with its gene it is the gene test's result (extract/genes.py), and with a
chromosome band a finding (fhirsvc/extract/variants.py)."""

import pytest

from fhirsvc.terminology import Terminology
from tests.extract.helpers import patient_conditions

_INTRO = "A 35-year-old woman was referred. "


def _conditions(terminology: Terminology, sentence: str) -> list[str]:
    return [m.text for m in patient_conditions(terminology, sentence, intro=_INTRO)]


@pytest.mark.parametrize("sentence", [
    "Sequencing revealed mutations.",
    "A variant was found.",
    "No mutation was detected.",
    "A missense mutation was identified.",
])
def test_a_variant_named_by_its_kind_alone_is_no_condition(terminology: Terminology,
                                                          sentence: str) -> None:
    assert _conditions(terminology, sentence) == []


@pytest.mark.parametrize("sentence", [
    "A BRCA1 mutation was found.",
    "She carried a JAK2 V617F mutation.",
    "An EGFR exon 19 deletion was present.",
    "A pathogenic variant in MLH1 was identified.",
])
def test_a_variant_named_with_its_gene_is_a_test_result_not_a_condition(
        terminology: Terminology, sentence: str) -> None:
    # the gene's Observation holds it: tests/extract/test_genes.py
    assert _conditions(terminology, sentence) == []


def test_a_deletion_at_a_chromosome_band_is_a_finding(terminology: Terminology) -> None:
    sentence = "A maternally inherited deletion at 4q35.1 was found."
    assert _conditions(terminology, sentence) == ["deletion"]
