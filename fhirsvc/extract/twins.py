"""A mother's twins (or triplets), each a patient of their own.

"She delivered twins; twin A weighed 2,100 g and twin B had respiratory distress": the
weight is twin A's, the distress twin B's, and neither is the mother's. A twin is named by
a letter or a number ("twin A", "Twin 2", "triplet C") or by the order of birth ("the
second twin", "the first-born twin"); what the words from one such name up to the next (or
the end of the sentence) tell is that twin's (:func:`twin_roles` splits the sentence
there). The sentences that go on after one, naming nobody or the child by a pronoun
("He was intubated"), are the same twin's; a sentence about "the twins", "both babies"
or "the neonates" is told of each of them, so each twin's case holds it: giving it to one
would drop it from the other, and giving it to the mother would mix a child's facts with
hers. A child named alone ("the neonate") in a report of twins is the twin told of last.

The roles carry the twin's number (:attr:`~fhirsvc.extract.patients.SentenceRole.who`,
:data:`~fhirsvc.extract.patients.BOTH` for all), and :func:`twin_spans` gives each twin's
words, one case each.
"""

from __future__ import annotations

import re

from fhirsvc.extract.newborns import child_subject, goes_on
from fhirsvc.extract.patients import BOTH, About, SentenceRole
from fhirsvc.model import Span

#: A twin or a triplet named by a letter or a number, or by the order of birth.
_TWIN = re.compile(
    r"\b(?i:twin|triplet)\s+(?P<letter>[A-C1-3]|I{1,3})\b(?![-/.]\w)"
    r"(?!\s+(?i:years?|months?|weeks?|days?|hours?|kg|g)\b)"  # "the twin 2 weeks later"
    r"|\b(?i:(?P<order>first|second|third|1st|2nd|3rd)(?:[\s-]born)?\s+(?:twin|triplet))\b")
_NUMBERS = {"a": 1, "1": 1, "i": 1, "first": 1, "1st": 1, "b": 2, "2": 2, "ii": 2, "second": 2,
            "2nd": 2, "c": 3, "3": 3, "iii": 3, "third": 3, "3rd": 3}
#: All the children as a sentence's subject ("The twins…", "Both neonates…", "On day 2,
#: the babies…"), after at most a short opening phrase and a comma.
_ALL_SUBJECT = re.compile(
    r"(?:[^,.;:]{0,40},\s+)?(?:(?:both|the|her|these|the two)\s+(?:[\w-]+\s+)?"
    r"(?:twins|triplets|babies|neonates|infants|newborns)|both\s+(?:of\s+the\s+)?"
    r"(?:twins|triplets|babies|neonates|infants|newborns))\b", re.IGNORECASE)
#: The roles a twin's words may have had before: the mother's, or a child's.
_TOLD = frozenset({About.PATIENT, About.NEUTRAL, About.ANOTHER, About.CONTINUED})


def twin_roles(text: str, roles: list[SentenceRole]) -> list[SentenceRole]:
    """``roles`` of a mother's report with the words about each of her twins given that
    twin's number (a sentence split where each twin's name begins), those about all of
    them :data:`BOTH`; ``roles`` as they are when no twin is named."""
    if not any(_TWIN.search(text, r.span.start, r.span.end) or _all_twins(text, r.span)
               for r in roles):
        return roles
    out: list[SentenceRole] = []
    last = BOTH  # the twin told of last
    for i, role in enumerate(roles):
        names = list(_TWIN.finditer(text, role.span.start, role.span.end))
        if role.about not in _TOLD:
            out.append(role)
        elif names:
            out += _split(text, role, names, last)
            last = _number(names[-1])
        elif _ALL_SUBJECT.match(text, role.span.start, role.span.end):
            out.append(SentenceRole(role.span, About.ANOTHER, BOTH))
        elif role.about in (About.ANOTHER, About.CONTINUED) and child_subject(text, role.span):
            out.append(SentenceRole(role.span, role.about, last))  # "The neonate…": the last one
        elif out and out[-1].who and (goes_on(text, role) or role.about is About.CONTINUED) \
                and "\n" not in text[roles[i - 1].span.end : role.span.start]:
            out.append(SentenceRole(role.span, About.CONTINUED, out[-1].who))
        else:
            out.append(role)
    return out


#: Twins or triplets as all the children a sentence tells of ("The twins were…").
_MULTIPLE = re.compile(r"\b(?:twins|triplets)\b", re.IGNORECASE)


def _all_twins(text: str, span: Span) -> bool:
    """Whether ``span`` tells of all the twins (or triplets) by that word as its subject."""
    m = _ALL_SUBJECT.match(text, span.start, span.end)
    return m is not None and _MULTIPLE.search(text, m.start(), m.end()) is not None


def _number(name: re.Match[str]) -> int:
    return _NUMBERS[(name.group("letter") or name.group("order")).lower()]


def _split(text: str, role: SentenceRole, names: list[re.Match[str]],
           last: int) -> list[SentenceRole]:
    """The parts of a sentence naming twins: what comes before the first name is told of all
    twins when they are its subject, else keeps the sentence's role (a child's sentence: the
    twin told of last), and each name begins its twin's part."""
    parts: list[SentenceRole] = []
    head = Span(role.span.start, names[0].start())
    if text[head.start:head.end].strip():
        if _all_twins(text, head) or _ALL_SUBJECT.match(text, head.start, head.end):
            parts.append(SentenceRole(head, About.ANOTHER, BOTH))  # "The twins…; twin A…"
        else:
            child = role.about in (About.ANOTHER, About.CONTINUED)
            parts.append(SentenceRole(head, role.about, last if child else 0))
    ends = [n.start() for n in names[1:]] + [role.span.end]
    for name, end in zip(names, ends, strict=True):
        parts.append(SentenceRole(Span(name.start(), end), About.ANOTHER, _number(name)))
    return parts


def twin_spans(text: str, roles: list[SentenceRole]) -> list[list[Span]]:
    """The words of each twin, by number: theirs and those told of all twins; two twins (or
    three triplets) when the report tells of them all only."""
    numbers = sorted({r.who for r in roles if r.who > 0})
    if not numbers and any(r.who == BOTH for r in roles):
        told = [r for r in roles if r.who == BOTH]
        triplets = any("triplet" in text[r.span.start:r.span.end].lower() for r in told)
        numbers = [1, 2, 3] if triplets else [1, 2]
    return [[r.span for r in roles if r.who in (n, BOTH)] for n in numbers]
