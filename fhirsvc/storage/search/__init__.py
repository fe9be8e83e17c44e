"""FHIR search: parsing requests into typed queries, and the records a search returns."""

from fhirsvc.storage.search.parse import parse_search, parse_system_search, parse_types
from fhirsvc.storage.search.query import SearchQuery
from fhirsvc.storage.search.result import SearchResult

__all__ = ["SearchQuery", "SearchResult", "parse_search", "parse_system_search", "parse_types"]
