"""The FHIR REST server (the only package that imports Flask)."""
