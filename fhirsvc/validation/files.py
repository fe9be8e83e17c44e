"""``fhirsvc validate PATH...``: validate JSON and NDJSON files and folders, report per file.

Text output is one line per issue (file, severity, code, FHIRPath location, message);
JSON output is a Bundle (type collection) holding one OperationOutcome per file, its
``fullUrl`` the file's URI. ``-`` reads one resource or Bundle from standard input (as
``fhirsvc convert -`` writes one). Exit status: 0 when no file has an error, 1 otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, TextIO

from fhirsvc.inputs import InputError, Source, files_below, find_sources
from fhirsvc.jsontext import NotJson, loads
from fhirsvc.outcome import Issue, Severity, operation_outcome
from fhirsvc.validation.validator import Validator

#: What folders are searched for: resources and Bundles, and NDJSON (one resource a line).
SUFFIXES = (".json", ".ndjson")


@dataclass(frozen=True, slots=True)
class FileResult:
    source: Source
    issues: tuple[Issue, ...]

    @property
    def has_errors(self) -> bool:
        return any(issue.is_error for issue in self.issues)


def find_json_files(paths: Sequence[str]) -> tuple[list[Source], list[str]]:
    """The files to validate (folders searched recursively for ``*.json`` and ``*.ndjson``;
    ``-`` is stdin) in order without repeats, and the arguments that name nothing."""
    return find_sources(paths, files_below(SUFFIXES))


def validate_file(validator: Validator, source: Source, *,
                  fhirsvc_profiles: bool = False) -> FileResult:
    """The issues of one file: a resource or Bundle, or with ``.ndjson`` one resource a
    line (what ``fhirsvc export`` writes and FHIR Bulk Data uses), each issue of a line
    said with its line number."""
    try:
        text = source.read()
    except OSError as exc:
        return _fatal(source, "exception", f"cannot read the file: {exc.strerror or exc}")
    except InputError as exc:  # empty, not UTF-8, binary: said as `fhirsvc convert` says it
        return _fatal(source, "structure", str(exc))
    if source.path is None or source.path.suffix != ".ndjson":
        return FileResult(source, tuple(_validate_text(validator, text, fhirsvc_profiles)))
    issues = [replace(issue, diagnostics=f"line {number}: {issue.diagnostics}")
              for number, line in enumerate(text.splitlines(), 1) if line.strip()
              for issue in _validate_text(validator, line, fhirsvc_profiles)]
    return FileResult(source, tuple(issues))


def _validate_text(validator: Validator, text: str, fhirsvc_profiles: bool) -> list[Issue]:
    try:
        resource: Any = loads(text)
    except NotJson as exc:  # malformed, nested too deeply, a lone surrogate
        return [Issue(Severity.FATAL, "structure", f"not valid JSON: {exc}")]
    return validator.validate(resource, fhirsvc_profiles=fhirsvc_profiles)


def _fatal(source: Source, code: str, message: str) -> FileResult:
    return FileResult(source, (Issue(Severity.FATAL, code, message),))


def iter_results(validator: Validator, files: Sequence[Source], *,
                 fhirsvc_profiles: bool = False) -> Iterator[FileResult]:
    for source in files:
        yield validate_file(validator, source, fhirsvc_profiles=fhirsvc_profiles)


def write_text(result: FileResult, out: TextIO) -> None:
    for issue in result.issues:
        where = ", ".join(issue.expression) or "-"
        out.write(f"{result.source.given}: {issue.severity} {issue.code} {where}: "
                  f"{issue.diagnostics}\n")


def outcome_bundle(results: Sequence[FileResult]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {**({"fullUrl": path.resolve().as_uri()} if (path := result.source.path) else {}),
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
