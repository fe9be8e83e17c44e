"""The compiled lexicon: every term's normal form in one Aho-Corasick automaton.

Report text is tokenised and normalised exactly as terms were (``normalize``), the
automaton finds every term occurrence in one pass, and the longest non-overlapping
matches win ("acute lymphoblastic leukemia" over "leukemia"). Short abbreviations
("ALL", "CT") match only in the letter case a table wrote them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, count, repeat
from operator import add, itemgetter

import ahocorasick

from fhirsvc.memo import remembered
from fhirsvc.model import MentionKind, Span
from fhirsvc.terminology.concepts import Concept
from fhirsvc.terminology.normalize import BREAK, TOKEN_RE, norm_key, norm_token

#: When one term names concepts of several kinds, the first kind here wins.
KIND_PRIORITY = (
    MentionKind.LAB_TEST,
    MentionKind.DIAGNOSTIC_PROCEDURE,
    MentionKind.THERAPEUTIC_PROCEDURE,
    MentionKind.MEDICATION,
    MentionKind.DISORDER,
    MentionKind.FINDING,
)


#: A lexicon match before the longest are chosen: (minus its length in characters, first
#: token, last token, start, end, kind, concepts); tuples sort longest first, then in text order.
_Candidate = tuple[int, int, int, int, int, MentionKind, tuple[str, ...]]

#: Texts a lexicon remembers :meth:`Lexicon.term` of (bounded for a long-running service).
_TERM_MEMO_LIMIT = 200_000

#: Token → normal form, shared by every search in the process (bounded by the vocabulary seen).
_NORMAL: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match: character offsets into the text searched, and the concepts named."""

    start: int
    end: int
    kind: MentionKind
    concepts: tuple[str, ...]


@dataclass(slots=True)
class _Term:
    concepts: dict[str, Concept]
    #: Exact spellings a case-sensitive term must have; None when any case matches.
    forms: set[str] | None


#: Prefixes and combining forms case reports write joined to the word or hyphenated
#: ("gastroenteritis" and "gastro-enteritis", "preeclampsia" and "pre-eclampsia").
_PREFIXES = (
    "anti", "arterio", "auto", "broncho", "cardio", "co", "endo", "entero", "epi", "esophago",
    "extra", "gastro", "hemato", "hepato", "hyper", "hypo", "infra", "inter", "intra", "lympho",
    "micro", "multi", "myo", "nephro", "neuro", "non", "oesophago", "osteo", "pan", "para",
    "peri", "pneumo", "poly", "post", "pre", "pseudo", "pyelo", "retro", "semi", "spleno", "sub",
    "supra", "thrombo", "trans", "uro")
#: A word of a term that begins with a prefix (group 1), perhaps with a hyphen (group 2),
#: and goes on with four letters or more (group 3).
_PREFIXED = re.compile(
    r"\b(" + "|".join(sorted(_PREFIXES, key=len, reverse=True)) + r")(-?)([a-z]{4,})\b",
    re.IGNORECASE)


def _spelt_with_prefix(term: str) -> list[str]:
    """The term with one prefixed word written the other way: hyphenated when the term joins
    it ("gastro-enteritis" of "gastroenteritis"), joined when the term hyphenates it
    ("preeclampsia" of "pre-eclampsia"). One word at a time, so that a report that writes one
    word of a term each way still matches."""
    found = []
    for m in _PREFIXED.finditer(term):
        joint = "" if m.group(2) else "-"
        found.append(f"{term[:m.start()]}{m.group(1)}{joint}{m.group(3)}{term[m.end():]}")
    return found


def variants(term: str) -> tuple[str, ...]:
    """The term, the term with a prefixed word joined or hyphenated the other way
    ("gastro-enteritis"), and the variants translations use ("hyper-IgE syndrome" → "high
    IgE syndrome")."""
    written = (term, *_spelt_with_prefix(term))
    if re.search(r"\bhyper[- ]", term, re.IGNORECASE):
        return (*written, re.sub(r"\b([Hh])yper[- ]", lambda m: f"{m.group(1)}igh ", term))
    return written


def is_case_sensitive(term: str) -> bool:
    """Abbreviations ("ALL", "CT", "HbA1c", "ucMSCs") match only as written; so does a
    symbol of one or two letters with a capital ("Mg", "Na", "Hb"), whose lower-case form is
    another word or a unit ("27 mg/dL" names no magnesium test)."""
    letters = [ch for ch in term if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    if len(term) <= 2 and upper >= 1:
        return True
    return len(term) <= 7 and " " not in term and upper >= 2 and upper * 2 >= len(letters) - 1


#: Capitals of a short symbol that are read as another word's short form even before a
#: number: "NA" (not available), "MG" (myasthenia gravis), "CA" (cancer antigen: "CA 125").
_NOT_SYMBOLS_IN_CAPITALS = frozenset(["NA", "MG", "CA"])
#: A number right after a term, perhaps after ":" or "=" ("HB 9.1", "PH: 7.21").
_NUMBER_AFTER = re.compile(r"[ \t]*[:=]?[ \t]*\d")


def _written_as_a_form(text: str, start: int, end: int, forms: frozenset[str]) -> bool:
    """Whether ``text[start:end]`` is written as one of a case-sensitive term's forms, or
    is a symbol of one or two letters written in capitals with a number after it ("HB 9.1"
    for "Hb", "PH 7.21" for "pH"): lab tables write names in capitals, and the number says
    a test's value follows, not a unit ("12 mg/dL") nor another word."""
    written = text[start:end]
    if written.rstrip("s") in forms:
        return True
    return (len(written) <= 2 and written.isupper() and written not in _NOT_SYMBOLS_IN_CAPITALS
            and any(form.upper() == written for form in forms)
            and _NUMBER_AFTER.match(text, end) is not None)


def _winning(concepts: dict[str, Concept]) -> tuple[MentionKind, tuple[str, ...]]:
    pool = [c for c in concepts.values() if c.curated] or list(concepts.values())
    kind = min((c.kind for c in pool), key=KIND_PRIORITY.index)
    chosen = sorted(
        (c for c in concepts.values() if c.kind == kind),
        key=lambda c: (not c.curated, len(c.key), c.key),
    )
    one_per_source: dict[str, str] = {}
    for c in chosen:
        one_per_source.setdefault(c.key if c.curated else c.key.split(":", 1)[0], c.key)
    return kind, tuple(one_per_source.values())


class Lexicon:
    """Term → concepts, matched over token-normalised text (see the module docstring)."""

    def __init__(self) -> None:
        self._terms: dict[str, _Term] = {}
        self._automaton = ahocorasick.Automaton()
        self._values: list[tuple[int, MentionKind, tuple[str, ...], frozenset[str] | None]] = []
        #: Text → :meth:`term` of it, filled as it is asked (bounded by :data:`_TERM_MEMO_LIMIT`).
        self._term_memo: dict[str, Hit | None] = {}

    def add(self, term: str, concept: Concept, *, case_sensitive: bool = False) -> None:
        for variant in variants(term):
            self._add(variant, concept, case_sensitive=case_sensitive)

    def _add(self, term: str, concept: Concept, *, case_sensitive: bool = False) -> None:
        key = norm_key(term)
        if not key or BREAK in key.split():
            return
        entry = self._terms.setdefault(key, _Term({}, set() if case_sensitive else None))
        entry.concepts.setdefault(concept.key, concept)
        if not case_sensitive:
            entry.forms = None
        elif entry.forms is not None:
            entry.forms.add(term.rstrip("s"))

    def knows(self, term: str) -> bool:
        """Whether ``term`` (normalised) was added (before :meth:`compile`)."""
        return norm_key(term) in self._terms

    def compile(self) -> None:
        """Freeze the added terms into the automaton (call once, after the last ``add``)."""
        for key, entry in self._terms.items():
            kind, concepts = _winning(entry.concepts)
            forms = frozenset(entry.forms) if entry.forms is not None else None
            self._automaton.add_word(f" {key} ", len(self._values))
            self._values.append((len(key) + 2, kind, concepts, forms))
        self._terms = {}
        self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._values)

    def entries(self) -> Iterator[tuple[str, MentionKind]]:
        """Every term (normalised) with the kind of concept it names (for benchmarks)."""
        for key, index in self._automaton.items():
            yield key.strip(), self._values[index][1]

    def find(self, text: str) -> list[Hit]:
        """Longest non-overlapping lexicon matches in ``text``, in text order."""
        return self.find_in(text, (Span(0, len(text)),))

    def known_forms(self, candidates: Iterable[str]) -> list[str]:
        """The candidates that are a term's normal form (``norm_token`` of each token, joined
        by spaces): look-ups without the work of :meth:`term`, to sift many candidates."""
        exists = self._automaton.exists
        return [c for c in candidates if exists(f" {c} ")]

    def term(self, text: str) -> Hit | None:
        """The one hit :meth:`find` gives when the whole of ``text`` is a term, else None.

        One look-up of the text's normal form instead of a search: coordination asks
        this of many short phrases ("skin infections"), and a term that covers every
        token of the text is the longest match there, so :meth:`find` would give it alone.
        The answers are remembered (a :class:`Hit` is frozen): the finders ask of the same
        words ("performed", "the patient") in every report.
        """
        return remembered(self._term_memo, text, self._looked_up, _TERM_MEMO_LIMIT)

    def __getstate__(self) -> dict[str, object]:
        """What a cache file keeps: not the answers remembered while building it."""
        return {**self.__dict__, "_term_memo": {}}

    def _looked_up(self, text: str) -> Hit | None:
        """:meth:`term`, not remembered."""
        found = list(TOKEN_RE.finditer(text))
        if not found or found[0].start() != 0 or found[-1].end() != len(text):
            return None
        index = self._automaton.get(
            f" {' '.join(_normal_forms([m.group() for m in found]))} ", None)
        if index is None:
            return None
        _, kind, concepts, forms = self._values[index]
        if forms is not None and text.rstrip("s") not in forms:
            return None
        return Hit(0, len(text), kind, concepts)

    def find_in(self, text: str, spans: Iterable[Span]) -> list[Hit]:
        """:meth:`find` of each span of ``text`` (in text order, not overlapping) in one pass.

        Hits are offsets into ``text``, and no match runs from one span into the next:
        the spans' tokens are joined with a punctuation token between them, which no
        term holds. Tokens and their normal forms are gathered by C-level loops (``map``
        over the matches), and so is the table from a token's place in the joined normal
        forms to its number; offsets are read only from the tokens a match begins or
        ends with, and a :class:`Hit` is built only for the matches that win.
        """
        tokens: list[str] = []
        matches: list[re.Match[str] | None] = []  # None: the break between two spans
        for span in spans:
            found = list(TOKEN_RE.finditer(text, span.start, span.end))
            tokens += map(re.Match.group, found)
            tokens.append(BREAK)
            matches += found
            matches.append(None)
        normals = _normal_forms(tokens)
        joined = " " + " ".join(normals) + " "
        # where each token starts in ``joined`` (and, last, where the next would) → its number
        offsets = accumulate(map(add, map(len, normals), repeat(1)), initial=1)
        token_at = dict(zip(offsets, count()))
        values = self._values
        candidates: list[_Candidate] = []
        for end_pos, index in self._automaton.iter(joined):  # end_pos: the key's closing space
            length, kind, concepts, forms = values[index]
            first = token_at[end_pos - length + 2]
            last = token_at[end_pos + 1] - 1
            start, end = matches[first].start(), matches[last].end()  # type: ignore[union-attr]
            if forms is not None and not _written_as_a_form(text, start, end, forms):
                continue
            candidates.append((start - end, first, last, start, end, kind, concepts))
        return _longest_first(candidates)


def _normal_forms(tokens: list[str]) -> list[str]:
    """Each token's normal form (``norm_token``), remembered for the process."""
    normals = list(map(_NORMAL.get, tokens))
    if None in normals:
        if len(_NORMAL) > 500_000:
            _NORMAL.clear()
        for i, normal in enumerate(normals):
            if normal is None:
                normals[i] = _NORMAL[tokens[i]] = norm_token(tokens[i])
    return normals  # type: ignore[return-value]


def _longest_first(candidates: list[_Candidate]) -> list[Hit]:
    """The longest candidates that share no token, in text order (where lengths tie, the
    earlier one wins). No two candidates have the same length and first token: their
    tuples sort by those two alone."""
    taken: set[int] = set()
    chosen: list[_Candidate] = []
    candidates.sort()
    for candidate in candidates:
        tokens = range(candidate[1], candidate[2] + 1)
        if taken.isdisjoint(tokens):
            taken.update(tokens)
            chosen.append(candidate)
    chosen.sort(key=itemgetter(3))
    return [Hit(start, end, kind, concepts) for _, _, _, start, end, kind, concepts in chosen]
