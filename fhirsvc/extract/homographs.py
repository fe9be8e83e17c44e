"""A one-word finding's name that names something else by its grammar.

Used as a verb: "told not to rub her eyes" names no rub. Some findings are named by a word
that is also a verb whose act is no finding (:data:`_ACTS`: to rub something is no friction
rub; to cough or to bleed is the symptom, and stays it). Written after "to" or a subject
pronoun, and before an owner or an article that opens its object, such a word is the verb;
anywhere else it stays the finding ("no murmurs, rubs or gallops").

Used as the name of an act done: "aspiration" is a finding (food or fluid breathed in) and a
procedure (fluid drawn out with a needle). Written with the needle or the imaging that
guides it, with a determiner opening what it draws from ("aspiration of the cyst"), or
told as performed or as yielding something, it is the procedure (:func:`as_act`).
"""

from __future__ import annotations

import re

from fhirsvc.model import CONDITION_KINDS, MentionKind
from fhirsvc.terminology.lexicon import Hit

#: Finding names whose verb tells of an act, not of the finding.
_ACTS = frozenset({"rub", "rubs"})
#: What comes right before a verb: "to", a subject pronoun, or a modal or negation.
_BEFORE_VERB = re.compile(r"\b(?:to|he|she|they|i|we|not|would|could|may|might|should|will|"
                          r"often|did|does|do)\s+$", re.IGNORECASE)
#: The object's owner or article right after a verb ("rub her eyes", "rubs the area").
_OBJECT_AFTER = re.compile(r"\s+(?:his|her|their|its|my|the|a|an)\b", re.IGNORECASE)


def verb_use(text: str, hit: Hit) -> bool:
    """Whether a one-word condition hit is written as a verb with its object (see the module)."""
    if hit.kind not in CONDITION_KINDS or text[hit.start : hit.end].lower() not in _ACTS:
        return False
    return _BEFORE_VERB.search(text, max(0, hit.start - 10), hit.start) is not None \
        and _OBJECT_AFTER.match(text, hit.end) is not None


#: Finding names that also name a procedure drawing fluid or tissue out.
_DRAWN = frozenset({"aspiration", "aspirations"})
#: Words right before such a name that tell of the instrument, the guidance or the way in
#: ("needle aspiration", "ultrasound-guided aspiration", "percutaneous aspiration").
_INSTRUMENT_BEFORE = re.compile(
    r"(?:\b(?:needle|fine-needle|percutaneous|transbronchial|transthoracic|endoscopic|"
    r"surgical|manual|syringe|suction|vacuum|diagnostic|therapeutic)|-guided)\s+$",
    re.IGNORECASE)
#: After the name: "of" and a determiner or owner opening what is drawn from ("aspiration of
#: the cyst"; "aspiration of gastric contents", without one, is the finding, as is a foreign
#: body breathed in), or a verb telling it was done or what it yielded.
_ACT_AFTER = re.compile(
    r"\s+(?:of\s+(?:the|a|an|his|her|their|both|this)\s+(?!foreign\b)"
    r"|(?:was|were)\s+(?:(?:then|also|subsequently|successfully)\s+)?"
    r"(?:performed|done|carried\s+out|undertaken|attempted|repeated)\b"
    r"|(?:yielded|revealed|showed|demonstrated|returned|obtained|drained|produced)\b)",
    re.IGNORECASE)


def as_act(text: str, hit: Hit) -> Hit:
    """``hit``, or a diagnostic procedure in its place when it is a finding's name that also
    names drawing fluid out (:data:`_DRAWN`), written as that act (see the module)."""
    if hit.kind not in CONDITION_KINDS or text[hit.start : hit.end].lower() not in _DRAWN:
        return hit
    if _INSTRUMENT_BEFORE.search(text, max(0, hit.start - 30), hit.start) is None \
            and _ACT_AFTER.match(text, hit.end) is None:
        return hit
    return Hit(hit.start, hit.end, MentionKind.DIAGNOSTIC_PROCEDURE, ())


#: A growth's noun right before a word: what the word then tells is what the growth does
#: ("a carcinoma infiltrating the serosa", "the tumour invading the portal vein").
_GROWTH_BEFORE = re.compile(r"\b(?:\w+oma|tumou?rs?|masse?s?|lesions?|cancers?|neoplasms?|"
                            r"cells)\s+$", re.IGNORECASE)
#: What opens the object or the path of a verb of spread after it.
_PATH_AFTER = re.compile(r"\s+(?:the|a|an|its|into|from|through|beyond|across|along|up\s+to)\b",
                         re.IGNORECASE)


def growth_verb(text: str, hit: Hit) -> bool:
    """Whether a one-word condition hit in "-ing" is the verb of a growth named before it, with
    its object or path after it ("adenocarcinoma infiltrating from the mucosa to the muscle
    layer"): it tells how far the growth reaches, the growth is the finding."""
    word = text[hit.start : hit.end]
    return hit.kind in CONDITION_KINDS and word.endswith("ing") and " " not in word \
        and _GROWTH_BEFORE.search(text, max(0, hit.start - 30), hit.start) is not None \
        and _PATH_AFTER.match(text, hit.end) is not None


#: A cell or tissue noun right after a word: the words then name a kind of cell or tissue
#: ("ganglion cells", "giant cells"), not the disorder the first word alone names.
_CELLS_AFTER = re.compile(r"[\s-]+cells?\b", re.IGNORECASE)
#: Words of a growth or its spread, or of a cell's abnormal shape: their cells are the growth
#: or the finding, and stay it ("tumor cells", "carcinoma cells", "sickle cells").
_GROWTH_WORD = re.compile(r"\w+oma|tumou?rs?|cancers?|neoplas\w*|malignan\w*|leuka?emi\w*|"
                          r"metasta\w*|blasts?|lymphoproliferative|dysplastic|sickle(?:d|-shaped)?",
                          re.IGNORECASE)


def cell_name(text: str, hit: Hit) -> bool:
    """Whether a one-word condition hit is the first word of a cell's name ("absence of
    ganglion cells": nerve cells, no ganglion cyst), unless it names a growth whose cells
    these are."""
    word = text[hit.start : hit.end]
    return hit.kind in CONDITION_KINDS and " " not in word \
        and _CELLS_AFTER.match(text, hit.end) is not None \
        and _GROWTH_WORD.fullmatch(word) is None
