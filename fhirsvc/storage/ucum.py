"""UCUM units reduced to base units, so quantity search compares across units.

R4 lets a server match ``value-quantity=gt1|http://unitsofmeasure.org|g/L`` against a
stored ``150 mg/dL`` by converting both to canonical units
(https://hl7.org/fhir/R4/search.html#quantity). This covers the unit grammar clinical
data uses (prefixes, ``.``, ``/``, exponents, ``10*n`` factors, annotations) and the
common atoms; anything else has no canonical form and is matched by its code as
written. Units with an offset (``Cel``, ``[degF]``) are never converted.
See https://ucum.org/ucum (The Unified Code for Units of Measure).
"""

from __future__ import annotations

import math
import re

#: atom → (factor, {base: exponent}) ; base units of UCUM plus counted "kinds".
_ATOMS: dict[str, tuple[float, dict[str, int]]] = {
    "m": (1, {"m": 1}), "g": (1, {"g": 1}), "s": (1, {"s": 1}), "K": (1, {"K": 1}),
    "mol": (1, {"mol": 1}), "cd": (1, {"cd": 1}), "rad": (1, {"rad": 1}), "C": (1, {"C": 1}),
    "L": (1e-3, {"m": 3}), "l": (1e-3, {"m": 3}),
    "min": (60, {"s": 1}), "h": (3600, {"s": 1}), "d": (86400, {"s": 1}),
    "wk": (604800, {"s": 1}), "mo": (2629800, {"s": 1}), "a": (31557600, {"s": 1}),
    "%": (1e-2, {}), "[ppm]": (1e-6, {}), "[ppb]": (1e-9, {}),
    "eq": (1, {"eq": 1}), "U": (1, {"U": 1}), "[IU]": (1, {"[IU]": 1}),
    "[iU]": (1, {"[IU]": 1}), "kat": (1, {"kat": 1}),
    "[in_i]": (0.0254, {"m": 1}), "[ft_i]": (0.3048, {"m": 1}),
    "[lb_av]": (453.59237, {"g": 1}), "[oz_av]": (28.349523125, {"g": 1}),
    "m[Hg]": (133322000, {"g": 1, "m": -1, "s": -2}),
    "m[H2O]": (9806650, {"g": 1, "m": -1, "s": -2}),
    "Pa": (1000, {"g": 1, "m": -1, "s": -2}), "bar": (1e8, {"g": 1, "m": -1, "s": -2}),
    "N": (1000, {"g": 1, "m": 1, "s": -2}), "J": (1000, {"g": 1, "m": 2, "s": -2}),
    "cal": (4184, {"g": 1, "m": 2, "s": -2}), "W": (1000, {"g": 1, "m": 2, "s": -3}),
    "Hz": (1, {"s": -1}), "Bq": (1, {"s": -1}), "Gy": (1, {"m": 2, "s": -2}),
    "Sv": (1, {"m": 2, "s": -2}), "[drp]": (5e-8, {"m": 3}), "st": (1e-3, {"m": 3}),
}
_PREFIXES = {
    "Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3,
    "h": 1e2, "da": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12,
    "f": 1e-15, "a": 1e-18, "z": 1e-21, "y": 1e-24,
}
_UNPREFIXABLE = {"%", "[ppm]", "[ppb]", "min", "h", "d", "wk", "mo", "a", "[in_i]",
                 "[ft_i]", "[lb_av]", "[oz_av]", "[drp]", "[IU]", "[iU]"}
_TERM = re.compile(r"(?P<unit>[^\d+\-^*]+|10[*^][+-]?\d+|\d+)(?P<exp>[+-]?\d+)?")
_ANNOTATION = re.compile(r"\{[^}]*\}")


def _atom(text: str) -> tuple[float, dict[str, int]] | None:
    if text in _ATOMS:
        return _ATOMS[text]
    for length in (2, 1):
        prefix, rest = text[:length], text[length:]
        if prefix in _PREFIXES and rest in _ATOMS and rest not in _UNPREFIXABLE:
            factor, dims = _ATOMS[rest]
            return factor * _PREFIXES[prefix], dims
    return None


def _term(text: str) -> tuple[float, dict[str, int]] | None:
    match = _TERM.fullmatch(text)
    if match is None:
        return None
    unit, exponent = match["unit"], int(match["exp"] or 1)
    if unit[:3] in ("10*", "10^"):
        return 10.0 ** (int(unit[3:]) * exponent), {}
    if unit.isdigit():
        return float(unit) ** exponent, {}
    found = _atom(unit)
    if found is None:
        return None
    factor, dims = found
    return factor ** exponent, {base: power * exponent for base, power in dims.items()}


def canonical_unit(code: str) -> tuple[float, str] | None:
    """``mg/dL`` → (10.0, ``g.m-3``): the factor to base units and the base unit code."""
    text = _ANNOTATION.sub("", code.strip()) or "1"
    if "(" in text or " " in text:
        return None
    factor, dims = 1.0, dict[str, int]()
    for position, (separator, term) in enumerate(re.findall(r"([./]?)([^./]+)", text)):
        found = (1.0, {}) if term == "1" else _term(term)
        if found is None or (position == 0 and separator == "."):
            return None
        sign = -1 if separator == "/" else 1
        factor *= found[0] ** sign
        for base, power in found[1].items():
            dims[base] = dims.get(base, 0) + sign * power
    unit = ".".join(f"{base}{power if power != 1 else ''}"
                    for base, power in sorted(dims.items()) if power)
    return factor, unit or "1"


def canonical(value: float, code: str) -> tuple[float, str] | None:
    """A value in ``code`` units as (value in base units, base unit code), or None."""
    if code in ("Cel", "[degF]") or math.isnan(value):
        return None
    converted = canonical_unit(code)
    if converted is None:
        return None
    factor, unit = converted
    return round_significant(value * factor), unit


def round_significant(number: float) -> float:
    """12 significant digits, so one amount reached by two unit paths compares equal."""
    if number == 0 or not math.isfinite(number):
        return number
    return round(number, 11 - math.floor(math.log10(abs(number))))
