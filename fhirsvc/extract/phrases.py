"""Findings read from the shape of a phrase rather than from a lexicon entry.

Some results are written as a phrase with no test name a lexicon could match: "full
donor chimerism" or "donor cells replaced her cells" (``engraftment``), "stage IIA",
"T3N1M0" (``staging``), "2/5 strength" (``scales``). Each finder yields (span, name, result,
concepts) for a sentence; this module turns them into lab-test mentions with their context,
next to the lexicon's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from fhirsvc.extract import context
from fhirsvc.model import Context, Experiencer, Mention, MentionKind, Result, Span

#: Mentions a phrase finding's words may hold that give way to it ("neutrophil" of
#: "neutrophil engraftment", "recovery" of "postoperative recovery was uneventful").
_GIVE_WAY = (MentionKind.LAB_TEST, MentionKind.FINDING)
#: Mentions that name, with exactly the finding's words, the care the finding judges
#: ("postoperative course" of "the postoperative course was uneventful"): both are kept.
_BESIDE = (MentionKind.THERAPEUTIC_PROCEDURE,)
#: A finding read from a phrase: its span, its name as written, its result, and the concepts
#: it names when the phrase says which (most name none: the words are the code's text).
Phrase = tuple[Span, str, Result | None, tuple[str, ...]]
#: A finder: the phrase findings in ``text[start:end]``.
Finder = Callable[[str, int, int], Iterable[Phrase]]

#: ConText categories whose trigger denies what follows it ("no", "negative for").
_DENIALS = frozenset({"negated", "absent"})
#: What may stand between a denial and the phrase it denies: the words that soften it ("no
#: evidence of significant") and a short list of other denied things ("no necrosis or
#: atypical cells").
_BETWEEN = re.compile(
    r"\s*(?:(?:evidence|signs?)\s+of\s+)?(?:(?:other|further|significant|definite|obvious|any)\s+)*"
    r"(?:[\w-]+(?:\s+[\w-]+)?\s+(?:or|nor)\s+)*\Z", re.IGNORECASE)
#: How far before a phrase its denial may begin.
_DENIAL_CHARS = 80


def denied(text: str, floor: int, at: int) -> bool:
    """Whether the phrase at ``at`` is denied by the words right before it (not before
    ``floor``, the sentence's start): "no atypical cells", "no stage IV disease" state no
    result. The denials are ConText's forward ``negated`` and ``absent`` triggers
    (``context_rules.tsv``), found as ConText finds them, so a pseudo-trigger that holds one
    ("no change in", "lack of response") hides it and denies nothing after it. A finder asks
    this itself because a phrase's ConText negation reaches too far for a finding read
    from its shape ("Without necrosis, the specimen showed pleomorphic nuclei")."""
    lo = max(floor, at - _DENIAL_CHARS)
    return any(t.rule.category in _DENIALS and t.rule.direction != "backward"
               and t.span.start >= lo and _BETWEEN.match(text, t.span.end, at)
               for t in context.triggers_in(text, floor, at))


def merge(text: str, sentence: Span, found: list[Mention], finders: Sequence[Finder],
          assess: Callable[[Span], Context]) -> list[Mention]:
    """``found`` with the findings of one sentence added, each with the context ``assess``
    gives its span (the same as for the sentence's lexicon mentions).

    A finding's words may hold a test or finding the lexicon matched alone (``_GIVE_WAY``):
    with no result of its own, or the finding's own, that mention gives way. A treatment
    named by exactly the finding's words (``_BESIDE``) stays beside it. Any other mention the
    finding overlaps keeps its place and the finding is left out."""
    out = list(found)
    for finder in finders:
        for span, name, result, concepts in finder(text, sentence.start, sentence.end):
            inside = [m for m in out if span.start <= m.span.start and m.span.end <= span.end
                      and m.kind in _GIVE_WAY and _gives_way(m.result, result)]
            if any(m.span.start < span.end and span.start < m.span.end
                   for m in out if m not in inside and not _beside(m, span)):
                continue
            ctx = assess(span)
            if ctx.experiencer is Experiencer.DONOR:
                ctx = replace(ctx, experiencer=Experiencer.PATIENT)  # donor cells in the patient
            out = [m for m in out if m not in inside]
            out.append(Mention(kind=MentionKind.LAB_TEST, text=name, span=span, context=ctx,
                               result=result, concepts=concepts))
    return out


def _gives_way(held: Result | None, read: Result | None) -> bool:
    """Whether a mention with result ``held`` gives way to a phrase finding reading ``read``:
    one with no result, or with the very reading the phrase gives ("glucose was 2+" read as
    a strip's grade, :mod:`dipstick`)."""
    return held is None or (read is not None and held.span == read.span)


def _beside(mention: Mention, span: Span) -> bool:
    return mention.kind in _BESIDE and mention.span == span
