"""Words that head a list, not a fact: "Medications on admission: aspirin…", "Drugs: none".

A note lists the patient's drugs, allergies or diagnoses under a label ending in a colon.
The label's noun is a class word the lexicon may know ("medications" is a generic drug
class), but as the label of a list it names no drug given and no finding: the items after
the colon are the facts. A label opens its line or its sentence, may have a word or two
before its noun ("Current medications:", "Home drugs:") and a few after it ("Medications on
admission:", "Drugs at discharge:"), and ends in the colon (or a dash set off by spaces). A
hit that takes the colon in ("Allergies: penicillin", read as an allergy to penicillin) is
a fact, not a label.
"""

from __future__ import annotations

import re

#: The nouns of a list's label: classes of drugs, allergies, diagnoses, none a fact alone.
_LABEL_NOUN = re.compile(
    r"(?:medications?|medicines?|drugs?|allerg(?:y|ies)|diagnos(?:is|es)|"
    r"drug therapy|pharmacotherapy)\Z", re.IGNORECASE)
#: What opens a label before its noun: the start of a line or a sentence, then at most two
#: words ("Current", "Home", "Discharge", "Final").
_LABEL_START = re.compile(r"(?:\A|\n|[.;]\s)[ \t]*(?:[A-Za-z-]+[ \t]+){0,2}\Z")
#: What closes a label after its noun: at most four words ("on admission", "at the time of
#: discharge"), then the colon, or a dash set off by spaces ("Medications - aspirin").
_LABEL_END = re.compile(r"(?:[ \t]+[A-Za-z-]+){0,4}?(?:[ \t]*:|[ \t]+[-\u2013\u2014][ \t])")
#: Short forms of a note's sections ("PMH was unremarkable", "ROS was negative"): what they
#: are said to be is the section's content, they name no test.
NOTE_SECTIONS = frozenset({"PMH", "PSH", "FH", "SH", "ROS", "HPI"})
#: How far before a label's noun its start may be.
_REACH = 40


def is_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the noun of a list's label (see the module's doc)."""
    return (_LABEL_NOUN.match(text, start, end) is not None
            and _LABEL_END.match(text, end) is not None
            and _LABEL_START.search(text, max(0, start - _REACH), start) is not None)
