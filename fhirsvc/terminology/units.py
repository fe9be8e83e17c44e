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
_PREFIX_SCALES = {"da": 1e1, "Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9,
                  "M": 1e6, "k": 1e3, "h": 1e2, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6,
                  "n": 1e-9, "p": 1e-12, "f": 1e-15, "a": 1e-18}
#: Atoms of one kind that are not one another's size: a minute is 60 seconds, a mm[Hg]
#: 133 pascals (per millimetre: the prefix is read apart), a katal 6·10⁷ enzyme units.
_ATOM_SCALES = {"min": 60.0, "h": 3600.0, "d": 86400.0, "wk": 604800.0, "m[Hg]": 133322.0,
                "m[H2O]": 9806.65, "bar": 1e5, "kat": 6e7}
_ANNOTATION = re.compile(r"\{[^}]*\}")
_FACTOR = re.compile(r"^(10[*^][+-]?\d+|\d+(\.\d+)?)$")
_POWER = re.compile(r"^(.*?)(\d*)$")

Kind = tuple[tuple[str, ...], ...]


def _atom_scale(atom: str) -> float | None:
    """How many of the kind's base unit one ``atom`` is (``mg`` 10⁻³, ``dL`` 10⁻¹,
    ``10*9`` 10⁹), raised to its power; None for an atom this module does not read."""
    if _FACTOR.match(atom):
        return float(10 ** int(atom[3:])) if atom[:3] in ("10*", "10^") else float(atom)
    text, power = _POWER.fullmatch(atom).groups()  # type: ignore[union-attr]
    exponent = int(power) if power else 1
    litres = 1e3 if _atom_kind(atom) == "volume" and exponent == 3 else 1.0  # mm3 is uL
    if text in _ATOM_KINDS:
        return _ATOM_SCALES.get(text, 1.0) ** exponent * litres
    for prefix in _PREFIXES:
        rest = text[len(prefix):]
        if text.startswith(prefix) and rest in _ATOM_KINDS:
            return (_PREFIX_SCALES[prefix] * _ATOM_SCALES.get(rest, 1.0)) ** exponent * litres
    return None


def _scale(ucum: str) -> float | None:
    """The size of ``ucum`` in its kind's base units (``ng/mL`` 10⁻⁶, ``mg/L`` 10⁻³); None when
    a part is not read."""
    text = _ANNOTATION.sub("", ucum).strip().rstrip("/")
    size = 1.0
    for k, part in enumerate(text.split("/")):
        for atom in filter(None, part.split(".")):
            scale = _atom_scale(atom)
            if scale is None:
                return None
            size = size * scale if k == 0 else size / scale
    return size


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


def same_unit(value_unit: str, expected_unit: str) -> bool:
    """False only when both units are read and differ in kind, or in size a thousandfold or
    more (a prefix step: ng/mL against mg/L): a number in ``value_unit`` is then not one in
    ``expected_unit`` (a ferritin "1500" is not in the mg/L of the CRP listed after it,
    ferritin being reported in ng/mL). A tenfold apart is in use for one test (a CRP in
    mg/L or mg/dL, a hemoglobin in g/dL or g/L), so it is not judged."""
    if not same_quantity(value_unit, expected_unit):
        return False
    found, expected = _scale(value_unit), _scale(expected_unit)
    if found is None or expected is None or quantity_kind(value_unit) is None \
            or quantity_kind(expected_unit) is None:
        return True
    return max(found, expected) / min(found, expected) < 999.0
