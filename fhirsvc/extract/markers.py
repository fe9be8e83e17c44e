"""Markers tested by immunohistochemistry, serology or genetics, found by their shape.

No lexicon lists every antigen or gene ("CD68", "c-kit", "Ki-67", "HER2", "ALK"), but
case reports write them the same way: a short token with capitals and digits next to
a positive/negative result ("CD68 positive", "S-100 (−)", "positive for CD3, CD20 and
CD79a"). Such a token becomes a lab-test mention without codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from fhirsvc.extract import coordination, findings, scan, values
from fhirsvc.extract.abbreviations import abbreviates
from fhirsvc.extract.context import kin_words
from fhirsvc.extract.drugs import INN_STEMS, class_concepts
from fhirsvc.extract.headings import NOTE_SECTIONS
from fhirsvc.extract.places import PLACE_NOUNS
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.extract.specimens import FLUIDS
from fhirsvc.model import CONDITION_KINDS, MentionKind, Span
from fhirsvc.terminology import tables
from fhirsvc.terminology.lexicon import Hit

_MARKER = (
    r"(?:[Aa]nti-?(?!bod)[A-Za-z0-9][A-Za-z0-9-]{1,24}|[A-Za-z]{0,3}[A-Z][A-Za-z]*-?\d+[A-Za-z]?"
    r"|[A-Z]{2,6}\d?|[a-z]-[A-Za-z]{2,5}|Ki-?67)"
)
_RESULT = (
    rf"\s*(?:\(\s*[+\-−]+\s*\)|[+\-−](?=[\s,.;)])|{values.JOINED_RESULT}|"
    r"\s+(?:(?:was|were|is|are)\s+)?"
    r"(?:(?:strongly|weakly|focally|diffusely)\s+)?(?:positive|negative|positivity|negativity))"
)
_AFTER = re.compile(rf"\b({_MARKER}){_RESULT}")
_LIST = re.compile(
    rf"\b(?:positive|negative|positivity|negativity|stained|staining)\s+(?:for|of|with)\s+"
    rf"((?:{_MARKER})(?:\s*(?:,|and|or|/)\s*(?:{_MARKER}))*)"
)
_ITEM = re.compile(_MARKER)
#: "anti-Ro, anti-La and anti-Sm antibodies were all negative": a list, then one result.
_LIST_BEFORE = re.compile(
    rf"\b((?:{_MARKER})(?:(?:\s*(?:,|and|or|/))+\s*(?:{_MARKER}))*)(?:\s+antibod(?:y|ies))?\s+"
    r"(?:were|was|are|is)\s+(?:all\s+|both\s+)?(?:positive|negative)"
)


#: What a test of an organism measures, written after its name ("HBV DNA", "CMV IgM",
#: "hepatitis C virus RNA", "HIV antibody"), or the test itself ("hepatitis serologies",
#: "malaria smear", "tuberculosis culture", "HIV screening").
_ORGANISM_TEST = re.compile(
    r"(?:\s+(?i:virus))?\s*-?\s*(?:RNA|DNA|Ig[GMA]|PCR|(?i:viral load|virus load|antigens?|"
    r"antibod(?:y|ies)|serolog(?:y|ies)|titers?|titres?|smears?|swabs?|cultures?|"
    r"(?:rapid\s+)?tests?|screening|assays?|panels?))\b"
)


def organism_tests(text: str, hits: list[Hit]) -> list[Hit]:
    """Disorder names followed by what a test of their organism measures name that test
    ("HBV DNA was undetectable" tells of a test, not of hepatitis B): one lab-test hit
    without codes replaces the disorder and any hit inside the test's words."""
    tests: list[Hit] = []
    for hit in hits:
        m = _ORGANISM_TEST.match(text, hit.end) if hit.kind in CONDITION_KINDS else None
        if m is not None:
            tests.append(Hit(hit.start, m.end(), MentionKind.LAB_TEST, ()))
    return replacing(hits, tests)


def replacing(hits: list[Hit], tests: list[Hit]) -> list[Hit]:
    """``hits`` with ``tests`` added and every hit inside one of them left out, in text order."""
    if not tests:
        return hits
    inside = SpanIndex(tests)
    kept = [h for h in hits if not any(t.start <= h.start and h.end <= t.end
                                       for t in inside.overlapping(h.start, h.end))]
    return sorted(kept + tests, key=lambda h: h.start)


#: Two tests' names joined as a ratio of one to the other ("albumin/globulin ratio", "BUN:creatinine
#: ratio", "the ratio of ALT to AST" is left to the words' own reading).
_RATIO = re.compile(r"(?<![\w'-])[\w-]+\s*[/:]\s*[\w-]+'?\s+(?:ratio|quotient)\b",
                    re.IGNORECASE)
#: :data:`_RATIO` tried only in the stretches between stops and commas that name a ratio.
_RATIOS = scan.Closing(_RATIO, ("ratio", "quotient"), ".,;()")


def ratio_tests(text: str, hits: list[Hit]) -> list[Hit]:
    """A ratio of two tests is one test ("the albumin/globulin ratio was 0.8", "the E/e'
    ratio"): its value is neither test's. One lab-test hit without codes replaces the lab-test
    hits inside the ratio's words, unless one hit already names the whole ratio ("CD4/CD8
    ratio") or one that is no lab test lies there."""
    if not scan.mentions_any(text, 0, len(text), ("ratio", "quotient")):
        return hits
    index = SpanIndex(hits)
    tests: list[Hit] = []
    for m in _RATIOS.finditer(text):
        near = list(index.overlapping(m.start(), m.end()))
        if all(h.kind is MentionKind.LAB_TEST and m.start() <= h.start
                        and h.end <= m.end() for h in near) \
                and not any(h.start == m.start() and h.end == m.end() for h in near):
            tests.append(Hit(m.start(), m.end(), MentionKind.LAB_TEST, ()))
    return replacing(hits, tests)


#: An antibody named by its target, then its class or the word antibody ("anti-cardiolipin
#: IgG", "anti-phospholipid antibodies", "anti-β2-glycoprotein I IgM").
_ANTIBODY = re.compile(
    r"(?<![\w-])[Aa]nti-?(?!bod)\w[\w-]{1,30}(?:\s+I{1,3})?"
    r"(?:\s+Ig[GMAE]\b(?:\s+antibod(?:y|ies)\b)?|\s+antibod(?:y|ies)\b)")


#: Hits whose words hold an antibody's whole name: a test's name, or an antibody given
#: (:func:`fhirsvc.extract.drugs.drug_classes`: "anti-PD-1 antibody therapy").
_HOLDS_ANTIBODY = frozenset({MentionKind.LAB_TEST, MentionKind.MEDICATION})


def antibody_tests(text: str, hits: list[Hit]) -> list[Hit]:
    """An antibody named by its target ("anti-cardiolipin IgG was 116 GPL") is one test: the
    class alone ("IgG": the serum immunoglobulin level) or the target alone (a drug or a
    disorder a lexicon knows by the same word) would name another thing. Where a hit lies
    inside its words, one lab-test hit without codes replaces them, unless a lab test's name
    or a drug given already holds them all; words no lexicon matched are left to
    :func:`marker_hits`."""
    if not scan.mentions_any(text, 0, len(text), ("anti",)):
        return hits
    index = SpanIndex(hits)
    tests: list[Hit] = []
    for m in _ANTIBODY.finditer(text):
        near = list(index.overlapping(m.start(), m.end()))
        if near and not any(h.kind in _HOLDS_ANTIBODY and h.start <= m.start()
                            and m.end() <= h.end for h in near):
            tests.append(Hit(m.start(), m.end(), MentionKind.LAB_TEST, ()))
    return replacing(hits, tests)


#: The first word of a finding's name and the rest ("elevated" | "jugular venous pressure").
_FIRST_WORD = re.compile(r"(\S+)\s+")


def result_findings(text: str, hits: list[Hit], term: Callable[[str], Hit | None]) -> list[Hit]:
    """A finding named as a result of a test ("elevated jugular venous pressure", "elevated
    C-reactive protein") tells of the test and its result: when the words after a result
    word are a lab test's name (``term`` looks a phrase up), the test's hit replaces the
    finding's and the result word before it becomes its result. So with the result word
    after the name ("alanine aminotransferase increased to 245 U/L"). A disorder so named
    ("high blood pressure": hypertension) stays a disorder."""
    out: list[Hit] = []
    for hit in hits:
        if hit.kind is MentionKind.FINDING:
            hit = _named_test(text, hit, term) or hit
        out.append(hit)
    return out


#: The last word of a finding's name and the words before it ("alanine aminotransferase" |
#: "increased").
_LAST_WORD = re.compile(r"(?P<name>.+\S)\s+(?P<word>\S+)$", re.DOTALL)


def _named_test(text: str, hit: Hit, term: Callable[[str], Hit | None]) -> Hit | None:
    """The lab test a finding's words name around a result word, first or last (None when
    the other words name no lab test)."""
    first = _FIRST_WORD.match(text, hit.start, hit.end)
    if first is not None and first.group(1).lower() in values.QUALITATIVE_WORDS:
        test = term(text[first.end() : hit.end])
        if test is not None and test.kind is MentionKind.LAB_TEST:
            return Hit(first.end(), hit.end, MentionKind.LAB_TEST, test.concepts)
    last = _LAST_WORD.match(text, hit.start, hit.end)
    if last is not None and last.group("word").lower() in values.QUALITATIVE_WORDS:
        test = term(last.group("name"))
        if test is not None and test.kind is MentionKind.LAB_TEST:
            return Hit(hit.start, last.end("name"), MentionKind.LAB_TEST, test.concepts)
    return None


@cache
def _numbered_heads() -> frozenset[str]:
    """The words of ``mappings/numbered_heads.tsv``: a test name ending in one takes a number."""
    return frozenset(r.key for r in tables.load_table("numbered_heads.tsv", tables.ExcludedTermRow))


#: A whole number (or "19-9") after a test's name, then a list separator or a verb: no unit.
_NAME_NUMBER = re.compile(r"[ ](\d{1,3}(?:-\d{1,2})?)"
                          r"(?=\s*(?:[,;)]|\.(?!\d)|(?:and|or|were|was|are|is|levels?|fragments?)\b))")
#: The last word of a name, and the one before it when there is one.
_LAST_WORDS = re.compile(r"(?:([A-Za-z]+)\s+)?([A-Za-z]+)$")


def _ends_in_numbered_head(text: str, hit: Hit) -> bool:
    """Whether ``hit`` names a lab test whose last word, or last two words, take a number."""
    last = _LAST_WORDS.search(text, hit.start, hit.end) if hit.kind is MentionKind.LAB_TEST \
        else None
    if last is None:
        return False
    heads, word = _numbered_heads(), last.group(2).lower()
    return word in heads or (last.group(1) is not None
                             and f"{last.group(1).lower()} {word}" in heads)


def numbered_names(text: str, hits: list[Hit]) -> list[Hit]:
    """A test whose name ends in a word that takes a number ("carbohydrate antigen 125",
    "cytokeratin 7", ``mappings/numbered_heads.tsv``) keeps the number in its name when no
    unit follows it: it names the test, it is not the test's value. A test's name joined by
    a hyphen to a short upper-case form ("CK-MB": the MB isoenzyme of creatine kinase) names
    another test than the first part: the hit takes it in, without the first part's codes,
    and a hit of the part taken in ("MB") goes: one name, one mention to carry the result."""
    out: list[Hit] = []
    taken_in = Span(0, 0)  # the words the last hit took in
    for hit in hits:
        if taken_in.start <= hit.start and hit.end <= taken_in.end:
            continue  # the second part of a name taken in just before
        number = _NAME_NUMBER.match(text, hit.end) if _ends_in_numbered_head(text, hit) else None
        joined = _JOINED_FORM.match(text, hit.end) if hit.kind is MentionKind.LAB_TEST else None
        if number:
            taken_in = Span(hit.end, number.end(1))
            hit = Hit(hit.start, number.end(1), hit.kind, hit.concepts)
        elif joined:
            taken_in = Span(hit.end, joined.end())
            hit = Hit(hit.start, joined.end(), hit.kind, ())
        out.append(hit)
    return out


#: A short upper-case form joined to a test's name by a hyphen ("-MB" of "CK-MB"), not
#: followed by more of a word.
_JOINED_FORM = re.compile(r"-[A-Z][A-Z0-9]{1,3}(?![\w-])")


_SURGICAL = re.compile(
    r"\b(?:(?:total|partial|subtotal|radical|bilateral|left|right|median|laparoscopic|open|"
    r"emergency|distal|proximal|segmental)\s+)?[A-Za-z-]{3,}?(?:ectomy|ectomies|otomy|otomies|ostomy|"
    r"ostomies|plasty|plasties|pexy|rrhaphy|centesis|desis|tripsy|tripsies|pheresis)\b",
    re.IGNORECASE,
)
_DIAGNOSTIC = re.compile(
    r"\b[A-Za-z-]{3,}?(?:scopy|scopies|graphy|graphies|gram|grams|metry|metries)\b", re.IGNORECASE)
_NOT_PROCEDURES = re.compile(
    r"(?:program|diagram|kilogram|milligram|microgram|nanogram|histogram|telegram|instagram|"
    r"demography|geography|photography|biography|bibliography|choreography|programs|diagrams|"
    r"kilograms|milligrams|micrograms|symmetry|symmetries|geometry|isometry|trigonometry)$",
    re.IGNORECASE,
)


#: Procedure suffixes as (the literal they start with, the regex of their endings): the
#: finder's start literals and its pattern are both built from this one list.
_SUFFIXES = (("tom", "(?:y|ies)"), ("plast", "(?:y|ies)"), ("pexy", ""), ("rrhaphy", ""),
             ("centesis", ""), ("desis", ""), ("trips", "(?:y|ies)"), ("pheres", "is"),
             ("scop", "(?:y|ies)"), ("graph", "(?:y|ies)"),
             ("gram", "s?"), ("metr", "(?:y|ies)"))
_SUFFIX_END = scan.Anchored(
    re.compile(rf"(?:{'|'.join(start + ending for start, ending in _SUFFIXES)})(?![A-Za-z-])"),
    tuple(start for start, _ in _SUFFIXES))
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")


def _suffixed_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Words (runs of letters and hyphens, five or more, starting with a letter) in
    ``text[start:end]`` that end in a procedure suffix: the suffix is found first, then
    the word's start, so that only the few candidate words are looked at."""
    found: list[tuple[int, int]] = []
    for m in _SUFFIX_END.finditer(scan.lower(text), start, end):
        first = m.start()
        while first > start and text[first - 1] in _WORD_CHARS:
            first -= 1
        while text[first] == "-":
            first += 1
        if m.end() - first >= 5 and (not found or found[-1][1] <= first):
            found.append((first, m.end()))
    return found


def procedure_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Procedures by word form ("-ectomy", "-otomy", "-plasty", "-tripsy", "-pheresis",
    "-scopy", "-graphy", "-metry")."""
    found: list[Hit] = []
    claimed = SpanIndex.over(taken)
    for word_start, word_end in _suffixed_words(text, start, end):
        lo = max(start, word_start - 14)
        for pattern, kind in ((_SURGICAL, MentionKind.THERAPEUTIC_PROCEDURE),
                              (_DIAGNOSTIC, MentionKind.DIAGNOSTIC_PROCEDURE)):
            m = next((x for x in pattern.finditer(text, lo, word_end) if x.end() == word_end), None)
            if m is None:
                continue
            if _NOT_PROCEDURES.search(m.group()):
                break
            if not claimed.overlaps(m.start(), m.end()):
                found.append(Hit(m.start(), m.end(), kind, ()))
                claimed.add(found[-1])
            break
    return found + head_hits(text, start, end, claimed) + lead_hits(text, start, end, claimed) \
        + criteria_hits(text, start, end, claimed)


#: Criteria named after a person, a place or a body ("the modified Duke criteria", "the 2006
#: Sapporo criteria", "Light's criteria", "Rome IV criteria"): a named set of diagnostic
#: rules the patient was assessed by. A capital at a sentence's start names nothing
#: unless it is a possessive ("Major criteria were met" is no name).
_CRITERIA = re.compile(
    r"(?<![\w-])(?:(?:modified|revised|updated)\s+)?(?:(?:19|20)\d\d\s+)?"
    r"(?P<name>[A-Z][A-Za-z]+(?P<own>'s)?)(?:\s+[A-Z][A-Za-z]*)?\s+criteria\b")


def criteria_hits(text: str, start: int, end: int, claimed: SpanIndex[Hit]) -> list[Hit]:
    """Named diagnostic criteria (:data:`_CRITERIA`) no hit covers, as diagnostic procedures."""
    if "criteria" not in scan.lower(text)[start:end]:
        return []
    found: list[Hit] = []
    for m in _CRITERIA.finditer(text, start, end):
        before = text[start : m.start("name")].rstrip()
        if (not before or before[-1] in ".!?:") and not m.group("own"):
            continue
        if not claimed.overlaps(m.start(), m.end()):
            found.append(Hit(m.start(), m.end(), MentionKind.DIAGNOSTIC_PROCEDURE, ()))
    return found


_LEAD = r"(?:I{1,3}|[aA][vV][RLFrlf]|V[1-9]R?)"
#: Electrocardiogram leads a finding is read in ("ST elevation in leads V1–V3", "lead aVR",
#: "the precordial leads"): each names the recording, a diagnostic procedure.
_LEADS = re.compile(
    rf"\b(?:(?:precordial|limb|chest|inferior|anterior|lateral|septal)\s+leads\b|leads?\s+{_LEAD}"
    rf"(?:\s*(?:,|and|to|through|[-–])\s*{_LEAD})*(?![\w-]))"
)


def lead_hits(text: str, start: int, end: int, taken: SpanIndex[Hit]) -> list[Hit]:
    """Electrocardiogram leads no lexicon hit covers, as diagnostic procedures."""
    if "lead" not in scan.lower(text)[start:end]:
        return []
    return [Hit(m.start(), m.end(), MentionKind.DIAGNOSTIC_PROCEDURE, ())
            for m in _LEADS.finditer(text, start, end) if not taken.overlaps(m.start(), m.end())]


@cache
def _heads() -> tuple[scan.WordList, dict[str, MentionKind]]:
    """The head nouns of ``mappings/procedure_heads.tsv`` and ``mappings/disorder_heads.tsv``:
    one word list, and each form's kind."""
    forms = {term.lower(): tables.PROCEDURE_KINDS[row.kind]
             for row in tables.load_table("procedure_heads.tsv", tables.ProcedureRow)
             for term in row.terms}
    forms.update({term: tables.condition_kind(row.kind)
                  for row in tables.load_table("disorder_heads.tsv", tables.ConditionEndingRow)
                  for term in row.terms})
    return scan.WordList(forms), forms


#: Words that end a procedure name's modifiers when walking back from its head: determiners,
#: pronouns, prepositions, verbs and adverbs of the sentence, not parts of the name; and the
#: kinds of antibody given as drugs ("monoclonal antibody" is a treatment, not a test).
_NOT_MODIFIERS = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my",
     "your", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "with", "without",
     "by", "from", "as", "into", "onto", "after", "before", "during", "under", "over", "via",
     "than", "then", "also", "further", "was", "were", "is", "are", "be", "been", "being", "had",
     "has", "have", "having", "did", "does", "do", "underwent", "undergo", "undergoes", "underwent",
     "received", "receive", "receiving", "required", "requires", "require", "needed", "need",
     "performed", "perform", "started", "start", "began", "begin", "initiated", "continued",
     "given", "show", "showed", "shows", "reveal", "revealed", "reveals", "demonstrate",
     "demonstrated", "any", "no", "not", "some",
     "denied", "denies", "deny", "denying", "never", "lacked", "reported", "complained",
     "develop", "develops", "developed", "developing", "experienced", "experiencing",
     "all", "both", "each", "other", "another", "such", "which", "who", "whose", "what", "when",
     "where", "while", "patient", "patients", "whom", "it", "they", "he", "she", "we", "there",
     "here", "despite", "including", "included", "providing", "refused", "declined", "approved",
     "initial", "subsequent", "additional", "previous", "prior", "preceding", "concomitant",
     "current",
     "appropriate", "adequate", "inadequate", "better", "best", "optimal", "standard", "usual",
     "routine", "long", "short", "described", "above-described", "extensive", "thorough",
     "repeated", "repeat", "several", "multiple", "various", "new", "first", "second", "third",
     "same", "different", "successful", "unsuccessful", "precise", "possible",
     "potential", "effective", "ineffective", "monoclonal", "polyclonal", "confirmed", "confirming",
     "suggested", "suggesting", "indicated", "indicating", "excluded", "rare", "common",
     "uncommon", "underlying", "unknown", "stage", "grade", "class",
     # words of research and reporting ("this case study", "a retrospective study"): the
     # design of a study of patients, not an act done to this one
     "case", "retrospective", "prospective", "cohort", "randomized", "randomised",
     "observational", "pilot", "published", "literature", "statistical", "animal",
     "vitro", "vivo", "epidemiological", "epidemiologic", "experimental", "preclinical",
     "multicenter", "multicentre",
     # words of when, by what route or in what role care is given ("oral therapy", "empiric
     # therapy", "postoperative evaluation", "urgent intervention"), or that compare it
     # ("a similar operation"): circumstances of the act, not what it is done to
     "oral", "intravenous", "subcutaneous", "intramuscular", "topical", "empiric", "empirical",
     "maintenance", "postoperative", "post-operative", "preoperative", "pre-operative",
     "perioperative", "peri-operative", "urgent", "emergent", "emergency", "immediate", "early",
     "late", "delayed", "elective", "prompt", "similar", "identical",
     # places of living and institutions ("nursing home placement", "hospital management",
     # "school closure"): a word of place is no object of care
     "home", "hospital", "school", "nursing", "community", "office", "workplace",
     # services of a hospital ("the emergency department management"): who gives the care
     "department", "departments", "ward", "wards", "team", "teams", "clinic", "clinics",
     # verbs of what a finding gives and the finding itself ("this finding provided
     # diagnostic support"): a head after them tells of evidence, not of care
     "provided", "provides", "provide", "offered", "finding", "findings",
     # verbs of purpose or cause ("to prevent alveolar collapse", "causing renal failure"):
     # what the care is for, not a kind of the finding
     "prevent", "prevents", "prevented", "preventing", "avoid", "avoids", "avoided",
     "avoiding", "reduce", "reducing", "minimise", "minimize",
     "minimising", "minimizing", "cause", "causes", "causing", "treat", "treats", "treating",
     "correct", "corrects", "correcting", "manage", "managing", "control", "controlling",
     "limit", "limiting", "relieve", "relieving", "exclude", "excluding", "rule",
     # words of the world outside the body ("protocol deviation", "financial instability"):
     # a head noun after them names no finding
     "protocol", "procedural", "technical", "financial", "social", "socioeconomic",
     "economic", "political", "administrative", "legal", "marital", "housing",
     "educational",
     # verbs that start, stop or call for care ("stop treatment", "necessitating enzyme
     # replacement"): the sentence's verb, not a kind of the care
     "stop", "stopped", "stopping", "continue", "continuing", "starting", "beginning",
     "initiate", "initiating", "commence", "commenced", "commencing", "resume", "resumed",
     "resuming", "discontinue", "discontinued", "discontinuing", "withdraw", "withdrawn",
     "withheld", "requiring", "necessitating", "necessitated", "needing", "undergoing",
     "warranting", "warranted", "prompting", "prompted", "following", "awaiting", "planned",
     "planning", "scheduled", "considering", "considered", "recommending", "recommended",
     "refusing", "tolerated", "tolerating", "failed", "failing", "completing", "completed",
     "until", "unless", "because", "since", "although", "though", "whether", "if", "upon",
     "through", "throughout", "across", "against", "along", "among", "around", "toward",
     "towards", "within", "between", "beyond", "below", "above", "except", "like", "per",
     # linking verbs ("she remained disease-free", "he became ill"): the head after them is
     # the sentence's complement, and the verb no kind of it
     "remained", "remains", "remain", "remaining", "became", "become", "becomes", "seemed",
     "seems", "appeared", "appears", "stayed", "stays",
     # verbs of choosing, asking and obtaining ("the family requested palliative management",
     # "she chose surgical management"): the sentence's verb, whose object the care is
     "requested", "request", "requests", "chose", "choose", "chooses", "opted", "preferred",
     "accepted", "accepts", "agreed", "ordered", "orders", "advised", "proposed", "suggest",
     "suggests", "offer", "offers", "arranged", "obtained", "achieved", "attempted", "pursued",
     "pursue", "sought", "instituted", "administered", "applied", "tried",
     "refuses", "declines", "declining", "accepting", "choosing", "requesting",
     # conjunctions and sentence adverbs ("whereas serological tests were negative"): they
     # open a clause, no kind of the care after them
     "whereas", "however", "thus", "hence", "therefore", "meanwhile", "moreover", "furthermore",
     "again", "later", "once", "twice", "still", "yet", "even", "only", "just", "so",
     "spontaneous", "natural", "physiologic", "physiological"]
)
#: A word telling that the body did it by itself ("spontaneous closure", "natural
#: decompression", "physiological closure of the duct"): what follows is no act of care.
_BY_ITSELF = re.compile(r"\b(?:spontaneous(?:ly)?|natural(?:ly)?|physiologic(?:al)?)\s+$",
                        re.IGNORECASE)
#: A point in time counted in units, alone or joined to its count ("at the 3-month
#: evaluation", "the one-year follow-up assessment"): when a look was taken, no kind of it.
_TIME_UNIT = re.compile(r"(?:[\w]+-)?(?:day|week|month|year|hour)s?", re.IGNORECASE)
#: A noun of place or staff after a procedure's name (``places.PLACE_NOUNS``).
_PLACE_AFTER = re.compile(rf"\s+(?:{PLACE_NOUNS})\b", re.IGNORECASE)
#: Nouns a procedure's name modifies ("treatment plan", "surgery team"): with one after it the
#: head names no procedure.
_HEAD_OF = re.compile(
    rf"\s+(?:{PLACE_NOUNS}|plan|plans|option|options|protocol|"
    r"period|response|failure|group|strategy|history|outcome|outcomes|effect|effects|trial|course|"
    r"activity|progression|control|severity|burden|duration|criteria)\b",
    re.IGNORECASE,
)
#: What drains, rather than the draining of it: the fluid ("purulent drainage", "the drainage
#: was serous", "after the drainage subsided") or a vessel's outflow ("anomalous venous
#: drainage", "drainage of the hepatic vein into the right atrium").
_FLUID = (r"purulent|serous|serosanguin(?:e)?ous|sanguineous|bloody|haemorrhagic|hemorrhagic|"
          r"bilious|biliary|chylous|milky|turbid|mucoid|mucopurulent|foul-smelling|malodorous|"
          r"copious|persistent|venous|lymphatic|anomalous")
_FLUID_BEFORE = re.compile(rf"\b(?:{_FLUID})\s+(?:[a-z-]+\s+)?$", re.IGNORECASE)
_FLUID_AFTER = re.compile(
    rf"\s+(?:(?:was|were|is|are)\s+(?:{_FLUID})\b|(?:of\s+(?:the\s+)?(?:[\w-]+\s+){{1,3}})?into\b"
    r"|(?:had\s+|has\s+)?(?:subsided|decreased|diminished|ceased|stopped|lessened|persisted)\b"
    r"|from\s+the\s+(?:wound|ear|nipple|incision|sinus|fistula)\b)",
    re.IGNORECASE)


#: A determiner or possessive right before a word: a participle after one is an adjective.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|these|those|his|her|its|their)\s+$",
                                re.IGNORECASE)
#: A noun after a participle ("the resected specimen", "an implanted defibrillator"), not a
#: verb, adverb or preposition that would make the participle the act ("the tumour resected
#: en bloc" keeps it).
_NOUN_AFTER = re.compile(r"\s+(?!(?:was|were|is|are|by|in|on|at|with|from|to|for|and|or|en)\b)"
                         r"[a-z][\w-]*", re.IGNORECASE)


#: Nouns after a procedure's word that make it a state or an exposure, not an act done
#: ("radiation exposure", "hydration status", "vaccination status"), or one hoped for
#: ("the transplant waiting list", "surgical candidacy"), and the second half of
#: a compound that says it was never done ("transplant-eligible", "surgery-free",
#: "chemotherapy-naive") or that names a disease the care causes ("radiation-induced
#: fibrosis", "dialysis-related amyloidosis": the disorder's name, not an act told of).
_STATE_AFTER = re.compile(
    r"\s+(?:exposures?|status|(?:waiting\s+)?list|waitlist|candidacy|eligibility)\b"
    r"|-(?:eligible|ineligible|free|naive|naïve|induced|related|associated)\b", re.IGNORECASE)
#: "pathology" as a disease, not the examination: after a word that denies, quantifies or
#: places it ("no intracranial pathology", "underlying cardiac pathology").
_DISEASE_PATHOLOGY = re.compile(
    r"\b(?:no|any|underlying|other|structural|significant|obvious|acute|chronic|intracranial|"
    r"intra-abdominal|cardiac|pulmonary|vascular|neurological|ocular|spinal|renal|hepatic|"
    r"pelvic|abdominal|thoracic|cerebral|orbital|joint|bone|disc)\s+$", re.IGNORECASE)
#: A vessel before "dissection": the tear of its wall, a disease ("vertebral artery dissection").
_VESSEL_BEFORE = re.compile(
    r"\b(?:arter(?:y|ies|ial)|aort(?:a|ic)|carotid|vertebral|coronary|vessels?|iliac|"
    r"mesenteric|celiac|coeliac|femoral|subclavian|innominate|basilar|renal)\s+$",
    re.IGNORECASE)


def _names_a_state(text: str, start: int, end: int, limit: int) -> bool:
    """Whether the procedure words at ``text[start:end]`` name a state or a disease by the
    words around them (:data:`_STATE_AFTER`, :data:`_DISEASE_PATHOLOGY`, :data:`_VESSEL_BEFORE`)."""
    if _STATE_AFTER.match(text, end, limit):
        return True
    word = text[start:end].lower()
    pattern = _DISEASE_PATHOLOGY if word == "pathology" else \
        _VESSEL_BEFORE if word == "dissection" else None
    return pattern is not None and pattern.search(text, max(0, start - 24), start) is not None


#: Words that point back to tests or care told of before ("based on the above-mentioned
#: examinations", "these clinical and laboratory findings"), with at most three modifiers
#: between them and a hit (:func:`_points_back`): the hit is then the noun they point to,
#: and refers to what was done, no act of its own. "above" points back only after "the"
#: ("an above knee amputation" names a level, "the above tests" a reference).
_BACK_REFERENCE = re.compile(
    r"\b(?:these|those|above-mentioned|aforementioned|the\s+above)\s+((?:[\w-]+\s+){0,3})$",
    re.IGNORECASE)
#: A word that ends the noun phrase of a back reference before the hit: a plural noun that is
#: itself the noun pointed to ("these findings prompted colonoscopy") or a verb in the past.
_NOT_BACK_MODIFIER = re.compile(r"[\w-]*(?:[^su]s|ed)", re.IGNORECASE)


def _points_back(text: str, start: int) -> bool:
    """Whether a back-reference word (:data:`_BACK_REFERENCE`) points to the hit at
    ``start``: only modifiers stand between them, no other noun of its own ("these findings
    prompted colonoscopy") and no verb ("these were followed by colonoscopy")."""
    m = _BACK_REFERENCE.search(text, max(0, start - 50), start)
    if m is None:
        return False
    words = m.group(1).lower().split()
    return not any((w in _NOT_MODIFIERS and w not in {"and", "or"})
                   or _NOT_BACK_MODIFIER.fullmatch(w) for w in words)


#: A pain or discomfort word, then a few words of the same clause and the word that tells
#: the pain spreads or not ("chest pain without radiation", "epigastric discomfort with
#: radiation to the back", "the pain, sharp, with no radiation"), or the pain's word right
#: before "and" ("chest pain and radiation to the left arm"): "radiation" is then the
#: pain's spreading, a sign, not radiotherapy. Care in between ("pain treated with
#: radiation"), or a pain after it ("pain after radiation"), keeps the treatment.
_PAIN = (r"\b(?:pains?|aches?|aching|discomfort|tenderness|angina|colic|headaches?|cramps?|"
         r"cramping|tightness|pressure|burning|soreness)\b")
_PAIN_BEFORE = re.compile(
    rf"{_PAIN}(?:(?!\s(?:treat|manag|reliev|palliat|control|receiv|given|underw|after|"
    r"following|for)\w*)[^.;:!?]){0,60}?\b(?:with|without|no|nor|denied|denies|denying)\s+"
    rf"(?:any\s+)?$|{_PAIN},?\s+(?:and|or)\s+(?:its\s+)?$",
    re.IGNORECASE)
_RADIATION_WORDS = frozenset({"radiation", "irradiation"})


def _radiation_of_pain(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` is "radiation" told of a pain before it
    (:data:`_PAIN_BEFORE`)."""
    return text[start:end].lower() in _RADIATION_WORDS and \
        _PAIN_BEFORE.search(text, max(0, start - 100), start) is not None


#: "-guided" or "guided" after an imaging name ("CT-guided biopsy", "ultrasound guided
#: drainage"), or "guidance" after one that follows "under" ("under fluoroscopic guidance"
#: is read by the lexicon hit before "guidance"): the imaging is the means of another act
#: named with it, not a look of its own.
_GUIDES_AFTER = re.compile(r"(?:-|\s+)guided\b|\s+guidance\b", re.IGNORECASE)


def guides_another(text: str, start: int, end: int, limit: int) -> bool:
    """Whether the procedure words at ``text[start:end]`` name the imaging that guides
    another act (:data:`_GUIDES_AFTER`)."""
    return _GUIDES_AFTER.match(text, end, limit) is not None


def names_no_procedure(text: str, start: int, end: int, limit: int) -> bool:
    """Whether the procedure words at ``text[start:end]`` name no procedure: they modify a
    noun of place or staff after them (``places.PLACE_NOUNS``); they point back to what was
    told before (:func:`_points_back`: "these findings"); they name the imaging that guides
    another act (:func:`guides_another`: "CT-guided biopsy"); they tell how a pain spreads
    (:func:`_radiation_of_pain`: "pain without radiation"); they name a state or a
    disease by the words around them (:func:`_names_a_state`: "radiation exposure", "no
    intracranial pathology", "carotid artery dissection"); they are a past participle
    used as an adjective, after a determiner and before its noun ("the resected specimen",
    "an implanted defibrillator": a thing, not an act); or they are "drainage" told of the
    fluid or the flow that drains (``_FLUID``) rather than of a procedure draining it."""
    if _PLACE_AFTER.match(text, end, limit) or _names_a_state(text, start, end, limit) \
            or guides_another(text, start, end, limit) \
            or _points_back(text, start) or _radiation_of_pain(text, start, end):
        return True
    if text[end - 2 : end] == "ed" and " " not in text[start:end] \
            and _DETERMINER_BEFORE.search(text, max(0, start - 8), start) \
            and _NOUN_AFTER.match(text, end, limit):
        return True
    if not text[start:end].lower().endswith("drainage"):
        return False
    head = end - len("drainage")
    return bool(_FLUID_BEFORE.search(text, max(0, head - 40), head)
                or _FLUID_AFTER.match(text, end, limit))
#: A stage or TNM category before a head ("stage IV disease", "T3N1 disease") is the stage's,
#: not a modifier naming a disorder ("complex III deficiency" keeps its numeral).
_STAGE_WORD = re.compile(r"(?:y?[cpr])?t(?:[0-4]|is|x)[a-d]?(?:n[0-3x][a-c]?(?:m[01x])?)?")
_STAGE_BEFORE = re.compile(r"\b(?:stage|grade)\s+$", re.IGNORECASE)
_MODIFIER = re.compile(r"[A-Za-z][A-Za-z0-9'-]*$")


#: A hyphen and a word right after a head: the head is the first half of an adjective
#: ("disease-free survival", "failure-related death"), which names no disorder or procedure.
_COMPOUND_AFTER = re.compile(r"-[A-Za-z]")


def head_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Procedures and disorders named by a head noun after modifiers no lexicon matched
    ("salvage therapy", "cardiac evaluation", "mitochondrial disorder"): the modifiers are
    the one to three words before the head, up to a
    word of the sentence (``_NOT_MODIFIERS``), a result word, punctuation or a lexicon hit.
    A head right after another head's name goes on that name ("enzyme replacement therapy");
    a head used as a verb names nothing (:data:`_VERB_USE`), nor does one that begins a
    hyphenated adjective (:data:`_COMPOUND_AFTER`: "disease-free");
    a treatment's head after "as" names the role a treatment named before it served in, no
    act of its own ("continued apatinib as maintenance therapy")."""
    words, kinds = _heads()
    found: list[Hit] = []
    claimed = SpanIndex.over(taken)
    for head_start, head_end in words.spans(text, start, end):
        if claimed.overlaps(head_start, head_end) or _HEAD_OF.match(text, head_end, end) \
                or _VERB_USE.match(text, head_start, end) \
                or _COMPOUND_AFTER.match(text, head_end, end):
            continue
        kind = kinds[text[head_start:head_end].lower()]
        if found and text[found[-1].end : head_start] == " " and (
                (kind in _PROCEDURES and found[-1].kind in _PROCEDURES)
                or (kind is found[-1].kind is MentionKind.LAB_TEST
                    and not findings.FILLER.fullmatch(text, head_start, head_end))):
            # "bypass surgery", "pressure gradient" go on; not a word before a value ("titre")
            found[-1] = Hit(found[-1].start, head_end, kind, ())
            claimed.add(found[-1])
            continue
        first = _modifiers_start(text, start, head_start, claimed,
                                 _extent_words(text, head_start, head_end),
                                 timed=kind in _PROCEDURES)
        if kind in _PROCEDURES and _BY_ITSELF.search(text, max(start, first - 20), first):
            continue  # "spontaneous closure of the defect": the body's doing, no act of care
        if first < head_start and kind in CONDITION_KINDS:
            first = coordination.coordinated_sites_start(text, start, first, claimed)
        if first == head_start:
            first = _eponym_start(text, start, head_start, head_end)
        if first == head_start and kind is MentionKind.THERAPEUTIC_PROCEDURE:
            first = _treated_before(head_start, claimed)
        if first == head_start and _act_on_object(text, head_start, head_end, end):
            found.append(Hit(head_start, head_end, kind, ()))  # "replacement of the valve"
            claimed.add(found[-1])
            continue
        if first == head_start and _lesion_told(text, start, head_start, head_end, end):
            found.append(Hit(head_start, head_end, kind, ()))  # "an aneurysm of the aorta"
            claimed.add(found[-1])
            continue
        extent = _extent_start(text, start, head_start)
        if first == head_start and _evaluation_done(text, head_start, head_end, end) \
                and not _named_before(text, start, extent, claimed):
            found.append(Hit(extent, head_end, kind, ()))
            claimed.add(found[-1])  # "An extensive work-up revealed …": a look that was taken
            continue
        if first == head_start or (kind is MentionKind.LAB_TEST
                                   and in_dosage(text, first, claimed)):
            continue  # a bare head; or "a median cell count of 5.6 × 10^7/L" of cells given: a dose
        if _care_time(text, first, head_start, head_end):
            continue  # "the operation time was 290 minutes": how long care took, no test
        if text[head_start:head_end].lower() in _VALUED_HEADS:
            named = _valued_name(text, start, first, head_start, end)
            if named is not None:
                found.append(named)
                claimed.add(named)
            continue
        if kind is MentionKind.THERAPEUTIC_PROCEDURE \
                and (_AS_ROLE.search(text, max(start, first - 20), first)
                     or _DIAGNOSTIC_WORD.match(text, first, head_start)):
            continue
        found.append(Hit(first, head_end, kind, ()))
        claimed.add(found[-1])
    return found


#: Heads a person's name is written before in the possessive: a surgeon's ("Ladd's procedure",
#: "Kasai's operation", "Bentall's repair") or a physician's ("Kikuchi's disease", "Sweet's
#: syndrome") no lexicon knows.
_EPONYM_HEADS = frozenset({"procedure", "operation", "repair", "disease", "syndrome"})
#: A capitalised word in the possessive right before a head: the name of whom the act is named
#: after, unless it is a person told of ("Patient's operation", "Mother's procedure").
_EPONYM = re.compile(r"(?<![\w'\u2019-])([A-Z][a-z]{2,})['\u2019]s $")
#: Nouns of people, and days, a sentence may begin with in the possessive ("Patient's
#: operation", "Monday's procedure"): no name of an act.
_PEOPLE = frozenset({"patient", "patients", "surgeon", "surgeons", "doctor", "physician",
                     "author", "authors", "child", "infant", "baby", "woman", "man", "boy",
                     "girl", "today", "yesterday", "tomorrow", "monday", "tuesday",
                     "wednesday", "thursday", "friday", "saturday", "sunday"})


def _eponym_start(text: str, start: int, head_start: int, head_end: int) -> int:
    """Where an eponym in the possessive before a bare head begins ("Ladd's procedure",
    :data:`_EPONYM`), or ``head_start`` when there is none."""
    if text[head_start:head_end].lower() not in _EPONYM_HEADS:
        return head_start
    m = _EPONYM.search(text, max(start, head_start - 24), head_start)
    if m is None:
        return head_start
    owner = m.group(1).lower()
    return head_start if owner in _PEOPLE or owner in kin_words() else m.start()


#: Words of care whose time is how long the care took ("operative time", "anesthesia time").
_CARE_TIME_WORDS = re.compile(r"\b(?i:operation|operative|operating|surgical|surgery|procedure|"
                              r"procedural|an(?:a)?esthesia|an(?:a)?esthetic|fluoroscopy|"
                              r"fluoroscopic|console)\b")


def _care_time(text: str, first: int, head_start: int, head_end: int) -> bool:
    """Whether a "time" head names how long care took (:data:`_CARE_TIME_WORDS` among its
    modifiers), not a patient's measurement ("prothrombin time", "capillary refill time")."""
    return text[head_start:head_end].lower() == "time" \
        and _CARE_TIME_WORDS.search(text, first, head_start) is not None


#: Heads that name a measured amount only with its value: a level with no value stated is a
#: place or a degree ("at the T10 level", "an air-fluid level", "the highest level of care").
#: With one, the test is named by the words before the head ("copper level was low": copper),
#: as a test a lexicon knows is ("ferritin level").
_VALUED_HEADS = frozenset({"level", "levels", "concentration", "concentrations"})
#: What a value written after such a head may begin with: a number or a comparator.
_VALUE_START = re.compile(r"[<>≤≥]?\s*\d")
#: The specimen a level is measured in, written first ("serum copper level"): no part of the name.
_SPECIMEN_FIRST = re.compile(rf"(?i:{FLUIDS})\s+(?=\S)")


#: "of" and a word after a head of :data:`_VALUED_HEADS`: what is measured is named after it
#: ("low serum levels of zinc"; not "a leptin level of 40 ng/mL", its value).
_OF_AFTER = re.compile(r"\S+\s+(?i:of)\s+(?![<>≤≥]?\s*\d)")


def _valued_name(text: str, start: int, first: int, head_start: int, end: int) -> Hit | None:
    """The test named by the modifiers ``text[first:head_start]`` of a head of
    :data:`_VALUED_HEADS`, when a value is stated with them: a number or a result word after
    the head ("copper level was low", "leptin concentration of 40 ng/mL") or a result word
    before the name ("raised copper levels"). None for a place or a degree ("the T10 level")."""
    if _OF_AFTER.match(text, head_start, end):
        return None  # "low serum levels of zinc": the test is named after "of"
    if text[first - 1 : first] in ("'", "\u2019"):
        return None  # "osteocalcin's level" (either apostrophe): a possessive ending names nothing
    filler = findings.FILLER.match(text, head_start, end)
    at = filler.end() if filler else head_start
    if _VALUE_START.match(text, at, end) is None and values.parse_qualitative(text, at, end) \
            is None and values.qualitative_before(text, first, start) is None:
        return None
    name_end = first + len(text[first:head_start].rstrip())
    specimen = _SPECIMEN_FIRST.match(text, first, name_end)
    return Hit(specimen.end() if specimen else first, name_end, MentionKind.LAB_TEST, ())


#: Heads of a disorder's or finding's name that name a lesion or a sign by themselves, as
#: a bare noun names one surgical act (:data:`_ACT_HEADS`): "an aneurysm", "a fracture of the
#: femur", "vegetations on the valve". The heads of
#: a kind of illness ("disease", "failure", "deficiency", "symptoms") name none bare.
_LESION_HEADS = frozenset({
    "herniation", "herniations", "prolapse", "prolapses", "erosion", "erosions",
    "protrusion", "protrusions", "vegetation", "vegetations", "destruction",
    "hyperintensity", "hyperintensities", "hypodensity", "hypodensities", "hypoattenuation",
    "lucency", "lucencies", "laceration", "lacerations", "contusion", "contusions",
    "widening", "fracture", "fractures", "aneurysm", "aneurysms", "embolism", "embolisms",
    "embolus", "emboli", "engorgement", "induration", "exudate", "exudates", "hypoperfusion",
    "akinesis", "spasm", "spasms"})
#: A bare lesion head's article or count before it ("an aneurysm", "two fractures",
#: "multiple erosions"), or its site after it ("of the femur", "in the basal ganglia", "on
#: the mitral valve").
_LESION_BEFORE = re.compile(
    r"\b(?:an?|one|two|three|four|five|several|multiple|numerous|new|\d+)\s+$", re.IGNORECASE)
_LESION_SITE = re.compile(
    r"\s+(?:of|in|on|at|within|involving)\s+(?:the|a|an|his|her|their|both|its)?\s*[A-Za-z]",
    re.IGNORECASE)


def _lesion_told(text: str, start: int, head_start: int, head_end: int, end: int) -> bool:
    """Whether a bare head names a lesion (:data:`_LESION_HEADS`), told with an article or a
    count, or with its site (:data:`_LESION_BEFORE`, :data:`_LESION_SITE`)."""
    return text[head_start:head_end].lower() in _LESION_HEADS and (
        _LESION_BEFORE.search(text, max(start, head_start - 12), head_start) is not None
        or _LESION_SITE.match(text, head_end, end) is not None)


#: Heads that name one surgical act, whatever it is done to: written bare before "of" and
#: what it is done to ("replacement of the aortic valve", "closure of the defect") they name
#: that act. Heads of care in general ("treatment of the infection", "management of"),
#: and acts a body also does by itself ("dilatation of the duct", "reduction of the
#: swelling", "drainage of the vein"), are not among them, nor the putting in of a device
#: ("insertion of a drain", "placement of a stent": the device's name tells the act).
_ACT_HEADS = frozenset({
    "repair", "repairs", "closure", "decompression", "replacement",
    "implantation", "reconstruction", "ligation", "cannulation", "excision", "resection",
    "resections", "grafting", "removal", "extraction", "amputation", "fixation", "stenting",
    "embolization", "embolisation", "ablation", "debridement"})
#: "of" and a determiner or a word, the object of an act head.
_OF_OBJECT = re.compile(r"\s+of\s+(?:the|a|an|his|her|their|both|its)?\s*[A-Za-z]", re.IGNORECASE)


def _act_on_object(text: str, head_start: int, head_end: int, end: int) -> bool:
    """Whether a bare head names a surgical act on what follows it (:data:`_ACT_HEADS`)."""
    return text[head_start:head_end].lower() in _ACT_HEADS \
        and _OF_OBJECT.match(text, head_end, end) is not None


#: "of" and a determiner after an act's head, where the words of what it is done to begin.
_OF_LEAD = re.compile(r"\s+of\s+(?:(?:the|a|an|his|her|their|both|its)\s+)?", re.IGNORECASE)
#: One word of the name of what an act is done to, and the single space before it.
_OBJECT_WORD = re.compile(r" ?([A-Za-z][A-Za-z'-]*)(?![\w/])")
#: Words of an act's object at most ("closure of the atrial septal defect").
_OBJECT_WORDS = 4
#: A word of a clause after an act's object, not of its name ("replacement of the sinus
#: using a graft", "excision of the mass showing ...").
_CLAUSE_WORD = re.compile(r"[a-z]+ing", re.IGNORECASE)
#: An adjective ending its words before a list ("resection of the oesophageal and pulmonary
#: lesions", "grafting of obtuse marginal, posterior descending ... branches"): the noun it
#: modifies comes after the list, so the object is not named whole there.
_SHARED_ADJECTIVE = re.compile(r"[a-z-]+(?:al|ar|ary|ic|ous|ive|ior)$", re.IGNORECASE)
_LIST_AFTER = re.compile(r"\s*(?:,|\band\b|\bor\b)", re.IGNORECASE)


#: A word after which an object's name goes on: another word of it, not punctuation.
_NEXT_WORD = re.compile(r" [A-Za-z]")


def _verb_after_object(text: str, word: re.Match[str], limit: int) -> bool:
    """Whether the word ``word`` matched after an object's first word is a verb in the past
    that ends the phrase ("closure of the defect occurred"): an "-ed" word with no word of
    the name after it; one before a noun is an adjective of it ("the affected segment")."""
    return word.group(1).lower().endswith("ed") \
        and _NEXT_WORD.match(text, word.end(), limit) is None


def act_phrase_end(text: str, start: int, end: int, limit: int) -> int:
    """Where the name of a surgical act at ``text[start:end]`` ends with what it is done to:
    an act's head (:data:`_ACT_HEADS`) written before "of" and up to four words naming its
    object ("replacement of the aortic valve", "resection of the mass"), which end at
    punctuation, a number, an adverb, a word in "-ing" or a word of the sentence
    (``_NOT_MODIFIERS``: "with", "and", "was"); ``end`` for any other name, when no such word
    follows, or when they end in an adjective a list goes on from (:data:`_SHARED_ADJECTIVE`)."""
    if text[start:end].rsplit(" ", 1)[-1].lower() not in _ACT_HEADS:
        return end
    lead = _OF_LEAD.match(text, end, limit)
    if lead is None:
        return end
    stop, pos = end, lead.end()
    for count in range(_OBJECT_WORDS):
        m = _OBJECT_WORD.match(text, pos, limit)
        if m is None or (count == 0) != (m.start() == m.start(1)):
            break
        word = m.group(1).lower()
        if word in _NOT_MODIFIERS or word.endswith("ly") or _CLAUSE_WORD.fullmatch(word) \
                or (count > 0 and _verb_after_object(text, m, limit)):
            break
        stop = pos = m.end()
    if _SHARED_ADJECTIVE.search(text, end, stop) and _LIST_AFTER.match(text, stop, limit):
        return end
    return stop


#: A head that is also a verb, used as one: its object follows ("these findings support the
#: diagnosis", "the kidney functions normally"). A noun head is not followed by a determiner.
_VERB_USE = re.compile(
    r"(?i:supports?|functions?|stud(?:y|ies)|tests?|screens?|stains?|scans?|repairs?)\s+"
    r"(?:(?i:the|a|an|this|these|those|its|his|her|their|our|both|each)|(?i:normally|well|poorly)\b)\b")
#: The kinds of procedure: a head after another's name goes on it; a lab test's head ("stool
#: antigen") before "test" stays the lab test's name.
_PROCEDURES = frozenset({MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.THERAPEUTIC_PROCEDURE})
#: "diagnostic" before a treatment's head ("providing diagnostic support for the disease"):
#: support of a diagnosis by evidence, not care given to the patient.
_DIAGNOSTIC_WORD = re.compile(r"diagnostic\b", re.IGNORECASE)
#: "as" before a treatment's modifiers, not in "such as" or "as well as" (which list examples).
_AS_ROLE = re.compile(r"(?<!such )(?<!well )\bas\s+(?:(?:an?|the)\s+)?$", re.IGNORECASE)


def _treated_before(head_start: int, claimed: SpanIndex[Hit]) -> int:
    """Where a disorder or a class of drugs that ends one space before a treatment's head
    begins ("heart failure therapy", "hernia repair", "vasopressor support"): the treatment
    of the disorder or by drugs of the class, whose name is kept as its own mention too; else
    ``head_start``. One drug before the head ("prednisone therapy") is that drug given, the
    medication, not a procedure of its own."""
    before = [h for h in claimed.ending_in(head_start - 1, head_start)
              if h.end == head_start - 1 and (h.kind in CONDITION_KINDS or _drug_class(h))]
    return min((h.start for h in before), default=head_start)


def _drug_class(hit: Hit) -> bool:
    """Whether a medication hit names a class of drugs (``medications.tsv`` keys ``*_class``)."""
    return class_concepts(hit, ("_class",))


#: Heads of a look at the patient in general: with only words of extent before them ("a full
#: evaluation", "a complete work-up") they name how thoroughly, not what was looked at.
_EVALUATION_HEADS = frozenset({"evaluation", "evaluations", "assessment", "assessments",
                               "workup", "work-up", "workups", "work-ups", "reassessment",
                               "re-evaluation", "reevaluation"})
#: Adjectives of extent or care, no kind of procedure ("full", "comprehensive", "detailed").
_EXTENT_WORDS = frozenset({
    "full", "complete", "comprehensive", "detailed", "careful", "thorough", "extensive",
    "exhaustive", "meticulous", "systematic", "in-depth", "brief", "quick", "rapid", "close",
    "closer", "general", "overall", "broad", "total", "whole", "proper",
    "urgent", "emergent", "prompt", "immediate"})


def _extent_words(text: str, head_start: int, head_end: int) -> frozenset[str]:
    """The words that end an evaluation head's modifiers (:data:`_EXTENT_WORDS`), none for
    other heads ("complete resection" names the resection's kind)."""
    if text[head_start:head_end].lower() in _EVALUATION_HEADS:
        return _EXTENT_WORDS
    return frozenset()


#: What an evaluation that was done is told with right after its head: it was performed or
#: found something ("A thorough work-up was performed", "An initial assessment revealed …").
_TOLD_DONE = re.compile(
    r"\s+(?:(?:was|were)\s+(?:performed|done|carried\s+out|conducted|undertaken|completed|"
    r"unremarkable|negative|normal)|revealed|showed|demonstrated|disclosed|confirmed|found|"
    r"identified|detected|was\s+(?:significant|notable|positive))\b", re.IGNORECASE)
#: The extent words right before an evaluation's head, one to two ("a full, careful").
_EXTENT_LEAD = "|".join(sorted(_EXTENT_WORDS | {"initial", "further", "repeat", "repeated"}))
_EXTENT_BEFORE = re.compile(rf"(?:\b(?:{_EXTENT_LEAD})\s+){{1,2}}$", re.IGNORECASE)


def _evaluation_done(text: str, head_start: int, head_end: int, end: int) -> bool:
    """Whether an evaluation's head with no kind before it (only words of extent, or none) is
    told as done, by a verb of performing or finding right after it: the look at the patient
    the report then gives results of, a diagnostic procedure; "for a full evaluation" (a
    purpose) or "a thorough evaluation of the options" names none."""
    return text[head_start:head_end].lower() in _EVALUATION_HEADS \
        and _TOLD_DONE.match(text, head_end, end) is not None


#: "for" and a determiner, perhaps a word, before an evaluation: the purpose of another act
#: ("a scan for the preoperative evaluation showed …": the scan showed it).
_FOR_PURPOSE = re.compile(r"\bfor\s+(?:(?:the|a|an|his|her|their|its)\s+)?(?:[\w-]+\s+)?$",
                          re.IGNORECASE)


def _named_before(text: str, start: int, at: int, claimed: SpanIndex[Hit]) -> bool:
    """Whether a name a hit covers ends right before ``at`` ("laboratory evaluation"): the
    evaluation is of what it names, told by that hit, not a look at the patient in general;
    or an evaluation follows "for", the purpose of an act named before it."""
    return (at > start + 1 and text[at - 1] == " " and claimed.overlaps(at - 2, at - 1)) \
        or _FOR_PURPOSE.search(text, max(start, at - 40), at) is not None


def _extent_start(text: str, start: int, head_start: int) -> int:
    """Where the words of extent before an evaluation's head begin (``head_start`` if none)."""
    m = _EXTENT_BEFORE.search(text, max(start, head_start - 40), head_start)
    return m.start() if m else head_start


def _modifiers_start(text: str, start: int, head_start: int, claimed: SpanIndex[Hit],
                     stop: frozenset[str] = frozenset(), *, timed: bool = False) -> int:
    """Where the one to three modifiers before the head at ``head_start`` begin (``head_start``
    when there are none): walking back, a word of the sentence (``_NOT_MODIFIERS``) or of
    ``stop``, a result word, an adverb, a stage, punctuation or a word ``claimed`` covers ends
    them; and, when ``timed`` (a procedure's head), a unit of time (:data:`_TIME_UNIT`)."""
    first = head_start
    for _ in range(3):
        gap = first - 1
        if gap <= start or text[gap] != " ":
            break
        m = _MODIFIER.search(text, max(start, gap - 30), gap)
        if m is None or (m.start() > start and (text[m.start() - 1].isalnum()
                                                 or text[m.start() - 1] == "\u2019")):
            break  # inside a word, or the "s" of a possessive written with a curly apostrophe
        word = m.group().lower()
        if word in _NOT_MODIFIERS or word in stop or "'" in word \
                or word in values.QUALITATIVE_WORDS or (timed and _TIME_UNIT.fullmatch(word)) \
                or word.endswith("ly") or claimed.overlaps(m.start(), gap) \
                or _STAGE_WORD.fullmatch(word) \
                or _STAGE_BEFORE.search(text, max(start, m.start() - 7), m.start()):
            break
        first = m.start()
    return first


#: What may stand between a test's name and a head noun after it: a space, or its short form
#: in parentheses ("polymerase chain reaction (PCR) testing").
_NAME_TO_HEAD = re.compile(r" (?:\([A-Za-z][A-Za-z0-9-]{0,9}\) )?")


#: A noun of place or staff (``places.PLACE_NOUNS``) as a word of its own.
_PLACE_WORD = re.compile(rf"(?:{PLACE_NOUNS})", re.IGNORECASE)


def heads_of_named(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` with a procedure's head noun (``procedure_heads.tsv``: "testing",
    "examination") matched on its own right after the name of a procedure it heads made part
    of that name ("an echocardiographic examination"), or, after the name's short form in
    parentheses, left out ("polymerase chain reaction (PCR) testing"): the name tells the
    procedure, not a second one; nor is a noun of place matched as a procedure after one
    ("the catheterization laboratory": where it is done)."""
    _, kinds = _heads()
    out: list[Hit] = []
    for hit in hits:
        word = text[hit.start : hit.end]
        if hit.kind in _PROCEDURES and (word.lower() in kinds or _PLACE_WORD.fullmatch(word)):
            named = next((h for h in reversed(out) if h.kind in _PROCEDURES
                          and _NAME_TO_HEAD.fullmatch(text, h.end, hit.start)), None)
            if named is not None and text[named.end : hit.start] == " " \
                    and not _PLACE_WORD.fullmatch(word):
                out[out.index(named)] = Hit(named.start, hit.end, named.kind, named.concepts)
                continue
            if named is not None:
                continue
        out.append(hit)
    return out


#: A short form in parentheses ("(EPS)"): the engine skips to each "(".
_DEFINED_SHORT = re.compile(r"\(\s*([A-Z][A-Za-z0-9-]{1,9})\s*\)")


def redefined_short_forms(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` less the procedure hits of a short form the report defines as something
    else ("extrapyramidal symptoms (EPS)", "octreotide (OCT)"): where a hit of another kind
    (a finding, a drug, a test) ends right before the parenthesis and its words may be
    abbreviated so (:func:`abbreviations.abbreviates`), the short form means what the report
    says, not the procedure a lexicon lists under the same letters."""
    taken: SpanIndex[Hit] | None = None  # made at the first short form of two capitals
    other: set[str] = set()
    for m in _DEFINED_SHORT.finditer(text):
        short, end = m.group(1), m.start()
        if sum(ch.isupper() for ch in short) < 2:
            continue
        while end > 0 and text[end - 1].isspace():
            end -= 1
        taken = SpanIndex(hits) if taken is None else taken
        before = [h for h in taken.ending_in(end, end) if h.end == end]
        if before and all(h.kind not in _PROCEDURES for h in before) \
                and any(abbreviates(short, text[h.start : h.end]) for h in before):
            other.add(short)
    if not other:
        return hits
    return [h for h in hits if not (h.kind in _PROCEDURES and text[h.start : h.end] in other)]


def marker_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Marker tokens with a stated result in ``text[start:end]`` that no lexicon hit covers."""
    found: dict[int, Hit] = {}
    low = scan.lower(text)
    words = scan.mentions_any(text, start, end, _RESULT_WORDS)
    if not words and not _RESULT_SIGN.search(low, start, end):  # every pattern below needs one
        return []
    for m in _AFTER.finditer(text, start, end):
        found[m.start(1)] = Hit(m.start(1), m.end(1), MentionKind.LAB_TEST, ())
    if not words:
        return _uncovered(text, found, taken)
    for m in _NAMED_RESULT.finditer(text, start, end):
        found.setdefault(m.start(1), Hit(m.start(1), m.end(1), MentionKind.LAB_TEST, ()))
    for m in (*_LIST.finditer(text, start, end), *_LIST_BEFORE.finditer(text, start, end)):
        for item in _ITEM.finditer(text, m.start(1), m.end(1)):
            found.setdefault(item.start(), Hit(item.start(), item.end(), MentionKind.LAB_TEST, ()))
    return _uncovered(text, found, taken)


def _uncovered(text: str, found: dict[int, Hit], taken: Iterable[Hit]) -> list[Hit]:
    """The hits of ``found`` no hit of ``taken`` covers, of two letters or more and no
    section of the note ("ROS was negative")."""
    claimed = SpanIndex.over(taken)
    return [h for h in found.values()
            if h.end - h.start >= 2 and not claimed.overlaps(h.start, h.end)
            and text[h.start : h.end] not in NOTE_SECTIONS]


#: Words after a capitalised word that make the two no genus and species: a verb, a linking
#: word or an adverb ("Cultures were", "Results strongly").
NOT_SPECIES = (
    r"were|was|is|are|and|or|but|the|with|from|after|before|for|that|which|in|on|at|as|by|of|"
    r"over|during|tested|remained|became|been|being|came|turned|proved|also|still|both|"
    r"his|her|hers|its|their|them|this|these|those|then|than|when|where|while"
)
#: An organism's scientific name, its genus written out or as an initial ("Haemophilus
#: influenzae", "S. aureus"), or another capitalised two-word name ("Estrogen receptor").
SCIENTIFIC_NAME = (
    rf"(?:[A-Z][a-z]{{2,}}|[A-Z]\.)\s?(?!(?:{NOT_SPECIES})\b)(?![a-z]+ly\b)[a-z]{{4,}}\b"
)
#: Such a name, then its result ("Helicobacter pylori positive", "Estrogen receptor negative");
#: not a list the result heads ("… negative for CD3").
_NAMED_RESULT = re.compile(
    rf"(?<![\w-])({SCIENTIFIC_NAME})\s*[-–]?\s*(?:positive|negative)\b(?!\s+(?:for|of)\b)")


#: What a marker's result looks like (lower case): a word, or a sign before a space or ")".
_RESULT_WORDS = ("positiv", "negativ", "stain")
_RESULT_SIGN = re.compile(r"[+\-−](?:\s*\)|(?=[\s,.;)]))")


_TREATMENTS = (MentionKind.MEDICATION, MentionKind.THERAPEUTIC_PROCEDURE)


_CLAUSE_END = re.compile(r"[.;]\s")


def in_dosage(text: str, start: int, taken: SpanIndex[Hit]) -> bool:
    """Whether ``start`` lies in the clause after a treatment, where its dose is written."""
    before = list(taken.ending_in(start - 120, start))
    if not before:
        return False
    last = max(before, key=lambda t: t.end)
    return last.kind in _TREATMENTS and not _CLAUSE_END.search(text, last.end, start)


#: International nonproprietary name stems that only drugs end in (the one table of them).
_STEMS = tuple(stem for stem, _ in INN_STEMS)
_DRUG_STEM = scan.Anchored(
    re.compile(rf"(?:{'|'.join(_STEMS)}|cefa\w*|cef\w*)s?(?![\w-])"), (*_STEMS, "cef"))
_WORD_BEFORE = re.compile(r"[A-Za-z][A-Za-z]*$")


def drug_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Drugs no dictionary lists, by the stem of their name ("apatinib", "ramucirumab")."""
    low = scan.lower(text)
    found: list[Hit] = []
    claimed = SpanIndex.over(taken)
    for m in _DRUG_STEM.finditer(low, start, end):
        head = _WORD_BEFORE.search(text, max(start, m.start() - 20), m.start())
        first = head.start() if head else m.start()
        if m.end() - first < 7 or (first > start and text[first - 1].isalnum()):
            continue
        if not claimed.overlaps(first, m.end()):
            found.append(Hit(first, m.end(), MentionKind.MEDICATION, ()))
            claimed.add(found[-1])
    return found
