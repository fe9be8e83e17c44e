"""Reports converted per second on one core, beside medspaCy's pipeline on the same texts.

    python -m fhirsvc.bench convert [DIR] [--seconds S] [--rules N]
    python -m fhirsvc.bench convert [DIR] --long 0.5 1 2 4

DIR holds ``*.txt`` reports (default: ``seeds/``; the dev corpus is the fairer
measure: ``/work/shared/dev-corpus/maccrobat-dev``). Each side runs in a process of its
own pinned to one CPU, so its start-up and peak resident memory (``ru_maxrss``) are its
own. Rates and stage times are of CPU time (``time.process_time``), not wall time:

* fhirsvc: the whole convert (extract, code, map, R4 structure check), with the time
  per stage, and the rate with full validation (every layer and fhirsvc's profiles);
* medspaCy: spaCy's blank English model, its rule sentencizer, medspaCy's TargetMatcher
  with one literal rule per term of fhirsvc's lexicon (the same vocabulary) and
  medspaCy's ConText with its default rules: entity recognition and assertion only.

The ratio is fhirsvc's rate over medspaCy's. With ``--long``, one report of each size
(millions of characters: DIR's reports joined) is converted once per process, with the
structure check and with full validation: CPU seconds and peak memory per size, whose
ratio to the length should stay about the same (work in proportion to the length).
Needs the ``bench`` extra (``pip install -e '.[bench]'``) for the medspaCy side.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fhirsvc.pipeline import Validation

Figures = dict[str, Any]


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rate(run: Callable[[str, str], Any], texts: dict[str, str],
          seconds: float) -> tuple[float, int]:
    """Reports per CPU second over whole passes of ``texts`` lasting at least ``seconds`` of
    CPU: the machine may be shared, and time spent waiting for the core is not the
    converter's."""
    done, started = 0, time.process_time()
    while True:
        for name, text in texts.items():
            run(text, name)
        done += len(texts)
        elapsed = time.process_time() - started
        if elapsed >= seconds:
            return done / elapsed, done


def fhirsvc_side(texts: dict[str, str], seconds: float) -> Figures:
    from fhirsvc.pipeline import STAGES, Converter

    started = time.perf_counter()
    converter = Converter(validation="structure")
    startup = time.perf_counter() - started
    for name, text in texts.items():  # warm-up pass
        converter.convert(text, name)
    converter.timings = dict.fromkeys(STAGES, 0.0)
    rate, done = _rate(converter.convert, texts, seconds)
    stages = {stage: spent / done for stage, spent in converter.timings.items()}
    converter.validation = "full"
    full, _ = _rate(converter.convert, texts, seconds / 2)
    return {"startup": startup, "rate": rate, "stages": stages, "full_rate": full,
            "lexicon_terms": len(converter.terminology.lexicon), "peak_mb": _peak_mb()}


def medspacy_side(texts: dict[str, str], seconds: float, rules: int | None) -> Figures:
    try:
        import medspacy  # noqa: F401  (registers the medspaCy pipeline components)
        import spacy
        from medspacy.target_matcher import TargetRule
    except ImportError as missing:
        return {"error": f"medspaCy is not installed ({missing}): pip install -e '.[bench]'"}
    from fhirsvc.terminology import load_terminology

    terminology = load_terminology()
    entries = sorted(terminology.lexicon.entries())[:rules]
    started = time.perf_counter()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # A medspaCy TargetMatcher; spaCy's stubs (when installed) only know it as a Pipe.
    matcher: Any = nlp.add_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(term, str(kind).upper()) for term, kind in entries])
    nlp.add_pipe("medspacy_context")
    startup = time.perf_counter() - started
    for text in texts.values():  # warm-up pass
        nlp(text)
    rate, _ = _rate(lambda text, _name: nlp(text), texts, seconds)
    return {"startup": startup, "rate": rate, "rules": len(entries), "peak_mb": _peak_mb()}


def long_report(texts: dict[str, str], chars: int) -> str:
    """One report of about ``chars`` characters: the reports one after another, again
    from the first when they run out, cut after the last whole line that fits."""
    parts, total = [], 0
    while total < chars:
        for text in texts.values():
            parts.append(text)
            total += len(text) + 1
            if total >= chars:
                break
    joined = "\n".join(parts)[:chars]
    return joined[: joined.rfind("\n") + 1] or joined


def long_side(texts: dict[str, str], chars: int, validation: Validation) -> Figures:
    """CPU seconds and peak memory of converting one long report (nothing else in the
    process but the converter: the peak is the converter's at that length)."""
    from fhirsvc.pipeline import Converter

    converter = Converter(validation=validation)
    text = long_report(texts, chars)
    started = time.process_time()
    converter.convert(text, "long")
    return {"chars": len(text), "seconds": time.process_time() - started, "peak_mb": _peak_mb()}


def _print_long(texts: dict[str, str], sizes: list[float]) -> None:
    """Time and memory should grow in proportion to a report's length: per million
    characters, the figures stay about the same from size to size."""
    print("long reports (the reports joined), one process each:")
    validations: tuple[Validation, ...] = ("structure", "full")
    for validation in validations:
        for size in sizes:
            got = _in_process(long_side, texts, int(size * 1_000_000), validation)
            millions = got["chars"] / 1e6
            print(f"  {got['chars']:>9,} characters, {validation:<9}: {got['seconds']:6.1f} s "
                  f"({got['seconds'] / millions:4.1f} s per million), peak "
                  f"{got['peak_mb']:,.0f} MB")


def _pinned(target: Callable[..., Figures], *args: Any) -> Figures:
    _one_core()
    return target(*args)


def _in_process(target: Callable[..., Figures], *args: Any) -> Figures:
    """Run ``target`` in a fresh process on one CPU: its start-up and peak memory are its own."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_pinned, (target, *args))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m fhirsvc.bench convert")
    parser.add_argument("folder", nargs="?", default="seeds", type=Path)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--rules", type=int, help="medspaCy target rules (default: every term)")
    parser.add_argument("--long", metavar="MB", type=float, nargs="+",
                        help="instead: convert one long report per size in millions of "
                             "characters (the reports joined), CPU time and peak memory")
    args = parser.parse_args(argv)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(args.folder.glob("*.txt"))}
    if not texts:
        parser.error(f"no *.txt in {args.folder}")
    if args.long:
        _print_long(texts, args.long)
        return 0
    chars = sum(map(len, texts.values())) / len(texts)
    print(f"{len(texts)} reports from {args.folder} ({chars:,.0f} characters on average), "
          "one core, CPU time")
    ours = _in_process(fhirsvc_side, texts, args.seconds)
    print(f"fhirsvc convert (extract, code, map, structure check): {ours['rate']:,.1f} reports/s, "
          f"start-up {ours['startup']:.1f} s, peak {ours['peak_mb']:,.0f} MB")
    for stage, spent in ours["stages"].items():
        print(f"  {stage:<9} {1000 * spent:7.2f} ms/report")
    print(f"  with full validation (all layers, fhirsvc profiles): "
          f"{ours['full_rate']:,.1f} reports/s")
    theirs = _in_process(medspacy_side, texts, args.seconds, args.rules)
    if "error" in theirs:
        print(f"medspaCy: {theirs['error']}")
        return 1
    print(f"medspaCy (blank en, sentencizer, TargetMatcher with {theirs['rules']:,} rules, "
          "ConText): "
          f"{theirs['rate']:,.1f} reports/s, start-up {theirs['startup']:.1f} s, "
          f"peak {theirs['peak_mb']:,.0f} MB")
    print(f"ratio fhirsvc / medspaCy: {ours['rate'] / theirs['rate']:.1f}x")
    return 0
