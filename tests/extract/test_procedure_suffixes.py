"""The procedure-suffix finder: its start literals and its pattern come from one list."""

import re

from fhirsvc.extract.markers import _SUFFIX_END, _SUFFIXES


def test_every_suffix_of_the_list_is_found_where_its_plain_pattern_finds_it() -> None:
    words = [start + ending for start, ending in _SUFFIXES for ending in ("y", "ies", "s", "")]
    text = " ".join(f"xx{word}" for word in words)
    plain = re.compile(rf"(?:{'|'.join(s + e for s, e in _SUFFIXES)})(?![A-Za-z-])")
    found = [m.span() for m in _SUFFIX_END.finditer(text, 0, len(text))]
    assert found == [m.span() for m in plain.finditer(text)]
    assert len(found) >= len(_SUFFIXES)
