"""The validator: six layers over one structure walk, every issue collected.

Build it once (about 0.2 s; invariants compile when first met, the schema gate on the
first check) and call :meth:`Validator.validate`
for each resource or Bundle; :meth:`Validator.check_structure` is the fast path for
the converter's hot loop. See https://hl7.org/fhir/R4/validation.html.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from enum import StrEnum
from typing import Any

from fhirsvc.outcome import Issue
from fhirsvc.spec import R4Spec, load_spec
from fhirsvc.validation.bindings import CodeLookup, TerminologyChecker
from fhirsvc.validation.clean import CleanCheck
from fhirsvc.validation.invariants import InvariantChecker
from fhirsvc.validation.model import TypeModel
from fhirsvc.validation.profiles import ProfileChecker, load_conformance, load_profiles
from fhirsvc.validation.references import ReferenceChecker
from fhirsvc.validation.schema import SchemaChecker
from fhirsvc.validation.structure import StructureChecker
from fhirsvc.validation.valuesets import ValueSets


class Layer(StrEnum):
    STRUCTURE = "structure"
    SCHEMA = "schema"
    TERMINOLOGY = "terminology"
    REFERENCES = "references"
    INVARIANTS = "invariants"
    PROFILES = "profiles"


ALL_LAYERS: frozenset[Layer] = frozenset(Layer)


class Validator:
    """R4 4.0.1 validation of resources and Bundles, compiled once."""

    def __init__(self, spec: R4Spec, codes: CodeLookup | None = None,
                 conformance: Iterable[dict[str, Any]] | None = None) -> None:
        self.model = TypeModel.from_spec(spec)
        self.value_sets = ValueSets(spec)
        self.structure = StructureChecker(self.model)
        self.clean = CleanCheck(self.model, self.structure.primitives)
        self.schema = SchemaChecker(self.model, self.value_sets)
        self.terminology = TerminologyChecker(self.value_sets, codes)
        self.references = ReferenceChecker(self.model)
        self.invariants = InvariantChecker(self.model)
        definitions = list(load_conformance() if conformance is None else conformance)
        self.profiles = ProfileChecker(load_profiles(definitions), self.invariants)
        #: seconds spent per layer since construction (read by the benchmark)
        self.timings: dict[Layer, float] = dict.fromkeys(Layer, 0.0)

    @classmethod
    def from_spec(cls, spec: R4Spec | None = None, codes: CodeLookup | None = None) -> Validator:
        return cls(spec or load_spec(), codes)

    def validate(self, resource: Any, *, fhirsvc_profiles: bool = False,
                 layers: Collection[Layer] = ALL_LAYERS) -> list[Issue]:
        """Every issue of a resource or a Bundle (entries included), in layer order.

        ``fhirsvc_profiles``: also hold each resource to fhirsvc's own profile for its
        type (what the converter promises); profiles named in ``meta.profile`` are
        always checked.
        """
        started = time.process_time()
        walk = self.structure.walk(resource)
        now = time.process_time()
        self.timings[Layer.STRUCTURE] += now - started
        issues = list(walk.issues)
        schema: list[Issue] = []
        steps: tuple[tuple[Layer, Callable[[], Iterable[Issue]]], ...] = (
            (Layer.SCHEMA, lambda: self.schema.check(walk)),
            (Layer.TERMINOLOGY, lambda: self.terminology.check(walk)),
            (Layer.REFERENCES, lambda: self.references.check(walk)),
            (Layer.INVARIANTS, lambda: self.invariants.check(walk)),
            (Layer.PROFILES, lambda: self.profiles.check(walk, fhirsvc_profiles)),
        )
        for layer, run in steps:
            if layer in layers:
                (schema if layer is Layer.SCHEMA else issues).extend(run())
                later = time.process_time()
                self.timings[layer] += later - now
                now = later
        return self._with_schema(issues, schema)

    def check_structure(self, resource: Any) -> list[Issue]:
        """Structure only (layer 1): the converter's fast path.

        A resource the compiled yes/no check passes has no structure issue; only one
        it fails is walked for its issues.
        """
        started = time.process_time()
        clean = self.clean(resource)
        self.timings[Layer.STRUCTURE] += time.process_time() - started
        if clean:
            return []
        return self.validate(resource, layers=(Layer.STRUCTURE,))

    @staticmethod
    def _with_schema(issues: list[Issue], schema: list[Issue]) -> list[Issue]:
        """Add the JSON Schema findings no other layer reported at the same place: the
        schema is a second opinion, and one defect should read as one issue."""
        located = {expression for issue in issues if issue.is_error
                   for expression in issue.expression}
        return issues + [issue for issue in schema if not located.intersection(issue.expression)]
