"""text → Bundle, stage by stage: parse and extract → code → map → validate.

    converter = Converter()                       # terminology and validator loaded once
    conversion = converter.convert(text, "case-17")
    conversion.bundle, conversion.ok, conversion.outcome()

Validation is ``structure`` (R4 structure only: the fast path) or ``full`` (every
layer of :class:`~fhirsvc.validation.Validator` and fhirsvc's own profiles). A
Conversion whose Bundle has an error is not ``ok``: callers must not store or write
it as if it were valid (the command line writes its OperationOutcome beside it and
exits non-zero).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from fhirsvc.extract import ExtractionError, extract
from fhirsvc.mappers import DEFAULT_RECORDED, BundleType, to_bundle
from fhirsvc.outcome import Issue, operation_outcome
from fhirsvc.spec import load_spec
from fhirsvc.terminology import Terminology, code_report, load_terminology
from fhirsvc.validation import Validator

Validation = Literal["structure", "full"]
STAGES = ("extract", "code", "map", "validate")


@dataclass(frozen=True, slots=True)
class Conversion:
    """One report converted: its Bundle and what validation found."""

    name: str
    bundle: dict[str, Any]
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(issue.is_error for issue in self.issues)

    def outcome(self) -> dict[str, Any]:
        return operation_outcome(self.issues)


@dataclass
class Converter:
    """The whole convert path, with what it needs built once per process."""

    bundle_type: BundleType = "transaction"
    validation: Validation = "full"
    #: Provenance.recorded (an instant); fixed by default so output is reproducible.
    recorded: str = DEFAULT_RECORDED
    terminology: Terminology = field(default_factory=load_terminology)
    validator: Validator | None = None
    #: CPU seconds spent per stage since construction (read by the benchmark)
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    def __post_init__(self) -> None:
        if self.validator is None:
            self.validator = Validator.from_spec(load_spec(), codes=self.terminology)

    def convert(self, text: str, name: str) -> Conversion:
        """Raises :class:`~fhirsvc.extract.ExtractionError` when the text cannot be read:
        blank, not Unicode (lone surrogates), a JSON document, or longer than extraction
        reads."""
        if not text.strip():
            raise ExtractionError("the text is empty: there is no report to convert")
        if not _is_unicode(text):
            raise ExtractionError("the text is not valid Unicode (it holds lone surrogates)")
        if _is_json(text):
            raise ExtractionError("a JSON document, not a case report (fhirsvc validate and "
                                  "fhirsvc serve --load read FHIR JSON)")
        extracted = self._timed("extract", extract, text, name, self.terminology)
        coded = self._timed("code", code_report, extracted, self.terminology)
        bundle = self._timed("map", to_bundle, coded, self.bundle_type, self.recorded)
        issues = self._timed("validate", self._validate, bundle)
        return Conversion(name, bundle, tuple(issues))

    def _validate(self, bundle: dict[str, Any]) -> list[Issue]:
        assert self.validator is not None
        if self.validation == "structure":
            return self.validator.check_structure(bundle)
        return self.validator.validate(bundle, fhirsvc_profiles=True)

    def _timed(self, stage: str, step: Any, *args: Any) -> Any:
        started = time.process_time()
        try:
            return step(*args)
        finally:
            self.timings[stage] += time.process_time() - started


def _is_json(text: str) -> bool:
    """Whether ``text`` is a JSON object or array: a Bundle given back to ``convert`` by
    mistake, whose text would convert to a Bundle about nobody (and, converted into the
    folder it came from, replace it)."""
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
