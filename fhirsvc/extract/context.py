"""ConText: negation, uncertainty, hypothetical/generic statements, history and experiencer.

The algorithm of Harkema et al. 2009 (https://doi.org/10.1016/j.jbi.2009.05.002), as
medspaCy's ``ConTextComponent`` implements it, with its rules as data
(``context_rules.tsv``): a trigger phrase modifies the mentions within its scope
(a number of words, forward or backward), up to the end of the sentence or a
terminating phrase ("but", "however", "which"…, or for a forward denial a new noun
phrase, "and a"); pseudo-triggers ("no change", "not only", "no longer") modify nothing.
One compiled regular expression finds every trigger of a sentence.

Three kinds of negation: ``negated`` triggers say a finding is absent ("no fever", "showed
no mass"); ``absent`` triggers say so as a result does ("X was negative", "negative for X"),
which a treatment never is ("the resection margin was negative": the resection was done);
``not-done`` triggers say a procedure or treatment did not happen ("refused surgery",
"biopsy was not performed"). A test's result being negative means the test was done, so
neither ``negated`` nor ``absent`` triggers negate a test mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import islice

import ahocorasick

from fhirsvc.extract import scan
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import Context, Experiencer, Span

_WORD = re.compile(r"[^\W_]+")
CATEGORIES = frozenset(
    {"negated", "absent", "not-done", "uncertain", "hypothetical", "target", "historical", "family",
     "donor", "other", "pending", "generic", "weighed", "referral", "terminate", "clause",
     "phrase", "pseudo"}
)
#: Categories whose trigger says a finding is absent.
_DENIALS = frozenset({"negated", "absent"})
#: Categories of phrases that modify no mention themselves.
_MODIFY_NOTHING = frozenset({"terminate", "clause", "phrase", "pseudo"})
#: Categories whose scope a ``clause`` terminator ends: what a clause asserts or denies of
#: its subject. Who the subject is (family, donor, other) and when (historical) go on.
_CLAUSE_BOUND = frozenset({"negated", "absent", "not-done", "uncertain", "hypothetical",
                           "target", "pending", "generic", "weighed", "referral"})


@dataclass(frozen=True, slots=True)
class Rule:
    phrase: str
    category: str
    direction: str
    scope: int


@dataclass(frozen=True, slots=True)
class Trigger:
    rule: Rule
    span: Span


class RuleError(ValueError):
    """context_rules.tsv breaks its schema."""


def _parse(line_no: int, line: str) -> Rule:
    cells = line.split("\t")
    if len(cells) != 4:
        raise RuleError(f"context_rules.tsv:{line_no}: expected 4 cells, got {len(cells)}")
    phrase, category, direction, scope = cells
    if category not in CATEGORIES or direction not in ("forward", "backward", "both"):
        raise RuleError(f"context_rules.tsv:{line_no}: bad category or direction")
    return Rule(phrase.lower(), category, direction, int(scope))


def _with_typographic_apostrophes(parsed: Iterable[Rule]) -> Iterator[Rule]:
    """Each rule, and for a phrase written with an apostrophe ("didn't", "day's history of")
    the same rule with the typographic one (U+2019) that published texts print."""
    for rule in parsed:
        yield rule
        if "'" in rule.phrase:
            yield replace(rule, phrase=rule.phrase.replace("'", "\u2019"))


@cache
def rules() -> tuple[tuple[Rule, ...], ahocorasick.Automaton]:
    """The rules, and an automaton finding any of their phrases in lower-case text."""
    text = resources.files("fhirsvc.extract").joinpath("context_rules.tsv").read_text("utf-8")
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln and ln[0] != "#"]
    header = lines[0][1].split("\t")
    if header != ["phrase", "category", "direction", "scope"]:
        raise RuleError(f"context_rules.tsv: bad header {header}")
    parsed = (*_with_typographic_apostrophes(_parse(n, ln) for n, ln in lines[1:]),
              *sorted(_relative_rules(), key=lambda r: r.phrase))
    automaton = ahocorasick.Automaton()
    for rule in parsed:
        if rule.phrase in automaton:
            raise RuleError(f"context rules: {rule.phrase!r} twice")
        automaton.add_word(rule.phrase, rule)
    automaton.make_automaton()
    return parsed, automaton


#: The category of a relative's word that names a relative only when someone's ("her son"):
#: :func:`triggers_in` makes it a family trigger or drops it.
_OWNED = "owned"


@cache
def _relatives() -> dict[str, frozenset[str]]:
    """The words of ``relatives.tsv`` by kind (relative, owned, owner, describer, donor,
    patient, agent, parent)."""
    text = resources.files("fhirsvc.extract").joinpath("relatives.tsv").read_text("utf-8")
    lines = [ln.split("\t") for ln in text.splitlines() if ln and ln[0] != "#"]
    if lines[0] != ["word", "kind"] or any(len(cells) != 2 for cells in lines):
        raise RuleError("relatives.tsv: expected the header 'word, kind' and two cells a row")
    kinds = ("relative", "owned", "owner", "describer", "donor", "patient", "agent", "parent")
    if any(kind not in kinds for _, kind in lines[1:]):
        raise RuleError("relatives.tsv: unknown kind")
    return {kind: frozenset(w.lower() for w, k in lines[1:] if k == kind) for kind in kinds}


def kin_words() -> frozenset[str]:
    """The words that name a relative (``relative`` and ``owned`` in relatives.tsv)."""
    words = _relatives()
    return words["relative"] | words["owned"]


@cache
def _relative_rules() -> frozenset[Rule]:
    """A trigger for each relative's word: a family one both ways for a relative whoever's,
    an :data:`_OWNED` one for a word that names a relative only when someone's."""
    words = _relatives()
    return frozenset((*(Rule(w, "family", "both", 6) for w in words["relative"]),
                      *(Rule(w, _OWNED, "forward", 8) for w in words["owned"])))


@cache
def _decides() -> re.Pattern[str]:
    """A verb right after a relative that makes them act for the patient: decide on their care
    ("his daughters refused ventilation") or tell of their state ("her mother noticed a rash"):
    the care and the state are still the patient's."""
    words = "|".join(map(re.escape, sorted(_relatives()["agent"])))
    return re.compile(rf"\s+(?:(?:also|then|initially|later)\s+)?(?:{words})\b")


@cache
def _whose() -> re.Pattern[str]:
    """The words before a relative's word that say whose relative it is: an owner ("her",
    "the patient's") and up to three describing words ("her two older"), with what comes
    before the owner, a donor's word ("from") or the patient and "and" ("she and"). An article
    in the owner's place names nobody's ("from the mother"); a hyphenated word describes too
    ("her HLA-matched brother")."""
    words = _relatives()

    def alternatives(kind: str) -> str:
        return "|".join(map(re.escape, sorted(words[kind], key=len, reverse=True)))

    return re.compile(
        rf"(?:\b(?P<donor>{alternatives('donor')})\s+|\b(?P<patient>{alternatives('patient')})"
        rf"\s+and\s+)?(?:\b(?:(?P<owner>{alternatives('owner')}|[^\W_]+'s)|the|a|an)\s+)?"
        rf"(?:\b(?:{alternatives('describer')}|[^\W_]+-[^\W_]+)(?:\s+|-))*\Z")


#: How far before a relative's word :func:`_whose` looks, in characters.
_WHOSE_CHARS = 80


def _relative(low: str, found: Trigger, start: int) -> Trigger | None:
    """A relative's trigger as the words around it make it: none where the relative is a donor
    ("from her brother"), is named with the patient ("she and her mother") or acts for the
    patient ("her parents refused surgery", "her mother noticed a rash"); a family trigger
    forward only where someone's ("her older sister had…", as "his mother" tells of what comes
    after it); none for a word that names a relative only when someone's and is nobody's ("a
    twin pregnancy"); else as it is ("a maternal aunt had…")."""
    whose = _whose().search(low, max(start, found.span.start - _WHOSE_CHARS), found.span.start)
    if ((whose is not None and (whose.group("donor") or whose.group("patient")))
            or _decides().match(low, found.span.end)):
        return None
    if (whose is not None and whose.group("owner")) or _the_parents(low, found, whose):
        scope = _SUBJECT_SCOPE if whose is not None and _opens_sentence(low, whose.start(),
                                                                      start) else 8
        return Trigger(Rule(found.rule.phrase, "family", "forward", scope), found.span)
    return None if found.rule.category == _OWNED else found


#: How far a relative's scope reaches when the relative opens the sentence as its subject
#: ("His mother, a 30-year-old primipara, had been admitted two weeks earlier because of
#: reduced fetal movements and polyhydramnios"): the sentence tells of them, up to a
#: terminator that brings in another subject ("and he had a rash").
_SUBJECT_SCOPE = 30


def _the_parents(low: str, found: Trigger, whose: re.Match[str] | None) -> bool:
    """Whether "parents" nobody's by the words before them are the patient's: "both parents"
    (a patient has but two), or parents whose health the words after tell
    (:data:`_HEALTH_AFTER`: "the parents were healthy")."""
    if found.rule.phrase not in _relatives()["parent"]:
        return False
    both = whose is not None and whose.group().lstrip().startswith("both")
    return both or _HEALTH_AFTER.match(low, found.span.end) is not None


#: The end of a sentence or line right before a word (the text scanned may hold several).
_SENTENCE_BEFORE = re.compile(r"(?:[.!?][\"')\]]?\s+|\n\s*)\Z")


def _opens_sentence(low: str, at: int, start: int) -> bool:
    """Whether the word at ``at`` opens its sentence (``start``: where the text scanned
    starts)."""
    return not low[start:at].strip() or _SENTENCE_BEFORE.search(low, max(start, at - 8),
                                                                 at) is not None


#: What a report says of the parents' health right after naming them, whoever's they are
#: written as ("the parents were healthy", "parents had no history of…"): the words name the
#: patient's parents (``parent`` words of relatives.tsv), of whom what follows is said. (Of a
#: child, "the infant had a rash", the words tell of the child, who may be the patient.)
_HEALTH_AFTER = re.compile(
    r"\s+(?:(?:were|are|was|is)\s+(?:both\s+|all\s+)?(?:healthy|well|unaffected|asymptomatic|"
    r"(?:non-?)?consanguineous|unrelated|alive)\b|(?:had|have|has)\s+(?:no|a|an)\s)")


#: A relative's word written as a form of address before a name ("Aunt Li", "Uncle Zhang",
#: news stories' way of naming an older patient): the patient, no relative.
_ADDRESS = re.compile(r"[A-Z][a-z]+\s+[A-Z][a-z]*\b")


def triggers(text: str, sentence: Span) -> list[Trigger]:
    """Every trigger phrase in a sentence; the longest wins where phrases overlap
    (so a pseudo-trigger such as "no change" hides the "no" inside it)."""
    return triggers_in(text, sentence.start, sentence.end)


def triggers_in(text: str, start: int, end: int) -> list[Trigger]:
    """:func:`triggers` of ``text[start:end]`` (one automaton pass over the lower-case text)."""
    low = scan.lower(text)
    found = [Trigger(rule, span) for rule, span in _phrases_in(low, start, end)
             if _bounded_in(low, span.start, span.end, start, end)]
    found += _split_by_adverb(low, start, end)
    found.sort(key=lambda t: (-_width(low, t.span), t.span.start))
    kept: list[Trigger] = []
    claimed: SpanIndex[Span] = SpanIndex()
    for t in found:
        if not claimed.overlaps(t.span.start, t.span.end):
            claimed.add(t.span)
            relative = t if t.rule not in _relative_rules() else (
                None if _ADDRESS.match(text, t.span.start) else _relative(low, t, start))
            if relative is not None:
                kept.append(_made_unlikely(low, relative, start))
    return sorted(kept, key=lambda t: t.span.start)


#: A causative verb a few words before "unlikely" ("making X unlikely", "rendered X
#: unlikely"): what the sentence found is a judgement against X, which it denies, where "X
#: was unlikely" or "X seems unlikely" only hedges.
_MADE = re.compile(r"\b(?:mak(?:e|es|ing)|made|render(?:s|ed|ing)?)\s+(?:[^\W_][\w'-]*\s+){1,6}\Z")
_UNLIKELY = "unlikely"
#: How far before "unlikely" :data:`_MADE` looks, in characters.
_MADE_CHARS = 80


def _made_unlikely(low: str, found: Trigger, start: int) -> Trigger:
    """The trigger, or for an "unlikely" that a causative verb governs (:data:`_MADE`) the
    same trigger as a denial."""
    if found.rule.phrase != _UNLIKELY or not _MADE.search(
            low, max(start, found.span.start - _MADE_CHARS), found.span.start):
        return found
    return Trigger(replace(found.rule, category="negated"), found.span)



#: The auxiliaries that open a passive trigger phrase ("was suspected", "were ruled out").
_AUXILIARIES = ("was", "were", "is", "are", "been")
#: An adverb written inside such a phrase ("was initially suspected", "were later excluded",
#: "was first considered"); "not" is none (it makes another phrase: "was not excluded").
_INNER_ADVERB = r"(?:[a-z]+ly|first|also|later|then|again|once|still|soon|further)"


@cache
def _adverb_split() -> tuple[re.Pattern[str], dict[str, Rule]]:
    """The passive trigger phrases with an adverb after their auxiliary, and their rules by
    phrase as written without it."""
    passive = {r.phrase: r for r in rules()[0] if r.phrase.split(" ", 1)[0] in _AUXILIARIES
               and " " in r.phrase}
    tails = sorted({p.split(" ", 1)[1] for p in passive}, key=len, reverse=True)
    pattern = re.compile(rf"\b({'|'.join(_AUXILIARIES)})\s+{_INNER_ADVERB}\s+"
                         rf"({'|'.join(map(re.escape, tails))})\b")
    return pattern, passive


def _split_by_adverb(low: str, start: int, end: int) -> list[Trigger]:
    """The passive triggers an adverb splits ("X was initially suspected" is uncertain as "X
    was suspected" is), spanning the adverb too."""
    pattern, passive = _adverb_split()
    found: list[Trigger] = []
    for m in pattern.finditer(low, start, end):
        rule = passive.get(f"{m.group(1)} {m.group(2)}")
        if rule is not None:
            found.append(Trigger(rule, Span(m.start(), m.end())))
    return found


#: White space other than one blank between two words: a run of blanks, a tab, a line break.
_LOOSE_SPACE = re.compile(r"\s\s|[^\S ]")


def _phrases_in(low: str, start: int, end: int) -> Iterator[tuple[Rule, Span]]:
    """Each rule phrase in ``low[start:end]`` and its span. Words a phrase writes with one
    blank match whatever white space separates them in the text ("negative  for", "no
    evidence\nof" in a hard-wrapped line): the automaton reads a copy with each run of white
    space made one blank, whose offsets are mapped back to the text's."""
    automaton = rules()[1]
    if not _LOOSE_SPACE.search(low, start, end):
        for last, rule in scan.iter_in(automaton, low, start, end):
            yield rule, Span(last + 1 - len(rule.phrase), last + 1)
        return
    kept: list[str] = []
    where: list[int] = []
    for i in range(start, end):
        ch = low[i]
        if ch.isspace():
            if kept and kept[-1] == " ":
                continue
            ch = " "
        kept.append(ch)
        where.append(i)
    for last, rule in automaton.iter("".join(kept)):
        yield rule, Span(where[last + 1 - len(rule.phrase)], where[last] + 1)


def _width(low: str, span: Span) -> int:
    """A trigger's length with each run of white space in it counted as one blank: which of
    two overlapping phrases is the longer does not depend on how the text spaces them."""
    words = low[span.start : span.end]
    return len(_SPACE_RUN.sub(" ", words)) if _LOOSE_SPACE.search(words) else span.length


_SPACE_RUN = re.compile(r"\s+")


def _bounded_in(low: str, first: int, stop: int, start: int, end: int) -> bool:
    """Whether a phrase at ``[first, stop)`` starts and ends on word edges within
    ``[start, end)``."""
    before = first == start or not low[first - 1].isalnum() or not low[first].isalnum()
    after = stop == end or not low[stop].isalnum() or not low[stop - 1].isalnum()
    return before and after


#: Categories whose trigger, written after a list, reaches every item of it however long
#: ("serology, culture, PCR or a skin test for tuberculosis were not done").
_LIST_REACH = frozenset({"negated", "absent", "not-done", "target", "historical"})
#: What separates the items of a list: a comma, or "and", "or", "nor", "and/or".
_LIST_SEPARATOR = r"(?:\s*,\s*(?:(?:and/or|and|or|nor)\s+)?|\s+(?:and/or|and|or|nor)\s+)"
_SPLIT = re.compile(_LIST_SEPARATOR, re.IGNORECASE)
#: The items after a list's first one, up to the trigger that ends the list.
_RUN = re.compile(rf"{_LIST_SEPARATOR}.*?\s*", re.IGNORECASE | re.DOTALL)
#: A remark in parentheses (an abbreviation, a figure): no item of its own.
_REMARK = re.compile(r"\([^()]*\)")
#: Auxiliaries between the last item and the trigger ("… or C were not performed").
_AUXILIARY = frozenset({"was", "were", "is", "are", "been"})
#: Closed-class words no noun phrase holds, so no list item: auxiliaries, pronouns,
#: subordinators, prepositions that attach to a verb ("confirmed by CT", "treated with"),
#: words of time, and the verbs case reports state findings with.
_CLAUSE_WORDS = frozenset({
    "was", "were", "is", "are", "be", "been", "being", "had", "has", "have", "do", "does", "did",
    "can", "could", "may", "might", "will", "would", "should", "must", "not",
    "he", "she", "it", "they", "we", "there", "this", "these", "those",
    "that", "then", "after", "before", "when", "since", "because", "until", "which", "who",
    "where", "while", "whereas", "although", "if", "so", "thus", "also",
    "with", "without", "by", "via", "as", "during", "despite", "through", "into", "over",
    "under", "following", "including", "except", "prior", "ago", "later", "earlier",
    "showed", "revealed", "developed", "presented", "received", "underwent", "required",
    "became", "remained", "showing", "suggesting", "indicating", "positive", "present",
    "consistent",
})
#: Words that open a noun phrase ("a", "her"): nowhere else in one.
_DETERMINERS = frozenset({"a", "an", "the", "any", "some", "all", "both", "each", "either",
                          "his", "her", "their", "its"})
#: Prepositions within a noun phrase ("signs of sepsis", "a test for tuberculosis").
_LINKS = frozenset({"of", "for", "in", "on", "at", "to", "from"})
#: Past participles that do not end in "-ed" ("seen on CT", "done at admission").
_IRREGULAR_PAST = frozenset({
    "seen", "shown", "found", "done", "given", "taken", "known", "made", "drawn", "grown",
    "begun", "written", "held", "kept", "brought", "caught", "felt", "told", "thought", "sent",
    "undergone", "become", "gone", "got", "gotten", "led",
})
#: Words an item of a list has at most ("interferon-gamma release assay").
_ITEM_WORDS = 5
#: Longest run of items a trigger reaches through, in words.
_LIST_WORDS = 30
#: A clause's start before a mention: punctuation, or a full stop before a space.
_BOUNDARY = re.compile(r"[,;:(\[\n]|[.!?](?=\s)")
#: How far back a list's first item may start from its clause's start, in characters.
_PREFIX_CHARS = 120
#: A comma then a conjunction: before a list's last item, or between two clauses.
_COMMA_CONJUNCTION = re.compile(r"\s*,\s*(?:and/or|and|or|nor)\s", re.IGNORECASE)
#: Where two clauses may join: a comma and a conjunction, or "and" alone ("No fever was noted
#: and jaundice developed"); not "or" alone, which joins the items a denial governs ("there
#: were no fever or chills reported").
_CLAUSE_JOINT = re.compile(r"\s*,\s*(?:and/or|and|or|nor)\s|\s+and\s", re.IGNORECASE)


def _past(word: str) -> bool:
    """Whether a (lower-case) word has the shape of a past participle ("confirmed", "seen")."""
    return word in _IRREGULAR_PAST or (
        len(word) > 4 and word.endswith("ed") and not word.endswith("eed"))


def _noun_phrases(words: list[str], *, whole: bool = True) -> bool:
    """Whether lower-case ``words`` have the shape of a list item: noun phrases joined by
    :data:`_LINKS`, each a determiner or none, then words none of :data:`_CLAUSE_WORDS`,
    the last of them (its head noun) no past participle. What has another shape ("confirmed
    by CT", "disclosed a mass", "seen on CT") is a clause, which no list item is. A shape
    is asked for rather than verbs ruled out: verbs are too many to list. ``whole`` False:
    the words start an item whose last noun phrase goes on ("signs of", "her")."""
    phrase: list[str] = []
    for word in (*words, None):
        if (word is None and whole) or word in _LINKS:
            if not phrase or _past(phrase[-1]):
                return False
            phrase = []
        elif word is None:
            break
        elif word in _DETERMINERS:
            if phrase:
                return False
        elif word in _CLAUSE_WORDS:
            return False
        else:
            phrase.append(word)
    return True


def _list_run(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, between a mention and a trigger after it, is the rest of
    a coordinated list the mention begins (a remark in parentheses aside): items separated by
    commas or "and"/"or", each of at most :data:`_ITEM_WORDS` words and shaped like a noun
    phrase (:func:`_noun_phrases`), at most :data:`_LIST_WORDS` words in all, then perhaps an
    auxiliary ("were")."""
    gap = _REMARK.sub(" ", text[start:end])
    if not _RUN.fullmatch(gap):
        return False
    items = _items(gap)
    if items[-1] and items[-1][-1] in _AUXILIARY:
        items[-1] = items[-1][:-1]
    return _noun_phrase_items(items)


def _items(gap: str) -> list[list[str]]:
    """The lower-case words of each item of a list's run of items."""
    return [[w.lower() for w in _WORD.findall(part)] for part in _SPLIT.split(gap)]


def _noun_phrase_items(items: list[list[str]]) -> bool:
    """Whether ``items`` are a list's: at most :data:`_LIST_WORDS` words in all, each item
    at most :data:`_ITEM_WORDS` words shaped like a noun phrase (:func:`_noun_phrases`)."""
    return (sum(map(len, items)) <= _LIST_WORDS
            and all(len(item) <= _ITEM_WORDS and _noun_phrases(item) for item in items if item))


def _begins_list(text: str, mention: Span, gap_start: int) -> bool:
    """Whether the mention can be an item of a list that runs on from ``gap_start``: the
    words from its clause's start to it are an item's (:func:`_noun_phrases`), so no verb
    stands before it in its clause ("CT disclosed a mass, and …" names the mass as what CT
    showed, not as a list's first item); a comma and a conjunction right after it end its
    clause unless a comma before it makes it a list's item already ("A, B, and C")."""
    floor = max(0, mention.start - _PREFIX_CHARS)
    window = text[floor : mention.start]
    bounds = list(_BOUNDARY.finditer(window))
    last = bounds[-1] if bounds else None
    if last is None and floor > 0:
        return False
    prefix = [w.lower() for w in _WORD.findall(window, last.end() if last else 0)]
    if prefix and prefix[0] in ("and", "or", "then"):  # "…, then ascites, … were not seen"
        prefix = prefix[1:]
    if _COMMA_CONJUNCTION.match(text, gap_start) and (last is None or last.group() != ","
                                                       or prefix):
        return False
    return len(prefix) <= _ITEM_WORDS and _noun_phrases(prefix, whole=False)


#: Scope, in words, from which a forward trigger opens a list ("denied", "no history of",
#: "negative for"): it reaches every item of the list however long. A short-scope trigger
#: ("no", "without") names one thing or two, and nouns a comma puts beyond its scope more
#: often start a clause of their own than go on its list.
_LIST_OPENER_SCOPE = 10
#: The end of a forward list's items before the mention: a separator.
_ENDS_ITEM = re.compile(rf"{_LIST_SEPARATOR}\Z", re.IGNORECASE)


#: An article right before a list's item ("… or a soft-tissue abscess").
_ARTICLE_END = re.compile(r"\b(?:a|an|the)\s+\Z", re.IGNORECASE)


def _forward_list(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, between a trigger and a mention after it, is the items of
    a coordinated list the mention ends or goes on ("no history of diabetes, heart failure,
    chronic kidney disease or <mention>"): items that :func:`_list_run` would accept, each
    ended by a comma or "and"/"or", so that the trigger reaches every item of its list however
    long, as it does from after a list. Words of a clause ("he was admitted") are no item, so
    the trigger's scope still ends at a new clause."""
    gap = _ARTICLE_END.sub("", _REMARK.sub(" ", text[start:end]))
    return bool(_ENDS_ITEM.search(gap)) and _noun_phrase_items(_items(gap))


#: Words that open a sentence with a subordinate clause ("As she declined surgery, …").
_SUBORDINATORS = frozenset({"as", "since", "because", "although", "though", "when", "while",
                            "whereas", "once", "after", "before", "if", "until", "awaiting",
                            "without"})
#: Verbs a clause states its finding with: one after a comma starts a clause of its own.
_FINITE = frozenset({"was", "were", "is", "are", "had", "has", "have", "showed", "revealed",
                     "developed", "became", "remained", "underwent", "received", "required",
                     "appeared", "persisted", "occurred", "demonstrated", "presented",
                     "progressed", "worsened", "improved", "recurred", "continued", "died",
                     "resolved", "disappeared", "subsided", "regressed", "healed", "recovered"})
#: The start of a sentence before a trigger: a full stop and a space, or a new line.
_SENTENCE_START = re.compile(r"[.!?]\s+|\n")
#: How far back a trigger's sentence start is looked for, in characters.
_SENTENCE_CHARS = 300
#: Prepositions of cause that open a sentence with a clause a comma closes ("Due to a lack of
#: response, surgery was performed"), as a subordinator does.
_CAUSAL_OPENERS = ("due to ", "because of ", "in view of ", "owing to ")
#: A sentence adverb and its comma before an opening clause ("However, due to …, he …"): it
#: links the sentence to the one before and is no part of the clause.
_CONNECTIVE = re.compile(r"\s*(?:(?:however|moreover|furthermore|therefore|thus|hence|"
                         r"additionally|in addition|initially|subsequently|finally|"
                         r"unfortunately|fortunately|overall|in general)\s*,\s*)?",
                         re.IGNORECASE)
#: A test whose results are what is awaited ("awaiting culture results"): the test was done.
_RESULTS_AFTER = re.compile(r"\s+results?\b", re.IGNORECASE)
#: A relative clause telling that what was advised or planned was done ("guidelines recommend
#: aspirin, which he received", "surgery was advised, which she underwent"): it asserts it.
_DONE_CLAUSE_AFTER = re.compile(
    r"\s*,?\s*(?:which|that)\s+(?:(?:he|she|they|the\s+patient)\s+(?:then\s+|later\s+)?"
    r"(?:received|took|underwent|completed|was\s+given)|(?:was|were)\s+(?:then\s+|later\s+)?"
    r"(?:given|administered|started|initiated|performed|done))\b", re.IGNORECASE)


def _closes_opening_clause(text: str, trigger: Span, mention: Span) -> bool:
    """Whether a comma between a forward trigger and a mention closes the subordinate clause
    the sentence opens with, the trigger inside it ("As the patient declined adjuvant therapy,
    hepatic metastases were found"): the words after the comma, up to the next comma, hold a
    verb, so they are the main clause rather than the next items of the trigger's list
    ("Because he denied fever, cough or dyspnoea, he was discharged"). A preposition of cause
    ("Due to a lack of response, …") opens such a clause too."""
    floor = max(0, trigger.start - _SENTENCE_CHARS)
    starts = list(_SENTENCE_START.finditer(text, floor, trigger.start))
    before = starts[-1] if starts else None
    if before is None and floor > 0:
        return False
    opening = text[before.end() if before else floor : trigger.end]
    opening = _CONNECTIVE.sub("", opening, count=1)
    words = _WORD.findall(opening)
    if not words or "," in opening or not (
            words[0].lower() in _SUBORDINATORS or opening.lower().startswith(_CAUSAL_OPENERS)):
        return False
    comma = text.find(",", trigger.end, mention.start)
    while comma >= 0:
        stop = min((i for i in (text.find(c, comma + 1) for c in ",;.\n") if i >= 0),
                   default=len(text))
        if any(w.lower() in _FINITE for w in _WORD.findall(text, comma + 1, stop)):
            return True
        comma = text.find(",", comma + 1, mention.start)
    return False


def _new_clause(text: str, trigger: Span, mention: Span) -> bool:
    """Whether a comma and a conjunction, or "and" alone (:data:`_CLAUSE_JOINT`), between a
    forward trigger and a mention start a clause of their own: the trigger stands in a clause
    that has its verb, before the trigger or after it ("Cultures were negative for fungi, …",
    "She had no fever, …", "No fever was noted, …"), and the words after the conjunction, to
    the next comma, hold a verb of their own ("… and antibiotics were stopped"). Where the
    trigger opens its clause and no verb comes before the conjunction ("No fever, chills, and
    weight loss were reported") the verb is the whole list's, which it still denies."""
    joints = list(_CLAUSE_JOINT.finditer(text, trigger.end, mention.start))
    if not joints:
        return False
    joint = joints[-1]
    stop = min((i for i in (text.find(c, mention.end) for c in ",;.\n") if i >= 0),
               default=len(text))
    if not any(w.lower() in _FINITE for w in _WORD.findall(text, joint.end(), stop)):
        return False
    floor = max(0, trigger.start - _SENTENCE_CHARS)
    starts = list(_SENTENCE_START.finditer(text, floor, trigger.start))
    begin = starts[-1].end() if starts else floor
    return any(w.lower() in _FINITE for w in _WORD.findall(text, begin, joint.start()))


#: A subject and its verb: the main clause after an opening "awaiting …" without a comma.
_NEW_SUBJECT = re.compile(
    r"\b(?:he|she|they|the patient)\s+(?:" + "|".join(sorted(_FINITE)) + r")\b", re.IGNORECASE)


def _more_words(text: str, start: int, end: int, limit: int) -> bool:
    """Whether ``text[start:end]`` holds more than ``limit`` words, read only as far as
    the word after the limit: asked for every mention and trigger of a sentence, a count of
    the whole gap made a long sentence's context cubic in its length."""
    return end > start and len(list(islice(_WORD.finditer(text, start, end), limit + 1))) > limit


def _backward_list(text: str, mention: Span, gap: tuple[int, int]) -> bool:
    """Whether the words between a mention and a trigger after it are the rest of a list
    the mention begins (:func:`_list_run`, :func:`_begins_list`)."""
    start, end = gap
    if text.startswith(")", start):  # an abbreviation in parentheses: "A (B), C and D were …"
        start += 1
    return _list_run(text, start, end) and _begins_list(text, mention, start)


#: The preposition that joins a denied noun to what it is evidence of ("signs of"); not
#: "for": "no risk factors for X" denies the risk factors, not X.
_OF = re.compile(r"\sof\s", re.IGNORECASE)


def _headed_list(text: str, start: int, end: int, scope: int) -> bool:
    """Whether ``text[start:end]``, between a short-scope forward trigger and a mention, is a
    noun the trigger denies within its scope, then "of" and the items of a list the mention
    ends or goes on: "no clinical or laboratory evidence of hepatitis, cirrhosis, or portal
    hypertension" denies every item, as "no evidence of" does."""
    link = _OF.search(text, start, end)
    if link is None:
        return False
    head = [w.lower() for w in _WORD.findall(text, start, link.start())]
    return (0 < len(head) <= scope and _noun_phrases(head)
            and _forward_list(text, link.end(), end))


#: A trigger that begins with "but" ("but was excluded", "but not pursued") holds the
#: terminator, so it ends the forward scope of what precedes it as "but" alone would ("colitis
#: was suspected but excluded by colonoscopy": the colonoscopy is no suspicion).
_BUT = "but "


#: The conjunctions a backward trigger may open with ("…, but he declined", "…, which she
#: refused"): the comma before it is the trigger's own.
_CONJUNCTIONS = ("but ", "which ", "that ")
#: The end of a clause right after a trigger: a conjunction's trigger with no object of its own
#: ("…, but she declined.") tells of what came before it.
_CLAUSE_END = re.compile(r"\s*(?:[.,;:)\n]|\Z)")


#: Backward triggers that are adjectives: written after their noun ("reflexes were absent",
#: "pulses absent", "Kernig sign negative", "tumor-negative") they deny it; written before a
#: noun ("absent bowel sounds", "negative pressure wound therapy") they are that noun's
#: attribute and deny nothing before them.
_ADJECTIVES = frozenset({"absent", "negative"})
#: A word right after an adjective that makes it attributive: one that opens no clause or
#: phrase of its own (a noun or another adjective, not "and", "in", "bilaterally"…).
_ATTRIBUTIVE = re.compile(
    r"[ \t]+(?!(?:and|or|but|nor|in|on|at|of|from|to|with|without|by|for|as|bilaterally|"
    r"throughout|during|upon|since|until|after|before|when|while|which|that|was|were|is|are|"
    r"then|despite|except|although)\b)[A-Za-z]", re.IGNORECASE)


def _own_gap(text: str, gap: tuple[int, int], rule: Rule) -> str:
    """The words between a mention and a backward trigger after it, less a comma right before a
    trigger that opens with a conjunction."""
    words = text[gap[0] : gap[1]]
    return words.rstrip().removesuffix(",") if rule.phrase.startswith(_CONJUNCTIONS) else words


def _reaches(text: str, trigger: Trigger, mention: Span, found: list[Trigger]) -> bool:
    rule = trigger.rule
    forward = trigger.span.end <= mention.start and rule.direction in ("forward", "both")
    backward = mention.end <= trigger.span.start and rule.direction in ("backward", "both")
    if forward:
        gap = (trigger.span.end, mention.start)
    elif backward:
        gap = (mention.end, trigger.span.start)
    else:
        return False
    if _more_words(text, *gap, rule.scope) and not (rule.category in _LIST_REACH and (
            (backward and _backward_list(text, mention, gap))
            or (forward and rule.scope >= _LIST_OPENER_SCOPE and _forward_list(text, *gap))
            or (forward and _headed_list(text, *gap, rule.scope)))) and not (
            forward and rule.phrase == "if" and _conditional_list(text, *gap)):
        return False
    if backward and rule.phrase in _ADJECTIVES and _ATTRIBUTIVE.match(text, trigger.span.end):
        return False  # "distended with absent bowel sounds": the sounds are absent
    if (backward and rule.direction == "both" and rule.phrase.startswith(_CONJUNCTIONS)
            and not _CLAUSE_END.match(text, trigger.span.end)):
        return False  # "… clinic, but she refused surgery": the surgery, not the clinic
    if backward and "," in _REMARK.sub(" ", _own_gap(text, gap, rule)) and not _backward_list(
            text, mention, gap):
        return False  # "He received antibiotics, and sepsis was excluded": a clause apart
    if (forward and rule.direction == "both" and rule.category in _DENIALS
            and "," in text[gap[0] : gap[1]]
            and not (_WORD.search(text, *gap) and _forward_list(text, *gap))):
        return False  # "Oedema not present, fever was noted": the denial ends at its clause
    if forward and rule.category in _DENIALS and _label_colon(text, *gap):
        return False  # "Weight not recorded  ADMITTING DIAGNOSIS: gout": a label starts anew
    if forward and "," in text[gap[0] : gap[1]] and _closes_opening_clause(
            text, trigger.span, mention):
        return False
    if forward and rule.category in _CLAUSE_BOUND and _new_clause(text, trigger.span, mention):
        return False  # "Cultures were negative for fungi, and antibiotics were stopped"
    if rule.category == "pending" and forward and _NEW_SUBJECT.search(text, *gap):
        return False  # "While awaiting surgery he received antibiotics": given meanwhile
    ends = (("terminate", "clause", "phrase") if forward else ("terminate", "clause")
            ) if rule.category in _CLAUSE_BOUND else ("terminate",)
    return not any(
        (t.rule.category in ends or (forward and t.rule.phrase.startswith(_BUT)))
        and gap[0] <= t.span.start and t.span.end <= gap[1]
        and not (forward and _describes(text, trigger, t))
        for t in found
    )


#: The head of a conditional clause before what it lists: its subject and verb ("if she
#: develops", "if there is any new").
_CONDITION_HEAD = re.compile(
    r"\s*(?:(?:she|he|they|you|the patient)\s+(?:\w+\s+)?(?:has|have|develops?|experiences?|"
    r"notices?|gets?)|there\s+(?:is|are))\s+(?:any\s+)?", re.IGNORECASE)


def _conditional_list(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, after "if", is a conditional clause's subject and verb and
    then the items of a list the mention ends ("if she develops fever, rash, jaundice, dark
    urine or <mention>"): every item is what may happen, however long the list."""
    head = _CONDITION_HEAD.match(text, start, end)
    return head is not None and head.end() < end and _forward_list(text, head.end(), end)


#: A colon after some words past a forward denial: what follows is a new label's value
#: ("weight not recorded  DIAGNOSIS: gout"), not the denied list that a colon right after
#: the trigger opens ("negative for: fever, rash").
_HEADING_COLON = re.compile(r"\S[^:]*:(?!\d)")


def _label_colon(text: str, start: int, end: int) -> bool:
    """Whether a colon in ``text[start:end]`` starts a new label's value: some words come
    before it, and none of them announces the list it opens ("the following symptoms:")."""
    colon = _HEADING_COLON.search(text, start, end)
    return colon is not None and "following" not in colon.group().lower()


#: Relative pronouns that open a clause describing the noun right before them.
_RELATIVE_PRONOUNS = frozenset({"who"})


def _describes(text: str, trigger: Trigger, terminator: Trigger) -> bool:
    """Whether a terminator is a relative pronoun right after a relative's word ("born to a
    mother who had diabetes", "her sister, who has lupus"): the clause tells of the relative,
    so the family scope goes on through it."""
    return (trigger.rule.category == "family" and terminator.rule.phrase in _RELATIVE_PRONOUNS
            and not text[trigger.span.end : terminator.span.start].strip(" ,"))


def assess(
    text: str, mention: Span, found: list[Trigger], *, about_patient: bool = True,
    test: bool = False, treatment: bool = False, condition: bool = False,
) -> Context:
    """The context of one mention given its sentence's triggers.

    ``about_patient`` is False for a sentence that never refers to the patient:
    there, ``generic`` triggers ("such as", "to treat") make a mention hypothetical.
    ``test`` marks a mention of a test (a diagnostic procedure): only ``not-done``
    triggers negate it, since "no mass on CT" or "PCR was negative" tell of a test done.
    ``treatment`` marks a mention of a therapeutic procedure, which ``absent`` triggers do not
    negate.
    ``condition`` marks a mention of a disorder or finding: ``not-done`` triggers ("transfusion
    was not required") tell of care, and ``pending`` ones ("while awaiting surgery") of care
    to come, so neither reaches it; nor does a ``pending`` trigger reach a test whose results
    are awaited ("awaiting blood culture results": the culture was taken). Care that a
    ``not-done`` trigger reaches was not given, however it was proposed or weighed before
    ("surgery was offered but she declined", "dialysis was considered but not performed").
    ``target`` triggers
    ("screening for", "to exclude", "concerns about") make a condition hypothetical, what was
    looked for or feared, unless the text denies it ("testing for Lyme disease was negative"),
    and leave a test alone ("testing for antinuclear antibodies" names
    the test). A relative clause
    of doing right after the mention ("…, which he received") asserts what a hypothetical
    trigger advised.
    """
    hits = {
        t.rule.category
        for t in found
        if t.rule.category not in _MODIFY_NOTHING and _reaches(text, t, mention, found)
    }
    if any(t.rule.category == "pseudo" and t.span.start <= mention.start < t.span.end
           and _denies_itself(t.rule.phrase) for t in found):
        # "no improvement" denies the improvement, not what follows; a mention that starts
        # inside it ("no enlargement of the lymph nodes") is the denied change itself
        hits.add("negated")
    if hits & {"hypothetical", "weighed", "referral"} \
            and _DONE_CLAUSE_AFTER.match(text, mention.end):
        hits -= {"hypothetical", "weighed", "referral"}
    hits = _care_weighed(hits, condition)
    if condition:
        hits -= {"not-done", "pending"}
    elif "not-done" in hits:
        hits -= {"hypothetical", "uncertain", "pending"}  # "surgery was offered but he declined"
    elif "pending" in hits and _RESULTS_AFTER.match(text, mention.end):
        hits.discard("pending")
    experiencer = Experiencer.PATIENT
    if "family" in hits:
        experiencer = Experiencer.FAMILY
    elif "donor" in hits:
        experiencer = Experiencer.DONOR
    elif "other" in hits:
        experiencer = Experiencer.OTHER
    negated = ("not-done" in hits or ("negated" in hits and not test)
               or ("absent" in hits and not test and not treatment))
    return _context(
        negated,
        "not-done" in hits,
        "uncertain" in hits,
        "hypothetical" in hits or "pending" in hits or ("target" in hits and condition
                                                         and not negated)
        or ("generic" in hits and not about_patient),
        "historical" in hits,
        experiencer,
    )


def _care_weighed(hits: set[str], condition: bool) -> set[str]:
    """``hits`` with ``weighed`` and ``referral`` read for the kind of mention. What was
    weighed ("X was considered") is a diagnosis suspected, but care only thought of, as care
    the patient "was considered for" (hypothetical). Care the patient was referred for may or
    may not have followed (uncertain: a Procedure of unknown status); a referral tells nothing
    of a condition ("referred for haematuria": the haematuria is there)."""
    out = hits - {"weighed", "referral"}
    if "weighed" in hits:
        out.add("uncertain" if condition else "hypothetical")
    if "referral" in hits and not condition:
        out.add("uncertain")
    return out


def part_of_denial(start: int, end: int, found: list[Trigger]) -> bool:
    """Whether the words at ``[start, end)`` lie inside a negation trigger ("no symptoms of",
    "no evidence of"): they are the denial of what follows, not a finding of their own (the
    finding "no symptoms", asymptomatic, is not what "no symptoms of nausea" states)."""
    return any(t.rule.category in ("negated", "absent") and t.span.start <= start
               and end <= t.span.end for t in found)


@cache
def _denies_itself(phrase: str) -> bool:
    """Whether a pseudo-trigger holds a negation trigger that reaches forward ("no
    improvement", "without difficulty"): it spares what follows it, but denies its own words
    after the trigger. One that reaches back ("gram negative") denies none of them."""
    words = f" {phrase} "
    return any(f" {r.phrase} " in words for r in rules()[0]
               if r.category in _DENIALS and r.direction != "backward")


@cache
def _context(negated: bool, not_done: bool, uncertain: bool, hypothetical: bool,
             historical: bool, experiencer: Experiencer) -> Context:
    """One shared :class:`Context` per combination (they are frozen): most mentions of a
    report share the few there are, and building one costs more than looking it up."""
    return Context(negated=negated, not_done=not_done, uncertain=uncertain,
                   hypothetical=hypothetical, historical=historical, experiencer=experiencer)
