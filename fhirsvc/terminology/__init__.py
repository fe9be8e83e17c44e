"""Terminology: code systems, the curated tables in ``mappings/``, and coding of mentions.

Public names: :func:`load_terminology` (once per process), :class:`Terminology`
(``knows_system``, ``has_code``, ``lookup``, ``find``), :func:`code_report`.
"""

from fhirsvc.terminology.coding import code_mention, code_report
from fhirsvc.terminology.loader import build_terminology, load_terminology
from fhirsvc.terminology.store import CODE_SYSTEMS, Terminology

__all__ = [
    "CODE_SYSTEMS",
    "Terminology",
    "build_terminology",
    "code_mention",
    "code_report",
    "load_terminology",
]
