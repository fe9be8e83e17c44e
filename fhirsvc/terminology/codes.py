"""Format checks for codes, so a malformed code never enters a table.

- SNOMED CT identifiers end in a Verhoeff check digit
  (https://confluence.ihtsdotools.org/display/DOCRELFMT/6.1+SCTID+Data+Type).
- LOINC codes end in a mod-10 check digit (LOINC Users' Guide, appendix on check digits).
- RxNorm concept identifiers (RXCUI) are plain positive integers.
- ORPHA and HPO codes have fixed shapes; ICD-10-CM codes must exist in the
  installed ICD-10-CM (checked by the loader, which has the code list).
"""

from __future__ import annotations

import re

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2), (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_ok(digits: str) -> bool:
    """True when the last digit of ``digits`` is its Verhoeff check digit."""
    check = 0
    for i, ch in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(ch)]]
    return check == 0


def is_snomed(code: str) -> bool:
    """An SCTID: 6–18 digits, no leading zero, valid Verhoeff check digit."""
    return bool(re.fullmatch(r"[1-9]\d{5,17}", code)) and verhoeff_ok(code)


def loinc_check_digit(body: str) -> int:
    """LOINC's mod-10 check digit of the part before the hyphen."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d // 10 + d % 10
        total += d
    return (10 - total % 10) % 10


def is_loinc(code: str) -> bool:
    """A LOINC code ``NNNNN-C`` whose check digit ``C`` is right."""
    m = re.fullmatch(r"(\d{1,7})-(\d)", code)
    return m is not None and loinc_check_digit(m.group(1)) == int(m.group(2))


def is_rxnorm(code: str) -> bool:
    return bool(re.fullmatch(r"[1-9]\d{0,8}", code))


def is_orpha(code: str) -> bool:
    return bool(re.fullmatch(r"[1-9]\d{0,6}", code))


def is_hpo(code: str) -> bool:
    return bool(re.fullmatch(r"HP:\d{7}", code))


def is_icd10cm_shape(code: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?", code))
