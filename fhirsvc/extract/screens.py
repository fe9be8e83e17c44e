"""One result stated of what a set of tests screened for: "serologies for HIV, hepatitis B
and C were negative", "tests for syphilis and toxoplasma were positive".

Each item of such a list is a test of its own with the list's result (an Observation named
by the item's words, https://hl7.org/fhir/R4/observation.html), not the disorder the item
names: the text reports a test's reading, not a diagnosis made or ruled out. An item that
shortens the one before it ("hepatitis B and C") is named in full ("hepatitis C").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from fhirsvc.extract import values
from fhirsvc.model import CONDITION_KINDS, Context, Mention, MentionKind, Qualitative, Result, Span

#: What screens for the items after it: serology, tests, screening, antibodies.
_SCREEN = re.compile(
    r"\b(?:serolog(?:y|ies)|serologic(?:al)?\s+(?:tests?|testing|studies|markers|screening|"
    r"work-?up)|tests?|testing|screening|screens?|assays?|antibod(?:y|ies))\s+"
    r"(?:for|against)\s+", re.IGNORECASE)
#: The verb that states the list's result, and what may stand before it.
_VERB = re.compile(r"\s*,?\s*\b(?:was|were|is|are|came\s+back|returned)\s+"
                   r"(?:(?:all|both|also|each)\s+)?", re.IGNORECASE)
#: Between two items: a comma, "and", "or", a slash.
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+|/)\s*", re.IGNORECASE)
#: One item: one to four words (letters, digits, hyphens), no clause of its own.
_ITEM = re.compile(r"[A-Za-z0-9][\w-]*(?:\s+(?!(?i:and|or)\b)[A-Za-z0-9][\w-]*){0,3}")
_NOT_ITEM_WORDS = frozenset({"was", "were", "is", "are", "had", "has", "have", "which", "that",
                             "with", "without", "but", "after", "before", "the", "his", "her"})
#: A short item that completes the one before it ("hepatitis B and C": hepatitis C).
_LETTER = re.compile(r"[A-Z]")
_LAST_LETTER = re.compile(r"\s[A-Z]$")
#: A reading said of some items only ("positive for hepatitis C"): not the whole list's.
_SOME = re.compile(r"\s+(?:for|to|in)\b", re.IGNORECASE)
#: The readings a screen's result may be.
_READINGS = (Qualitative.NEGATIVE, Qualitative.POSITIVE)
#: The longest list read.
_REACH = 120


def _items(text: str, start: int, end: int) -> list[tuple[Span, str]] | None:
    """The items of the list in ``text[start:end]`` (span, name), or None when the words are
    no such list."""
    out: list[tuple[Span, str]] = []
    at = start
    while at < end:
        item = _ITEM.match(text, at, end)
        if item is None or _NOT_ITEM_WORDS & set(item.group().lower().split()):
            return None
        name = item.group()
        if out and _LETTER.fullmatch(name) and _LAST_LETTER.search(out[-1][1]):
            name = out[-1][1][:-1] + name  # "hepatitis B and C": hepatitis C
        out.append((Span(item.start(), item.end()), name))
        sep = _SEPARATOR.match(text, item.end(), end)
        if item.end() == end:
            break
        if sep is None or sep.end() == sep.start():
            return None
        at = sep.end()
    return out


def _list_at(text: str, screen: re.Match[str], sentence: Span) -> tuple[int, Result] | None:
    """Where the list after ``screen`` ends and the reading stated of it, or None."""
    for verb in _VERB.finditer(text, screen.end(), min(sentence.end, screen.end() + _REACH)):
        result = values.parse_qualitative(text, verb.end(), sentence.end)
        if result is None or result.qualitative not in _READINGS \
                or _SOME.match(text, result.span.end):
            return None
        return verb.start(), result
    return None


def screened(text: str, found: list[Mention], sentence: Span,
             assess: Callable[[Span], Context]) -> list[Mention]:
    """``found`` with each item a screen's list names turned into a test with the list's
    reading: a disorder or finding the item holds gives way to it, a test the item is keeps
    its codes; the screen itself, when a mention, takes the reading too."""
    out = found
    for screen in _SCREEN.finditer(text, sentence.start, sentence.end):
        listed = _list_at(text, screen, sentence)
        items = _items(text, screen.end(), listed[0]) if listed else None
        if not listed or not items:
            continue
        result = listed[1]
        for span, name in items:
            held = [m for m in out if span.contains(m.span)]
            if any(m.kind not in (*CONDITION_KINDS, MentionKind.LAB_TEST) or m.result
                   for m in held) or any(m.span.overlaps(span) and not span.contains(m.span)
                                         for m in out):
                continue
            tests = [m for m in held if m.kind is MentionKind.LAB_TEST]
            concepts = tests[0].concepts if tests else ()
            out = [m for m in out if not span.contains(m.span)]
            out.append(Mention(kind=MentionKind.LAB_TEST, text=name, span=span,
                               context=replace(assess(span), negated=False),
                               concepts=concepts, result=result))
        out = [replace(m, result=result) if m.kind is MentionKind.DIAGNOSTIC_PROCEDURE
               and m.result is None and m.span.start <= screen.start() < m.span.end + 1
               and m.span.end <= screen.end() else m for m in out]
    return found if out is found else sorted(out, key=lambda m: m.span.start)
