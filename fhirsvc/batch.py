"""Converting many reports: one Bundle file per report, problems reported per file.

A file that fails (unreadable, not a report, or giving an invalid Bundle) is named
on standard error in one line and the batch goes on; the caller turns the counts
into an exit status. An invalid Bundle is never written silently: its
``<name>.outcome.json`` (an OperationOutcome) is written beside it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tqdm import tqdm

from fhirsvc.extract import ExtractionError
from fhirsvc.inputs import InputError, Source
from fhirsvc.jsontext import dumps
from fhirsvc.pipeline import Conversion, Converter


@dataclass
class Tally:
    written: int = 0
    failed: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Batch:
    """Convert ``sources`` with one :class:`Converter`, writing into ``out`` (or stdout)."""

    def __init__(self, converter: Converter, out: Path | None, *, progress: bool = False,
                 stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> None:
        self.converter, self.out = converter, out
        self.progress, self.stdout, self.stderr = progress, stdout, stderr
        self.tally = Tally()
        self._names: dict[str, Source] = {}

    def run(self, sources: Sequence[Source]) -> Tally:
        bar = tqdm(sources, total=len(sources), unit="report", file=self.stderr,
                   disable=not self.progress, dynamic_ncols=True)
        for source in bar:
            self._one(source, bar)
        bar.close()
        return self.tally

    def _one(self, source: Source, bar: tqdm[Source]) -> None:
        try:
            self._claim(source)
            conversion = self.converter.convert(source.read(), source.name)
        except (InputError, ExtractionError) as problem:
            return self._fail(source, str(problem), bar)
        except OSError as problem:
            return self._fail(source, problem.strerror or str(problem), bar)
        except Exception as problem:  # a defect of fhirsvc: say so, go on with the other files
            return self._fail(source, f"internal error ({type(problem).__name__}: {problem})", bar)
        written = self._write(source, conversion)
        if not conversion.ok:
            errors = sum(issue.is_error for issue in conversion.issues)
            return self._fail(source, f"the Bundle has {errors} validation error(s); see {written}",
                              bar)
        self.tally.written += 1
        return None

    def _claim(self, source: Source) -> None:
        other = self._names.setdefault(source.name, source)
        if other is not source and source.path is not None:
            raise InputError(f"its Bundle would overwrite the one of {other.label} "
                             f"({source.name}.json); rename one of them")

    def _write(self, source: Source, conversion: Conversion) -> str:
        """Write the Bundle (and the outcome when invalid); where the outcome is."""
        if source.path is None or self.out is None:
            self.stdout.write(dumps(conversion.bundle))
            self.stdout.flush()
            if not conversion.ok:
                self.stderr.write(dumps(conversion.outcome()))
            return "the OperationOutcome on standard error"
        write_atomically(self.out / f"{source.name}.json", dumps(conversion.bundle))
        outcome = self.out / f"{source.name}.outcome.json"
        if conversion.ok:
            outcome.unlink(missing_ok=True)
        else:
            write_atomically(outcome, dumps(conversion.outcome()))
        return str(outcome)

    def _fail(self, source: Source, problem: str, bar: tqdm[Source]) -> None:
        self.tally.failed += 1
        line = f"fhirsvc convert: {source.label}: {problem}"
        if self.progress:
            bar.write(line, file=self.stderr)
        else:
            print(line, file=self.stderr)
