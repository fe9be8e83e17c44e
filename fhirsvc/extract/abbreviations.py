"""Abbreviations a report defines ("hemophagocytic lymphohistiocytosis (HLH)").

When a lexicon match is followed directly by a parenthesised short form, every
later use of that short form in the report names the same concepts, whether or
not the short form is in the lexicon. (Schwartz & Hearst 2003 find definitions
the same way: long form, then short form in parentheses.)

A case presentation often uses a short form its article defined earlier, in the abstract
or the introduction ("the diagnosis of XYZ was established"): an upper-case short form
that no hit covers, named as what the patient was diagnosed with ("diagnosed with",
"diagnosis of", "consistent with", "secondary to"), names a disorder, without a code, there
and wherever else the report uses it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from fhirsvc.extract import scan
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import MentionKind
from fhirsvc.terminology.lexicon import Hit

_SHORT_FORM = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*[),;]")


def definitions(text: str, hits: list[Hit]) -> dict[str, Hit]:
    """Short form → the hit that defines it."""
    found: dict[str, Hit] = {}
    for hit in hits:
        m = _SHORT_FORM.match(text, hit.end)
        if not m:
            continue
        short = m.group(1)
        upper = sum(ch.isupper() for ch in short)
        if (upper >= 2 and short[0].upper() == text[hit.start].upper()) or (
                upper >= 2 and len(short) <= 6):
            found.setdefault(short, hit)
    return found


def abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` can be an abbreviation of ``long`` (Schwartz & Hearst 2003): each of
    its letters and digits is found in ``long``, in order, read from the right, and its
    first one begins a word of ``long`` ("TLC" of "total lung capacity", "ANA" of
    "antinuclear antibody"); "ALT" is no abbreviation of "liver function tests"."""
    short, long = short.lower(), long.lower()
    at = len(long) - 1
    for i in range(len(short) - 1, -1, -1):
        char = short[i]
        if not char.isalnum():
            continue
        while at >= 0 and (long[at] != char or (
                i == 0 and at > 0 and long[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return False
        at -= 1
    return True


def _spells(short: str, long: str) -> bool:
    """Whether ``short`` abbreviates all of ``long`` from its first word ("PE" of "pleural
    effusion"; not "JVP" of "elevated jugular venous pressure", whose first word it skips)."""
    return short[:1].lower() == long[:1].lower() and abbreviates(short, long)


#: Words that name what a patient was diagnosed with (matched in lower case).
_DIAGNOSED_AS = re.compile(
    r"(?:diagnos(?:is|ed)\s+(?:of|with|as)|consistent\s+with|compatible\s+with|"
    r"suggestive\s+of|secondary\s+to)\s+")
#: Words that may stand between the cue and the short form: "chronic", "idiopathic",
#: "advanced"; not a determiner, nor a staging word whose value follows ("stage IV").
_NOT_MODIFIERS = r"(?:the|this|that|these|those|his|her|their|its|stage|grade|type|class)\b"
#: Closed-class words that may follow the short form ("XY was confirmed", "XY in 2010",
#: "XY due to"). Any other lower-case word makes the short form a modifier of a longer
#: name ("XY infection", "XY positive", "XY grade II"): that name, not the short form,
#: is the diagnosis.
_MAY_FOLLOW = (
    r"(?:and|or|but|nor|in|on|at|of|with|without|after|before|since|during|until|due|"
    r"secondary|following|for|from|by|as|than|that|which|who|whose|when|while|because|"
    r"was|were|is|are|had|has|have|been|being|be|could|would|may|might|can|must|should|"
    r"made|established|confirmed|suspected|considered|diagnosed|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|several|many|a|an|the)\b")
#: After those words: at most one lower-case modifier, then an upper-case short form
#: that is no Roman numeral ("grade III", "stage IIA" name a stage), followed by no
#: "+" or "-" ("CD31+") and by no lower-case word but a closed-class one.
_UNDEFINED_SHORT = re.compile(
    r"(?:(?:a|an)\s+)?(?:(?!" + _NOT_MODIFIERS + r")[a-z]+\s+)?"
    r"(?![IVX]+[A-C]?\b)([A-Z][A-Z0-9]{1,6})(?![\w+-])"
    r"(?!\s+(?!" + _MAY_FOLLOW + r")[a-z])")


def diagnosed_short_forms(text: str, hits: list[Hit]) -> dict[str, Hit]:
    """Short form → a disorder hit without codes, for each upper-case short form no hit
    covers that the text names as a diagnosis ("diagnosed with ABCD")."""
    low = scan.lower(text)
    if "diagnos" not in low and " with " not in low and "secondary" not in low:
        return {}
    taken = SpanIndex(hits)
    found: dict[str, Hit] = {}
    for cue in _DIAGNOSED_AS.finditer(low):
        if cue.start() > 0 and low[cue.start() - 1].isalpha():
            continue
        m = _UNDEFINED_SHORT.match(text, cue.end())
        if m is None or taken.overlaps(m.start(1), m.end(1)):
            continue
        found.setdefault(m.group(1), Hit(m.start(1), m.end(1), MentionKind.DISORDER, ()))
    return found


#: Bare short forms a lexicon row lists under its common clinical sense that are as often
#: written for something else in case reports (PE: physical examination or pleural effusion;
#: RA: radial artery, right atrium or room air; ARF: acute respiratory failure or rheumatic
#: fever). Undefined, they keep the row's sense only where the words around them say a
#: disease is meant (:data:`_DISEASE_BEFORE`, :data:`_DISEASE_AFTER`).
_SENSE_NEEDS_CONTEXT = frozenset({"PE", "RA", "ARF"})
#: Words before a short form that make it a disease: a history or diagnosis of it, what an
#: image showed, or a disease's extent ("history of PE", "CT showed bilateral PE").
_DISEASE_BEFORE = re.compile(
    r"\b(?:history\s+of|diagnos(?:ed\s+with|is\s+of)|known|showed|revealed|confirmed|"
    r"demonstrated|bilateral|massive|saddle|submassive|acute|recurrent|seropositive|"
    r"seronegative|longstanding|long-standing)\s+(?:(?:and|or|[A-Z]{2,5})\s+){0,2}$",
    re.IGNORECASE)
#: Words after it that make it a disease: its treatment or its course ("RA on methotrexate").
_DISEASE_AFTER = re.compile(
    r"\s+(?:on|treated\s+with|managed\s+with|flare|was\s+diagnosed|was\s+confirmed)\b",
    re.IGNORECASE)


def _sense_supported(text: str, hit: Hit) -> bool:
    """Whether a hit on a short form of several senses (:data:`_SENSE_NEEDS_CONTEXT`) stands
    where the words around it name a disease; every other hit is supported."""
    if text[hit.start:hit.end] not in _SENSE_NEEDS_CONTEXT:
        return True
    return bool(_DISEASE_BEFORE.search(text, max(0, hit.start - 40), hit.start)
                or _DISEASE_AFTER.match(text, hit.end))


def expand(text: str, hits: list[Hit], floor: int = 0) -> list[Hit]:
    """:func:`_expand` less the hits on an undefined short form of several senses that
    nothing around it shows to be the lexicon's disease (:func:`_sense_supported`); a
    definition in the report decides its sense instead."""
    defined = set(definitions(text, hits))
    return [h for h in _expand(text, hits, floor)
            if text[h.start:h.end] in defined or _sense_supported(text, h)]


#: The kinds of hit that name a test: a short form a report defines for one is that test
#: wherever the report uses it.
_TESTS = frozenset({MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.LAB_TEST})


def test_definitions(text: str, hits: Iterable[Hit]) -> dict[str, Hit]:
    """Short form → the test hit that defines it, for the tests no lexicon knows by their
    short form: a name found by its head noun or its word form ("myocardial perfusion
    imaging (MPI)"), or a lexicon test whose short form has one capital ("creatinine (Cre)",
    "hematocrit (Htc)"), which :func:`definitions` leaves to words of two capitals. The short
    form must spell the name from its first word (:func:`_spells`): "(Table 2)" or "(Fig)"
    defines nothing."""
    found: dict[str, Hit] = {}
    for hit in hits:
        m = _SHORT_FORM.match(text, hit.end) if hit.kind in _TESTS else None
        if m is None or not any(ch.isupper() for ch in m.group(1)):
            continue
        if _spells(m.group(1), text[hit.start:hit.end]):
            found.setdefault(m.group(1), hit)
    return found


def test_short_forms(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` plus a hit for each use of a short form a test hit defines
    (:func:`test_definitions`) that no hit covers: its definition ("(MPI)") and every later
    use ("the EF on MPI"), each a mention of the test, as MACCROBAT-style reports name both."""
    defined = test_definitions(text, hits)
    if not defined:
        return hits
    return sorted(hits + _uses(text, defined, SpanIndex(hits), 0), key=lambda h: h.start)


def _use_finder(defined: Collection[str]) -> scan.Anchored:
    """The uses of the short forms ``defined`` (a plural "s" too), as whole words."""
    return scan.Anchored(re.compile(r"\b(" + "|".join(map(re.escape, defined)) + r")s?\b"),
                         defined)  # begun by any of many letters: tried only where one starts


def _uses(text: str, defined: dict[str, Hit], taken: SpanIndex[Hit], floor: int) -> list[Hit]:
    """A hit for each use of a defined short form (plural too) after ``floor`` whose first
    character no hit in ``taken`` holds, of the kind and concepts of its long form."""
    return [Hit(m.start(), m.end(), defined[m.group(1)].kind, defined[m.group(1)].concepts)
            for m in _use_finder(defined).finditer(text, floor, len(text))
            if not taken.overlaps(m.start(), m.start() + 1)]


def _expand(text: str, hits: list[Hit], floor: int = 0) -> list[Hit]:
    """``hits`` plus a hit for each use of a defined short form not already matched
    (the definition's own short form included: it names the concept too), and for each use
    of a short form named as a diagnosis (:func:`diagnosed_short_forms`). A lexicon hit on
    exactly a use of a short form the report defines gives way to the definition: in
    "pleural effusion (PE)" and after it, PE is the effusion, not the lexicon's embolism."""
    defined = {**diagnosed_short_forms(text, hits), **definitions(text, hits)}
    if not defined:
        return hits
    extra: list[Hit] = []
    taken = SpanIndex(hits)
    exact = {(h.start, h.end): h for h in hits}
    redefined: set[Hit] = set()
    for m in _use_finder(defined).finditer(text, floor, len(text)):
        long_form = defined[m.group(1)]
        own = exact.get((m.start(), m.end()))
        if own is not None and own.concepts != long_form.concepts and _spells(
                m.group(1), text[long_form.start:long_form.end]):
            redefined.add(own)  # the report's own sense of the short form, not the lexicon's
        elif taken.overlaps(m.start(), m.start() + 1):  # a hit holds the use's first character
            continue
        extra.append(Hit(m.start(), m.end(), long_form.kind, long_form.concepts))
    kept = [h for h in hits if h not in redefined] if redefined else hits
    return sorted(kept + extra, key=lambda h: h.start)
