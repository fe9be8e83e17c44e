"""Extraction: report structure, patients, mentions with their context, values and dates.

    extract(text, name, terminology) -> ExtractedReport

Stages, each in its own module: ``structure`` (title, metadata, body without web
boilerplate) → ``sentences`` → lexicon matches (``terminology.find``) and
``abbreviations`` defined in the text, read as drugs (``drugs``), tests of another specimen
(``specimens``), organisms (``organisms``) and gene variants (``variants``) → ``patients``
(who each sentence is about) → ``demographics`` (age, sex, name) → ``mentions``
(``context``, ``findings``, ``values``, ``dates``).
"""

from __future__ import annotations

import bisect

from fhirsvc.extract import (
    abbreviations,
    births,
    context,
    coordination,
    demographics,
    drugs,
    genes,
    halts,
    headings,
    homographs,
    judged,
    listed,
    markers,
    measured,
    mentions,
    newborns,
    organisms,
    patients,
    places,
    reflexes,
    sentences,
    signs,
    sites,
    specimens,
    structure,
    twins,
    variants,
    wordforms,
)
from fhirsvc.extract.dates import find_times
from fhirsvc.extract.scan import per_span
from fhirsvc.extract.spans import SpanIndex
from fhirsvc.model import (
    CONDITION_KINDS,
    Age,
    Experiencer,
    ExtractedReport,
    Mention,
    MentionKind,
    PatientCase,
    Report,
    Span,
    When,
)
from fhirsvc.terminology import Terminology
from fhirsvc.terminology.lexicon import Hit

__all__ = ["ExtractionError", "extract"]

#: Longest text extract() reads; longer input raises ExtractionError (a clean, documented error).
#: Conversion work grows in proportion to the length (``python -m fhirsvc.bench convert DIR
#: --long 1 2 4``): about 3.5 CPU seconds and 70 MB per million characters with the structure
#: check, 4 to 6 s with full validation, over a 225 MB base; at this limit about 30 s and
#: 600 MB at most, well inside a machine's means, while no case report comes near it.
MAX_CHARS = 5_000_000


class ExtractionError(ValueError):
    """The text cannot be read as a report (for example: longer than ``MAX_CHARS``)."""


def parse_report(text: str, name: str) -> Report:
    """Structure only: title, metadata, body spans and sentences (:func:`_parse`)."""
    return _parse(text, name)[0]


def _parse(text: str, name: str) -> tuple[Report, str]:
    """The report's structure, found in the text with its wrapped paragraphs joined and
    table bars read as spaces (:func:`structure.readable`; the offsets are the source's),
    and that text, which the later stages read."""
    reading = structure.readable(text)
    layout = structure.layout(reading)
    title = layout.title
    return Report(
        text=text,
        name=name,
        title=title.text if title else None,
        title_span=title.span if title else None,
        metadata=layout.metadata,
        body=layout.body,
        sentences=sentences.split(reading, layout.body),
    ), reading


def _introduction(text: str, sentences: tuple[Span, ...]) -> tuple[int | None, Age | None]:
    """The index of the sentence introducing the patient, and the age stated there."""
    for i, span in enumerate(sentences):
        brought = demographics.brought_age(text, span)
        if brought is not None:  # "The mother, 30, brought her 2-month-old son": the son's
            return i, brought
        for age in demographics.find_ages(text, span.start, span.end):
            noun = demographics.age_noun(text, age)
            if (noun or text[span.start : age.span.start].rstrip().endswith(("is", "was", "aged"))
                    or demographics.in_apposition(text, age, span.start)
                    or demographics.follows_person(text, age)
                    or demographics.stands_for_person(text, age)):
                return i, age
        bare = demographics.bare_age(text, span)
        if bare is not None:
            return i, bare
        life = demographics.life_age(text, span)
        if life is not None and newborns.introduces_newborn(text, span):
            return i, life  # "A newborn boy was admitted on day 3 of life"
    for i, span in enumerate(sentences):
        if patients.introduces_patient(text, span, has_age=False):
            return i, None
    return None, None


def _title_age(text: str, report: Report) -> Age | None:
    """The age of a person the title names ("Doctors save 9-year-old girl's leg"): a news story
    gives its patient's age and sex there and may call them only "the girl" or by name after."""
    if report.title_span is None:
        return None
    span = report.title_span
    return next((age for age in demographics.find_ages(text, span.start, span.end)
                 if demographics.age_noun(text, age)), demographics.bare_age(text, span))


def _patient_cases(text: str, report: Report, terminology: Terminology) -> tuple[PatientCase, ...]:
    """The patients of each case a report tells (:func:`patients.case_sections`; one for most
    reports), numbered ``p1``, ``p2``… in text order."""
    hits = _BodyHits(_body_hits(text, report, terminology))
    sections = patients.case_sections(text, report.sentences)
    if not sections:
        return _section_cases(text, report, report.sentences, hits, terminology, 1)
    found: list[PatientCase] = []
    for section in sections:
        found += _section_cases(text, None, section, hits, terminology, len(found) + 1)
    return tuple(found)


def _section_cases(text: str, report: Report | None, sentences: tuple[Span, ...],
                   hits: _BodyHits, terminology: Terminology,
                   first: int) -> tuple[PatientCase, ...]:
    """The index patient of these sentences, then each other individual patient they introduce.

    A sentence that introduces another patient ("a patient with advanced myeloma who
    relapsed…") gives that patient a case of its own (numbered after the index patient)
    and lends nothing to the index patient; so do a mother's sentences about her child
    (:mod:`newborns`). ``report`` is given when the sentences are
    the whole report, whose title may then introduce the patient.
    """
    intro, age = _introduction(text, sentences)
    headline = _title_age(text, report) if report is not None else None
    if intro is None and headline is not None and sentences:
        intro = 0  # the title introduces the patient the story then tells of
    if intro is None:
        return ()
    name = (demographics.find_name(text, list(sentences[intro : intro + 1]))
            or demographics.made_up_name(text, sentences))
    roles = patients.classify(text, sentences, intro, (name[0],) if name else (), age)
    mother = newborns.is_mother(text, roles, sentences[intro], age)
    child = not mother and newborns.is_child(text, sentences[intro], age)
    if mother:
        roles = newborns.newborn_roles(text, roles)  # the child's sentences: a case of its own
        roles = twins.twin_roles(text, roles)  # each of her twins' words: a case each
    about_patient = [r.span for r in roles if r.about is patients.About.PATIENT]
    if headline is not None and report is not None and report.title_span is not None:
        age = age or headline
        about_patient.insert(0, report.title_span)  # the title's person noun tells the sex
    if age is None and child:
        age = newborns.newborn_age(text, sentences[intro])  # "a newborn": 0 to 27 days
    sex, sex_span = demographics.weigh_sex(text, about_patient, age)
    others = _others(roles) + twins.twin_spans(text, roles)
    cases = [_other_case(text, spans, n, hits, terminology)
             for n, spans in enumerate(others, first + 1)]
    delivered: list[Mention] = []
    if mother:  # her child's facts are the child's own, though "her baby" names her family
        for spans, case in zip(others, cases, strict=True):
            delivered += newborns.deliveries(text, spans, case)  # the child was born by: hers
        # one birth of her twins, told of both, is one procedure of hers
        delivered = list({(m.span, m.kind): m for m in delivered}.values())
        cases = [newborns.childs_own(text, spans, case)
                 for spans, case in zip(others, cases, strict=True)]
    born = births.birth_date(text, [r.span for r in roles if r.about in _PATIENTS_OWN],
                             told=not mother)  # a mother's report tells her children's births
    index = PatientCase(
        key=f"p{first}", sex=sex, sex_span=sex_span, age=age,
        name=name[0] if name else None, name_span=name[1] if name else None,
        birth_date=born[0] if born else None, birth_span=born[1] if born else None,
        mentions=tuple(_index_mentions(text, roles, hits, terminology, mother, child, delivered)),
    )
    return (index, *cases)


def _index_mentions(text: str, roles: list[patients.SentenceRole], hits: _BodyHits,
                    terminology: Terminology, mother: bool, child: bool,
                    delivered: list[Mention]) -> list[Mention]:
    """The index patient's mentions: those of the sentences not about another patient; in a
    mother's report those of "the mother" as hers (:func:`newborns.mothers_own`) and the
    procedures her child was born by (``delivered``, :func:`newborns.deliveries`), in a
    newborn's those of the fetus as the child's (:func:`newborns.fetus_own`)."""
    own = [r for r in roles if r.about not in _OTHERS_OWN]
    found = _mentions(text, own, hits, terminology)
    if mother:
        return sorted(newborns.mothers_own(text, own, found) + delivered,
                      key=lambda m: m.span.start)
    return newborns.fetus_own(text, found) if child else found


#: The roles of sentences that may tell the index patient's date of birth.
_PATIENTS_OWN = frozenset({patients.About.PATIENT, patients.About.NEUTRAL})
#: The roles of sentences that tell of another individual patient, not the index one.
_OTHERS_OWN = frozenset({patients.About.ANOTHER, patients.About.CONTINUED})


def _others(roles: list[patients.SentenceRole]) -> list[list[Span]]:
    """The sentences of each other patient: the one that introduces them and those that go on
    telling of them (``About.CONTINUED``)."""
    found: list[list[Span]] = []
    for role in roles:
        if role.who:
            continue  # one of a mother's twins' (:func:`twins.twin_spans`)
        if role.about is patients.About.ANOTHER:
            found.append([role.span])
        elif role.about is patients.About.CONTINUED and found:
            found[-1].append(role.span)
    return found


def _other_case(text: str, spans: list[Span], number: int, hits: _BodyHits,
                terminology: Terminology) -> PatientCase:
    """Another patient's case from the sentence that introduces them (age and sex come from
    it) and the sentences that go on telling of them."""
    first = spans[0]
    ages = demographics.find_ages(text, first.start, first.end)
    age = ages[0] if ages else demographics.day_of_life(text, first)  # a mother's child's
    sex, sex_span = demographics.weigh_sex(text, [first], age)
    roles = [patients.SentenceRole(span, patients.About.PATIENT) for span in spans]
    found = [patients.own(m) if m.context.experiencer is Experiencer.OTHER else m
             for m in _mentions(text, roles, hits, terminology)]  # "another patient" is this one
    return PatientCase(key=f"p{number}", sex=sex, sex_span=sex_span, age=age, mentions=tuple(found))


def _span_of(found: When | context.Trigger) -> Span:
    return found.span


def _body_hits(text: str, report: Report, terminology: Terminology) -> list[Hit]:
    """Lexicon matches (a disorder with its site after it read as one, :mod:`sites`), defined
    short forms (of tests found by their words too), markers and procedures by word form, in
    text order;
    none that is part of the name of a place of care (:mod:`places`), nor a procedure a short
    form the report defines otherwise names (:func:`markers.redefined_short_forms`), nor the
    noun of a list's label ("Medications on admission:", :mod:`headings`)."""
    located = sites.site_after(text, report.body, abbreviations.expand(
        text, terminology.find_in(text, report.body)), terminology.term)
    located = sites.organ_findings(text, report.body, located, terminology.term,
                                   lambda key: terminology.concept(key).display)
    lexicon_hits = drugs.read_drugs(text, drugs.drug_classes(text, report.body, located))
    lexicon_hits = specimens.other_specimens(text, lexicon_hits, terminology.concepts)
    lexicon_hits = variants.named_variants(text, organisms.named_organisms(text, lexicon_hits))
    lexicon_hits = reflexes.lost_reflexes(text, lexicon_hits, terminology.term)
    # the hits each line adds, layered over the report's lexicon hits: added in text order,
    # they go to the end of a short list, not into the middle of a long one
    taken = SpanIndex.over(SpanIndex(markers.ratio_tests(text, markers.antibody_tests(
        text, markers.organism_tests(
            text, markers.result_findings(text, lexicon_hits, terminology.term))))))
    for part in report.body:
        taken.extend(coordination.shared_heads(text, part.start, part.end, taken, terminology.term))
        taken.extend(signs.inability_hits(text, part.start, part.end, taken, terminology.term))
        taken.extend(signs.weight_change_hits(text, part.start, part.end, taken,
                                              terminology.term))
        taken.extend(markers.marker_hits(text, part.start, part.end, taken))
        taken.extend(markers.procedure_hits(text, part.start, part.end, taken))
        taken.extend(measured.measured_hits(text, part.start, part.end, taken, terminology.units))
        taken.extend(judged.judged_hits(text, part.start, part.end, taken))
        taken.extend(listed.listed_hits(text, part.start, part.end, taken))
        taken.extend(markers.drug_hits(text, part.start, part.end, taken))
        taken.extend(drugs.misspelt_drugs(text, part, taken, terminology.term,
                                            terminology.known_forms, terminology.slip_memo))
        taken.extend(drugs.regimen_hits(text, part.start, part.end, taken))
        taken.extend(drugs.component_hits(text, part, taken))
        taken.extend(wordforms.finding_hits(text, part.start, part.end, taken))
    said = signs.imaged_findings(text, report.body, signs.said_of(
        text, report.body, list(taken), terminology.term))
    short_forms = abbreviations.test_short_forms(text, markers.numbered_names(text, said))
    named = genes.alteration_tests(text, report.body, markers.heads_of_named(
        text, drugs.drug_allergies(text, markers.redefined_short_forms(text, short_forms))))
    named = drugs.combinations(text, drugs.with_salts(
        text, drugs.classes_before_their_drug(text, named)))
    return [homographs.as_act(text, h) for h in named
            if not places.names_a_place(text, h.start, h.end) and not drugs.not_given(text, h)
            and not drugs.product_word(text, h) and not homographs.verb_use(text, h)
            and not headings.is_label(text, h.start, h.end)
            and not homographs.growth_verb(text, h) and not homographs.cell_name(text, h)
            and not (h.kind in CONDITION_KINDS and places.names_a_unit(text, h.end))]


class _BodyHits:
    """The report's hits in text order, with their starts to find a sentence's hits by
    bisection: built once, as a report may introduce a hundred patients."""

    def __init__(self, hits: list[Hit]) -> None:
        self._hits = hits
        self._starts = [h.start for h in hits]

    def inside(self, span: Span) -> tuple[Hit, ...]:
        lo = bisect.bisect_left(self._starts, span.start)
        hi = bisect.bisect_left(self._starts, span.end)
        return tuple(h for h in self._hits[lo:hi] if h.end <= span.end)


def _mentions(text: str, roles: list[patients.SentenceRole], body_hits: _BodyHits,
              terminology: Terminology) -> list[Mention]:
    found: list[Mention] = []
    primary: Mention | None = None
    narrative: When | None = None  # the last date of the paragraph so far
    previous_end = 0
    proposed = 0  # where the previous sentence's mentions begin in ``found``
    spans = [r.span for r in roles]
    times = per_span(find_times, _span_of, text, spans)
    triggers = per_span(context.triggers_in, _span_of, text, spans)
    for role, sentence_times, sentence_triggers in zip(roles, times, triggers, strict=True):
        s = role.span
        sentence = mentions.SentenceInput(
            s, role.about, body_hits.inside(s),
            tuple(sentence_times), tuple(sentence_triggers),
        )
        if narrative is not None and text.find("\n", previous_end, s.start) >= 0:
            narrative = None  # a new paragraph (looked for without copying the text between)
        found += mentions.status_anaphora(text, sentence, primary, narrative, coded=primary is None
                                          or _coded(primary, terminology))
        narrative = next((w for w in reversed(sentence_times) if w.date), narrative)
        previous_end = s.end
        new = mentions.sentence_mentions(text, sentence, terminology)
        if halts.refuses_proposal(text, s, new):  # "Surgery was offered. She declined."
            found[proposed:] = map(halts.refused, found[proposed:])
        proposed = len(found)
        found += new
        # a disorder only considered ("X was considered") is none the course is told of
        primary = primary or next((m for m in new if m.kind is MentionKind.DISORDER
                                   and m.context.is_patient_fact and not m.context.negated
                                   and not m.context.uncertain), None)
    return mentions.short_forms_named_whole(text, found)


def _coded(mention: Mention, terminology: Terminology) -> bool:
    """Whether a mention's concepts give it a code (a curated term may have none)."""
    return any(terminology.concept(key).codings for key in mention.concepts)


def extract(text: str, name: str, terminology: Terminology) -> ExtractedReport:
    """Find the patients a report describes and the mentions that are theirs.

    Never raises on arbitrary text except :class:`ExtractionError` for input longer
    than :data:`MAX_CHARS`. A report that introduces no patient (an article about a
    disease in general) has no patients; the index patient comes first (key ``p1``),
    then any other individual patient it introduces (see :func:`_patient_cases`).
    """
    if len(text) > MAX_CHARS:
        raise ExtractionError(f"too long for a case report: {len(text):,} characters "
                              f"(at most {MAX_CHARS:,} are read)")
    report, reading = _parse(text, name)
    return ExtractedReport(report, _patient_cases(reading, report, terminology))
