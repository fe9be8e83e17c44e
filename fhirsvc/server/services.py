"""What the server lends operations and write checks: the store, and the heavy parts
(validator, terminology) built once per app, on first use, by one thread."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fhirsvc.storage import ResourceStore
    from fhirsvc.terminology import Terminology
    from fhirsvc.validation import Validator


class AppServices:
    """The :class:`fhirsvc.server.operations.Services` of one app."""

    def __init__(self, store: ResourceStore, *, check_codes: bool = False) -> None:
        self._store = store
        self._check_codes = check_codes
        self._lock = threading.Lock()
        self._validator: Validator | None = None
        self._terminology: Terminology | None = None

    @property
    def store(self) -> ResourceStore:
        return self._store

    def validator(self) -> Validator:
        """The R4 validator (about a second to build; shared by every request after),
        checking that codes exist when the app was configured to (``check_codes``).

        Only systems fhirsvc holds in full are checked (``COMPLETE_SYSTEMS``): a client's
        SNOMED CT or LOINC code outside the curated tables may well be real."""
        if self._validator is None:
            with self._lock:
                if self._validator is None:
                    from fhirsvc.terminology.store import COMPLETE_SYSTEMS
                    from fhirsvc.validation import Validator
                    from fhirsvc.validation.bindings import LazyCodeLookup

                    codes = (LazyCodeLookup(self.terminology, COMPLETE_SYSTEMS)
                             if self._check_codes else None)
                    self._validator = Validator.from_spec(codes=codes)
        return self._validator

    def terminology(self) -> Terminology:
        if self._terminology is None:
            with self._lock:
                if self._terminology is None:
                    from fhirsvc.terminology import load_terminology

                    self._terminology = load_terminology()
        return self._terminology
