"""Who a sentence is about: the index patient, another person or population, or nobody.

- A report describes a patient when it introduces one: an age tied to a person
  ("a 12-year-old boy"), a named person with a title ("Mr. Zhang") or a name noted as
  made up ("Xiao Li (pseudonym)"), or a definite reference ("the patient"); a news
  story's title may do it ("Doctors save 9-year-old girl's leg"). An article about a
  disease in general does none of these.
- After the introduction, a sentence that introduces another individual ("a patient
  with advanced myeloma who…", "another patient") describes a patient of its own;
  one that speaks of a population ("more than 200 children", "most patients", "the
  elderly") is about others.
- A sentence that never refers to the patient and reads as a general statement
  ("X is a rare disease", "HSCT can also treat…", "…is recommended") is generic.
- Before the patient is introduced, a sentence that does not tell what happened is
  background; after a "Discussion" heading, one that does not refer to the patient
  speaks of the disease or the literature: both generic.
- A case series numbers its patients in headings ("Case 1", "Patient 2:", "Case II"):
  each part (:func:`case_sections`) is read as a report of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import pairwise

from fhirsvc.extract.demographics import (
    ADJECTIVE_NOUNS,
    NUMBER_WORDS,
    PERSON_NOUNS,
    PSEUDONYM_NOTE,
    find_ages,
)
from fhirsvc.extract.scan import WordList, WordLists, WordPattern, in_spans, lists_in_spans
from fhirsvc.model import Age, Experiencer, Mention, Span
from fhirsvc.terminology.normalize import roman_value

_PRONOUNS = r"he|she|his|her|him|hers|himself|herself"
_PERSON = "|".join(n for n in PERSON_NOUNS if n not in ADJECTIVE_NOUNS)
_PRONOUN = WordList(_PRONOUNS.split("|"))
_DEFINITE = WordPattern(
    rf"(?:the|our|this|index|said)\s+(?:(?:\w+[\s-]){{0,2}})?(?:{_PERSON})\b",
    r"patient['\u2019]s\b",  # the possessive; a plural ("Patients often present…") is others
    r"(?:mr|mrs|ms|grandma|grandpa|granny|uncle|aunt)\.?\s+[a-z]",
)
_INTRO = WordPattern(
    rf"(?:a|an)\s+(?:[\w-]+\s+){{0,4}}?(?:{_PERSON})\b",
    r"(?:mr|mrs|ms|grandma|grandpa|granny|uncle|aunt)\.?\s+[a-z]",
    r"(?:the|our) patient\b",
)
_ANOTHER = WordPattern(
    rf"(?:another|a second|one other)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PERSON})\b",
)
#: "a patient with…" after the introduction: another patient, unless the sentence also
#: refers to the index patient ("He was a 47-year-old man with…").
_INDEFINITE = WordPattern(
    r"(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:patient|man|woman|child|boy|girl)\s+(?:with|who)\b",
)
_GROUP = (r"(?:patients|children|people|persons|individuals|adults|cases|infants|men|women|"
          r"families)\b")
_POPULATION = WordPattern(
    r"(?:more than|over|about|nearly|almost|some|many|most|several|all|these|such|other|more)\s+"
    rf"(?:\w+\s+){{0,2}}?{_GROUP}",
    rf"\d[\d,]*\s+(?:\w+\s+){{0,2}}?{_GROUP}",
    r"the elderly\b",
    r"(?:patients|children|people)\s+(?:with|who|will|are|have|can|may|should|suffering)\b",
    # a plural ending its clause ("…attempted in stable patients."): never a possessive
    # "patients" spelt without its apostrophe, which a noun follows
    r"(?<!the )(?<!our )(?<!both )patients(?=\s*[.;,)\]]|\s+(?:and|or)\b)",
)
_GENERIC_WORD = WordList(
    ["can", "could", "might", "must", "should", "would", "including", "include", "includes",
     "especially", "reported", "incidence", "prognosis", "hospital's", "such as", "treatment of",
     "to treat", "it is", "usually", "typically", "generally", "commonly", "mainstay"]
)
#: "may" the verb, not the month a date names ("12 May 1987", "May 3, 2015", "in May 2020").
_MAY = WordPattern(r"may\b(?<!\d\smay)(?!,?\s+\d)")
_GENERIC_CUE = WordPattern(
    r"(?:is|are)\s+(?:a|an|the|considered|believed|known|mainly|usually|often|very|quite|"
    r"not|rare|common|widely)\b",
    r"(?:conventional|standard) (?:\w+ )?(?:methods?|options?|therapy|treatments?)\b",
    r"(?:hospital|department|team|center|centre)\s+(?:has|have)\b",
    # a kind spoken of in the present tense ("Such tumors have a high risk of spread")
    r"such\s+(?:[\w-]+\s+){0,2}?[\w-]+s\s+(?:are|have|tend|carry|show|may|can|often|rarely)\b",
)
_SAME_PATIENT = WordPattern(
    r"(?:this|the present|our|the current) case\b", r"we (?:report|present|describe)\b",
    r"this is (?:a|an|the) (?:[\w-]+ ){0,2}case\b",
)
_STRONG_MODAL = WordList(["must", "should", "can"])
#: The label of the part of a note telling why the patient came ("Presenting complaint: …"):
#: what follows happened to the patient, though the note names them only after it.
_COMPLAINT_LABEL = WordPattern(
    r"(?:presenting|chief|main|principal) complaints?\s*:",
    r"history of (?:the )?present(?:ing)? (?:complaint|illness)\s*:",
    r"reasons? for (?:referral|admission|consultation)\s*:",
)
_CLINICAL_PAST = WordList(
    ["was", "were", "had", "showed", "revealed", "demonstrated", "underwent", "received",
     "presented", "developed", "noted", "found", "performed", "administered", "started", "given",
     "admitted", "diagnosed", "complained", "included", "followed", "treated", "initiated",
     "discharged", "continued", "required", "consisted", "resolved", "improved", "remained",
     "persisted", "worsened", "recovered", "underwent", "reported to have",
     # a judgement on the case in hand ("Lymphoma could not be excluded."), hedged with "could"
     "not be excluded", "not be ruled out"]
)


class About(StrEnum):
    PATIENT = "patient"
    ANOTHER = "another"  # introduces another individual patient ("a patient with myeloma who…")
    #: goes on telling of the other patient the sentence before introduced, in its paragraph
    #: ("A second patient, a 50-year-old man, had fever. He also had a rash.")
    CONTINUED = "continued"
    OTHER = "other"  # a population, or another person not described as a patient
    GENERIC = "generic"  # a general statement: nobody's facts
    NEUTRAL = "neutral"  # no person named; read as the patient's (lab lines, findings)


@dataclass(frozen=True, slots=True)
class SentenceRole:
    span: Span
    about: About
    #: Which of a mother's children a part of a sentence tells of (her twins, numbered from
    #: 1; :data:`BOTH` for all of them; 0 for no one of several), so that each is a case.
    who: int = 0


#: :attr:`SentenceRole.who` of what a sentence tells of all a mother's twins ("The twins…").
BOTH = -1


#: A person named with "the" or "this" ("the little girl", "this elderly man"): a news story
#: introduces its patient so, the age and sex in its title.
_DEFINITE_PERSON = WordPattern(rf"(?:the|this)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PERSON})\b")


def introduces_patient(text: str, sentence: Span, has_age: bool) -> bool:
    """True when this sentence introduces an individual patient: an age, an indefinite
    person ("a woman"), a name noted as made up ("Xiao Li (pseudonym)"), or a definite one
    in a sentence that tells what happened to them ("The little girl had fever…"), not one
    of a general statement ("the child may…")."""
    start, end = sentence.start, sentence.end
    if has_age or _INTRO.search(text, start, end) or PSEUDONYM_NOTE.search(text, start, end):
        return True
    return (_DEFINITE_PERSON.search(text, start, end) is not None
            and bool(_CLINICAL_PAST.spans(text, start, end))
            and not _STRONG_MODAL.spans(text, start, end)
            and not _GENERIC_WORD.spans(text, start, end)
            and _MAY.search(text, start, end) is None)


def classify(
    text: str, sentences: tuple[Span, ...], intro: int | None, names: tuple[str, ...],
    index_age: Age | None = None,
) -> list[SentenceRole]:
    """The role of each sentence, given the index of the introducing sentence (or None) and
    the age it gives the patient."""
    # the cues' word lists in one pass over the text, their patterns one by one
    marks: dict[WordPattern | WordList, list[bool]] = dict(
        zip(_CUE_LISTS, lists_in_spans(_CUE_WORDS, text, sentences), strict=True))
    for pattern in _CUE_PATTERNS:  # each once, though two cues share one ("definite", "person")
        marks[pattern] = in_spans(pattern, text, sentences)
    cues = {
        name: [any(found) for found in zip(*(marks[p] for p in patterns), strict=True)]
        for name, patterns in _CUES.items()
    }
    if names:
        name_re = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
        named = [bool(name_re.search(text, s.start, s.end)) for s in sentences]
    else:
        named = [False] * len(sentences)
    discussions = _discussions(text, sentences[intro].end if intro is not None else len(text))
    roles = [
        _introduced_again(text, SentenceRole(span, _about(
            i, intro, named[i], {k: v[i] for k, v in cues.items()},
            any(lo <= span.start < hi for lo, hi in discussions))), index_age)
        for i, span in enumerate(sentences)
    ]
    return _continued(text, roles, named, cues)


_ANOTHER_WORD = re.compile(
    r"\b(?:another|second|twin|other (?:patient|man|woman|child|boy|girl))\b", re.IGNORECASE)


def _introduced_again(text: str, role: SentenceRole, age: Age | None) -> SentenceRole:
    """The index patient introduced a second time, with the same age (an abstract, then the
    full text: "A 34-year-old man on valproate…" twice) is no other patient."""
    if (role.about is not About.ANOTHER or age is None
            or _ANOTHER_WORD.search(text, role.span.start, role.span.end)):
        return role
    again = any((a.value, a.unit) == (age.value, age.unit)
                for a in find_ages(text, role.span.start, role.span.end))
    return SentenceRole(role.span, About.PATIENT) if again else role


def _continued(text: str, roles: list[SentenceRole], named: list[bool],
               cues: dict[str, list[bool]]) -> list[SentenceRole]:
    """``roles`` with the sentences that go on telling of another patient marked so: those
    after the sentence that introduced them, in its paragraph (no line break between), that
    name nobody but by a pronoun ("He also had a rash", "CT showed a mass"). A name, a
    definite person ("the patient", "our patient"), a case of ours ("in our case") or a
    population ends the run: the report turns back to its own patient or to others."""
    out = list(roles)
    for i in range(1, len(out)):
        if out[i - 1].about not in (About.ANOTHER, About.CONTINUED) \
                or out[i].about not in (About.PATIENT, About.NEUTRAL) \
                or "\n" in text[out[i - 1].span.end : out[i].span.start]:
            continue
        if named[i] or cues["same"][i] or cues["person"][i] or cues["population"][i]:
            continue
        out[i] = SentenceRole(out[i].span, About.CONTINUED)
    return out


#: The heading of the part telling the case ("Case presentation", "Clinical history:").
_CASE_PART = re.compile(
    r"^[ \t]*(?:\d{1,2}\.?[ \t]*)?(?:case (?:presentation|report|description|history|summary|"
    r"details)|clinical (?:presentation|case|history|course)|patient (?:presentation|history)|"
    r"(?:case|patient) \d{1,2})[ \t]*(?::|$)", re.IGNORECASE | re.MULTILINE)


def _discussions(text: str, after: int) -> list[tuple[int, int]]:
    """Where the report discusses its case after ``after``: from each "Discussion" or
    "Conclusions" heading to the next heading of a case part (a structured abstract's
    "Conclusions:" comes before the full text's "Case presentation") or the end."""
    found: list[tuple[int, int]] = []
    at = after
    while (start := _AFTER_CASES.search(text, at)) is not None:
        resume = _CASE_PART.search(text, start.end())
        end = resume.start() if resume else len(text)
        found.append((start.start(), end))
        at = end
        if resume is None:
            break
    return found


#: The cues of a sentence's role; a cue is present when any of its patterns matches.
_CUES: dict[str, tuple[WordPattern | WordList, ...]] = {
    "same": (_SAME_PATIENT,), "another": (_ANOTHER,), "indefinite": (_INDEFINITE,),
    "definite": (_PRONOUN, _DEFINITE), "person": (_DEFINITE,),
    "population": (_POPULATION,), "modal": (_STRONG_MODAL,),
    "generic": (_GENERIC_WORD, _MAY, _GENERIC_CUE), "clinical": (_CLINICAL_PAST, _COMPLAINT_LABEL),
}


#: The word lists among the cues, found together (:class:`~fhirsvc.extract.scan.WordLists`).
_CUE_LISTS = tuple(dict.fromkeys(p for patterns in _CUES.values() for p in patterns
                                 if isinstance(p, WordList)))
_CUE_WORDS = WordLists(_CUE_LISTS)
#: The patterns among the cues, each listed once.
_CUE_PATTERNS = tuple(dict.fromkeys(p for patterns in _CUES.values() for p in patterns
                                    if isinstance(p, WordPattern)))


def _about(i: int, intro: int | None, named: bool, cue: dict[str, bool],
           discussing: bool = False) -> About:
    other_patient = cue["another"] or (cue["indefinite"] and not cue["definite"] and not named)
    if intro is not None and i > intro and not cue["same"] and other_patient:
        return About.OTHER if discussing else About.ANOTHER  # the literature's patients: no case
    refers = named or cue["definite"] or i == intro
    if cue["population"] and i != intro:
        return About.OTHER
    if refers or cue["same"]:
        return About.PATIENT
    if cue["modal"] or (cue["generic"] and not cue["clinical"]):
        return About.GENERIC
    if intro is not None and i < intro and not cue["clinical"]:
        return About.GENERIC  # background before the patient comes in ("It presents with…")
    if discussing:
        return About.GENERIC  # the discussion speaks of the disease, or of the literature
    return About.NEUTRAL


#: The heading of one case of a series at the start of a line: "Case 1", "Case #2:",
#: "Patient 3.", "Case II", "Case two"; the number is the first group.
_CASE_HEADING = re.compile(
    r"^[ \t]*(?:case|patient)(?:\s+report)?\s+(?:no\.?\s*|#\s*)?"
    r"(\d{1,2}|[ivx]{1,4}|one|two|three|four|five|six)\b(?![-/.]\w)",
    re.IGNORECASE | re.MULTILINE)
#: Cells set apart on a line: a bar, a tab or a run of spaces.
_COLUMNS = re.compile(r"\||\t|\S {2,}\S")
#: A heading that ends the last case of a series: what follows is about no one of them.
_AFTER_CASES = re.compile(
    r"^[ \t]*(?:\d{1,2}\.?[ \t]*)?(?:discussion|conclusions?|comments?|references|"
    r"acknowledge?ments?|literature review|review of (?:the )?literature)"
    r"(?:[ \t]+and[ \t]+[a-z ]{1,30})?[ \t]*(?::|$)", re.IGNORECASE | re.MULTILINE)


def _case_number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word) or roman_value(word)


def case_sections(text: str, sentences: tuple[Span, ...]) -> list[tuple[Span, ...]]:
    """The sentences of each case of a case series, in order; ``[]`` for a report of one case.

    A series is told by headings numbering its cases from one upwards at the start of a
    line (``_CASE_HEADING``), at least two of them. Sentences before the first heading (an
    abstract, an introduction speaking of all cases) and after a closing heading such as
    "Discussion" belong to no case.
    """
    starts: list[int] = []
    for m in _CASE_HEADING.finditer(text):
        line_end = text.find("\n", m.end())
        if _COLUMNS.search(text, m.end(), line_end if line_end >= 0 else len(text)):
            continue  # a row of a table of the cases, not the heading of one
        if _case_number(m.group(1)) == len(starts) + 1:
            starts.append(m.start())
    if len(starts) < 2:
        return []
    closing = next((m.start() for m in _AFTER_CASES.finditer(text, starts[-1])), len(text))
    bounds = [*starts, closing]
    return [tuple(s for s in sentences if lo <= s.start < hi)
            for lo, hi in pairwise(bounds)]


def own(mention: Mention) -> Mention:
    """``mention`` as the patient's own fact, whoever the words made it another's (a
    relative's word for the patient seen from another's side, "another patient" who is
    this case's)."""
    return replace(mention, context=replace(mention.context, experiencer=Experiencer.PATIENT))
