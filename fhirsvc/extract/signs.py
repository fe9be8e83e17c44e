"""Signs and symptoms told by the grammar of a clause, not by a term written as such.

Terminologies name a sign with the adjective first ("cold extremities", "unequal pupils",
"hoarse voice"); case reports as often say it of the noun ("her extremities were cold",
"the pupils were unequal", "his voice was hoarse"), or say of the patient or of a body site
the adjective of a finding the terminologies name by its noun ("he was restless":
restlessness, "the limbs were rigid": rigidity). They tell a loss of function with a verb
of inability ("she was unable to swallow", "he could not stand", "difficulty speaking"),
a change of weight with the mass lost or gained ("he lost 10 kg"), and an imaging finding
by how an area looks ("a hypodense area", "hyperintense foci"). Each is read here as
one finding over the words that tell it, with the concepts of the term the lexicon knows
for it (none when it knows none: the words are the Condition's text). See
https://www.hl7.org/fhir/R4/condition.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from fhirsvc.extract import course, values
from fhirsvc.extract.markers import replacing
from fhirsvc.extract.scan import mentions_any
from fhirsvc.extract.sites import site_noun
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import CONDITION_KINDS, MentionKind, Span
from fhirsvc.terminology.lexicon import Hit

Term = Callable[[str], Hit | None]

#: A linking verb, perhaps a word of degree, then one adjective: what is said of the noun
#: written before it ("were cold", "appeared markedly pale", "was slightly hoarse").
_SAID = re.compile(
    r"\s+(?:was|were|is|are|appeared|appears|became|looked|seemed|felt|remained)\s+"
    r"(?:(?:mildly|moderately|severely|markedly|slightly|very|extremely|diffusely|grossly|"
    r"also|still|persistently|notably|quite|somewhat|increasingly)\s+)?"
    r"(?P<adj>[A-Za-z]+)\b")
#: The linking verbs of :data:`_SAID`, as its cheap test finds them (lower case).
_LINKS = (" was ", " were ", " is ", " are ", " appear", " became ", " looked ", " seemed ",
          " felt ", " remained ")
#: The one or two words before the verb: the noun the adjective is said of ("her |
#: extremities", "the left | pupil"), after a determiner or an owner.
_SUBJECT = re.compile(r"(?:(?<![A-Za-z-])(?P<first>[A-Za-z]+)\s+)?(?P<last>[A-Za-z]+)$")
#: Words that say the subject is the patient: the adjective then names a finding of the
#: whole patient ("he was restless", "the child appeared lethargic").
_PERSON = frozenset({"he", "she", "patient", "child", "infant", "baby", "boy", "girl", "man",
                     "woman", "neonate", "newborn", "gentleman", "lady"})
#: Words of a noun phrase's start that are no part of the noun.
_DETERMINERS = frozenset({"the", "his", "her", "their", "its", "a", "an", "both", "all"})
#: An adjective's ending and the endings of the nouns of its finding ("restless" →
#: "restlessness", "rigid" → "rigidity", "spastic" → "spasticity", "sleepy" → "sleepiness").
_NOUN_ENDINGS = (("y", ("iness",)), ("id", ("idity",)), ("ic", ("icity",)), ("ous", ("osity",)),
                 ("able", ("ability",)), ("ive", ("ivity", "iveness")), ("", ("ness",)))


def _noun_forms(adjective: str) -> Iterator[str]:
    """The nouns a finding's adjective may be named by ("hoarse" → "hoarseness")."""
    for ending, nouns in _NOUN_ENDINGS:
        if adjective.endswith(ending) and len(adjective) - len(ending) >= 3:
            stem = adjective[: len(adjective) - len(ending)]
            yield from (stem + noun for noun in nouns)


def _finding(term: Term, words: Iterable[str]) -> Hit | None:
    """The first of ``words`` the lexicon knows as a disorder or finding."""
    for phrase in words:
        hit = term(phrase)
        if hit is not None and hit.kind in CONDITION_KINDS:
            return hit
    return None


def _said_of(text: str, floor: int, verb: int, adj: re.Match[str],
             term: Term) -> Hit | None:
    """The finding the adjective ``adj`` names said of the words before ``verb`` (not
    before ``floor``): the term with the adjective before the noun ("cold extremities"),
    else, of the patient or a body site, the adjective's noun ("restlessness")."""
    subject = _SUBJECT.search(text, max(floor, verb - 40), verb)
    if subject is None:
        return None
    word = adj.group("adj").lower()
    if values.parse_qualitative(text, adj.start("adj"), adj.end("adj")) is not None:
        return None  # "the ECG was abnormal": a result word judges a test, read with it
    last = subject.group("last").lower()
    first = (subject.group("first") or "").lower()
    two = first not in _DETERMINERS and bool(first)
    start = subject.start("first") if two else subject.start("last")
    nouns = ([f"{first} {last}"] if two else []) + [last]
    own_noun = last in _PERSON or any(site_noun(noun) for noun in nouns)
    found = _finding(term, (f"{word} {noun}" for noun in nouns))
    if found is None and not own_noun:
        return None  # no finding either way: the subject need not be looked up (asked often)
    if any((named := term(noun)) is not None and named.kind not in CONDITION_KINDS
           for noun in nouns):
        return None  # "the hemoglobin was low": a test's result, read with the test
    if found is not None:  # unless the adjective alone names as much ("undescended")
        alone = _finding(term, (word,))
        return None if alone is not None and set(found.concepts) <= set(alone.concepts) \
            else Hit(start, adj.end("adj"), found.kind, found.concepts)
    if last in _PERSON:
        start = adj.start("adj")
    found = _finding(term, _noun_forms(word))
    return None if found is None or found.kind is not MentionKind.FINDING else \
        Hit(start, adj.end("adj"), found.kind, found.concepts)


def said_of(text: str, spans: Iterable[Span], hits: list[Hit], term: Term) -> list[Hit]:
    """``hits`` (in text order) with each finding's adjective said of a noun read as one
    finding (see the module docstring); the hits inside such a phrase are dropped, and a
    phrase a hit runs into or out of is not read."""
    index = SpanIndex(hits)
    found: list[Hit] = []
    for span, adj in _matches(text, spans, _SAID, _LINKS):
        hit = _said_of(text, span.start, adj.start(), adj, term)
        if hit is not None and _fits(hit, list(index.overlapping(hit.start, hit.end))) \
                and not _a_course(text, span, hit):
            found.append(hit)
    return replacing(hits, found)


def _matches(text: str, spans: Iterable[Span], pattern: re.Pattern[str],
             words: tuple[str, ...]) -> Iterator[tuple[Span, re.Match[str]]]:
    """The matches of ``pattern`` in each of ``spans``, with their span; a span holding
    none of ``words`` (fragments every match holds) is not searched."""
    for span in spans:
        if mentions_any(text, span.start, span.end, words):
            yield from ((span, m) for m in pattern.finditer(text, span.start, span.end))


def _a_course(text: str, span: Span, hit: Hit) -> bool:
    """Whether the phrase is part of a course the course finder reads in ``span`` ("her
    recovery was uneventful": how care went, :mod:`course`)."""
    return any(found.start < hit.end and hit.start < found.end
               for found, *_ in course.found(text, max(span.start, hit.start - 40), hit.end))


def _fits(phrase: Hit, held: list[Hit]) -> bool:
    """Whether the hits ``held`` that the phrase overlaps all lie inside it, all name a
    disorder or finding (a test or a treatment the subject names stays: "the postoperative
    recovery was uneventful" judges care) and none covers the whole phrase already (the organ
    rules of :mod:`sites` read "the lymph nodes were enlarged" first)."""
    return all(phrase.start <= h.start and h.end <= phrase.end and h.kind in CONDITION_KINDS
               and (h.start, h.end) != (phrase.start, phrase.end) for h in held)


#: A verb of inability, then a verb of a body's function: a loss of that function ("unable
#: to swallow", "could not stand", "difficulty speaking", "inability to bear weight").
_INABLE = re.compile(
    r"\b(?:unable\s+to|not\s+able\s+to|could\s+not|couldn['\u2019]t|cannot|can['\u2019]t|can\s+not|"
    r"inability\s+to|impossible\s+to|(?:difficulty|difficulties|trouble)(?:\s+(?:in|with))?)\s+"
    r"(?:(?:fully|properly|independently|easily|even)\s+)?"
    r"(?P<verb>walk(?:ing)?|stand(?:ing)?|sit(?:ting)?|speak(?:ing)?|talk(?:ing)?|"
    r"swallow(?:ing)?|mov(?:e|ing)|see(?:ing)?|hear(?:ing)?|breath(?:e|ing)|eat(?:ing)?|"
    r"drink(?:ing)?|sleep(?:ing)?|urinat(?:e|ing)|void(?:ing)?|chew(?:ing)?|rais(?:e|ing)|"
    r"lift(?:ing)?|grip(?:ping)?|grasp(?:ing)?|writ(?:e|ing)|concentrat(?:e|ing)|"
    r"remember(?:ing)?|recogni[sz](?:e|ing)|climb(?:ing)?|bend(?:ing)?|feed(?:ing)?|"
    r"dress(?:ing)?|smell(?:ing)?|tast(?:e|ing)|defecat(?:e|ing)|"
    r"bear(?:ing)?\s+weight|follow(?:ing)?\s+commands)\b",
    re.IGNORECASE)
#: Fragments one of which every match of :data:`_INABLE` holds (lower case; "n't" with
#: either apostrophe, for "couldn't" and "can't").
_INABLE_WORDS = ("unable", "able to", "not", "n't", "n\u2019t", "inability", "impossible",
                 "difficult", "trouble")
#: The care team as the subject: what they could not do is no symptom ("we could not see
#: the lesion").
_TEAM = re.compile(r"\b(?:we|our|surgeons?|physicians?|team|operators?|endoscopists?)\b"
                   r"[^.;]{0,20}$", re.IGNORECASE)


def inability_hits(text: str, start: int, end: int, taken: SpanIndex[Hit],
                   term: Term) -> list[Hit]:
    """Losses of a body's function told by a verb of inability in ``text[start:end]`` (see
    :data:`_INABLE`) that no hit in ``taken`` overlaps, coded as the lexicon codes the words
    ("unable to walk") or uncoded."""
    if not mentions_any(text, start, end, _INABLE_WORDS):
        return []
    found = []
    for m in _INABLE.finditer(text, start, end):
        if taken.overlaps(m.start(), m.end()) or \
                _TEAM.search(text, max(start, m.start() - 30), m.start()):
            continue
        known = _finding(term, (" ".join(m.group().split()),))
        found.append(Hit(m.start(), m.end(), MentionKind.FINDING,
                         known.concepts if known else ()))
    return found


#: A mass of the body lost or gained: "lost 10 kg", "had gained about 20 pounds".
_WEIGHT = re.compile(
    r"\b(?:(?P<loss>lost|losing|loses)|gained|gaining|gains)\s+"
    r"(?:(?:about|approximately|nearly|almost|over|around|more\s+than|up\s+to|~)\s*)?"
    r"\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?\s*"
    r"(?:kg|kgs|kilograms?|lbs?|pounds?)\b",
    re.IGNORECASE)


def weight_change_hits(text: str, start: int, end: int, taken: SpanIndex[Hit],
                       term: Term) -> list[Hit]:
    """Weight lost or gained, told with the mass ("she lost 8 kg"), in ``text[start:end]``
    and overlapping no hit of ``taken``: the finding of weight loss or gain as the lexicon
    codes it."""
    if not mentions_any(text, start, end, ("lost", "losing", "loses", "gain")):
        return []
    found = []
    for m in _WEIGHT.finditer(text, start, end):
        known = _finding(term, ("weight loss" if m.group("loss") else "weight gain",))
        if known is not None and not taken.overlaps(m.start(), m.end()):
            found.append(Hit(m.start(), m.end(), known.kind, known.concepts))
    return found


#: An imaging finding named by how the area looks on the image, then the area's noun ("a
#: hypodense area", "hyperintense signal", "an echogenic structure", "hypermetabolic foci"):
#: the words a report writes for a lesion it does not name otherwise.
_IMAGED = re.compile(
    r"\b(?:(?:(?:hypo|hyper|iso)(?:dense|echoic|intense|attenuating|metabolic)|(?:an|hyper)?echoic|"
    r"(?:hyper|hypo)?echogenic|(?:radio)?lucent|enhancing)|"
    r"(?:high|low|increased|decreased|abnormal)[- ](?:signal|density|attenuation)"
    r"(?:[- ]intensity)?)\s+(?:(?:[a-z]+(?:-[a-z]+)?)\s+)?"
    r"(?:areas?|foc(?:us|i)|regions?|signals?|spots?|structures?|shadows?|zones?|lesions?|"
    r"nodules?|masse?s?)\b",
    re.IGNORECASE)
#: Fragments one of which every match of :data:`_IMAGED` holds (lower case).
_IMAGED_WORDS = ("dense", "echo", "intens", "attenuat", "metabolic", "lucent", "enhancing",
                 "signal", "density")


def imaged_findings(text: str, spans: Iterable[Span], hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) with each imaging finding named by its look and its area's
    noun (:data:`_IMAGED`, "a hypodense area") read as one uncoded finding, where no hit
    names it already: a lesion the lexicon knows ("a hypodense lesion") stays as it was
    found, with the words of its context."""
    index = SpanIndex(hits)
    found = [Hit(m.start(), m.end(), MentionKind.FINDING, ())
             for _, m in _matches(text, spans, _IMAGED, _IMAGED_WORDS)
             if not index.overlaps(m.start(), m.end())]
    return replacing(hits, found)
