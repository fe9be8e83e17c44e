"""Tests no lexicon names, found as the items of a list given one result or a value each.

"Ferritin, amylin and leptin were normal", "serum amylin and leptin were elevated", "were
45 ng/mL and 40 pmol/L, respectively": when another item is a test (a lab-test hit, or a name
of a test's shape, :func:`judged.named_like_a_test`) and no item is anything else, each unknown item
is a test. A result word heading the amounts of a list ("elevated levels of ALP, osteocalcin
and chloride") makes its items tests too. Each is a lab-test hit without codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fhirsvc.extract import scan, values
from fhirsvc.extract.judged import READINGS, named_like_a_test
from fhirsvc.extract.measured import name_begins, names_nothing
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.extract.specimens import FLUIDS
from fhirsvc.model import MentionKind
from fhirsvc.terminology.lexicon import Hit

#: The verb after a list of tests that gives its one result or its values ("…, amylin and leptin
#: were normal", "… levels were elevated", "… were 45 ng/mL and 40 pmol/L, respectively").
_LIST_VERB = re.compile(
    r"(?:\s+(?:levels|concentrations|values|titers|titres))?\s+(?:were|are)\s+"
    r"(?:(?:all|both|also)\s+)?(?:[a-z]+ly\s+)?(?=[<>≤≥]?\d|[a-z])", re.IGNORECASE)
#: The items of a list of up to five, ending where its verb begins: one to three words each,
#: joined by commas, "and" or "or".
_WORDS = r"[A-Za-z0-9][\w'/-]*(?: [A-Za-z0-9][\w'/-]*){0,2}"
_LIST_ITEMS = re.compile(
    rf"(?:{_WORDS}(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)){{1,4}}{_WORDS}$")
#: One item of such a list and the separator after it.
_LIST_ITEM = re.compile(
    r"(?P<item>[A-Za-z0-9][\w'/-]*(?: (?!(?:and|or)\b)[A-Za-z0-9][\w'/-]*){0,2})"
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|$)")
#: :data:`_LIST_VERB` tried only in the stretches between stops and commas that hold its
#: verbs (its look-ahead reads a digit or a letter: none of those).
_LIST_VERBS = scan.Closing(_LIST_VERB, ("were", "are"), ".,;()")


#: Conjunctions that open a clause of their own: the words before them are no item of the
#: list after them ("Lupus was considered, but anti-Sm antibodies were negative").
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "while", "whereas", "yet"})


def _list_items(text: str, start: int, verb: int) -> list[tuple[int, int]]:
    """The items of the list that ends at ``verb`` (each a span; none when the words before
    the verb are no list, or an item holds a word that names no test)."""
    lo = max(start, verb - 120)
    window = text[lo:verb]
    m = _LIST_ITEMS.search(window)
    if m is None:
        return []
    items: list[tuple[int, int]] = []
    for item in _LIST_ITEM.finditer(window, m.start(), m.end()):
        if not item.group("item"):
            break
        words = item.group("item").split()
        begin = max(name_begins(words), max(
            (k + 1 for k, w in enumerate(words) if w.lower() in _CLAUSE_WORDS), default=0))
        if begin == len(words):
            return []
        if begin:  # "levels of ALP", "…, but ALP": the list begins after the linking word
            items = []
            words = words[begin:]
        item_end = lo + item.end("item")
        items.append((item_end - len(" ".join(words)), item_end))
    return items if len(items) > 1 else []


#: A result word heading the amounts of a list ("elevated levels of ALP, osteocalcin and
#: chloride", "low serum concentrations of …"): each item is a test.
_JUDGED_AMOUNTS = re.compile(
    rf"\b(?i:{values.LEVEL_WORDS}|undetectable)\s+"
    rf"(?:(?i:{FLUIDS})\s+)?(?i:levels|concentrations|titers|titres)\s+"
    r"(?i:of)\s+(?:(?i:serum|plasma)\s+)?")
#: The items of a list read forwards: one to three words each, joined by commas, "and" or "or".
_ITEMS_AFTER = re.compile(
    rf"{_WORDS}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){_WORDS}){{1,4}}")
#: Words one of which every match of :data:`_JUDGED_AMOUNTS` holds.
_AMOUNT_WORDS = ("levels", "concentrations", "titers", "titres")


def _named_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of the list in ``text[start:end]``, up to the first word that names no test
    ("amylin and leptin in the serum": amylin, leptin)."""
    spans: list[tuple[int, int]] = []
    for item in _LIST_ITEM.finditer(text, start, end):
        words = item.group("item").split()
        kept = next((k for k, w in enumerate(words) if names_nothing(w)), len(words))
        if kept:
            a = item.start("item")
            spans.append((a, a + len(" ".join(words[:kept]))))
        if kept < len(words) or not item.group("item"):
            break
    return spans


def _amount_items(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """The items no lexicon knows of a list whose amounts a result word heads
    (:data:`_JUDGED_AMOUNTS`), when no item is anything but a lab test."""
    found: list[Hit] = []
    if not scan.may_mention(text, start, end, _AMOUNT_WORDS):
        return found
    for m in _JUDGED_AMOUNTS.finditer(text, start, end):
        items = _ITEMS_AFTER.match(text, m.end(), end)
        spans = _named_items(text, m.end(), items.end()) if items else []
        new = [Hit(a, b, MentionKind.LAB_TEST, ()) for a, b in spans
               if not claimed.overlaps(a, b)]
        if any(h.kind is not MentionKind.LAB_TEST for a, b in spans
               for h in claimed.overlapping(a, b)):
            continue
        for hit in new:
            found.append(hit)
            claimed.add(hit)
    return found


def _listed_hits(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """Items no lexicon knows in a list of tests given one result or a value each ("ferritin,
    amylin and leptin were normal"; "serum amylin and leptin were elevated"): each a test, when
    another item is a test (a lab test's hit, or a name of a test's shape,
    :func:`judged.named_like_a_test`) and no item is anything else (a finding, a drug)."""
    found: list[Hit] = []
    for verb in _LIST_VERBS.finditer(text, start, end):
        result = values.parse_qualitative(text, verb.end(), end)
        if (result is None or result.qualitative not in READINGS) \
                and not text[verb.end()].isdigit() and text[verb.end()] not in "<>≤≥":
            continue
        items = _list_items(text, start, verb.start())
        new = [Hit(a, b, MentionKind.LAB_TEST, ()) for a, b in items if not claimed.overlaps(a, b)]
        known = [h for a, b in items for h in claimed.overlapping(a, b)]
        if not new or any(h.kind is not MentionKind.LAB_TEST for h in known) or not (
                known or any(named_like_a_test(text, start, h) for h in new)):
            continue
        found.extend(new)
        for hit in new:
            claimed.add(hit)
    return found


def listed_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Test names no lexicon knows, as items of a list of results (in ``text[start:end]``,
    none that a hit of ``taken`` covers): the items a result word heads, then those a verb
    gives one result."""
    claimed = SpanIndex.over(taken)
    found = _amount_items(text, start, end, claimed)
    return found + _listed_hits(text, start, end, claimed)
