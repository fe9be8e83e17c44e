"""``fhirsvc validate PATH...``: validate JSON files and folders, report per file.

Text output is one line per issue (file, severity, code, FHIRPath location, message);
JSON output is a Bundle (type collection) holding one OperationOutcome per file, its
``fullUrl`` the file's URI. ``-`` reads one resource or Bundle from standard input (as
``fhirsvc convert -`` writes one). Exit status: 0 when no file has an error, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from fhirsvc.inputs import STDIN, InputError, decode
from fhirsvc.outcome import Issue, Severity, operation_outcome
from fhirsvc.validation.validator import Validator


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    issues: tuple[Issue, ...]

    @property
    def has_errors(self) -> bool:
        return any(issue.is_error for issue in self.issues)


def find_json_files(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The files to validate (folders searched recursively for ``*.json``), and the
    arguments that name nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing


def validate_file(validator: Validator, path: Path, *,
                  fhirsvc_profiles: bool = False) -> FileResult:
    try:
        data = sys.stdin.buffer.read() if str(path) == STDIN else path.read_bytes()
    except OSError as exc:
        return _fatal(path, "exception", f"cannot read the file: {exc.strerror or exc}")
    try:
        resource: Any = json.loads(decode(data))
    except InputError as exc:  # empty, not UTF-8, binary: said as `fhirsvc convert` says it
        return _fatal(path, "structure", str(exc))
    except json.JSONDecodeError as exc:
        return _fatal(path, "structure", f"not valid JSON: {exc}")
    return FileResult(path, tuple(validator.validate(resource, fhirsvc_profiles=fhirsvc_profiles)))


def _fatal(path: Path, code: str, message: str) -> FileResult:
    return FileResult(path, (Issue(Severity.FATAL, code, message),))


def iter_results(validator: Validator, files: Sequence[Path], *,
                 fhirsvc_profiles: bool = False) -> Iterator[FileResult]:
    for path in files:
        yield validate_file(validator, path, fhirsvc_profiles=fhirsvc_profiles)


def write_text(result: FileResult, out: TextIO) -> None:
    for issue in result.issues:
        where = ", ".join(issue.expression) or "-"
        out.write(f"{result.path}: {issue.severity} {issue.code} {where}: {issue.diagnostics}\n")


def outcome_bundle(results: Sequence[FileResult]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {**({} if str(result.path) == STDIN else {"fullUrl": result.path.resolve().as_uri()}),
             "resource": operation_outcome(result.issues)}
            for result in results
        ],
    }


def summary(results: Sequence[FileResult]) -> str:
    errors = sum(1 for r in results for i in r.issues if i.is_error)
    warnings = sum(1 for r in results for i in r.issues if i.severity is Severity.WARNING)
    failed = sum(1 for r in results if r.has_errors)
    return (f"{len(results)} file(s) validated: {failed} with errors; "
            f"{errors} error(s), {warnings} warning(s)")
