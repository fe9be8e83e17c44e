"""A one-word finding's name used as a verb: "told not to rub her eyes" names no rub.

Some findings are named by a word that is also a verb whose act is no finding
(:data:`_ACTS`: to rub something is no friction rub; to cough or to bleed is the symptom, and
stays it). Written after "to" or a subject pronoun, and before an owner or an article that
opens its object, such a word is the verb; anywhere else it stays the finding ("no murmurs,
rubs or gallops").
"""

from __future__ import annotations

import re

from fhirsvc.model import CONDITION_KINDS
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
