"""Measure extraction and coding on an annotated corpus until ``fhirsvc convert`` lands.

    python tools/devscore.py CORPUS_DIR --out DIR [--snapshot FILE | --compare FILE] [--profile]

Extracts and codes every ``*.txt`` in CORPUS_DIR, prints the time per report, and writes
one minimal FHIR Bundle per report (Patient, Condition, Procedure, Observation,
MedicationAdministration with ``code.text`` and derivation-reference offsets), the shape
an annotation scorer reads. ``--snapshot`` records every mention; ``--compare`` checks
that the mentions are unchanged against such a record (for refactoring without changing
output). Not part of the package: the mappers produce the real Bundles.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from fhirsvc.extract import extract
from fhirsvc.model import CodedReport, Fact, MentionKind, Span
from fhirsvc.terminology import code_report, load_terminology

DERIVATION = "http://hl7.org/fhir/StructureDefinition/derivation-reference"


def _spans(*spans: Span | None) -> list[dict[str, Any]]:
    return [
        {"url": DERIVATION, "extension": [
            {"url": "reference", "valueReference": {"reference": "DocumentReference/doc"}},
            {"url": "offset", "valueInteger": s.start},
            {"url": "length", "valueInteger": s.length},
        ]}
        for s in spans if s is not None
    ]


def _code(fact: Fact) -> dict[str, Any]:
    return {"text": fact.mention.text,
            "coding": [{"system": c.system, "code": c.code, "display": c.display}
                       for c in fact.codings]}


def _value(fact: Fact) -> dict[str, Any]:
    result = fact.mention.result
    if result is None:
        return {}
    q = result.quantity
    if q is not None:
        out: dict[str, Any] = {"value": float(q.value), "unit": q.unit_text or ""}
        if q.comparator:
            out["comparator"] = str(q.comparator)
        return {"valueQuantity": out}
    return {"valueString": result.text}


def _resources(fact: Fact) -> list[dict[str, Any]]:
    """A finding with a measured value ("fever of 38.9 °C") is a Condition and an Observation."""
    main = _resource(fact)
    m = fact.mention
    if main is None:
        return []
    if main["resourceType"] == "Condition" and m.result and not m.context.negated:
        return [main, {"resourceType": "Observation", "status": "final",
                       "extension": _spans(m.span, m.result.span), "code": _code(fact), **_value(fact)}]
    return [main]


def _resource(fact: Fact) -> dict[str, Any] | None:
    m = fact.mention
    if not m.context.is_patient_fact:
        return None
    ext = _spans(m.span, m.result.span if m.result else None)
    kind = m.kind
    if kind in (MentionKind.DISORDER, MentionKind.FINDING):
        status = "refuted" if m.context.negated else (
            "provisional" if m.context.uncertain else "confirmed")
        return {"resourceType": "Condition", "extension": ext, "code": _code(fact),
                "verificationStatus": {"coding": [{"code": status}]}}
    if kind is MentionKind.LAB_TEST or (kind is MentionKind.DIAGNOSTIC_PROCEDURE and m.result):
        return {"resourceType": "Observation", "status": "final", "extension": ext,
                "code": _code(fact), **_value(fact)}
    if kind in (MentionKind.DIAGNOSTIC_PROCEDURE, MentionKind.THERAPEUTIC_PROCEDURE):
        return {"resourceType": "Procedure", "extension": ext, "code": _code(fact),
                "status": "not-done" if m.context.negated else "completed"}
    if kind is MentionKind.MEDICATION:
        return {"resourceType": "MedicationAdministration", "extension": ext,
                "status": "not-done" if m.context.negated else "completed",
                "medicationCodeableConcept": _code(fact)}
    return None


def bundle(coded: CodedReport) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    for patient in coded.patients:
        case = patient.case
        resource: dict[str, Any] = {"resourceType": "Patient", "id": case.key}
        if case.sex.value != "unknown":
            resource["gender"] = case.sex.value
        if case.age:
            resource["extension"] = [{"url": "http://example.org/age", "valueAge": {
                "value": float(case.age.value), "code": case.age.unit}}]
        entries.append({"resource": resource})
        if case.key != "p1":
            continue
        entries += [{"resource": r} for fact in patient.facts for r in _resources(fact)]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def snapshot(coded: CodedReport) -> list[Any]:
    return [[p.case.key, p.case.sex, str(p.case.age), [repr(f) for f in p.facts]]
            for p in coded.patients]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--snapshot", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    terminology = load_terminology()
    print(f"terminology: {time.perf_counter() - started:.2f} s (cache={terminology.from_cache})")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.txt"))}
    coded: dict[str, CodedReport] = {}
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    passes: list[float] = []
    for _ in range(args.repeat):  # CPU time of this process, best pass: the machine is shared
        t0 = time.process_time()
        for name, text in texts.items():
            coded[name] = code_report(extract(text, name, terminology), terminology)
        passes.append(time.process_time() - t0)
    if profiler:
        profiler.disable()
    best = min(passes)
    chars = sum(map(len, texts.values())) / len(texts)
    print(f"{len(texts)} reports ({chars:.0f} chars avg): {1000 * best / len(texts):.3f} ms/report "
          f"CPU (best of {args.repeat}), {len(texts) / best:.0f} reports/s")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, c in coded.items():
            (args.out / f"{name}.json").write_text(json.dumps(bundle(c)), encoding="utf-8")
    snap = {name: snapshot(c) for name, c in coded.items()}
    if args.snapshot:
        args.snapshot.write_text(json.dumps(snap, indent=0), encoding="utf-8")
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))
        new = json.loads(json.dumps(snap))
        changed = [k for k in sorted(old) if old[k] != new.get(k)]
        print(f"mentions changed in {len(changed)} reports: {changed[:10]}")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
