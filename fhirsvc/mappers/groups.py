"""Which facts become which resources, and which mentions are one resource.

A case report names the same thing many times ("thrombocytopenia" in the history,
the examination and the discussion). Mentions of one concept that the text asserts
the same way become one resource that points at every mention (one
derivation-reference each); mentions asserted differently ("no fever" and later
"fever") stay apart. An uncoded treatment is one concept under its core words
("CAR-T cells", "CAR-T cell therapy"), a bare head word ("transplantation") repeats the
specific treatment it heads, and an uncoded evaluative word or drug class ("improved",
"drugs") is no resource at all. Only the patient's own facts are mapped: a mention whose
experiencer is someone else, or that is hypothetical or generic, is nobody's fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from fhirsvc.model import Fact, MentionKind, Span
from fhirsvc.terminology import tables

CONDITION = "Condition"
PROCEDURE = "Procedure"
OBSERVATION = "Observation"
MEDICATION_ADMINISTRATION = "MedicationAdministration"

#: Derivation-references per resource at most: a report that names one thing a thousand
#: times gives one resource pointing at its first wordings, not a thousand extensions.
MAX_SPANS = 16

_TARGET = {
    MentionKind.DISORDER: CONDITION,
    MentionKind.FINDING: CONDITION,
    MentionKind.THERAPEUTIC_PROCEDURE: PROCEDURE,
    MentionKind.DIAGNOSTIC_PROCEDURE: PROCEDURE,
    MentionKind.LAB_TEST: OBSERVATION,
    MentionKind.MEDICATION: MEDICATION_ADMINISTRATION,
}


@dataclass(frozen=True, slots=True)
class Group:
    """The facts (in text order) that one resource of ``type`` states."""

    type: str
    facts: tuple[Fact, ...]

    @property
    def first(self) -> Fact:
        return self.facts[0]

    @property
    def spans(self) -> tuple[Span, ...]:
        """Every span the resource was read from: each distinct wording first (so a
        reader sees every way the text names it), then repeats, then the results."""
        if len(self.facts) == 1:  # most groups: one mention, perhaps with its result
            mention = self.facts[0].mention
            result = mention.result
            if result is None or result.span == mention.span:
                return (mention.span,)
            return mention.span, result.span
        seen: set[str] = set()
        distinct: list[Span] = []
        repeats: list[Span] = []
        for fact in self.facts:
            wording = normalise(fact.mention.text)
            (repeats if wording in seen else distinct).append(fact.mention.span)
            seen.add(wording)
        results = [f.mention.result.span for f in self.facts if f.mention.result]
        return tuple(dict.fromkeys([*distinct, *repeats, *results]))[:MAX_SPANS]


def target(fact: Fact) -> str:
    """The resource type a fact becomes: a diagnostic procedure with a result is an
    Observation, and so is a sign or disorder measured or graded in the text ("tachycardia of
    140 beats/min", "hypokalaemia (2.9 mmol/L)", "a 2-3 kg weight loss", "proteinuria (3+)"):
    what was found is the measurement."""
    mention = fact.mention
    kind, result = mention.kind, mention.result
    if result is not None and (kind is _DIAGNOSTIC or (
            kind in _MEASURABLE and (result.quantity is not None or result.range is not None
                                     or result.graded))):
        return OBSERVATION
    return _TARGET[kind]


# Members looked up once: reading an Enum member off its class is slow (about 1 µs each
# on Python 3.11), and target() runs several times per fact.
_DIAGNOSTIC = MentionKind.DIAGNOSTIC_PROCEDURE
_MEASURABLE = frozenset({MentionKind.FINDING, MentionKind.DISORDER})


_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65_536)
def normalise(words: str) -> str:
    """Lower case, runs of other characters than letters and digits one space (a report
    asks this of the same few words again and again: remembered)."""
    return _NOT_WORD.sub(" ", words.lower()).strip()


def concept_key(fact: Fact, kind: str | None = None) -> str:
    """The concept a fact names: its first coding, else its words normalised; an uncoded
    treatment's words without their generic head ("CAR-T cells", "CAR-T cell therapy").
    Not the lexicon concept: curated classes group different things (PEG and a
    nasogastric tube, one immunostain and another); but an uncoded drug the drug
    dictionary names is one ingredient under every name ("capecitabine (Xeloda)").
    ``kind``: the fact's :func:`target`, when the caller knows it."""
    if fact.codings:
        first = fact.codings[0]
        return f"{first.system}|{first.code}"
    kind = kind or target(fact)
    if kind == MEDICATION_ADMINISTRATION:
        ingredient = next((c for c in fact.mention.concepts if c.startswith(_DICTIONARY)), None)
        if ingredient is not None:
            return ingredient
    if kind in _TREATMENTS:
        return _core(fact.mention.text)
    return normalise(fact.mention.text)


@cache
def _generic_heads() -> frozenset[str]:
    return frozenset(r.key for r in tables.load_table("generic_heads.tsv", tables.ExcludedTermRow))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


#: An act written before what it is done to ("replacement of the aortic valve"): the act's
#: words, and the object's words after "of" and a determiner.
_ACT_OF = re.compile(r"(?P<act>.+?) of (?:(?:the|a|an|his|her|their|its|both) )?(?P<object>.+)")


def _object_first(words: str) -> str:
    """Normalised words with an act written before "of" and its object put after the
    object, as a compound names them ("replacement of the aortic valve" -> "aortic valve
    replacement")."""
    m = _ACT_OF.fullmatch(normalise(words))
    return normalise(words) if m is None else f"{m['object']} {m['act']}"


def _core(words: str) -> str:
    """A treatment's words, singular, without the generic heads it may end with
    (``mappings/generic_heads.tsv``): "CAR-T cell therapy" and "CAR-T cells" -> "car t";
    an act before "of" and its object in the compound's order (:func:`_object_first`)."""
    tokens = [_singular(w) for w in _object_first(words).split()]
    while len(tokens) > 1 and tokens[-1] in _generic_heads():
        tokens.pop()
    return " ".join(tokens)


#: Treatments: resource types whose uncoded mentions group by their core words
#: (:func:`_core`), and whose bare head words fold into a more specific mention
#: (:func:`_fold_bare_heads`).
_TREATMENTS = frozenset({PROCEDURE, MEDICATION_ADMINISTRATION})
#: The prefix of the drug dictionary's concept keys (one per ingredient, brands included).
_DICTIONARY = "drug:"


def _head(words: str) -> str:
    """The last word, singular ("cells" -> "cell"): the head noun of an English term; the
    act's word before "of" ("replacement of the aortic valve" -> "replacement")."""
    m = _ACT_OF.fullmatch(normalise(words))
    return _singular((normalise(words) if m is None else m["act"]).rsplit(" ", 1)[-1])


def _fold_bare_heads(groups: list[list[Fact]]) -> list[list[Fact]]:
    """A bare head word ("transplantation", "examination") that a more specific mention of
    the same resource type names ("stem cell transplantation") is that mention's repeat,
    not a resource of its own: its facts join the specific group (the nearest one)."""
    def asserted(facts: list[Fact]) -> tuple[object, ...]:
        ctx = facts[0].mention.context
        return target(facts[0]), ctx.negated, ctx.uncertain

    treatments = [(members, asserted(members)) for members in groups
                  if target(members[0]) in _TREATMENTS]  # nothing else folds
    specific: dict[tuple[object, ...], list[tuple[int, list[Fact]]]] = {}
    for members, how in treatments:
        for fact in members:
            if " " in normalise(fact.mention.text):
                specific.setdefault((*how, _head(fact.mention.text)), []).append(
                    (fact.mention.span.start, members))
    folded: set[int] = set()
    for members, how in treatments:
        words = {normalise(f.mention.text) for f in members}
        hosts = [host for host in specific.get((*how, _head(members[0].mention.text)), [])
                 if not _joined_name(members[0], host[1])]
        if hosts and len(words) == 1 and " " not in next(iter(words)):
            start = members[0].mention.span.start
            host = min(hosts, key=lambda h: abs(h[0] - start))[1]
            host.extend(members)
            host.sort(key=_place)
            folded.add(id(members))
    return [members for members in groups if id(members) not in folded]


#: A name whose last word is joined to the one before by a hyphen or a slash ("PET-CT",
#: "SPECT/CT"): two names written as one, not a modifier and its head.
_JOINED_LAST = re.compile(r"[-/][^\W_]+\Z")


def _joined_name(bare: Fact, host: list[Fact]) -> bool:
    """Whether a coded bare word ("CT") is only the second half of a joined name that is
    another concept ("PET-CT"): a test of its own, not a repeat of the joined one."""
    if not bare.codings or host[0].codings[:1] == bare.codings[:1]:
        return False
    return any(_JOINED_LAST.search(f.mention.text) for f in host)


def _key(fact: Fact) -> tuple[object, ...]:
    mention, kind = fact.mention, target(fact)
    asserted = (mention.context.negated, mention.context.not_done, mention.context.uncertain)
    date = mention.when.date if mention.when else None
    concept = concept_key(fact, kind)
    if kind == CONDITION:
        return (kind, concept, *asserted)
    if kind == OBSERVATION:
        result = _SPACES.sub(" ", mention.result.text.lower()) if mention.result else None
        # "stage IV" of the colon cancer is not the stage IV of the lung cancer
        staged = normalise(mention.staging.disorder_text) if mention.staging else None
        return (kind, concept, result, date, staged, *asserted)
    return (kind, concept, date, _dose(fact), *asserted)


def _dose(fact: Fact) -> object:
    """The dose that tells two administrations apart (frequency or period words do not)."""
    dosage = fact.mention.dosage
    return (dosage.dose.value, dosage.dose.ucum) if dosage and dosage.dose else None


def _fold_unspecified(grouped: dict[tuple[object, ...], list[Fact]]) -> list[list[Fact]]:
    """A treatment mention with neither date nor dose ("CAR-T", "ucMSCs") repeats the one
    course of the same concept that states them ("CAR-T cell therapy in 2016", "ucMSCs
    ... 5.65 x 10^7/L"); with several such courses it cannot tell which, and stays apart.
    ``grouped``: each group by its :func:`_key`."""
    def keys_of(key: tuple[object, ...]) -> tuple[bool, tuple[object, ...], bool]:
        """Whether a treatment, its key without date and dose, and whether it has neither."""
        if key[0] not in _TREATMENTS:  # other kinds' keys hold no date and dose there
            return False, key, False
        kind, concept, date, dose, *asserted = key
        return True, (kind, concept, *asserted), (date, dose) == (None, None)

    groups = list(grouped.values())
    keys = [keys_of(key) for key in grouped]
    specific: dict[tuple[object, ...], list[list[Fact]]] = {}
    for members, (treatment, key, vague) in zip(groups, keys, strict=True):
        if treatment and not vague:
            specific.setdefault(key, []).append(members)
    out: list[list[Fact]] = []
    for members, (treatment, key, vague) in zip(groups, keys, strict=True):
        hosts = specific.get(key, []) if treatment and vague else []
        if len(hosts) == 1:
            hosts[0].extend(members)
            hosts[0].sort(key=_place)
        else:
            out.append(members)
    return out


def patient_facts(facts: Iterable[Fact]) -> list[Fact]:
    return [f for f in facts if f.mention.context.is_patient_fact]


@cache
def _vague_terms() -> frozenset[str]:
    return frozenset(normalise(r.key) for r in tables.load_table("vague_terms.tsv",
                                                                 tables.ExcludedTermRow))


def states_something(facts: Iterable[Fact]) -> bool:
    """False when every mention is uncoded, one of the vague words of
    ``mappings/vague_terms.tsv`` ("improved", "drugs") and no test with a result: no
    clinical fact. A result makes one of a vague word ("recovery was uneventful")."""
    vague = _vague_terms()
    return any(f.codings or normalise(f.mention.text) not in vague
               or (f.mention.kind is MentionKind.LAB_TEST and f.mention.result is not None)
               for f in facts)


def _place(fact: Fact) -> tuple[int, int]:
    """Where the fact's words are, as a sort key: the order of :class:`Span` without
    its generated comparisons (a report sorts its facts several times)."""
    span = fact.mention.span
    return span.start, span.end


def group(facts: Iterable[Fact]) -> list[Group]:
    """The patient's facts grouped into resources, in order of first mention."""
    grouped: dict[tuple[object, ...], list[Fact]] = {}
    for fact in sorted(patient_facts(facts), key=_place):
        grouped.setdefault(_key(fact), []).append(fact)
    folded = _fold_bare_heads(_fold_unspecified(grouped))
    folded.sort(key=lambda members: _place(members[0]))
    return [Group(target(members[0]), tuple(members)) for members in folded
            if states_something(members)]
