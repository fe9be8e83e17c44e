"""FHIR JSON as fhirsvc writes it: the bytes of ``json.dumps(value, indent=2,
ensure_ascii=False)``, written several times faster.

With ``indent`` the standard library leaves its C encoder for a Python generator that
yields every bracket and separator on its own, which cost more CPU than the whole of
mapping a report. :func:`dumps` walks the JSON of plain dicts, lists, strings, numbers,
booleans and nulls (all the mappers make) in one recursive function, and encodes each
string and number the way :mod:`json` does (its C string encoder, ``float.__repr__``,
``int.__repr__``), so the text is the same byte for byte. Anything else (a tuple, a
``str`` subclass, a non-string key, a cycle) goes to :func:`json.dumps` itself.

:func:`loads` reads the JSON fhirsvc is given (request bodies, files to load), refusing
with one message what would otherwise fail later as a traceback: nesting deeper than
:data:`MAX_DEPTH`, and lone surrogates, which no UTF-8 text (so no database) can hold.
The depth limit is the one place fhirsvc answers deep nesting: everything that walks a
resource (validation, reference rewriting, indexing, XML and pretty output) recurses once
or more per level, so JSON read here can be walked by all of them, from any caller's
stack; what the server builds from such JSON (a patched resource) is held to it by
:func:`check_depth`.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "


class _Unusual(Exception):
    """A value the fast path does not encode the way :mod:`json` would."""


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, newline-terminated."""
    parts: list[str] = []
    try:
        _encode(value, "\n", parts)
    except (_Unusual, RecursionError):
        return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    parts.append("\n")
    return "".join(parts)


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    """Append ``value``'s text to ``parts``; ``newline`` starts a line at its depth."""
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring(value))
    elif kind is dict or kind is list:
        _nested(value, kind is dict, newline, parts)
    else:
        parts.append(_scalar(value))


def _nested(value: dict[str, Any] | list[Any], is_object: bool, newline: str,
            parts: list[str]) -> None:
    """An object's members or an array's items, one a line, one level deeper than
    ``newline``; ``{}`` or ``[]`` when there are none."""
    brackets = "{}" if is_object else "[]"
    if not value:
        parts.append(brackets)
        return
    inner = newline + INDENT
    opening = brackets[0] + inner
    for item in value:
        if is_object:
            parts.append(opening + _LABELS[item])
            item = value[item]  # type: ignore[index]
        else:
            parts.append(opening)
        _encode(item, inner, parts)
        opening = "," + inner
    parts.append(newline + brackets[1])


class _Labels(dict[str, str]):
    """Each key's ``"key": `` text, remembered (FHIR JSON has a few hundred element names)."""

    def __missing__(self, key: Any) -> str:
        if type(key) is not str:
            raise _Unusual
        label = encode_basestring(key) + ": "
        if len(self) < 65_536:  # keys of other JSON may be unbounded
            self[key] = label
        return label


_LABELS = _Labels()


def _scalar(value: Any) -> str:
    """A number, boolean or null as :mod:`json` writes it (``NaN`` and ``Infinity`` too)."""
    kind = type(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in _INFINITIES:  # NaN, Infinity, -Infinity
            return json.dumps(value)
        return float.__repr__(value)
    raise _Unusual


_INFINITIES = (float("inf"), float("-inf"))


class NotJson(ValueError):
    """Text that is not JSON fhirsvc can take in; the message says why."""


#: The deepest nesting of arrays and objects fhirsvc takes in. R4 resources nest a few
#: levels per element (a Questionnaire's groups inside groups two a level); every walk of
#: a resource (validation, reference rewriting, indexing, XML and pretty output) can go
#: this deep from any caller's stack, with room for a JSON Patch to add as much again
#: before it is checked.
MAX_DEPTH = 100


TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} arrays or objects inside each other)"


def check_depth(value: Any) -> None:
    """NotJson when ``value`` holds arrays or objects nested deeper than
    :data:`MAX_DEPTH`; one level at a time, so it cannot itself recurse too deeply."""
    level = [value] if type(value) is dict or type(value) is list else []
    for _ in range(MAX_DEPTH):
        level = [child for node in level
                 for child in (node.values() if type(node) is dict else node)
                 if type(child) is dict or type(child) is list]
        if not level:
            return
    raise NotJson(TOO_DEEP)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def loads(text: str) -> Any:
    """The JSON of a file or request body, or :class:`NotJson`: malformed, nested deeper
    than :data:`MAX_DEPTH`, or holding a lone surrogate (``"\\ud800"`` without its
    pair). JSON allows that escape, but no UTF-8 text holds the character
    (https://www.rfc-editor.org/rfc/rfc8259#section-8.2), so neither a database column
    nor a response could store it."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotJson(str(error)) from None
    except RecursionError:  # deeper than the parser itself recurses
        raise NotJson(TOO_DEEP) from None
    if text.count("[") + text.count("{") > MAX_DEPTH:  # else it cannot be that deep
        check_depth(value)
    if _SURROGATE_ESCAPE.search(text):  # rare: a pair decodes to one valid character
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise NotJson("a string holds a lone surrogate (an escape \\ud800-\\udfff "
                          "without its pair), which is not Unicode text") from None
    return value


__all__ = ["MAX_DEPTH", "NotJson", "check_depth", "dumps", "loads"]
