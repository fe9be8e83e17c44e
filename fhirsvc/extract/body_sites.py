"""The body sites of ``mappings/body_sites.tsv``, loaded once for every stage that reads them.

:mod:`sites` joins a disorder to the site written after it and :mod:`coordination` finds
the sites coordinated before one head; both read the same table, and :mod:`sites` imports
:mod:`coordination` (through :mod:`markers`), so the table lives here, below both.
"""

from __future__ import annotations

from functools import cache

from fhirsvc.terminology import tables


@cache
def site_terms() -> dict[str, tuple[str, ...]]:
    """Site as written → the words that stand for it before a disorder's name."""
    return {r.key: r.terms for r in tables.load_table("body_sites.tsv", tables.BodySiteRow)}


@cache
def site_words() -> frozenset[str]:
    """The one-word sites and their adjectives, in lower case."""
    return frozenset(word.lower() for key, terms in site_terms().items()
                     for word in (key, *terms) if " " not in word)


@cache
def site_names() -> frozenset[str]:
    """Every name of a site, one word or more, in lower case: a drug dictionary's entry that
    is one of them ("thyroid gland", desiccated thyroid's other name) names the organ."""
    return frozenset(word.lower() for key, terms in site_terms().items() for word in (key, *terms))
