"""A fast yes/no in front of the JSON Schema layer: the same schema, compiled by fastjsonschema.

jsonschema walks its schema at run time (a ``$ref`` lookup and a validator object per
keyword) and takes about a millisecond per resource; fastjsonschema generates Python
code from the schema and answers "valid or not" in well under a tenth of that. The
layer asks the gate first and runs jsonschema's ``iter_errors`` only for a resource the
gate rejects, so every issue is still worded and located by jsonschema, and a valid
resource costs one call. A test holds the gate's answers equal to jsonschema's.

Generating and compiling the code for every resource type takes about two seconds,
so it happens on the first check, not at construction, and the compiled module is kept
in the user's cache folder (keyed by the schema and the versions that made it).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import CodeType
from typing import Any

import fastjsonschema
import platformdirs

JSON = dict[str, Any]
Check = Callable[[Any], Any]


class SchemaGate:
    """``is_valid(type, resource)``: one compiled function per resource type."""

    def __init__(self, definitions: JSON, resource_types: Iterable[str]) -> None:
        self._types = sorted(resource_types)
        self._schema: JSON = {
            "$schema": "http://json-schema.org/draft-06/schema#",
            "definitions": same_language(definitions),
            "anyOf": [{"$ref": f"#/definitions/{name}"} for name in self._types],
        }
        self._checks: dict[str, Check] | None = None

    def is_valid(self, type_name: str, resource: Any) -> bool:
        """False when the resource breaks the schema, or when the gate has no check for its type."""
        check = self.checks().get(type_name)
        if check is None:
            return False
        try:
            check(resource)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def checks(self) -> dict[str, Check]:
        if self._checks is None:
            namespace: dict[str, Any] = {}
            for code in self._code():
                exec(code, namespace)
            self._checks = {name: namespace[_function_name(name)] for name in self._types
                            if _function_name(name) in namespace}
        return self._checks

    def _code(self) -> tuple[CodeType, ...]:
        text = json.dumps(self._schema, sort_keys=True)
        made_by = f"{fastjsonschema.VERSION}|{sys.version}|{_UNNAMED}|{_CHUNK_CHARS}"
        key = hashlib.sha256(f"{text}|{made_by}".encode()).hexdigest()
        path = _cache_folder() / f"schema-gate-{key[:20]}.marshal" if _caching() else None
        if path is not None and path.exists():
            try:
                code = marshal.loads(path.read_bytes())
                if isinstance(code, tuple) and all(isinstance(c, CodeType) for c in code):
                    return code
            except (OSError, ValueError, EOFError, TypeError):
                pass
        source = unnamed(fastjsonschema.compile_to_code(self._schema))
        code = tuple(compile(chunk, "<fhirsvc schema gate>", "exec") for chunk in chunks(source))
        if path is not None:
            _write(path, marshal.dumps(code))
        return code


#: R4's patterns that hold memory in proportion to the text they match, each with one that
#: matches the same strings without: base64Binary's ``(\s*([0-9a-zA-Z\+/=]){4}\s*)+`` keeps
#: a backtracking point and two groups per quartet (about 250 MB for the 1.3 MB of a 1 MB
#: report's DocumentReference). Whitespace and the alphabet share no character, so a
#: string splits into ``\s* quartet \s*`` repeats in one way only, and a repeat given
#: back could never let the end match: the possessive ``++`` keeps no backtracking point.
SAME_LANGUAGE = {
    r"^(\s*([0-9a-zA-Z\+/=]){4}\s*)+$": r"^(?:\s*[0-9a-zA-Z\+/=]{4}\s*)++$",
}


def same_language(schema: Any) -> Any:
    """``schema`` with each pattern of :data:`SAME_LANGUAGE` replaced by its equivalent."""
    if isinstance(schema, dict):
        return {key: SAME_LANGUAGE.get(value, value)
                if key == "pattern" and isinstance(value, str) else same_language(value)
                for key, value in schema.items()}
    if isinstance(schema, list):
        return [same_language(item) for item in schema]
    return schema


#: Characters of generated source compiled at once. Python's compiler holds the syntax
#: tree of all it is given: the whole module (about 7 MB) took about 400 MB of memory
#: at its peak, more than everything else a conversion holds; pieces of this size take
#: a few megabytes each, and the same code results.
_CHUNK_CHARS = 200_000


def chunks(source: str, size: int = _CHUNK_CHARS) -> list[str]:
    """The module's source in pieces of whole top-level statements (cut before a
    ``def`` at the start of a line), each about ``size`` characters; executed in order
    in one namespace they define what the whole module does."""
    pieces: list[str] = []
    start = 0
    while start < len(source):
        cut = source.find("\ndef ", start + size)
        end = len(source) if cut < 0 else cut + 1
        pieces.append(source[start:end])
        start = end
    return pieces


#: what fastjsonschema appends to the name of each array item it checks, ``"…[{i}]"``
_UNNAMED = ".format(**locals())"


def unnamed(source: str) -> str:
    """fastjsonschema's code without the formatting of array items' names
    (``data.extension[3]``), which it does for every item, valid or not, at a quarter of
    the gate's time: the gate answers yes or no and never shows a name, so the names
    keep their ``{placeholders}``."""
    return source.replace(_UNNAMED, "")


def _function_name(type_name: str) -> str:
    """The name fastjsonschema gives the function of ``#/definitions/<type_name>``."""
    return re.sub(r"[^a-zA-Z0-9]", "_", f"validate_#/definitions/{type_name}").lower().rstrip("_")


def _caching() -> bool:
    return os.environ.get("FHIRSVC_NO_CACHE") != "1"


def _cache_folder() -> Path:
    return Path(os.environ.get("FHIRSVC_CACHE_DIR") or platformdirs.user_cache_dir("fhirsvc"))


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only cache folder only costs start-up time
