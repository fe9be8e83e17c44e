"""Mappers: pure functions from coded facts to FHIR R4 resources and Bundles."""
