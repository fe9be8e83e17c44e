"""What a UCUM unit measures, so a code's property can be checked against a value's unit.

A LOINC code names a property as well as an analyte: "Glucose [Mass/volume]" is 2345-7,
"Glucose [Moles/volume]" another code. A value of 5.4 mmol/L under 2345-7 says something
false, and so does "TLC 80 %" (total lung capacity) under the leukocyte count. Comparing
the kinds of quantity the two units measure (mass per volume, substance per volume, count
per volume…) catches both without a table per analyte. Only the unit grammar and atoms case
reports use are read; a unit with anything else is not judged (``None``).
"""

from __future__ import annotations

import re

#: UCUM atom → the kind of quantity it measures. Equivalents count as substance (mEq/L of
#: sodium is mmol/L) and international units as enzyme units (an "IU/L" ALT is U/L).
_ATOM_KINDS = {
    "g": "mass", "mol": "substance", "eq": "substance", "L": "volume", "l": "volume",
    "U": "activity", "[IU]": "activity", "[iU]": "activity", "kat": "activity",
    "m[Hg]": "pressure", "m[H2O]": "pressure", "Pa": "pressure", "bar": "pressure",
    "m": "length", "s": "time", "min": "time", "h": "time", "d": "time", "wk": "time",
    "%": "fraction", "[pH]": "pH", "Cel": "temperature", "[degF]": "temperature",
    "[HPF]": "field", "[LPF]": "field",
}
_PREFIXES = ("da", "Y", "Z", "E", "P", "T", "G", "M", "k", "h", "d", "c", "m", "u", "n", "p",
             "f", "a")
_ANNOTATION = re.compile(r"\{[^}]*\}")
_FACTOR = re.compile(r"^(10[*^][+-]?\d+|\d+(\.\d+)?)$")
_POWER = re.compile(r"^(.*?)(\d*)$")

Kind = tuple[tuple[str, ...], ...]


def _atom_kind(atom: str) -> str | None:
    text, power = _POWER.fullmatch(atom).groups()  # type: ignore[union-attr]
    kind = _ATOM_KINDS.get(text)
    if kind is None:
        for prefix in _PREFIXES:
            if text.startswith(prefix) and text[len(prefix):] in _ATOM_KINDS:
                kind = _ATOM_KINDS[text[len(prefix):]]
                break
    if kind is None:
        return None
    if kind == "length" and power == "3":
        return "volume"  # mm3, a count "per mm3"
    return kind + (power if power not in ("", "1") else "")


def _part_kind(part: str) -> tuple[str, ...] | None:
    kinds = []
    for atom in filter(None, part.split(".")):
        if _FACTOR.match(atom):
            continue  # 10*3, 24: a count or a scale, not a kind of quantity
        kind = _atom_kind(atom)
        if kind is None:
            return None
        kinds.append(kind)
    return tuple(sorted(kinds))


def quantity_kind(ucum: str) -> Kind | None:
    """``mg/dL`` → ((mass,), (volume,)); ``10*3/uL`` → ((), (volume,)); None when a part of
    the unit is not one this module reads (it is then not judged)."""
    text = _ANNOTATION.sub("", ucum).strip().rstrip("/")
    if not text or "(" in text or " " in text:
        return None
    kinds = []
    for part in text.split("/"):
        kind = _part_kind(part)
        if kind is None:
            return None
        kinds.append(kind)
    return tuple(kinds)


def same_quantity(value_unit: str, expected_unit: str) -> bool:
    """False only when both units are read and measure different kinds of quantity: a value
    in ``value_unit`` cannot be a result of a test reported in ``expected_unit``."""
    found, expected = quantity_kind(value_unit), quantity_kind(expected_unit)
    return found is None or expected is None or found == expected
