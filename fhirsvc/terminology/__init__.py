"""Terminology: code systems, the curated tables in ``mappings/``, and coding of mentions."""
