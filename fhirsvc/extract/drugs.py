"""Drug names the lexicon finds that name no drug given to the patient.

A drug dictionary matches a drug's name wherever it is written, but case reports often
write that name as part of something else:

- a test or what a test measures: "anti-phospholipid IgG", "soluble interleukin-2
  receptor", "interferon-γ release assay", "collagen/epinephrine closure time";
- a word of an eponym, "Ivor-Lewis esophagectomy": a hyphen joins it to another name.

Each such hit is dropped before mentions are made (:func:`not_given`), so it yields no
MedicationAdministration (https://hl7.org/fhir/R4/medicationadministration.html: "the
event of a patient consuming or otherwise being administered a medication").

A drug class against a substance ("anti-estrogen therapy") keeps its words but not the
substance's codes. A brand or short form in parentheses right after a name of the same
drug ("capecitabine (Xeloda; Roche)", "granulocyte colony-stimulating factor (G-CSF)")
takes that name's concepts, so both wordings become one administration.

A substance the lexicon knows as what a test measures is a drug when the words before it
give it ("received albumin", "treated with potassium"): a MedicationAdministration
without the test's codes.

A blood component given ("received platelets", "two units of red cells were transfused")
is a transfusion, whatever the wording: a therapeutic procedure, never a drug
(:func:`blood_component_given`, asked once a mention's result is known, so that "platelets
of 20 × 10^9/L" stays a count). One event gives one resource type, and the type is the
one the development corpus's annotators chose (the products transfused are therapeutic
procedures, as the transfusion is) and the one FHIR implementers use for a transfusion
(a Procedure coded with a SNOMED CT transfusion procedure; the component is what the
procedure used; uncoded, so that each component stays a resource of its own). The words
of a product ("irradiated platelets") and the verb after it ("platelets were transfused") are no
procedure of their own (:func:`product_word`); a component no lexicon names ("two units of
red cells", "plasma") is found by its name where words give it (:func:`component_hits`).

Anaesthesia and sedation ("under general anaesthesia", "conscious sedation") are the
anaesthetic or sedative drugs given (rows of ``mappings/medications.tsv``), as the
development corpus's annotators read them: a MedicationAdministration, not a Procedure.

Every drug of an allergy list ("allergic to penicillin, aspirin and codeine", "Drug
allergies: penicillin, codeine") is an allergy status (:func:`drug_allergies`), none an
administration.

A regimen no table lists is named by its shape: an acronym of capitals before
"regimen" or "chemotherapy" ("the MAP regimen", "TPF chemotherapy").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from fhirsvc.extract import scan
from fhirsvc.extract.body_sites import site_names
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.extract.specimens import FLUIDS
from fhirsvc.memo import remembered
from fhirsvc.model import MentionKind, Span
from fhirsvc.terminology.lexicon import Hit

#: What a test names after a substance it measures, reacts to, images or stains with
#: ("dexamethasone suppression test", "ceftaroline Etest", "octreotide (OCT) scintigraphy",
#: "indocyanine green angiography"), and a deficiency of the substance.
_TEST_AFTER = re.compile(
    r"[\s-]*(?:\([^()]{1,30}\)\s*)?"
    r"(?:receptors?|release\s+assays?|release\s+tests?|assays?|closure\s+times?|"
    r"screens?\b|screening|panels?\b|"
    r"antibod(?:y|ies)|autoantibod(?:y|ies)|Ig[GMAE]\b|titers?|titres?|"
    r"(?:skin|patch|challenge|provocation)\s+tests?|"
    r"(?:suppression|stimulation|stress)\b|E-?tests?\b|dis[ck]s?\b|"
    r"scintigraph\w*|scans?\b|angiogra\w*|imaging\b|stain(?:s|ed|ing)?\b|fluorescen\w*|"
    r"deficien\w+)",
    re.IGNORECASE,
)
#: A drug's name that qualifies another thing by a hyphen: what an organism resists or
#: yields to ("rifampicin-susceptible M. tuberculosis"), or what a device carries
#: ("paclitaxel-coated balloon", "drug-eluting stent"): no drug given to the patient.
_QUALIFIES_AFTER = re.compile(
    r"[-\u2010](?:susceptible|resistant|sensitive|eluting|coated|impregnated)\b",
    re.IGNORECASE)
#: A word for drugs in general, where it names their use or harm rather than drugs given:
#: "illicit drugs", "drug abuse", "drug-induced lupus", "a drug rash".
_GENERIC_DRUG = re.compile(r"drugs?", re.IGNORECASE)
_DRUG_HARM_BEFORE = re.compile(r"\b(?:illicit|recreational|street|illegal|intravenous|IV|"
                               r"injection|injected|abused?)\s+$", re.IGNORECASE)
_DRUG_HARM_AFTER = re.compile(
    r"[\s-]+(?:abuse|misuse|use|users?|addict\w*|dependen\w+|induced|related|associated|"
    r"reactions?|rash|eruptions?|fever|interactions?|toxicity|intoxication|overdose|"
    r"history|seeking|screen\w*|levels?|hypersensitivity)\b", re.IGNORECASE)
#: "anti-phospholipid", "anti-insulin": an antibody against the substance, not the substance.
_ANTI_BEFORE = re.compile(r"\banti[\s-]?$", re.IGNORECASE)
#: What follows a drug class named against a substance ("anti-estrogen therapy").
_CLASS_AFTER = re.compile(r"\s+(?:therapy|treatment|drugs?|agents?|medications?)\b",
                          re.IGNORECASE)
#: A name joined by a hyphen to a capitalised name ("Ivor-Lewis"): an eponym's part.
_EPONYM_AFTER = re.compile(r"[-–][A-Z][a-z]")
#: The opening of a parenthesis right after a name, with what may sit between.
_OPENS = re.compile(r"\s*\(\s*$")
#: A regimen's acronym: three or more characters, two capitals at least ("R-CHOP", "CyBorD").
_ACRONYM = r"[A-Z](?=[A-Za-z0-9-]*[A-Z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
_REGIMEN = re.compile(rf"\b({_ACRONYM})\s+regimens?\b")
_ACRONYM_BEFORE = re.compile(rf"(?<![\w-])({_ACRONYM})\s+$")


#: Short forms of dosing times, not regimens ("a BID regimen").
_DOSING = frozenset({"BID", "TID", "QID", "QD", "QOD", "QHS", "PRN", "OD", "BD", "TDS", "QDS"})


def _is_regimen(acronym: str) -> bool:
    return len(acronym) >= 3 and acronym.upper() not in _DOSING


def regimen_hits(text: str, start: int, end: int, taken: Iterable[Hit]) -> list[Hit]:
    """Regimens named by an acronym before "regimen" ("the MAP regimen"; a "protocol" may
    be a care pathway's: "the ICU protocol")."""
    if text.find("regimen", start, end) < 0:
        return []  # the word every match holds (the pattern is case-sensitive): most lines
    found = [Hit(m.start(), m.end(), MentionKind.MEDICATION, ())
             for m in _REGIMEN.finditer(text, start, end) if _is_regimen(m.group(1))]
    if not found:
        return []
    claimed = SpanIndex.over(taken)
    return [h for h in found if not claimed.overlaps(h.start, h.end)]


def _with_acronym(text: str, hit: Hit, before: Hit | None) -> Hit:
    """"TPF chemotherapy": the regimen's acronym belongs to the chemotherapy's name, unless
    another kind of hit holds it ("AML chemotherapy": the disease treated)."""
    m = _ACRONYM_BEFORE.search(text, max(0, hit.start - 16), hit.start)
    chemotherapy = text[hit.start : hit.end].lower().startswith("chemo")
    if m is None or not _is_regimen(m.group(1)) or not chemotherapy or (
            before is not None and before.end > m.start(1)
            and before.kind is not MentionKind.MEDICATION):
        return hit
    return Hit(m.start(1), hit.end, hit.kind, hit.concepts)


#: Words that give what follows them.
_GIVING = (r"(?:treated|managed|supplemented|replaced)\s+with|received|receiving|"
           r"(?:started|commenced|initiated|put|placed|maintained|kept)\s+on|"
           r"(?:treatment|therapy)\s+with|"
           r"(?:was|were|is|are|been|being|be|then|and|also)\s+given|administered|"
           r"administration\s+of|infusions?\s+of|infused|transfusions?\s+of|"
           r"supplementation\s+with|replacement\s+with")
#: Giving words, then the words a product's name may begin with.
_GIVEN_BEFORE = re.compile(
    rf"\b(?:{_GIVING})\s+"
    r"(?:(?:\d+(?:\.\d+)?\s*%|intravenous|IV|oral|human|additional|supplemental)\s+)*$",
    re.IGNORECASE,
)
#: Blood components a patient is given; the same words name the counts a laboratory reports.
_BLOOD_COMPONENT = re.compile(
    r"(?:platelets?|platelet concentrates?|red (?:blood )?cells|erythrocytes|plasma|"
    r"cryoprecipitate|whole blood|granulocytes)", re.IGNORECASE)
#: What a product is before the component's name ("irradiated platelets"): no procedure of
#: its own (an irradiated product is no radiotherapy of the patient).
_PRODUCT_WORD = re.compile(
    r"(?:irradiated|leuko(?:cyte-)?(?:reduced|depleted)|washed|pooled|apheresis|"
    r"single-donor|random-donor|CMV-negative)$", re.IGNORECASE)
_COMPONENT_AFTER = re.compile(
    rf"[\s,]+(?:(?:and\s+)?[\w-]+[\s,]+){{0,2}}{_BLOOD_COMPONENT.pattern}\b", re.IGNORECASE)
#: A component, then the verb that gives it: "platelets were transfused" is one transfusion.
_COMPONENT_THEN_VERB = re.compile(
    rf"\b{_BLOOD_COMPONENT.pattern}\s+(?:was|were)\s+(?:\w+\s+)?$", re.IGNORECASE)
#: Words before a component that give it, a few words apart: "received two units of
#: irradiated platelets", "transfused with plasma".
_COMPONENT_GIVEN_BEFORE = re.compile(
    rf"\b(?:{_GIVING}|given|gave|transfused(?:\s+with)?|units?\s+of|bags?\s+of|packs?\s+of)"
    r"\s+(?:[\w-]+\s+){0,4}$", re.IGNORECASE)
#: Words after a substance or a component that give it: "potassium was replaced",
#: "platelets were transfused".
_GIVEN_AFTER = re.compile(
    r"\s+(?:was|were)\s+(?:\w+\s+)?(?:transfused|given|administered|infused|supplemented|"
    r"replaced|replenished|prescribed|started|initiated|commenced|begun|resumed|"
    r"discontinued|stopped|withdrawn|tapered)\b"
    r"|\s+(?:injections?|therapy|treatment|replacement|supplementation)\b", re.IGNORECASE)
#: A test's own words after the substance ("received albumin levels" is no giving), a
#: procedure's ("given platelet transfusions": the transfusion is the treatment), or a
#: value or result ("treated with ferritin above 1,000 ng/mL in mind" is no giving).
_VALUE = r"\s*(?:[<>≤≥=]|\d)|\s+(?:counts?|levels?|concentrations?|values?)\b"
_MEASURED_AFTER = re.compile(
    rf"{_VALUE}|\s+(?:transfusions?|infusions?|of|was|were|is|are|above|below|over|under|"
    r"elevation|increase|decrease|rise|fall|rose|fell|increased|decreased|improved|"
    r"normali[sz]ed|declined|dropped|remained|returned|peaked|worsened)\b", re.IGNORECASE)
#: "albumin infusion", "magnesium infusions": the substance is what was infused (a blood
#: component's "platelet transfusions" is the transfusion's, asked before).
_INFUSED_AFTER = re.compile(r"\s+infusions?\b", re.IGNORECASE)
_MEASURED_END = re.compile(r"\b(?:counts?|levels?|concentrations?|values?)$", re.IGNORECASE)
#: The specimen a test's name begins with ("serum magnesium").
_SPECIMEN = re.compile(rf"(?:{FLUIDS}|CSF)\b", re.IGNORECASE)
#: A value or a measure's word right after a substance: it was measured.
_VALUE_AFTER = re.compile(_VALUE, re.IGNORECASE)
#: A route right before a substance gives it ("intravenous potassium", "oral calcium"),
#: unless a test's words follow ("oral glucose tolerance test").
_ROUTE_BEFORE = re.compile(
    r"\b(?:intravenous|IV|i\.v\.|oral|enteral|parenteral|subcutaneous|intramuscular|"
    r"recombinant|exogenous)\s+$",
    re.IGNORECASE)
_TESTED_AFTER = re.compile(
    r"\s+(?:tolerance|challenge|load|loading|tests?|clamp|absorption|excretion|clearance|"
    r"loss|wasting|deficiency)\b", re.IGNORECASE)


def _words_after(words: str) -> re.Pattern[str]:
    return re.compile(rf"[\s-]*(?:{words})\b", re.IGNORECASE)


def _words_before(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words})\s+(?:to|of)\s+(?:\w+\s+){{0,2}}$", re.IGNORECASE)


#: What the patient is allergic to (an allergy status, :func:`drug_allergies`) or does not
#: tolerate (no allergy) is no drug given ("a known penicillin allergy", "allergic to
#: sulfonamides", "statin intolerance").
_ALLERGIC_AFTER = _words_after(r"allerg\w*|hypersensitivity")
#: A word of a list item: not one that begins a new clause ("allergic to penicillin and
#: was given cefazolin", "allergic to penicillin, so vancomycin was used").
_LIST_WORD = (r"(?!(?:was|were|is|are|has|had|have|he|she|they|it|we|his|her|given|received|"
              r"treated|started|but|so|then|which|who|that|however|therefore|instead)\b)[\w-]+")
#: What parts a list's items: "penicillin, aspirin and codeine", "contrast and to penicillin".
_LIST_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)(?:to\s+)?"
#: An allergy's trigger and the list of what the patient is allergic to up to a drug,
#: each item a few words: "allergic to penicillin, aspirin and ", "Drug allergies: ",
#: "a hypersensitivity reaction to ".
_ALLERGIC_BEFORE = re.compile(
    r"\b(?:allergic|allergy|allergies|hypersensitivity|hypersensitive)(?:\s+reactions?)?"
    r"(?:\s*:\s*|\s+(?:to|of)\s+)"
    rf"(?P<list>(?:{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}{_LIST_SEP})*)(?:{_LIST_WORD}\s+){{0,2}}$",
    re.IGNORECASE)
_INTOLERANT_AFTER = _words_after(r"intolerance")
_INTOLERANT_BEFORE = _words_before(r"intolerant|intolerance")


#: What a drug class is given as: "anti-TNF therapy", "lipid-lowering drugs".
_CLASS_HEAD = (r"(?:therap(?:y|ies)|treatments?|drugs?|agents?|medications?|medicines?|"
               r"regimens?|injections?|infusions?|prophylaxis)")
#: The start of a word "anti-" makes a drug class of, not an antibody or antigen
#: ("anti-dsDNA antibodies", "antigen") nor a conduction ("antidromic").
_ANTI = r"anti[- ]?(?!bod|gen|dromic|diuretic\s+hormone)"
#: A class named by what its drugs act against or lower, or by their action, then a head:
#: "anti-tuberculosis treatment", "anti-VEGF injections", "urate-lowering therapy",
#: "hypoglycemic agents", "chelation therapy", "hepatoprotective drugs", "inotropic agents",
#: "pharmacological treatment" (drugs, as against an operation).
_CLASS_PHRASE = (
    rf"(?:{_ANTI}[A-Za-z0-9][\w-]*|[A-Za-z]+-lowering|immunomodulat\w+|cytotoxic|cytostatic|"
    r"hypoglyc(?:a)?emic|hypolipid(?:a)?emic|tocolytic|uterotonic|uricosuric|vasoactive|"
    r"sympathomimetic|chelation|chelating|(?:hepato|gastro|cardio|nephro|neuro|cyto)protective|"
    r"acid-suppress(?:ive|ant)|antisecretory|inotropic|chronotropic|antiproliferative|"
    rf"pharmacologic(?:al)?)\s+{_CLASS_HEAD}")
#: A class named by its drugs' agent noun: "antihistamines", "anti-inflammatories",
#: "vasodilators", "anxiolytics", "liver protectors"; a singular one ("an antiemetic") only
#: where no noun follows it ("antiemetic effect" names no drug given).
_CLASS_NOUN = (
    rf"{_ANTI}[a-z]{{3,}}(?:ics|ants|ives|als|ines|ories)|"
    r"[a-z]{3,}(?:lytics|dilators|suppressants|pressors)|"
    r"(?:liver|hepatic|gastric|mucosal|gastro|hepato)[\s-]?protect(?:or|ant)s?|"
    rf"{_ANTI}[a-z]{{3,}}(?:ic|ant|ory|ous)(?=\s*[,.;:)]|\s+(?:and|or|was|were|is|are|for|with|to|at|"
    r"in|on|from|during|after|before|until|but|which|that)\b)")
#: Words that cannot begin a supplement's or a target's name: a function word, a verb that
#: gives the drug ("started on", "took"), a route or frequency ("oral", "daily") or an
#: adjective of the kind ("herbal", "selective").
_NOT_A_NAME = (
    r"(?:the|a|an|with|of|and|or|on|to|by|for|in|as|his|her|their|its|was|were|is|are|be|"
    r"been|being|had|has|have|started|given|received|receiving|treated|including|such|other|"
    r"any|no|not|oral|intravenous|daily|new|using|uses?|these|those|this|that|both|after|"
    r"before|plus|then|also|either|two|three|an?other|potent|selective|specific|dietary|"
    r"nutritional|herbal|took|takes?|gave|gives?|got|gets?|needs?|requires?)")
#: A supplement named by what it supplies: "zinc supplements", "vitamin D supplementation";
#: not by a verb or an adjective ("took supplements", "herbal supplements").
_SUPPLEMENT = (
    r"(?P<supplied>vitamin\s+[A-Z]\d*|(?:folic|ascorbic|fatty)\s+acids?|"
    rf"(?!{_NOT_A_NAME}\s)(?![A-Za-z-]+(?:ed|ing)\s)"
    r"[A-Za-z][\w-]{2,})\s+supplement(?:s|ation)?")
#: What a drug does to its target, as a class's last word: "SGLT2 inhibitors", "H2 blockers",
#: "GnRH agonists", "vitamin K antagonists", "somatostatin analogues", "bile acid sequestrants".
_TARGET_HEAD = (r"(?:inhibitors?|blockers?|antagonists?|agonists?|analogu?es?|analogs?|"
                r"sequestrants?|chelators?)")
#: A word of the target: not one of :data:`_NOT_A_NAME` nor a verb's participle.
_TARGET_WORD = (
    rf"(?!{_NOT_A_NAME}\b)(?![A-Za-z]+(?:ed|ing)\b)[^\W_][\w/]*")
#: A class named by its target and :data:`_TARGET_HEAD`, one to three words before the head,
#: not where a test's words, a value, a number or a gene's letters follow ("C1 esterase
#: inhibitor deficiency", "factor VIII inhibitor was 5 BU", "kinase inhibitor 2A",
#: "plasminogen activator inhibitor-1", "tissue inhibitor of metalloproteinases").
_TARGET_CLASS = (
    rf"(?:{_TARGET_WORD}[\s-]+){{1,3}}{_TARGET_HEAD}(?![\w-]*\d)"
    r"(?!\s+(?:of|in|at)\b|\s*\d|(?-i:\s+[A-Z]{1,2}\b)|[\s-]+(?:titers?|titres?|levels?|assays?|"
    r"screens?|tests?|activit(?:y|ies)|deficiency|genes?|mutations?|expression|pathways?|"
    r"toxicity|(?:was|were|is|are)\s+(?:[<>≤≥]|\d|positive|negative|detected|undetectable|"
    r"present|absent|elevated|high|low))\b)")
_DRUG_CLASS = re.compile(
    rf"\b(?:{_CLASS_PHRASE}|{_CLASS_NOUN}|{_SUPPLEMENT}|{_TARGET_CLASS})\b", re.IGNORECASE)
#: A word every :data:`_DRUG_CLASS` match holds, in its first token or at most three tokens
#: after it ("vitamin D supplements", "5-HT3 receptor antagonists"): the pattern is tried
#: only around these, for trying it at every word of a report costs more than the rest of
#: the drug rules together.
_CLASS_WORD = re.compile(
    r"anti|-lowering|immunomodulat|cytotoxic|cytostatic|hypoglyc|hypolipid|tocolytic|"
    r"uterotonic|uricosuric|vasoactive|sympathomimetic|chelati|lytics|dilators|suppressants|"
    r"pressors|supplement|inhibitor|blocker|agonist|analog|sequestrant|chelator|protect|"
    r"suppress|secretory|inotropic|chronotropic|proliferative|pharmacologic",
    re.IGNORECASE)
#: The same words in lower case, searched for in the lowered text: an ignore-case search
#: tries every letter of a report; a plain one skips to the letters that can start a word.
_CLASS_WORD_LOWER = re.compile(_CLASS_WORD.pattern)
#: Letters the ignore-case search takes for an ASCII one but ``str.lower`` does not (or
#: lowers to two characters): where one is written, the ignore-case search is used.
_FOLDS_APART = re.compile("[\u0130\u0131\u017f]")
#: Tokens a class may start before the token holding its :data:`_CLASS_WORD`.
_CLASS_TOKENS_BEFORE = 3


def _token_start(text: str, at: int, tokens_before: int, floor: int) -> int:
    """Where the token ``tokens_before`` tokens (runs of non-space) before the one holding
    ``at`` starts, not before ``floor``."""
    for left in range(tokens_before, -1, -1):
        while at > floor and not text[at - 1].isspace():
            at -= 1
        while left and at > floor and text[at - 1].isspace():
            at -= 1
    return at


def _first_match(pattern: re.Pattern[str], text: str, starts: range,
                 end: int) -> re.Match[str] | None:
    """The match of ``pattern`` at the first of ``starts`` where it matches (ending by ``end``)."""
    for at in starts:
        if (m := pattern.match(text, at, end)) is not None:
            return m
    return None


def _class_word(text: str, lowered: str | None, start: int, at: int, end: int) -> int | None:
    """Where the first :data:`_CLASS_WORD` at or after ``at`` starts: in ``lowered`` (the
    span from ``start``, lowered) when given, else in ``text`` ignoring case."""
    if lowered is None:
        word = _CLASS_WORD.search(text, at, end)
        return None if word is None else word.start()
    word = _CLASS_WORD_LOWER.search(lowered, at - start)
    return None if word is None else word.start() + start


def _class_matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The matches ``_DRUG_CLASS.finditer(text, start, end)`` gives, tried only at the
    positions a :data:`_CLASS_WORD` allows: none starts before the token bound of the first
    word at or after the position searched from, and the bound grows with the word's place."""
    at = start
    # the words hold no look-behind: searched for in the span's lowered copy, then shifted
    lowered = text[start:end].lower() if _FOLDS_APART.search(text, start, end) is None else None
    while (word_at := _class_word(text, lowered, start, at, end)) is not None:
        first = _token_start(text, word_at, _CLASS_TOKENS_BEFORE, at)
        found = _first_match(_DRUG_CLASS, text, range(first, word_at + 1), end)
        if found is None:
            at = word_at + 1
            continue
        yield found
        at = found.end()


#: An antibody named as a drug: its target, its kind, then "antibody" ("an anti-CD20
#: monoclonal antibody", "IL-1 antibody administration", "an antibody against IL-6").
_ANTIBODY = re.compile(
    r"\b(?:(?:anti-?[\w-]+|[A-Z][\w-]*\d[\w-]*)\s+)?"
    r"(?:(?:receptor|monoclonal|humani[sz]ed|chimeric|neutrali[sz]ing)\s+)*antibod(?:y|ies)"
    r"(?:\s+(?P<head>therapy|treatment|administration|infusions?))?"
    r"(?:\s+(?:against|targeting)\s+(?:the\s+)?[\w-]+)?\b")
#: Words before an antibody that give it ("treated with an", "received").
_ANTIBODY_GIVEN = re.compile(rf"\b(?:{_GIVING}|given)\s+(?:an?\s+|the\s+)?$",
                             re.IGNORECASE)


def _given_antibodies(text: str, span: Span) -> Iterator[Hit]:
    """Antibodies the words around give ("received an anti-CD20 monoclonal antibody",
    "antibody therapy"), not the antibodies a test finds ("anti-CD20 antibody was positive")."""
    if text.find("antibod", span.start, span.end) < 0:
        return  # the word every match holds (the pattern is case-sensitive)
    for m in _ANTIBODY.finditer(text, span.start, span.end):
        if m.group("head") or _ANTIBODY_GIVEN.search(text, max(0, m.start() - 40), m.start()):
            yield Hit(m.start(), m.end(), MentionKind.MEDICATION, ())


def drug_classes(text: str, spans: Iterable[Span], hits: list[Hit]) -> list[Hit]:
    """``hits`` (lexicon matches in text order) with each drug class written by its shape
    (:data:`_DRUG_CLASS`) in ``spans`` made one medication, in place of the hits inside it
    ("anti-TB drugs": not the disease TB and a bare "drugs"). Words the lexicon names as a
    whole ("antiretroviral therapy") or as part of longer words keep their hits."""
    matches = [m for span in spans for m in _class_matches(text, span.start, span.end)]
    found = sorted([*(Hit(m.start(), m.end(), MentionKind.MEDICATION, ()) for m in matches),
                    *(h for span in spans for h in _given_antibodies(text, span))],
                   key=lambda h: (h.start, h.end))
    if not found:
        return hits
    lexicon = SpanIndex(hits)
    supplied = [_supplied(m, lexicon) for m in matches if m.group("supplied")]
    found = [h for h in found if all(_inside(o, h) for o in lexicon.overlapping(h.start, h.end))
             or any((h.start, h.end) == (m.start(), m.end()) for m in matches
                    if m.group("supplied"))]
    if supplied:
        phrases = SpanIndex(found)
        hits = [h for h in hits if not phrases.overlaps(h.start, h.end)]
        found = [h for h in found if not any(h.start == s.start for s in supplied)]
        return sorted([*hits, *found, *supplied], key=lambda h: (h.start, h.end))
    classes = SpanIndex(found)
    kept = [h for h in hits if not classes.overlaps(h.start, h.end)]
    return sorted([*kept, *found], key=lambda h: (h.start, h.end))


def _supplied(supplement: re.Match[str], lexicon: SpanIndex[Hit]) -> Hit:
    """A supplement is the substance it supplies ("vitamin D supplementation" gives vitamin
    D): a drug the lexicon names by those words keeps its codes; a test's name ("vitamin D"
    is also a test) or a nutrient no drug row names is given by its words alone."""
    start, end = supplement.span("supplied")
    named = next((h for h in lexicon.overlapping(start, end)
                  if (h.start, h.end) == (start, end) and h.kind is MentionKind.MEDICATION), None)
    return Hit(start, end, MentionKind.MEDICATION, named.concepts if named else ())


def _inside(hit: Hit, phrase: Hit) -> bool:
    """Whether a lexicon ``hit`` is a part of a class's ``phrase`` the phrase replaces: not
    one reaching past it, nor a drug's hit on the same words (it has the codes)."""
    if hit.start < phrase.start or hit.end > phrase.end:
        return False
    return not (hit.kind is MentionKind.MEDICATION
                and (hit.start, hit.end) == (phrase.start, phrase.end))


def _given(text: str, hit: Hit) -> bool:
    """Whether the words around a substance a test measures give it to the patient
    ("received albumin", "intravenous potassium", "potassium was replaced", "phosphate
    (1.0 g/day)") rather than measure it ("albumin levels", "potassium was 2.9 mmol/L",
    "oral glucose tolerance")."""
    if _SPECIMEN.match(text, hit.start, hit.end):
        return False  # "serum magnesium was replaced": the test's name, whatever follows
    if _GIVEN_AFTER.match(text, hit.end) or _INFUSED_AFTER.match(text, hit.end) \
            or _DOSED_AFTER.match(text, hit.end):
        return True
    if _MEASURED_END.search(text, hit.start, hit.end) or _TESTED_AFTER.match(text, hit.end) \
            or _VALUE_AFTER.match(text, hit.end):
        return False
    if _ROUTE_BEFORE.search(text, max(0, hit.start - 16), hit.start):
        return True  # "oral calcium was started"
    return not _MEASURED_AFTER.match(text, hit.end) \
        and bool(_GIVEN_BEFORE.search(text, max(0, hit.start - 60), hit.start))


#: A supplement's word alone, and what names the substance it supplies after it
#: ("supplementation with iron and vitamin B12", "supplements of oral calcium").
_SUPPLEMENT_WORD = re.compile(r"supplement(?:s|ation)?", re.IGNORECASE)
_SUPPLIED_AFTER = re.compile(r"\s+(?:with|of)\s+(?:(?:oral|intravenous|IV)\s+)?", re.IGNORECASE)


def _supplied_after(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` without a supplement's word whose substance is named right after it: the
    substance is the drug given, not a drug called "supplementation"."""
    return [hit for hit, nxt in zip(hits, [*hits[1:], None], strict=False)
            if nxt is None or nxt.kind not in (MentionKind.MEDICATION, MentionKind.LAB_TEST)
            or _SUPPLEMENT_WORD.fullmatch(text, hit.start, hit.end) is None
            or (gap := _SUPPLIED_AFTER.match(text, hit.end)) is None or gap.end() != nxt.start]


#: A test's word after a substance it measures ("factor VIII activity", "tacrolimus
#: concentration", "von Willebrand antigen"): the substance with the word is the test. An
#: inhibitor is the test's only with a reading after it ("factor VIII inhibitor was 5 BU",
#: "inhibitor titer"): before a drug's head it names a drug class ("factor Xa inhibitor").
_MEASURE_AFTER = re.compile(
    r"[\s-]+(?:(?P<amount>levels?|concentrations?)|activit(?:y|ies)|antigens?|assays?|"
    r"inhibitors?(?=\s+(?:titers?|titres?|levels?|assays?|screens?|tests?|(?:was|were|is|are|of)"
    r"\s+(?:[<>≤≥]|\d|positive|negative|detected|undetectable|not|present|absent|elevated|high|"
    r"low))\b))\b", re.IGNORECASE)


def measured_substance(text: str, hit: Hit) -> Hit | None:
    """A drug's name followed by a test's word for what is measured of it: an uncoded
    lab-test hit ("Factor VIII activity was 38%" is no factor VIII given). The word is part
    of the test's name where it tells tests of one substance apart (its activity, antigen
    or inhibitor); a level or concentration is the substance's own ("carnitine levels")."""
    m = _MEASURE_AFTER.match(text, hit.end) if hit.kind is MentionKind.MEDICATION else None
    if m is None:
        return None
    return Hit(hit.start, hit.end if m.group("amount") else m.end(), MentionKind.LAB_TEST, ())


def read_drugs(text: str, hits: list[Hit]) -> list[Hit]:
    """Lexicon ``hits`` with a drug class against a substance, the drug just named, a
    regimen's acronym, a substance measured (:func:`measured_substance`) and a substance
    given read as said above (a blood component given is
    left to :func:`blood_component_given`)."""
    out: list[Hit] = []
    for hit in _supplied_after(text, hits):
        component = _BLOOD_COMPONENT.fullmatch(text, hit.start, hit.end) is not None
        if hit.kind is MentionKind.MEDICATION and component:  # "cryoprecipitate"
            hit = Hit(hit.start, hit.end, MentionKind.THERAPEUTIC_PROCEDURE, ())
        elif hit.kind is MentionKind.LAB_TEST and not component and _given(text, hit):
            hit = Hit(hit.start, hit.end, MentionKind.MEDICATION, ())
        elif (measured := measured_substance(text, hit)) is not None:
            hit = measured
        elif hit.kind is MentionKind.MEDICATION:
            anti = _ANTI_BEFORE.search(text, max(0, hit.start - 6), hit.start)
            if anti and _CLASS_AFTER.match(text, hit.end):
                hit = Hit(anti.start(), hit.end, hit.kind, ())
            elif _same_drug_again(text, hit, out[-1] if out else None):
                hit = Hit(hit.start, hit.end, hit.kind, out[-1].concepts)
            else:
                hit = _with_acronym(text, hit, out[-1] if out else None)
                if out and out[-1].end > hit.start:
                    out.pop()  # "TPF chemotherapy": the regimen's own hit is now inside
        out.append(hit)
    return _pulses(text, out)


#: "pulse" as a way of giving a drug, and the words that say so after it.
_PULSE_WORD = re.compile(r"pulses?", re.IGNORECASE)
_PULSE_HEAD = re.compile(r"\s+(?:therap(?:y|ies)|treatments?|doses?|regimens?)\b",
                         re.IGNORECASE)


def _drug_next_to(text: str, first: Hit | None, second: Hit | None, drug: Hit | None) -> bool:
    """Whether ``drug`` (``first`` or ``second``) is a medication hit and only spaces part
    ``first`` from ``second``."""
    return first is not None and second is not None and drug is not None \
        and drug.kind is MentionKind.MEDICATION and text[first.end : second.start].isspace()


def _pulses(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` with "pulse" read as a way of giving a drug, not as the pulse rate: "pulse
    therapy" is one medication, with the drug named right before it ("steroid pulse
    therapy"); "pulse" right before a drug ("pulse methylprednisolone") is the drug's."""
    out: list[Hit] = []
    for hit, nxt in zip(hits, [*hits[1:], None], strict=False):
        if _PULSE_WORD.fullmatch(text, hit.start, hit.end) is None:
            out.append(hit)
        elif (head := _PULSE_HEAD.match(text, hit.end)) is not None:
            before = out[-1] if out else None
            drug = out.pop() if _drug_next_to(text, before, hit, before) else None
            out.append(Hit(drug.start if drug else hit.start, head.end(), MentionKind.MEDICATION,
                           drug.concepts if drug else ()))
        elif not _drug_next_to(text, hit, nxt, nxt):
            out.append(hit)
    return out


#: A drug screen's finding in the patient ("a urine drug screen was positive for cocaine
#: and amphetamines", "urine toxicology was positive for opiates"): the drugs named after
#: it, in a list, are what a test found.
_SCREENED_BEFORE = re.compile(
    r"\b(?:(?:drugs?|toxicolog\w*|tox)\s+(?:screen|screening|panel|tests?|analysis)\b|"
    r"toxicolog\w*)[^.;]{0,40}?"
    r"\b(?:positive|negative)\s+for\s+(?:[\w-]+(?:\s*,\s*|\s+and\s+|\s+or\s+))*$",
    re.IGNORECASE)


def _allergic_before(text: str, hit: Hit) -> re.Match[str] | None:
    """The allergy's words and list before a drug ("allergic to penicillin, aspirin and "
    before "codeine"), unless the words after give it ("..., vancomycin was given")."""
    if _GIVEN_AFTER.match(text, hit.end):
        return None
    return _ALLERGIC_BEFORE.search(text, max(0, hit.start - 120), hit.start)


#: A class's adjective ("antiemetic", "anticoagulant", "anti-inflammatory") before what the
#: drugs do, perhaps with another adjective: "the antiemetic effect was limited", "its
#: anti-inflammatory and antioxidant properties" name no drug given.
_CLASS_ADJECTIVE_END = re.compile(r"(?:ic|ant|ory|al|ive)$", re.IGNORECASE)
_PROPERTY_AFTER = re.compile(
    r"(?:\s*,?\s+(?:and|or)\s+[\w-]+)?"
    r"\s+(?:effects?|propert(?:y|ies)|activit(?:y|ies)|actions?|potential|mechanisms?)\b",
    re.IGNORECASE)


def _class_property(text: str, hit: Hit) -> bool:
    return bool(_CLASS_ADJECTIVE_END.search(text, hit.start, hit.end)
                and _PROPERTY_AFTER.match(text, hit.end))


def product_word(text: str, hit: Hit) -> bool:
    """Whether a procedure's hit is a word of a blood product ("irradiated platelets") or the
    verb after a component given ("platelets were transfused": the component's procedure is
    the transfusion, :func:`blood_component_given`): asked once all hits are found, so that
    the verb still bounds the words after it."""
    if hit.kind is not MentionKind.THERAPEUTIC_PROCEDURE:
        return False
    if _PRODUCT_WORD.fullmatch(text, hit.start, hit.end):
        return _COMPONENT_AFTER.match(text, hit.end) is not None
    return text[hit.start : hit.end].lower() == "transfused" and \
        _COMPONENT_THEN_VERB.search(text, max(0, hit.start - 60), hit.start) is not None


#: ``\b`` + :data:`_BLOOD_COMPONENT` + ``\b``, ignoring case: a :class:`~scan.WordPattern`,
#: tried only at the word starts its words begin (the plain pattern is tried at every place).
_COMPONENT_WORD = scan.WordPattern(rf"{_BLOOD_COMPONENT.pattern}\b")


def component_hits(text: str, part: Span, taken: Iterable[Hit]) -> list[Hit]:
    """Blood components given that no lexicon names ("two units of red cells", "plasma"), as
    transfusions."""
    found = [Hit(m.start(), m.end(), MentionKind.THERAPEUTIC_PROCEDURE, ())
             for m in _COMPONENT_WORD.finditer(text, part.start, part.end)]
    if not found:
        return []
    claimed = SpanIndex(taken)
    return [h for h in found if not claimed.overlaps(h.start, h.end)
            and blood_component_given(text, h.start, h.end, part)]


#: A dose's "per" part: per weight, area, dose or time ("2.5 mg/kg", "1.0 g/day").
_PER = r"(?:\s*/\s*(?:kg|m2|m²|day|d|dose|h|hr|week|wk))"
#: How often or by what route a dose in grams is given: an organ's or a specimen's weight
#: ("the spleen (900 g)") has none.
_GRAM_DOSING = (r"(?:\s*(?:daily|q\.?\s?\d|every|twice|once|per\s+day|IV\b|i\.v\.|orally|"
                r"p\.o\.|b\.?i\.?d|t\.?i\.?d))")
#: A dose of a drug: an amount in a unit drugs are dosed in ("500 mg", "40 IU", "1.0 g/day",
#: "2 g IV"), not a concentration a test reports ("5 mg/dL": no slash may follow).
_DOSE = (r"\d+(?:[.,]\d+)?(?:\s*(?:[-–]|to)\s*\d+(?:[.,]\d+)?)?\s*"
         rf"(?:(?:mg|µg|μg|mcg|ug|IU|mEq|units?){_PER}*|g(?:{_PER}+|(?={_GRAM_DOSING})))"
         r"(?![\w/]|\s*/)")
#: A dose right after a substance's name, perhaps in parentheses: the substance was given.
_DOSED_AFTER = re.compile(rf"\s*(?:\(\s*)?{_DOSE}")


#: A solution that rinses a device or a wound rather than treats the patient: its words.
_RINSE_SOLUTION = re.compile(
    r"(?:\w+\s+)*(?:saline|water|solution|povidone[- ]iodine|chlorhexidine|hydrogen peroxide)",
    re.IGNORECASE)
#: What such a solution is used for, then a few words (its amount, what it is): "the
#: microcatheter was flushed with 10 mL of ", "irrigated with warm ", "flushed with heparinized ".
_RINSED_BEFORE = re.compile(
    r"\b(?:flush(?:ed|ing)?|irrigat(?:ed|ing|ion)|wash(?:ed|ing)?|rins(?:ed|ing)|lavage|"
    r"clean(?:s)?(?:ed|ing)|primed|soaked)\s+(?:out\s+)?(?:with|using|in)\s+"
    r"(?:[\w.-]+\s+){0,4}$", re.IGNORECASE)


def _rinse(text: str, hit: Hit) -> bool:
    """Whether a solution's hit rinses a device or a wound ("flushed with 10 mL of normal
    saline", "irrigated with warm saline"): no drug given to the patient."""
    return (_RINSE_SOLUTION.fullmatch(text, hit.start, hit.end) is not None
            and _RINSED_BEFORE.search(text, max(0, hit.start - 60), hit.start) is not None)


def not_given(text: str, hit: Hit) -> bool:
    """Whether ``hit`` is a drug's name that names a test, an eponym, an antibody against
    it, what the patient is allergic to, what a screen found, a class's property, a solution
    that rinses (:func:`_rinse`), what an organism resists or a device carries, or drugs'
    use (:func:`_drug_use`) or an organ (a body site's name: "thyroid gland"): asked
    of every hit, lexicon or not, once all are found (a hit dropped earlier would leave its
    words to the drug-stem rule)."""
    return hit.kind is MentionKind.MEDICATION and bool(
        _TEST_AFTER.match(text, hit.end) or _EPONYM_AFTER.match(text, hit.end)
        or _ANTI_BEFORE.search(text, max(0, hit.start - 6), hit.start)
        or _ALLERGIC_AFTER.match(text, hit.end) or _INTOLERANT_AFTER.match(text, hit.end)
        or _allergic_before(text, hit) or _class_property(text, hit) or _rinse(text, hit)
        or _INTOLERANT_BEFORE.search(text, max(0, hit.start - 50), hit.start)
        or _SCREENED_BEFORE.search(text, max(0, hit.start - 120), hit.start)
        or _QUALIFIES_AFTER.match(text, hit.end) or _drug_use(text, hit)
        or text[hit.start:hit.end].lower() in site_names())


def _drug_use(text: str, hit: Hit) -> bool:
    """Whether the word "drug(s)" names drugs' use or harm ("illicit drug use", "drug-induced
    hepatitis"), not a drug given."""
    return _GENERIC_DRUG.fullmatch(text, hit.start, hit.end) is not None and bool(
        _DRUG_HARM_BEFORE.search(text, max(0, hit.start - 16), hit.start)
        or _DRUG_HARM_AFTER.match(text, hit.end))


#: International nonproprietary name stems (WHO INN / USAN) that only drugs end in, each with
#: the allergy class (below) its drugs belong to, if one: one table both for finding drugs
#: no dictionary lists (:func:`fhirsvc.extract.markers.drug_hits`) and for an allergy's class.
INN_STEMS: tuple[tuple[str, str | None], ...] = (
    ("cillin", "penicillin"),
    *((stem, "antibiotic") for stem in ("mycin", "micin", "kacin", "floxacin", "penem",
                                        "bactam", "cycline")),
    *((stem, "antiinfective") for stem in ("vir", "fungin", "nidazole", "bendazole",
                                           "conazole", "vudine", "quine")),
    *((stem, "analgesic") for stem in ("coxib", "profen")),
    *((stem, None) for stem in (
        "nib", "ciclib", "parib", "lisib", "zomib", "rasib", "degib", "clax", "mab",
        "prazole", "trozole", "imazole", "olol", "pril", "sartan", "statin", "dipine", "parin",
        "xaban", "gatran", "teplase", "platin", "rubicin", "taxel", "tecan", "citabine",
        "mustine", "lutamide", "limus", "gliflozin", "gliptin", "glutide", "glitazone",
        "dronate", "setron", "pitant", "triptan", "lukast", "grastim", "poetin", "semide",
        "thiazide", "azepam", "azolam", "oxetine", "triptyline", "pramine", "pressin",
        "curonium", "curium", "irudin", "grelor",
        # PDE5 inhibitors, antihistamines, GnRH analogues, fusion proteins, IL-1 blockers,
        # beta-2 agonists ("-terol" but not a sterol), antimuscarinics, alpha blockers,
        # antipsychotics, corticosteroids, barbiturates, opioids, inhaled anaesthetics,
        # glinides, fibrates, somatostatin and oxytocin analogues, progestins, 5-alpha
        # reductase inhibitors, oestrogen receptor antagonists, prostaglandins
        "afil", "astine", "relin", "nercept", "tacept", "bercept", "nacept", "kinra",
        "moterol", "buterol", "meterol", "caterol", "daterol", "lanterol", "tropium",
        "azosin", "sulosin", "apine", "peridol", "olone", "isone", "asone", "idone",
        "barbital", "fentanil", "flurane", "glinide", "fibrate", "reotide", "tocin",
        "gestrel", "steride", "estrant", "prost")),
)


def _class_words(name: str, words: str) -> re.Pattern[str]:
    """An allergy class's words, or its stems (:data:`INN_STEMS`) as the end of a word."""
    stems = [stem for stem, of in INN_STEMS if of == name]
    return re.compile(rf"{words}|(?:{'|'.join(stems)})s?\b" if stems else words)


#: The drug classes ICD-10-CM codes an allergy status by (Z88.0–Z88.7, rows of
#: mappings/conditions.tsv), each known by the words of the drug's name or its stem
#: (:data:`INN_STEMS`: "amoxicillin" is a penicillin, "amikacin" another antibiotic); the
#: first that matches wins, and any other drug is Z88.8.
_ALLERGY_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (f"cond:drug_allergy_{name}", _class_words(name, words)) for name, words in (
        ("penicillin", r"penicillin"),
        ("sulfonamide", r"^sul(?:f|ph)(?:a\b|as|on|ameth|adiaz|isox)"),
        ("antibiotic", r"antibiot|antibacter|^cef|^ceph|myci|quinolone|macrolide|"
                       r"aminoglycoside|vancomycin|linezolid|trimethoprim|nitrofurantoin|"
                       r"metronidazole|colistin|polymyxin"),
        ("antiinfective", r"antifung|antivir|antimalar|antiretrovir|trimazole\b|quine\b"),
        ("anesthetic", r"an(?:a)?esthe|caine\b"),
        ("narcotic", r"opioid|opiate|narcotic|morphine|codeine|fentanyl|oxycodone|hydrocodone|"
                     r"hydromorphone|tramadol|meperidine|pethidine|methadone"),
        ("analgesic", r"aspirin|nsaid|non-?steroidal|analges|acetaminophen|paracetamol|"
                      r"salicyl|ketorolac|diclofenac|naproxen|metamizole"),
        ("vaccine", r"vaccin|antiserum|antitoxin"),
    ))
ALLERGY_CONCEPTS = (*(key for key, _ in _ALLERGY_CLASSES), "cond:drug_allergy_other")


def allergy_class(name: str) -> str:
    """The allergy-status concept (a key of :data:`ALLERGY_CONCEPTS`) of a drug by its name."""
    low = name.lower()
    return next((key for key, words in _ALLERGY_CLASSES if words.search(low)),
                "cond:drug_allergy_other")


def drug_allergies(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) with each drug the patient is allergic to made an allergy
    status ("a known amoxicillin allergy", "allergic to cefazolin and codeine": a finding
    coded ICD-10-CM Z88.x by the drug's class, :func:`allergy_class`), and the hits inside
    those words ("allergy", "allergic") dropped. A drug is never an administration there
    (:func:`not_given`)."""
    allergies: list[Hit] = []
    for hit in hits:
        if hit.kind is not MentionKind.MEDICATION:
            continue
        after = _ALLERGIC_AFTER.match(text, hit.end)
        before = _allergic_before(text, hit)
        if after is None and before is None:
            continue
        first = before is not None and after is None and not before.group("list")
        start = before.start() if before is not None and first else hit.start
        if allergies and allergies[-1].end > start:
            start = hit.start  # the trigger is another's ("allergy to penicillin allergy")
        end = after.end() if after is not None else hit.end
        allergies.append(Hit(start, end, MentionKind.FINDING,
                             (allergy_class(text[hit.start : hit.end]),)))
    if not allergies:
        return hits
    inside = SpanIndex(allergies)
    kept = [h for h in hits if not inside.overlaps(h.start, h.end)]
    return sorted([*kept, *allergies], key=lambda h: (h.start, h.end))


def class_concepts(hit: Hit, endings: tuple[str, ...] = ("_class", "_therapy")) -> bool:
    """Whether a coded medication hit names a class of drugs: its concepts are all class
    rows of ``medications.tsv`` (keys ending with one of ``endings``)."""
    return (hit.kind is MentionKind.MEDICATION and bool(hit.concepts)
            and all(c.startswith("med:") and c.endswith(endings) for c in hit.concepts))


def _names_a_class(text: str, hit: Hit) -> bool:
    """Whether a medication hit names a class of drugs: a class row of the tables
    (:func:`class_concepts`) or, uncoded, words of a class's shape (:data:`_DRUG_CLASS`)."""
    if hit.kind is not MentionKind.MEDICATION:
        return False
    if hit.concepts:
        return class_concepts(hit)
    return _DRUG_CLASS.fullmatch(text, hit.start, hit.end) is not None


#: The concept of a word for drugs in general ("drugs", "medication"): ``medications.tsv``.
_GENERIC_DRUGS = ("med:medication_generic",)


def _with_head(text: str, hit: Hit, nxt: Hit | None) -> Hit | None:
    """The class ``hit`` names with the general word for drugs right after it as its head
    ("analgesic drugs", "antiemetic medication"), or None where no such word follows."""
    if (nxt is None or nxt.concepts != _GENERIC_DRUGS or not text[hit.end : nxt.start].isspace()
            or not _names_a_class(text, hit)):
        return None
    return Hit(hit.start, nxt.end, hit.kind, hit.concepts)


def classes_before_their_drug(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) without a class written right before a drug of it ("the
    aromatase inhibitor letrozole", "the antibiotic vancomycin"): the class only describes
    the one drug given, which is the administration. A general word for drugs after a class
    is the class's head ("analgesic drugs" is one class, not the word "drugs")."""
    out: list[Hit] = []
    head: Hit | None = None  # the head the class before took
    for hit, nxt in zip(hits, [*hits[1:], None], strict=False):
        if hit is head:
            continue
        if (headed := _with_head(text, hit, nxt)) is not None:
            out.append(headed)
            head = nxt
        elif (nxt is None or nxt.kind is not MentionKind.MEDICATION
              or not text[hit.end : nxt.start].isspace() or not _names_a_class(text, hit)
              or _names_a_class(text, nxt)):
            out.append(hit)
    return out


#: The salt or ester a drug's name is written with ("levothyroxine sodium", "methylprednisolone
#: sodium succinate", "ondansetron HCl"), on the same line, when no test's value follows it
#: ("sodium 131 mmol/L", "potassium was 3.1"; a dose may: "levothyroxine sodium 100 mcg"). A
#: salt that is a drug of its own ("potassium chloride", "calcium carbonate") is not the
#: drug before's.
_SALT_AFTER = re.compile(
    r"(?:[ \t]+(?:di)?(?:sodium|potassium|calcium|magnesium)"
    r"(?![ \t]+(?:chloride|(?:bi)?carbonate|(?:hydr)?oxide|gluconate|citrate|lactate)\b)"
    r"|[ \t]+(?:hydrochloride|HCl|hydrobromide|"
    r"sul(?:f|ph)ate|bisul(?:f|ph)ate|phosphate|succinate|acetate|acetonide|tartrate|citrate|"
    r"maleate|mesylate|besylate|fumarate|valerate|propionate|dipropionate|enanthate|cypionate|"
    r"decanoate|gluconate|carbonate|hyclate|tromethamine|(?:mono|di|tri|hemi)hydrate))+\b"
    r"(?!\s*(?:[:=<>\u2264\u2265]|(?:levels?|concentrations?)\b|(?:was|were|is)\s+(?:[<>\d]|"
    r"(?:low|high|normal|elevated|decreased|increased|reduced|within|below|above)\b)|"
    r"\d++(?:[.,]\d++)?+\s*+(?!(?:mg|mcg|\u00b5g|\u03bcg|g|IU|units?)\b(?!\s*/\s*d?L))))")


def with_salts(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) with a drug's salt written after its name made part of the
    drug's hit ("mycophenolate sodium" is one drug, not a drug and a sodium test)."""
    out: list[Hit] = []
    salt_end = -1  # where the last salt a drug's hit took ends
    for hit in hits:
        if hit.start < salt_end and hit.end <= salt_end:
            continue  # inside the salt the drug before now holds
        salt = _SALT_AFTER.match(text, hit.end) if _drug_named(text, hit) else None
        if salt is not None:
            hit, salt_end = Hit(hit.start, salt.end(), hit.kind, hit.concepts), salt.end()
        out.append(hit)
    return out


#: What joins the drugs of a fixed combination: a slash ("amoxicillin/clavulanate",
#: "TAZ/PIPC") or a hyphen with no space ("carbidopa-levodopa").
_COMBINED_BY = re.compile(r"\s*/\s*|[-\u2010\u2013]")


def combinations(text: str, hits: list[Hit]) -> list[Hit]:
    """``hits`` (in text order) with the drugs of a combination written as one name
    ("amoxicillin/clavulanate", "tenofovir/emtricitabine/efavirenz") made one medication:
    one product given, not one administration of each part. A combination the lexicon knows
    by that name was matched whole with its codes; one it does not know keeps its words
    alone, for neither part's codes name the product. Classes are not combined
    ("steroids/immunosuppressants" lists two kinds of drug)."""
    out: list[Hit] = []
    for hit in hits:
        before = out[-1] if out else None
        if (before is not None and _drug_named(text, before) and _drug_named(text, hit)
                and _COMBINED_BY.fullmatch(text, before.end, hit.start) is not None):
            out[-1] = Hit(before.start, hit.end, MentionKind.MEDICATION, ())
        else:
            out.append(hit)
    return out


def _drug_named(text: str, hit: Hit) -> bool:
    """Whether ``hit`` names a drug (a medication hit that is no class of drugs)."""
    return hit.kind is MentionKind.MEDICATION and not _names_a_class(text, hit)


def _same_drug_again(text: str, hit: Hit, before: Hit | None) -> bool:
    """A brand or other name in parentheses right after a name of the same drug."""
    return (before is not None and before.kind is MentionKind.MEDICATION
            and _OPENS.fullmatch(text, before.end, hit.start) is not None
            and not set(hit.concepts).isdisjoint(before.concepts))


def blood_component_given(text: str, start: int, end: int, sentence: Span) -> bool:
    """Whether the words at ``text[start:end]`` are a blood component the sentence tells of
    giving ("he was given platelets", "two units of red cells were transfused"): a
    transfusion, not the count a laboratory reports under the same name. The one decision
    for every wording: the caller makes it a therapeutic procedure."""
    if not _BLOOD_COMPONENT.fullmatch(text, start, end):
        return False
    return bool(_COMPONENT_GIVEN_BEFORE.search(text, max(sentence.start, start - 60), start)
                or _GIVEN_AFTER.match(text, end, sentence.end))


#: A word long enough that one slip of the pen leaves it nearer a drug's name than any other
#: word ("sevofluorane"); shorter words differ by one letter from too many others.
_LONG_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]{8,}(?![\w-])")


def _slips_undone(word: str) -> Iterator[str]:
    """The words one slip away from ``word``: a letter too many (not a plural's last "s":
    "supplements" is no slip of "supplement"), or two letters swapped."""
    for i in range(len(word) - (word[-1] == "s")):
        yield word[:i] + word[i + 1 :]
    for i in range(len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]


@lru_cache(maxsize=1 << 16)
def _slips(word: str) -> tuple[str, ...]:
    """:func:`_slips_undone` of ``word``, remembered, as the same long words ("performed",
    "administered") come back in every report; keyed on the word alone, so the cache holds
    no lexicon alive."""
    return tuple(_slips_undone(word))


#: Long words a terminology remembers the slips of (bounded by the vocabulary seen, and so
#: by this in a long-running service).
_SLIP_MEMO_LIMIT = 200_000


def _slip_drug(lower: str, term: Callable[[str], Hit | None],
               known_forms: Callable[[Iterable[str]], list[str]]) -> tuple[str, ...] | None:
    """The concepts of the one drug (not a class) a slip of the lower-case word ``lower``
    names first, or None."""
    named = next((hit for hit in map(term, known_forms(_slips(lower)))
                  if hit is not None and hit.kind is MentionKind.MEDICATION and hit.concepts
                  and not class_concepts(hit)), None)
    return None if named is None else named.concepts


def misspelt_drugs(text: str, part: Span, taken: Iterable[Hit],
                   term: Callable[[str], Hit | None],
                   known_forms: Callable[[Iterable[str]], list[str]],
                   slip_memo: dict[str, tuple[str, ...] | None]) -> list[Hit]:
    """Drugs written with one slip ("sevofluorane" for sevoflurane): a long word no other hit
    covers and no term names (a term left out was left out on purpose) whose one-slip
    neighbour names one drug, not a class, with that drug's concepts. The neighbours are
    sifted as they are written against the lexicon's normal forms (``known_forms``: a drug's
    name in lower-case letters is its own normal form), and only a neighbour found there is
    looked up whole: most long words have none. What a word's slips name is remembered in
    ``slip_memo`` (the terminology's own, as the answer is the lexicon's), since the same
    long words ("performed", "administered") come back in every report."""
    claimed = SpanIndex.over(taken)
    found: list[Hit] = []
    for m in _LONG_WORD.finditer(text, part.start, part.end):
        word = m.group()
        lower = word.lower()
        concepts = remembered(  # asked first: it rules out almost every word
            slip_memo, lower, lambda w: _slip_drug(w, term, known_forms), _SLIP_MEMO_LIMIT)
        if concepts is not None and not claimed.overlaps(m.start(), m.end()) \
                and term(word) is None:
            found.append(Hit(m.start(), m.end(), MentionKind.MEDICATION, concepts))
    return found
