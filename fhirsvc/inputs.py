"""Finding and reading the case reports the command line is given.

A report is a UTF-8 text file (``*.txt`` when found in a folder; any file named
directly). Its text is kept exactly as given (no newline translation), because every
derivation-reference offset counts characters of that text. A file that cannot be a
report raises :class:`InputError` saying why, in words a user can act on.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STDIN = "-"
#: Share of control characters (other than tab, CR, LF, FF) above which a file is not text.
_CONTROL_SHARE = 0.01
_CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\r\n\f"]


class InputError(ValueError):
    """A file that cannot be read as a case report; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file, or standard input (``path`` None)."""

    path: Path | None

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "<stdin>"

    @property
    def given(self) -> str:
        """The input as the command line named it: the path, or ``-`` for stdin."""
        return str(self.path) if self.path else STDIN

    @property
    def name(self) -> str:
        """The report's name: the file's basename without extension, ``-`` for stdin."""
        return self.path.stem if self.path else STDIN

    def read(self) -> str:
        data = self.path.read_bytes() if self.path else sys.stdin.buffer.read()
        return decode(data)

    def read_report(self) -> str:
        """The text of a case report, as :meth:`read` gives it, refusing (InputError) an
        input of more bytes than a report can have (four per character of
        ``MAX_CHARS``: UTF-8 takes at most four) before reading it whole: a 60 MB file
        took 25 s and 330 MB to refuse. Every command that reads reports reads them here,
        so ``convert`` and ``serve --load`` refuse the same files in the same words."""
        from fhirsvc.extract import MAX_CHARS

        limit = 4 * MAX_CHARS
        size = 0  # known only for a regular file: a pipe or a terminal says 0
        if self.path is None:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with self.path.open("rb") as stream:
                size = os.fstat(stream.fileno()).st_size
                data = b"" if size > limit else stream.read(limit + 1)
        if size > limit or len(data) > limit:
            said = f"{size:,}" if size > limit else f"more than {limit:,}"
            raise InputError(f"too long for a case report: {said} bytes (at most "
                             f"{MAX_CHARS:,} characters are read)")
        return decode(data)


def decode(data: bytes) -> str:
    """The text of a report file, or InputError: empty, not UTF-8, or not text.

    A leading UTF-8 byte order mark (which Windows editors write) is not part of the
    text: it is dropped, as ``$convert`` drops it, so a report gives the same ids and
    offsets however it arrives (https://www.rfc-editor.org/rfc/rfc3629#section-6).
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        return _fail("empty file" if not data else "file holds only whitespace")
    if b"\x00" in data:
        return _fail("not text (binary data: it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _fail(f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})")
    controls = sum(map(text.count, _CONTROLS))  # one C-speed count per character
    if controls > _CONTROL_SHARE * len(text):
        return _fail(f"not text ({controls} control characters)")
    return text


def _fail(problem: str) -> str:
    raise InputError(problem)


def find_sources(paths: Iterable[str], search: Callable[[Path], Iterable[Path]] | None = None,
                 ) -> tuple[list[Source], list[str]]:
    """The inputs named by ``paths`` (files, folders searched by ``search``, by default for
    their ``*.txt``, and ``-``) in order without repeats, and the paths that name nothing.

    A file named twice (directly and through its folder, or by two spellings of its path)
    is one input, kept as first named: it is read, converted or loaded once."""
    search = search or _texts
    found: dict[Path | None, Source] = {}
    missing: list[str] = []
    for given in paths:
        if given == STDIN:
            found.setdefault(None, Source(None))
            continue
        path = Path(given)
        if path.is_dir():
            for file in search(path):
                found.setdefault(file.resolve(), Source(file))
        elif path.is_file():
            found.setdefault(path.resolve(), Source(path))
        else:
            missing.append(given)
    return list(found.values()), missing


def files_below(suffixes: tuple[str, ...]) -> Callable[[Path], list[Path]]:
    """A folder search for :func:`find_sources`: every file below the folder, at any depth,
    whose name ends in one of ``suffixes``, in path order."""
    def search(folder: Path) -> list[Path]:
        return sorted(p for p in folder.rglob("*") if p.suffix in suffixes and p.is_file())
    return search


def _texts(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.glob("*.txt") if p.is_file())
