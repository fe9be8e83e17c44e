"""A mother's newborn (or fetus) as a patient of its own.

A report about a pregnant or delivering woman often goes on to tell what became of the
child: "The neonate developed jaundice and was treated with phototherapy", "The infant was
intubated", "The fetus showed ascites". Those findings and that care are the child's, not
the mother's: the sentences whose subject is the child (:data:`_CHILD_SUBJECT`) make one
other patient (``patients.About.ANOTHER`` for the first, ``CONTINUED`` for the rest, so that
``extract`` gives them one case of its own), with the sentences right after one of them, in
its paragraph, that name nobody (``About.NEUTRAL``: "Phototherapy was started.").

A report whose index patient is the newborn ("A 2-day-old boy…", "A newborn girl was
delivered…") is no mother's: its child sentences stay the patient's. In a sentence telling
the birth ("The baby was delivered by caesarean section and intubated") the procedure of the
delivery is the mother's, the rest the child's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal

from fhirsvc.extract import context, findings
from fhirsvc.extract.demographics import FEMALE_NOUNS
from fhirsvc.extract.patients import About, SentenceRole, own
from fhirsvc.extract.scan import WordList, WordPattern
from fhirsvc.model import Age, Experiencer, Mention, MentionKind, PatientCase, Span

_CHILD = r"(?:bab(?:y|ies)|neonates?|newborns?|infants?|fetus|foetus|fetuses|foetuses)"
#: The child as a sentence's subject: at its start, after at most a short opening phrase and
#: a comma ("On day 2, the neonate…") or the test it is the object of ("Ultrasound of the
#: fetus showed…"), with an article or the mother's possessive and up to two describing words
#: ("the male infant", "her preterm baby"), or a test of the fetus ("Fetal echocardiography
#: showed…"). The procedure a child was born by is the mother's (:func:`born_by`).
_CHILD_SUBJECT = re.compile(
    rf"(?:[^,.;:]{{0,40}},\s+)?(?:[\w-]+\s+(?:[\w-]+\s+)?of\s+)?"
    rf"(?:(?:the|her|their|this|our)\s+(?:[\w-]+\s+){{0,2}}?{_CHILD}"
    r"|(?:the\s+)?f(?:o)?etal\s+(?:ultrasound|ultrasonography|sonography|echocardiography|"
    r"echocardiogram|mri|magnetic\s+resonance\s+imaging|heart\s+rate|scan))"
    r"(?:['\u2019]s)?\b",
    re.IGNORECASE)
#: Words telling that the patient is pregnant or gives birth.
_PREGNANCY = WordPattern(
    r"pregnan", r"gestation", r"gravida", r"primigravida", r"multigravida", r"primipara",
    r"multipara", r"parturient", r"deliver", r"c(?:a)?esarean", r"postpartum", r"post-partum",
    r"puerper", r"gave birth", r"labou?r\b", r"antenatal", r"prenatal", r"obstetric",
)
_FEMALE = WordList(sorted(FEMALE_NOUNS | {"she", "her"}))
#: The person a sentence introduces as a child just born ("A newborn boy…", "a preterm
#: infant…"): an indefinite article and up to three words before the child's noun.
_CHILD_INTRO = re.compile(rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?{_CHILD}\b", re.IGNORECASE)
#: The youngest age, in years, of a patient who may be a mother.
_MOTHER_AGE = 12


#: A young child introduced ("A newborn boy…", "a term neonate", "a girl"): the indefinite
#: article, up to three words, then a child's noun or "boy" or "girl".
_YOUNG_INTRO = re.compile(rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?(?P<noun>{_CHILD}|boy|girl)\b",
                          re.IGNORECASE)


def introduces_newborn(text: str, sentence: Span) -> bool:
    """Whether the first person ``sentence`` introduces is a young child, no woman before it
    ("A newborn boy was admitted on day 3 of life"), so that an age by the day of life or
    "at birth" there is the patient's, not a mother's child's ("A woman delivered a boy
    who…")."""
    m = _YOUNG_INTRO.search(text, sentence.start, sentence.end)
    return m is not None and not _FEMALE.spans(text, sentence.start, m.start("noun"))


def child_subject(text: str, sentence: Span) -> bool:
    """Whether the child is the subject of ``sentence`` (:data:`_CHILD_SUBJECT`)."""
    return _CHILD_SUBJECT.match(text, sentence.start, sentence.end) is not None


#: The words for a child in its first 28 days of life, the neonatal period.
_NEONATE = re.compile(r"\b(?:newborn|new-born|neonate)\b", re.IGNORECASE)
#: The last completed day of the neonatal period.
_NEONATAL_DAYS = Decimal(27)


def newborn_age(text: str, sentence: Span) -> Age | None:
    """The age range a sentence introducing the patient as a newborn or a neonate states, no
    number given: 0 to 27 completed days (the neonatal period, the first 28 days of life)."""
    m = _YOUNG_INTRO.search(text, sentence.start, sentence.end)
    if m is None or _FEMALE.spans(text, sentence.start, m.start("noun")):
        return None
    noun = _NEONATE.search(text, m.start(), m.end())
    if noun is None:
        return None
    return Age(Decimal(0), "d", Span(noun.start(), noun.end()), high=_NEONATAL_DAYS)


def is_mother(text: str, roles: list[SentenceRole], intro: Span, age: Age | None) -> bool:
    """Whether the index patient is a pregnant or delivering woman: an adult's age or none, a
    female word in the sentence introducing her, no child introduced there, and a word of
    pregnancy or birth in what the report tells of her."""
    if age is not None and (age.unit != "a" or age.value < _MOTHER_AGE):
        return False
    if not _FEMALE.spans(text, intro.start, intro.end):
        return False
    first_child = _CHILD_INTRO.search(text, intro.start, intro.end)
    if first_child is not None and not _FEMALE.spans(text, intro.start, first_child.start()):
        return False  # "A newborn girl…": the patient is the child
    return any(_PREGNANCY.search(text, r.span.start, r.span.end)
               for r in roles if r.about in (About.PATIENT, About.NEUTRAL))


def newborn_roles(text: str, roles: list[SentenceRole]) -> list[SentenceRole]:
    """``roles`` with the sentences telling of the mother's child marked as another patient's:
    the first ``ANOTHER``, the later ones ``CONTINUED`` (one child, one case), and a sentence
    that goes on telling of the child right after one of them, in its paragraph
    (:func:`_goes_on`), ``CONTINUED`` too."""
    out = list(roles)
    told = False  # whether the child has been introduced
    previous = False  # whether the sentence before is the child's
    for i, role in enumerate(out):
        span = role.span
        if role.about in (About.PATIENT, About.NEUTRAL) \
                and _CHILD_SUBJECT.match(text, span.start, span.end):
            out[i] = SentenceRole(span, About.CONTINUED if told else About.ANOTHER)
            told = previous = True
        elif previous and goes_on(text, role) \
                and "\n" not in text[out[i - 1].span.end : span.start]:
            out[i] = SentenceRole(span, About.CONTINUED)
        else:
            previous = False
    return out


#: Pronouns that cannot stand for the mother: the child's ("His bilirubin was 15 mg/dL").
_CHILD_PRONOUN = WordList(["he", "his", "him", "it", "its"])


def goes_on(text: str, role: SentenceRole) -> bool:
    """Whether a sentence after one about the child goes on telling of the child: it names
    nobody (``About.NEUTRAL``: "Phototherapy was started"), or only by a pronoun that is not
    the mother's ("He was extubated on day 3"); one with a word for her ("she", "the
    mother") turns back to her."""
    if role.about not in (About.PATIENT, About.NEUTRAL) \
            or _FEMALE.spans(text, role.span.start, role.span.end):
        return False
    return role.about is About.NEUTRAL or bool(
        _CHILD_PRONOUN.spans(text, role.span.start, role.span.end))


#: The mother as a sentence's subject, by that word and no owner ("The mother recovered",
#: "After delivery, the mother developed…", "The mother's creatinine rose"): in a mother's
#: report, the patient herself.
_MOTHER_SUBJECT = re.compile(r"(?:[^,.;:]{0,40},\s+)?the\s+mother\b", re.IGNORECASE)


def mothers_own(text: str, roles: list[SentenceRole],
                found: list[Mention]) -> list[Mention]:
    """``found`` (the mother's mentions) with those a relative's word made a family member's
    given back to her, in the sentences whose subject is "the mother": she is the patient."""
    spans = [r.span for r in roles if _mother_is_subject(text, r.span)]
    return _family_as_patient(found, _within(spans)) if spans else found


#: An owner's "'s" and the word after it ("the mother's creatinine", "the mother's sister").
_OWNS = re.compile(r"['\u2019]s\s+(\w+)")


def _mother_is_subject(text: str, sentence: Span) -> bool:
    """Whether "the mother" or what is hers is the subject of ``sentence`` (not her relative:
    "the mother's sister had lupus")."""
    m = _MOTHER_SUBJECT.match(text, sentence.start, sentence.end)
    if m is None:
        return False
    owned = _OWNS.match(text, m.end(), sentence.end)
    return owned is None or owned.group(1).lower() not in context.kin_words()


def _family_as_patient(found: Iterable[Mention],
                       where: Callable[[Mention], bool]) -> list[Mention]:
    """``found`` with the family member's facts that ``where`` holds for given back to the
    patient of the case (a relative's word named the patient from another's side)."""
    return [own(m) if m.context.experiencer is Experiencer.FAMILY and where(m) else m
            for m in found]


def _within(spans: list[Span]) -> Callable[[Mention], bool]:
    """Whether a mention begins in one of ``spans``."""
    return lambda m: any(s.start <= m.span.start < s.end for s in spans)


#: Words of the child's own relatives ("the infant's mother", "a sibling"): what a sentence
#: says after one may be theirs, not the child's.
_CHILDS_RELATIVES = WordPattern(r"mother", r"father", r"parent", r"maternal", r"paternal",
                                r"sibling", r"brother", r"sister", r"twin")


def childs_own(text: str, spans: list[Span], case: PatientCase) -> PatientCase:
    """The child's case with the facts "her baby", "her newborn son" made a relative's (the
    mother's child) given back to the child, the patient of this case, not in a sentence
    that names another relative of the child; and without the procedure it was born by (the
    mother's, :func:`deliveries`, whoever the case's words begin with: "twin A was
    delivered by…" too)."""
    kept = [m for m in case.mentions if not _born_in(text, m, spans)]
    if not spans or not _CHILD_SUBJECT.match(text, spans[0].start, spans[0].end):
        return replace(case, mentions=tuple(kept))
    no_relative = [s for s in spans if not _CHILDS_RELATIVES.search(text, s.start, s.end)]
    return replace(case, mentions=tuple(_family_as_patient(kept, _within(no_relative))))


#: Words naming the unborn child: in a report about the child, the patient before birth.
_FETAL = re.compile(r"\b(?:f(?:o)?etal|f(?:o)?etus|intrauterine|in\s+utero)\b", re.IGNORECASE)
#: :data:`_FETAL` right before a mention, at most a word between ("fetal heart rate
#: decelerations", "intrauterine growth restriction").
_FETAL_BEFORE = re.compile(rf"{_FETAL.pattern}\s+(?:[\w-]+\s+)?\Z", re.IGNORECASE)


def _names_fetus(text: str, span: Span) -> bool:
    return _FETAL.search(text, span.start, span.end) is not None or \
        _FETAL_BEFORE.search(text, max(0, span.start - 40), span.start) is not None


def is_child(text: str, intro: Span, age: Age | None) -> bool:
    """Whether the index patient is a child less than a year old, or one introduced as a
    newborn, an infant, a neonate or a baby ("A newborn boy…")."""
    if age is not None:
        return age.unit != "a" or age.value < 1
    return _CHILD_INTRO.search(text, intro.start, intro.end) is not None


def fetus_own(text: str, found: list[Mention]) -> list[Mention]:
    """``found`` (a child's mentions) with what the mother's sentence tells of the fetus
    ("His mother was admitted because of reduced fetal movements") given back to the child:
    the fetus was the patient."""
    return _family_as_patient(found, lambda m: _names_fetus(text, m.span))


#: The verbs of a child's birth by a procedure (:func:`findings.birth_verb`) in a sentence
#: about the child: "The baby was born via emergency caesarean", "was delivered by".
_BORN_VERBS = frozenset({"born", "delivered"})


def born_by(text: str, mention: Mention, sentence: Span) -> bool:
    """Whether ``mention`` is the procedure the child was born by: the mother's delivery."""
    return mention.kind is MentionKind.THERAPEUTIC_PROCEDURE and findings.birth_verb(
        text, mention.span.start, sentence.start) in _BORN_VERBS


def deliveries(text: str, spans: list[Span], case: PatientCase) -> list[Mention]:
    """The procedures another case's sentences (``spans``) tell the child was born by, as
    the mother's (the index patient's)."""
    return [own(m) for m in case.mentions if _born_in(text, m, spans)]


def _born_in(text: str, mention: Mention, spans: list[Span]) -> bool:
    """Whether ``mention`` is a procedure one of ``spans`` tells the child was born by."""
    return any(s.start <= mention.span.start < s.end and born_by(text, mention, s) for s in spans)
