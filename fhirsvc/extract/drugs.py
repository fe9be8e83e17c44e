"""Drug names the lexicon finds that name no drug given to the patient.

A drug dictionary matches a drug's name wherever it is written, but case reports often
write that name as part of something else:

- a test or what a test measures: "anti-phospholipid IgG", "soluble interleukin-2
  receptor", "interferon-γ release assay", "collagen/epinephrine closure time";
- a word of an eponym, "Ivor-Lewis esophagectomy": a hyphen joins it to another name.

Each such hit is dropped before mentions are made, so it yields no
MedicationAdministration (https://hl7.org/fhir/R4/medicationadministration.html: "the
event of a patient consuming or otherwise being administered a medication").

A drug class against a substance ("anti-estrogen therapy") keeps its words but not the
substance's codes. A brand or short form in parentheses right after a name of the same
drug ("capecitabine (Xeloda; Roche)", "granulocyte colony-stimulating factor (G-CSF)")
takes that name's concepts, so both wordings become one administration.
"""

from __future__ import annotations

import re

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


def not_given(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` without the drug names that name a test or an eponym; a drug class against
    a substance, and the drug just named, as said above."""
    out: list[Hit] = []
    for hit in hits:
        if hit.kind is MentionKind.MEDICATION:
            anti = _ANTI_BEFORE.search(text, max(0, hit.start - 6), hit.start)
            if _TEST_AFTER.match(text, hit.end) or _EPONYM_AFTER.match(text, hit.end) \
                    or (anti and not _CLASS_AFTER.match(text, hit.end)):
                continue
            if anti:
                hit = Hit(anti.start(), hit.end, hit.kind, ())
            elif _same_drug_again(text, hit, out[-1] if out else None):
                hit = Hit(hit.start, hit.end, hit.kind, out[-1].concepts)
        out.append(hit)
    return out


def _same_drug_again(text: str, hit: Hit, before: Hit | None) -> bool:
    """A brand or other name in parentheses right after a name of the same drug."""
    return (before is not None and before.kind is MentionKind.MEDICATION
            and _OPENS.fullmatch(text, before.end, hit.start) is not None
            and not set(hit.concepts).isdisjoint(before.concepts))
