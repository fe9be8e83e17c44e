"""``python -m fhirsvc.bench NAME [ARGS]``: a tiny dispatcher, one module per benchmark."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {"validate": "fhirsvc.bench.validate", "convert": "fhirsvc.bench.convert",
              "http": "fhirsvc.bench.http_server"}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        print(f"usage: python -m fhirsvc.bench {{{'|'.join(BENCHMARKS)}}} [ARGS]", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[argv[0]])
    return int(module.main(argv[1:]))


raise SystemExit(main(sys.argv[1:]))
