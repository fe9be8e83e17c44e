"""Tokens and their normal forms, shared by the lexicon builder and the matcher.

Lexicon terms and report text go through the same function, so a term matches
whatever spelling variant normalises to the same string: case, accents, British
spelling (haem/oe/ae/leuc/-our, also in the plural: "tumours"), simple plurals (Latin -ae
too), hyphens and apostrophes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

#: A word (letters/digits of any script, incl. Greek) or one punctuation mark that stops a match.
#: A bracket written inside a word, a letter or digit on both sides ("25(OH)D"), is no mark:
#: it stops no match, and the name reads as its words ("25 OH D").
TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][sS]\b)?"
                      r"|(?<![^\W_])[()]|[()](?![^\W_])|[.,;:\[\]!?]")
#: The normal form of a punctuation token: it never occurs inside a lexicon key.
BREAK = "|"
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "λ": "lambda"}
_KEEP_S = ("ss", "us", "is")


@lru_cache(maxsize=200_000)
def norm_token(token: str) -> str:
    """The normal form of one token (see the module docstring)."""
    if not token[0].isalnum():
        return BREAK
    t = token.lower()
    if t.endswith(("'s", "\u2019s")):
        t = t[:-2]
    if not t.isascii():
        t = "".join(_GREEK.get(ch, ch) for ch in t)
        t = unicodedata.normalize("NFKD", t)
        t = "".join(ch for ch in t if not unicodedata.combining(ch))
    if not t.isalpha():
        return t
    if len(t) > 5 and t.endswith("ae"):
        t = t[:-1]  # a Latin plural: "paraesthesiae", "vertebrae", "bullae"
    t = t.replace("haem", "hem").replace("ae", "e").replace("oe", "e").replace("leuc", "leuk")
    if len(t) > 4 and t.endswith("ies"):
        return t[:-3] + "y"
    if len(t) > 3 and t.endswith("s") and not t.endswith(_KEEP_S):
        t = t[:-1]
    if len(t) > 5 and t.endswith("our"):
        t = t[:-3] + "or"  # after the plural's "s": "tumours" is "tumors"
    return t


def tokens(text: str) -> Iterator[re.Match[str]]:
    """Token matches of ``text``; possessive ``'s`` and hyphens simply split words."""
    return TOKEN_RE.finditer(text)


def norm_key(term: str) -> str:
    """The lexicon key of a term: its normal tokens joined by single spaces."""
    return " ".join(norm_token(m.group()) for m in tokens(term))


#: Roman numerals as case reports number their cases, stages and classes (I to X).
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral from I to X, in either case; None for anything else."""
    return _ROMAN.get(numeral.lower())
