"""The procedure-suffix finder: its start literals and its pattern come from one list."""

import re

from fhirsvc.extract import extract
from fhirsvc.extract.markers import _SUFFIX_END, _SUFFIXES
from fhirsvc.model import MentionKind
from fhirsvc.terminology import Terminology


def test_every_suffix_of_the_list_is_found_where_its_plain_pattern_finds_it() -> None:
    words = [start + ending for start, ending in _SUFFIXES for ending in ("y", "ies", "s", "")]
    text = " ".join(f"xx{word}" for word in words)
    plain = re.compile(rf"(?:{'|'.join(s + e for s, e in _SUFFIXES)})(?![A-Za-z-])")
    found = [m.span() for m in _SUFFIX_END.finditer(text, 0, len(text))]
    assert found == [m.span() for m in plain.finditer(text)]
    assert len(found) >= len(_SUFFIXES)


def test_a_measuring_procedure_named_by_metry_is_diagnostic_and_symmetry_is_not(
        terminology: Terminology) -> None:
    report = extract("A 58-year-old man was admitted. Oesophageal manometry and tonometry were "
                     "performed; facial asymmetry was noted.", "t", terminology)
    found = {m.text: m.kind for m in report.patients[0].mentions
             if m.kind in (MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.THERAPEUTIC_PROCEDURE)}
    assert found == {"manometry": MentionKind.DIAGNOSTIC_PROCEDURE,
                     "tonometry": MentionKind.DIAGNOSTIC_PROCEDURE}
