"""Validate many FHIR R4 resources with Google's google-fhir-r4 (run in its own venv).

stdin: JSON array of {"name": ..., "resource": {...}}; stdout: {name: [error messages]}.
Parsing into the R4 protos checks structure, types and required bindings;
``resource_validation.validate_resource`` checks cardinality and reference types.
"""

import importlib
import json
import re
import sys

from google.fhir.r4 import json_format, resource_validation


def proto_class(resource_type):
    if resource_type == "Bundle":
        module = "bundle_and_contained_resource_pb2"
    else:
        module = re.sub(r"(?<!^)([A-Z])", r"_\1", resource_type).lower() + "_pb2"
    return getattr(importlib.import_module(f"google.fhir.r4.proto.core.resources.{module}"),
                   resource_type)


def errors(resource):
    try:
        message = json_format.json_fhir_string_to_proto(
            json.dumps(resource), proto_class(resource["resourceType"]), validate=True,
            default_timezone="Z")
        resource_validation.validate_resource(message)
    except Exception as exc:  # every failure is a finding
        return [f"{type(exc).__name__}: {exc}"]
    return []


def main():
    cases = json.load(sys.stdin)
    json.dump({case["name"]: errors(case["resource"]) for case in cases}, sys.stdout)


main()
