"""Drug names the lexicon finds that name no drug given to the patient.

A drug dictionary matches a drug's name wherever it is written, but case reports often
write that name as part of something else:

- a test or what a test measures: "anti-phospholipid IgG", "soluble interleukin-2
  receptor", "interferon-γ release assay", "collagen/epinephrine closure time";
- a word of an eponym, "Ivor-Lewis esophagectomy": a hyphen joins it to another name.

Each such hit is dropped before mentions are made (:func:`not_given`), so it yields no
MedicationAdministration (https://hl7.org/fhir/R4/medicationadministration.html: "the
event of a patient consuming or otherwise being administered a medication").

A drug class against a substance ("anti-estrogen therapy") keeps its words but not the
substance's codes. A brand or short form in parentheses right after a name of the same
drug ("capecitabine (Xeloda; Roche)", "granulocyte colony-stimulating factor (G-CSF)")
takes that name's concepts, so both wordings become one administration.

A substance the lexicon knows as what a test measures is a drug when the words before it
give it ("received albumin", "treated with potassium", "transfusion of platelets"): a
MedicationAdministration without the test's codes.

A regimen no table lists is named by its shape: an acronym of capitals before
"regimen" or "chemotherapy" ("the MAP regimen", "TPF chemotherapy").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import MentionKind
from fhirsvc.terminology.lexicon import Hit

#: What a test names after a substance it measures or reacts to.
_TEST_AFTER = re.compile(
    r"[\s-]*(?:receptors?|release\s+assays?|release\s+tests?|assays?|closure\s+times?|"
    r"antibod(?:y|ies)|autoantibod(?:y|ies)|Ig[GMAE]\b|titers?|titres?|"
    r"(?:skin|patch|challenge|provocation)\s+tests?)",
    re.IGNORECASE,
)
#: "anti-phospholipid", "anti-insulin": an antibody against the substance, not the substance.
_ANTI_BEFORE = re.compile(r"\banti[\s-]?$", re.IGNORECASE)
#: What follows a drug class named against a substance ("anti-estrogen therapy").
_CLASS_AFTER = re.compile(r"\s+(?:therapy|treatment|drugs?|agents?|medications?)\b",
                          re.IGNORECASE)
#: A name joined by a hyphen to a capitalised name ("Ivor-Lewis"): an eponym's part.
_EPONYM_AFTER = re.compile(r"[-–][A-Z][a-z]")
#: The opening of a parenthesis right after a name, with what may sit between.
_OPENS = re.compile(r"\s*\(\s*$")
#: A regimen's acronym: three or more characters, two capitals at least ("R-CHOP", "CyBorD").
_ACRONYM = r"[A-Z](?=[A-Za-z0-9-]*[A-Z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
_REGIMEN = re.compile(rf"\b({_ACRONYM})\s+regimens?\b")
_ACRONYM_BEFORE = re.compile(rf"(?<![\w-])({_ACRONYM})\s+$")


#: Short forms of dosing times, not regimens ("a BID regimen").
_DOSING = frozenset({"BID", "TID", "QID", "QD", "QOD", "QHS", "PRN", "OD", "BD", "TDS", "QDS"})


def _is_regimen(acronym: str) -> bool:
    return len(acronym) >= 3 and acronym.upper() not in _DOSING


def regimen_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Regimens named by an acronym before "regimen" ("the MAP regimen"; a "protocol" may
    be a care pathway's: "the ICU protocol")."""
    claimed = SpanIndex.over(taken)
    found = [Hit(m.start(), m.end(), MentionKind.MEDICATION, ())
             for m in _REGIMEN.finditer(text, start, end) if _is_regimen(m.group(1))]
    return [h for h in found if not claimed.overlaps(h.start, h.end)]


def _with_acronym(text: str, hit: Hit, before: Hit | None) -> Hit:
    """"TPF chemotherapy": the regimen's acronym belongs to the chemotherapy's name, unless
    another kind of hit holds it ("AML chemotherapy": the disease treated)."""
    m = _ACRONYM_BEFORE.search(text, max(0, hit.start - 16), hit.start)
    chemotherapy = text[hit.start : hit.end].lower().startswith("chemo")
    if m is None or not _is_regimen(m.group(1)) or not chemotherapy or (
            before is not None and before.end > m.start(1)
            and before.kind is not MentionKind.MEDICATION):
        return hit
    return Hit(m.start(1), hit.end, hit.kind, hit.concepts)


#: Words that give what follows them, then the words a product's name may begin with.
_GIVEN_BEFORE = re.compile(
    r"\b(?:(?:treated|managed|supplemented|replaced)\s+with|received|receiving|"
    r"(?:was|were|is|are|been|being|be|then|and|also)\s+given|administered|"
    r"administration\s+of|infusions?\s+of|infused|transfusions?\s+of|"
    r"supplementation\s+with|replacement\s+with)\s+"
    r"(?:(?:\d+(?:\.\d+)?\s*%|intravenous|IV|oral|human|additional|supplemental)\s+)*$",
    re.IGNORECASE,
)
#: A test's own words after the substance ("received albumin levels" is no giving), a
#: procedure's ("given platelet transfusions": the transfusion is the treatment), or a
#: value or result ("treated with ferritin above 1,000 ng/mL in mind" is no giving).
_MEASURED_AFTER = re.compile(
    r"\s*(?:[<>≤≥=]|\d)|\s+(?:counts?|levels?|concentrations?|values?|transfusions?|infusions?|"
    r"of|was|were|is|are|above|below|over|under|elevation|increase|decrease|rise|fall)\b",
    re.IGNORECASE)
_MEASURED_END = re.compile(r"\b(?:counts?|levels?|concentrations?|values?)$", re.IGNORECASE)
#: What the patient is allergic to or does not tolerate is no drug given ("a known
#: penicillin allergy", "allergic to sulfonamides").
_ALLERGY_AFTER = re.compile(r"[\s-]*(?:allerg\w*|hypersensitivity|intolerance)\b", re.IGNORECASE)
_ALLERGY_BEFORE = re.compile(
    r"\b(?:allergic|allergy|allergies|hypersensitivity|hypersensitive|intolerant|intolerance)"
    r"\s+(?:to|of)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def read_drugs(text: str, hits: list[Hit]) -> list[Hit]:
    """Lexicon ``hits`` with a drug class against a substance, the drug just named, a
    regimen's acronym and a substance given read as said above."""
    out: list[Hit] = []
    for hit in hits:
        if hit.kind is MentionKind.LAB_TEST and _GIVEN_BEFORE.search(
                text, max(0, hit.start - 60), hit.start) \
                and not _MEASURED_AFTER.match(text, hit.end) \
                and not _MEASURED_END.search(text, hit.start, hit.end):
            hit = Hit(hit.start, hit.end, MentionKind.MEDICATION, ())
        elif hit.kind is MentionKind.MEDICATION:
            anti = _ANTI_BEFORE.search(text, max(0, hit.start - 6), hit.start)
            if anti and _CLASS_AFTER.match(text, hit.end):
                hit = Hit(anti.start(), hit.end, hit.kind, ())
            elif _same_drug_again(text, hit, out[-1] if out else None):
                hit = Hit(hit.start, hit.end, hit.kind, out[-1].concepts)
            else:
                hit = _with_acronym(text, hit, out[-1] if out else None)
                if out and out[-1].end > hit.start:
                    out.pop()  # "TPF chemotherapy": the regimen's own hit is now inside
        out.append(hit)
    return out


def not_given(text: str, hit: Hit) -> bool:
    """Whether ``hit`` is a drug's name that names a test, an eponym, an antibody against
    it or what the patient is allergic to: asked of every hit, lexicon or not, once all
    are found (a hit dropped earlier would leave its words to the drug-stem rule)."""
    return hit.kind is MentionKind.MEDICATION and bool(
        _TEST_AFTER.match(text, hit.end) or _EPONYM_AFTER.match(text, hit.end)
        or _ANTI_BEFORE.search(text, max(0, hit.start - 6), hit.start)
        or _ALLERGY_AFTER.match(text, hit.end)
        or _ALLERGY_BEFORE.search(text, max(0, hit.start - 50), hit.start))


def _same_drug_again(text: str, hit: Hit, before: Hit | None) -> bool:
    """A brand or other name in parentheses right after a name of the same drug."""
    return (before is not None and before.kind is MentionKind.MEDICATION
            and _OPENS.fullmatch(text, before.end, hit.start) is not None
            and not set(hit.concepts).isdisjoint(before.concepts))
