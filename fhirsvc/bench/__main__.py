"""``python -m fhirsvc.bench NAME [ARGS]``: a tiny dispatcher, one module per benchmark."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {"validate": "fhirsvc.bench.validate", "convert": "fhirsvc.bench.convert",
              "http": "fhirsvc.bench.http_server", "context": "fhirsvc.bench.context"}


USAGE = f"""usage: python -m fhirsvc.bench {{{'|'.join(BENCHMARKS)}}} [ARGS]

  validate  validator throughput (resources per CPU second)
  convert   converter throughput against medspaCy (FOLDER of *.txt, default seeds/)
  http      the FHIR server over HTTP against a no-database ceiling (wrk or Python)
  context   negation, history, experiencer on a NegEx test kit against medspaCy's ConText

python -m fhirsvc.bench NAME --help says more; python -m fhirsvc.storage.bench measures
the store alone."""


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if not argv or argv[0] not in BENCHMARKS:
        print(USAGE, file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[argv[0]])
    return int(module.main(argv[1:]))


raise SystemExit(main(sys.argv[1:]))
