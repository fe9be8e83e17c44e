"""Fast scanning for word-initial patterns: lower-case text, no leading ``\\b``.

Python's regular expression engine skips quickly to the next possible start of a
match only when a pattern begins with literal characters it can compare exactly. A
pattern written ``\\b(?:fever|cough)`` with ``re.IGNORECASE`` begins with an
assertion and compares case-insensitively, so the engine tries every position: ten
times slower on a case report. :class:`WordPattern` compiles the same alternatives
case-sensitively, without the leading ``\\b``, and runs them on a lower-case copy of
the text (:func:`lower`, computed once per text), checking the word boundary itself;
it finds exactly the matches of ``\\b`` + pattern with ``re.IGNORECASE``.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import ahocorasick

from fhirsvc.model import Span

T = TypeVar("T")

_last: tuple[str, str] = ("", "")


def lower(text: str) -> str:
    """A lower-case copy of ``text`` with the same offsets (computed once per text)."""
    last = _last
    if last[0] is text:
        return last[1]
    low = text.lower()
    if len(low) != len(text):  # a few characters ("İ") lower-case to two: keep them as they are
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    globals()["_last"] = (text, low)
    return low


#: Characters other than ASCII letters that a case-insensitive pattern takes for ASCII letters
#: (dotted and dotless i, the long s, the Kelvin sign; a test checks the list against every
#: character): lower-case copies do not show them as those letters.
FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"
_FOLDED_TO_ASCII = re.compile(f"[{FOLDED_TO_ASCII}]")
#: Each of :data:`FOLDED_TO_ASCII` as the ASCII letter a case-insensitive pattern takes it for.
_AS_ASCII = str.maketrans(FOLDED_TO_ASCII, "iisk")


def as_ascii_lower(word: str) -> str:
    """``word`` in lower case, as a case-insensitive pattern read it: a key for the tables
    of what such a pattern matched (a long s read as "s", a dotless i as "i")."""
    return word.translate(_AS_ASCII).lower()


def folds_to_ascii(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds one of :data:`FOLDED_TO_ASCII`: where it does, a
    guard read from lower-case words may miss what a case-insensitive pattern matches."""
    return _FOLDED_TO_ASCII.search(text, start, end) is not None


def may_mention(text: str, start: int, end: int, fragments: Sequence[str]) -> bool:
    """:func:`mentions_any`, and true too where :func:`folds_to_ascii`: an exact guard for a
    case-insensitive pattern every match of which holds one of ``fragments``."""
    return mentions_any(text, start, end, fragments) or folds_to_ascii(text, start, end)


def mentions_any(text: str, start: int, end: int, fragments: Sequence[str]) -> bool:
    """Whether ``text[start:end]``, in lower case, holds one of the lower-case ``fragments``:
    the cheap test a finder makes before its regular expressions."""
    low = lower(text)
    # a loop, not any() over a generator (a frame per call): asked of every sentence, often
    for fragment in fragments:  # noqa: SIM110
        if low.find(fragment, start, end) >= 0:
            return True
    return False


def iter_in(automaton: ahocorasick.Automaton, s: str, start: int,
            end: int) -> Iterator[tuple[int, Any]]:
    """``automaton.iter(s, start, end)`` (``end`` at most ``len(s)``) at a cost that grows
    with ``end - start``, not with ``len(s)``: the automaton reads the whole of the string
    it is given whatever the range, and the finders run once per line of a report."""
    for last, value in automaton.iter(s[start:end]):
        yield last + start, value


def _word_start(low: str, pos: int) -> bool:
    return pos == 0 or not _is_word(low[pos - 1])


class WordPattern:
    """A case-insensitive pattern whose matches start where a word starts.

    Give the pattern's top-level alternatives as separate arguments, each in lower
    case and without the leading ``\\b`` (each then starts with literal characters
    the engine can skip to); pass the original text: matching runs on :func:`lower`
    of it, and match offsets are offsets into both (group strings are lower case:
    slice the original text for the words as written). Where alternatives match at
    the same place, the first one given wins, as in a regular expression.
    """

    __slots__ = ("_alternatives", "_cased")

    def __init__(self, *alternatives: str, cased: bool = False) -> None:
        self._alternatives = tuple(re.compile(a) for a in alternatives)
        #: Match the text as written (the alternatives keep their capitals) instead of lower case.
        self._cased = cased
        for compiled in self._alternatives:
            _BRANCH_STARTS.register(compiled, cased)

    @property
    def cased(self) -> bool:
        return self._cased

    @property
    def alternatives(self) -> tuple[re.Pattern[str], ...]:
        return self._alternatives

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The leftmost match in ``text[start:end]`` that starts a word, or None."""
        return next(self.finditer(text, start, end), None)

    def finditer(self, text: str, start: int = 0,
                 end: int | None = None) -> Iterator[re.Match[str]]:
        """Non-overlapping matches in text order, as ``re.finditer`` gives them."""
        low = text if self._cased else lower(text)
        end = len(low) if end is None else end
        alternatives = self._alternatives
        pending = [_first(a, low, start, end) for a in alternatives]
        while True:
            best: re.Match[str] | None = None
            for m in pending:
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            start = best.end() if best.end() > best.start() else best.end() + 1
            for i, m in enumerate(pending):
                if m is not None and m.start() < start:
                    pending[i] = _first(alternatives[i], low, start, end)


#: A character that is not a word character, nor a space: made a space in the copy the
#: word starts are found in (spaces left alone: half the work of ``\\W``).
_NON_WORD = re.compile(r"[^\w ]")
_last_copy: tuple[str, str] = ("", " ")


def word_starts_copy(low: str) -> str:
    """A space, then ``low`` with every non-word character made a space (computed once per
    text): there, " word" occurs exactly where a word of ``low`` that begins with "word"
    starts (index ``i`` of ``low`` is index ``i + 1`` of the copy), so an Aho-Corasick
    pass over the copy reports only word starts instead of every place inside words."""
    global _last_copy
    last = _last_copy
    if last[0] is low:
        return last[1]
    copy = _starting_key(low)
    _last_copy = (low, copy)
    return copy


def _starting_key(literal: str) -> str:
    """The key :func:`word_starts_copy` holds where ``literal`` starts a word."""
    return " " + _NON_WORD.sub(" ", literal)


class WordList:
    """Whole words or phrases from a list, case-insensitive, in one Aho-Corasick pass.

    Finds what ``\\b(?:w1|w2|…)\\b`` with ``re.IGNORECASE`` finds for a list of
    single words, at the cost of one C loop over the text however long the list. The pass
    runs over :func:`word_starts_copy`, so it reports a word only where one starts.
    """

    __slots__ = ("_automaton", "_keys")

    def __init__(self, words: Iterable[str]) -> None:
        keys: dict[str, list[str]] = {}
        for word in words:
            keys.setdefault(_starting_key(word.lower()), []).append(word.lower())
        # words with a non-word character ("such as", "hospital's") share their key with
        # others ("such-as"): those are checked against the text as written (None: no need)
        self._keys: dict[str, tuple[str, ...] | None] = {
            key: None if written == [key[1:]] else tuple(written) for key, written in keys.items()}
        self._automaton = _automaton({key: (len(key) - 1, written)
                                      for key, written in self._keys.items()})

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of every whole-word occurrence in ``text[start:end]``, in text order."""
        low = lower(text)
        found = [(first, stop) for first, stop, written in _whole_words(self._automaton, low,
                                                                         start, end)
                 if _written(low, first, written)]
        found.sort()
        return found


class WordLists:
    """Several :class:`WordList` s found in one Aho-Corasick pass instead of one pass each:
    :meth:`spans` gives, for each list, what its own :meth:`WordList.spans` gives."""

    __slots__ = ("_automaton", "_count")

    def __init__(self, lists: Sequence[WordList]) -> None:
        self._count = len(lists)
        merged: dict[str, list[tuple[int, tuple[str, ...] | None]]] = {}
        for number, words in enumerate(lists):
            for key, written in words._keys.items():
                merged.setdefault(key, []).append((number, written))
        self._automaton = _automaton({key: (len(key) - 1, tuple(owners))
                                      for key, owners in merged.items()})

    def spans(self, text: str, start: int = 0,
              end: int | None = None) -> list[list[tuple[int, int]]]:
        low = lower(text)
        found: list[list[tuple[int, int]]] = [[] for _ in range(self._count)]
        for first, stop, owners in _whole_words(self._automaton, low, start, end):
            for number, written in owners:
                if _written(low, first, written):
                    found[number].append((first, stop))
        for spans in found:
            spans.sort()
        return found


def _automaton(values: dict[str, Any]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, value in values.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton


def _whole_words(automaton: ahocorasick.Automaton, low: str, start: int,
                 end: int | None) -> Iterator[tuple[int, int, Any]]:
    """``(start, end, payload)`` of each key of ``automaton`` (built by :class:`WordList`:
    payloads ``(length, …)``) that is a whole word of ``low[start:end]``."""
    end = len(low) if end is None else end
    if end <= start:
        return
    copy = word_starts_copy(low)
    # :func:`iter_in`, written out: a generator fewer for every word found
    for last, (length, payload) in automaton.iter(copy[start : end + 1]):
        stop = last + start  # offsets in ``low``, one less than in the copy
        first = stop - length
        if stop < end and copy[stop + 1] != " ":
            continue  # the word goes on ("he" in "her")
        yield first, stop, payload


def _written(low: str, first: int, written: tuple[str, ...] | None) -> bool:
    """Whether a key found at ``first`` is written as one of its words (None: it is)."""
    return written is None or any(low.startswith(w, first) for w in written)


class Anchored:
    """A pattern every match of which begins with one of a few literal strings.

    When those strings begin with many different letters, the regular-expression engine
    tries the pattern at nearly every position of a text. Here one Aho-Corasick pass finds
    where the strings occur, and the pattern is matched only there: :meth:`finditer` gives
    what ``pattern.finditer`` gives (leftmost first, not overlapping).
    """

    __slots__ = ("_automaton", "_pattern")

    def __init__(self, pattern: re.Pattern[str], starts: Iterable[str]) -> None:
        self._pattern = pattern
        self._automaton = ahocorasick.Automaton()
        for literal in starts:
            self._automaton.add_word(literal, len(literal))
        self._automaton.make_automaton()

    def finditer(self, s: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """``pattern.finditer(s, start, end)``."""
        if end <= start:
            return
        at = sorted({last + 1 - length for last, length in iter_in(self._automaton, s, start, end)})
        match, pos = self._pattern.match, start
        for first in at:
            if first >= pos and (m := match(s, first, end)) is not None:
                yield m
                pos = m.end()


class Closing:
    """A case-insensitive pattern every match of which holds one of a few words (lower case)
    and none of some characters (``breaks``): tried only in the stretches between those
    characters that hold one of the words, instead of at every position of a text.

    :meth:`finditer` gives what ``pattern.finditer`` gives when no match runs over a break
    and what the pattern asserts after a match reads a break as it reads the end of the text
    (``\\b`` before a break that is no word character; ``(?=\\d)``, false of both): a search
    cut at a break then finds the same matches."""

    __slots__ = ("_breaks", "_pattern", "_words")

    def __init__(self, pattern: re.Pattern[str], words: Sequence[str], breaks: str) -> None:
        self._pattern, self._words, self._breaks = pattern, tuple(words), breaks

    def finditer(self, text: str, start: int = 0,
                 end: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if end is None else end
        if folds_to_ascii(text, start, end):
            yield from self._pattern.finditer(text, start, end)
            return
        low, search, breaks = lower(text), self._pattern.search, self._breaks
        found = sorted(at for word in self._words for at in _occurrences(low, word, start, end))
        resume = start  # where the stretches searched so far end
        for at in found:
            if at < resume:
                continue
            lo = max(resume, *(text.rfind(c, resume, at) + 1 for c in breaks))
            ends = [e for e in (text.find(c, at, end) for c in breaks) if e >= 0]
            hi = min(ends) if ends else end
            while (m := search(text, lo, hi)) is not None:
                yield m
                lo = m.end() if m.end() > m.start() else m.end() + 1
            resume = hi


def _occurrences(low: str, word: str, start: int, end: int) -> Iterator[int]:
    at = low.find(word, start, end)
    while at >= 0:
        yield at
        at = low.find(word, at + 1, end)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_parser: Any = importlib.import_module("re._parser")  # the stdlib's own parser (no stubs)


def _leading_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The literal strings one of which begins every match, when the pattern begins with
    alternatives of words (``(?:one|two|a few)…``) and so has no literal prefix the
    engine could skip to; None for any other pattern."""
    if pattern.flags & re.IGNORECASE:
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    if not len(tree) or tree[0][0] is not _parser.BRANCH:
        return None
    starts = set()
    for branch in tree[0][1][1]:
        literal = "".join(chr(arg) for _, arg in
                          itertools.takewhile(lambda item: item[0] is _parser.LITERAL, branch))
        if not literal:
            return None
        starts.add(literal)
    return frozenset(starts)


class _BranchStarts:
    """Where word-initial alternatives that begin with alternatives of words can match.

    The regular-expression engine tries such a pattern (``(?:more than|over|most)\\s+…``)
    at every position whose letter may begin one of its words. Instead, one Aho-Corasick
    pass per text, over a copy in which every non-word character is a space, finds every
    word start where one of the words of any registered pattern occurs (a superset of the
    places where the pattern can match at a word start); :func:`_first` then tries the
    pattern only there and gets the match ``search`` would find.
    """

    def __init__(self) -> None:
        self._ids: dict[re.Pattern[str], int] = {}
        self._cased: set[re.Pattern[str]] = set()  # also run on text as written: not here
        self._literals: dict[str, set[int]] = {}
        self._automaton: Any = None
        self._last: tuple[str | None, list[list[int]]] = (None, [])

    def register(self, pattern: re.Pattern[str], cased: bool) -> None:
        if cased:
            self._cased.add(pattern)
        if pattern in self._ids or (starts := _leading_literals(pattern)) is None:
            return
        number = self._ids[pattern] = len(self._ids)
        for literal in starts:
            self._literals.setdefault(_starting_key(literal), set()).add(number)
        self._automaton, self._last = None, (None, [])

    def number(self, pattern: re.Pattern[str]) -> int | None:
        """The pattern's number when it runs on lower-case text and begins with words."""
        return None if pattern in self._cased else self._ids.get(pattern)

    def candidates(self, low: str, number: int) -> list[int]:
        """Sorted word starts of ``low`` where registered pattern ``number`` may match."""
        last = self._last
        if last[0] is not low:
            last = self._last = (low, self._scan(low))
        return last[1][number]

    def _scan(self, low: str) -> list[list[int]]:
        automaton = self._automaton
        if automaton is None:
            automaton = self._automaton = ahocorasick.Automaton()
            for literal, numbers in self._literals.items():
                automaton.add_word(literal, (len(literal), tuple(numbers)))
            automaton.make_automaton()
        found: list[list[int]] = [[] for _ in self._ids]
        for last, (length, numbers) in automaton.iter(word_starts_copy(low)):
            first = last + 1 - length  # the space before the word, one ahead in the copy
            for number in numbers:
                found[number].append(first)
        return [sorted(set(starts)) for starts in found]


_BRANCH_STARTS = _BranchStarts()


def _first(pattern: re.Pattern[str], low: str, start: int, end: int) -> re.Match[str] | None:
    number = _BRANCH_STARTS.number(pattern)
    if number is not None:
        starts = _BRANCH_STARTS.candidates(low, number)
        match = pattern.match
        for i in range(bisect.bisect_left(starts, start), len(starts)):
            pos = starts[i]
            if pos >= end:
                return None
            if (m := match(low, pos, end)) is not None:
                return m
        return None
    search = pattern.search
    while True:
        m = search(low, start, end)
        if m is None or _word_start(low, m.start()):
            return m
        start = m.start() + 1


def in_spans(pattern: WordPattern | WordList, text: str, spans: Sequence[Span]) -> list[bool]:
    """For each span (sorted, not overlapping), whether ``pattern`` matches inside it.

    One scan of the text per alternative instead of one search per span, with the
    same answers: a match that runs past the end of its span is searched again
    within the span.
    """
    if not spans:
        return []
    if isinstance(pattern, WordList):
        return _marked(pattern.spans(text, spans[0].start, spans[-1].end), spans)
    found = [False] * len(spans)
    starts = [s.start for s in spans]
    low = text if pattern.cased else lower(text)
    last = len(spans) - 1
    for alternative in pattern.alternatives:
        pos, end = spans[0].start, spans[-1].end
        while pos < end:
            m = _first(alternative, low, pos, end)
            if m is None:
                break
            i = bisect.bisect_right(starts, m.start()) - 1
            span = spans[i]
            if m.start() < span.end and not found[i]:
                found[i] = (m.end() <= span.end
                            or _first(alternative, low, m.start(), span.end) is not None)
            pos = starts[i + 1] if i < last else end
    return found


def lists_in_spans(lists: WordLists, text: str, spans: Sequence[Span]) -> list[list[bool]]:
    """:func:`in_spans` of each of the word lists ``lists`` was made of, in one pass."""
    if not spans:
        return [[] for _ in range(lists._count)]
    return [_marked(found, spans) for found in lists.spans(text, spans[0].start, spans[-1].end)]


def _marked(words: list[tuple[int, int]], spans: Sequence[Span]) -> list[bool]:
    """For each span, whether one of ``words`` (whole words, in text order) lies inside it."""
    found = [False] * len(spans)
    starts = [s.start for s in spans]
    for first, stop in words:
        i = bisect.bisect_right(starts, first) - 1
        found[i] = found[i] or stop <= spans[i].end
    return found


def per_span(
    find: Callable[[str, int, int], list[T]], span_of: Callable[[T], Span], text: str,
    spans: Sequence[Span],
) -> list[list[T]]:
    """``[find(text, s.start, s.end) for s in spans]`` with one call of ``find`` over all spans.

    ``find`` must only ever return items inside the range it is given, found
    independently of text outside it. The items of the one call are shared out to
    the spans that hold them; a span that an item straddles is searched again alone.
    """
    if not spans:
        return []
    out: list[list[T]] = [[] for _ in spans]
    dirty: set[int] = set()
    starts = [s.start for s in spans]
    for item in find(text, spans[0].start, spans[-1].end):
        where = span_of(item)
        i = bisect.bisect_right(starts, where.start) - 1
        j = bisect.bisect_left(starts, where.end) - 1
        if i == j and i >= 0 and where.end <= spans[i].end:
            out[i].append(item)
            continue
        first = i if i >= 0 and where.start < spans[i].end else i + 1
        dirty.update(range(first, j + 1))
    for i in dirty:
        out[i] = find(text, spans[i].start, spans[i].end)
    return out
