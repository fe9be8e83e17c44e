"""What the words around a mention say about it: result, dosage, status, source, reason.

Each function reads a window of the mention's sentence and returns one typed record
of ``fhirsvc.model`` (or None), so each can be tested alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from fhirsvc.extract import scan, values
from fhirsvc.model import ClinicalStatus, Dosage, Qualitative, Range, Result, Source, Span

#: Verbs of a value's course on its way to the value written next ("CK increased, peaking at
#: 2,300 U/L", "sodium fell to 120 mmol/L"): no test's name, and what stands between a
#: test's name or judgement and its value.
COURSE_VERBS = ("peaking", "peaked", "reaching", "reached", "rising", "rose", "falling", "fell",
                "dropping", "dropped", "declining", "declined", "climbing", "climbed")
#: :data:`COURSE_VERBS` as a regular expression's alternatives.
COURSE = "|".join(COURSE_VERBS)
#: Verbs of a state's course with no value of their own ("creatinine improved": better).
_BETTER_OR_WORSE = "improved|recovered|worsened"

FILLER = re.compile(
    r"(?:\s|[:=(),]|\b(?:was|were|is|are|of|at|level|levels|count|counts|value|values|"
    r"concentration|concentrations|titer|titre|test|tests|testing|result|results|showed|"
    r"revealed|measured|measuring|reached|remained|became|gradually|significantly|markedly|"
    r"grossly|essentially|otherwise|entirely|completely|largely|progressively|rapidly|quickly|"
    r"slowly|steadily|immediately|subsequently|eventually|inappropriately|unexpectedly|"
    r"slightly|mildly|further|also|still|found|to be|has been|have been|had been|has|have|had|"
    rf"returned|{_BETTER_OR_WORSE}|increased to|(?:increasing|elevating|decreasing|{COURSE}) to|"
    r"decreased to|elevated to|raised to|normalized to|"
    r"peaked at|(?:gone|went|come|came) (?:up|down) to|up to|down to|from|a|an|the|within|in|"
    r"(?:ranged|ranging|varied|varying|fluctuated|fluctuating)(?: between)?|"
    r"on|by|yielded|grew|demonstrated|"
    r"findings|finding|was found to be|serum|plasma|blood|total|estimated|approximately|about|"
    r"around|nearly|only|calculated|reduced to|with|scores?|index|all|both|respectively|antibody|"
    r"antibodies|"
    r"tested|proved|came back|documented as|noted to be|turned|reported as|interpreted as|"
    r"considered(?: to be)?|deemed|increased from|decreased from|rose from|"
    r"fell from|dropped from|declined from|fallen to|fallen from|risen to|risen from|"
    r"to|"
    # a change past a bound: the bound stays, the value's comparator ("fell below 10 mmol/L")
    r"(?:fell|fallen|dropped|declined|decreased|rose|risen|increased|climbed)"
    r"(?=\s+(?:below|under|above|over)\s+\d)|"
    # when the value was measured ("at admission was", "on day 3 was")
    r"admission|presentation|discharge|baseline|day\s+\d+|(?:week|month)\s+\d+|"
    r"range\s+of|"
    # a participle and when it was done ("performed on the 5th day of illness was")
    r"(?:performed|done|obtained|drawn|taken|sent|checked|repeated|collected)"
    r"(?:\s+(?:on|at|in|after|before|during|upon)(?:\s+[\w-]+){1,6}?(?=\s+(?:was|were)\b))?"
    r")\b)+",
    re.IGNORECASE,
)
_DOSE_UNITS = re.compile(
    r"^(?:mg|g|ug|ng|mL|L|\[IU\]|\[U\]|mg/kg|mg/kg/d|mg/d|g/d|ug/d|mg/m2|mL/h|10\*\d+.*)$"
)
#: Words that make the value after them a target or a bound, not a dose ("transfused to keep
#: counts above 50 × 10^9/L").
_TARGET_BEFORE = re.compile(r"\b(?:above|below|over|under|than|least|keep|maintain|target)\s+$",
                            re.IGNORECASE)
_FREQUENCY = re.compile(
    r"\b(?:once|twice|thrice|\d+\s*times?)\s*(?:a|per|/|every)?\s*(?:day|daily|week|wk|month|"
    r"hour|h)\b|\b\d+\s*times?/(?:wk|week|day|d)\b|\b(?:once|twice) (?:daily|weekly)\b|"
    r"\bevery \d+(?:\s*(?:-|to)\s*\d+)?\s*(?:hours|hrs|h|days|weeks)\b|\bq\d+h\b|\b(?:daily|weekly|"
    r"monthly|nightly|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?d\.?)\b|\b\d+\s*times\b",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"\b(\d+)\s*(?:times|doses|cycles|courses|infusions|injections|sessions)\b", re.I
)
_PERIOD = re.compile(
    r"\b(?:for|in|over|within)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_STATUS = [
    (re.compile(r"\b(?:not|never|no longer|no|free of|without)\s+"
                r"(?:[\w-]+\s+){0,2}?(?:relaps\w*|recur\w*)"
                r"|\bremission\b", re.I), ClinicalStatus.REMISSION),
    (re.compile(r"\brelaps\w*\b", re.I), ClinicalStatus.RELAPSE),
    (re.compile(r"\brecur\w*\b", re.I), ClinicalStatus.RECURRENCE),
    (re.compile(r"\b(?:resolved|resolution|disappeared|cured|subsided|recovered|healed)\b"
                r"|\bno longer\s+(?:\w+\s+)?(?:present|seen|visible|evident|detect\w*|palpable|"
                r"apparent|observed|noted|had|has|have|complain\w*|experienc\w*|report\w*|"
                r"suffer\w*)\b", re.I),
     ClinicalStatus.RESOLVED),
]
#: Every status pattern contains one of these (lower case): most windows have none.
_STATUS_WORDS = ("relaps", "recur", "remission", "resol", "disappeared", "cured", "subsided",
                 "recovered", "healed", "no longer")
_KIN = {
    "sister": "SIS", "brother": "BRO", "mother": "MTH", "father": "FTH", "son": "SON",
    "daughter": "DAU", "sibling": "SIB", "twin": "TWIN", "cousin": "COUSN", "uncle": "UNCLE",
    "aunt": "AUNT", "husband": "HUSB", "wife": "WIFE", "parent": "PRN",
}
_SOURCE = re.compile(
    r"\b(?:from|(?:donated|given|provided) by)\s+(?:his|her|the patient's|a|an|the|their)?\s*"
    r"(?:[\w-]+\s+){0,3}?"
    r"(?P<who>sister|brother|mother|father|son|daughter|sibling|twin|cousin|uncle|aunt|husband|"
    r"wife|parent|donor|cord blood|umbilical cord)\b"
    r"|\b(?P<kind>autologous|allogeneic|haploidentical|"
    r"cord blood|umbilical cord(?:-derived| blood)?)\b",
    re.IGNORECASE,
)
_REASON = re.compile(r"\b(?:for|of|to treat|against|because of|due to)\s+(?:(?:the|his|her|a|an|"
                     r"\w+)\s+){0,3}$", re.IGNORECASE)


#: A short name in parentheses right after a test name: its other name ("hemoglobin (Hb): 10.9
#: g/dL", "CRP (C-reactive protein) was 75 mg/dL"), not its value (no digit or sign first).
ALIAS = re.compile(r"\s*\((?P<alias>(?![\d\s<>≤≥+\-−])[\w/ -]{1,40}?)\)")


#: A test's reference range in parentheses right after its name ("ferritin (normal 20-200
#: ng/mL) was 900 ng/mL", "creatinine (reference range: <1.1 mg/dL)"): no reading of it.
_REFERENCE = re.compile(
    r"\s*\((?i:normal|reference|ref\.?|RR|N)(?:\s+(?i:range|values?|limits?|interval))?"
    r"\s*(?:[:=,<>≤≥]|(?=\d))[^()]{0,40}\)")


#: The specimens a test was done on, named after it ("cultures of blood and urine were
#: negative", "cultures of blood, sputum and urine"): no part of the result.
_OF_SPECIMENS = re.compile(
    r"\s+of\s+(?:(?:the|his|her)\s+)?(?:(?i:blood|urine|sputum|stool|CSF|cerebrospinal\s+fluid|"
    r"pleural\s+fluid|ascitic\s+fluid|wound|throat)(?:\s*,\s*(?:and\s+)?|\s+(?:and|or)\s+|"
    r"(?=\s+(?:was|were)\b)))+")


def skip_alias(text: str, end: int, limit: int) -> int:
    """Where the words after a test name go on, past its other name, its reference range in
    parentheses, or the specimens it was done on."""
    reference = _REFERENCE.match(text, end, limit)
    if reference is not None:
        return reference.end()
    specimens = _OF_SPECIMENS.match(text, end, limit)
    if specimens is not None:
        return specimens.end()
    alias = ALIAS.match(text, end, limit)
    if alias is None or values.parse_qualitative(text, alias.start("alias"), alias.end("alias")):
        return end
    return alias.end()


#: A verb of change before the value it reached ("increased to", "markedly elevated up to",
#: "dropped to", "had gone down to", "decreased from 19 mmHg to"): group ``up`` or ``down``.
_CHANGE = re.compile(
    r"\b(?:(?P<up>increased|elevated|raised|rose|risen|climbed|increasing|elevating|rising|"
    r"climbing|(?:gone|went|come|came)\s+up)|(?P<down>decreased|dropped|fell|fallen|declined|"
    r"reduced|decreasing|dropping|falling|declining|(?:gone|went|come|came)\s+down))"
    r"(?:\s+from\s+[^;()]{1,40}?)?\s+(?:up\s+|down\s+)?to\b",
    re.IGNORECASE)


def with_change(text: str, start: int, stop: int, found: Result) -> Result:
    """``found`` (a value) with the change the words ``text[start:stop]`` before it state."""
    change = stated_change(text, start, stop) if found.quantity is not None else None
    return found if change is None else replace(found, change=change)


def stated_change(text: str, start: int, stop: int) -> Result | None:
    """The last verb of change in ``text[start:stop]`` ("increased to", "dropped to")."""
    verbs = list(_CHANGE.finditer(text, start, stop))
    if not verbs:
        return None
    change = verbs[-1]
    group = "up" if change.group("up") else "down"
    return Result(change.group(group), Span(change.start(group), change.end(group)),
                  qualitative=Qualitative.INCREASED if group == "up" else Qualitative.DECREASED)


_JOINED_RESULT = re.compile(values.JOINED_RESULT)


def joined_result(text: str, end: int, limit: int) -> Result | None:
    """A positive or negative result written as one word with the test's name ("HER2-negative",
    "estrogen receptor-positive")."""
    joint = _JOINED_RESULT.match(text, end)  # its look-ahead reads past ``limit``
    return values.parse_qualitative(text, joint.end(), limit) \
        if joint and joint.end() < limit else None


#: An ion's charge written after its symbol ("K+", "Cl−", "Ca2+", "HCO3−"), no word after it.
_CHARGE = re.compile(r"(?:[23]?\+{1,2}|[23]?[−–-])(?![\w+−–-])")


def skip_charge(text: str, start: int, end: int, limit: int) -> int:
    """Where the words after a test named by a symbol of at most four characters (at
    ``start``–``end``) go on, past an ion's charge ("Na+ 128 mmol/L", "Cl− was 90")."""
    if end - start > 4:
        return end
    charge = _CHARGE.match(text, end, limit)
    return charge.end() if charge else end


def result_after(text: str, end: int, limit: int, units: dict[str, str],
                 numeric: bool) -> Result | None:
    """The value written after a test name, up to ``limit`` (the next test or the sentence end)."""
    joined = joined_result(text, end, limit)
    if joined is not None:
        return joined
    if numeric:
        hyphened = _hyphened_value(text, end, limit, units)
        if hyphened is not None:
            return hyphened
    end = skip_alias(text, end, limit)
    relative = (_WHICH_WAS.match(text, end, limit) or _SET_OFF.match(text, end, limit)) \
        if numeric else None
    end = relative.end() if relative else end  # "CRP, which was 150 mg/L on admission,"
    filler = FILLER.match(text, end, limit)
    pos = filler.end() if filler else end
    remark = _REMARK.match(text, pos, limit) if filler and \
        values.parse_qualitative(text, pos, limit) is None else None
    if remark:  # "level (by sweat test) decreased from": the words after the remark go on
        after = FILLER.match(text, remark.end(), limit)
        pos = after.end() if after else remark.end()
        filler = after or filler
    if numeric:
        between = _BETWEEN.search(text, end, pos)  # "between 100 and 200 mg/dL": one range
        found = values.parse_quantity(text, between.start() if between else pos, units, limit)
        if found and found.range and _FROM.search(text, end, pos) \
                and not _RANGED.search(text, end, pos):
            found = _start_of_trend(text, pos, found, units)
        if found and (found.quantity or found.range) and _plausible(text, found):
            return with_change(text, end, found.span.start, found)
        found = _qualified_value(text, end, limit, units)
        if found:
            return found
    elif stated_change(text, end, pos) is not None:  # "function was reduced to 55%"
        found = values.parse_quantity(text, pos, units, limit)
        if found and found.quantity and found.quantity.ucum and _plausible(text, found):
            return with_change(text, end, found.span.start, found)
    elif _GIVES_VALUE.search(text, end, pos):  # "visual acuity was 6/18"; not "CT on 3/12"
        found = values.parse_quantity(text, pos, units, limit)
        if found and found.out_of_maximum():
            return found
    found = values.parse_qualitative(text, pos, limit)
    if filler:  # "were within normal limits": the filler ate "within", the phrase is the result
        for word in _RESULT_IN_FILLER.finditer(text, end, pos):
            phrase = values.parse_qualitative(text, word.start(), limit)
            if phrase and (found is None or phrase.span.end >= found.span.end):
                found = phrase
                break
    return found or _qualified_word(text, end, limit)


#: A clause about the test named before it, opened by a relative pronoun and its verb ("CRP,
#: which was 150 mg/L on admission, fell"): the value after the verb is the test's.
_WHICH_WAS = re.compile(r"\s*,\s*(?i:which)\s+(?i:was|were|had\s+been)\s+")
#: A clause set off by commas that tells how or when the test named before it was done,
#: then its verb ("sodium, measured on the morning of admission, was 118 mmol/L"): the value
#: after the verb is the test's.
_SET_OFF = re.compile(
    r"(?:\s+(?i:levels?|concentrations?|values?))?\s*,\s*(?i:measured|checked|obtained|drawn|taken|repeated|rechecked|tested|assessed|"
    r"performed|done|determined|sampled|collected)\b[^,;.()\d]{0,60},\s*"
    r"(?i:was|were|is|are)\s+(?=[<>≤≥\d\-−])")


#: A value joined to a test's name by a hyphen ("Hb-10.2 g/dl", "TLC–11,000/mm3").
_HYPHEN_VALUE = re.compile(r"\s?[-–]\s?(?=\d)")


def _hyphened_value(text: str, end: int, limit: int, units: dict[str, str]) -> Result | None:
    """A value written after a hyphen that joins it to the test's name, when it has a unit of
    measurement: a bare number so joined is part of a name ("CA-125", "IL-6", "Ki-67")."""
    joint = _HYPHEN_VALUE.match(text, end, limit)
    if joint is None:
        return None
    found = values.parse_quantity(text, joint.end(), units, limit)
    if found is None or found.quantity is None or not found.quantity.ucum:
        return None
    if _SIGNED_NAME.search(text, max(0, end - 20), end) and _MINUS.fullmatch(joint.group()):
        found = replace(found, text=text[joint.end() - 1 : found.span.end],
                        span=Span(joint.end() - 1, found.span.end),
                        quantity=replace(found.quantity, value=-found.quantity.value))
    return found if _plausible(text, found) else None


#: The name of a test whose value may be below zero: a hyphen glued to its number, with a
#: space before, is a minus sign ("base excess -8 mmol/L", "BE -12"), not a joiner.
_SIGNED_NAME = re.compile(r"(?:\bbase\s+(?:excess|deficit)|\bBE|\bz-?scores?|\bT-?scores?|"
                          r"\bSDS)\s*\Z", re.IGNORECASE)
#: A hyphen with a space before it and none after: a minus sign.
_MINUS = re.compile(r"\s[-–]")


#: "from" ending the words before a value: "increased from 0.20 to 0.55" is a trend, and so is
#: "rose from a baseline of 1.1 to 3.4".
_FROM = re.compile(r"\bfrom(?:\s+(?:an?|the|his|her)?\s*baseline(?:\s+(?:values?|levels?))?"
                   r"(?:\s+of)?)?\s*$", re.IGNORECASE)
_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
#: "between" ending the words before a value: "between 100 and 200 mg/dL" is a range.
_BETWEEN = re.compile(r"\bbetween\s*$", re.IGNORECASE)
#: A verb of a spread of values: "ranged from 60 to 80" is a range, not a trend.
_RANGED = re.compile(r"\b(?:rang(?:ed|ing)|var(?:ied|ying)|fluctuat(?:ed|ing))\b",
                     re.IGNORECASE)


def _start_of_trend(text: str, pos: int, found: Result, units: dict[str, str]) -> Result | None:
    """The first value of a trend read as a range ("from 1.2 to 3.4 mg/dL"): the value before
    "to" alone, in the unit written once for both, for the trend's rule reads the value it
    reached."""
    to = _TO.search(text, pos, found.span.end)
    if to is None or found.range is None or found.range.low is None:
        return found
    return Result(text[found.span.start : to.start()], Span(found.span.start, to.start()),
                  quantity=found.range.low)


def _qualified_word(text: str, end: int, limit: int) -> Result | None:
    """A result word after a test name, a short qualifier and its verb ("the viral load at
    the end of treatment was undetectable"), or None. Not after a list's words ("CD99 and
    were positive", "electrolytes and cardiac biomarkers were normal"): one result of a list
    is the list's (``mentions._list_result``)."""
    qualifier = _QUALIFIER.match(text, end, limit)
    if qualifier is None or _LIST_WORDS.search(text, qualifier.start(), qualifier.end()):
        return None
    filler = FILLER.match(text, qualifier.end(), limit)
    return values.parse_qualitative(text, filler.end() if filler else qualifier.end(), limit)


#: Words after a drug's name that make it a measured substance ("carnitine level", "serum
#: tacrolimus trough concentration").
_LEVEL = re.compile(r"\s*(?:(?:serum|plasma|blood|trough|peak)\s+)?(?:levels?|concentrations?)\b",
                    re.IGNORECASE)
#: A concentration per volume of a body fluid: a drug's level, never its dose ("33.7 ng/mL",
#: "45 µIU/mL", "2.8 mEq/L").
_PER_VOLUME = re.compile(r"^(?!mg/mL$)[a-z]*(?:g|mol|eq|\[IU\])/(?:d|m)?L$")


#: A preposition that makes the drug after it a treatment the patient was on when something
#: else was measured ("fell from 115 mmol/L before ivacaftor to 40 mmol/L"): the value after
#: such a drug is the earlier test's, not the drug's level. Not "of" or "with": "the level of
#: vitamin D was 12 ng/mL" gives the drug's own level.
_GIVEN = re.compile(r"\b(?:before|after|on|under|following|without|off|despite|during)\s+"
                    r"(?:(?:oral|intravenous|iv|the|treatment|therapy)\s+)*$", re.IGNORECASE)


def given_before(text: str, start: int, floor: int) -> bool:
    """Whether the drug named at ``start`` follows a preposition of treatment (:data:`_GIVEN`)."""
    return bool(_GIVEN.search(text, max(floor, start - 40), start))


#: The judgements of a measured amount that tell a substance's level, never a change of its
#: dose: "vitamin D was low", "insulin was within normal limits", "elevated aldosterone"
#: ("methotrexate was reduced" and "increased insulin" change a dose, and stay treatments).
_LEVEL_JUDGEMENTS = frozenset({Qualitative.HIGH, Qualitative.LOW, Qualitative.NORMAL,
                               Qualitative.ABNORMAL})
#: What may follow a substance judged before its name for the judgement to be its level's:
#: the phrase ends ("raised aldosterone.", "low vitamin D and"), or a level's word follows;
#: not a noun it qualifies ("high insulin requirements", "low-dose aspirin").
_JUDGED_PHRASE_END = re.compile(
    r"\s*(?:[.,;:)(]|$|(?:and|or|with|was|were|levels?|concentrations?|values?)\b)",
    re.IGNORECASE)
#: The amount of a drug given named before it ("the dose of steroids was high"): what is
#: judged then is the dose, not a level.
_DOSE_OF = re.compile(r"\b(?:doses?|dosages?|dosing|amounts?|course|regimen)\s+of\s+"
                      r"(?:(?:the|his|her|oral|intravenous|iv)\s+)*$", re.IGNORECASE)
#: A judgement that reads no level when written before a drug: "normal saline" is a fluid.
_NOT_LEVELS_BEFORE = frozenset({"normal"})


def drug_judged(text: str, start: int, end: int, limit: int, floor: int) -> Result | None:
    """A substance the report judges as a measured level ("her vitamin B12 was low",
    "estradiol was within normal limits", "a raised aldosterone"): its name is a test's
    with that judgement (None: no judgement of a level, or one of a dose)."""
    if given_before(text, start, floor) or _DOSE_OF.search(text, max(floor, start - 30), start):
        return None
    after = result_after(text, end, limit, {}, numeric=False)
    if after is not None and after.qualitative in _LEVEL_JUDGEMENTS \
            and _JUDGED_AFTER.match(text, end, after.span.start):
        return after
    before = values.qualitative_before(text, start, floor)
    if before is not None and before.qualitative in _LEVEL_JUDGEMENTS \
            and before.text.lower() not in _NOT_LEVELS_BEFORE \
            and _JUDGED_PHRASE_END.match(text, end, limit):
        return before
    return None


#: A substance's name joined to the judgement of its level by a verb ("was low", "were
#: markedly elevated", "level was within"), nothing else between.
_JUDGED_AFTER = re.compile(
    r"(?:\s+(?:(?:serum|plasma|blood|trough)\s+)?(?:levels?|concentrations?|values?))?"
    r"\s+(?:was|were|is|are|remained)\s+(?:[a-z]+ly\s+)?(?:within\s+|in\s+|above\s+|below\s+)?"
    r"(?:the\s+)?$", re.IGNORECASE)


#: A substance's name joined to a bare number by a verb of being ("vitamin B12 was 120",
#: "ferritin level was 12"): a number that measures the substance, as a dose comes with its
#: unit or with "given", "dose", "mg".
_BARE_LEVEL = re.compile(
    r"(?:\s+(?:(?:serum|plasma|blood|trough)\s+)?(?:levels?|concentrations?))?"
    r"\s+(?:was|were|is|are|remained|measured)\s+(?:(?:only|about|approximately)\s+)?",
    re.IGNORECASE)


def drug_level(text: str, start: int, end: int, limit: int, units: dict[str, str],
               floor: int) -> Result | None:
    """A drug or substance measured in the patient ("her carnitine level was <3 µmol/L",
    "1,25-OH vitamin D3 33.7 ng/mL"): a value after the word "level", or a concentration
    per volume, makes the drug's name (at ``start``–``end``) a test's (None: a treatment, with
    its dose, or a drug named as a time of treatment, :func:`given_before`)."""
    found = result_after(text, end, limit, units, numeric=True)
    if found is None or found.quantity is None:
        return None
    if not found.quantity.ucum:
        return found if _BARE_LEVEL.fullmatch(text, end, found.span.start) \
            and not given_before(text, start, floor) else None
    if _LEVEL.match(text, end, limit):
        return found
    if _PER_VOLUME.match(found.quantity.ucum) and not given_before(text, start, floor):
        return found
    return None


#: A mother's giving birth: "delivered", "gave birth to".
_DELIVERING = r"deliver(?:ed|ing|s)?|gave\s+birth\s+to|giving\s+birth\s+to"
#: A birth by a procedure, up to the procedure's name: someone born or conceived by it ("she
#: was born by vaginal delivery after induction of ", "conceived by "), or a mother
#: delivering her child by it ("she delivered a male infant by emergency ", "gave birth to
#: twins via "): a few words between, none that starts another clause or tells of the child
#: ("who", "with").
_BIRTH_BY = re.compile(
    rf"\b(?P<verb>born|conceived|{_DELIVERING})"
    r"(?:\s+(?!(?:and|but|then|was|were|is|had|has|underwent|who|which|with)\b)[\w'-]+){0,8}?"
    r"\s+(?:by|via|through|after|following|using)\s+"
    r"(?:(?:an?|the|emergency|elective|urgent|planned|repeat)\s+)?\Z", re.IGNORECASE)
#: The verbs of :data:`_BIRTH_BY` that tell of the one born, not of the one who delivered.
_BORN = frozenset({"born", "conceived"})
#: The patient's child as the one born ("her baby was born by caesarean section"): then the
#: procedure is the patient's own.
_CHILD_BORN = re.compile(
    r"\b(?:her|his|their)\s+(?:[\w-]+\s+)?(?:bab(?:y|ies)|son|daughter|child|infant|twins?|"
    r"newborn|neonate)\b|\ba\s+(?:[\w-]+\s+){0,2}(?:baby|boy|girl|infant|neonate|newborn)\b",
    re.IGNORECASE)


def _birth(text: str, start: int, floor: int) -> re.Match[str] | None:
    """The birth (:data:`_BIRTH_BY`) by the procedure named at ``start``, from ``floor``."""
    return _BIRTH_BY.search(text, max(floor, start - 100), start)


def birth_verb(text: str, start: int, floor: int) -> str | None:
    """The verb (lower case) of the birth the procedure named at ``start`` was done for:
    "born", "conceived", "delivered", "gave birth to"…; None when the words before it tell
    no birth by it."""
    born = _birth(text, start, floor)
    return " ".join(born.group("verb").lower().split()) if born is not None else None


def born_by(text: str, start: int, floor: int) -> bool:
    """Whether the procedure named at ``start`` is one someone was born or conceived by: done
    to their mother, so not the patient's unless the one born is the patient's child."""
    born = _birth(text, start, floor)
    return born is not None and born.group("verb").lower() in _BORN \
        and not _CHILD_BORN.search(text, floor, born.start())


def delivered_by(text: str, start: int, floor: int) -> bool:
    """Whether the procedure named at ``start`` is the one the patient delivered her child by:
    hers, though the child named before it is her family."""
    verb = birth_verb(text, start, floor)
    return verb is not None and verb not in _BORN


#: The donor as the one who underwent the procedure named next ("the donor underwent a
#: laparoscopic nephrectomy", "her donor had undergone apheresis").
_DONOR_UNDERWENT = re.compile(
    r"\bdonors?(?:\s+(?!(?:and|but|or|to|from|of|whose)\b)[\w-]+){0,3}?\s+"
    r"(?:underwent|undergoes|had\s+undergone|has\s+undergone)\s+(?:[\w-]+\s+){0,4}?\Z",
    re.IGNORECASE)


def donor_underwent(text: str, start: int, floor: int) -> bool:
    """Whether the procedure named at ``start`` is one the donor underwent (a harvest, a
    nephrectomy): the donor's care, not the patient's, as cells or an organ from a donor
    are."""
    return _DONOR_UNDERWENT.search(text, max(floor, start - 100), start) is not None


#: What is measured of a newborn at birth: the child's, not the mother's who delivered it.
_NEWBORN_MEASURES = frozenset({"lab:apgar", "lab:birth_weight"})
#: The patient delivering a child ("delivering a live male infant", "gave birth to a girl")
#: or the patient's child named ("her baby", "their newborn son").
_CHILD_DELIVERED = re.compile(
    rf"\b(?:(?:{_DELIVERING}|birth\s+of)"
    r"\s+(?:[\w-]+\s+){0,4}?|(?:her|his|their)\s+(?:[\w-]+\s+){0,2}?)"
    r"(?:bab(?:y|ies)|infants?|neonates?|newborns?|boys?|girls?|sons?|daughters?|child|twins)\b",
    re.IGNORECASE)


def newborn_measure(text: str, start: int, concepts: tuple[str, ...], floor: int) -> bool:
    """Whether a test named at ``start`` is a newborn's measure (an Apgar score, a birth
    weight) of the child the sentence tells the patient delivered (:data:`_CHILD_DELIVERED`
    before it, from ``floor``): then it is the child's, not the patient's."""
    return not _NEWBORN_MEASURES.isdisjoint(concepts) and \
        _CHILD_DELIVERED.search(text, floor, start) is not None


#: A few words that say when or how a test was taken, then the verb that gives its value
#: ("platelet count at the end of treatment was 92 × 10^3/µL", "saturation on room air was 94%").
_QUALIFIER = re.compile(r"(?:\s+(?!(?:was|were|is|are|had|has)\b)[\w-]+){1,5}?\s+"
                        r"(?:was|were|is|are|of|had|has)\b")


def _qualified_value(text: str, end: int, limit: int, units: dict[str, str]) -> Result | None:
    """A value in a known unit (or a score out of its maximum) after a test name and a short
    qualifier, or None."""
    qualifier = _QUALIFIER.match(text, end, limit)
    if qualifier is None:
        return None
    filler = FILLER.match(text, qualifier.end(), limit)
    found = values.parse_quantity(text, filler.end() if filler else qualifier.end(), units, limit)
    if found and _measured(found) and _plausible(text, found):
        return with_change(text, qualifier.end(), found.span.start, found)
    return None


def _measured(found: Result) -> bool:
    """Whether a number is a measurement, not a count or a date: it has a known unit, or it
    is a score out of its maximum ("was 2/5", "a murmur of 3/6")."""
    return bool(found.quantity and found.quantity.ucum) or found.out_of_maximum()


#: "resistant to clindamycin, linezolid and oxacillin", "sensitive to ceftriaxone", "resistance
#: to oxacillin": the drugs are what was tested. The drug may be the second part of a
#: combination written with a hyphen or a slash ("trimethoprim-sulfamethoxazole"), and an
#: item may carry its reading in parentheses ("penicillin (MIC = 0.03), ceftriaxone").
_SUSCEPTIBILITY = re.compile(
    r"\b(susceptible|resistant|sensitive|resistance)\s+(?:to|for)\s+"
    r"(?:(?!(?:was|were|with|but|treated|given|received|susceptible|sensitive|resistant|to)\b)"
    r"(?:[\w/()-]+|\([^()]{1,30}\))"
    r"(?:\s*,\s*|\s+(?:and|or)\s+|\s+))*(?:[\w()]+[-/])?$",
    re.IGNORECASE,
)


#: The reading each word of :data:`_SUSCEPTIBILITY` states ("sensitive" is the susceptible
#: reading; "resistance to" is the resistant one, said of a named organism only, as
#: :data:`_MICROBIOLOGY` requires).
_SUSCEPTIBILITY_WORDS = {
    "susceptible": Qualitative.SUSCEPTIBLE, "sensitive": Qualitative.SUSCEPTIBLE,
    "resistant": Qualitative.RESISTANT, "resistance": Qualitative.RESISTANT,
}


#: Words of a microbiology result: "resistant to imatinib" of a tumour is a treatment's failure.
#: Matched in lower case, every alternative starting with a letter the engine can skip to
#: ("MIC" as a whole word: the look-behind after its first letter stands for a leading ``\b``).
_MICROBIOLOGY = re.compile(
    r"isolat|strain|organism|bacteri|cultur|m(?<!\wm)ic\b|susceptib|antibiogram")


def susceptibility(text: str, start: int, sentence: Span) -> Result | None:
    """The susceptibility a drug is listed under in a microbiology result ("the isolate was
    susceptible to minocycline and vancomycin"): the drug names a susceptibility test, not
    a treatment."""
    if not _MICROBIOLOGY.search(scan.lower(text), sentence.start, sentence.end):
        return None
    m = _SUSCEPTIBILITY.search(text, max(sentence.start, start - 160), start)
    if m is None:
        return None
    return Result(m.group(1), Span(m.start(1), m.end(1)),
                  qualitative=_SUSCEPTIBILITY_WORDS[m.group(1).lower()])


#: What joins a test name to its own value ("hemoglobin 10 g/dL", "Hb: 10", "Hb was 10").
_OWN_VALUE = re.compile(r"\s*(?:[:=(]|\b(?:was|were|is|are|of|at)\b)?\s*", re.IGNORECASE)


def share_before(text: str, start: int, floor: int, units: dict[str, str]) -> Result | None:
    """A count or a share written right before a test name ("2% neutrophils", "16,400/mm3
    neutrophils", "281 × 10^3 platelets"), unless it is the value of the test before it."""
    return _value_before(text, start, floor, units, _in_unit(_counted))


#: What a count before a cell's name is counted in, written after the name: a microscope's
#: field ("3 RBC/hpf", "10-15 white blood cells per high-power field") or a volume ("250 white
#: cells/mm3", "40 cells per cubic millimeter").
_PER_FIELD = re.compile(
    r"\s*(?:/\s*|\s+per\s+)(?:(?P<high>hpf|high[- ]power(?:ed)?\s+fields?)|"
    r"(?P<low>lpf|low[- ]power(?:ed)?\s+fields?))\b|"
    r"(?P<volume>\s*/\s*(?:mm3|mm³|cumm|[µμu]L|L)|\s+per\s+(?:cubic\s+)?(?i:millimet(?:er|re)|"
    r"microlit(?:er|re)))(?![\w³])", re.IGNORECASE)


def _per_unit(field: re.Match[str], units: dict[str, str]) -> tuple[str, str | None]:
    """The unit (as written, and UCUM) of what a count is counted in."""
    if field.group("volume"):
        written = field.group("volume").strip()
        ucum = values.unit_ucum(written if written.startswith("/") else f"cells {written}",
                                None, units)
        return written, ucum
    unit = "/hpf" if field.group("high") else "/lpf"
    return unit, units.get(unit)


def count_per_field(text: str, start: int, end: int, floor: int,
                    units: dict[str, str]) -> Result | None:
    """The count before a cell's name at ``start``–``end`` when what it is counted in follows
    the name ("3 RBC/hpf", "250 white cells/mm3"), in that unit; None otherwise."""
    field = _PER_FIELD.match(text, end)
    if field is None:
        return None
    unit, ucum = _per_unit(field, units)
    if ucum is None or not ucum.startswith("/"):
        return None
    found = _value_before(text, start, floor, {}, _any_value, back=20)
    if found is None:
        return None
    span = Span(found.span.start, field.end())
    if found.range is not None and found.range.low and found.range.high:
        return Result(text[span.start : span.end], span, range=Range(
            replace(found.range.low, unit_text=unit, ucum=ucum),
            replace(found.range.high, unit_text=unit, ucum=ucum)))
    if found.quantity is not None:
        return Result(text[span.start : span.end], span,
                      quantity=replace(found.quantity, unit_text=unit, ucum=ucum))
    return None


def _any_value(found: Result) -> bool:
    """Any number or whole range, whatever its unit (a count's unit is written after the
    cell's name)."""
    return found.quantity is not None or (
        found.range is not None and found.range.low is not None and found.range.high is not None)


def _in_unit(accept: Callable[[str], bool]) -> Callable[[Result], bool]:
    """A value whose unit (a range's, its low end's) is one ``accept`` takes."""
    def accepts(found: Result) -> bool:
        first = found.quantity or (found.range.low if found.range else None)
        ucum = first.ucum if first is not None else None
        return ucum is not None and ucum != "" and accept(ucum)
    return accepts


def _counted(ucum: str) -> bool:
    return ucum == "%" or ucum.startswith("10*") or "/" in ucum


#: UCUM units a number before a finding's name is no measurement of it in: a time says how
#: long it lasted ("3 days fever"); a size says how large the lesion is ("a 5 cm mass"), which
#: describes the lesion (a condition) rather than reports a test.
_NOT_MEASURED_BEFORE = frozenset({"s", "min", "h", "d", "wk", "mo", "a", "mm", "cm", "m", "um",
                                  "mm2", "cm2", "mm3", "cm3", "mL", "L"})


def measure_before(text: str, start: int, floor: int, units: dict[str, str]) -> Result | None:
    """A measurement written right before a finding's name ("a 2–3 kg weight loss", "a 10%
    weight loss"), unless it is a duration, a lesion's size or the value of the test before
    it."""
    return _value_before(text, start, floor, units,
                         _in_unit(lambda ucum: ucum not in _NOT_MEASURED_BEFORE))


#: Nothing but spaces between a value and the name after it ("2% neutrophils").
_NO_GAP = re.compile(r"\s*")
#: An amount of what is named after it ("900 ng/mL of ferritin", "15 g/dL of serum albumin").
_OF_GAP = re.compile(r"\s+of\s+(?:(?:serum|plasma|blood)\s+)?", re.IGNORECASE)


def amount_before(text: str, start: int, floor: int, units: dict[str, str]) -> Result | None:
    """A concentration written before "of" and a test's name ("revealed 900 ng/mL of
    ferritin"): the test's value."""
    return _value_before(text, start, floor, units,
                         _in_unit(lambda ucum: bool(_PER_VOLUME.match(ucum))), gap=_OF_GAP)


def _value_before(text: str, start: int, floor: int, units: dict[str, str],
                  accept: Callable[[Result], bool], back: int = 40,
                  gap: re.Pattern[str] = _NO_GAP) -> Result | None:
    """The value ``accept`` takes that ends right before ``start``, or the ``gap`` words
    before it (at most ``back`` characters back, not before ``floor``), unless it is the value
    of the test before it."""
    lo = max(floor, start - back)
    for number in values.NUMBER_RE.finditer(text[lo:start]):
        at = lo + number.start()
        if at > lo and (text[at - 1].isalnum() or text[at - 1] in ".,/"):
            continue
        found = values.parse_quantity(text, at, units, start)
        if found is not None and found.quantity is not None and not found.quantity.ucum:
            found = _unit_after_name(text, at, start, units) or found
        if found is None or not gap.fullmatch(text, found.span.end, start):
            continue
        if not accept(found) or not _plausible(text, found):
            continue
        if floor < at and _OWN_VALUE.fullmatch(text, floor, at):
            return None  # "hemoglobin 10 g/dL platelets…": the number is the earlier test's
        return found
    return None


def _unit_after_name(text: str, at: int, start: int, units: dict[str, str]) -> Result | None:
    """The count at ``at`` read on past the test's name at ``start``, when its unit follows
    the name ("281 × 10^3 platelets per microliter", "4.2 × 10^9 leukocytes/L"); None when
    the name does not stand inside the count's unit."""
    found = values.parse_quantity(text, at, units)
    if found is None or found.quantity is None or found.span.end <= start:
        return None
    ucum = found.quantity.ucum
    return found if ucum and ucum.startswith("10*") and "/" in ucum else None


#: A remark in parentheses the filler words led to, before the value ("level (Macroduct®)
#: decreased from 115 mmol/l"): words, no number, not a result word of its own.
_REMARK = re.compile(r"(?<=\()(?![\s\d<>≤≥+\-−])[^()\d]{1,40}\)")


#: Words that join the items of a list.
_LIST_WORDS = re.compile(r",|\b(?:and|or|as well as)\b", re.IGNORECASE)


#: The verb or preposition that ends the words before a procedure's score out of its maximum.
_GIVES_VALUE = re.compile(r"\b(?:was|were|is|are|as|of)\s*$", re.IGNORECASE)


#: Words the filler eats that may start the result: "within normal limits", and a course with
#: no value after it ("creatinine improved": better).
_RESULT_IN_FILLER = re.compile(rf"\b(?:within|in|{_BETTER_OR_WORSE})\b", re.IGNORECASE)
#: A clause about the finding may give its measure ("hypokalemia, which was 2.8 mmol/L"), or
#: its verb ("proteinuria was 4.5 g/24 h": the finding's name stands for its test).
_MEASURE_LEAD = re.compile(r"(?:\s*(?:of|at|to|with|:|\(|up to|reaching|around|about|"
                           r"(?:,?\s*which\s+)?(?:was|were|measured)"
                           r"(?:\s+(?:about|approximately))?)?\s*)")


def measured_finding(text: str, end: int, limit: int, units: dict[str, str]) -> Result | None:
    """A measurement written right after a finding ("tachycardia of 125/min", "fever 38.9°C",
    "a murmur of 2/6"), or its grade in parentheses or after "of" ("proteinuria (3+)")."""
    lead = _MEASURE_LEAD.match(text, end, limit)
    found = values.parse_quantity(text, lead.end() if lead else end, units, limit)
    if found is None and lead and lead.group().strip() in ("(", "of", "was", "were"):
        return values.grade(text, lead.end(), limit)
    if found is None or not _measured(found) or not _plausible(text, found):
        return None
    if found.quantity and not found.quantity.ucum and lead and \
            lead.group().strip(" (:") not in ("", "of"):
        return None  # "improved to 4/5": a grade reached is a test's, not the finding's
    return found


_DURATION_AFTER = re.compile(r"\s*(?:-|\s)?(?:years?|months?|weeks?|days?|year-old)")


def _plausible(text: str, result: Result) -> bool:
    """Not a year, a figure number or an age."""
    following = text[result.span.end : result.span.end + 12].lower()
    if _DURATION_AFTER.match(following):
        return False
    q = result.quantity
    return not (q and q.unit_text is None and 1900 <= q.value <= 2100)


_ROUTE_WORD = re.compile(r"[\w.]+")
#: A volume drained, removed or found ("drained 60 mL of fluid", "40 mL ascites were
#: found"): what came out of the patient, not a dose given.
_TAKEN_BEFORE = re.compile(
    r"\b(?:drain(?:ed|ing|age)?|remov(?:ed|ing|al)|aspirat(?:ed|ing|ion)|evacuat(?:ed|ing|ion)|"
    r"withdr[ae]w(?:n|ing)?|collect(?:ed|ing)|yield(?:ed|ing)?|obtain(?:ed|ing)|loss|lost|"
    r"found|reveal(?:ed|ing))\W+(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
_TAKEN_AFTER = re.compile(
    r"[ ]+(?:of[ ]+)?(?:[\w-]+[ ]+){0,2}(?:fluid|blood(?!\s+(?:cells?|products?|transfusions?))|"
    r"ascites|pus|effusion|urine|exudate|bile|cerebrospinal|CSF|secretions?|drainage|aspirate|"
    r"chyle|hematoma|clots?)\b",
    re.IGNORECASE,
)
#: A later event in the same window ("dissection, followed by the instillation of 1.5 L")
_NEXT_EVENT = re.compile(r"\b(?:followed\s+by|after\s+which)\b", re.IGNORECASE)
#: A body's weight ("a live infant weighing 1650 g", "a mass weighed 2 kg"): never a dose.
_WEIGHT_BEFORE = re.compile(
    r"\b(?:weigh(?:ing|ed|s)?|weights?)\s+(?:of\s+|about\s+|approximately\s+)?$", re.IGNORECASE)
#: A comma, then a participle that opens a clause of its own (", delivering a live infant",
#: ", resulting in ..."): the treatment's dose is not taken past it. Participles that change
#: the dose itself or tell it (", tapering to 5 mg", ", ranging from 5 to 6 mg") leave it open.
#: So does a comma and a conjunction before a new noun phrase, a clause with a subject of
#: its own (", and a 3200 g boy was born", ", but the infant weighed 2 kg").
_CLAUSE_AFTER_COMMA = re.compile(
    r",\s*(?!(?:taper|increas|decreas|escalat|titrat|start|begin|reduc|adjust|wean|continu|"
    r"rang|total|amount)\w*\b)"
    r"[a-z]+ing\b"
    r"|,\s*(?:and|but|whereas|while)\s+(?:a|an|the|his|her|their)\b")


def _taken_out(text: str, window: Span, start: int, end: int) -> bool:
    """Whether the quantity at ``text[start:end]`` is a volume taken out or found, or
    belongs to an event after the treatment that ``window`` follows."""
    return bool(_TAKEN_BEFORE.search(text, max(window.start, start - 40), start)
                or _TAKEN_AFTER.match(text, end, end + 60)
                or _NEXT_EVENT.search(text, window.start, start))


def dosage(text: str, start: int, limit: int, units: dict[str, str],
           routes: Mapping[str, object]) -> Dosage | None:
    """Dose, route, frequency, count and period written in ``text[start:limit]``; the
    dosage's text ends at the last of them, not at what follows them (the reason given:
    "2 g IV every 8 hours for wound infection" is given "2 g IV every 8 hours")."""
    clause = _CLAUSE_AFTER_COMMA.search(text, start, limit)
    limit = clause.start() if clause else limit
    window = text[start:limit]
    dose, dose_end = None, None
    for m in values.NUMBER_RE.finditer(window):
        found = values.parse_quantity(text, start + m.start(), units, limit)
        q = found.quantity if found else None
        if q and q.ucum and _DOSE_UNITS.match(q.ucum) and found is not None \
                and not _TARGET_BEFORE.search(text, max(start, start + m.start() - 20),
                                              start + m.start()) \
                and not _taken_out(text, Span(start, limit), start + m.start(), found.span.end) \
                and not _WEIGHT_BEFORE.search(text, max(start, start + m.start() - 30),
                                              start + m.start()):
            dose, dose_end = q, found.span.end
            break
    route = next((w for w in _ROUTE_WORD.finditer(window) if w.group().lower() in routes), None)
    frequency = _FREQUENCY.search(window)
    count = _COUNT.search(window)
    period = _PERIOD.search(window)
    if not (dose or route or frequency or period):
        return None
    last = max(m.end() for m in (route, frequency, count, period) if m is not None) \
        if (route or frequency or count or period) else 0
    if dose_end is not None:
        last = max(last, dose_end - start)
    return Dosage(
        window[:last].strip(), Span(start, limit), dose=dose,
        route=route.group() if route else None,
        frequency=frequency.group() if frequency else None,
        count=int(count.group(1)) if count else None,
        period=period.group() if period else None,
    )


def status(text: str, mention: Span, sentence: Span, *,
           symptom: bool = False) -> ClinicalStatus | None:
    """Clinical status words in the mention's clause (at most 8 words away). A sign or
    symptom (``symptom``) called recurrent or recurring repeats: it is active, not a disease's
    recurrence ("recurrent vomiting"); its recurrence is told by the noun or the verb ("a
    recurrence of the headaches", "the pain recurred")."""
    lo = max(sentence.start, mention.start - 60)
    hi = min(sentence.end, mention.end + 60)
    if not scan.mentions_any(text, lo, hi, _STATUS_WORDS):
        return None
    for pattern, value in _STATUS:
        if value is ClinicalStatus.RECURRENCE and symptom:
            pattern = _RECURRENCE_EVENT
        if any(_said_of(text, m.end(), mention) for m in pattern.finditer(text, lo, hi)):
            return value
    return None


#: "of" after a status word, and the words before what it is said of ("a recurrence of the
#: pneumonitis"; "relapse in the lungs" names a place, not what relapsed).
_STATUS_OF = re.compile(r"\s+of\s+(?:(?:the|his|her|its|their|a|an)\s+)?", re.I)


def _said_of(text: str, end: int, mention: Span) -> bool:
    """Whether a status word ending at ``end`` may be said of the mention: not when it names
    what it is said of after "of" and that is something else ("no recurrence of pneumonitis"
    tells nothing of the arthritis before it), only when that noun phrase ends in the
    mention."""
    named = _STATUS_OF.match(text, end)
    return named is None or (named.end() <= mention.start and _NOUN_WORDS.fullmatch(
        text, named.end(), mention.start) is not None)


#: Up to three words before a mention, in its noun phrase ("of his pancreatic cancer", "of
#: pericardial and pleural effusion").
_NOUN_WORDS = re.compile(r"(?:[\w-]+\s+){0,3}")


#: The words of a growth, whose recurrence a sign or symptom's lexicon entry may name ("breast
#: cancer" is a phenotype too): called recurrent, it is back, not a repeating complaint.
_GROWTH = re.compile(r"\b(?:\w+oma(?:s|ta)?|cancers?|tumou?rs?|neoplas\w*|malignan\w*|"
                     r"leuka?emi\w*|metasta\w*|lesions?|masse?s?)\b", re.I)


def repeating(text: str, mention: Span) -> bool:
    """Whether the words of a sign or symptom name a complaint that can repeat, not a growth
    that can come back (:data:`_GROWTH`)."""
    return not _GROWTH.search(text, mention.start, mention.end)


#: The words of a recurrence but the adjectives of what repeats ("recurrent", "recurring").
_RECURRENCE_EVENT = re.compile(r"\brecur(?!rent\b|rently\b|ring\b)\w*\b", re.I)


def source(text: str, sentence: Span) -> Source | None:
    """Where a graft or cells came from, as the sentence says."""
    m = _SOURCE.search(text, sentence.start, sentence.end)
    if not m:
        return None
    who = (m.group("who") or "").lower()
    return Source(m.group(), Span(m.start(), m.end()), _KIN.get(who))


_COUNT_BEFORE = re.compile(
    r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?$", re.IGNORECASE
)


def count_before(text: str, start: int, sentence_start: int) -> int | None:
    """A count written right before a treatment ("underwent 4 surgical treatments")."""
    m = _COUNT_BEFORE.search(text[max(sentence_start, start - 25) : start])
    if not m:
        return None
    word = m.group(1).lower()
    return values.WORD_NUMBERS.get(word) or (
        int(word) if word.isdigit() and int(word) < 100 else None)


def reason_before(text: str, mention_start: int, sentence_start: int) -> bool:
    """True when the words before a disorder make it the reason of a treatment ("for X")."""
    return bool(_REASON.search(text[max(sentence_start, mention_start - 40) : mention_start]))
