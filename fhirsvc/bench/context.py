"""Context assessment against the NegEx test kit, beside medspaCy's ConText.

    python -m fhirsvc.bench context PATH [--errors CLASS] [--no-medspacy]

PATH is a NegEx test kit (Chapman et al., https://github.com/chapmanbe/negex): a
tab-separated file of sentences from clinical reports, each with one concept and its
annotated status. Two layouts are read: ``Annotations-1-120.txt`` (report number, concept,
sentence, negation) and ``rsAnnotations-1-120-random.txt`` (line number, condition, sentence,
negation, temporality, experiencer). The kit's sentences are not ours: it stays outside the
package and the repository, and nothing here depends on it.

Each concept is found in its sentence (the kit writes it in capitals there) and assessed
the way a report's mention is: the sentence that holds it (our splitter), that sentence's
triggers, :func:`fhirsvc.extract.context.assess` as for a condition. medspaCy's ConText with
its default rules (a blank English model, the rule sentencizer) assesses the same words,
added as an entity. Per class, the figures are accuracy, precision, recall and F1 of the
positive value: negated; historical; hypothetical (the kit's "Not particular", what may
happen); other experiencer (a relative or another person).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fhirsvc.extract import context, sentences
from fhirsvc.model import Experiencer, Span

#: The classes scored, and the kit's value that is the class's positive label.
CLASSES = ("negated", "historical", "hypothetical", "other")


@dataclass(frozen=True, slots=True)
class Case:
    """One kit row: a concept at ``span`` of ``sentence`` and its annotated labels (a class
    the kit's layout does not annotate is None)."""

    number: int
    concept: str
    sentence: str
    span: Span
    gold: dict[str, bool | None]


Labels = dict[str, bool]
Assessor = Callable[[Case], Labels]


def _gold(row: list[str]) -> dict[str, bool | None]:
    """A kit row's labels; the older layout annotates negation alone (the rest None)."""
    negation = row[3].strip().lower()
    temporality = row[4].strip().lower() if len(row) > 4 else ""
    experiencer = row[5].strip().lower() if len(row) > 5 else ""
    return {
        "negated": negation == "negated",
        "historical": temporality == "historical" if temporality else None,
        "hypothetical": temporality in ("not particular", "hypothetical") if temporality else None,
        "other": experiencer != "patient" if experiencer else None,
    }


def locate(concept: str, sentence: str) -> Span | None:
    """Where the concept is in its sentence: the words in order, any white space between
    them, any case; the kit writes the annotated occurrence in capitals, so a capitalised
    occurrence wins over an earlier one in lower case ("pain … chest PAIN"), and one that is
    no heading over a heading ("ALLERGIES:  no known ALLERGIES")."""
    words = concept.split()
    if not words:
        return None
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)",
                         re.IGNORECASE)
    found = list(pattern.finditer(sentence))
    if not found:
        return None
    capitals = [m for m in found if m.group() == m.group().upper()] or found
    best = next((m for m in capitals if not sentence.startswith(":", m.end())), capitals[0])
    return Span(best.start(), best.end())


def read_kit(path: Path) -> tuple[list[Case], int]:
    """The kit's cases, and how many rows were left out because their concept is not in
    their sentence (the kit has a few: a heading for a concept, a sentence cut short)."""
    cases: list[Case] = []
    unlocated = 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)  # header
        for number, row in enumerate(rows, start=1):
            if len(row) < 4:
                continue
            concept, sentence = row[1].strip(), row[2]
            span = locate(concept, sentence)
            if span is None:
                unlocated += 1
                continue
            cases.append(Case(number, concept, sentence, span, _gold(row)))
    return cases, unlocated


def fhirsvc_assess(case: Case) -> Labels:
    """Our labels for a case: the assessment every mention of a report gets."""
    text = case.sentence
    sentence = next((s for s in sentences.split(text, (Span(0, len(text)),))
                     if s.start <= case.span.start < s.end), Span(0, len(text)))
    found = context.triggers(text, sentence)
    ctx = context.assess(text, case.span, found, condition=True)
    return {"negated": ctx.negated, "historical": ctx.historical,
            "hypothetical": ctx.hypothetical, "other": ctx.experiencer != Experiencer.PATIENT}


def medspacy_assessor() -> Assessor | str:
    """medspaCy's ConText with its default rules, or why it cannot run."""
    try:
        import medspacy  # noqa: F401  (registers the medspaCy pipeline components)
        import spacy
    except ImportError as missing:
        return f"medspaCy is not installed ({missing}): pip install -e '.[bench]'"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("medspacy_context")

    def assess(case: Case) -> Labels:
        doc = nlp.make_doc(case.sentence)
        entity = doc.char_span(case.span.start, case.span.end, label="CONDITION",
                               alignment_mode="expand")
        doc.ents = [entity] if entity is not None else []
        for _name, component in nlp.pipeline:
            doc = component(doc)
        if not doc.ents:
            return dict.fromkeys(CLASSES, False)
        ent: Any = doc.ents[0]
        return {"negated": bool(ent._.is_negated), "historical": bool(ent._.is_historical),
                "hypothetical": bool(ent._.is_hypothetical), "other": bool(ent._.is_family)}

    return assess


@dataclass(frozen=True, slots=True)
class Score:
    """The confusion counts of one class: true and false positives and negatives."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(cases: Iterable[Case], predicted: Iterable[Labels], label: str) -> Score | None:
    """The confusion counts of one class over the cases that annotate it (None: none do)."""
    tp = fp = fn = tn = 0
    seen = False
    for case, labels in zip(cases, predicted, strict=True):
        gold = case.gold[label]
        if gold is None:
            continue
        seen = True
        guess = labels[label]
        tp += gold and guess
        fp += guess and not gold
        fn += gold and not guess
        tn += not gold and not guess
    return Score(tp, fp, fn, tn) if seen else None


def _line(name: str, s: Score) -> str:
    return (f"  {name:<10} accuracy {s.accuracy:.3f}  precision {s.precision:.3f}  "
            f"recall {s.recall:.3f}  F1 {s.f1:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})")


def report(cases: list[Case], results: dict[str, list[Labels]]) -> list[str]:
    """Per class, each system's figures, then the ratio of our F1 to the other's."""
    lines: list[str] = []
    for label in CLASSES:
        scores = {name: score(cases, labels, label) for name, labels in results.items()}
        if any(s is None for s in scores.values()):
            continue
        positives = sum(bool(c.gold[label]) for c in cases)
        lines.append(f"{label} ({positives} of {len(cases)} annotated so):")
        lines += [_line(name, s) for name, s in scores.items() if s is not None]
        f1s = [s.f1 for s in scores.values() if s is not None]
        if len(f1s) == 2 and f1s[1]:
            lines.append(f"  F1 ratio {f1s[0] / f1s[1]:.2f}")
    return lines


def errors(cases: list[Case], labels: list[Labels], label: str) -> list[str]:
    """Each case where a system's label differs from the kit's: number, gold, concept."""
    return [f"{c.number}\t{'+' if c.gold[label] else '-'}\t{c.concept}\t{c.sentence}"
            for c, got in zip(cases, labels, strict=True)
            if c.gold[label] is not None and got[label] != c.gold[label]]


def main(argv: list[str]) -> int:
    """Score the kit at ``argv``'s path with fhirsvc and, if installed, medspaCy."""
    parser = argparse.ArgumentParser(prog="python -m fhirsvc.bench context",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("kit", type=Path, help="a NegEx kit file (Annotations-1-120.txt or "
                        "rsAnnotations-1-120-random.txt)")
    parser.add_argument("--errors", choices=CLASSES, help="list fhirsvc's errors of a class")
    parser.add_argument("--no-medspacy", action="store_true", help="fhirsvc alone")
    args = parser.parse_args(argv)
    cases, unlocated = read_kit(args.kit)
    print(f"{len(cases)} cases ({unlocated} rows whose concept is not in their sentence left out)")
    results = {"fhirsvc": [fhirsvc_assess(c) for c in cases]}
    if not args.no_medspacy:
        theirs = medspacy_assessor()
        if isinstance(theirs, str):
            print(theirs, file=sys.stderr)
        else:
            results["medspaCy"] = [theirs(c) for c in cases]
    print("\n".join(report(cases, results)))
    if args.errors:
        print("\n".join(errors(cases, results["fhirsvc"], args.errors)))
    return 0
