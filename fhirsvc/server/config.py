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

DEFAULT_MAX_BODY = 16 * 1024 * 1024


@dataclass(frozen=True)
class ServerConfig:
    """Settings of one app; ``database`` is an :func:`fhirsvc.storage.open_store` URL
    (None: the default SQLite file)."""

    database: str | None = None
    base_path: str = "/fhir"
    #: Request bodies larger than this are refused with 413.
    max_body_bytes: int = DEFAULT_MAX_BODY
    default_count: int = 20
    max_count: int = 1000
    write_layers: frozenset[Layer] = field(default=WRITE_LAYERS)
    #: ``Access-Control-Allow-Origin`` for browser clients ("" turns CORS off).
    cors_origin: str = "*"
    #: Responses at least this large are gzip-compressed when the client accepts it.
    gzip_min_bytes: int = 1024
    #: Build the validator when the app starts instead of on the first write.
    warm_up: bool = False
    #: Check that codes of the systems fhirsvc ships (ICD-10-CM, curated SNOMED CT, LOINC,
    #: RxNorm …) exist, with the terminology (about 2.5 s and 100 MB more at start-up).
    check_codes: bool = False
    #: The base URL clients see (behind a reverse proxy), e.g. ``https://fhir.example/r4``;
    #: None: the request's own host and ``base_path``.
    public_base_url: str | None = None

    def __post_init__(self) -> None:
        """A header value the server sends on every response is checked here, once: a
        line break in it would end the header (werkzeug refuses one in each response)."""
        if "\r" in self.cors_origin or "\n" in self.cors_origin:
            raise ValueError(f"cors_origin {self.cors_origin!r} holds a line break; "
                             "give one origin, or * for any")

    @classmethod
    def from_environment(cls) -> ServerConfig:
        """Settings for ``gunicorn 'fhirsvc.server:create_app()'``: ``FHIRSVC_DATABASE``
        (a database URL), ``FHIRSVC_MAX_BODY_BYTES``, ``FHIRSVC_BASE_URL`` and
        ``FHIRSVC_CHECK_CODES=1``."""
        limit = os.environ.get("FHIRSVC_MAX_BODY_BYTES") or str(DEFAULT_MAX_BODY)
        if not (limit.isascii() and limit.isdigit()):  # not "²", which int() refuses
            raise ValueError(f"FHIRSVC_MAX_BODY_BYTES={limit!r} is not a number of bytes")
        if int(limit) == 0:
            raise ValueError("FHIRSVC_MAX_BODY_BYTES=0 would refuse every request body; "
                             "give a number of bytes above 0")
        return cls(database=environment_database(), warm_up=True,
                   public_base_url=os.environ.get("FHIRSVC_BASE_URL") or None,
                   check_codes=os.environ.get("FHIRSVC_CHECK_CODES") == "1",
                   max_body_bytes=int(limit))


#: The environment variable naming the production command's database (URL or SQLite path).
DATABASE_ENV = "FHIRSVC_DATABASE"


def environment_database() -> str | None:
    """The database ``FHIRSVC_DATABASE`` names, None when unset or empty (the default)."""
    return os.environ.get(DATABASE_ENV) or None
