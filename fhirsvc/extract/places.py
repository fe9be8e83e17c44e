"""Words of a finding or a treatment that are part of the name of a place of care.

"She was referred to the cardiovascular surgery clinic", "presented to the Shock Trauma
Center": the words a lexicon knows ("surgery", "Trauma", "Shock") name a clinic or an
institution there, not a treatment done or a finding of the patient, so they are no
mention. An institution's name is written in title case and ends in a noun such as
"Center" or "Hospital"; a department of a hospital is named by its speciality and
"clinic" or "department" after it.
"""

from __future__ import annotations

import re

from fhirsvc.extract.scan import may_mention

#: Nouns of places and staff of care ("transplant clinic", "dialysis unit", "surgery team",
#: "the biopsy site", "the radiation oncologist", "the transplant programme"): after a
#: procedure's name they say where or by whom care is given.
PLACE_NOUNS = (r"team|teams|room|rooms|unit|units|center|centre|department|clinic|clinics|ward|"
               r"wards|service|theatre|theater|laboratory|suite|site|sites|surgeons?|"
               r"oncologists?|radiologists?|technicians?|technologists?|nurses?|physicians?|"
               r"specialists?|staff|programs?|programmes?")
#: A place's noun after a hit, perhaps after further title-case words of its name.
_PLACE_AFTER = re.compile(
    r"(?:\s+[A-Z][\w'-]*)*?\s+(?:Center|Centre|Hospital|Clinic|Institute|University|"
    r"Department|Foundation|College)\b"
    r"|\s+(?:clinic|clinics|department|departments)\b")


#: A department or its staff named before its speciality ("the Department of General
#: Surgery", "a professor of radiology"), up to two words between.
_PLACE_BEFORE = re.compile(
    r"\b(?:departments?|divisions?|clinics?|institutes?|schools?|faculty|professors?|chair)"
    r"\s+of\s+(?:[A-Za-z-]+\s+){0,2}\Z", re.IGNORECASE)
#: How far before a speciality :data:`_PLACE_BEFORE` looks.
_BEFORE_CHARS = 60


def names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the words at ``text[start:end]`` are part of the name of a place of care:
    a clinic or department ("surgery clinic", "department of surgery"), or, written in
    title case, an institution ("Shock Trauma Center")."""
    lo = max(0, start - _BEFORE_CHARS)
    # asked of every hit: most have no "of" before them, and then no search is made
    if may_mention(text, lo, start, ("of",)) and _PLACE_BEFORE.search(text, lo, start):
        return True
    found = _PLACE_AFTER.match(text, end)
    if found is None:
        return False
    if found.group().split()[-1][0].islower():  # "surgery clinic"
        return True
    return text[start].isupper()


#: A ward, unit or team named after the disorder it cares for ("the stroke unit", "the burn
#: ward", "the infection control team"), and the other services, staff and acts named so:
#: a board, a nurse, a consultation, a work-up, a vaccination, a prevention programme, a
#: protocol or a screen ("the tumor board", "the diabetes nurse", "an infectious disease
#: consultation", "a stroke work-up", "pneumonia vaccination", "hypertension prevention",
#: "sent for lymphoma protocol", "a malignancy screen") care for, guard against or look for
#: the disorder, which the patient need not have.
_UNIT_AFTER = re.compile(
    r"\s+(?:control\s+)?(?:unit|units|ward|wards|team|teams|board|boards|service|services|"
    r"nurses?|specialists?|consult|consultation|consultations|work-?ups?|"
    r"vaccinations?|vaccines?|prevention|protocols?|screens?|screening)\b",
    re.IGNORECASE)


def names_a_unit(text: str, end: int) -> bool:
    """Whether the disorder's words ending at ``end`` name a ward, unit, team or service of
    care or an act against it (:data:`_UNIT_AFTER`), not the patient's disorder."""
    return _UNIT_AFTER.match(text, end) is not None
