"""Validation of FHIR R4 resources in layers, collecting every issue with its location."""
