"""Validation of FHIR R4 (4.0.1) resources in layers, collecting every issue with its location.

    validator = Validator.from_spec(load_spec(), codes=terminology)   # once
    issues = validator.validate(bundle)                               # list[Issue]

Layers (:class:`Layer`): structure, schema (the R4 JSON Schema), terminology,
references, invariants (FHIRPath), profiles (fhirsvc's, in ``conformance/``).
"""

from fhirsvc.validation.bindings import CodeLookup
from fhirsvc.validation.schema import generate_schema
from fhirsvc.validation.validator import ALL_LAYERS, Layer, Validator

__all__ = ["ALL_LAYERS", "CodeLookup", "Layer", "Validator", "generate_schema"]
