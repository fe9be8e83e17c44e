"""A disorder's code refined by the stage written beside it (``mappings/staged_codes.tsv``).

Some code systems code a disorder at each stage: ICD-10-CM codes chronic kidney disease
as N18.9 when no stage is given and as N18.1 to N18.5 at stages 1 to 5. A table of
(code, stage) → staged code serves every such disorder; no disease is special-cased here.
"""

from __future__ import annotations

import re
from functools import cache

from fhirsvc.model import Coding
from fhirsvc.terminology import systems, tables
from fhirsvc.terminology.normalize import roman_value

#: A stage as :mod:`fhirsvc.extract.staging` reads it: a number (Roman or Arabic), then an
#: optional sub-stage letter ("IIIA", "3b").
_STAGE = re.compile(r"(?P<number>IV|V|I{1,3}|\d)(?P<letter>[A-Ca-c])?")


def stage_key(value: str) -> str | None:
    """The stage as the table writes it ("IIIA" → "3a", "2" → "2"), None for another form
    ("2/6", a TNM classification)."""
    m = _STAGE.fullmatch(value.strip())
    if m is None:
        return None
    number = m["number"]
    arabic = int(number) if number.isdigit() else roman_value(number)
    return f"{arabic}{(m['letter'] or '').lower()}"


@cache
def _staged() -> dict[tuple[str, str], Coding]:
    rows = tables.load_table("staged_codes.tsv", tables.StagedCodeRow)
    found: dict[tuple[str, str], Coding] = {}
    for row in rows:
        if (row.icd10cm, row.stage) in found:
            raise tables.TableError(f"staged_codes.tsv: {row.key}: stage listed twice")
        found[(row.icd10cm, row.stage)] = Coding(systems.ICD10CM, row.staged, row.display)
    return found


def staged_codings(codings: tuple[Coding, ...], stage: str) -> tuple[Coding, ...]:
    """``codings`` with each ICD-10-CM code that has a code at ``stage`` (as written) replaced
    by it; the others as they are."""
    key = stage_key(stage)
    if key is None:
        return codings
    table = _staged()
    return tuple(table.get((c.code, key), c) if c.system == systems.ICD10CM else c
                 for c in codings)
