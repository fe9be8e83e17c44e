"""How a server instance is set up: database, limits and the layers writes are validated by."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from fhirsvc.validation import Layer

#: Validation on every write (https://hl7.org/fhir/R4/http.html#update: a server may refuse
#: an invalid resource with 422). Profiles are left out: they hold fhirsvc's converter to
#: its own promises, not every client.
WRITE_LAYERS: frozenset[Layer] = frozenset(
    {Layer.STRUCTURE, Layer.SCHEMA, Layer.TERMINOLOGY, Layer.REFERENCES, Layer.INVARIANTS}
)


@dataclass(frozen=True)
class ServerConfig:
    """Settings of one app; ``database`` is an :func:`fhirsvc.storage.open_store` URL
    (None: the default SQLite file)."""

    database: str | None = None
    base_path: str = "/fhir"
    #: Request bodies larger than this are refused with 413.
    max_body_bytes: int = 16 * 1024 * 1024
    default_count: int = 20
    max_count: int = 1000
    write_layers: frozenset[Layer] = field(default=WRITE_LAYERS)
    #: ``Access-Control-Allow-Origin`` for browser clients ("" turns CORS off).
    cors_origin: str = "*"
    #: Responses at least this large are gzip-compressed when the client accepts it.
    gzip_min_bytes: int = 1024
    #: Build the validator when the app starts instead of on the first write.
    warm_up: bool = False

    @classmethod
    def from_environment(cls) -> ServerConfig:
        """Settings for ``gunicorn 'fhirsvc.server:create_app()'``: ``FHIRSVC_DATABASE``
        (a database URL) and ``FHIRSVC_MAX_BODY_BYTES``."""
        limit = os.environ.get("FHIRSVC_MAX_BODY_BYTES")
        return cls(database=os.environ.get("FHIRSVC_DATABASE") or None, warm_up=True,
                   **({"max_body_bytes": int(limit)} if limit else {}))
