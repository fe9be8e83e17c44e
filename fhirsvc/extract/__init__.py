"""Extraction: report structure, patients, mentions with their context, values and dates."""
