"""Resources validated per second on one core, all layers on, and each layer's share.

    python -m fhirsvc.bench validate [PATH ...] [--seconds S]

PATHs are JSON resources or Bundles (default: tests/validation/examples/ and the
seeds' golden Bundles in tests/golden/, in the checkout). Each round validates every
file once with fhirsvc's profiles and terminology on; a Bundle counts as its entries
plus itself. Times are the process's CPU time, so other work on a shared machine does
not count. The structure-only figure is the converter's hot path
(:meth:`Validator.check_structure`); the last run repeats the first with the
reference engines (fhirpathpy for invariants, jsonschema without the gate), the
validator as it was before the compiled engines.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from fhirsvc.terminology import load_terminology
from fhirsvc.validation import Layer, Validator
from fhirsvc.validation.files import find_json_files

DEFAULT = (Path("tests/validation/examples"), Path("tests/golden"))


def count_resources(resource: dict[str, Any]) -> int:
    entries = resource.get("entry", []) if resource.get("resourceType") == "Bundle" else []
    return 1 + sum(1 for e in entries if isinstance(e, dict) and "resource" in e)


def rounds(validator: Validator, docs: list[Any], seconds: float,
           structure_only: bool) -> tuple[int, float]:
    done = 0
    started = time.process_time()
    while time.process_time() - started < seconds:
        for doc in docs:
            if structure_only:
                validator.check_structure(doc)
            else:
                validator.validate(doc, fhirsvc_profiles=True)
        done += 1
    return done, time.process_time() - started


def measure(validator: Validator, docs: list[Any], per_round: int, seconds: float) -> float:
    """Resources per CPU second, all layers on; the layers' shares are printed."""
    rounds(validator, docs, 0.3, False)  # warm caches (UCUM parses, empty-node results)
    validator.timings = dict.fromkeys(Layer, 0.0)
    done, elapsed = rounds(validator, docs, seconds, False)
    rate = done * per_round / elapsed
    print(f"  {rate:,.0f} resources/s ({1e6 / rate:.0f} us per resource, one core)")
    total = sum(validator.timings.values())
    for layer, spent in validator.timings.items():
        print(f"    {layer:<12} {100 * spent / total:5.1f} %  "
              f"{1e6 * spent / (done * per_round):7.1f} us/resource")
    return rate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m fhirsvc.bench validate")
    parser.add_argument("paths", nargs="*", default=[str(p) for p in DEFAULT if p.is_dir()])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the run with the reference engines "
                             "(fhirpathpy, jsonschema alone)")
    args = parser.parse_args(argv)
    files, missing = find_json_files(args.paths)
    if missing or not files:
        parser.error(f"nothing to validate in {args.paths}")
    docs = [json.loads(source.read()) for source in files]
    per_round = sum(count_resources(d) for d in docs)
    built = time.process_time()
    validator = Validator.from_spec(codes=load_terminology())
    print(f"validator built in {time.process_time() - built:.2f} s (terminology included); "
          f"{len(files)} files, {per_round} resources per round; CPU time of this process")
    print("all layers, compiled FHIRPath and schema gate:")
    rate = measure(validator, docs, per_round, args.seconds)
    done, elapsed = rounds(validator, docs, args.seconds / 2, True)
    fast = done * per_round / elapsed
    print(f"structure only: {fast:,.0f} resources/s ({1e6 / fast:.1f} us per resource; "
          f"a 40-resource Bundle in {40e3 / fast:.2f} ms)")
    if not args.no_reference:
        validator.invariants.use_reference_engine()
        validator.schema.gate = None
        print("all layers, reference engines (fhirpathpy, jsonschema alone):")
        before = measure(validator, docs, per_round, args.seconds)
        print(f"compiled / reference: {rate / before:.1f} x")
    return 0
