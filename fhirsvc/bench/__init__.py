"""Benchmarks that print figures: ``python -m fhirsvc.bench NAME [ARGS]``."""
