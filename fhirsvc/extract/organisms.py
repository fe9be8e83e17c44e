"""An organism's scientific name, genus and species, is one name: "Streptococcus pneumoniae".

Bacteria are often named after the disease they cause, their species a Latin genitive of
it: "Klebsiella pneumoniae", "Haemophilus influenzae", "Neisseria gonorrhoeae",
"Corynebacterium diphtheriae". Normalised as a Latin plural ("petechiae" → "petechia"), the
species would name the disease ("pneumonia") the text does not state: a species after its
genus names no disorder. A genus the lexicon knows ("Streptococcus", "Klebsiella") takes
its species into its mention, so the organism is one mention, not a genus and a word after
it. See https://www.hl7.org/fhir/R4/condition.html: a Condition states a problem of the
patient, which an organism's name alone does not.
"""

from __future__ import annotations

import re

from fhirsvc.extract.markers import NOT_SPECIES
from fhirsvc.model import CONDITION_KINDS
from fhirsvc.terminology.lexicon import Hit

#: A genus written before its species: an initial ("S.") or one capitalised word that is no
#: English adjective, determiner or number ("Multiple petechiae", "Scattered bullae",
#: "Numerous", "Several", "Large", "Few").
_GENUS_BEFORE = re.compile(
    r"(?<![\w.])(?:[A-Z]\.|[A-Z][a-z]{2,}(?<!ous)(?<![^r]y)"
    r"(?<!ed|al|ar|ve|ic|le|se|ng|ul|nt|ge|ll|ew|st|me|th|wo|ee|re|te|ne))\s?$")
#: A species after its genus: a lower-case Latin word ("aureus", "coli", "pneumoniae",
#: "pyogenes", "albicans"), no verb or linking word ("Klebsiella was", "Anemia worsens").
_SPECIES = re.compile(
    rf"\s(?!(?:{NOT_SPECIES})\b)[a-z]{{3,}}(?:ae|i|is|us|um|a|genes|ans)\b")
#: A species that is a Latin genitive of a disease's name ("pneumoniae", "influenzae").
_GENITIVE = re.compile(r"[a-z]{3,}ae\b")


def _genus_ends_at(text: str, at: int) -> bool:
    return _GENUS_BEFORE.search(text, max(0, at - 40), at) is not None


def _species_of_genus(text: str, hit: Hit) -> bool:
    """Whether a disorder hit is a species' Latin genitive after its genus ("Haemophilus
    influenzae", "S. pneumoniae"): the organism, not the disease."""
    return (hit.kind in CONDITION_KINDS and _GENITIVE.match(text, hit.start) is not None
            and _genus_ends_at(text, hit.start))


def named_organisms(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) with no disorder on a species after its genus, and a genus
    hit reaching over its species: "Klebsiella pneumoniae" is one organism, not Klebsiella
    and pneumonia; an organism and "infection" after it are one infection
    (:func:`_infections_of`)."""
    out: list[Hit] = []
    for hit in hits:
        if _species_of_genus(text, hit):
            continue
        out.append(hit)
    starts = {h.start for h in out}
    for i, hit in enumerate(out):
        if hit.kind not in CONDITION_KINDS or not text[hit.start].isupper() \
                or not _genus_ends_at(text, hit.end):
            continue
        species = _SPECIES.match(text, hit.end)
        if species is not None and species.start() + 1 not in starts:
            out[i] = Hit(hit.start, species.end(), hit.kind, hit.concepts)
    return _infections_of(text, out)


#: The concept of a bare "infection", which an organism's name before it makes specific.
_INFECTION = ("cond:infection",)


def _infections_of(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` with an organism's name and "infection" right after it read as one disorder
    ("norovirus infection", "Klebsiella pneumoniae infection"), coded as the organism's: one
    infection named, not an organism and an infection of nothing."""
    out: list[Hit] = []
    for hit in hits:
        before = out[-1] if out else None
        if (before is not None and hit.concepts == _INFECTION and before.kind in CONDITION_KINDS
                and before.concepts and before.concepts != _INFECTION
                and text[before.end : hit.start] == " "):
            out[-1] = Hit(before.start, hit.end, before.kind, before.concepts)
            continue
        out.append(hit)
    return out
