"""Converting many reports: one Bundle file per report, problems reported per file.

A file that fails (unreadable, not a report, or giving an invalid Bundle) is named
on standard error in one line and the batch goes on; the caller turns the counts
into an exit status. An invalid Bundle is never written silently: its
``<name>.outcome.json`` (an OperationOutcome) is written beside it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
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


class AtomicFiles:
    """Files written beside their final names and renamed into place together when the
    block ends without an error; after an error every one is removed and the files of
    the final names are left as they were (an export that fails midway changes nothing).
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path, IO[str]]] = []

    def open(self, path: Path) -> IO[str]:
        """A UTF-8 stream whose text becomes ``path`` when the block succeeds."""
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        # 0o666 less the umask, as open() would make it (mkstemp's 0o600 hid Bundles from others)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        stream = os.fdopen(handle, "w", encoding="utf-8")
        self._pending.append((temporary, path, stream))
        return stream

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            for _, _, stream in self._pending:
                stream.close()  # may raise (a full disk): then nothing is renamed
            if kind is None:
                self._rename_all()
                self._pending = []
        finally:
            for temporary, _, stream in self._pending:
                with suppress(OSError):  # its error is already on its way
                    stream.close()
                temporary.unlink(missing_ok=True)

    def _rename_all(self) -> None:
        """Rename every file into place, or none: each final file is first kept aside by a
        second name, and a rename that fails puts back the files renamed before it."""
        kept = [(path, _keep_aside(path)) for _, path, _ in self._pending]
        done: list[tuple[Path, Path | None]] = []
        try:
            for (temporary, path, _), (_, aside) in zip(self._pending, kept, strict=True):
                os.replace(temporary, path)
                done.append((path, aside))
        except OSError:
            for path, aside in reversed(done):
                with suppress(OSError):  # the first error is the one to report
                    if aside is None:
                        path.unlink()
                    else:
                        os.replace(aside, path)
            raise
        finally:
            for _, aside in kept:
                if aside is not None:
                    aside.unlink(missing_ok=True)


def _keep_aside(path: Path) -> Path | None:
    """A second name (a hard link, else a copy) for the file at ``path``, which stays where
    it is; None when there is no file there."""
    if not path.is_file():
        return None
    aside = path.parent / f".{path.name}.{secrets.token_hex(6)}.old"
    try:
        os.link(path, aside)
    except OSError:
        shutil.copy2(path, aside)
    return aside


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 stream whose text replaces ``path`` when the block ends without an error,
    so that a reader never sees half a file (and a failed write leaves the old one)."""
    with AtomicFiles() as files:
        yield files.open(path)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees half a file."""
    with atomic_writer(path) as stream:
        stream.write(text)


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
            conversion = self.converter.convert(source.read_report(), source.name)
        except (InputError, ExtractionError) as problem:
            return self._fail(source, str(problem), bar)
        except OSError as problem:
            return self._fail(source, problem.strerror or str(problem), bar)
        except Exception as problem:  # a defect of fhirsvc: say so, go on with the other files
            return self._fail(source, f"internal error ({type(problem).__name__}: {problem})", bar)
        try:
            written = self._write(source, conversion)
        except OSError as problem:  # a full disk, no permission, a folder in the way
            return self._fail(source, f"cannot write {problem.filename or self.out}: "
                                      f"{problem.strerror or problem}", bar)
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
        if self.out is not None and source.path is not None and \
                (self.out / f"{source.name}.json").resolve() == source.path.resolve():
            raise InputError("its Bundle would overwrite the file itself; give another --out")

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
