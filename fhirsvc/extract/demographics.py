"""Age, sex and name of the index patient.

Sex is weighed, not voted: a noun tied to the age ("a 32-year-old man") counts
most, a title ("Mr.", "Grandma") or a noun that refers to the patient ("the old
woman") less, and a pronoun least, because translated text mixes pronouns up
(one seed calls an 80-year-old woman "the old man" and "his").
"""

from __future__ import annotations

import re
from decimal import Decimal

from fhirsvc.extract.scan import WordList, mentions_any
from fhirsvc.model import Age, Sex, Span

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_NUM = r"(?P<num>\d{1,3}(?:\.\d)?|" + "|".join(NUMBER_WORDS) + r")"
_UNIT = r"(?P<unit>years?|yrs?|y|months?|mos?|weeks?|wks?|days?)"
#: White space or a dash between the words of an age: hyphens, and the en and em dashes that
#: some texts put there ("70–year–old").
_SP = r"[\s\-\u2010-\u2015]"
#: Each age pattern, with the words (lower case) one of which every match of it holds: the
#: patterns try a number or a number word at every letter and digit of a sentence, and most
#: sentences hold none of those words.
AGE_PATTERNS = [
    # years and months together ("a 2-year-3-month-old", "1 year and 6 months old"): the
    # months are the age's, the years counted in ("years" group; see :func:`find_ages`)
    (re.compile(rf"\b(?P<years>\d{{1,2}}){_SP}*(?:years?|yrs?|y){_SP}*(?:and{_SP}*)?"
                rf"{_NUM}{_SP}*(?P<unit>months?|mos?|m){_SP}*old\b", re.IGNORECASE), ("old",)),
    # an age given as the patient's present one ("The boy, now 7, had…"; "now aged 78"): the
    # number alone is an age only where the phrase ends, so "now 3 days after" is none
    (re.compile(rf"\bnow\s+(?:aged\s+)?{_NUM}(?:{_SP}*{_UNIT}(?:{_SP}*old)?)?(?=\s*[,;.)])",
                re.IGNORECASE), ("now",)),
    (re.compile(rf"\b{_NUM}{_SP}*(?:and{_SP}a{_SP}half{_SP}*)?{_UNIT}{_SP}*old\b",
                re.IGNORECASE), ("old",)),
    (re.compile(rf"\b{_NUM}{_SP}*{_UNIT}\s+of\s+age\b", re.IGNORECASE), ("age",)),
    (re.compile(rf"\b(?:aged|age of|age)\s+{_NUM}(?:\s*{_UNIT})?\b", re.IGNORECASE), ("age",)),
    (re.compile(rf"\b{_NUM}\s*(?P<unit>y/o|yo)\b", re.IGNORECASE), ("yo", "y/o")),
]
_UCUM_AGE = {"y": "a", "m": "mo", "w": "wk", "d": "d"}

MALE_NOUNS = {"man", "boy", "male", "gentleman", "mr", "grandpa", "grandfather", "husband",
              "son", "father", "brother", "mister", "sir", "uncle", "lad"}
FEMALE_NOUNS = {"woman", "girl", "female", "lady", "mrs", "ms", "miss", "grandma", "grandmother",
                "granny", "wife", "daughter", "mother", "sister", "madam", "aunt", "gravida",
                "primigravida", "multigravida", "para", "primipara", "pregnant"}
_TITLES = {"mr", "mrs", "ms", "miss", "grandma", "grandpa", "granny", "mister", "madam", "uncle",
           "aunt"}
#: The nouns a report introduces its patient with, after an age or an article.
PERSON_NOUNS = (
    "man", "woman", "boy", "girl", "male", "female", "lady", "gentleman", "infant", "neonate",
    "newborn", "baby", "child", "patient", "primigravida", "gravida", "multigravida", "primipara",
    "toddler", "adolescent", "teenager", "student", "retiree", "pensioner", "farmer",
)
#: Of those, the ones that are also adjectives ("a male predominance"): a person only after an age.
ADJECTIVE_NOUNS = frozenset({"male", "female"})
_PERSON_NOUN = rf"(?P<noun>{'|'.join(PERSON_NOUNS)})"
_NOUN_AFTER = re.compile(rf"{_SP}*(?:\w+{_SP}+){{0,5}}?{_PERSON_NOUN}\b", re.IGNORECASE)
_SEX_WORD = WordList(MALE_NOUNS | FEMALE_NOUNS)
_MALE_PRONOUNS = frozenset({"he", "his", "him", "himself"})
_PRONOUN = WordList(_MALE_PRONOUNS | {"she", "her", "hers", "herself"})
#: Whose relative a sex noun names ("his sister", "her 28-year-old mother", "Qiqi's elder
#: brother"): an owner, then at most two words (an age, "elder").
_OWNER_BEFORE = re.compile(r"\b(his|her|patient's|'s)\s+(?:[\w-]+\s+){0,2}$")
_NAME_TITLE = re.compile(
    r"\b(?P<title>Mr|Mrs|Ms|Miss|Mister|Madam|Grandma|Grandpa|Granny|Uncle|Aunt)\.?\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
)
#: The note a news report puts after a name it made up ("Xiao Li (pseudonym)", "Ming (not his
#: real name)"): whoever is so named is the report's patient.
PSEUDONYM_NOTE = re.compile(
    r"\((?i:(?:a\s+)?(?:pseudonym|alias|not (?:his|her|their|the) real name|name changed))\)"
)
_NAME_PSEUDONYM = re.compile(
    rf"(?P<name>[A-Z][a-z]{{1,15}}(?:\s[A-Z][a-z]{{1,15}})?)\s+{PSEUDONYM_NOTE.pattern}"
)
_NAME_APPOSITION = re.compile(
    r"(?:^|[.;]\s+|\bthat\s+|\bwhen\s+)(?P<name>[A-Z][a-z]{1,15})(?:\s\([^)]{0,30}\))?,\s+(?:a|an)\s+"
    r"(?:\d+|\w+)[\s-]+(?:years?|months?|weeks?|days?)[\s-]+old"
)


def find_ages(text: str, start: int, end: int) -> list[Age]:
    """Age expressions in ``text[start:end]``, in text order."""
    found: list[Age] = []
    for pattern, words in AGE_PATTERNS:
        if not mentions_any(text, start, end, words):
            continue
        for m in pattern.finditer(text, start, end):
            span = Span(m.start(), m.end())
            if any(span.overlaps(a.span) for a in found):
                continue
            raw = m.group("num").lower()
            value = Decimal(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else Decimal(raw)
            unit = (m.groupdict().get("unit") or "y").lower()
            years = m.groupdict().get("years")
            if years:
                value += 12 * int(years)
            found.append(Age(value, _UCUM_AGE.get(unit[0], "a"), span))
    return sorted(found, key=lambda a: a.span)


#: An age set off by commas after whom it describes ("Little Mei (a pseudonym), 9 years old,
#: began…"; "The child, aged 4, was…").
_COMMA_BEFORE = re.compile(r",\s*$")
_COMMA_AFTER = re.compile(r"\s*,")
_SUBJECT_WORDS = 6


def in_apposition(text: str, age: Age, sentence_start: int) -> bool:
    """Whether the age is a phrase of its own between commas, describing the subject before it:
    the sentence's first few words, with no number (not an item of a list of ages)."""
    before = text[sentence_start : age.span.start]
    return (_COMMA_BEFORE.search(before) is not None and before.count(",") == 1
            and len(before.split()) <= _SUBJECT_WORDS and not any(c.isdigit() for c in before)
            and _COMMA_AFTER.match(text, age.span.end) is not None)


#: A bare number set off by commas after a sentence's subject, a name or a person ("Lao Chen,
#: 56, a farmer…"; "Girl, 4, survives…"); elsewhere such a number is no age ("sodium, 140,").
_BARE_APPOSITION = re.compile(
    rf"(?:[A-Za-z'.]+\s+){{0,3}}?(?:[A-Z][a-z]+|(?i:{'|'.join(PERSON_NOUNS)}))"
    rf"(?:\s\([^)]{{0,30}}\))?,\s+(?P<num>\d{{1,3}}),\s"
)


def bare_age(text: str, sentence: Span) -> Age | None:
    """The age of a bare number in apposition to the first words of ``sentence``."""
    m = _BARE_APPOSITION.match(text, sentence.start, sentence.end)
    if m is None or _NUMBER_ITEM.search(text, m.end(), sentence.end):
        return None  # a list of numbers ("Sodium, 140, potassium, 4.1"), not a person's age
    return Age(Decimal(m.group("num")), "a", Span(m.start("num"), m.end("num")))


_NUMBER_ITEM = re.compile(r",\s*\d")
#: An age that stands for the person or describes them ("The 4-year-old was brought in", "a
#: previously healthy 30-year-old with fever", "a 72-year-old retired teacher with…", "a
#: 28-year-old G2P1 at 30 weeks"): an article, with at most two words between, before it,
#: and after it at most three words then a verb, "with", "who", a preposition or a comma.
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|this|our)\s+(?:[a-z-]+\s+){0,2}$", re.IGNORECASE)
_VERB_AFTER = re.compile(
    r"(?P<words>(?:\s+[\w-]+){0,3}?)(?:\s*,|\s+(?:was|is|had|has|presented|presenting|developed|"
    r"came|underwent|complained|received|began|suffered|started|with|who|of|at|in|from|on)\b)",
    re.IGNORECASE)
#: Words after an age that make it the age of a thing or a time: "a 3-year-old scar", "a
#: 30-year-old history", "a 2-day-old lesion".
_THING_NOUNS = frozenset(str.split(
    "history course period duration interval mass lesion lesions tumor tumour nodule cyst ulcer "
    "lump wound scar fracture implant prosthesis graft shunt stent device pacemaker injury "
    "burn infection disease illness problem complaint pain symptom symptoms"))
#: How far before an age its article may be.
_ARTICLE_REACH = 40


def stands_for_person(text: str, age: Age) -> bool:
    """Whether the age is used as a noun for the person it describes, or with a few words
    that say who they are (an occupation, an origin, an obstetric formula)."""
    after = _VERB_AFTER.match(text, age.span.end)
    if after is None or text.startswith("age", age.span.start) or _ARTICLE_BEFORE.search(
            text, max(0, age.span.start - _ARTICLE_REACH), age.span.start) is None:
        return False
    return not any(w.lower() in _THING_NOUNS for w in after.group("words").split())


#: A relative or carer as a sentence's subject who brings someone to care ("The mother, a
#: 30-year-old woman, brought her 2-month-old son…", "A 35-year-old father carried his
#: daughter, aged 3, into…"): the relative's word, then a verb of bringing and an owner. The
#: one brought, whose age comes next, is the patient; the relative only tells of them.
_ESCORT = re.compile(
    r"[^.;:]{0,80}?\b(?:mother|father|parents?|grandmother|grandfather|grandparents?|aunt|"
    r"uncle|guardian|caregiver|carer)\b[^.;:]{0,80}?\b(?:brought|brings|took|takes|carried|"
    r"accompanied|rushed|(?:presented|came)\s+with)\s+(?:her|his|their)\s+", re.IGNORECASE)
#: How many characters after the owner the brought person's age may start ("her only ").
_ESCORT_REACH = 20


def brought_age(text: str, sentence: Span) -> Age | None:
    """The age of the person a relative brings to care, when the sentence opens so (see
    :data:`_ESCORT`): the relative's own age, stated before, is not the patient's."""
    m = _ESCORT.match(text, sentence.start, sentence.end)
    if m is None:
        return None
    ages = find_ages(text, m.end(), min(sentence.end, m.end() + _ESCORT_REACH + 30))
    return next((a for a in ages if a.span.start - m.end() <= _ESCORT_REACH), None)


#: Ordinal words of a newborn's day of life ("on the second day of life").
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
#: A newborn's age as its day, or its days or hours, of life ("on day 3 of life", "the
#: third day of life", "at 5 days of life", "day of life 4", "at 36 hours of life"): the
#: number as written, in days or hours. Units say which day since birth it is; whether day
#: 1 is the day of birth differs between units of care, so the age may be a day over.
_LIFE = re.compile(
    r"\b(?:day\s+(?P<day>\d{1,2})|(?P<nth>\d{1,2})(?:st|nd|rd|th)\s+day|"
    rf"(?P<word>{'|'.join(_ORDINALS)})\s+day|(?P<count>\d{{1,3}}){_SP}*(?P<unit>days?|hours?|h))"
    r"\s+of\s+life\b|\bday\s+of\s+life\s+(?P<dol>\d{1,2})\b", re.IGNORECASE)
#: A newborn's facts told as of its birth ("noted at birth to have…"): an age of 0 days.
_AT_BIRTH = re.compile(r"\bat\s+birth\b", re.IGNORECASE)


def life_age(text: str, sentence: Span) -> Age | None:
    """The age of a newborn its sentence states by its day of life (:func:`day_of_life`),
    else 0 days when the sentence tells what it had at birth. A newborn's noun alone ("a
    newborn", "a neonate") states no age: it says less than 28 days, a range that
    ``Patient``'s age (a single ``valueAge``) cannot hold without inventing a number."""
    life = day_of_life(text, sentence)
    if life is not None:
        return life
    birth = _AT_BIRTH.search(text, sentence.start, sentence.end)
    return Age(Decimal(0), "d", Span(birth.start(), birth.end())) if birth else None


def day_of_life(text: str, sentence: Span) -> Age | None:
    """The first age ``sentence`` states by a newborn's day, days or hours of life."""
    m = _LIFE.search(text, sentence.start, sentence.end)
    if m is None:
        return None
    raw = next(g for g in (m.group("day"), m.group("nth"), m.group("count"), m.group("dol"))
               if g) if not m.group("word") else str(_ORDINALS[m.group("word").lower()])
    hours = (m.group("unit") or "d")[0].lower() == "h"
    return Age(Decimal(raw), "h" if hours else "d", Span(m.start(), m.end()))


#: A person noun ending the text before an age given as "aged …" ("a boy aged 18 months").
_NOUN_BEFORE = re.compile(rf"\b{_PERSON_NOUN},?\s+$", re.IGNORECASE)
#: How far before an age its person noun may be.
_NOUN_REACH = 30


def follows_person(text: str, age: Age) -> bool:
    """Whether an age written "aged N" comes right after the person it describes ("a woman
    aged 45", "a boy aged 18 months"); "at the age of 5" follows no one."""
    return (text.startswith("aged", age.span.start)
            and _NOUN_BEFORE.search(text, max(0, age.span.start - _NOUN_REACH),
                                    age.span.start) is not None)


def age_noun(text: str, age: Age) -> str | None:
    """The person noun right after an age ("32-year-old man" → "man")."""
    m = _NOUN_AFTER.match(text[age.span.end : age.span.end + 60])
    return m.group("noun").lower() if m else None


def _sex_of(word: str) -> Sex:
    word = word.lower().rstrip(".")
    if word in MALE_NOUNS:
        return Sex.MALE
    return Sex.FEMALE if word in FEMALE_NOUNS else Sex.UNKNOWN


#: What stands between a person's noun and the age that describes them in a clause or an
#: apposition after it ("her son, who was 2 months old", "their daughter, aged 3 weeks"):
#: the noun is the patient's, though an owner names them from a relative's side.
_DESCRIBED = re.compile(r",?\s+(?:(?:who|that)\s+(?:is|was)\s+(?:now\s+)?|now\s+)?")


def weigh_sex(
    text: str, spans: list[Span], intro: Age | None
) -> tuple[Sex, Span | None]:
    """The patient's sex from the sentences ``spans`` that are about the patient."""
    score = {Sex.MALE: 0.0, Sex.FEMALE: 0.0}
    best: dict[Sex, tuple[float, Span]] = {}
    tied = False  # whether the noun the age describes is weighed: one noun, not each after it
    for span in spans:
        for start, end in _SEX_WORD.spans(text, span.start, span.end):
            weight = _weight(text, span, Span(start, end), intro, tied)
            if weight is None:
                continue  # "his sister", "Qiqi's mother": another person
            tied = tied or weight == _TIED
            sex = _sex_of(text[start:end])
            score[sex] += weight
            if weight > best.get(sex, (0.0, span))[0]:
                best[sex] = (weight, Span(start, end))
        for start, end in _PRONOUN.spans(text, span.start, span.end):
            sex = Sex.MALE if text[start:end].lower() in _MALE_PRONOUNS else Sex.FEMALE
            score[sex] += 0.3
    if score[Sex.MALE] == score[Sex.FEMALE]:
        return Sex.UNKNOWN, None
    sex = Sex.MALE if score[Sex.MALE] > score[Sex.FEMALE] else Sex.FEMALE
    return sex, best.get(sex, (0.0, None))[1]


#: The weight of the noun the introducing age describes ("a 32-year-old man").
_TIED = 5.0


def _weight(text: str, sentence: Span, word: Span, intro: Age | None,
            tied: bool) -> float | None:
    """How much a sex noun counts: most for the noun the age describes, the first after it
    ("a 28-year-old woman delivered a boy": the woman) or right before it ("her son, aged 2
    months"); more for a title than another noun; nothing (None) for a relative's."""
    described = intro is not None and _DESCRIBED.fullmatch(text, word.end, intro.span.start)
    if not described and _owned(text, max(sentence.start, word.start - 30), word.start, intro):
        return None
    if intro is not None and not tied and (described or 0 <= word.start - intro.span.end <= 40):
        return _TIED
    return 2.0 if text[word.start:word.end].lower() in _TITLES else 1.0


def _owned(text: str, start: int, end: int, intro: Age | None) -> bool:
    """Whether a sex noun at ``end`` names someone's relative: an owner before it, unless the
    introducing age lies between ("His 29-year-old sister presented…" opens a sister's case)."""
    owner = _OWNER_BEFORE.search(text[start:end].lower())
    return owner is not None and not (
        intro is not None and start + owner.start() < intro.span.start < end)


def find_name(text: str, spans: list[Span]) -> tuple[str, Span] | None:
    """The patient's name when the report gives one ("Mr. Zhang", "Sun, an 80-year-old woman")."""
    for span in spans:
        sentence = text[span.start : span.end]
        for pattern in (_NAME_APPOSITION, _NAME_TITLE, _NAME_PSEUDONYM):
            m = pattern.search(sentence)
            if m:
                start = span.start + m.start("name")
                return m.group("name"), Span(start, start + len(m.group("name")))
    return None


def made_up_name(text: str, spans: tuple[Span, ...]) -> tuple[str, Span] | None:
    """The first name noted as made up ("Xiao Li (pseudonym)") anywhere in ``spans``: a news
    story so names the person it tells of, wherever it names them first."""
    for span in spans:
        m = _NAME_PSEUDONYM.search(text, span.start, span.end)
        if m:
            return m.group("name"), Span(m.start("name"), m.end("name"))
    return None
